#include "svcenv/service_env.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <numeric>
#include <optional>
#include <tuple>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace svcenv {
namespace {


// Go's net.JoinHostPort: brackets the host when it contains a colon.
void AppendHostPort(absl::string_view host, absl::string_view port,
                    std::string* out) {
  if (host.find(':') != absl::string_view::npos) {
    absl::StrAppend(out, "[", host, "]:", port);
  } else {
    absl::StrAppend(out, host, ":", port);
  }
}

}  // namespace

bool IsMasterService(const Service& service) {
  return service.meta.namespace_name == kMasterServiceNamespace &&
         service.meta.name == kMasterServiceName;
}

bool IsServiceIPSet(const Service& service) {
  return !service.cluster_ip.empty() && service.cluster_ip != "None";
}

bool IsDockerLinkUrl(absl::string_view value) {
  // envvars.go makeLinkVariables: protocol lower-cased, then "://".
  return absl::StartsWith(value, "tcp://") ||
         absl::StartsWith(value, "udp://") ||
         absl::StartsWith(value, "sctp://");
}

std::optional<std::string> ServiceVariablePrefix(absl::string_view name,
                                                 bool bare_port) {
  for (absl::string_view suffix : {"_SERVICE_HOST", "_SERVICE_PORT"}) {
    if (absl::EndsWith(name, suffix) && name.size() > suffix.size())
      return std::string(name.substr(0, name.size() - suffix.size()));
  }
  const size_t at = name.find("_SERVICE_PORT_");
  if (at != absl::string_view::npos && at > 0)
    return std::string(name.substr(0, at));
  // X_PORT_<digits>_<PROTO>[_PROTO|_PORT|_ADDR]
  for (size_t pos = name.find("_PORT_"); pos != absl::string_view::npos;
       pos = name.find("_PORT_", pos + 1)) {
    if (pos == 0) continue;
    absl::string_view rest = name.substr(pos + 6);
    size_t digits = 0;
    while (digits < rest.size() && absl::ascii_isdigit(rest[digits])) ++digits;
    if (digits == 0 || digits >= rest.size() || rest[digits] != '_') continue;
    rest.remove_prefix(digits + 1);
    for (absl::string_view proto : {"TCP", "UDP", "SCTP"}) {
      absl::string_view tail = rest;
      if (!absl::ConsumePrefix(&tail, proto)) continue;
      if (tail.empty() || tail == "_PROTO" || tail == "_PORT" ||
          tail == "_ADDR")
        return std::string(name.substr(0, pos));
    }
  }
  if (bare_port && absl::EndsWith(name, "_PORT") && name.size() > 5)
    return std::string(name.substr(0, name.size() - 5));
  return std::nullopt;
}

std::string ServicePortVariable(absl::string_view service_name) {
  return absl::StrCat(MakeEnvVariableName(service_name), "_SERVICE_PORT");
}

std::string MakeEnvVariableName(absl::string_view name) {
  std::string out(name);
  for (char& c : out) c = c == '-' ? '_' : absl::ascii_toupper(c);
  return out;
}

std::string DescribeServiceSource(const Service& service, int port_index) {
  std::string out = absl::StrCat("Service ", service.meta.namespace_name, "/",
                                 service.meta.name);
  if (port_index >= 0 && port_index < static_cast<int>(service.ports.size())) {
    const ServicePort& port = service.ports[port_index];
    absl::StrAppend(&out, " port ", port.port, "/",
                    port.protocol.empty() ? "TCP" : port.protocol);
    if (!port.name.empty()) absl::StrAppend(&out, " (", port.name, ")");
  }
  return out;
}

