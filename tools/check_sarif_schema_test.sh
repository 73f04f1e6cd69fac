#!/usr/bin/env bash
# Validates real `svcenv check -o sarif` reports against the SARIF 2.1.0
# schema (testdata/check/sarif/sarif-schema-2.1.0.json, JSON Schema
# draft-04) with Debian's python3-jsonschema (tools/install_deps.sh).
#
# Reports: every golden case of a testdata/check scenario (its `*.args`)
# with `-o sarif` instead of its own -o (findings, suppressed findings,
# findings grouped by owner, no findings, findings on Helm templates,
# standard input), each corpus project (public manifests), and runs with
# --baseline (JSON and SARIF baselines, plus a baseline that leaves a
# finding new).
#
#   tools/check_sarif_schema_test.sh SVCENV_BINARY
# Run from the source root (Bazel's runfiles root, or ctest's WORKING_DIRECTORY).
set -euo pipefail

svcenv=$(realpath "$1")
root=$PWD
schema=$root/testdata/check/sarif/sarif-schema-2.1.0.json
python=/usr/bin/python3  # Debian's, where python3-jsonschema is.
out=${TEST_TMPDIR:-$(mktemp -d)}/sarif
rm -rf "$out"
mkdir -p "$out"

if ! "$python" -c 'import jsonschema' 2>/dev/null; then
  echo "FAIL: $python has no jsonschema module: run tools/install_deps.sh" >&2
  exit 1
fi

reports=()
# Runs svcenv in directory $1 with the remaining arguments; the report goes
# to $out/$name.sarif. Exit 0 or 1 (findings) is fine, 2 is not.
run() {
  local name=$1 dir=$2
  shift 2
  local status=0
  (cd "$dir" && "$svcenv" check "$@" >"$out/$name.sarif" 2>"$out/$name.err") ||
    status=$?
  if ((status > 1)); then
    echo "FAIL: $name: svcenv check $* exited $status:" >&2
    cat "$out/$name.err" >&2
    exit 1
  fi
  reports+=("$out/$name.sarif")
}

# A golden case's arguments (tools/golden_test.cc) without the command
# (`check`) and without its own -o.
scenario_args() {
  local -a args=()
  local skip=0 line first=1
  while IFS= read -r line; do
    if ((first)); then first=0; continue; fi
    [[ -z $line ]] && continue
    if ((skip)); then skip=0; continue; fi
    if [[ $line == -o || $line == --output ]]; then skip=1; continue; fi
    [[ $line == -o* || $line == --output=* ]] && continue
    args+=("$line")
  done <"$1"
  printf '%s\n' "${args[@]}"
}

for case in "$root"/testdata/check/*/*.args; do
  dir=$(dirname "$case")
  [[ $(basename "$dir") == corpus ]] && continue  # below, one per project
  [[ $(head -n 1 "$case") == check ]] || continue
  name=$(basename "$dir")
  [[ $case == */default.args ]] || name+=-$(basename "$case" .args)
  mapfile -t args < <(scenario_args "$case")
  run "$name" "$dir" "${args[@]}" -o sarif
done

# Public manifests: one apply per project.
for dir in "$root"/testdata/check/corpus/*/; do
  name=corpus-$(basename "$dir")
  run "$name" "$dir" -R -f . -o sarif --fail-on never
done

# Standard input is an artifact named "stdin".
(cd "$root/testdata/check/output-sarif" &&
  "$svcenv" check -f - -o sarif --fail-on never <manifests.yaml \
    >"$out/stdin.sarif") || true
reports+=("$out/stdin.sarif")

# Baselines: a JSON and a SARIF report of the same run (every result
# "unchanged"), and a baseline from fewer inputs (some results "new").
base=$root/testdata/check/output-sarif
(cd "$base" && "$svcenv" check -f manifests.yaml -o json --fail-on never \
  >"$out/baseline.json") || true
run baseline-json "$base" -f manifests.yaml -o sarif --baseline "$out/baseline.json"
run baseline-sarif "$base" -f manifests.yaml -o sarif \
  --baseline "$out/output-sarif.sarif"
(cd "$root/testdata/check/order-kubectl" &&
  "$svcenv" check -f extra.yaml -o json --fail-on never \
    >"$out/baseline-partial.json") || true
run baseline-partial "$root/testdata/check/order-kubectl" -f manifests \
  -f extra.yaml -o sarif --baseline "$out/baseline-partial.json"

"$python" - "$schema" "${reports[@]}" <<'PY'
import json
import sys

import jsonschema

schema_path, reports = sys.argv[1], sys.argv[2:]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
validator = validator_class(schema, format_checker=jsonschema.FormatChecker())

failed = 0
results = 0
kinds = set()
for path in reports:
    with open(path, encoding="utf-8") as f:
        try:
            log = json.load(f)
        except ValueError as e:
            print(f"FAIL: {path}: not JSON: {e}")
            failed += 1
            continue
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors[:10]:
        where = "/".join(str(p) for p in e.absolute_path)
        print(f"FAIL: {path}: at /{where}: {e.message}")
    failed += bool(errors)
    for run in log.get("runs", []):
        for r in run.get("results", []):
            results += 1
            if r.get("suppressions"):
                kinds.add("suppressed")
            if "baselineState" in r:
                kinds.add("baseline:" + r["baselineState"])
            if r.get("properties", {}).get("affectedPods"):
                kinds.add("grouped")
        if not run.get("results"):
            kinds.add("no findings")
        for r in run.get("results", []):
            uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            if uri == "stdin":
                kinds.add("stdin")
            for l in r.get("relatedLocations", []):
                if "as rendered from" in l.get("message", {}).get("text", ""):
                    kinds.add("helm template")

# The inputs must cover what the test claims to validate.
wanted = {"helm template", "suppressed", "baseline:new", "baseline:unchanged", "grouped",
          "no findings", "stdin"}
missing = wanted - kinds
if missing:
    print(f"FAIL: no report had results of kind: {sorted(missing)}")
    failed += 1
print(f"{len(reports)} SARIF reports, {results} results, kinds {sorted(kinds)}: "
      f"{'FAIL' if failed else 'valid against the SARIF 2.1.0 schema'}")
sys.exit(1 if failed else 0)
PY
