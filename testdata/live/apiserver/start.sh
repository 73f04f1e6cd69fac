#!/usr/bin/env bash
# Starts etcd and kube-apiserver on loopback for svcenv's live-mode tests and
# returns once the API server is ready. Everything lives under STATE_DIR
# (created): etcd's data, the serving certificates the API server generates
# for itself, a service-account key, the static token file and
#
#   STATE_DIR/kubeconfig   contexts "admin" (system:masters, the default) and
#                          "dev" (a user with no rights until RBAC grants some)
#   STATE_DIR/pids         the two processes' ids (stop.sh STATE_DIR ends them)
#   STATE_DIR/*.log        their output, to read when something fails
#
# Ports are free ones the kernel picks; no Kubernetes controller, scheduler
# or kubelet runs (pods stay Pending). The binaries come from build.sh
# (BIN_DIR, default $SVCENV_LIVE_BIN, else bin/ beside this script).
#   start.sh STATE_DIR [BIN_DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${1:?usage: start.sh STATE_DIR [BIN_DIR]}
bin=${2:-${SVCENV_LIVE_BIN:-$here/bin}}
for b in etcd kube-apiserver; do
  [[ -x $bin/$b ]] || { echo "start.sh: no $bin/$b (run build.sh first)" >&2; exit 2; }
done
mkdir -p "$state"
state=$(cd "$state" && pwd)
: >"$state/pids"

# Free loopback ports: bound to port 0 and closed again. Another process
# could take one in between; start.sh then fails saying which.
read -r etcd_client etcd_peer api_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

fail() {
  echo "start.sh: $1; its log, $2:" >&2
  tail -n 30 "$2" >&2
  "$here/stop.sh" "$state"
  exit 1
}

"$bin/etcd" --name live --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_client" \
  --advertise-client-urls "http://127.0.0.1:$etcd_client" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "live=http://127.0.0.1:$etcd_peer" \
  --unsafe-no-fsync >"$state/etcd.log" 2>&1 &
echo $! >>"$state/pids"

# Tokens: token,user,uid,"groups". admin is in system:masters (every right);
# dev in no group but system:authenticated, which RBAC's defaults give
# discovery only: the tests grant it what they need.
cat >"$state/tokens.csv" <<TOKENS
admin-token-0123456789,admin,uid-admin,"system:masters"
dev-token-0123456789,dev,uid-dev
TOKENS
openssl genrsa -out "$state/sa.key" 2048 2>/dev/null

"$bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$etcd_client" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
  --secure-port "$api_port" --cert-dir "$state/certs" \
  --token-auth-file "$state/tokens.csv" \
  --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc \
  --service-account-key-file "$state/sa.key" \
  --service-account-signing-key-file "$state/sa.key" \
  --service-cluster-ip-range 10.96.0.0/16 \
  >"$state/kube-apiserver.log" 2>&1 &
echo $! >>"$state/pids"

server="https://127.0.0.1:$api_port"
cat >"$state/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: live
  cluster:
    server: $server
    certificate-authority: $state/certs/apiserver.crt
users:
- name: admin
  user:
    token: admin-token-0123456789
- name: dev
  user:
    token: dev-token-0123456789
contexts:
- name: admin
  context: {cluster: live, user: admin}
- name: dev
  context: {cluster: live, user: dev}
current-context: admin
KUBECONFIG

# Ready: /readyz answers ok once etcd is reached and the bootstrap
# (default/kubernetes, RBAC's default roles) is done. 90 s at most.
for ((i = 0; i < 180; i++)); do
  kill -0 "$(sed -n 1p "$state/pids")" 2>/dev/null || fail "etcd exited" "$state/etcd.log"
  kill -0 "$(sed -n 2p "$state/pids")" 2>/dev/null ||
    fail "kube-apiserver exited" "$state/kube-apiserver.log"
  if [[ -f $state/certs/apiserver.crt ]] &&
    [[ $(kubectl --kubeconfig "$state/kubeconfig" get --raw /readyz 2>/dev/null) == ok ]]; then
    echo "start.sh: kube-apiserver $("$bin/kube-apiserver" --version | cut -d' ' -f2) ready at $server ($((i / 2)) s)"
    exit 0
  fi
  sleep 0.5
done
fail "kube-apiserver not ready after 90 s" "$state/kube-apiserver.log"
