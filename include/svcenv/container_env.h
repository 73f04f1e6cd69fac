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
// Two forms of one computation:
//   * `ComputeEnvironment` (for node agents) returns a
//     `SharedContainerEnvironment`: the container's own variables plus a
//     shared, immutable Service block (a `ServiceIndex` snapshot or any
//     `shared_ptr<const ServiceEnvironment>`) plus which Service variables the
//     own ones hide. It costs what the container's own variables cost, not
//     the namespace's Services. Iterating it in the order above copies
//     nothing; `Materialize()` gives a flat name/value list, `Explain()` the
//     full `ContainerEnvironment` with every source spelled out.
//     ConfigMaps, Secrets and the Node are asked from an `ObjectLookup`
//     (object_lookup.h), so an agent passes its caches directly.
//   * `ComputeContainerEnvironment` (the explained form over decoded
//     `Objects`) is `ComputeEnvironment(...).Explain()`.
//
// Ownership: a `SharedContainerEnvironment` owns (shares) its Service block,
// so every `ServiceVariable` and `ServiceClash` it points to stays valid as
// long as it lives, whatever a `ServiceIndex` does meanwhile; the `Service`s
// themselves stay valid as long as the block keeps them (a `ServiceIndex`
// snapshot always does; a block built with `ComputeServiceEnvironment` points
// into the caller's vector). It keeps its own copy of the container spec for
// provenance and never points into the pod, the container or the lookup.
//
// Errors: where the kubelet would refuse to create the container (a missing
// non-optional ConfigMap, Secret or key; a bad quantity; an unsupported
// fieldPath; a nil `enableServiceLinks` with
// `reject_nil_enable_service_links`; Services not synced) the result is
// `FailedPreconditionError` whose message says why, naming the object and
// field, and whose payload is a `Refusal` (env_refusal.h: reason code,
// object, key, the kubelet's message) read back with `RefusalFromStatus`.
// `InvalidArgumentError` only for input svcenv cannot model (a quantity whose
// arithmetic overflows int64).
//
// Partial mode (`EnvironmentOptions::partial`): instead of failing on a
// refusal, the computation goes on and returns the whole environment it can
// know, with every refusal listed in `refusals()` (in the order met). A
// refused `env[i]` (missing object or key, bad fieldPath, resourceFieldRef or
// quantity) becomes a placeholder: an own variable with an empty value and
// `unknown` set; a literal that expands an unknown variable is `unknown` too
// (its value is computed with the placeholder). A refused `envFrom` source
// contributes nothing (its keys are unknown). A nil `enableServiceLinks`
// continues as true (the API default), unsynced Services with the block
// given. The result is then what the container would get once the missing
// objects exist with empty values, never what the kubelet would run: check
// `complete()` before starting anything.
//
// Things only a running pod has are taken from the inputs: `status.hostIP(s)`
// from the Node's addresses, else the pod's `status.hostIPs`; `status.podIP(s)`
// from the pod's `status.podIPs`. When they are absent the value is empty and
// a warning says so (the kubelet always knows them).
//
// Thread safety: the functions are thread-safe (the lookup is called from the
// calling thread only). A result is immutable; const access from several
// threads is safe, and it may be moved across threads.
//
// Example (a node agent at container start):
//   svcenv::ServiceIndex::Snapshot block =
//       index.Lookup(pod.meta.namespace_name,
//                    pod.enable_service_links.value_or(true));
//   absl::StatusOr<svcenv::SharedContainerEnvironment> env =
//       svcenv::ComputeEnvironment(pod, pod.containers[0], block, lookup, {});
//   if (!env.ok()) return env.status();  // RefusalFromStatus() says why.
//   for (const svcenv::SharedContainerEnvironment::Variable& v : *env)
//     Setenv(v.name, v.value);
//   for (const svcenv::Dependency& d : env->dependencies()) Watch(d);
//
// Example (decoded manifests, every source spelled out):
//   svcenv::ServiceEnvironment services = svcenv::ComputeServiceEnvironment(
//       objects.services, pod.meta.namespace_name, true);
//   absl::StatusOr<svcenv::ContainerEnvironment> env =
//       svcenv::ComputeContainerEnvironment(pod, pod.containers[0], services,
//                                           objects, {});
#ifndef SVCENV_INCLUDE_SVCENV_CONTAINER_ENV_H_
#define SVCENV_INCLUDE_SVCENV_CONTAINER_ENV_H_

