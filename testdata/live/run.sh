#!/usr/bin/env bash
# svcenv's live mode against a real API server through the real kubectl:
# starts etcd and kube-apiserver (apiserver/start.sh) on loopback, creates
# real/shop.yaml and real/dev-rbac.yaml through kubectl (the server
# allocates cluster IPs, sets creationTimestamp and the defaults, validates),
# then runs `svcenv env|why|services|check` without -f as a user would, as
# admin and as "dev" who may not read Secrets, and the Go node agent example
# (bindings/go/examples/nodeagent) fed by a client-go informer. No kubelet
# runs: the pod stays Pending. `diff` (kubectl exec into a running container)
# stays with the fake kubectl (tools/live_test.cc).
#
# Builds what is missing: kube-apiserver and etcd from the Go module proxy
# (apiserver/build.sh, kept under $SVCENV_LIVE_CACHE by go.sum's hash) and
# libsvcenv + the svcenv CLI with CMake. Prints one
# "//testdata/live:run.sh/CASE PASSED|FAILED" line per case (.ci/run counts
# them), and on a failure the command, what was expected and what it printed.
#   testdata/live/run.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
here=$root/testdata/live
start_time=$SECONDS

# Go's caches (and ours) need a home; CI may have none.
if [[ -z ${HOME:-} ]]; then
  export GOPATH=/var/tmp/svcenv-go GOCACHE=/var/tmp/svcenv-go/cache
fi
cache=${SVCENV_LIVE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/svcenv-live}
work=$(mktemp -d)
state=$work/cluster
cleanup() {
  "$here/apiserver/stop.sh" "$state"
  rm -rf "$work"
}
trap cleanup EXIT

die() {
  echo "testdata/live/run.sh: $*" >&2
  echo "//testdata/live:run.sh FAILED"
  exit 1
}
timed() {
  local name=$1 t=$SECONDS
  shift
  "$@" || die "$name failed"
  echo "testdata/live/run.sh: $name took $((SECONDS - t))s"
}

for tool in go cmake python3 openssl; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH (tools/install_deps.sh cmake go)"
done

# kube-apiserver and etcd, by the hash of what pins them.
key=$(cat "$here/apiserver/versions.txt" "$here/apiserver/go.sum" \
  <(go version) | sha256sum | cut -c1-16)
bin=$cache/bin-$key
if [[ ! -x $bin/kube-apiserver || ! -x $bin/etcd ]]; then
  timed "building kube-apiserver and etcd" "$here/apiserver/build.sh" "$bin.tmp"
  rm -rf "$bin" && mv "$bin.tmp" "$bin"
fi
# The machine image has kubectl (/usr/bin/kubectl); else the release's own.
if ! command -v kubectl >/dev/null; then
  if [[ ! -x $bin/kubectl ]]; then
    timed "building kubectl" "$here/apiserver/build.sh" "$bin" kubectl
  fi
  export PATH=$bin:$PATH
fi
echo "testdata/live/run.sh: $(command -v kubectl): $(kubectl version --client 2>/dev/null | head -1)"
# libsvcenv and the CLI, installed where the Go agent's pkg-config finds
# them. A fixed prefix: Go's cache key for a cgo package does not cover
# pkg-config's output, and a prefix that moved would leave stale -L flags.
prefix=$cache/svcenv-prefix
# A CMake build directory belongs to one source directory: one per clone.
cmake_build=$cache/cmake-$(sha256sum <<<"$root" | cut -c1-12)
# CMake's output only when it fails.
quiet() {
  "$@" >"$work/quiet.log" 2>&1 && return 0
  tail -n 40 "$work/quiet.log" >&2
  return 1
}
timed "configuring svcenv (CMake)" quiet cmake -S . -B "$cmake_build" \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 -DCMAKE_C_FLAGS_DEBUG=-O0
timed "building libsvcenv and svcenv" quiet cmake --build "$cmake_build" -j2 \
  --target svcenv_static svcenv_shared svcenv_tools_svcenv
rm -rf "$prefix"
timed "installing svcenv" quiet cmake --install "$cmake_build" --prefix "$prefix"
svcenv=$prefix/bin/svcenv
[[ -x $svcenv ]] || die "no $svcenv after the install"

timed "starting etcd and kube-apiserver" "$here/apiserver/start.sh" "$state" "$bin"
kubeconfig=$state/kubeconfig
k() { kubectl --kubeconfig "$kubeconfig" "$@"; }
k create namespace shop >/dev/null || die "kubectl create namespace shop failed"
k apply -f "$here/real/shop.yaml" -f "$here/real/dev-rbac.yaml" >/dev/null ||
  die "kubectl apply of real/shop.yaml, real/dev-rbac.yaml failed"

