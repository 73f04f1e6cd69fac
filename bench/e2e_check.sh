#!/usr/bin/env bash
# Times `svcenv check -o json` on a generated live-cluster dump (10,000
# Services over 100 namespaces, two per namespace created after the pods; 300
# Deployments of 10 running pods with two containers; bench/gen_live_dump.cc)
# side by side with Python's `json.load` of the same file, alternating the
# two, and reports wall and CPU (user+sys) times, peak RSS (from
# /usr/bin/time -v), the report's size and its findings per rule.
#   bench/e2e_check.sh [RUNS] [GEN_ARGS...]
# GEN_ARGS go to gen_live_dump after the output file (SERVICES DEPLOYMENTS
# LATE_PER_NAMESPACE, --with-replica-sets, --references, --lean). Without
# GEN_ARGS, three shapes are measured in one run, side by side: the default
# dump, the same with each `app` container reading `$(X_SERVICE_HOST)` of a
# Service that is not late (--references), and that one with lean objects
# (--references --lean, about the size of a hand-trimmed dump).
# Files stay in ${TMPDIR:-/tmp}/svcenv-bench/ (not committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=${1:-3}
shift || true
dir=${TMPDIR:-/tmp}/svcenv-bench
mkdir -p "$dir"
./bazelw build -c opt //tools:svcenv //bench:gen_live_dump
bin=$(./bazelw info -c opt bazel-bin 2>/dev/null)

# Generates one shape into live-NAME.json and measures it.
measure_shape() {
  local name=$1
  shift
  local dump="$dir/live-$name.json"
  echo "== shape $name: gen_live_dump $*"
  "$bin/bench/gen_live_dump" "$dump" "$@" >/dev/null
  dump_bytes=$(stat -c %s "$dump")

  svcenv=("$bin/tools/svcenv" check -f "$dump" -o json --fail-on never)
  python=(python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$dump")
  echo "+ ${svcenv[*]}"
  "${svcenv[@]}" >"$dir/check.json"  # Warms the page cache; must succeed.
  report_bytes=$(stat -c %s "$dir/check.json")
  python3 - "$dir/check.json" <<'PY'
import collections, json, sys
doc = json.load(open(sys.argv[1]))
rules = collections.Counter(f["ruleId"] for f in doc["findings"])
print("findings:", dict(rules) or "none", "| summary:", doc["summary"])
PY
  echo "dump ${dump_bytes} bytes, report ${report_bytes} bytes" \
       "($((report_bytes * 100 / dump_bytes))% of the dump)"

  # Prints "wall cpu peak_kib" for one run of the command.
  measure() {
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time.out" "$@" >/dev/null
    read -r wall user sys rss <"$dir/time.out"
    echo "$wall $(awk "BEGIN{print $user + $sys}") $rss"
  }

  echo "run  svcenv(wall cpu s, peak KiB)  python json.load(wall cpu s, peak KiB)"
  s_wall=() s_cpu=() p_wall=() p_cpu=() s_rss=() p_rss=()
  for ((i = 0; i < runs; ++i)); do
    read -r a b c < <(measure "${svcenv[@]}")
    read -r d e f < <(measure "${python[@]}")
    echo "$i    $a $b $c    $d $e $f"
    s_wall+=("$a") s_cpu+=("$b") s_rss+=("$c") p_wall+=("$d") p_cpu+=("$e") p_rss+=("$f")
  done
  median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
  sw=$(median "${s_wall[@]}") sc=$(median "${s_cpu[@]}") sr=$(median "${s_rss[@]}")
  pw=$(median "${p_wall[@]}") pc=$(median "${p_cpu[@]}") pr=$(median "${p_rss[@]}")
  echo "median svcenv: ${sw}s wall, ${sc}s cpu, ${sr} KiB peak"
  echo "median python json.load: ${pw}s wall, ${pc}s cpu, ${pr} KiB peak"
  awk -v sw="$sw" -v pw="$pw" -v sc="$sc" -v pc="$pc" -v sr="$sr" \
      -v bytes="$dump_bytes" 'BEGIN {
    printf "ratio svcenv/python: %.2fx wall, %.2fx cpu; svcenv peak RSS %.2fx the dump\n",
           sw / pw, sc / pc, sr * 1024 / bytes }'
}

if (($# > 0)); then
  measure_shape custom "$@"
else
  measure_shape default
  measure_shape references --references
  measure_shape references-lean --references --lean
fi
