// include/svcenv/service_env.h
//
// The Service variables a container receives, exactly as the kubelet builds
// them (`pkg/kubelet/envvars/envvars.go` and `getServiceEnvVarMap` in
// `pkg/kubelet/kubelet_pods.go`):
//
//   REDIS_SERVICE_HOST=10.0.0.11        REDIS_PORT=tcp://10.0.0.11:6379
//   REDIS_SERVICE_PORT=6379             REDIS_PORT_6379_TCP=tcp://10.0.0.11:6379
//   REDIS_SERVICE_PORT_<PORTNAME>=6379  REDIS_PORT_6379_TCP_PROTO=tcp
//                                       REDIS_PORT_6379_TCP_PORT=6379
//                                       REDIS_PORT_6379_TCP_ADDR=10.0.0.11
//
// Which Services a pod sees: those of its own namespace when
// `enableServiceLinks` is true (absent means true), plus `default/kubernetes`
// always, even with links off. With links on, a `kubernetes` Service in the
// pod's own namespace replaces the default one. A Service whose `clusterIP` is
// empty or "None" (headless, ExternalName) produces nothing.
//
// Where the kubelet is nondeterministic svcenv is not: when two Services
// produce one name (`redis` and `redis-service` both make
// `REDIS_SERVICE_PORT`), the kubelet's winner depends on Go map order. Here the
// visible Services apply in (namespace, name) order, the later one wins, and
// every such clash is reported with all its candidates.
//
// Functions here are thread-safe. Results point into the `Service` objects
// passed in, which must outlive them.
//
// Example:
//   svcenv::ServiceEnvironment env = svcenv::ComputeServiceEnvironment(
//       objects.services, "shop", /*enable_service_links=*/true);
//   for (const svcenv::ServiceVariable& v : env.variables)
//     std::cout << v.name << "=" << v.value << "\n";
#ifndef SVCENV_INCLUDE_SVCENV_SERVICE_ENV_H_
#define SVCENV_INCLUDE_SVCENV_SERVICE_ENV_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv {

// One variable and the Service (and port) that produced it.
struct ServiceVariable {
  std::string name;
  std::string value;
  const Service* service = nullptr;  // Never null in a result.
  int port_index = -1;  // Into `service->ports`; -1 for `_SERVICE_HOST`.
};

// One name produced by two or more visible Services.
struct ServiceClash {
  std::string name;
  // Every producer in application order; the last one is the value svcenv
  // uses. The kubelet may use any of them.
  std::vector<ServiceVariable> candidates;
};

// The Service-variable block of one pod.
struct ServiceEnvironment {
  std::vector<ServiceVariable> variables;  // Sorted by name, names unique.
  std::vector<ServiceClash> clashes;       // Sorted by name.
  // Problems that made a Service produce nothing although it has a cluster
  // IP (e.g. no ports), one line each, naming the Service.
  std::vector<std::string> diagnostics;
};

// True when `service` has a cluster IP, i.e. `clusterIP` is neither empty nor
// "None" (the kubelet's `IsServiceIPSet`).
bool IsServiceIPSet(const Service& service);

// The API server's own Service, default/kubernetes.
inline constexpr absl::string_view kMasterServiceNamespace = "default";
inline constexpr absl::string_view kMasterServiceName = "kubernetes";

// True for Service default/kubernetes, the API server's own: every pod sees
// its variables, whatever its namespace and `enableServiceLinks`.
bool IsMasterService(const Service& service);

// Whether a Service variable's value is a Docker-link URL,
// `tcp://IP:PORT` (or `udp://`, `sctp://`): the value of `X_PORT` and
// `X_PORT_N_PROTO`. An app that reads the name as a port or host gets a URL.
bool IsDockerLinkUrl(absl::string_view value);

// The kubelet's `makeEnvVariableName`: `-` becomes `_`, then upper case.
// Nothing else: dots and a leading digit are kept.
std::string MakeEnvVariableName(absl::string_view name);

// The prefix `X` of a name shaped like a variable the kubelet makes for a
// Service (`makeServiceVariables`, `makeLinkVariables`): X_SERVICE_HOST,
// X_SERVICE_PORT, X_SERVICE_PORT_<NAME>, X_PORT_<N>_<PROTO>[_PROTO|_PORT|
// _ADDR], and with `bare_port` also X_PORT (which programs often use for
// their own port settings, hence the choice). nullopt for other names.
std::optional<std::string> ServiceVariablePrefix(absl::string_view name,
                                                 bool bare_port);

// `X_SERVICE_PORT` of the Service named `service_name`: its first port's
// number (what a value that wants the port should read, not `X_PORT`).
std::string ServicePortVariable(absl::string_view service_name);

// Names a variable's producer: `Service shop/redis port 6379/TCP (redis)`,
// or `Service shop/redis` for `_SERVICE_HOST` (`port_index` -1).
std::string DescribeServiceSource(const Service& service, int port_index);

// Appends the variables of one Service to `out` in the kubelet's order: HOST,
// PORT, PORT_<NAME> per named port, then per port the Docker-link group.
// Appends nothing for a Service without a cluster IP. Returns
// `InvalidArgumentError` (appending nothing) for one with a cluster IP but no
// ports, which the API forbids and the kubelet would crash on.
absl::Status AppendServiceVariables(const Service& service,
                                    std::vector<ServiceVariable>* out);

// The Services a pod in `pod_namespace` sees, with the kubelet's selection
// rules, in application order: sorted by (namespace, name).
std::vector<const Service*> VisibleServices(const std::vector<Service>& services,
                                            absl::string_view pod_namespace,
                                            bool enable_service_links);
// As above, over Services held elsewhere (e.g. a cache of pointers).
std::vector<const Service*> VisibleServices(
    const std::vector<const Service*>& services,
    absl::string_view pod_namespace, bool enable_service_links);

// The Service variables a pod in `pod_namespace` receives.
// Equivalent to `BuildServiceEnvironment(VisibleServices(...))`.
ServiceEnvironment ComputeServiceEnvironment(
    const std::vector<Service>& services, absl::string_view pod_namespace,
    bool enable_service_links);

// The Service variables of `visible`, which must already be what a pod sees
// in application order (as `VisibleServices` returns): grouping, precedence,
// clashes and diagnostics exactly as `ComputeServiceEnvironment`. For callers
// that keep their own index of Services (see service_index.h).
ServiceEnvironment BuildServiceEnvironment(
    const std::vector<const Service*>& visible);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_SERVICE_ENV_H_