# What the server decided, read back through kubectl: the expectations use
# it instead of numbers written here.
api_ip=$(k get service api -n shop -o 'jsonpath={.spec.clusterIP}')
cache_ip=$(k get service cache -n shop -o 'jsonpath={.spec.clusterIP}')
master_ip=$(k get service kubernetes -n default -o 'jsonpath={.spec.clusterIP}')
master_port=$(k get service kubernetes -n default -o 'jsonpath={.spec.ports[0].port}')
[[ -n $api_ip && -n $cache_ip && -n $master_ip ]] || die "the Services have no cluster IPs"

passed=0
failed=0
# case NAME WANT_EXIT -- COMMAND...; then expect/expect_err/reject lines
# about its stdout ($out) and stderr ($err); end ends the case.
case_name=""
case_ok=1
run_case() {
  case_name=$1 want_exit=$2
  shift 3
  case_cmd="$*"
  case_ok=1
  out=$("$@" 2>"$work/err")
  code=$?
  err=$(<"$work/err")
  if [[ $code != "$want_exit" ]]; then
    note "exit code $code, expected $want_exit"
  fi
}
note() {
  if ((case_ok)); then
    echo "--- $case_name: $case_cmd" >&2
  fi
  case_ok=0
  echo "    $*" >&2
}
expect() {  # a whole line of stdout
  grep -qxF -- "$1" <<<"$out" || note "stdout lacks the line: $1"
}
expect_err() {  # a part of stderr
  grep -qF -- "$1" <<<"$err" || note "stderr lacks: $1"
}
reject() {  # a part that must not be in stdout or stderr
  ! grep -qF -- "$1" <<<"$out$err" || note "printed what it must not: $1"
}
end() {
  if ((case_ok)); then
    passed=$((passed + 1))
    echo "//testdata/live:run.sh/$case_name PASSED"
  else
    echo "    stdout:" >&2
    sed 's/^/      /' <<<"$out" >&2
    echo "    stderr:" >&2
    sed 's/^/      /' <<<"$err" >&2
    failed=$((failed + 1))
    echo "//testdata/live:run.sh/$case_name FAILED"
  fi
}

run_case env_as_admin 0 -- "$svcenv" env web -n shop --kubeconfig "$kubeconfig"
expect "LOG_LEVEL=info"
expect "CFG_MODE=live"
expect "POD_NAME=web"
expect "DB_PASSWORD=<secret shop/db key password>"
expect "API_URL=http://$api_ip:8080/v1"
expect "API_SERVICE_HOST=$api_ip"
expect "API_SERVICE_PORT_HTTP=8080"
expect "CACHE_PORT=udp://$cache_ip:11211"
expect "KUBERNETES_SERVICE_HOST=$master_ip"
expect "KUBERNETES_SERVICE_PORT=$master_port"
expect "KUBERNETES_SERVICE_PORT_HTTPS=$master_port"
# The pod is Pending and never started: no Service is late for it.
reject "same second"
reject "created after"
reject "s3cr3t-from-the-server"
end

run_case env_show_secrets_with_context 0 -- "$svcenv" env web -n shop \
  --kubeconfig "$kubeconfig" --context admin --show-secrets
expect "DB_PASSWORD=s3cr3t-from-the-server"
expect "DSN=postgres://app:s3cr3t-from-the-server@db/app"
end

run_case env_json 0 -- "$svcenv" env web -n shop --kubeconfig "$kubeconfig" -o json
python3 -c '
import json, sys
doc = json.load(sys.stdin)
env = {v["name"]: v for v in doc["env"]}
assert env["API_SERVICE_HOST"]["source"]["kind"] == "Service", env["API_SERVICE_HOST"]
assert env["LOG_LEVEL"]["source"]["kind"] == "ConfigMap", env["LOG_LEVEL"]
assert doc["pod"] == {"namespace": "shop", "name": "web"}, doc["pod"]
' <<<"$out" 2>"$work/py" || note "the JSON is not as expected: $(<"$work/py")"
end

# RBAC: dev may read pods, Services and ConfigMaps but not Secrets.
run_case env_forbidden_secret_is_a_placeholder 1 -- "$svcenv" env web -n shop \
  --kubeconfig "$kubeconfig" --context dev
expect "DB_PASSWORD=<unknown: Secret shop/db key password>"
expect "DSN=<unknown: expands an unknown variable>"
expect "API_URL=http://$api_ip:8080/v1"
expect "KUBERNETES_SERVICE_HOST=$master_ip"
expect_err "warning: cannot read Secret shop/db: kubectl says it is Forbidden"
expect_err 'User "dev" cannot get resource "secrets"'
end

