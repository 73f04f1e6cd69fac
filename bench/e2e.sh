#!/usr/bin/env bash
# Times `svcenv env` end to end (process start, read and decode, compute,
# print) on a generated 10,000-Service `kubectl get svc -A -o json` file plus
# bench/pod.yaml. Prints each run and the median; the file is left in
# ${TMPDIR:-/tmp}/svcenv-bench/ (15.77 MB, not committed).
#   bench/e2e.sh [RUNS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=${1:-11}
dir=${TMPDIR:-/tmp}/svcenv-bench
mkdir -p "$dir"
./bazelw build -c opt //tools:svcenv //bench:gen_service_list
bin=$(./bazelw info -c opt bazel-bin 2>/dev/null)
"$bin/bench/gen_service_list" "$dir/svc10k.json" 10000

cmd=("$bin/tools/svcenv" env bench-pod -n team-000
     -f "$dir/svc10k.json" -f bench/pod.yaml)
echo "+ ${cmd[*]}"
"${cmd[@]}" >"$dir/env.out"  # Warms the page cache; must succeed.
echo "$(wc -l <"$dir/env.out") variables printed"

TIMEFORMAT='%R %U %S'
times=()
for ((i = 0; i < runs; ++i)); do
  t=$({ time "${cmd[@]}" >/dev/null; } 2>&1)
  echo "run $i: real/user/sys ${t// / }s"
  times+=("${t%% *}")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
echo "median wall time over ${runs} runs: ${median}s"
