// include/svcenv/service_absence.h
//
// Why no Service gives a pod a variable shaped like a Service variable
// (`$(REDIS_SERVICE_HOST)` that stays literal, `REDIS_PORT_6379_TCP` missing
// from the environment): an ExternalName or headless Service, one without a
// cluster IP, `enableServiceLinks: false`, a Service of that name in another
// namespace only, a port name or number the Service does not have, or no
// such Service at all. `svcenv why` (variable_why.h) and `svcenv check`'s
// unfilled-service-reference both ask here, so they give the same reason in
// the same words.
//
// The rules are the kubelet's `getServiceEnvVarMap`: a pod sees the Services
// of its own namespace when `enableServiceLinks` is on, and
// default/kubernetes always; a Service without a cluster IP (headless,
// ExternalName, not allocated) produces no variables.
//
// Thread safety: pure functions over their arguments.
//
// Example:
//   std::optional<svcenv::ServiceAbsence> why = svcenv::WhyNoServiceVariable(
//       "REDIS_SERVICE_HOST", services, "shop", /*links=*/true);
//   if (why.has_value()) std::cout << why->Describe() << "; " << why->Hint();
#ifndef SVCENV_INCLUDE_SVCENV_SERVICE_ABSENCE_H_
#define SVCENV_INCLUDE_SVCENV_SERVICE_ABSENCE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv {

enum class ServiceAbsenceKind {
  kExternalName,    // The pod's Service of that name is ExternalName.
  kHeadless,        // ... is headless (clusterIP: None).
  kNoClusterIp,     // ... has no cluster IP.
  kLinksDisabled,   // ... is hidden: the pod sets enableServiceLinks: false.
  kNoSuchVariable,  // ... is visible but makes other names (port name,
                    // number or protocol).
  kOtherNamespace,  // Services of that name exist only in other namespaces.
  kNoSuchService,   // No Service of that name anywhere in the inputs.
};

struct ServiceAbsence {
  ServiceAbsenceKind kind = ServiceAbsenceKind::kNoSuchService;
  std::string variable;        // The name asked about.
  std::string namespace_name;  // The pod's namespace.
  // The Services concerned: the pod's own (or default/kubernetes) for the
  // first five kinds, every one of that name for kOtherNamespace, none for
  // kNoSuchService.
  std::vector<const Service*> services;
  // kNoSuchVariable: the names the Service does make.
  std::vector<std::string> produced;
  // kNoSuchService: the Service the name implies (`REDIS_CACHE` ->
  // `redis-cache`).
  std::string service_name;

  // The reason, a clause without a trailing period. `describe` names a
  // Service (default: "Service ns/name"); check adds where it was read.
  std::string Describe(
      const std::function<std::string(const Service&)>& describe = {}) const;
  // What to change so the variable is set.
  std::string Hint() const;
};

// Why a pod of `namespace_name` (with `enable_service_links`) gets no
// variable `name` from `services` (every Service of the inputs, any
// namespace). nullopt when `name` is not shaped like a Service variable
// (ServiceVariablePrefix in service_env.h), or is a bare `X_PORT` and no
// Service is named X. Describes why the name is absent; the caller knows it
// is (a name a Service does set is not asked about).
std::optional<ServiceAbsence> WhyNoServiceVariable(
    absl::string_view name, const std::vector<const Service*>& services,
    absl::string_view namespace_name, bool enable_service_links);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_SERVICE_ABSENCE_H_
