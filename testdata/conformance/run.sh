#!/usr/bin/env bash
# Conformance against the real kubelet of each release (docs/conformance.md):
#
#   testdata/conformance/run.sh [COUNT] [SEED]
#
# generates COUNT (default 1000) fresh cases from SEED (default: from the
# date and $RANDOM, printed so a failure can be replayed), runs the real
# kubelet of 1.34, 1.35, 1.36 and 1.37 over them (run_kubelet.sh; the Go
# module proxy and build cache are needed, the cache keeps it to seconds
# once warm) and replays the answers through svcenv with each release's
# --kubelet-version profile (//testdata/conformance:conformance_test with
# SVCENV_CONFORMANCE_VECTORS). Run by .ci/run; prints
# "//testdata/conformance:run.sh PASSED" or "FAILED" as its last line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
here=testdata/conformance
count=${1:-1000}
seed=${2:-$(( $(date -u +%Y%m%d) * 100000 + RANDOM ))}
echo "conformance: $count cases, seed $seed (replay: $here/run.sh $count $seed)"

# Go 1.26 is the machine's (/usr/local/go); the harness modules say go 1.26.
if [[ -x /usr/local/go/bin/go ]]; then export PATH=/usr/local/go/bin:$PATH; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_cases.py" --seed "$seed" --count "$count" >"$work/cases.jsonl"
answers=()
for minor in 1.34 1.35 1.36 1.37; do
  start=$SECONDS
  "$here/run_kubelet.sh" "$minor" "$work/cases.jsonl" "$work/$minor.jsonl"
  echo "kubelet $minor: $((SECONDS - start)) s"
  answers+=("$minor=$work/$minor.jsonl")
done
python3 "$here/make_vectors.py" "$work/cases.jsonl" "${answers[@]}" \
  >"$work/vectors.jsonl"

./bazelw build //testdata/conformance:conformance_test
test_binary=$(./bazelw info bazel-bin 2>/dev/null)/testdata/conformance/conformance_test
if SVCENV_CONFORMANCE_VECTORS="$work/vectors.jsonl" "$test_binary"; then
  echo "//testdata/conformance:run.sh PASSED"
else
  cp "$work/vectors.jsonl" "/tmp/svcenv-conformance-$seed.jsonl"
  echo "vectors kept in /tmp/svcenv-conformance-$seed.jsonl"
  echo "//testdata/conformance:run.sh FAILED"
  exit 1
fi
