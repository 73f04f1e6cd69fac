// The Kubernetes schema of the decoder: kinds, API groups and fields. New
// fields are read here (see lib/decode/internal/kinds.h).
#include "lib/decode/internal/kinds.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lib/base/status_macros.h"
#include "lib/base/suggest.h"
#include "lib/decode/internal/fields.h"
#include "nlohmann/json.hpp"
#include "svcenv/objects.h"

namespace svcenv {
namespace decode_internal {
namespace {

// The API group of `api_version` ("" for the core group).
absl::string_view Group(absl::string_view api_version) {
  const size_t slash = api_version.find('/');
  return slash == absl::string_view::npos ? absl::string_view()
                                          : api_version.substr(0, slash);
}

// The name, or for an object the API server will name, `generateName*`:
// shown, never matched (no name contains `*`).
std::string DisplayName(const ObjectMeta& meta) {
  if (meta.name.empty() && !meta.generate_name.empty()) {
    return meta.generate_name + "*";
  }
  return meta.name;
}

}  // namespace

absl::Status KindDecoder::Decode(const json& obj, absl::string_view api_version,
                                 int sequence, Objects* out, bool* decoded) {
  *decoded = true;
  const absl::string_view kind = this->kind();
  const absl::string_view group = Group(api_version);
  const bool core = group.empty();
  const bool apps = group == "apps" || group == "extensions";
  const bool batch = group == "batch";
  auto workload = [&](std::initializer_list<absl::string_view> path) {
    Pod& p = out->pods.emplace_back();
    SVCENV_RETURN_IF_ERROR(DecodeWorkload(obj, path, &p));
    p.origin = MakeOrigin(sequence);
    return absl::OkStatus();
  };
  if (core && kind == "Service") {
    Service& s = out->services.emplace_back();
    SVCENV_RETURN_IF_ERROR(DecodeService(obj, &s));
    s.origin = MakeOrigin(sequence);
  } else if (core && kind == "Pod") {
    Pod& p = out->pods.emplace_back();
    SVCENV_RETURN_IF_ERROR(DecodePod(obj, &p));
    p.origin = MakeOrigin(sequence);
  } else if (core && kind == "ConfigMap") {
    ConfigMap& c = out->config_maps.emplace_back();
    SVCENV_RETURN_IF_ERROR(DecodeConfigMap(obj, &c));
    c.origin = MakeOrigin(sequence);
  } else if (core && kind == "Secret") {
    Secret& s = out->secrets.emplace_back();
    SVCENV_RETURN_IF_ERROR(DecodeSecret(obj, &s));
    s.origin = MakeOrigin(sequence);
  } else if (core && kind == "Node") {
    Node& n = out->nodes.emplace_back();
    SVCENV_RETURN_IF_ERROR(DecodeNode(obj, &n));
    n.origin = MakeOrigin(sequence);
  } else if (core && kind == "PodTemplate") {
    SVCENV_RETURN_IF_ERROR(workload({"template"}));
  } else if ((core && kind == "ReplicationController") ||
             (apps && (kind == "Deployment" || kind == "StatefulSet" ||
                       kind == "DaemonSet" || kind == "ReplicaSet")) ||
             (batch && kind == "Job")) {
    SVCENV_RETURN_IF_ERROR(workload({"spec", "template"}));
  } else if (batch && kind == "CronJob") {
    SVCENV_RETURN_IF_ERROR(
        workload({"spec", "jobTemplate", "spec", "template"}));
  } else {
    *decoded = false;  // A kind svcenv does not read.
  }
  return absl::OkStatus();
}

absl::Status KindDecoder::Meta(const json& obj, const Path* at, bool namespaced,
                               bool template_meta, ObjectMeta* meta) {
  const json* m;
  SVCENV_RETURN_IF_ERROR(Object(obj, "metadata", at, &m));
  Path p{at, "metadata"};
  if (m == nullptr) {
    if (template_meta) return absl::OkStatus();
    return Fail(&p, &obj, "required");
  }
  SVCENV_RETURN_IF_ERROR(String(*m, "name", &p, &meta->name));
  SVCENV_RETURN_IF_ERROR(String(*m, "generateName", &p, &meta->generate_name));
  if (!template_meta) {
    if (namespaced) {
      SVCENV_RETURN_IF_ERROR(
          String(*m, "namespace", &p, &meta->namespace_name));
      if (meta->namespace_name.empty()) {
        meta->namespace_name = options().default_namespace;
      }
    }
    // An object the API server names from `generateName` has no name yet:
    // messages show the prefix and `*`.
    SetName(namespaced ? meta->namespace_name : "",
            meta->name.empty() && !meta->generate_name.empty()
                ? meta->generate_name + "*"
                : meta->name);
    if (meta->name.empty() && meta->generate_name.empty()) {
      Path np{&p, "name"};
      return Fail(&np, m, "required");
    }
  }
  SVCENV_RETURN_IF_ERROR(String(*m, "uid", &p, &meta->uid));
  SVCENV_RETURN_IF_ERROR(
      Time(*m, "creationTimestamp", &p, &meta->creation_timestamp));
  SVCENV_RETURN_IF_ERROR(StringMap(*m, "labels", &p, &meta->labels));
  SVCENV_RETURN_IF_ERROR(StringMap(*m, "annotations", &p, &meta->annotations));
  return ForEachObject(
      *m, "ownerReferences", &p, [&](const json& e, const Path* at) {
        OwnerReference& ref = meta->owner_references.emplace_back();
        SVCENV_RETURN_IF_ERROR(String(e, "apiVersion", at, &ref.api_version));
        SVCENV_RETURN_IF_ERROR(String(e, "kind", at, &ref.kind));
        SVCENV_RETURN_IF_ERROR(String(e, "name", at, &ref.name));
        SVCENV_RETURN_IF_ERROR(String(e, "uid", at, &ref.uid));
        return Bool(e, "controller", at, &ref.controller);
      });
}

absl::Status KindDecoder::DecodeService(const json& obj, Service* svc) {
  SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, true, false, &svc->meta));
  const json* spec;
  SVCENV_RETURN_IF_ERROR(Object(obj, "spec", nullptr, &spec));
  if (spec == nullptr) return absl::OkStatus();
  Path p{nullptr, "spec"};
  SVCENV_RETURN_IF_ERROR(String(*spec, "type", &p, &svc->type));
  SVCENV_RETURN_IF_ERROR(String(*spec, "clusterIP", &p, &svc->cluster_ip));
  SVCENV_RETURN_IF_ERROR(
      StringList(*spec, "clusterIPs", &p, &svc->cluster_ips));
  return ForEachObject(*spec, "ports", &p, [&](const json& e, const Path* at) {
    ServicePort& port = svc->ports.emplace_back();
    SVCENV_RETURN_IF_ERROR(String(e, "name", at, &port.name));
    SVCENV_RETURN_IF_ERROR(String(e, "protocol", at, &port.protocol));
    return Port(e, at, &port.port);
  });
}

