#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy at the versions
# go.mod pins (k8s.io/kubernetes, go.etcd.io/etcd/server/v3), into DIR
# (default: $SVCENV_LIVE_BIN, else bin/ beside this script). Nothing is
# downloaded but Go modules. Go's build cache makes a second build cheap
# (cold about 2.5 min on 2 cores, warm about 10 s: docs/live.md).
#   build.sh [DIR] [kubectl]    (kubectl: also cmd/kubectl, for a machine
#                               without one)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-${SVCENV_LIVE_BIN:-$here/bin}}
mkdir -p "$out"
version=$(sed -n 's/^kubernetes_version=//p' "$here/versions.txt")
minor=${version#v1.}
minor=${minor%%.*}
# What `kube-apiserver --version` and /version report; without it a module
# build says v0.0.0-master, which kubectl's version skew check dislikes.
ldflags="-X k8s.io/component-base/version.gitVersion=${version}"
ldflags+=" -X k8s.io/component-base/version.gitMajor=1"
ldflags+=" -X k8s.io/component-base/version.gitMinor=${minor}"
ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
cd "$here"
# -mod=readonly: go.sum is committed; a build never rewrites it.
go build -mod=readonly -ldflags "$ldflags" -o "$out/kube-apiserver" \
  k8s.io/kubernetes/cmd/kube-apiserver
go build -mod=readonly -o "$out/etcd" go.etcd.io/etcd/server/v3
if [[ ${2:-} == kubectl ]]; then
  go build -mod=readonly -ldflags "$ldflags" -o "$out/kubectl" \
    k8s.io/kubernetes/cmd/kubectl
fi
