#include "svcenv/decode.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "lib/internal/base64.h"
#include "lib/internal/status_macros.h"
#include "lib/internal/timestamp.h"
#include "lib/internal/utf8.h"
#include "lib/internal/yaml_json.h"
#include "nlohmann/json.hpp"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

using json = nlohmann::json;
using decode_internal::LineTable;

// ---------------------------------------------------------------------------
// Field paths, built on the stack while descending and printed only for
// errors, so that the happy path allocates nothing for them.

struct Path {
  const Path* parent;
  absl::string_view key;  // A field name, or a user key when `user_key`.
  int index = -1;         // An array index when >= 0.
  bool user_key = false;  // Printed as `[key]`: label keys contain dots.
};

void AppendPath(const Path* p, std::string* out) {
  if (p == nullptr) return;
  AppendPath(p->parent, out);
  if (p->index >= 0) {
    absl::StrAppend(out, "[", p->index, "]");
  } else if (p->user_key) {
    absl::StrAppend(out, "[", p->key, "]");
  } else {
    if (!out->empty()) out->push_back('.');
    out->append(p->key.data(), p->key.size());
  }
}

// A value as it appears in messages: numbers and booleans as written,
// strings quoted (and shortened), containers by kind.
std::string Describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return v.get_ref<const json::boolean_t&>() ? "true" : "false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return v.dump();
    case json::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      if (s.size() > 60) return absl::StrCat("\"", s.substr(0, 60), "...\"");
      return absl::StrCat("\"", s, "\"");
    }
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    default:
      return "an unsupported value";
  }
}

const json& EmptyObject() {
  static const json* const kEmpty = new json(json::object());
  return *kEmpty;
}

// `v` (a number) as encoding/json prints it: integers in decimal, other
// floats shortest-round-trip, in exponent form outside [1e-6, 1e21).
std::string NumberText(const json& v) {
  if (!v.is_number_float()) return v.dump();
  const double d = v.get_ref<const json::number_float_t&>();
  char buf[400];
  const double a = std::fabs(d);
  const bool exponent = a != 0 && (a < 1e-6 || a >= 1e21);
  auto [end, ec] = std::to_chars(
      buf, buf + sizeof(buf), d,
      exponent ? std::chars_format::scientific : std::chars_format::fixed);
  if (ec != std::errc()) return v.dump();
  std::string s(buf, end);
  if (exponent) {
    // Go writes "1e-07" as "1e-7".
    size_t e = s.find('e');
    if (e != std::string::npos && e + 2 < s.size() && s[e + 2] == '0') {
      s.erase(e + 2, 1);
    }
  }
  return s;
}

// ---------------------------------------------------------------------------
// Decoding one top-level object (or one item of a List).

class ObjectDecoder {
 public:
  struct Where {
    absl::string_view file;
    int document = 0;                  // 0-based.
    int item = -1;                     // 0-based; -1 outside a List.
    int line = 0;                      // The object's start; 0 when unknown.
    const LineTable* lines = nullptr;  // YAML only.
  };

  ObjectDecoder(const Where& where, const DecodeOptions& options)
      : where_(where), options_(options) {}

  void SetKind(absl::string_view kind) { kind_ = kind; }

  Origin MakeOrigin(int sequence) const {
    Origin o;
    o.file = std::string(where_.file);
    o.document = where_.document;
    o.line = where_.line;
    o.item = where_.item;
    o.sequence = sequence;
    return o;
  }

  // The YAML line of `node`, 0 for JSON.
  int LineOf(const json& node) const {
    if (where_.lines == nullptr) return 0;
    auto it = where_.lines->find(&node);
    return it == where_.lines->end() ? 0 : it->second;
  }

  absl::Status Fail(const Path* at, const json* node,
                    absl::string_view problem) const {
    int line = node != nullptr ? LineOf(*node) : 0;
    if (line == 0) line = where_.line;
    std::string msg =
        absl::StrCat(where_.file, ": document ", where_.document + 1);
    if (where_.item >= 0) absl::StrAppend(&msg, ", item ", where_.item + 1);
    if (line > 0) absl::StrAppend(&msg, " (line ", line, ")");
    msg += ": ";
    if (!kind_.empty()) {
      msg.append(kind_.data(), kind_.size());
      if (!name_.empty()) {
        msg += ' ';
        if (!namespace_.empty()) absl::StrAppend(&msg, namespace_, "/");
        msg += name_;
      }
      msg += ": ";
    }
    std::string path;
    AppendPath(at, &path);
    if (!path.empty()) absl::StrAppend(&msg, path, ": ");
    msg.append(problem.data(), problem.size());
    return absl::InvalidArgumentError(msg);
  }

  absl::Status WrongType(const Path* at, const json& v,
                         absl::string_view want) const {
    return Fail(at, &v, absl::StrCat("must be ", want, ", got ", Describe(v)));
  }

  // --- Typed field access. `obj` is always a JSON object. A missing field
  // and an explicit null both leave the output untouched, as Go's
  // encoding/json does.

  static const json* Find(const json& obj, absl::string_view key) {
    const json::object_t& o = obj.get_ref<const json::object_t&>();
    auto it = o.find(key);
    if (it == o.end() || it->second.is_null()) return nullptr;
    return &it->second;
  }

  absl::Status String(const json& obj, absl::string_view key, const Path* at,
                      std::string* out) const {
    const json* v = Find(obj, key);
    if (v == nullptr) return absl::OkStatus();
    if (!v->is_string()) {
      Path p{at, key};
      return WrongType(&p, *v, "a string");
    }
    *out = v->get_ref<const std::string&>();
    return absl::OkStatus();
  }