absl::Status KindDecoder::Port(const json& e, const Path* at,
                               int32_t* out) const {
  const json* v = Find(e, "port");
  Path p{at, "port"};
  if (v == nullptr) return Fail(&p, &e, "required");
  int64_t n = 0;
  if (v->is_number_integer()) {  // Signed or unsigned.
    n = v->is_number_unsigned()
            ? static_cast<int64_t>(std::min<uint64_t>(
                  v->get_ref<const json::number_unsigned_t&>(), 1 << 20))
            : v->get_ref<const json::number_integer_t&>();
  } else {
    n = -1;
  }
  if (n < 1 || n > 65535) {
    return WrongType(&p, *v, "an integer in 1..65535");
  }
  *out = static_cast<int32_t>(n);
  return absl::OkStatus();
}

absl::Status KindDecoder::DecodeConfigMap(const json& obj, ConfigMap* cm) {
  SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, true, false, &cm->meta));
  SVCENV_RETURN_IF_ERROR(StringMap(obj, "data", nullptr, &cm->data));
  return BytesMap(obj, "binaryData", nullptr, &cm->binary_data);
}

absl::Status KindDecoder::DecodeSecret(const json& obj, Secret* secret) {
  SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, true, false, &secret->meta));
  SVCENV_RETURN_IF_ERROR(String(obj, "type", nullptr, &secret->type));
  SVCENV_RETURN_IF_ERROR(BytesMap(obj, "data", nullptr, &secret->data));
  // The API server writes stringData over data (and never stores it).
  std::map<std::string, std::string> string_data;
  SVCENV_RETURN_IF_ERROR(StringMap(obj, "stringData", nullptr, &string_data));
  for (auto& [k, v] : string_data) secret->data[k] = std::move(v);
  return absl::OkStatus();
}

