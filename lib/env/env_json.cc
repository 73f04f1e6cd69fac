// The JSON form of a computed environment (svcenv/env_json.h): moved here
// from tools/ so that `svcenv env -o json` and the C API print one schema.
#include "svcenv/env_json.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace svcenv {

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

nlohmann::ordered_json EnvSourceJson(const EnvSource& s) {
  if (s.kind == SourceKind::kService && s.service != nullptr) {
    return ServiceSourceJson(*s.service, s.port_index);
  }
  nlohmann::ordered_json j;
  switch (s.kind) {
    case SourceKind::kService:
      j["kind"] = "Service";
      break;
    case SourceKind::kConfigMapEnvFrom:
    case SourceKind::kConfigMapKeyRef:
      j["kind"] = "ConfigMap";
      break;
    case SourceKind::kSecretEnvFrom:
    case SourceKind::kSecretKeyRef:
      j["kind"] = "Secret";
      break;
    case SourceKind::kLiteral:
      j["kind"] = "value";
      break;
    case SourceKind::kEmpty:
      j["kind"] = "empty";
      break;
    case SourceKind::kFieldRef:
      j["kind"] = "fieldRef";
      break;
    case SourceKind::kResourceFieldRef:
      j["kind"] = "resourceFieldRef";
      break;
    case SourceKind::kFileKeyRef:
      j["kind"] = "fileKeyRef";
      break;
  }
  if (!s.object_name.empty()) {
    j["namespace"] = s.object_namespace;
    j["name"] = s.object_name;
  }
  if (!s.key.empty()) j["key"] = s.key;
  if (s.kind == SourceKind::kConfigMapEnvFrom ||
      s.kind == SourceKind::kSecretEnvFrom) {
    j["via"] = "envFrom";
    j["prefix"] = s.prefix;
  } else if (s.kind == SourceKind::kConfigMapKeyRef ||
             s.kind == SourceKind::kSecretKeyRef) {
    j["via"] = "env";
  }
  if (!s.field_path.empty()) j["fieldPath"] = s.field_path;
  if (s.kind == SourceKind::kFileKeyRef) {
    j["volumeName"] = s.volume_name;
    j["filePath"] = s.path;
  }
  if (!s.resource.empty()) {
    j["resource"] = s.resource;
    if (!s.divisor.empty()) j["divisor"] = s.divisor;
    if (!s.container_name.empty()) j["containerName"] = s.container_name;
  }
  if (s.index >= 0) {
    const bool env_from = s.kind == SourceKind::kConfigMapEnvFrom ||
                          s.kind == SourceKind::kSecretEnvFrom;
    j["path"] = absl::StrCat(env_from ? "envFrom[" : "env[", s.index, "]");
  }
  return j;
}

nlohmann::ordered_json ContainerEnvironmentJson(
    const Pod& pod, const Container& container, const ContainerEnvironment& env,
    const std::vector<std::string>& warnings, const Redactor& redactor) {
  nlohmann::ordered_json doc;
  doc["pod"] = {{"namespace", pod.meta.namespace_name},
                {"name", pod.workload_name}};
  doc["container"] = container.name;
  doc["env"] = nlohmann::ordered_json::array();
  for (const EnvEntry& e : env.env) {
    nlohmann::ordered_json item;
    item["name"] = e.name;
    item["value"] = redactor.Shown(e);
    item["source"] = EnvSourceJson(e.source);
    // A literal value's `$(...)` references, inside `source` so that each
    // entry keeps exactly the documented keys.
    if (!e.expanded_references.empty()) {
      item["source"]["references"] = e.expanded_references;
    }
    if (!e.unresolved_references.empty()) {
      item["source"]["unresolved"] = e.unresolved_references;
    }
    // The value is a placeholder: the kubelet reads it at container start.
    if (e.runtime_only) item["source"]["runtimeOnly"] = true;
    // A placeholder: the kubelet would refuse the container (partial result).
    if (e.unknown) item["source"]["unknown"] = true;
    item["shadows"] = nlohmann::ordered_json::array();
    for (const EnvSource& s : e.shadows) item["shadows"].push_back(EnvSourceJson(s));
    doc["env"].push_back(std::move(item));
  }
  doc["command"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < env.command.size(); ++i) {
    doc["command"].push_back(
        redactor.ShownArg(env.command[i], container.command[i]));
  }
  doc["args"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < env.args.size(); ++i) {
    doc["args"].push_back(redactor.ShownArg(env.args[i], container.args[i]));
  }
  doc["warnings"] = warnings;
  return doc;
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

std::string DumpJson(const nlohmann::ordered_json& doc) {
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace svcenv