  absl::Status Bool(const json& obj, absl::string_view key, const Path* at,
                    std::optional<bool>* out) const {
    const json* v = Find(obj, key);
    if (v == nullptr) return absl::OkStatus();
    if (!v->is_boolean()) {
      Path p{at, key};
      return WrongType(&p, *v, "a boolean");
    }
    *out = v->get_ref<const json::boolean_t&>();
    return absl::OkStatus();
  }

  absl::Status Bool(const json& obj, absl::string_view key, const Path* at,
                    bool* out) const {
    std::optional<bool> b;
    SVCENV_RETURN_IF_ERROR(Bool(obj, key, at, &b));
    if (b.has_value()) *out = *b;
    return absl::OkStatus();
  }

  // `*out` is null when the field is absent.
  absl::Status Object(const json& obj, absl::string_view key, const Path* at,
                      const json** out) const {
    *out = Find(obj, key);
    if (*out != nullptr && !(*out)->is_object()) {
      Path p{at, key};
      return WrongType(&p, **out, "an object");
    }
    return absl::OkStatus();
  }

  // Calls `fn(element, path)` for each element, which must be an object; a
  // null element decodes as an empty object (Go's zero value).
  template <typename Fn>
  absl::Status ForEachObject(const json& obj, absl::string_view key,
                             const Path* at, Fn fn) const {
    const json* v = Find(obj, key);
    if (v == nullptr) return absl::OkStatus();
    Path p{at, key};
    if (!v->is_array()) return WrongType(&p, *v, "an array");
    const json::array_t& a = v->get_ref<const json::array_t&>();
    for (size_t i = 0; i < a.size(); ++i) {
      Path ep{&p, {}, static_cast<int>(i)};
      const json& e = a[i];
      if (e.is_null()) {
        SVCENV_RETURN_IF_ERROR(fn(EmptyObject(), &ep));
      } else if (!e.is_object()) {
        return WrongType(&ep, e, "an object");
      } else {
        SVCENV_RETURN_IF_ERROR(fn(e, &ep));
      }
    }
    return absl::OkStatus();
  }