absl::Status KindDecoder::DecodeNode(const json& obj, Node* node) {
  SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, false, false, &node->meta));
  const json* status;
  SVCENV_RETURN_IF_ERROR(Object(obj, "status", nullptr, &status));
  if (status == nullptr) return absl::OkStatus();
  Path p{nullptr, "status"};
  SVCENV_RETURN_IF_ERROR(
      QuantityMap(*status, "allocatable", &p, &node->allocatable));
  return ForEachObject(*status, "addresses", &p,
                       [&](const json& e, const Path* at) {
                         NodeAddress& a = node->addresses.emplace_back();
                         SVCENV_RETURN_IF_ERROR(String(e, "type", at, &a.type));
                         return String(e, "address", at, &a.address);
                       });
}

absl::Status KindDecoder::DecodePod(const json& obj, Pod* pod) {
  SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, true, false, &pod->meta));
  pod->workload_kind = "Pod";
  pod->workload_name = DisplayName(pod->meta);
  pod->workload_annotations = pod->meta.annotations;
  SVCENV_RETURN_IF_ERROR(PodSpec(obj, nullptr, pod));
  const json* status;
  SVCENV_RETURN_IF_ERROR(Object(obj, "status", nullptr, &status));
  if (status == nullptr) return absl::OkStatus();
  Path p{nullptr, "status"};
  SVCENV_RETURN_IF_ERROR(String(*status, "phase", &p, &pod->phase));
  SVCENV_RETURN_IF_ERROR(Ips(*status, "podIP", "podIPs", &p, &pod->pod_ips));
  SVCENV_RETURN_IF_ERROR(Ips(*status, "hostIP", "hostIPs", &p, &pod->host_ips));
  SVCENV_RETURN_IF_ERROR(
      Statuses(*status, "containerStatuses", &p, &pod->container_statuses));
  SVCENV_RETURN_IF_ERROR(Statuses(*status, "initContainerStatuses", &p,
                                  &pod->init_container_statuses));
  return Statuses(*status, "ephemeralContainerStatuses", &p,
                  &pod->ephemeral_container_statuses);
}

// A workload: its pod template, found at `path` (field names from the
// object down to the template), becomes a Pod.
absl::Status KindDecoder::DecodeWorkload(
    const json& obj, std::initializer_list<absl::string_view> path, Pod* pod) {
  ObjectMeta workload;
  SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, true, false, &workload));
  pod->workload_kind = std::string(kind());
  pod->workload_name = DisplayName(workload);
  pod->workload_annotations = workload.annotations;
  // Who owns the workload (a ReplicaSet's Deployment, a Job's CronJob).
  pod->workload_uid = workload.uid;
  pod->workload_owner_references = std::move(workload.owner_references);
  const json* node = &obj;
  // Paths are at most three deep; keep their links alive on the stack.
  Path links[4];
  const Path* at = nullptr;
  int depth = 0;
  for (absl::string_view key : path) {
    const json* next;
    SVCENV_RETURN_IF_ERROR(Object(*node, key, at, &next));
    links[depth] = Path{at, key};
    at = &links[depth++];
    if (next == nullptr) return Fail(at, node, "required");
    node = next;
  }
  SVCENV_RETURN_IF_ERROR(Meta(*node, at, true, true, &pod->meta));
  pod->meta.namespace_name = workload.namespace_name;
  return PodSpec(*node, at, pod);
}

// `podIPs: [{ip}]`, else `[podIP]`.
absl::Status KindDecoder::Ips(const json& status, absl::string_view single,
                              absl::string_view plural, const Path* at,
                              std::vector<std::string>* out) const {
  SVCENV_RETURN_IF_ERROR(
      ForEachObject(status, plural, at, [&](const json& e, const Path* ep) {
        return String(e, "ip", ep, &out->emplace_back());
      }));
  std::string ip;
  SVCENV_RETURN_IF_ERROR(String(status, single, at, &ip));
  if (out->empty() && !ip.empty()) out->push_back(std::move(ip));
  return absl::OkStatus();
}

