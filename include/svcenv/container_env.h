// include/svcenv/container_env.h
//
// The whole environment of one container, exactly as the kubelet's
// `makeEnvironmentVariables` builds it, with the provenance of every variable.
//
// Precedence, lowest to highest: Service variables, then `envFrom` sources in
// list order, then `env` entries in list order. A Service variable is added
// only for names the container does not set itself.
//
// `$(VAR)` expansion of a literal `env[].value` sees every `envFrom` key,
// the `env` entries *before* it and every Service variable the pod receives;
// it never sees later `env` entries, image `ENV` or runtime variables.
// `valueFrom` and `envFrom` values are never expanded. `command` and `args`
// are expanded against the final environment.
//
// Order: the kubelet emits its two blocks in Go map order. svcenv emits the
// container's own variables in the order they were first set, then the
// Service-only variables sorted by name.
//
// Errors: where the kubelet would refuse to create the container (a missing
// non-optional ConfigMap, Secret or key; a bad quantity; an unsupported
// fieldPath; a nil `enableServiceLinks` with
// `reject_nil_enable_service_links`) the result is
// `FailedPreconditionError` whose message says why, naming the object and
// field. `InvalidArgumentError` only for input svcenv cannot model (a
// quantity whose arithmetic overflows int64).
//
// Things only a running pod has are taken from the inputs: `status.hostIP(s)`
// from the Node's addresses, else the pod's `status.hostIPs`; `status.podIP(s)`
// from the pod's `status.podIPs`. When they are absent the value is empty and
// a warning says so (the kubelet always knows them).
//
// Functions here are thread-safe; results point into the inputs
// (`Service`s), which must outlive them.
//
// Example:
//   svcenv::ServiceEnvironment services = svcenv::ComputeServiceEnvironment(
//       objects.services, pod.meta.namespace_name, true);
//   absl::StatusOr<svcenv::ContainerEnvironment> env =
//       svcenv::ComputeContainerEnvironment(pod, pod.containers[0], services,
//                                           objects, {});
#ifndef SVCENV_INCLUDE_SVCENV_CONTAINER_ENV_H_
#define SVCENV_INCLUDE_SVCENV_CONTAINER_ENV_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "svcenv/kubelet_version.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {

// Where a value came from.
enum class SourceKind {
  kService,           // A Service variable.
  kConfigMapEnvFrom,  // `envFrom[].configMapRef`.
  kSecretEnvFrom,     // `envFrom[].secretRef`.
  kLiteral,           // `env[].value` (after expansion).
  kEmpty,             // `env[]` with neither value nor valueFrom: "".
  kFieldRef,          // `env[].valueFrom.fieldRef`.
  kResourceFieldRef,  // `env[].valueFrom.resourceFieldRef`.
  kConfigMapKeyRef,   // `env[].valueFrom.configMapKeyRef`.
  kSecretKeyRef,      // `env[].valueFrom.secretKeyRef`.
  kFileKeyRef,        // `env[].valueFrom.fileKeyRef`: read at container start.
};

struct EnvSource {
  SourceKind kind = SourceKind::kLiteral;
  // kService: the Service and port (`port_index` -1 for `_SERVICE_HOST`).
  const Service* service = nullptr;
  int port_index = -1;
  // ConfigMap / Secret sources: the object, the key read and the envFrom
  // prefix (empty for key refs).
  std::string object_namespace;
  std::string object_name;
  std::string key;
  std::string prefix;
  // kFieldRef: the field path; kResourceFieldRef: resource, divisor and
  // container name as written.
  std::string field_path;
  std::string resource;
  std::string divisor;
  std::string container_name;
  // kFileKeyRef: the volume and the file's path in it (the key is `key`).
  std::string volume_name;
  std::string path;
  // Index into `container.env` (env sources) or `container.env_from`
  // (envFrom sources); -1 for Services.
  int index = -1;

  // True for Secret-derived values: front ends redact them.
  bool IsSecret() const {
    return kind == SourceKind::kSecretEnvFrom ||
           kind == SourceKind::kSecretKeyRef;
  }
};