  absl::Status StringList(const json& obj, absl::string_view key,
                          const Path* at, std::vector<std::string>* out) const {
    const json* v = Find(obj, key);
    if (v == nullptr) return absl::OkStatus();
    Path p{at, key};
    if (!v->is_array()) return WrongType(&p, *v, "an array");
    const json::array_t& a = v->get_ref<const json::array_t&>();
    out->reserve(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].is_null()) {
        out->emplace_back();
      } else if (!a[i].is_string()) {
        Path ep{&p, {}, static_cast<int>(i)};
        return WrongType(&ep, a[i], "a string");
      } else {
        out->push_back(a[i].get_ref<const std::string&>());
      }
    }
    return absl::OkStatus();
  }

  // A map[string]string such as labels or ConfigMap data.
  absl::Status StringMap(const json& obj, absl::string_view key, const Path* at,
                         std::map<std::string, std::string>* out) const {
    const json* v = Find(obj, key);
    if (v == nullptr) return absl::OkStatus();
    Path p{at, key};
    if (!v->is_object()) return WrongType(&p, *v, "an object");
    for (const auto& [k, e] : v->get_ref<const json::object_t&>()) {
      if (e.is_null()) {
        (*out)[k];
      } else if (!e.is_string()) {
        Path ep{&p, k, -1, true};
        return WrongType(&ep, e, "a string");
      } else {
        (*out)[k] = e.get_ref<const std::string&>();
      }
    }
    return absl::OkStatus();
  }

  // A resource.Quantity, which unmarshals from a JSON string or number.
  absl::Status Quantity(const json& v, const Path* at, std::string* out) const {
    if (v.is_string()) {
      *out = v.get_ref<const std::string&>();
    } else if (v.is_number()) {
      *out = NumberText(v);
    } else {
      return WrongType(at, v, "a quantity (string or number)");
    }
    return absl::OkStatus();
  }

  absl::Status QuantityMap(const json& obj, absl::string_view key,
                           const Path* at,
                           std::map<std::string, std::string>* out) const {
    const json* v = Find(obj, key);
    if (v == nullptr) return absl::OkStatus();
    Path p{at, key};
    if (!v->is_object()) return WrongType(&p, *v, "an object");
    for (const auto& [k, e] : v->get_ref<const json::object_t&>()) {
      if (e.is_null()) continue;  // A zero Quantity: nothing was set.
      Path ep{&p, k, -1, true};
      SVCENV_RETURN_IF_ERROR(Quantity(e, &ep, &(*out)[k]));
    }
    return absl::OkStatus();
  }

  // A map[string][]byte, base64 in JSON.
  absl::Status BytesMap(const json& obj, absl::string_view key, const Path* at,
                        std::map<std::string, std::string>* out) const {
    const json* v = Find(obj, key);
    if (v == nullptr) return absl::OkStatus();
    Path p{at, key};
    if (!v->is_object()) return WrongType(&p, *v, "an object");
    std::string error;
    for (const auto& [k, e] : v->get_ref<const json::object_t&>()) {
      Path ep{&p, k, -1, true};
      if (e.is_null()) {
        (*out)[k];
        continue;
      }
      if (!e.is_string()) return WrongType(&ep, e, "a base64 string");
      if (!decode_internal::Base64Decode(e.get_ref<const std::string&>(),
                                         &(*out)[k], &error)) {
        return Fail(&ep, &e, absl::StrCat("malformed base64: ", error));
      }
    }
    return absl::OkStatus();
  }

  absl::Status Time(const json& obj, absl::string_view key, const Path* at,
                    std::optional<Timestamp>* out) const {
    const json* v = Find(obj, key);
    if (v == nullptr) return absl::OkStatus();
    Path p{at, key};
    if (!v->is_string()) return WrongType(&p, *v, "an RFC 3339 timestamp");
    Timestamp t;
    if (!decode_internal::ParseTimestamp(v->get_ref<const std::string&>(),
                                         &t)) {
      return Fail(&p, v,
                  absl::StrCat("must be an RFC 3339 timestamp such as "
                               "2024-05-01T10:00:00Z, got ",
                               Describe(*v)));
    }
    *out = std::move(t);
    return absl::OkStatus();
  }

  // --- metadata.

  // Decodes `obj.metadata` into `*meta`. The object's own metadata
  // (`template_meta` false) must name the object; a pod template's need not.
  // `namespaced` objects without a namespace get the default one.
  absl::Status Meta(const json& obj, const Path* at, bool namespaced,
                    bool template_meta, ObjectMeta* meta) {
    const json* m;
    SVCENV_RETURN_IF_ERROR(Object(obj, "metadata", at, &m));
    Path p{at, "metadata"};
    if (m == nullptr) {
      if (template_meta) return absl::OkStatus();
      return Fail(&p, &obj, "required");
    }
    SVCENV_RETURN_IF_ERROR(String(*m, "name", &p, &meta->name));
    if (!template_meta) {
      if (namespaced) {
        SVCENV_RETURN_IF_ERROR(
            String(*m, "namespace", &p, &meta->namespace_name));
        if (meta->namespace_name.empty()) {
          meta->namespace_name = options_.default_namespace;
        }
        namespace_ = meta->namespace_name;
      }
      name_ = meta->name;
      if (meta->name.empty()) {
        Path np{&p, "name"};
        return Fail(&np, m, "required");
      }
    }
    SVCENV_RETURN_IF_ERROR(String(*m, "uid", &p, &meta->uid));
    SVCENV_RETURN_IF_ERROR(
        Time(*m, "creationTimestamp", &p, &meta->creation_timestamp));
    SVCENV_RETURN_IF_ERROR(StringMap(*m, "labels", &p, &meta->labels));
    SVCENV_RETURN_IF_ERROR(
        StringMap(*m, "annotations", &p, &meta->annotations));
    return absl::OkStatus();
  }

  // --- Kinds.

  absl::Status DecodeService(const json& obj, Service* svc) {
    SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, true, false, &svc->meta));
    const json* spec;
    SVCENV_RETURN_IF_ERROR(Object(obj, "spec", nullptr, &spec));
    if (spec == nullptr) return absl::OkStatus();
    Path p{nullptr, "spec"};
    SVCENV_RETURN_IF_ERROR(String(*spec, "type", &p, &svc->type));
    SVCENV_RETURN_IF_ERROR(String(*spec, "clusterIP", &p, &svc->cluster_ip));
    SVCENV_RETURN_IF_ERROR(
        StringList(*spec, "clusterIPs", &p, &svc->cluster_ips));
    return ForEachObject(
        *spec, "ports", &p, [&](const json& e, const Path* at) {
          ServicePort& port = svc->ports.emplace_back();
          SVCENV_RETURN_IF_ERROR(String(e, "name", at, &port.name));
          SVCENV_RETURN_IF_ERROR(String(e, "protocol", at, &port.protocol));
          return Port(e, at, &port.port);
        });
  }

  absl::Status Port(const json& e, const Path* at, int32_t* out) const {
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

  absl::Status DecodeConfigMap(const json& obj, ConfigMap* cm) {
    SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, true, false, &cm->meta));
    SVCENV_RETURN_IF_ERROR(StringMap(obj, "data", nullptr, &cm->data));
    return BytesMap(obj, "binaryData", nullptr, &cm->binary_data);
  }

  absl::Status DecodeSecret(const json& obj, Secret* secret) {
    SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, true, false, &secret->meta));
    SVCENV_RETURN_IF_ERROR(String(obj, "type", nullptr, &secret->type));
    SVCENV_RETURN_IF_ERROR(BytesMap(obj, "data", nullptr, &secret->data));
    // The API server writes stringData over data (and never stores it).
    std::map<std::string, std::string> string_data;
    SVCENV_RETURN_IF_ERROR(StringMap(obj, "stringData", nullptr, &string_data));
    for (auto& [k, v] : string_data) secret->data[k] = std::move(v);
    return absl::OkStatus();
  }

  absl::Status DecodeNode(const json& obj, Node* node) {
    SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, false, false, &node->meta));
    const json* status;
    SVCENV_RETURN_IF_ERROR(Object(obj, "status", nullptr, &status));
    if (status == nullptr) return absl::OkStatus();
    Path p{nullptr, "status"};
    SVCENV_RETURN_IF_ERROR(
        QuantityMap(*status, "allocatable", &p, &node->allocatable));
    return ForEachObject(
        *status, "addresses", &p, [&](const json& e, const Path* at) {
          NodeAddress& a = node->addresses.emplace_back();
          SVCENV_RETURN_IF_ERROR(String(e, "type", at, &a.type));
          return String(e, "address", at, &a.address);
        });
  }

  absl::Status DecodePod(const json& obj, Pod* pod) {
    SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, true, false, &pod->meta));
    pod->workload_kind = "Pod";
    pod->workload_name = pod->meta.name;
    SVCENV_RETURN_IF_ERROR(PodSpec(obj, nullptr, pod));
    const json* status;
    SVCENV_RETURN_IF_ERROR(Object(obj, "status", nullptr, &status));
    if (status == nullptr) return absl::OkStatus();
    Path p{nullptr, "status"};
    SVCENV_RETURN_IF_ERROR(Ips(*status, "podIP", "podIPs", &p, &pod->pod_ips));
    SVCENV_RETURN_IF_ERROR(
        Ips(*status, "hostIP", "hostIPs", &p, &pod->host_ips));
    SVCENV_RETURN_IF_ERROR(
        Statuses(*status, "containerStatuses", &p, &pod->container_statuses));
    return Statuses(*status, "initContainerStatuses", &p,
                    &pod->init_container_statuses);
  }

  // A workload: its pod template, found at `path` (field names from the
  // object down to the template), becomes a Pod.
  absl::Status DecodeWorkload(const json& obj,
                              std::initializer_list<absl::string_view> path,
                              Pod* pod) {
    ObjectMeta workload;
    SVCENV_RETURN_IF_ERROR(Meta(obj, nullptr, true, false, &workload));
    pod->workload_kind = std::string(kind_);
    pod->workload_name = workload.name;
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
  absl::Status Ips(const json& status, absl::string_view single,
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

  absl::Status Statuses(const json& status, absl::string_view key,
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
      }
      return absl::OkStatus();
    });
  }

  absl::Status PodSpec(const json& obj, const Path* at, Pod* pod) const {
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
        Bool(*spec, "enableServiceLinks", &p, &pod->enable_service_links));
    SVCENV_RETURN_IF_ERROR(
        Containers(*spec, "containers", &p, &pod->containers));
    SVCENV_RETURN_IF_ERROR(
        Containers(*spec, "initContainers", &p, &pod->init_containers));
    // EphemeralContainerCommon has the fields a Container's env needs.
    SVCENV_RETURN_IF_ERROR(Containers(*spec, "ephemeralContainers", &p,
                                      &pod->ephemeral_containers));
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
    return ForEachObject(*spec, "volumes", &p, [&](const json& e,
                                                   const Path* vp) {
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

  absl::Status Containers(const json& spec, absl::string_view key,
                          const Path* at, std::vector<Container>* out) const {
    return ForEachObject(spec, key, at, [&](const json& e, const Path* cp) {
      Container& c = out->emplace_back();
      c.line = LineOf(e);
      SVCENV_RETURN_IF_ERROR(String(e, "name", cp, &c.name));
      SVCENV_RETURN_IF_ERROR(String(e, "image", cp, &c.image));
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
      const json* resources;
      SVCENV_RETURN_IF_ERROR(Object(e, "resources", cp, &resources));
      if (resources == nullptr) return absl::OkStatus();
      Path rp{cp, "resources"};
      SVCENV_RETURN_IF_ERROR(
          QuantityMap(*resources, "limits", &rp, &c.resources.limits));
      return QuantityMap(*resources, "requests", &rp, &c.resources.requests);
    });
  }

  absl::Status Env(const json& e, const Path* at, EnvVar* var) const {
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
      SVCENV_RETURN_IF_ERROR(
          String(*v, "containerName", &p, &s.container_name));
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

  absl::Status KeyRef(const json& v, const Path* at, KeySelector* out) const {
    SVCENV_RETURN_IF_ERROR(String(v, "name", at, &out->name));
    SVCENV_RETURN_IF_ERROR(String(v, "key", at, &out->key));
    return Bool(v, "optional", at, &out->optional);
  }

  absl::Status EnvFrom(const json& e, const Path* at,
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

 private:
  const Where where_;
  const DecodeOptions& options_;
  absl::string_view kind_;
  std::string namespace_;
  std::string name_;
};

// ---------------------------------------------------------------------------
// Documents, Lists and kinds.

int Count(const Objects& o) {
  return static_cast<int>(o.services.size() + o.pods.size() +
                          o.config_maps.size() + o.secrets.size() +
                          o.nodes.size());
}

// The API group of `api_version` ("" for the core group).
absl::string_view Group(absl::string_view api_version) {
  const size_t slash = api_version.find('/');
  return slash == absl::string_view::npos ? absl::string_view()
                                          : api_version.substr(0, slash);
}

class StreamDecoder {
 public:
  // `seen` counts the documents and List items of one text against
  // `max_objects`; null: this decoder's own count.
  StreamDecoder(absl::string_view file, const DecodeOptions& options,
                const LineTable* lines, int sequence, Objects* out,
                int64_t* seen = nullptr)
      : file_(file),
        options_(options),
        lines_(lines),
        sequence_(sequence),
        out_(out),
        seen_(seen != nullptr ? seen : &own_seen_) {}

  absl::Status Document(const json& doc, int index, int line) {
    if (doc.is_null()) return absl::OkStatus();  // An empty YAML document.
    ObjectDecoder::Where where{file_, index, -1, line, lines_};
    return Object(doc, where, {}, {});
  }

  // Decodes item `index` of a List in document 0 ahead of the List itself
  // (see `JsonBuilder`).
  absl::Status EarlyItem(const json& item, int index) {
    ObjectDecoder::Where where{file_, 0, index, 0, lines_};
    return Object(item, where, {}, {});
  }

  // The first `n` items of a List were decoded already by `EarlyItem`.
  void SkipItems(int n) { skip_items_ = n; }

  int sequence() const { return sequence_; }

 private:
  int LineOf(const json& node) const {
    if (lines_ == nullptr) return 0;
    auto it = lines_->find(&node);
    return it == lines_->end() ? 0 : it->second;
  }

  // `list_kind` / `list_api_version` come from the enclosing typed List
  // (`ServiceList`), whose items the API server prints without them.
  absl::Status Object(const json& obj, const ObjectDecoder::Where& where,
                      absl::string_view list_kind,
                      absl::string_view list_api_version) {
    ObjectDecoder d(where, options_);
    if (++*seen_ > options_.max_objects) {
      return d.Fail(nullptr, &obj,
                    absl::StrCat("more than ", options_.max_objects,
                                 " objects (documents and List items)"));
    }
    if (!obj.is_object()) {
      return d.WrongType(nullptr, obj, "an object");
    }
    std::string kind, api_version;
    SVCENV_RETURN_IF_ERROR(d.String(obj, "kind", nullptr, &kind));
    SVCENV_RETURN_IF_ERROR(d.String(obj, "apiVersion", nullptr, &api_version));
    if (kind.empty() && absl::EndsWith(list_kind, "List") &&
        list_kind.size() > 4) {
      kind = std::string(list_kind.substr(0, list_kind.size() - 4));
      if (api_version.empty()) api_version = std::string(list_api_version);
    }
    if (kind.empty()) {
      Path p{nullptr, "kind"};
      return d.Fail(&p, &obj, "required");
    }
    d.SetKind(kind);
    if (absl::EndsWith(kind, "List")) {
      if (where.item >= 0) {
        return d.Fail(nullptr, &obj, "a List inside a List is not supported");
      }
      return List(obj, d, where, kind, api_version);
    }
    const absl::string_view group = Group(api_version);
    const bool core = group.empty();
    const bool apps = group == "apps" || group == "extensions";
    const bool batch = group == "batch";
    const int sequence = sequence_;
    if (core && kind == "Service") {
      Service& s = out_->services.emplace_back();
      SVCENV_RETURN_IF_ERROR(d.DecodeService(obj, &s));
      s.origin = d.MakeOrigin(sequence);
    } else if (core && kind == "Pod") {
      Pod& p = out_->pods.emplace_back();
      SVCENV_RETURN_IF_ERROR(d.DecodePod(obj, &p));
      p.origin = d.MakeOrigin(sequence);
    } else if (core && kind == "ConfigMap") {
      ConfigMap& c = out_->config_maps.emplace_back();
      SVCENV_RETURN_IF_ERROR(d.DecodeConfigMap(obj, &c));
      c.origin = d.MakeOrigin(sequence);
    } else if (core && kind == "Secret") {
      Secret& s = out_->secrets.emplace_back();
      SVCENV_RETURN_IF_ERROR(d.DecodeSecret(obj, &s));
      s.origin = d.MakeOrigin(sequence);
    } else if (core && kind == "Node") {
      Node& n = out_->nodes.emplace_back();
      SVCENV_RETURN_IF_ERROR(d.DecodeNode(obj, &n));
      n.origin = d.MakeOrigin(sequence);
    } else if ((core && kind == "PodTemplate")) {
      SVCENV_RETURN_IF_ERROR(Workload(obj, d, {"template"}));
    } else if ((core && kind == "ReplicationController") ||
               (apps && (kind == "Deployment" || kind == "StatefulSet" ||
                         kind == "DaemonSet" || kind == "ReplicaSet")) ||
               (batch && kind == "Job")) {
      SVCENV_RETURN_IF_ERROR(Workload(obj, d, {"spec", "template"}));
    } else if (batch && kind == "CronJob") {
      SVCENV_RETURN_IF_ERROR(
          Workload(obj, d, {"spec", "jobTemplate", "spec", "template"}));
    } else {
      return absl::OkStatus();  // A kind svcenv does not read.
    }
    ++sequence_;
    return absl::OkStatus();
  }

  absl::Status Workload(const json& obj, ObjectDecoder& d,
                        std::initializer_list<absl::string_view> path) {
    Pod& p = out_->pods.emplace_back();
    SVCENV_RETURN_IF_ERROR(d.DecodeWorkload(obj, path, &p));
    p.origin = d.MakeOrigin(sequence_);
    return absl::OkStatus();
  }

  absl::Status List(const json& obj, const ObjectDecoder& d,
                    const ObjectDecoder::Where& where, absl::string_view kind,
                    absl::string_view api_version) {
    const json* items = ObjectDecoder::Find(obj, "items");
    if (items == nullptr) return absl::OkStatus();
    Path p{nullptr, "items"};
    if (!items->is_array()) return d.WrongType(&p, *items, "an array");
    const json::array_t& a = items->get_ref<const json::array_t&>();
    for (size_t i = skip_items_; i < a.size(); ++i) {
      ObjectDecoder::Where w = where;
      w.item = static_cast<int>(i);
      if (int line = LineOf(a[i]); line > 0) w.line = line;
      SVCENV_RETURN_IF_ERROR(Object(a[i], w, kind, api_version));
    }
    return absl::OkStatus();
  }

  const absl::string_view file_;
  const DecodeOptions& options_;
  const LineTable* const lines_;
  int sequence_;
  Objects* const out_;
  size_t skip_items_ = 0;
  int64_t own_seen_ = 0;
  int64_t* const seen_;
};

// ---------------------------------------------------------------------------
// JSON parsing with a depth limit and a message for syntax errors.

// Receives the items of a top-level `items` array as soon as each is parsed.
class ItemSink {
 public:
  virtual ~ItemSink() = default;
  // Takes item `index` (an object). Returns false to leave it, and every
  // later item, in the tree.
  virtual bool Consume(const json& item, int index) = 0;
  // Forgets everything consumed: a later `items` key replaces the array.
  virtual void Reset() = 0;
};

// nlohmann's DOM builder, refusing to nest deeper than `max_depth` and
// keeping the text of the first syntax error. Its parser is iterative, so
// only the depth of the result needs bounding.
//
// Items of a top-level `items` array (a `kind: List`, usually most of the
// text) go to the `ItemSink` as each one ends and are then dropped from the
// tree: decoding an item while its nodes are still in cache, and freeing a
// small tree at a time, is much faster than one tree for the whole List.
class JsonBuilder : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  using Base = nlohmann::detail::json_sax_dom_parser<json>;
  JsonBuilder(json* root, int max_depth, ItemSink* sink)
      : Base(*root, /*allow_exceptions=*/false),
        root_(root),
        max_depth_(max_depth),
        sink_(sink) {}

  bool key(std::string& k) {
    // The object being built is at hand: a repeated key is already in it.
    // Map nodes never move, so the new entry can be remembered by address.
    Frame& f = frames_.back();
    json::object_t& obj = f.container->get_ref<json::object_t&>();
    const auto next = obj.lower_bound(k);
    if (next != obj.end() && next->first == k) {
      duplicate_ = absl::StrCat("duplicate key \"", k, "\"");
      return false;
    }
    if (depth_ == 1) {
      root_key_is_items_ = k == "items";
      if (root_key_is_items_) {
        consumed_ = 0;
        streaming_ = true;
        sink_->Reset();
      }
    }
    if (!Base::key(k)) return false;
    const auto added = std::prev(next);  // Inserted just before `next`.
    f.key = &added->first;
    f.slot = &added->second;
    return true;
  }
  // Every value first counts itself as an element of its array.
  bool null() { return Value() && Base::null(); }
  bool boolean(bool v) { return Value() && Base::boolean(v); }
  bool number_integer(json::number_integer_t v) {
    return Value() && Base::number_integer(v);
  }
  bool number_unsigned(json::number_unsigned_t v) {
    return Value() && Base::number_unsigned(v);
  }
  bool number_float(json::number_float_t v, const std::string& s) {
    return Value() && Base::number_float(v, s);
  }
  bool string(std::string& v) { return Value() && Base::string(v); }
  bool start_object(std::size_t n) {
    if (!Value() || !Enter() || !Base::start_object(n)) return false;
    Open();
    return true;
  }
  bool end_object() {
    frames_.pop_back();
    const bool item = in_items_ && depth_ == 3;
    --depth_;
    if (!Base::end_object()) return false;
    if (item && streaming_) {
      json::array_t& items = root_->find("items")->get_ref<json::array_t&>();
      // Items must reach the sink in order: stop at one that was skipped.
      streaming_ = items.size() == consumed_ + 1 &&
                   sink_->Consume(items.back(), static_cast<int>(consumed_));
      if (streaming_) {
        items.back() = nullptr;
        ++consumed_;
      }
    }
    return true;
  }
  bool start_array(std::size_t n) {
    if (!Value() || !Enter() || !Base::start_array(n)) return false;
    Open();
    if (depth_ == 2 && root_key_is_items_ && root_->is_object()) {
      in_items_ = true;
    }
    return true;
  }
  bool end_array() {
    frames_.pop_back();
    if (depth_ == 2) in_items_ = false;
    --depth_;
    return Base::end_array();
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& token,
                   const Exception& ex) {
    error_ = ex.what();
    return Base::parse_error(position, token, ex);
  }

  bool too_deep() const { return too_deep_; }
  // "duplicate key \"x\"" when an object repeated a key, else empty.
  const std::string& duplicate() const { return duplicate_; }
  // Where the parser stopped, as `spec.ports[1]` (empty at the root).
  std::string Path() const {
    std::string path;
    for (size_t i = 1; i < frames_.size(); ++i) {
      const Frame& parent = frames_[i - 1];
      if (parent.container->is_object()) {
        if (!path.empty()) path += '.';
        if (parent.key != nullptr) path += *parent.key;
      } else {
        absl::StrAppend(&path, "[", parent.elements - 1, "]");
      }
    }
    return path;
  }
  const std::string& error() const { return error_; }
  // How many leading items the sink took.
  int consumed() const { return static_cast<int>(consumed_); }

 private:
  bool Enter() {
    if (++depth_ > max_depth_) too_deep_ = true;
    return !too_deep_;
  }
  bool Value() {
    if (!frames_.empty()) ++frames_.back().elements;
    return true;
  }
  // Pushes the object or array the base class has just created: the root,
  // the last element of the enclosing array, or the entry of the last key.
  void Open() {
    json* created = root_;
    if (!frames_.empty()) {
      Frame& parent = frames_.back();
      created = parent.container->is_array() ? &parent.container->back()
                                             : parent.slot;
    }
    frames_.push_back(Frame{created});
  }

  // One per open object or array, for duplicate keys and paths. Pointers
  // stay valid while the container is open: nothing is added to an
  // enclosing array then, and map entries never move.
  struct Frame {
    json* container;                   // The object or array being built.
    const std::string* key = nullptr;  // Objects: the latest key...
    json* slot = nullptr;              // ...and its value.
    size_t elements = 0;               // Values begun so far.
  };
  std::vector<Frame> frames_;
  std::string duplicate_;

  json* const root_;
  const int max_depth_;
  ItemSink* const sink_;
  int depth_ = 0;
  bool too_deep_ = false;
  bool root_key_is_items_ = false;  // The last key of the root was "items".
  bool in_items_ = false;           // Inside the root's `items` array.
  bool streaming_ = false;          // Still handing items to the sink.
  size_t consumed_ = 0;
  std::string error_;
};

// Decodes List items as they are parsed, into its own `Objects`, for
// `DecodeJson` to keep only if the document turns out to be a List.
class EarlyItems : public ItemSink {
 public:
  EarlyItems(absl::string_view file, const DecodeOptions& options, int sequence,
             int64_t* seen)
      : file_(file), options_(options), sequence_(sequence), seen_(seen) {
    Reset();
  }

  bool Consume(const json& item, int index) override {
    if (!error_.ok()) return true;  // Only the first error matters.
    const json* kind = ObjectDecoder::Find(item, "kind");
    // Typed-List items have no kind: they need the List's, known later.
    if (kind == nullptr || !kind->is_string() ||
        kind->get_ref<const std::string&>().empty()) {
      return false;
    }
    error_ = decoder_->EarlyItem(item, index);
    return true;
  }

  void Reset() override {
    objects_ = Objects();
    error_ = absl::OkStatus();
    *seen_ = 0;
    decoder_ = std::make_unique<StreamDecoder>(file_, options_, nullptr,
                                               sequence_, &objects_, seen_);
  }

  const absl::Status& error() const { return error_; }
  Objects& objects() { return objects_; }

 private:
  const absl::string_view file_;
  const DecodeOptions& options_;
  const int sequence_;
  int64_t* const seen_;
  Objects objects_;
  absl::Status error_;
  std::unique_ptr<StreamDecoder> decoder_;
};

absl::Status ParseJson(absl::string_view text, absl::string_view file,
                       const DecodeOptions& options, ItemSink* sink, json* out,
                       int* consumed) {
  JsonBuilder builder(out, options.max_depth, sink);
  const bool ok = json::sax_parse(text.data(), text.data() + text.size(),
                                  &builder, json::input_format_t::json,
                                  /*strict=*/true);
  if (builder.too_deep()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": document 1: nesting deeper than ",
                     options.max_depth, " levels"));
  }
  if (!builder.duplicate().empty()) {
    const std::string path = builder.Path();
    return absl::InvalidArgumentError(absl::StrCat(file, ": document 1: ", path,
                                                   path.empty() ? "" : ": ",
                                                   builder.duplicate()));
  }
  if (!ok || builder.is_errored()) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5:
    // syntax error while parsing ..." becomes
    // "line 3, column 5: JSON syntax error while parsing ...".
    absl::string_view msg = builder.error();
    const size_t at = msg.find("at line ");
    const size_t colon =
        at == absl::string_view::npos ? at : msg.find(": ", at);
    if (colon != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": ", msg.substr(at + 3, colon - at - 3),
                       ": JSON ", msg.substr(colon + 2)));
    }
    if (const size_t id = msg.find("] "); id != absl::string_view::npos) {
      msg.remove_prefix(id + 2);
    }
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": JSON error: ", msg));
  }
  *consumed = builder.consumed();
  return absl::OkStatus();
}