absl::Status KindDecoder::Statuses(const json& status, absl::string_view key,
                                   const Path* at,
                                   std::vector<ContainerStatus>* out) const {
  return ForEachObject(status, key, at, [&](const json& e, const Path* ep) {
    ContainerStatus& cs = out->emplace_back();
    SVCENV_RETURN_IF_ERROR(String(e, "name", ep, &cs.name));
    const json* state;
    SVCENV_RETURN_IF_ERROR(Object(e, "state", ep, &state));
    if (state == nullptr) return absl::OkStatus();
    Path sp{ep, "state"};
    for (absl::string_view s : {"running", "waiting", "terminated"}) {
      const json* v;
      SVCENV_RETURN_IF_ERROR(Object(*state, s, &sp, &v));
      if (v != nullptr && cs.state.empty()) cs.state = std::string(s);
      if (v != nullptr && s == "running") {
        Path rp{&sp, s};
        SVCENV_RETURN_IF_ERROR(Time(*v, "startedAt", &rp, &cs.started_at));
      }
      if (v != nullptr && s == "terminated") {
        Path tp{&sp, s};
        SVCENV_RETURN_IF_ERROR(
            Time(*v, "startedAt", &tp, &cs.terminated_started_at));
        // exitCode is an int32 the kubelet always writes; anything else is
        // not a run's end and is left unknown.
        auto code = v->find("exitCode");
        if (code != v->end() && code->is_number_integer())
          cs.exit_code = code->get<int64_t>();
      }
    }
    return absl::OkStatus();
  });
}

absl::Status KindDecoder::PodSpec(const json& obj, const Path* at,
                                  Pod* pod) const {
  const json* spec;
  SVCENV_RETURN_IF_ERROR(Object(obj, "spec", at, &spec));
  if (spec == nullptr) return absl::OkStatus();
  Path p{at, "spec"};
  SVCENV_RETURN_IF_ERROR(String(*spec, "nodeName", &p, &pod->node_name));
  if (pod->node_name.empty()) {
    // The pre-v1 name, still converted by the API server.
    SVCENV_RETURN_IF_ERROR(String(*spec, "host", &p, &pod->node_name));
  }
  SVCENV_RETURN_IF_ERROR(
      String(*spec, "serviceAccountName", &p, &pod->service_account_name));
  SVCENV_RETURN_IF_ERROR(
      String(*spec, "restartPolicy", &p, &pod->restart_policy));
  SVCENV_RETURN_IF_ERROR(
      Bool(*spec, "enableServiceLinks", &p, &pod->enable_service_links));
  SVCENV_RETURN_IF_ERROR(Containers(*spec, "containers", &p, &pod->containers));
  SVCENV_RETURN_IF_ERROR(
      Containers(*spec, "initContainers", &p, &pod->init_containers));
  // EphemeralContainerCommon has the fields a Container's env needs.
  SVCENV_RETURN_IF_ERROR(
      Containers(*spec, "ephemeralContainers", &p, &pod->ephemeral_containers));
  // PodLevelResources.
  const json* resources;
  SVCENV_RETURN_IF_ERROR(Object(*spec, "resources", &p, &resources));
  if (resources != nullptr) {
    Path rp{&p, "resources"};
    SVCENV_RETURN_IF_ERROR(
        QuantityMap(*resources, "limits", &rp, &pod->resources.limits));
    SVCENV_RETURN_IF_ERROR(
        QuantityMap(*resources, "requests", &rp, &pod->resources.requests));
  }
  // Volumes, for fileKeyRef: the name and which source member is set.
  return ForEachObject(
      *spec, "volumes", &p, [&](const json& e, const Path* vp) {
        Volume& volume = pod->volumes.emplace_back();
        SVCENV_RETURN_IF_ERROR(String(e, "name", vp, &volume.name));
        for (const auto& [key, value] : e.get_ref<const json::object_t&>()) {
          if (key != "name" && !value.is_null() && volume.source.empty()) {
            volume.source = key;
          }
        }
        return absl::OkStatus();
      });
}

absl::Status KindDecoder::Containers(const json& spec, absl::string_view key,
                                     const Path* at,
                                     std::vector<Container>* out) const {
  return ForEachObject(spec, key, at, [&](const json& e, const Path* cp) {
    Container& c = out->emplace_back();
    c.line = LineOf(e);
    SVCENV_RETURN_IF_ERROR(String(e, "name", cp, &c.name));
    SVCENV_RETURN_IF_ERROR(String(e, "image", cp, &c.image));
    SVCENV_RETURN_IF_ERROR(
        String(e, "restartPolicy", cp, &c.restart_policy));
    SVCENV_RETURN_IF_ERROR(StringList(e, "command", cp, &c.command));
    SVCENV_RETURN_IF_ERROR(StringList(e, "args", cp, &c.args));
    SVCENV_RETURN_IF_ERROR(
        ForEachObject(e, "env", cp, [&](const json& v, const Path* vp) {
          return Env(v, vp, &c.env.emplace_back());
        }));
    SVCENV_RETURN_IF_ERROR(
        ForEachObject(e, "envFrom", cp, [&](const json& v, const Path* vp) {
          return EnvFrom(v, vp, &c.env_from.emplace_back());
        }));
    UnknownEnvFields(e, &c.unknown_fields);
    const json* resources;
    SVCENV_RETURN_IF_ERROR(Object(e, "resources", cp, &resources));
    if (resources == nullptr) return absl::OkStatus();
    Path rp{cp, "resources"};
    SVCENV_RETURN_IF_ERROR(
        QuantityMap(*resources, "limits", &rp, &c.resources.limits));
    return QuantityMap(*resources, "requests", &rp, &c.resources.requests);
  });
}

