#!/usr/bin/env bash
# The real binary's choice of input without -f: with standard input a
# terminal (a pty from script(1)) it reads the cluster; with /dev/null (CI)
# it reads standard input, finds nothing and exits 2 without calling
# kubectl. The fake kubectl logs each call.
#   tools/stdin_terminal_test.sh PATH_TO_SVCENV
set -euo pipefail
svcenv=$(realpath "${1:?usage: stdin_terminal_test.sh PATH_TO_SVCENV}")
fake=$(realpath testdata/live/fake-kubectl)
export FAKE_KUBECTL_LOG=${TEST_TMPDIR:-/tmp}/stdin_terminal.$$.log
trap 'rm -f "$FAKE_KUBECTL_LOG"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -f "$FAKE_KUBECTL_LOG"
set +e
err=$("$svcenv" services -n shop --kubectl "$fake" 2>&1 </dev/null >/dev/null)
code=$?
set -e
((code == 2)) || fail "/dev/null: exit $code ($err)"
[[ $err == *"reading objects from standard input"* ]] || fail "note: $err"
[[ ! -s $FAKE_KUBECTL_LOG ]] || fail "kubectl called: $(cat "$FAKE_KUBECTL_LOG")"

if command -v script >/dev/null; then
  out=$(script -qec "'$svcenv' services -n shop --kubectl '$fake'" /dev/null)
  grep -q 'KUBERNETES_SERVICE_HOST=' <<<"$out" || fail "terminal: $out"
  grep -q 'get services -n shop' "$FAKE_KUBECTL_LOG" ||
    fail "terminal: kubectl not called"
else
  echo "script(1) missing: terminal case not run" >&2
fi
echo "PASS"