#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "svcenv/env_dependency.h"
#include "svcenv/env_refusal.h"
#include "svcenv/kubelet_version.h"
#include "svcenv/object_lookup.h"
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
  // Partial mode: a placeholder (see `SharedContainerEnvironment`).
  bool unknown = false;
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
  // What the environment read or looked for (env_dependency.h).
  std::vector<Dependency> dependencies;
  // Partial mode: the refusals met (env_refusal.h); empty otherwise.
  std::vector<Refusal> refusals;
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
  // Whether the caller's Service cache has synced at least once. False
  // refuses every pod that is not static (kServicesNotSynced), as the kubelet
  // does before its Service informer has synced; a static pod (annotation
  // `kubernetes.io/config.source` other than `api`) goes on.
  bool services_synced = true;
  // Partial mode (see the top of this file): go on past refusals, listing
  // them, with placeholder variables marked `unknown`.
  bool partial = false;
  // The pod may be a manifest not yet admitted or scheduled (front ends
  // over manifests set it): an empty `spec.serviceAccountName` reads
  // `default`, as ServiceAccount admission sets it; an empty
  // `spec.nodeName`, unknown `status.podIP(s)` / `status.hostIP(s)`, and a
  // `resourceFieldRef` limit that defaults to the allocatable of a Node not
  // in the input read as angle-bracket placeholders (`<node name>`, `<pod
  // IP>`, `<host IP>`, `<node allocatable cpu>`) marked `runtime_only`,
  // with a warning. False: what the kubelet computes from the pod as given
  // (empty values, 0).
  bool unscheduled_placeholders = false;
};

// Finds a container by name among `containers`, `init_containers` then
// `ephemeral_containers`; an empty `name` means the first app container.
// Null when there is none.
const Container* FindContainer(const Pod& pod, absl::string_view name);

// One variable as a plain name and value.
struct EnvironmentVariable {
  std::string name;
  std::string value;
};

// The environment of one container sharing its namespace's Service block.
// Immutable; cheap to move; see the top of this file for ownership.
class SharedContainerEnvironment {
 public:
  // Where one of the container's own values came from, compactly: the kind
  // and the entry of the container spec (`env[index]`, or `envFrom[index]`
  // for the envFrom kinds). `Source()` spells it out on request.
  struct SourceRef {
    SourceKind kind = SourceKind::kLiteral;
    int index = -1;
  };

  // One of the container's own variables (set by `envFrom` or `env`).
  struct OwnVariable {
    std::string name;
    std::string value;
    SourceRef source;
    // Partial mode: a placeholder for a value the kubelet refused to produce,
    // or a literal that expanded one.
    bool unknown = false;
    // Known only at container start (`fileKeyRef`, or a literal expanding
    // one): `value` is a placeholder (see `EnvEntry::runtime_only`).
    bool runtime_only = false;
    // The Service variable this one hides, or null.
    const ServiceVariable* hidden_service = nullptr;
    // Earlier own sources of the same name it replaced, earliest first.
    std::vector<SourceRef> replaced;
    // kLiteral: `$(NAME)` references substituted, and those left verbatim
    // because nothing defined them (in order, unique).
    std::vector<std::string> expanded_references;
    std::vector<std::string> unresolved_references;
  };

  // One variable of the final environment, as iteration yields it: views
  // into the result, valid while it lives. Exactly one of `own` and
  // `service` is set.
  struct Variable {
    absl::string_view name;
    absl::string_view value;
    const OwnVariable* own = nullptr;
    const ServiceVariable* service = nullptr;
  };

  // Iterates own variables in first-set order, then the Service variables
  // not hidden, sorted by name; copies nothing.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Variable;
    using difference_type = std::ptrdiff_t;
    using pointer = const Variable*;
    using reference = Variable;

