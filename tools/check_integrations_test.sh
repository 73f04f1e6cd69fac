#!/usr/bin/env bash
# The CI integrations of `svcenv check`, run locally against the built
# binary: the pre-commit hook (.pre-commit-hooks.yaml) run as pre-commit
# runs it (its entry, its args, then the staged files as arguments), and
# the GitHub Action's script (.github/actions/check.sh, called by
# action.yml) with fake GITHUB_* variables.
#
#   tools/check_integrations_test.sh SVCENV_BINARY
# Run from the source root (Bazel's runfiles root, or ctest's WORKING_DIRECTORY).
set -uo pipefail

svcenv=$(realpath "$1")
root=$PWD
python=/usr/bin/python3  # Debian's, with python3-yaml (install_deps.sh).
tmp=${TEST_TMPDIR:-$(mktemp -d)}/integrations
rm -rf "$tmp"
mkdir -p "$tmp/bin"
ln -s "$svcenv" "$tmp/bin/svcenv"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
expect_eq() {  # what got want
  [[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"
}
expect_contains() {  # what text substring
  [[ $2 == *"$3"* ]] || fail "$1: '$3' not in: $2"
}

# --- pre-commit ------------------------------------------------------------
# The hook's command line as pre-commit builds it: shlex.split(entry) + args,
# then the files (pre-commit's identify tags .yaml and .yml files `yaml`).
mapfile -t hook < <("$python" - "$root/.pre-commit-hooks.yaml" <<'PY'
import shlex, sys, yaml
hooks = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
(hook,) = [h for h in hooks if h["id"] == "svcenv-check"]
assert hook["language"] == "system", hook
assert "yaml" in hook["types"], hook
assert hook.get("pass_filenames", True), hook
for word in shlex.split(hook["entry"]) + list(hook.get("args", [])):
    print(word)
PY
)
expect_eq "hook command" "${hook[*]:0:2}" "svcenv check"

precommit() {  # dir files...: runs the hook in dir, sets out and status
  local dir=$1
  shift
  out=$(cd "$dir" && PATH="$tmp/bin:$PATH" "${hook[@]}" "$@" 2>&1)
  status=$?
}
precommit "$root/testdata/check/clean" 00-services.yaml 10-web.yaml
expect_eq "pre-commit on clean files: exit" "$status" 0
expect_contains "pre-commit on clean files" "$out" "no findings"
precommit "$root/testdata/check/unresolved-reference" manifests.yaml
expect_eq "pre-commit on an error: exit (fails the commit)" "$status" 1
expect_contains "pre-commit on an error" "$out" \
  "manifests.yaml:"
expect_contains "pre-commit on an error" "$out" "error unresolved-reference"
# Files in the order pre-commit gives them are one apply in that order.
precommit "$root/testdata/check/order-kubectl" manifests/deploy.yaml \
  manifests/services.yaml
expect_contains "pre-commit keeps the file order" "$out" \
  "service-after-workload"

# --- GitHub Action ---------------------------------------------------------
expect_eq "action.yml" "$("$python" - "$root/action.yml" <<'PY'
import sys, yaml
action = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
steps = action["runs"]["steps"]
assert action["runs"]["using"] == "composite"
assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@")
           for s in steps)
runs = [s["run"] for s in steps if "run" in s]
assert any("check.sh\" run" in r for r in runs), runs
assert runs[-1].endswith("check.sh\" verdict"), runs
assert set(action["outputs"]) == {"sarif-file", "findings", "exit-code"}
print("ok")
PY
)" ok

# Runs check.sh MODE in dir $2 with fresh GITHUB_OUTPUT/GITHUB_STEP_SUMMARY
# and the INPUT_* variables given after it; sets out, status and outputs.
action() {
  local mode=$1 dir=$2
  shift 2
  : >"$tmp/github_output"
  : >"$tmp/step_summary"
  out=$(cd "$dir" && env GITHUB_ACTIONS=true GITHUB_WORKSPACE="$dir" \
    GITHUB_OUTPUT="$tmp/github_output" GITHUB_STEP_SUMMARY="$tmp/step_summary" \
    SVCENV_ACTION_PATH="$root" INPUT_SVCENV="$svcenv" "$@" \
    "$root/.github/actions/check.sh" "$mode" 2>&1)
  status=$?
}
output_of() { sed -n "s/^$1=//p" "$tmp/github_output"; }

