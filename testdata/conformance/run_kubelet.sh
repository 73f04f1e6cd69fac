#!/usr/bin/env bash
# Runs the real kubelet of one release over a file of cases:
#
#   testdata/conformance/run_kubelet.sh 1.37 CASES.jsonl OUT.jsonl
#
# Builds k8s.io/kubernetes/pkg/kubelet's tests (from the module cache, at the
# release harness/v1.37/go.mod pins) with harness/kubelet/*.go added through
# `go test -overlay`, and runs TestSvcenvConformance only. Needs the Go
# module proxy the first time; the Go build cache makes later runs cheap.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
minor=${1:?usage: run_kubelet.sh 1.X CASES OUT}
cases=$(realpath "$2")
out=$(realpath -m "$3")
module="$here/harness/v$minor"
cd "$module"
version=$(sed -nE 's#^require k8s\.io/kubernetes (v[0-9.]+)$#\1#p;s#^\s+k8s\.io/kubernetes (v[0-9.]+)$#\1#p' go.mod | head -1)
go mod download "k8s.io/kubernetes@$version"
source_dir=$(go mod download -json "k8s.io/kubernetes@$version" |
  sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p')
# `go test -overlay` may not add files beneath GOMODCACHE, so the module is
# seen through a tree of symbolic links to it at a fixed path (a fixed path
# keeps the Go build cache warm across runs and clones) and the harness
# module is built with a copy of its go.mod that replaces k8s.io/kubernetes
# by that tree. Nothing is copied: the links point into the module cache.
cache=${SVCENV_CONFORMANCE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/svcenv-conformance}
tree="$cache/kubernetes@$version"
if [[ ! -f "$tree/.complete" ]]; then
  rm -rf "$tree"
  mkdir -p "$cache"
  cp -rs "$source_dir" "$tree"
  chmod -R u+w "$tree"
  touch "$tree/.complete"
fi
modfile="$cache/v$minor.mod"
cp go.mod "$modfile"
cp go.sum "$cache/v$minor.sum"
go mod edit -modfile="$modfile" -replace="k8s.io/kubernetes=$tree"
kubelet_dir="$tree/pkg/kubelet"
# makeEnvironmentVariables takes a context from 1.36 on.
if ((${minor#1.} >= 36)); then call=call_ctx.go; else call=call_noctx.go; fi
overlay="$cache/v$minor.overlay.json"
cat >"$overlay" <<JSON
{"Replace": {
  "$kubelet_dir/zz_svcenv_conformance_test.go": "$here/harness/kubelet/svcenv_conformance_test.go",
  "$kubelet_dir/zz_svcenv_call_test.go": "$here/harness/kubelet/$call"}}
JSON
SVCENV_CASES="$cases" SVCENV_OUT="$out" go test -mod=mod -count=1 -modfile="$modfile" \
  -overlay "$overlay" -run '^TestSvcenvConformance$' \
  k8s.io/kubernetes/pkg/kubelet >&2