    const_iterator() = default;
    Variable operator*() const;
    const_iterator& operator++();
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.own_ == b.own_ && a.service_ == b.service_;
    }
    friend bool operator!=(const const_iterator& a, const const_iterator& b) {
      return !(a == b);
    }

   private:
    friend class SharedContainerEnvironment;
    const_iterator(const SharedContainerEnvironment* env, size_t own,
                   size_t service, size_t hidden);
    void SkipHidden();

    const SharedContainerEnvironment* env_ = nullptr;
    size_t own_ = 0;      // Into own(); == own().size() once past them.
    size_t service_ = 0;  // Into services().variables.
    size_t hidden_ = 0;   // Into hidden_service_indices().
  };

  const_iterator begin() const;
  const_iterator end() const;
  // Own variables plus Service variables not hidden.
  size_t size() const;

  // The container's own variables in first-set order.
  const std::vector<OwnVariable>& own() const { return own_; }
  // The shared Service block, as given.
  const ServiceEnvironment& services() const { return *services_; }
  const std::shared_ptr<const ServiceEnvironment>& service_block() const {
    return services_;
  }
  // Indices into `services().variables` of those an own variable hides,
  // ascending.
  const std::vector<size_t>& hidden_service_indices() const {
    return hidden_;
  }

  // The value of `name` in the final environment, or null. O(own variables
  // + log Service variables).
  const std::string* Find(absl::string_view name) const;

  // Provenance, spelled out on request from the compact record.
  EnvSource Source(const Variable& variable) const;
  EnvSource Source(const OwnVariable& variable) const;
  // What `variable` replaced, earliest first: the Service variable it
  // hides, then earlier own sources. Empty for a Service variable.
  std::vector<EnvSource> Shadows(const Variable& variable) const;
  std::string Describe(const Variable& variable) const {
    return DescribeSource(Source(variable));
  }

  // Every variable as its own name and value strings, in iteration order.
  std::vector<EnvironmentVariable> Materialize() const;
  // The explained form: every variable with its source spelled out.
  ContainerEnvironment Explain() const;

  // `command` and `args` expanded against the final environment, and the
  // names referenced there that stayed literal.
  const std::vector<std::string>& command() const { return command_; }
  const std::vector<std::string>& args() const { return args_; }
  const std::vector<std::string>& unresolved_command_references() const {
    return unresolved_command_references_;
  }
  // The block's clashes for names the container does not set itself
  // (pointers into the block).
  std::vector<const ServiceClash*> clashes() const;
  // Non-fatal notes, one line each (see `ContainerEnvironment::warnings`).
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Everything the environment read or looked for, each once, in first-use
  // order (see env_dependency.h).
  const std::vector<Dependency>& dependencies() const { return dependencies_; }
  // Partial mode: every refusal met, in order; empty otherwise.
  const std::vector<Refusal>& refusals() const { return refusals_; }
  // True unless partial mode met a refusal: the environment is the kubelet's.
  bool complete() const { return refusals_.empty(); }

 private:
  friend class EnvironmentBuilder;

  std::shared_ptr<const ServiceEnvironment> services_;
  std::string pod_namespace_;
  Container container_;  // The spec `SourceRef`s index into.
  std::vector<OwnVariable> own_;
  std::vector<size_t> hidden_;
  std::vector<std::string> command_;
  std::vector<std::string> args_;
  std::vector<std::string> unresolved_command_references_;
  std::vector<std::string> warnings_;
  std::vector<Dependency> dependencies_;
  std::vector<Refusal> refusals_;
};

// The environment of `container` (one of `pod`'s containers or init
// containers) with `services` as the pod's Service block (a ServiceIndex
// snapshot, or `std::make_shared<const ServiceEnvironment>(...)`; its
// `variables` sorted by name as every producer in service_env.h makes them;
// never null). ConfigMaps, Secrets and the Node (`options.node`, else
// `objects.FindNode(pod.node_name)`) are asked from `objects` in the pod's
// namespace. Returns FailedPreconditionError with a `Refusal` payload where
// the kubelet would refuse the container, unless `options.partial`.
absl::StatusOr<SharedContainerEnvironment> ComputeEnvironment(
    const Pod& pod, const Container& container,
    std::shared_ptr<const ServiceEnvironment> services,
    const ObjectLookup& objects, const EnvironmentOptions& options);

// The explained form over decoded objects:
// `ComputeEnvironment(pod, container, <services, not owned>,
// ObjectsLookup(objects), options)->Explain()`. Indexes `objects` on every
// call; callers computing many containers should build one `ObjectsLookup`
// and call `ComputeEnvironment`.
absl::StatusOr<ContainerEnvironment> ComputeContainerEnvironment(
    const Pod& pod, const Container& container,
    const ServiceEnvironment& services, const Objects& objects,
    const EnvironmentOptions& options);

// The Services the kubelet reads for a pod of `namespace_name`
// (`getServiceEnvVarMap`): every Service of the namespace when
// `enable_service_links` (kServiceNamespace), and default/kubernetes
// (kService) unless that listing already holds it. What a front end fetches
// to build a pod's Service block.
std::vector<Dependency> ServiceDependencies(absl::string_view namespace_name,
                                            bool enable_service_links);

// What the kubelet reads to build the environments of `containers` (each
// one of `pod`'s): the ConfigMaps, Secrets, Node and Services, each once,
// in first-use order. Found by computing the environments over no objects
// (which objects exist does not change which are asked for), so a front
// end can fetch exactly those (`svcenv env` in live mode).
std::vector<Dependency> DependenciesOf(
    const Pod& pod, const std::vector<const Container*>& containers,
    const EnvironmentOptions& options);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_CONTAINER_ENV_H_
