// Why no Service sets a Service-shaped variable (see service_absence.h).
#include "svcenv/service_absence.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "svcenv/service_env.h"

namespace svcenv {

std::optional<ServiceAbsence> WhyNoServiceVariable(
    absl::string_view name, const std::vector<const Service*>& services,
    absl::string_view namespace_name, bool enable_service_links) {
  const std::optional<std::string> shaped =
      ServiceVariablePrefix(name, /*bare_port=*/false);
  const std::optional<std::string> prefix =
      shaped.has_value() ? shaped
                         : ServiceVariablePrefix(name, /*bare_port=*/true);
  if (!prefix.has_value()) return std::nullopt;
  ServiceAbsence out;
  out.variable = std::string(name);
  out.namespace_name = std::string(namespace_name);
  std::vector<const Service*> named;
  // The pod's own Service of that name (the last when the inputs hold
  // several versions), or default/kubernetes, which every pod sees: the
  // kubelet lets the own namespace's win while links are on.
  const Service* own_namespace = nullptr;
  const Service* master = nullptr;
  for (const Service* s : services) {
    if (MakeEnvVariableName(s->meta.name) != *prefix) continue;
    named.push_back(s);
    if (s->meta.namespace_name == namespace_name) own_namespace = s;
    if (IsMasterService(*s)) master = s;
  }
  const Service* own =
      master != nullptr && (own_namespace == nullptr || !enable_service_links)
          ? master
          : own_namespace;
  // A bare X_PORT is a Service's only when a Service is named X.
  if (!shaped.has_value() && named.empty()) return std::nullopt;
  if (own != nullptr) {
    out.services = {own};
    if (own->type == "ExternalName") {
      out.kind = ServiceAbsenceKind::kExternalName;
    } else if (own->cluster_ip == "None") {
      out.kind = ServiceAbsenceKind::kHeadless;
    } else if (!IsServiceIPSet(*own)) {
      out.kind = ServiceAbsenceKind::kNoClusterIp;
    } else if (!enable_service_links && !IsMasterService(*own)) {
      out.kind = ServiceAbsenceKind::kLinksDisabled;
    } else {
      out.kind = ServiceAbsenceKind::kNoSuchVariable;
      std::vector<ServiceVariable> vars;
      (void)AppendServiceVariables(*own, &vars);
      for (const ServiceVariable& v : vars) out.produced.push_back(v.name);
    }
    return out;
  }
  if (!named.empty()) {
    out.kind = ServiceAbsenceKind::kOtherNamespace;
    out.services = std::move(named);
    return out;
  }
  out.kind = ServiceAbsenceKind::kNoSuchService;
  out.service_name = absl::AsciiStrToLower(*prefix);
  std::replace(out.service_name.begin(), out.service_name.end(), '_', '-');
  return out;
}

std::string ServiceAbsence::Describe(
    const std::function<std::string(const Service&)>& describe) const {
  auto name = [&describe](const Service& s) {
    return describe ? describe(s)
                    : absl::StrCat("Service ", s.meta.namespace_name, "/",
                                   s.meta.name);
  };
  const std::string subject = services.empty() ? "" : name(*services[0]);
  switch (kind) {
    case ServiceAbsenceKind::kExternalName:
      return absl::StrCat(subject,
                          " is ExternalName, which produces no variables");
    case ServiceAbsenceKind::kHeadless:
      return absl::StrCat(subject,
                          " is headless (clusterIP: None), which produces "
                          "no variables");
    case ServiceAbsenceKind::kNoClusterIp:
      return absl::StrCat(subject, " has no cluster IP");
    case ServiceAbsenceKind::kLinksDisabled:
      return absl::StrCat(subject,
                          " is hidden: the pod sets enableServiceLinks: "
                          "false (only default/kubernetes gives variables "
                          "then)");
    case ServiceAbsenceKind::kNoSuchVariable:
      return absl::StrCat(subject, " produces no such variable (it has ",
                          absl::StrJoin(produced, ", "), ")");
    case ServiceAbsenceKind::kOtherNamespace: {
      std::vector<std::string> where;
      for (const Service* s : services) where.push_back(name(*s));
      return absl::StrCat(absl::StrJoin(where, ", "), " ",
                          services.size() == 1 ? "is" : "are",
                          " in another namespace; a pod gets Service "
                          "variables only from its own namespace (",
                          namespace_name, ") and default/kubernetes");
    }
    case ServiceAbsenceKind::kNoSuchService:
      return absl::StrCat("no Service \"", service_name,
                          "\" exists in namespace ", namespace_name);
  }
  return "";
}

std::string ServiceAbsence::Hint() const {
  const Service* s = services.empty() ? nullptr : services[0];
  const std::string dns =
      s == nullptr ? ""
                   : absl::StrCat("use the DNS name ", s->meta.name, ".",
                                  s->meta.namespace_name, ".svc");
  switch (kind) {
    case ServiceAbsenceKind::kExternalName:
    case ServiceAbsenceKind::kHeadless:
    case ServiceAbsenceKind::kOtherNamespace:
      return absl::StrCat(dns, " instead");
    case ServiceAbsenceKind::kNoClusterIp:
      return "give the Service a cluster IP, or use its DNS name";
    case ServiceAbsenceKind::kLinksDisabled:
      return absl::StrCat(dns, ", or set enableServiceLinks: true");
    case ServiceAbsenceKind::kNoSuchVariable:
      return "check the port name, number and protocol in the reference";
    case ServiceAbsenceKind::kNoSuchService:
      return absl::StrCat("create Service ", service_name, " in namespace ",
                          namespace_name, " (before the workload), or fix the "
                          "name");
  }
  return "";
}

}  // namespace svcenv