absl::Status KindDecoder::Env(const json& e, const Path* at,
                              EnvVar* var) const {
  var->line = LineOf(e);
  SVCENV_RETURN_IF_ERROR(String(e, "name", at, &var->name));
  if (var->name.empty()) {
    // The API server refuses it; the kubelet would set "=value".
    Path np{at, "name"};
    return Fail(&np, &e, "required");
  }
  SVCENV_RETURN_IF_ERROR(String(e, "value", at, &var->value));
  const json* from;
  SVCENV_RETURN_IF_ERROR(Object(e, "valueFrom", at, &from));
  if (from == nullptr) return absl::OkStatus();
  Path fp{at, "valueFrom"};
  EnvVarSource& src = var->value_from.emplace();
  const json* v;
  SVCENV_RETURN_IF_ERROR(Object(*from, "fieldRef", &fp, &v));
  if (v != nullptr) {
    Path p{&fp, "fieldRef"};
    ObjectFieldSelector& s = src.field_ref.emplace();
    SVCENV_RETURN_IF_ERROR(String(*v, "apiVersion", &p, &s.api_version));
    SVCENV_RETURN_IF_ERROR(String(*v, "fieldPath", &p, &s.field_path));
  }
  SVCENV_RETURN_IF_ERROR(Object(*from, "resourceFieldRef", &fp, &v));
  if (v != nullptr) {
    Path p{&fp, "resourceFieldRef"};
    ResourceFieldSelector& s = src.resource_field_ref.emplace();
    SVCENV_RETURN_IF_ERROR(String(*v, "containerName", &p, &s.container_name));
    SVCENV_RETURN_IF_ERROR(String(*v, "resource", &p, &s.resource));
    if (const json* d = Find(*v, "divisor"); d != nullptr) {
      Path dp{&p, "divisor"};
      SVCENV_RETURN_IF_ERROR(Quantity(*d, &dp, &s.divisor));
    }
  }
  SVCENV_RETURN_IF_ERROR(Object(*from, "configMapKeyRef", &fp, &v));
  if (v != nullptr) {
    Path p{&fp, "configMapKeyRef"};
    SVCENV_RETURN_IF_ERROR(KeyRef(*v, &p, &src.config_map_key_ref.emplace()));
  }
  SVCENV_RETURN_IF_ERROR(Object(*from, "secretKeyRef", &fp, &v));
  if (v != nullptr) {
    Path p{&fp, "secretKeyRef"};
    SVCENV_RETURN_IF_ERROR(KeyRef(*v, &p, &src.secret_key_ref.emplace()));
  }
  SVCENV_RETURN_IF_ERROR(Object(*from, "fileKeyRef", &fp, &v));
  if (v != nullptr) {
    Path p{&fp, "fileKeyRef"};
    FileKeySelector& s = src.file_key_ref.emplace();
    SVCENV_RETURN_IF_ERROR(String(*v, "volumeName", &p, &s.volume_name));
    SVCENV_RETURN_IF_ERROR(String(*v, "path", &p, &s.path));
    SVCENV_RETURN_IF_ERROR(String(*v, "key", &p, &s.key));
    SVCENV_RETURN_IF_ERROR(Bool(*v, "optional", &p, &s.optional));
  }
  return absl::OkStatus();
}

absl::Status KindDecoder::KeyRef(const json& v, const Path* at,
                                 KeySelector* out) const {
  SVCENV_RETURN_IF_ERROR(String(v, "name", at, &out->name));
  SVCENV_RETURN_IF_ERROR(String(v, "key", at, &out->key));
  return Bool(v, "optional", at, &out->optional);
}

