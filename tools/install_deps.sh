#!/usr/bin/env bash
# Installs, from Debian's packages, what a build needs and this machine lacks.
# With everything present it only checks a few paths. One list for every
# build: ./bazelw runs `tools/install_deps.sh bazel`, .ci/run adds the rest.
#
#   tools/install_deps.sh [GROUP...]   (default: bazel)
#     bazel   Bazel, the libraries (headers and .a/.so) both builds use and
#             the Python modules of the shell tests
#     cmake   the libraries and Python modules plus cmake and pkg-config
#     go      the Go toolchain for bindings/go (golang-go) and kubectl's YAML
#             converter for testdata/differential (sigs.k8s.io/yaml, go-yaml v2)
#     bench   what bench/ compares against (python3-yaml with its libyaml
#             CSafeLoader)
set -euo pipefail

# package:marker pairs; the marker is one file the package installs, cheaper
# to test than asking dpkg.
libraries=(
  libabsl-dev:/usr/include/absl/status/statusor.h
  nlohmann-json3-dev:/usr/include/nlohmann/json.hpp
  libgtest-dev:/usr/include/gtest/gtest.h
  libgmock-dev:/usr/include/gmock/gmock.h
  libbenchmark-dev:/usr/include/benchmark/benchmark.h
  libyaml-dev:/usr/include/yaml.h
)
# Debian's /usr/bin/python3 runs two shell tests: python3-jsonschema
# validates SARIF reports against the SARIF 2.1.0 schema
# (//tools:check_sarif_schema_test), python3-yaml reads action.yml and
# .pre-commit-hooks.yaml (//tools:check_integrations_test).
python=(python3-jsonschema:/usr/lib/python3/dist-packages/jsonschema/__init__.py
        python3-yaml:/usr/lib/python3/dist-packages/yaml/__init__.py)
bazel=(bazel-bootstrap:/usr/bin/bazel "${libraries[@]}" "${python[@]}")
cmake=(cmake:/usr/bin/cmake pkg-config:/usr/bin/pkg-config
       g++:/usr/bin/g++ "${libraries[@]}" "${python[@]}")
go=(golang-go:/usr/bin/go
    golang-k8s-sigs-yaml-dev:/usr/share/gocode/src/sigs.k8s.io/yaml/yaml.go
    golang-gopkg-yaml.v2-dev:/usr/share/gocode/src/gopkg.in/yaml.v2/yaml.go)
bench=(python3-yaml:/usr/lib/python3/dist-packages/yaml/__init__.py)

(($#)) || set -- bazel
missing=()
for group in "$@"; do
  case $group in
    bazel) wanted=("${bazel[@]}") ;;
    cmake) wanted=("${cmake[@]}") ;;
    go) wanted=("${go[@]}") ;;
    bench) wanted=("${bench[@]}") ;;
    *) echo "install_deps.sh: unknown group '$group' (bazel, cmake, go, bench)" >&2
       exit 2 ;;
  esac
  for pair in "${wanted[@]}"; do
    package=${pair%%:*}
    [[ -e ${pair#*:} ]] && continue
    [[ " ${missing[*]} " == *" $package "* ]] || missing+=("$package")
  done
done
((${#missing[@]})) || exit 0

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install_deps.sh: missing packages: ${missing[*]}" >&2
  echo "install_deps.sh: run as root or with password-less sudo, or install them:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi
echo "install_deps.sh: installing ${missing[*]}" >&2
# Another apt (e.g. a second build starting) holds the lock: wait for it.
lock=(-o DPkg::Lock::Timeout=600)
"${as_root[@]}" apt-get "${lock[@]}" update -qq >&2
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get "${lock[@]}" install -y -qq \
  --no-install-recommends "${missing[@]}" >&2
