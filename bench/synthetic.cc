#include "bench/synthetic.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

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

std::string Rfc3339(int64_t unix_seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(unix_seconds),
                          absl::UTCTimeZone());
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
    s.meta.creation_timestamp = Timestamp{Rfc3339(created), created};
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

// `n` characters of the alphabet the API server's name generator and the
// Deployment controller's hash use.
std::string RandomSuffix(std::mt19937_64& rng, int n) {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(kAlphabet[rng() % 27]);
  return out;
}

nlohmann::json ServiceItem(const Service& s, int64_t resource_version) {
  nlohmann::json metadata = {
      {"name", s.meta.name},
      {"namespace", s.meta.namespace_name},
      {"resourceVersion", std::to_string(resource_version)},
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
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", std::move(metadata)},
          {"spec", std::move(spec)},
          {"status", {{"loadBalancer", nlohmann::json::object()}}}};
}

nlohmann::json ListOf(nlohmann::json items) {
  return {{"apiVersion", "v1"},
          {"items", std::move(items)},
          {"kind", "List"},
          {"metadata", {{"resourceVersion", ""}}}};
}

nlohmann::json OwnerReference(const char* api_version, const char* kind,
                              const std::string& name, const std::string& uid) {
  return {{"apiVersion", api_version}, {"blockOwnerDeletion", true},
          {"controller", true},        {"kind", kind},
          {"name", name},              {"uid", uid}};
}

// The pod spec a Deployment `app` of `ns` stamps out, with the API server's
// defaults as read back (volumes and tolerations left out for size). A
// non-empty `upstream` (a Service variable name) adds an env entry that
// references it.
nlohmann::json PodSpecJson(const std::string& app, const std::string& ns,
                           const std::string& upstream = "") {
  nlohmann::json env = {
      {{"name", "APP_MODE"}, {"value", "production"}},
      {{"name", "LOG_LEVEL"}, {"value", "info"}},
      {{"name", "POD_NAME"},
       {"valueFrom",
        {{"fieldRef",
          {{"apiVersion", "v1"}, {"fieldPath", "metadata.name"}}}}}}};
  if (!upstream.empty()) {
    env.push_back({{"name", "UPSTREAM"},
                   {"value", absl::StrCat("http://$(", upstream, "):8080")}});
  }
  nlohmann::json app_container = {
      {"env", std::move(env)},
      {"image", absl::StrCat("registry.example.com/", ns, "/", app, ":1.4.2")},
      {"imagePullPolicy", "IfNotPresent"},
      {"name", "app"},
      {"ports", {{{"containerPort", 8080}, {"name", "http"},
                  {"protocol", "TCP"}}}},
      {"resources",
       {{"limits", {{"cpu", "500m"}, {"memory", "512Mi"}}},
        {"requests", {{"cpu", "100m"}, {"memory", "256Mi"}}}}},
      {"terminationMessagePath", "/dev/termination-log"},
      {"terminationMessagePolicy", "File"}};
  nlohmann::json proxy_container = {
      {"image", "envoyproxy/envoy:v1.29.1"},
      {"imagePullPolicy", "IfNotPresent"},
      {"name", "proxy"},
      {"resources",
       {{"limits", {{"cpu", "200m"}, {"memory", "128Mi"}}},
        {"requests", {{"cpu", "50m"}, {"memory", "64Mi"}}}}},
      {"terminationMessagePath", "/dev/termination-log"},
      {"terminationMessagePolicy", "File"}};
  return {{"containers", {std::move(app_container), std::move(proxy_container)}},
          {"dnsPolicy", "ClusterFirst"},
          {"enableServiceLinks", true},
          {"preemptionPolicy", "PreemptLowerPriority"},
          {"priority", 0},
          {"restartPolicy", "Always"},
          {"schedulerName", "default-scheduler"},
          {"securityContext", nlohmann::json::object()},
          {"serviceAccount", "default"},
          {"serviceAccountName", "default"},
          {"terminationGracePeriodSeconds", 30}};
}

nlohmann::json ContainerStatusJson(const std::string& name,
                                   const std::string& image, int64_t started) {
  return {{"image", image},
          {"lastState", nlohmann::json::object()},
          {"name", name},
          {"ready", true},
          {"restartCount", 0},
          {"started", true},
          {"state", {{"running", {{"startedAt", Rfc3339(started)}}}}}};
}