absl::Status KindDecoder::EnvFrom(const json& e, const Path* at,
                                  EnvFromSource* out) const {
  SVCENV_RETURN_IF_ERROR(String(e, "prefix", at, &out->prefix));
  for (absl::string_view key : {"configMapRef", "secretRef"}) {
    const json* v;
    SVCENV_RETURN_IF_ERROR(Object(e, key, at, &v));
    if (v == nullptr) continue;
    Path p{at, key};
    EnvFromReference& ref = key == "configMapRef"
                                ? out->config_map_ref.emplace()
                                : out->secret_ref.emplace();
    SVCENV_RETURN_IF_ERROR(String(*v, "name", &p, &ref.name));
    SVCENV_RETURN_IF_ERROR(Bool(*v, "optional", &p, &ref.optional));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Unknown fields where a typo changes the environment (UnknownField).

namespace {

using FieldList = std::initializer_list<absl::string_view>;

// The fields the API defines (k8s.io/api/core/v1 types.go).
constexpr FieldList kEnvVarFields = {"name", "value", "valueFrom"};
constexpr FieldList kEnvFromFields = {"prefix", "configMapRef", "secretRef"};
constexpr FieldList kValueFromFields = {"fieldRef", "resourceFieldRef",
                                        "configMapKeyRef", "secretKeyRef",
                                        "fileKeyRef"};
constexpr FieldList kFieldRefFields = {"apiVersion", "fieldPath"};
constexpr FieldList kResourceFieldRefFields = {"containerName", "resource",
                                               "divisor"};
constexpr FieldList kKeyRefFields = {"name", "key", "optional"};
constexpr FieldList kEnvFromRefFields = {"name", "optional"};
constexpr FieldList kFileKeyRefFields = {"volumeName", "path", "key",
                                         "optional"};

bool Defined(absl::string_view key, FieldList fields) {
  for (absl::string_view f : fields) {
    if (f == key) return true;
  }
  return false;
}

std::vector<std::string> Names(FieldList fields) {
  return std::vector<std::string>(fields.begin(), fields.end());
}

}  // namespace

void KindDecoder::UnknownKeys(const json& obj, const std::string& at,
                              std::initializer_list<absl::string_view> fields,
                              std::vector<UnknownField>* out) const {
  if (!obj.is_object()) return;
  for (const auto& [key, value] : obj.get_ref<const json::object_t&>()) {
    if (Defined(key, fields)) continue;
    out->push_back({absl::StrCat(at, at.empty() ? "" : ".", key),
                    ClosestMatch(key, Names(fields)), LineOf(obj)});
  }
}

void KindDecoder::UnknownEnvFields(const json& container,
                                   std::vector<UnknownField>* out) const {
  // A container has many fields, and new releases add more: report only
  // keys that are near-misses of `env` or `envFrom` (`envfrom`, `evn`).
  for (const auto& [key, value] :
       container.get_ref<const json::object_t&>()) {
    if (key == "env" || key == "envFrom") continue;
    const std::string match = ClosestMatch(key, {"env", "envFrom"});
    if (!match.empty()) out->push_back({key, match, LineOf(container)});
  }
  auto each = [&](absl::string_view list, auto fn) {
    const json* v = Find(container, list);
    if (v == nullptr || !v->is_array()) return;
    for (size_t i = 0; i < v->size(); ++i) {
      if ((*v)[i].is_object()) {
        fn((*v)[i], absl::StrCat(list, "[", i, "]"));
      }
    }
  };
  each("env", [&](const json& e, const std::string& at) {
    UnknownKeys(e, at, kEnvVarFields, out);
    const json* from = Find(e, "valueFrom");
    if (from == nullptr || !from->is_object()) return;
    const std::string from_at = absl::StrCat(at, ".valueFrom");
    UnknownKeys(*from, from_at, kValueFromFields, out);
    const std::pair<absl::string_view, FieldList> selectors[] = {
        {"fieldRef", kFieldRefFields},
        {"resourceFieldRef", kResourceFieldRefFields},
        {"configMapKeyRef", kKeyRefFields},
        {"secretKeyRef", kKeyRefFields},
        {"fileKeyRef", kFileKeyRefFields},
    };
    for (const auto& [name, fields] : selectors) {
      if (const json* s = Find(*from, name); s != nullptr) {
        UnknownKeys(*s, absl::StrCat(from_at, ".", name), fields, out);
      }
    }
  });
  each("envFrom", [&](const json& e, const std::string& at) {
    UnknownKeys(e, at, kEnvFromFields, out);
    for (absl::string_view name : {"configMapRef", "secretRef"}) {
      if (const json* s = Find(e, name); s != nullptr) {
        UnknownKeys(*s, absl::StrCat(at, ".", name), kEnvFromRefFields, out);
      }
    }
  });
}

}  // namespace decode_internal
}  // namespace svcenv
