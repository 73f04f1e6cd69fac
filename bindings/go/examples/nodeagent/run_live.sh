#!/usr/bin/env bash
# Tests the svcenv/k8s package, builds the example node agent against the
# svcenv installed at PREFIX (cgo, through pkg-config) and runs it against
# the API server KUBECONFIG points at, printing the env of pod shop/web.
# testdata/live/run.sh calls it once it has created that pod.
#   run_live.sh KUBECONFIG PREFIX
set -euo pipefail
kubeconfig=${1:?usage: run_live.sh KUBECONFIG PREFIX}
prefix=${2:?usage: run_live.sh KUBECONFIG PREFIX}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$here/../../svcenv/k8s" && go test -mod=readonly -count=1 ./... >&2)
(cd "$here/.." && go build -mod=readonly -o "$out/nodeagent" ./nodeagent)
"$out/nodeagent" --kubeconfig "$kubeconfig" --namespace shop --pod web --timeout 60s