// LiveDumpShape::lean: drops what svcenv does not read and a trimmed dump
// leaves out (uids, resource versions, defaults, resources, ready flags).
void MakeLeanPod(nlohmann::json* item) {
  nlohmann::json& metadata = (*item)["metadata"];
  for (const char* key : {"generateName", "resourceVersion", "uid"})
    metadata.erase(key);
  for (nlohmann::json& owner : metadata["ownerReferences"])
    owner.erase("blockOwnerDeletion");
  nlohmann::json& spec = item->contains("spec") && (*item)["spec"].contains(
                                                       "template")
                             ? (*item)["spec"]["template"]["spec"]
                             : (*item)["spec"];
  for (const char* key :
       {"dnsPolicy", "preemptionPolicy", "priority", "schedulerName",
        "securityContext", "serviceAccount", "serviceAccountName",
        "terminationGracePeriodSeconds"})
    spec.erase(key);
  for (nlohmann::json& container : spec["containers"]) {
    for (const char* key : {"imagePullPolicy", "ports", "resources",
                            "terminationMessagePath",
                            "terminationMessagePolicy"})
      container.erase(key);
  }
  if (!item->contains("status")) return;
  nlohmann::json& status = (*item)["status"];
  for (const char* key : {"hostIPs", "qosClass", "startTime"})
    status.erase(key);
  if (!status.contains("containerStatuses")) return;
  for (nlohmann::json& container : status["containerStatuses"]) {
    for (const char* key : {"image", "lastState", "ready", "restartCount",
                            "started"})
      container.erase(key);
  }
}

void MakeLeanService(nlohmann::json* item) {
  nlohmann::json& metadata = (*item)["metadata"];
  for (const char* key : {"labels", "resourceVersion", "uid"})
    metadata.erase(key);
  nlohmann::json& spec = (*item)["spec"];
  for (const char* key : {"clusterIPs", "internalTrafficPolicy", "ipFamilies",
                          "ipFamilyPolicy", "selector", "sessionAffinity"})
    spec.erase(key);
  for (nlohmann::json& port : spec["ports"]) port.erase("targetPort");
  item->erase("status");
}

