#!/bin/sh
# Usage: node_agent_test.sh NODE_AGENT EVENTS EXPECTED
# Set UPDATE_GOLDEN=1 (with `bazel run`) to print the new expected output.
set -eu
agent="$1"; events="$2"; expected="$3"
actual="${TEST_TMPDIR:-/tmp}/node_agent_actual.txt"
"$agent" "$events" > "$actual"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cat "$actual"; exit 0; fi
diff -u "$expected" "$actual"
