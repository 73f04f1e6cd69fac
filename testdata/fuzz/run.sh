#!/usr/bin/env bash
# Builds one libFuzzer target with clang-14 (--config=fuzz) and runs it for
# SECONDS on its corpus. New interesting inputs go to a scratch corpus in
# $SVCENV_FUZZ_WORK (default /tmp/svcenv-fuzz/TARGET); crashes, hangs and
# out-of-memory inputs go there too, as crash-*, timeout-*, oom-*.
#
#   testdata/fuzz/run.sh json_decoder 600
#
# TARGET is one of: json_decoder yaml_decoder expand container_env quantity.
# Extra arguments go to libFuzzer (e.g. -jobs=2). Exits non-zero on a finding.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if (($# < 2)); then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
target=$1
seconds=$2
shift 2
corpus=testdata/fuzz/$target
[[ -d $corpus ]] || { echo "run.sh: no corpus $corpus" >&2; exit 2; }

# clang-14 and its libFuzzer runtime, from Debian, as ./bazelw installs the
# rest of the build's needs.
if ! command -v clang++-14 >/dev/null 2>&1 ||
   ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
     >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "run.sh: needs clang-14 libclang-rt-14-dev; run as root or:" >&2
    echo "  sudo apt-get install -y clang-14 libclang-rt-14-dev" >&2
    exit 2
  fi
  "${as_root[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq \
    --no-install-recommends clang-14 libclang-rt-14-dev >&2
fi

# A separate output base: the clang toolchain never evicts the gcc one.
bazel=(./bazelw "--output_base=${SVCENV_FUZZ_OUTPUT_BASE:-${HOME:-/tmp}/.cache/svcenv-fuzz-bazel}")
"${bazel[@]}" build --config=fuzz --symlink_prefix=/ "//fuzz:${target}_fuzzer"
binary="$("${bazel[@]}" info --config=fuzz bazel-bin 2>/dev/null)/fuzz/${target}_fuzzer"

work=${SVCENV_FUZZ_WORK:-/tmp/svcenv-fuzz/$target}
mkdir -p "$work/corpus"
cd "$work"
# -timeout: an input taking 10 s is a hang. -rss_limit_mb: a bounded decoder
# never needs 2 GB. New inputs go to corpus/; the committed corpus is read.
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 "$@" corpus "$OLDPWD/$corpus"
