#include "tools/output.h"

#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
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
  std::vector<std::string> names;
  for (const Service* s : visible) {
    if (std::find(pending.begin(), pending.end(), s) == pending.end()) continue;
    names.push_back(absl::StrCat(s->meta.namespace_name, "/", s->meta.name));
  }
  if (names.empty()) return {};
  // One line for all of them: a manifest set typically has many.
  return {absl::StrCat(
      names.size() == 1 ? "Service " : absl::StrCat(names.size(), " Services "),
      absl::StrJoin(names, ", "), names.size() == 1 ? " has" : " have",
      " no clusterIP yet: the API server allocates one when ",
      names.size() == 1 ? "it is" : "they are", " created; ",
      names.size() == 1 ? "its" : "their", " variables show ",
      kPendingClusterIp)};
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

namespace {

// True for words YAML 1.1 (go-yaml v2, what kubectl reads) resolves to
// something other than a string, or that need quoting to stay plain text.
bool NeedsQuotes(const std::string& s) {
  if (s.empty()) return true;
  const char first = s[0];
  if (!(absl::ascii_isalpha(first) || first == '_' || first == '/')) {
    return true;  // Digits, signs, dots: maybe numbers; indicators.
  }
  for (char c : s) {
    if (!(absl::ascii_isalnum(c) || c == '_' || c == '-' || c == '.' ||
          c == '/')) {
      return true;
    }
  }
  static const char* const kSpecial[] = {"y", "yes", "n", "no", "true",
                                         "false", "on", "off", "null"};
  const std::string lower = absl::AsciiStrToLower(s);
  for (const char* word : kSpecial) {
    if (lower == word) return true;
  }
  return false;
}

std::string Scalar(const nlohmann::ordered_json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (!NeedsQuotes(s)) return s;
  }
  // A JSON scalar is valid YAML, and JSON string escapes are YAML's.
  return value.dump(-1, ' ', false,
                    nlohmann::ordered_json::error_handler_t::replace);
}

bool IsEmptyContainer(const nlohmann::ordered_json& value) {
  return (value.is_object() || value.is_array()) && value.empty();
}

void EmitYaml(const nlohmann::ordered_json& value, int indent,
              std::string* out);

// `value` after "key:" or "-": inline when scalar or empty, else on the
// following lines.
void EmitValueAfter(const nlohmann::ordered_json& value, int indent,
                    bool in_sequence, std::string* out) {
  if (IsEmptyContainer(value)) {
    absl::StrAppend(out, value.is_object() ? " {}\n" : " []\n");
  } else if (value.is_object() || value.is_array()) {
    if (in_sequence && value.is_object()) {
      // "- key: v" with the other keys aligned under the first.
      std::string nested;
      EmitYaml(value, indent + 2, &nested);
      absl::StrAppend(out, " ", nested.substr(indent + 2));
      return;
    }
    absl::StrAppend(out, "\n");
    // Sequences under a key sit at the key's indentation, as kubectl prints.
    EmitYaml(value, value.is_array() && !in_sequence ? indent : indent + 2,
             out);
  } else {
    absl::StrAppend(out, " ", Scalar(value), "\n");
  }
}

void EmitYaml(const nlohmann::ordered_json& value, int indent,
              std::string* out) {
  const std::string pad(indent, ' ');
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      absl::StrAppend(out, pad, Scalar(nlohmann::ordered_json(key)), ":");
      EmitValueAfter(item, indent, false, out);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      absl::StrAppend(out, pad, "-");
      EmitValueAfter(item, indent, true, out);
    }
  } else {
    absl::StrAppend(out, pad, Scalar(value), "\n");
  }
}

}  // namespace

std::string DumpYaml(const nlohmann::ordered_json& doc) {
  if (IsEmptyContainer(doc)) return doc.is_object() ? "{}\n" : "[]\n";
  std::string out;
  EmitYaml(doc, 0, &out);
  return out;
}

void WarningGroups::AddBatch(const std::vector<std::string>& batch) {
  std::map<std::string, int> counts;
  for (const std::string& w : batch) ++counts[w];
  for (const std::string& w : batch) {
    auto [it, inserted] = index_.emplace(w, groups_.size());
    if (inserted) groups_.emplace_back(w, 0);
    int& count = groups_[it->second].second;
    count = std::max(count, counts[w]);
  }
}

void WarningGroups::Print(absl::string_view prefix, std::ostream& out) const {
  for (const auto& [text, count] : groups_) {
    out << prefix << ": warning: " << text;
    if (count > 1) out << " (" << count << " times)";
    out << "\n";
  }
}

}  // namespace svcenv::cli
