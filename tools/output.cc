#include "tools/output.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace svcenv::cli {

std::vector<const Service*> StandInPendingClusterIps(
    std::vector<Service>* services) {
  std::vector<const Service*> pending;
  for (Service& s : *services) {
    if (s.cluster_ip.empty() && s.type != "ExternalName" &&
        !s.meta.creation_timestamp.has_value()) {
      s.cluster_ip = kPendingClusterIp;
      pending.push_back(&s);
    }
  }
  return pending;
}

std::vector<std::string> PendingClusterIpWarnings(
    const std::vector<const Service*>& pending,
    const std::vector<const Service*>& visible) {
  std::vector<std::string> out;
  for (const Service* s : visible) {
    if (std::find(pending.begin(), pending.end(), s) == pending.end()) continue;
    out.push_back(absl::StrCat(
        "Service ", s->meta.namespace_name, "/", s->meta.name,
        " has no clusterIP yet: the API server allocates one when it is "
        "created; its variables show ",
        kPendingClusterIp));
  }
  return out;
}

std::vector<std::string> MissingMasterServiceWarning(
    const std::vector<Service>& services) {
  for (const Service& s : services) {
    if (s.meta.namespace_name == "default" && s.meta.name == "kubernetes") {
      return {};
    }
  }
  return {
      "the input has no Service default/kubernetes: in a cluster every "
      "container also gets its KUBERNETES_* variables (add the output of "
      "`kubectl get service kubernetes -n default -o yaml` to the inputs)"};
}

std::string DescribeClash(const ServiceClash& clash) {
  std::vector<std::string> parts;
  for (const ServiceVariable& c : clash.candidates) {
    parts.push_back(absl::StrCat(
        DescribeServiceSource(*c.service, c.port_index), " sets \"",
        c.value, "\""));
  }
  return absl::StrCat(clash.name, " is produced by several Services: ",
                      absl::StrJoin(parts, "; "),
                      ". The kubelet picks one at random; svcenv uses \"",
                      clash.candidates.back().value, "\" (the last by namespace/name)");
}

nlohmann::ordered_json ServiceSourceJson(const Service& service,
                                         int port_index) {
  nlohmann::ordered_json source;
  source["kind"] = "Service";
  source["namespace"] = service.meta.namespace_name;
  source["name"] = service.meta.name;
  if (port_index >= 0 && port_index < static_cast<int>(service.ports.size())) {
    const ServicePort& port = service.ports[port_index];
    source["port"] = {{"name", port.name},
                      {"port", port.port},
                      {"protocol", port.protocol.empty() ? "TCP" : port.protocol}};
  }
  return source;
}

nlohmann::ordered_json ServiceVariableSourceJson(const ServiceVariable& v) {
  return ServiceSourceJson(*v.service, v.port_index);
}

nlohmann::ordered_json ClashesJson(const std::vector<ServiceClash>& clashes) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const ServiceClash& clash : clashes) {
    nlohmann::ordered_json item;
    item["name"] = clash.name;
    item["used"] = clash.candidates.back().value;
    item["candidates"] = nlohmann::ordered_json::array();
    for (const ServiceVariable& c : clash.candidates) {
      item["candidates"].push_back(
          {{"value", c.value}, {"source", ServiceVariableSourceJson(c)}});
    }
    out.push_back(std::move(item));
  }
  return out;
}

std::string DumpJson(const nlohmann::ordered_json& doc) {
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace svcenv::cli
