#include "bench/synthetic.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "svcenv/objects.h"

namespace svcenv {
namespace bench {
namespace {

// Words for Service names. None is "port" or "service", so no Service's
// variables can collide with another's (`a-service` would clash with `a`).
constexpr const char* kWords[] = {
    "checkout", "cart",    "catalog", "payments", "search",  "auth",
    "users",    "orders",  "billing", "shipping", "reviews", "ads",
    "email",    "profile", "gateway", "inventory"};
constexpr const char* kRoles[] = {"api",      "worker",  "db",   "cache",
                                  "frontend", "backend", "grpc", "web"};

std::string Uid(std::mt19937_64& rng) {
  const uint64_t a = rng(), b = rng();
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", a >> 32,
                         (a >> 16) & 0xffff, a & 0xffff, b >> 48,
                         b & 0xffffffffffffULL);
}

}  // namespace

std::string NamespaceName(int index) {
  return absl::StrFormat("team-%03d", index);
}

std::vector<Service> MakeServices(int count, int namespaces, bool with_master) {
  std::mt19937_64 rng(20240501);
  std::vector<Service> services;
  services.reserve(count);
  if (with_master && count > 0) {
    Service master;
    master.meta.namespace_name = "default";
    master.meta.name = "kubernetes";
    master.meta.uid = Uid(rng);
    master.meta.creation_timestamp =
        Timestamp{"2024-01-01T00:00:00Z", 1704067200};
    master.meta.labels = {{"component", "apiserver"},
                          {"provider", "kubernetes"}};
    master.type = "ClusterIP";
    master.cluster_ip = "10.96.0.1";
    master.cluster_ips = {master.cluster_ip};
    master.ports.push_back({"https", 443, "TCP"});
    services.push_back(std::move(master));
  }
  constexpr int kWordCount = sizeof(kWords) / sizeof(kWords[0]);
  constexpr int kRoleCount = sizeof(kRoles) / sizeof(kRoles[0]);
  for (int i = static_cast<int>(services.size()); i < count; ++i) {
    // Consecutive indices go to different namespaces, and the counter `k`
    // keeps names unique inside each namespace.
    const int ns = i % namespaces;
    const int k = i / namespaces;
    Service s;
    s.meta.namespace_name = NamespaceName(ns);
    s.meta.name = absl::StrCat(kWords[k % kWordCount], "-",
                               kRoles[(k / kWordCount) % kRoleCount], "-", k);
    s.meta.uid = Uid(rng);
    const int64_t created = 1704067200 + static_cast<int64_t>(i) * 37;
    s.meta.creation_timestamp =
        Timestamp{absl::StrFormat("2024-01-%02dT%02d:%02d:%02dZ",
                                  1 + created / 86400 % 28, created / 3600 % 24,
                                  created / 60 % 60, created % 60),
                  created};
    s.meta.labels = {{"app", s.meta.name},
                     {"app.kubernetes.io/part-of", s.meta.namespace_name}};
    s.type = "ClusterIP";
    const int host = i + 10;  // Past 10.96.0.1 (the master).
    s.cluster_ip = absl::StrCat("10.", 96 + host / 65536, ".", host / 256 % 256,
                                ".", host % 256);
    s.cluster_ips = {s.cluster_ip};
    const int port_count = 1 + static_cast<int>(rng() % 3);
    if (port_count == 1 && rng() % 2 == 0) {
      s.ports.push_back({"", 8080, "TCP"});  // A lone unnamed port.
    } else {
      s.ports.push_back({"http", 80, "TCP"});
      if (port_count >= 2) {
        if (i % 10 == 0) {
          s.ports.push_back({"dns", 53, "UDP"});
        } else {
          s.ports.push_back({"grpc", 9090, "TCP"});
        }
      }
      if (port_count >= 3) s.ports.push_back({"metrics", 9100, "TCP"});
    }
    services.push_back(std::move(s));
  }
  std::shuffle(services.begin(), services.end(), rng);
  return services;
}

namespace {

nlohmann::json ServiceList(const std::vector<Service>& services) {
  nlohmann::json items = nlohmann::json::array();
  int64_t resource_version = 1000;
  for (const Service& s : services) {
    nlohmann::json metadata = {
        {"name", s.meta.name},
        {"namespace", s.meta.namespace_name},
        {"resourceVersion", std::to_string(++resource_version)},
        {"uid", s.meta.uid},
    };
    if (s.meta.creation_timestamp.has_value()) {
      metadata["creationTimestamp"] = s.meta.creation_timestamp->text;
    }
    if (!s.meta.labels.empty()) metadata["labels"] = s.meta.labels;
    nlohmann::json ports = nlohmann::json::array();
    for (const ServicePort& p : s.ports) {
      nlohmann::json port = {{"port", p.port},
                             {"protocol", p.protocol},
                             {"targetPort", p.port == 80 ? 8080 : p.port}};
      if (!p.name.empty()) port["name"] = p.name;
      ports.push_back(std::move(port));
    }
    nlohmann::json spec = {
        {"clusterIP", s.cluster_ip},          {"clusterIPs", s.cluster_ips},
        {"internalTrafficPolicy", "Cluster"}, {"ipFamilies", {"IPv4"}},
        {"ipFamilyPolicy", "SingleStack"},    {"ports", std::move(ports)},
        {"sessionAffinity", "None"},          {"type", s.type},
    };
    if (auto app = s.meta.labels.find("app"); app != s.meta.labels.end()) {
      spec["selector"] = {{"app", app->second}};
    }
    items.push_back({{"apiVersion", "v1"},
                     {"kind", "Service"},
                     {"metadata", std::move(metadata)},
                     {"spec", std::move(spec)},
                     {"status", {{"loadBalancer", nlohmann::json::object()}}}});
  }
  nlohmann::json list = {{"apiVersion", "v1"},
                         {"items", std::move(items)},
                         {"kind", "List"},
                         {"metadata", {{"resourceVersion", ""}}}};
  return list;
}

// True when `s` can be written as a plain YAML scalar that reads back as
// the same string (conservatively: a few safe characters, not a number,
// boolean, null or timestamp).
bool PlainSafe(const std::string& s) {
  if (s.empty()) return false;
  bool digits_only = true;
  for (char c : s) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !digit && c != '-' && c != '.' && c != '_' && c != '/') {
      return false;
    }
    if (!digit && c != '.') digits_only = false;
  }
  if (digits_only && std::count(s.begin(), s.end(), '.') <= 1) return false;
  const char c = s[0];
  if (c == '-' || c == '.' || (c >= '0' && c <= '9' && s.size() < 4)) {
    return false;
  }
  static const char* const kWords[] = {
      "y",  "Y",    "yes",  "Yes",  "YES",   "n",     "N",     "no", "No",
      "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On",
      "ON", "off",  "Off",  "OFF",  "null",  "Null",  "NULL"};
  for (const char* w : kWords) {
    if (s == w) return false;
  }
  return true;
}

