#!/usr/bin/env bash
# The logic of the svcenv check action (action.yml at the repository root),
# in a script so that it runs, and is tested, outside GitHub
# (tools/check_integrations_test.sh).
#
#   check.sh run      runs `svcenv check -o sarif` on $INPUT_PATHS; writes
#                     sarif-file, findings and exit-code to $GITHUB_OUTPUT and
#                     a line to $GITHUB_STEP_SUMMARY; exits 0 unless the input
#                     was unreadable or the flags bad (2), so that the SARIF
#                     upload runs before the verdict.
#   check.sh verdict  exits 1 when $INPUT_EXIT_CODE says a finding at or
#                     above fail-on exists, 2 when it was bad input, else 0.
#
# Inputs (environment): INPUT_PATHS, INPUT_ARGS (whitespace-separated),
# INPUT_FAIL_ON (error|warning|info|never), INPUT_SVCENV (a binary; empty:
# build one from this repository with ./bazelw), INPUT_SARIF_FILE,
# INPUT_ANNOTATIONS (true: also print -o github annotations),
# SVCENV_ACTION_PATH (this repository's root).
set -euo pipefail

action_path=${SVCENV_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# A workflow command's data, escaped as GitHub's toolkit does.
escape() {
  local s=${1//%/%25}
  s=${s//$'\r'/%0D}
  echo "${s//$'\n'/%0A}"
}

output() {  # name value
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then
    echo "$1=$2" >>"$GITHUB_OUTPUT"
  fi
}

svcenv_binary() {
  if [[ -n ${INPUT_SVCENV:-} ]]; then
    if [[ ! -x $INPUT_SVCENV ]]; then
      echo "::error title=svcenv check::$(escape "svcenv input: $INPUT_SVCENV is not an executable")"
      exit 2
    fi
    realpath "$INPUT_SVCENV"
    return
  fi
  (cd "$action_path" && ./bazelw build -c opt //tools:svcenv >&2)
  echo "$action_path/bazel-bin/tools/svcenv"
}

run() {
  local fail_on=${INPUT_FAIL_ON:-error}
  case $fail_on in
    error | warning | info | never) ;;
    *)
      echo "::error title=svcenv check::$(escape "fail-on must be error, warning, info or never, got \"$fail_on\"")"
      output exit-code 2
      exit 2
      ;;
  esac
  local -a paths args
  read -r -a paths <<<"${INPUT_PATHS:-}"
  read -r -a args <<<"${INPUT_ARGS:-}"
  if ((${#paths[@]} == 0)); then
    echo "::error title=svcenv check::$(escape "no paths: set the paths input")"
    output exit-code 2
    exit 2
  fi
  # Paths in the report relative to the checkout, as code scanning and
  # annotations want them (unless args say otherwise).
  if [[ -n ${GITHUB_WORKSPACE:-} && " ${args[*]} " != *" --root "* ]]; then
    args=(--root "$GITHUB_WORKSPACE" "${args[@]}")
  fi
  local svcenv sarif=${INPUT_SARIF_FILE:-svcenv.sarif} status=0
  svcenv=$(svcenv_binary)
  "$svcenv" check -o sarif --fail-on "$fail_on" "${args[@]}" "${paths[@]}" \
    >"$sarif" || status=$?
  output exit-code "$status"
  if ((status > 1)); then
    # svcenv printed why on stderr; no report to upload.
    rm -f "$sarif"
    echo "::error title=svcenv check::$(escape "svcenv check could not read its input (exit $status)")"
    exit 2
  fi
  output sarif-file "$sarif"
  # Findings that count: results without suppressions or a baseline state
  # "unchanged" (the same ones --fail-on never would list as active).
  local findings
  findings=$(python3 - "$sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum(1 for run in log["runs"] for r in run["results"]
          if not r.get("suppressions") and r.get("baselineState") != "unchanged"))
PY
)
  output findings "$findings"
  if [[ ${INPUT_ANNOTATIONS:-false} == true ]]; then
    "$svcenv" check -o github --fail-on never "${args[@]}" "${paths[@]}" || true
  fi
  local verdict=passed
  ((status == 0)) || verdict="failed (fail-on $fail_on)"
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    echo "svcenv check: $findings findings, $verdict; report: $sarif" \
      >>"$GITHUB_STEP_SUMMARY"
  fi
  echo "svcenv check: $findings findings, $verdict; report: $sarif"
}

verdict() {
  case ${INPUT_EXIT_CODE:-} in
    0) exit 0 ;;
    1)
      echo "::error title=svcenv check::$(escape "findings at or above ${INPUT_FAIL_ON:-error}: see the svcenv check step and code scanning")"
      exit 1
      ;;
    *) exit 2 ;;
  esac
}

case ${1:-} in
  run) run ;;
  verdict) verdict ;;
  *)
    echo "usage: check.sh run|verdict" >&2
    exit 2
    ;;
esac