absl::Status AppendServiceVariables(const Service& service,
                                    std::vector<ServiceVariable>* out) {
  if (!IsServiceIPSet(service)) return absl::OkStatus();
  if (service.ports.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Service ", service.meta.namespace_name, "/", service.meta.name,
        " has cluster IP ", service.cluster_ip,
        " but no ports (the API forbids this and the kubelet would crash on "
        "it); it contributes no variables"));
  }
  const std::string prefix = MakeEnvVariableName(service.meta.name);
  const std::string& ip = service.cluster_ip;
  auto add = [&](std::string name, std::string value, int port_index) {
    out->push_back(
        ServiceVariable{std::move(name), std::move(value), &service,
                        port_index});
  };
  const std::string first_port = absl::StrCat(service.ports[0].port);
  add(absl::StrCat(prefix, "_SERVICE_HOST"), ip, -1);
  add(ServicePortVariable(service.meta.name), first_port, 0);
  for (size_t i = 0; i < service.ports.size(); ++i) {
    const ServicePort& port = service.ports[i];
    if (port.name.empty()) continue;
    add(absl::StrCat(prefix, "_SERVICE_PORT_", MakeEnvVariableName(port.name)),
        absl::StrCat(port.port), static_cast<int>(i));
  }
  // The Docker-link-compatible group (makeLinkVariables).
  for (size_t i = 0; i < service.ports.size(); ++i) {
    const ServicePort& port = service.ports[i];
    const int index = static_cast<int>(i);
    const absl::string_view protocol =
        port.protocol.empty() ? absl::string_view("TCP") : port.protocol;
    const std::string number = absl::StrCat(port.port);
    const std::string lower_protocol = absl::AsciiStrToLower(protocol);
    std::string url = absl::StrCat(lower_protocol, "://");
    AppendHostPort(ip, number, &url);
    if (i == 0) add(absl::StrCat(prefix, "_PORT"), url, index);
    const std::string port_prefix = absl::StrCat(
        prefix, "_PORT_", number, "_", absl::AsciiStrToUpper(protocol));
    add(port_prefix, std::move(url), index);
    add(absl::StrCat(port_prefix, "_PROTO"), lower_protocol, index);
    add(absl::StrCat(port_prefix, "_PORT"), number, index);
    add(absl::StrCat(port_prefix, "_ADDR"), ip, index);
  }
  return absl::OkStatus();
}

namespace {

const Service& Deref(const Service& service) { return service; }
const Service& Deref(const Service* service) { return *service; }

// VisibleServices over any list of Services or pointers to them.
template <typename List>
std::vector<const Service*> SelectVisible(const List& services,
                                          absl::string_view pod_namespace,
                                          bool enable_service_links) {
  // Keyed by Service name, as the kubelet's `mappedServices`.
  std::map<absl::string_view, const Service*> by_name;
  for (const auto& element : services) {
    const Service& service = Deref(element);
    if (!IsServiceIPSet(service)) continue;
    const absl::string_view ns = service.meta.namespace_name;
    const absl::string_view name = service.meta.name;
    if (ns == kMasterServiceNamespace && name == kMasterServiceName) {
      // Never replaces the pod namespace's own `kubernetes` Service; a later
      // copy of default/kubernetes itself does replace an earlier one.
      auto [it, inserted] = by_name.emplace(name, &service);
      if (!inserted &&
          it->second->meta.namespace_name == kMasterServiceNamespace) {
        it->second = &service;
      }
    } else if (ns == pod_namespace && enable_service_links) {
      by_name[name] = &service;
    }
  }
  std::vector<const Service*> visible;
  visible.reserve(by_name.size());
  for (const auto& [name, service] : by_name) visible.push_back(service);
  std::sort(visible.begin(), visible.end(),
            [](const Service* a, const Service* b) {
              return std::tie(a->meta.namespace_name, a->meta.name) <
                     std::tie(b->meta.namespace_name, b->meta.name);
            });
  return visible;
}

}  // namespace

std::vector<const Service*> VisibleServices(
    const std::vector<Service>& services, absl::string_view pod_namespace,
    bool enable_service_links) {
  return SelectVisible(services, pod_namespace, enable_service_links);
}

std::vector<const Service*> VisibleServices(
    const std::vector<const Service*>& services,
    absl::string_view pod_namespace, bool enable_service_links) {
  return SelectVisible(services, pod_namespace, enable_service_links);
}

ServiceEnvironment ComputeServiceEnvironment(
    const std::vector<Service>& services, absl::string_view pod_namespace,
    bool enable_service_links) {
  return BuildServiceEnvironment(
      VisibleServices(services, pod_namespace, enable_service_links));
}

ServiceEnvironment BuildServiceEnvironment(
    const std::vector<const Service*>& visible) {
  ServiceEnvironment result;
  std::vector<ServiceVariable> all;
  for (const Service* service : visible) {
    absl::Status status = AppendServiceVariables(*service, &all);
    if (!status.ok()) result.diagnostics.emplace_back(status.message());
  }
  // Group equal names, keeping application order inside a group: the last
  // of a group is the value that wins.
  std::vector<size_t> order(all.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&all](size_t a, size_t b) {
    return all[a].name < all[b].name;
  });
  result.variables.reserve(order.size());
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin + 1;
    while (end < order.size() && all[order[end]].name == all[order[begin]].name)
      ++end;
    bool several_services = false;
    for (size_t k = begin + 1; k < end; ++k) {
      several_services |= all[order[k]].service != all[order[begin]].service;
    }
    if (several_services) {
      ServiceClash clash;
      clash.name = all[order[begin]].name;
      for (size_t k = begin; k < end; ++k)
        clash.candidates.push_back(all[order[k]]);
      result.clashes.push_back(std::move(clash));
    }
    result.variables.push_back(std::move(all[order[end - 1]]));
    begin = end;
  }
  return result;
}

}  // namespace svcenv