scenario=$root/testdata/check/unresolved-reference
want_findings=$(cd "$scenario" && "$svcenv" check -o json --fail-on never \
  manifests.yaml | "$python" -c 'import json,sys
s=json.load(sys.stdin)["summary"]; print(s["errors"]+s["warnings"]+s["infos"])')

action run "$scenario" INPUT_PATHS=manifests.yaml INPUT_SARIF_FILE="$tmp/a.sarif"
expect_eq "action run with errors: step exit (upload still runs)" "$status" 0
expect_eq "action run with errors: exit-code" "$(output_of exit-code)" 1
expect_eq "action run with errors: findings" "$(output_of findings)" "$want_findings"
expect_eq "action run with errors: sarif-file" "$(output_of sarif-file)" "$tmp/a.sarif"
expect_eq "action run with errors: SARIF" \
  "$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$tmp/a.sarif")" 2.1.0
expect_contains "action run: step summary" "$(cat "$tmp/step_summary")" \
  "$want_findings findings, failed (fail-on error)"
((want_findings > 0)) || fail "the unresolved-reference scenario has no findings"
action verdict "$scenario" INPUT_EXIT_CODE=1 INPUT_FAIL_ON=error
expect_eq "action verdict on exit-code 1" "$status" 1
expect_contains "action verdict on exit-code 1" "$out" "::error title=svcenv check::"

action run "$scenario" INPUT_PATHS=manifests.yaml INPUT_FAIL_ON=never \
  INPUT_SARIF_FILE="$tmp/b.sarif" INPUT_ANNOTATIONS=true
expect_eq "action fail-on never: exit-code" "$(output_of exit-code)" 0
expect_contains "action annotations" "$out" \
  "::error file=manifests.yaml,line="
action verdict "$scenario" INPUT_EXIT_CODE=0
expect_eq "action verdict on exit-code 0" "$status" 0

# A baseline (a previous report, through args) makes the same findings pass.
"$svcenv" check -o json --fail-on never "$scenario/manifests.yaml" \
  >"$tmp/baseline.json"
action run "$scenario" INPUT_PATHS=manifests.yaml \
  INPUT_ARGS="--baseline $tmp/baseline.json" INPUT_SARIF_FILE="$tmp/c.sarif"
expect_eq "action with a baseline: exit-code" "$(output_of exit-code)" 0
expect_eq "action with a baseline: findings" "$(output_of findings)" 0

action run "$root/testdata/check/clean" \
  INPUT_PATHS="00-services.yaml 10-web.yaml" INPUT_SARIF_FILE="$tmp/d.sarif"
expect_eq "action on clean files: exit-code" "$(output_of exit-code)" 0
expect_eq "action on clean files: findings" "$(output_of findings)" 0

action run "$scenario" INPUT_PATHS=no-such-file.yaml INPUT_SARIF_FILE="$tmp/e.sarif"
expect_eq "action on a missing file: step exit" "$status" 2
expect_eq "action on a missing file: exit-code" "$(output_of exit-code)" 2
expect_eq "action on a missing file: sarif-file" "$(output_of sarif-file)" ""
[[ ! -e $tmp/e.sarif ]] || fail "action on a missing file left a SARIF file"
action verdict "$scenario" INPUT_EXIT_CODE=2
expect_eq "action verdict on exit-code 2" "$status" 2

action run "$scenario" INPUT_PATHS=manifests.yaml INPUT_FAIL_ON=sometimes
expect_eq "action with a bad fail-on: step exit" "$status" 2
expect_contains "action with a bad fail-on" "$out" "fail-on must be"

action run "$scenario" INPUT_PATHS=manifests.yaml INPUT_SVCENV=/nonexistent/svcenv
expect_eq "action with a missing binary: step exit" "$status" 2

if ((failures)); then
  echo "$failures failures" >&2
  exit 1
fi
echo "pre-commit hook and GitHub Action script: all checks passed"