// A short human description: `Service shop/redis port 6379/TCP`,
// `ConfigMap shop/app key REDIS_HOST`, `Secret shop/db key password`,
// `env value`, `fieldRef metadata.name`, `resourceFieldRef limits.memory`.
std::string DescribeSource(const EnvSource& source);

// One variable of the final environment.
struct EnvEntry {
  std::string name;
  std::string value;
  EnvSource source;
  // What this entry replaced, earliest first: earlier envFrom keys or env
  // entries of the same name, and the Service variable it hides.
  std::vector<EnvSource> shadows;
  // For kLiteral: names of `$(NAME)` references that were substituted, and
  // those left verbatim because nothing defined them (in order, unique).
  std::vector<std::string> expanded_references;
  std::vector<std::string> unresolved_references;
  // The value exists only when the container starts: `value` is a
  // placeholder, never a real value. Set for `fileKeyRef` (kubelet 1.35+),
  // whose placeholder names volume, path and key, and for literals that
  // expand such a variable.
  bool runtime_only = false;
};

struct ContainerEnvironment {
  // Own variables in first-set order, then Service-only ones sorted by name.
  std::vector<EnvEntry> env;
  size_t own_count = 0;  // How many leading entries are the container's own.
  std::vector<std::string> command;  // Expanded against the final env.
  std::vector<std::string> args;     // Expanded against the final env.
  // Names referenced by `$(...)` in command/args that stayed literal.
  std::vector<std::string> unresolved_command_references;
  // Clashes between Services (from the ServiceEnvironment) whose name the
  // container did not set itself.
  std::vector<ServiceClash> clashes;
  // Non-fatal notes, one line each (e.g. envFrom keys an older kubelet
  // skips, a value with a NUL byte that runc will refuse).
  std::vector<std::string> warnings;
};

struct EnvironmentOptions {
  // The kubelet release to follow where results differ (kubelet_version.h):
  // e.g. before 1.30 `envFrom` keys that are not valid names are skipped,
  // with a warning listing them. Default: the newest.
  KubeletVersion kubelet;
  // `status.podIP(s)` order. `pod.pod_ips` is taken as the pod's stored
  // `status.podIPs`, which the kubelet already wrote in its order
  // (sortPodIPs), and is kept as it is, unless `pod_ips_as_reported` is
  // false (IPs the caller got elsewhere, e.g. from the sandbox). Then the
  // order is decided as sortPodIPs does: the primary family is
  // `node_ipv6_primary` when set, else that of the Node's first address
  // (the Node of `node` below), else IPv4 (a kubelet without node IPs).
  bool pod_ips_as_reported = true;
  std::optional<bool> node_ipv6_primary;
  // The Node the pod runs on, for `resourceFieldRef` limits that are unset
  // (they default to its allocatable). Null: the first Node of `objects`
  // named `pod.node_name`, else none (unset limits then read as 0).
  const Node* node = nullptr;
  // Fail as the kubelet does on a nil `enableServiceLinks` (which the API
  // server never stores). False: an absent field means true, the API default.
  bool reject_nil_enable_service_links = false;
  // Before reading a `resourceFieldRef` request, give an absent request the
  // container's limit, as the API server's defaulting does for every stored
  // Pod (objects read back from a cluster already carry it). False reads an
  // absent request as 0, as for objects assumed already defaulted.
  bool default_requests_from_limits = true;
};

// Finds a container by name among `containers`, `init_containers` then
// `ephemeral_containers`; an empty `name` means the first app container.
// Null when there is none.
const Container* FindContainer(const Pod& pod, absl::string_view name);

// The environment of `container` (one of `pod`'s containers or init
// containers). `services` is the pod's Service block (see service_env.h or a
// ServiceIndex snapshot); ConfigMaps, Secrets and Nodes are looked up in
// `objects` by (pod namespace, name). Returns FailedPreconditionError where
// the kubelet would refuse the container.
absl::StatusOr<ContainerEnvironment> ComputeContainerEnvironment(
    const Pod& pod, const Container& container,
    const ServiceEnvironment& services, const Objects& objects,
    const EnvironmentOptions& options);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_CONTAINER_ENV_H_
