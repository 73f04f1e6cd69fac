#!/usr/bin/env bash
# tools/ parses flags, calls the library and formats: no Kubernetes rule
# lives here (docs/architecture.md). This greps the command files for the
# markers of the rules that once did: the default/kubernetes Service written
# by hand, Service variable names built by hand, creation times compared,
# the cluster-IP stand-in and Service visibility decided here.
# Each marker names the library function to call instead.
set -euo pipefail
status=0
check() {
  local pattern=$1 instead=$2
  local hits
  # Tests, and comments (a line whose code part is empty), may name them.
  hits=$(grep -nE "$pattern" tools/*.cc tools/*.h |
         grep -vE '^tools/[a-z_]+_test\.cc:' |
         grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' || true)
  if [[ -n $hits ]]; then
    echo "a Kubernetes rule in tools/ (use $instead):"
    echo "$hits"
    status=1
  fi
}
check '"kubernetes"|== *"default"' 'IsMasterService, kMasterServiceName (service_env.h)'
check '"_SERVICE_(HOST|PORT)|"_PORT_' 'ServicePortVariable, AppendServiceVariables (service_env.h)'
check 'unix_seconds *[<>=]' 'PresenceAtStart, StartOfContainer (container_start.h)'
check 'cluster_ip *(==|!=)|"None"' 'IsServiceIPSet (service_env.h), HasPendingClusterIp (pending_cluster_ip.h)'
check 'enable_service_links\.value_or' 'VisibleServices / Analyze (container_analysis.h)'
check '"<cluster IP>"' 'kPendingClusterIp (pending_cluster_ip.h)'
# The files are there: an empty glob would pass silently.
n=$(ls tools/*_command.cc | wc -l)
if (( n < 5 )); then
  echo "expected the command files under tools/, found $n"
  status=1
fi
if (( status == 0 )); then echo "tools/: no Kubernetes rule markers in $n command files and their helpers"; fi
exit $status