nlohmann::json ServiceList(const std::vector<Service>& services) {
  nlohmann::json items = nlohmann::json::array();
  int64_t resource_version = 1000;
  for (const Service& s : services) {
    items.push_back(ServiceItem(s, ++resource_version));
  }
  return ListOf(std::move(items));
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

std::string LiveDumpJson(const LiveDumpShape& shape, LiveDumpFacts* facts) {
  std::mt19937_64 rng(20261127);
  LiveDumpFacts local;
  if (facts == nullptr) facts = &local;
  *facts = LiveDumpFacts();

  // Timeline: MakeServices' Services were created within the first ~4 days
  // of 2024; pods start a week in; the late Services an hour after the last.
  constexpr int64_t kEpoch = 1704067200;  // 2024-01-01T00:00:00Z
  const int64_t pods_from = kEpoch + 7 * 86400;
  const int64_t late_from = pods_from +
                            static_cast<int64_t>(shape.deployments) * 20 +
                            3600;

  std::vector<Service> services =
      MakeServices(shape.services, shape.namespaces, /*with_master=*/true);
  // The newest `late_services_per_namespace` of each namespace become late.
  std::map<std::string, std::vector<Service*>> by_namespace;
  for (Service& s : services) {
    if (s.meta.namespace_name == "default" && s.meta.name == "kubernetes")
      continue;
    by_namespace[s.meta.namespace_name].push_back(&s);
  }
  int64_t late_at = late_from;
  for (auto& [ns, list] : by_namespace) {
    std::sort(list.begin(), list.end(), [](const Service* a, const Service* b) {
      return a->meta.creation_timestamp->unix_seconds <
             b->meta.creation_timestamp->unix_seconds;
    });
    const int late =
        std::min<int>(shape.late_services_per_namespace, list.size());
    for (int j = static_cast<int>(list.size()) - late;
         j < static_cast<int>(list.size()); ++j) {
      late_at += 7;
      list[j]->meta.creation_timestamp = Timestamp{Rfc3339(late_at), late_at};
      ++facts->late_services;
    }
  }

  int64_t resource_version = 5000;
  std::vector<std::pair<std::string, nlohmann::json>> pods;  // Sort key.
  nlohmann::json replica_sets = nlohmann::json::array();
  for (int d = 0; d < shape.deployments; ++d) {
    const std::string ns = NamespaceName(d % shape.namespaces);
    const std::string app = absl::StrCat("app", d);
    const std::string hash = RandomSuffix(rng, 10);
    const std::string rs_name = absl::StrCat(app, "-", hash);
    const std::string deployment_uid = Uid(rng);
    const std::string rs_uid = Uid(rng);
    const int64_t created = pods_from + static_cast<int64_t>(d) * 20;
    facts->deployments.push_back(absl::StrCat("Deployment ", ns, "/", app));
    const std::map<std::string, std::string> labels = {
        {"app", app}, {"pod-template-hash", hash}};
    // A Service of the namespace that is there before every pod.
    std::string upstream;
    if (shape.references) {
      const std::vector<Service*>& in_namespace = by_namespace[ns];
      const int early =
          static_cast<int>(in_namespace.size()) -
          std::min<int>(shape.late_services_per_namespace, in_namespace.size());
      if (early > 0) {
        upstream = absl::StrCat(
            MakeEnvVariableName(
                in_namespace[(d / shape.namespaces) % early]->meta.name),
            "_SERVICE_HOST");
      }
    }
    if (shape.with_replica_sets) {
      nlohmann::json template_meta = {{"creationTimestamp", nullptr},
                                      {"labels", labels}};
      replica_sets.push_back(
          {{"apiVersion", "apps/v1"},
           {"kind", "ReplicaSet"},
           {"metadata",
            {{"annotations",
              {{"deployment.kubernetes.io/desired-replicas",
                std::to_string(shape.pods_per_deployment)},
               {"deployment.kubernetes.io/max-replicas",
                std::to_string(shape.pods_per_deployment + 3)},
               {"deployment.kubernetes.io/revision", "1"}}},
             {"creationTimestamp", Rfc3339(created - 1)},
             {"generation", 1},
             {"labels", labels},
             {"name", rs_name},
             {"namespace", ns},
             {"ownerReferences",
              {OwnerReference("apps/v1", "Deployment", app, deployment_uid)}},
             {"resourceVersion", std::to_string(++resource_version)},
             {"uid", rs_uid}}},
           {"spec",
            {{"replicas", shape.pods_per_deployment},
             {"selector", {{"matchLabels", labels}}},
             {"template",
              {{"metadata", std::move(template_meta)},
               {"spec", PodSpecJson(app, ns, upstream)}}}}},
           {"status",
            {{"availableReplicas", shape.pods_per_deployment},
             {"fullyLabeledReplicas", shape.pods_per_deployment},
             {"observedGeneration", 1},
             {"readyReplicas", shape.pods_per_deployment},
             {"replicas", shape.pods_per_deployment}}}});
    }
    for (int p = 0; p < shape.pods_per_deployment; ++p) {
      const std::string name =
          absl::StrCat(rs_name, "-", RandomSuffix(rng, 5));
      const int64_t pod_created = created + p;
      const std::string image =
          absl::StrCat("registry.example.com/", ns, "/", app, ":1.4.2");
      const int host = 10 + (d * shape.pods_per_deployment + p) % 200;
      const std::string pod_ip =
          absl::StrCat("10.244.", (d * 7 + p) % 250, ".", 2 + p);
      const std::string host_ip = absl::StrCat("192.168.0.", host);
      nlohmann::json pod = {
          {"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata",
           {{"creationTimestamp", Rfc3339(pod_created)},
            {"generateName", absl::StrCat(rs_name, "-")},
            {"labels", labels},
            {"name", name},
            {"namespace", ns},
            {"ownerReferences",
             {OwnerReference("apps/v1", "ReplicaSet", rs_name, rs_uid)}},
            {"resourceVersion", std::to_string(++resource_version)},
            {"uid", Uid(rng)}}},
          {"spec", PodSpecJson(app, ns, upstream)},
          {"status",
           {{"containerStatuses",
             {ContainerStatusJson("app", image, pod_created + 3),
              ContainerStatusJson("proxy", "docker.io/envoyproxy/envoy:v1.29.1",
                                  pod_created + 4)}},
            {"hostIP", host_ip},
            {"hostIPs", {{{"ip", host_ip}}}},
            {"phase", "Running"},
            {"podIP", pod_ip},
            {"podIPs", {{{"ip", pod_ip}}}},
            {"qosClass", "Burstable"},
            {"startTime", Rfc3339(pod_created)}}}};
      pod["spec"]["nodeName"] = absl::StrFormat("node-%03d", host);
      pods.emplace_back(absl::StrCat(ns, "/", name), std::move(pod));
      ++facts->pods;
      facts->containers += 2;
    }
  }
  std::sort(pods.begin(), pods.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::sort(services.begin(), services.end(),
            [](const Service& a, const Service& b) {
              return std::tie(a.meta.namespace_name, a.meta.name) <
                     std::tie(b.meta.namespace_name, b.meta.name);
            });
  nlohmann::json items = nlohmann::json::array();
  for (auto& [key, pod] : pods) items.push_back(std::move(pod));
  for (auto& rs : replica_sets) items.push_back(std::move(rs));
  if (shape.lean) {
    for (nlohmann::json& item : items) MakeLeanPod(&item);
  }
  for (const Service& s : services) {
    items.push_back(ServiceItem(s, ++resource_version));
    if (shape.lean) MakeLeanService(&items.back());
  }
  return ListOf(std::move(items)).dump(4) + "\n";
}

}  // namespace bench
}  // namespace svcenv
