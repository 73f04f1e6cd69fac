#!/usr/bin/env bash
# The CMake half of CI (.ci/run calls it): configure, build and ctest; install
# into a fresh prefix; build and run examples/cmake_consumer against that
# install; `go test` of bindings/go/svcenv linked against it. Prints how long
# each step took.
#
#   cmake/ci.sh [BUILD_DIR]   (default: a temporary directory)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
build=${1:-$scratch/build}
prefix=$scratch/prefix
jobs=2

step() {
  local name=$1
  shift
  echo "+ $*"
  local start=$SECONDS
  "$@"
  echo "cmake/ci.sh: $name took $((SECONDS - start))s"
}

# Unoptimized and without debug info, as Bazel's default (fastbuild): the
# quickest build on CI's two cores; the tests are the same.
step configure cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG=-O0 -DCMAKE_C_FLAGS_DEBUG=-O0
step build cmake --build "$build" -j"$jobs"
step ctest ctest --test-dir "$build" --output-on-failure -j"$jobs"
step install cmake --install "$build" --prefix "$prefix"

# The consumer: a separate project finding the installed package, building
# README.md's library example, run where it expects manifests/.
consumer=$scratch/consumer
step consumer-configure cmake -S examples/cmake_consumer -B "$consumer" \
  -DCMAKE_PREFIX_PATH="$prefix"
step consumer-build cmake --build "$consumer" -j"$jobs"
mkdir -p "$scratch/run"
cp -r testdata/examples/guestbook "$scratch/run/manifests"
for program in readme_example readme_example_static; do
  out=$(cd "$scratch/run" && "$consumer/$program")
  for want in "REDIS_ADDR=10.96.12.7:6379  # env value" \
              "REDIS_PORT_6379_TCP_ADDR=10.96.12.7  # Service guestbook/redis port 6379/TCP"; do
    if ! grep -qxF "$want" <<<"$out"; then
      echo "cmake/ci.sh: $program did not print: $want" >&2
      echo "$out" >&2
      exit 1
    fi
  done
  echo "cmake/ci.sh: consumer $program PASSED"
done

# The Go bindings, linked against the fresh install through pkg-config.
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
export GOPROXY=off  # no third-party modules: never reach the network
# A build cache of this run only: Go's cache key for a cgo package does not
# cover pkg-config's output, so a package compiled by an earlier run would
# link against that run's (deleted) install prefix. Also, CI may have no
# $HOME.
export GOCACHE=$scratch/go-cache
if [[ -z ${HOME:-} ]]; then
  export GOPATH=$scratch/go
fi
(cd bindings/go/svcenv && step go-test go test -count=1 -v ./...)