// Block-style YAML in go-yaml v2's (kubectl's) layout: sorted keys, two
// spaces per level, sequences of a map key at the key's indentation.
void AppendYaml(const nlohmann::json& v, int indent, bool in_sequence,
                std::string* out) {
  const std::string pad(indent, ' ');
  if (v.is_object()) {
    if (v.empty()) {
      *out += " {}\n";
      return;
    }
    bool first = true;
    if (!in_sequence) *out += "\n";
    for (const auto& [k, e] : v.items()) {
      if (!(first && in_sequence)) *out += pad;
      first = false;
      *out += k;
      *out += ':';
      if (e.is_array() && !e.empty()) {
        *out += "\n";
        AppendYaml(e, indent, false, out);
      } else if (e.is_object()) {
        AppendYaml(e, indent + 2, false, out);
      } else {
        AppendYaml(e, indent + 2, false, out);
      }
    }
  } else if (v.is_array()) {
    if (v.empty()) {
      *out += " []\n";
      return;
    }
    for (const auto& e : v) {
      *out += pad;
      *out += "- ";
      if (e.is_object() && !e.empty()) {
        AppendYaml(e, indent + 2, true, out);
      } else {
        std::string scalar;
        AppendYaml(e, indent + 2, false, &scalar);
        out->append(scalar, 1, std::string::npos);  // Drop the leading ' '.
      }
    }
  } else if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    *out += ' ';
    *out += PlainSafe(s) ? s : nlohmann::json(s).dump();
    *out += "\n";
  } else {
    *out += ' ';
    *out += v.dump();
    *out += "\n";
  }
}

}  // namespace

std::string ServiceListJson(const std::vector<Service>& services) {
  return ServiceList(services).dump(4) + "\n";
}

std::string ServiceListYaml(const std::vector<Service>& services) {
  std::string out;
  AppendYaml(ServiceList(services), 0, true, &out);
  return out;
}

}  // namespace bench
}  // namespace svcenv
