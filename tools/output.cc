#include "tools/output.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace svcenv::cli {

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