void Append(Objects&& from, Objects* to);

absl::Status DecodeJson(absl::string_view text, absl::string_view file,
                        const DecodeOptions& options, int sequence,
                        Objects* staging) {
  int64_t seen = 0;  // Documents and List items, against max_objects.
  EarlyItems early(file, options, sequence, &seen);
  json doc;
  int consumed = 0;
  SVCENV_RETURN_IF_ERROR(
      ParseJson(text, file, options, &early, &doc, &consumed));
  const json* kind =
      doc.is_object() ? ObjectDecoder::Find(doc, "kind") : nullptr;
  const bool list = kind != nullptr && kind->is_string() &&
                    absl::EndsWith(kind->get_ref<const std::string&>(), "List");
  if (!list) consumed = 0;  // Its `items` was some other field.
  if (consumed == 0) seen = 0;
  if (consumed > 0) SVCENV_RETURN_IF_ERROR(early.error());
  Objects rest;
  StreamDecoder decoder(file, options, nullptr,
                        sequence + (consumed > 0 ? Count(early.objects()) : 0),
                        &rest, &seen);
  decoder.SkipItems(consumed);
  SVCENV_RETURN_IF_ERROR(decoder.Document(doc, 0, 0));
  if (consumed > 0) Append(std::move(early.objects()), staging);
  Append(std::move(rest), staging);
  return absl::OkStatus();
}