run_case why_expansion 0 -- "$svcenv" why web API_URL -n shop --kubeconfig "$kubeconfig"
expect "API_URL=http://$api_ip:8080/v1"
grep -qF "\$(API_SERVICE_HOST) = $api_ip  from Service shop/api" <<<"$out" ||
  note "stdout lacks the expansion of \$(API_SERVICE_HOST) from Service shop/api"
end

run_case why_absent_is_exit_1 1 -- "$svcenv" why web NOPE_SERVICE_HOST -n shop \
  --kubeconfig "$kubeconfig"
grep -qF "has no NOPE_SERVICE_HOST" <<<"$out" || note "stdout does not say it has no NOPE_SERVICE_HOST"
end

run_case services_as_dev 0 -- "$svcenv" services -n shop --kubeconfig "$kubeconfig" --context dev
expect "API_SERVICE_HOST=$api_ip"
expect "CACHE_SERVICE_HOST=$cache_ip"
expect "KUBERNETES_SERVICE_HOST=$master_ip"
end

run_case check_as_admin 0 -- "$svcenv" check -n shop --kubeconfig "$kubeconfig"
# The pod is Pending: nothing is late for it, and nothing else is wrong.
expect "no findings in 1 container of 1 workload, 3 Services"
end

run_case check_forbidden_secrets_warns 0 -- "$svcenv" check -n shop \
  --kubeconfig "$kubeconfig" --context dev
expect_err "warning: cannot read Secrets (kubectl says it is Forbidden for you)"
reject "container-refused"
end

run_case missing_pod_is_kubectls_message 2 -- "$svcenv" env nope -n shop --kubeconfig "$kubeconfig"
expect_err 'Error from server (NotFound): pods "nope" not found'
end

run_case missing_namespace_is_kubectls_message 2 -- "$svcenv" env web -n nowhere \
  --kubeconfig "$kubeconfig"
expect_err 'Error from server (NotFound): namespaces "nowhere" not found'
end

# kubectl lists a namespace that does not exist as empty, exit 0; check
# must not call that green.
run_case check_missing_namespace_is_kubectls_message 2 -- "$svcenv" check \
  -n nowhere --kubeconfig "$kubeconfig"
expect_err 'Error from server (NotFound): namespaces "nowhere" not found'
reject "no findings"
end

run_case pod_forbidden_is_kubectls_message 2 -- "$svcenv" env web -n kube-system \
  --kubeconfig "$kubeconfig" --context dev
expect_err 'Error from server (Forbidden): pods "web" is forbidden: User "dev" cannot get resource "pods"'
end

run_case unknown_context_is_exit_2 2 -- "$svcenv" env web -n shop \
  --kubeconfig "$kubeconfig" --context nosuch
expect_err 'context "nosuch" does not exist'
end

# The server's validation, not svcenv's: a pod it refuses never exists, and
# svcenv says what kubectl says.
# The server's validation, not svcenv's: a pod it refuses is never created,
# and svcenv then says what kubectl says.
k create -f - >/dev/null 2>"$work/validation" <<'POD'
{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bad", "namespace": "shop"},
 "spec": {"containers": [{"name": "bad", "image": "x", "env": [{"name": "", "value": "v"}]}]}}
POD
run_case server_validation_refuses 2 -- "$svcenv" env bad -n shop --kubeconfig "$kubeconfig"
grep -qF 'spec.containers[0].env[0].name: Required value' "$work/validation" ||
  note "kubectl did not print the server's validation error: $(<"$work/validation")"
expect_err 'pods "bad" not found'
end

"$here/../../bindings/go/examples/nodeagent/run_live.sh" "$kubeconfig" "$prefix" \
  >"$work/agent.out" 2>"$work/agent.err"
agent_code=$?
case_name=go_node_agent case_cmd="bindings/go/examples/nodeagent against the API server" case_ok=1
out=$(<"$work/agent.out") err=$(<"$work/agent.err")
[[ $agent_code == 0 ]] || note "exit code $agent_code, expected 0"
expect "shop/web web API_URL=http://$api_ip:8080/v1  # env[2] value"
expect "shop/web web DB_PASSWORD=<secret shop/db key password>  # Secret shop/db key password"
expect "shop/web web KUBERNETES_SERVICE_HOST=$master_ip  # Service default/kubernetes"
expect "shop/web web CACHE_PORT=udp://$cache_ip:11211  # Service shop/cache"
expect "shop/web web LOG_LEVEL=info  # ConfigMap shop/web-config key LOG_LEVEL"
end

echo "testdata/live/run.sh: $passed passed, $failed failed in $((SECONDS - start_time))s"
if ((failed)); then
  echo "//testdata/live:run.sh FAILED"
  exit 1
fi
echo "testdata/live/run.sh: PASSED"
