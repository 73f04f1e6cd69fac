#!/usr/bin/env bash
# Ends the processes start.sh STATE_DIR started (by the ids it recorded),
# kube-apiserver first, and waits for them.
#   stop.sh STATE_DIR
state=${1:?usage: stop.sh STATE_DIR}
[[ -f $state/pids ]] || exit 0
mapfile -t pids < <(tac "$state/pids")
for pid in "${pids[@]}"; do
  kill "$pid" 2>/dev/null || continue
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
done
: >"$state/pids"