bool LooksLikeJson(absl::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

void Append(Objects&& from, Objects* to) {
  auto move_all = [](auto& src, auto& dst) {
    dst.insert(dst.end(), std::make_move_iterator(src.begin()),
               std::make_move_iterator(src.end()));
  };
  move_all(from.services, to->services);
  move_all(from.pods, to->pods);
  move_all(from.config_maps, to->config_maps);
  move_all(from.secrets, to->secrets);
  move_all(from.nodes, to->nodes);
}

// Refuses text that is not UTF-8 or holds control characters other than
// tab, line feed and carriage return: YAML forbids them, JSON allows them
// nowhere but escaped in strings, and yaml-cpp would pass some through.
absl::Status CheckText(absl::string_view text, absl::string_view file) {
  if (absl::StartsWith(text, "\xFF\xFE") ||
      absl::StartsWith(text, "\xFE\xFF")) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": line 1, column 1: input is UTF-16; svcenv reads UTF-8"));
  }
  size_t i = 0;
  while (i < text.size()) {
    // Eight printable ASCII bytes at a time (no byte >= 0x80 or < 0x20).
    constexpr uint64_t kOnes = 0x0101010101010101, kHigh = kOnes * 0x80;
    uint64_t w;
    if (text.size() - i >= sizeof(w)) {
      std::memcpy(&w, text.data() + i, sizeof(w));
      if (((w | (w - kOnes * 0x20)) & kHigh) == 0) {
        i += sizeof(w);
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c >= 0x20 && c < 0x80) || c == '\n' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (size_t n = c < 0x80 ? 0 : utf8_internal::RuneLength(text.substr(i));
        n > 0) {
      i += n;
      continue;
    }
    // Rare: only now count lines.
    const absl::string_view before = text.substr(0, i);
    const size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0.
    const std::string where = absl::StrCat(
        file, ": line ", std::count(before.begin(), before.end(), '\n') + 1,
        ", column ", i - line_start + 1);
    if (c == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(where,
                       ": NUL byte (binary data belongs base64-encoded in a "
                       "Secret's data)"));
    }
    if (c < 0x80) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: control character 0x%02X (write it escaped in a quoted string)",
          where, c));
    }
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: invalid UTF-8 (byte 0x%02X)", where, c));
  }
  return absl::OkStatus();
}

