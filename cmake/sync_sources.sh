#!/usr/bin/env bash
# Regenerates cmake/bazel_targets.cmake, CMake's list of targets, sources,
# headers, dependencies, copts and test arguments, from the BUILD.bazel files
# (Bazel is the primary build). Run it after changing any BUILD.bazel file or
# third_party/system/BUILD.system, and commit the result.
#
#   cmake/sync_sources.sh          rewrite the file
#   cmake/sync_sources.sh --check  exit 1 if the committed file is stale
#                                  (.ci/run does this)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out=cmake/bazel_targets.cmake
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Bazel prints progress on stderr; keep it out of the way unless it fails.
query() {
  if ! ./bazelw query --noshow_progress "$1" --output=xml >"$2" 2>"$tmp/err"; then
    cat "$tmp/err" >&2
    exit 2
  fi
}
query 'kind("cc_(library|binary|test) rule", //...)' "$tmp/cc.xml"
query 'kind("cc_library rule", @system//:all)' "$tmp/system.xml"
python3 cmake/bazel_to_cmake.py "$tmp/cc.xml" "$tmp/system.xml" >"$tmp/new"

if [[ ${1:-} == --check ]]; then
  if ! diff -u "$out" "$tmp/new"; then
    echo "cmake/sync_sources.sh: $out is stale: the BUILD.bazel files changed." >&2
    echo "Run cmake/sync_sources.sh and commit $out." >&2
    exit 1
  fi
  echo "cmake/sync_sources.sh: $out matches the BUILD.bazel files."
  exit 0
fi
cp "$tmp/new" "$out"
echo "cmake/sync_sources.sh: wrote $out"
