#!/usr/bin/env bash
# svcenv installed as the kubectl plugin `kubectl-svcenv`: kubectl runs it by
# that name, and its help and messages must say `kubectl svcenv`. Runs the
# real binary through a symlink of that name, against the fake kubectl.
#   tools/plugin_test.sh PATH_TO_SVCENV
set -euo pipefail
svcenv=$(realpath "${1:?usage: plugin_test.sh PATH_TO_SVCENV}")
fake=$(realpath testdata/live/fake-kubectl)
bin=${TEST_TMPDIR:-/tmp}/plugin_bin.$$
mkdir -p "$bin"
trap 'rm -rf "$bin"' EXIT
ln -sf "$svcenv" "$bin/kubectl-svcenv"
fail() { echo "FAIL: $*" >&2; exit 1; }

help=$("$bin/kubectl-svcenv" help env)
[[ $help == "Usage: kubectl svcenv env "* ]] || fail "help: $help"
usage=$("$bin/kubectl-svcenv" --help)
grep -q '^Usage: kubectl svcenv COMMAND' <<<"$usage" || fail "usage: $usage"

out=$(PATH="$bin:$PATH" kubectl-svcenv env web-7d4b9c-x2k8p -n shop \
  --live --kubectl "$fake")
grep -qx 'LOG_LEVEL=info' <<<"$out" || fail "env output: $out"

set +e
err=$("$bin/kubectl-svcenv" env nope -n shop --live --kubectl "$fake" 2>&1 >/dev/null)
code=$?
set -e
((code == 2)) || fail "exit code $code for a missing pod"
[[ $err == "kubectl svcenv env: "*'pods "nope" not found'* ]] ||
  fail "message: $err"

# The same binary under its own name still says svcenv.
[[ $("$svcenv" help env) == "Usage: svcenv env "* ]] || fail "svcenv help"
echo "PASS"