// Decodes `text` into `staging`, numbering objects from `sequence`.
absl::Status DecodeInto(absl::string_view text, absl::string_view file,
                        const DecodeOptions& options, int sequence,
                        Objects* staging) {
  if (text.size() > options.max_input_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": input is ", text.size(), " bytes, more than the limit of ",
        options.max_input_bytes, " bytes"));
  }
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // BOM.
  SVCENV_RETURN_IF_ERROR(CheckText(text, file));
  try {
    if (LooksLikeJson(text)) {
      return DecodeJson(text, file, options, sequence, staging);
    }
    decode_internal::YamlLimits limits;
    limits.max_depth = options.max_depth;
    limits.max_nodes = options.max_yaml_nodes;
    limits.max_documents = options.max_objects;
    decode_internal::YamlStream stream;
    absl::Status s = decode_internal::ParseYamlStream(text, limits, &stream);
    if (!s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": ", s.message()));
    }
    StreamDecoder decoder(file, options, &stream.lines, sequence, staging);
    for (size_t i = 0; i < stream.documents.size(); ++i) {
      SVCENV_RETURN_IF_ERROR(decoder.Document(
          stream.documents[i], static_cast<int>(i), stream.document_lines[i]));
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    // Nothing in lib/ should throw; allocation failure still might.
    return absl::ResourceExhaustedError(
        absl::StrCat(file, ": decoding failed: ", e.what()));
  }
}

