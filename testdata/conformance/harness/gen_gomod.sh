#!/usr/bin/env bash
# Writes the harness module for one kubelet release:
#
#   testdata/conformance/harness/gen_gomod.sh 1.37.2
#
# creates harness/v1.37/{go.mod,go.sum,deps.go}: k8s.io/kubernetes required at
# v1.37.2 and every staging module its go.mod replaces with ./staging/src/...
# replaced by the matching published v0.37.2 release (the usual way to import
# k8s.io/kubernetes). The staging list is read from that release's own go.mod,
# so a module added or dropped upstream follows by itself. Needs the Go module
# proxy; run.sh only reads the committed result.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
release=${1:?usage: gen_gomod.sh 1.X.Y}
minor=${release%.*}
staging_version=v0.${release#1.}
dir="$here/v$minor"
mkdir -p "$dir"
cd "$dir"
rm -f go.mod go.sum
go mod init "svcenv.test/conformance/kubelet-$minor" 2>/dev/null
go mod edit -go=1.26
k8s_mod=$(go mod download -json "k8s.io/kubernetes@v$release" |
  sed -nE 's/^\s*"GoMod": "(.*)",?$/\1/p')
go mod edit -require="k8s.io/kubernetes@v$release"
sed -nE 's#^\s*(k8s\.io/[a-z0-9-]+) => \./staging/src/.*#\1#p' "$k8s_mod" |
  while read -r module; do
    go mod edit -replace="$module=$module@$staging_version"
  done
cat >deps.go <<GO
// Package deps keeps the kubelet package, whose tests the harness extends
// (../kubelet/svcenv_conformance_test.go), in this module's build list.
package deps

import _ "k8s.io/kubernetes/pkg/kubelet"
GO
go mod tidy >/dev/null
go get -t "k8s.io/kubernetes/pkg/kubelet@v$release" >/dev/null 2>&1
go mod edit -go=1.26
