#!/usr/bin/env bash
# Differential test of svcenv's YAML reading against kubectl's converter.
#
#   testdata/differential/run.sh [FILE...]   (default: the committed corpus)
#
# Builds kubectl_yaml2json.go offline in GOPATH mode against Debian's
# sigs.k8s.io/yaml and go-yaml v2 (`tools/install_deps.sh go` installs them)
# and svcenv's side (//testdata/differential:svcenv_yaml2json, the decoder's
# YAML-to-JSON layer), runs both over every YAML file of the committed corpus
# (testdata/**/*.yaml|yml and the YAML decoder's fuzz corpus) and compares:
# each document must convert to the same JSON value, and a file must be
# refused by both or by neither. A difference fails the test unless the file
# is listed in known_differences.txt with the reason. Run by .ci/run; prints
# "//testdata/differential:run.sh PASSED" or "FAILED" as its last line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
here=testdata/differential

tools/install_deps.sh go
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# kubectl's side, offline. Go keeps its build cache under $HOME, which CI may
# not have: a scratch cache (a few seconds to rebuild go-yaml).
GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= \
  GOCACHE="$work/go-cache" go build -o "$work/kubectl_yaml2json" \
  "$here/kubectl_yaml2json.go"

# svcenv's side.
./bazelw build //testdata/differential:svcenv_yaml2json
svcenv_yaml2json=$(./bazelw info bazel-bin 2>/dev/null)/testdata/differential/svcenv_yaml2json

if (($#)); then
  files=("$@")
else
  mapfile -t files < <(
    { find testdata -type f \( -name '*.yaml' -o -name '*.yml' \)
      find testdata/fuzz/yaml_decoder -type f; } | LC_ALL=C sort -u)
fi
"$work/kubectl_yaml2json" "${files[@]}" >"$work/kubectl.out"
"$svcenv_yaml2json" "${files[@]}" >"$work/svcenv.out"

if python3 "$here/compare.py" "$work/kubectl.out" "$work/svcenv.out" \
    "$here/known_differences.txt"; then
  echo "//testdata/differential:run.sh PASSED"
else
  echo "//testdata/differential:run.sh FAILED"
  exit 1
fi