// ---------------------------------------------------------------------------
// Files.

absl::Status FileError(const std::string& path, int err) {
  std::string msg = absl::StrCat(path, ": ", std::strerror(err));
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(msg);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(msg);
    default:
      return absl::UnknownError(msg);
  }
}

absl::Status ReadAll(std::FILE* f, const std::string& name, size_t limit,
                     std::string* out) {
  char buf[1 << 16];
  while (true) {
    const size_t n = std::fread(buf, 1, sizeof(buf), f);
    out->append(buf, n);
    if (out->size() > limit) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": input is more than the limit of ", limit, " bytes"));
    }
    if (n < sizeof(buf)) break;
  }
  if (std::ferror(f)) return FileError(name, errno);
  return absl::OkStatus();
}

absl::Status ReadFile(const std::string& path, size_t limit, std::string* out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return FileError(path, errno);
  absl::Status s = ReadAll(f, path, limit, out);
  std::fclose(f);
  return s;
}

bool HasManifestExtension(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".json" || ext == ".yaml" || ext == ".yml";
}

// Adds the manifest files under `dir` to `files`, in lexical order with
// subdirectories visited in place (as filepath.Walk does).
absl::Status ListDirectory(const std::filesystem::path& dir, bool recursive,
                           std::vector<std::string>* files) {
  std::error_code ec;
  std::vector<std::filesystem::path> entries;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    entries.push_back(it->path());
  }
  if (ec) return FileError(dir.string(), ec.value());
  std::sort(entries.begin(), entries.end());
  for (const std::filesystem::path& p : entries) {
    // Symlinked directories are not followed, so recursion terminates.
    const auto link_status = std::filesystem::symlink_status(p, ec);
    if (std::filesystem::is_directory(link_status)) {
      if (recursive) {
        SVCENV_RETURN_IF_ERROR(ListDirectory(p, recursive, files));
      }
    } else if (HasManifestExtension(p) &&
               !std::filesystem::is_directory(p, ec)) {
      files->push_back(p.string());
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status DecodeText(absl::string_view text, absl::string_view file_name,
                        const DecodeOptions& options, Objects* out) {
  Objects staging;
  SVCENV_RETURN_IF_ERROR(
      DecodeInto(text, file_name, options, Count(*out), &staging));
  Append(std::move(staging), out);
  return absl::OkStatus();
}

absl::Status DecodePaths(const std::vector<std::string>& paths, bool recursive,
                         const DecodeOptions& options, Objects* out) {
  Objects staging;
  const int base = Count(*out);
  for (const std::string& path : paths) {
    std::vector<std::string> files;
    if (path == "-") {
      files.push_back(path);
    } else {
      std::error_code ec;
      const auto status = std::filesystem::status(path, ec);
      if (ec) return FileError(path, ec.value());
      if (std::filesystem::is_directory(status)) {
        SVCENV_RETURN_IF_ERROR(ListDirectory(path, recursive, &files));
      } else {
        files.push_back(path);
      }
    }
    for (const std::string& file : files) {
      std::string text;
      if (file == "-") {
        SVCENV_RETURN_IF_ERROR(
            ReadAll(stdin, "-", options.max_input_bytes, &text));
      } else {
        SVCENV_RETURN_IF_ERROR(ReadFile(file, options.max_input_bytes, &text));
      }
      SVCENV_RETURN_IF_ERROR(
          DecodeInto(text, file, options, base + Count(staging), &staging));
    }
  }
  Append(std::move(staging), out);
  return absl::OkStatus();
}

}  // namespace svcenv
