#include "svcenv/container_env.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "lib/base/status_macros.h"
#include "lib/env/internal/fieldref.h"
#include "lib/env/internal/resource.h"
#include "svcenv/env_dependency.h"
#include "svcenv/env_refusal.h"
#include "svcenv/expand.h"
#include "svcenv/object_lookup.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {

// apimachinery IsEnvVarName (kubelets 1.8 to 1.29 skip envFrom keys that
// fail it): `[-._a-zA-Z][-._a-zA-Z0-9]*`, and not `.`, `..` or `..`-prefixed.
bool IsEnvVarName(absl::string_view s) {
  if (s.empty()) return false;
  const auto letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '.' || c == '_';
  };
  if (!letter(s[0])) return false;
  for (char c : s) {
    if (!letter(c) && !(c >= '0' && c <= '9')) return false;
  }
  return s != "." && s.substr(0, 2) != "..";
}

EnvSource ServiceSource(const ServiceVariable& variable) {
  EnvSource source;
  source.kind = SourceKind::kService;
  source.service = variable.service;
  source.port_index = variable.port_index;
  source.object_namespace = variable.service->meta.namespace_name;
  source.object_name = variable.service->meta.name;
  return source;
}

// Which family sortPodIPs puts first (see EnvironmentOptions): the caller's
// word, else the stored status order, else the Node's first address (the
// kubelet's nodeIPs[0]), else IPv4.
bool PodIpv6Primary(const Pod& pod, const EnvironmentOptions& options,
                    const Node* node) {
  if (options.node_ipv6_primary.has_value()) return *options.node_ipv6_primary;
  if (options.pod_ips_as_reported) {
    for (const std::string& text : pod.pod_ips) {
      if (auto ip = internal::ParseIpSloppy(text)) return !internal::IsIpv4(*ip);
    }
    return false;
  }
  if (node != nullptr) {
    const std::vector<std::string> ips = internal::NodeHostIps(*node);
    if (!ips.empty()) {
      if (auto ip = internal::ParseIpSloppy(ips[0])) return !internal::IsIpv4(*ip);
    }
  }
  return false;
}

// What the value of a `fileKeyRef` looks like before the container starts.
std::string FileKeyPlaceholder(const FileKeySelector& ref) {
  return absl::StrCat("<fileKeyRef volume=", ref.volume_name,
                      " path=", ref.path, " key=", ref.key,
                      ": known at container start>");
}

// The API server's checks of a `fileKeyRef` (pkg/apis/core/validation, the
// EnvFiles fields; the file must be in an emptyDir volume, as the EnvFiles
// gate in pkg/features/kube_features.go says): empty when it passes, else
// why it fails, naming the field.
std::string FileKeyRefProblem(const FileKeySelector& ref, const Pod& pod) {
  if (ref.volume_name.empty()) return "fileKeyRef.volumeName: Required value";
  const Volume* volume = nullptr;
  for (const Volume& v : pod.volumes) {
    if (v.name == ref.volume_name) {
      volume = &v;
      break;
    }
  }
  if (volume == nullptr) {
    return absl::StrCat("fileKeyRef.volumeName: Not found: \"", ref.volume_name,
                        "\" is not in spec.volumes");
  }
  if (volume->source != "emptyDir") {
    return absl::StrCat("fileKeyRef.volumeName: volume \"", ref.volume_name,
                        "\" is ",
                        volume->source.empty()
                            ? std::string("of no known kind")
                            : absl::StrCat("a ", volume->source, " volume"),
                        "; the env file must be in an emptyDir volume");
  }
  // validateLocalDescendingPath: relative, no '..' element.
  if (ref.path.empty()) return "fileKeyRef.path: Required value";
  if (ref.path[0] == '/') {
    return absl::StrCat("fileKeyRef.path: \"", ref.path,
                        "\": must be a relative path");
  }
  for (absl::string_view part : absl::StrSplit(ref.path, '/')) {
    if (part == "..") {
      return absl::StrCat("fileKeyRef.path: \"", ref.path,
                          "\": must not contain '..'");
    }
  }
  if (ref.key.empty()) return "fileKeyRef.key: Required value";
  for (char c : ref.key) {
    if (c < ' ' || c > '~' || c == '=') {
      return absl::StrCat("fileKeyRef.key: \"", ref.key,
                          "\": must consist of printable ASCII characters "
                          "except '='");
    }
  }
  return "";
}

absl::string_view ObjectKind(SourceKind kind) {
  switch (kind) {
    case SourceKind::kConfigMapEnvFrom:
    case SourceKind::kConfigMapKeyRef:
      return "ConfigMap";
    case SourceKind::kSecretEnvFrom:
    case SourceKind::kSecretKeyRef:
      return "Secret";
    default:
      return "";
  }
}

// The pod's annotation naming where the kubelet got it (`file`, `http`,
// `api`); a pod from anywhere but the API server is static.
constexpr absl::string_view kConfigSourceAnnotation =
    "kubernetes.io/config.source";

bool IsStaticPod(const Pod& pod) {
  auto it = pod.meta.annotations.find(std::string(kConfigSourceAnnotation));
  return it != pod.meta.annotations.end() && it->second != "api";
}

// `services.variables` is sorted by name with unique names.
const ServiceVariable* FindServiceVariable(const ServiceEnvironment& services,
                                           absl::string_view name) {
  auto it = std::lower_bound(
      services.variables.begin(), services.variables.end(), name,
      [](const ServiceVariable& v, absl::string_view n) { return v.name < n; });
  if (it == services.variables.end() || it->name != name) return nullptr;
  return &*it;
}

}  // namespace

// Builds one container's environment; one instance per call.
class EnvironmentBuilder {
 public:
  using SourceRef = SharedContainerEnvironment::SourceRef;
  using OwnVariable = SharedContainerEnvironment::OwnVariable;

  EnvironmentBuilder(const Pod& pod, const Container& container,
                     std::shared_ptr<const ServiceEnvironment> services,
                     const ObjectLookup& objects,
                     const EnvironmentOptions& options)
      : pod_(pod),
        container_(container),
        services_(*services),
        objects_(objects),
        options_(options) {
    result_.services_ = std::move(services);
    result_.pod_namespace_ = pod.meta.namespace_name;
    result_.container_ = container;
    result_.dependencies_ =
        ServiceDependencies(pod.meta.namespace_name,
                            pod.enable_service_links.value_or(true));
  }

  absl::StatusOr<SharedContainerEnvironment> Build() {
    if (!pod_.enable_service_links.has_value() &&
        options_.reject_nil_enable_service_links) {
      Refusal r;
      r.reason = RefusalReason::kNilEnableServiceLinks;
      r.kubelet_message =
          "nil pod.spec.enableServiceLinks encountered, cannot construct "
          "envvars";
      r.message = r.kubelet_message;
      SVCENV_RETURN_IF_ERROR(Refuse(std::move(r)));
    }
    if (!options_.services_synced && !IsStaticPod(pod_)) {
      Refusal r;
      r.reason = RefusalReason::kServicesNotSynced;
      r.kubelet_message =
          "services have not yet been read at least once, cannot construct "
          "envvars";
      r.message = r.kubelet_message;
      SVCENV_RETURN_IF_ERROR(Refuse(std::move(r)));
    }
    for (size_t i = 0; i < container_.env_from.size(); ++i) {
      SVCENV_RETURN_IF_ERROR(ApplyEnvFrom(static_cast<int>(i)));
    }
    for (size_t i = 0; i < container_.env.size(); ++i) {
      SVCENV_RETURN_IF_ERROR(ApplyEnv(static_cast<int>(i)));
    }
    Finish();
    return std::move(result_);
  }

 private:
  // The value `name` expands to while `env` is processed: the container's
  // own variables so far, then the Service variables.
  const std::string* Lookup(absl::string_view name) const {
    if (auto it = index_.find(name); it != index_.end()) {
      return &result_.own_[it->second].value;
    }
    if (const ServiceVariable* v = FindServiceVariable(services_, name)) {
      return &v->value;
    }
    return nullptr;
  }

  // Sets `name` as the container's own variable, recording what it replaces.
  OwnVariable& Set(const std::string& name, std::string value,
                   SourceRef source) {
    auto [it, inserted] = index_.try_emplace(name, result_.own_.size());
    if (inserted) {
      OwnVariable variable;
      variable.name = name;
      variable.hidden_service = FindServiceVariable(services_, name);
      result_.own_.push_back(std::move(variable));
    }
    OwnVariable& variable = result_.own_[it->second];
    if (!inserted) {
      variable.replaced.push_back(variable.source);
      variable.expanded_references.clear();
      variable.unresolved_references.clear();
    }
    variable.value = std::move(value);
    variable.source = source;
    variable.unknown = false;
    variable.runtime_only = false;
    return variable;
  }

  // Records a dependency on a ConfigMap or Secret, merging repeats.
  void Depend(DependencyKind kind, const std::string& name, bool found,
              bool optional) {
    for (Dependency& d : result_.dependencies_) {
      if (d.kind == kind && d.name == name) {
        d.optional = d.optional && optional;
        return;
      }
    }
    result_.dependencies_.push_back(
        {kind, pod_.meta.namespace_name, name, found, optional});
  }

  const std::map<std::string, std::string>* ConfigMapData(
      const std::string& name, bool optional) {
    const ConfigMap* cm =
        objects_.FindConfigMap(pod_.meta.namespace_name, name);
    Depend(DependencyKind::kConfigMap, name, cm != nullptr, optional);
    return cm == nullptr ? nullptr : &cm->data;  // Never binaryData.
  }

  const std::map<std::string, std::string>* SecretData(const std::string& name,
                                                       bool optional) {
    const Secret* s = objects_.FindSecret(pod_.meta.namespace_name, name);
    Depend(DependencyKind::kSecret, name, s != nullptr, optional);
    return s == nullptr ? nullptr : &s->data;
  }

  // The Node, looked up on first need (downward API only).
  const Node* GetNode() {
    if (node_looked_up_) return node_;
    node_looked_up_ = true;
    node_ = options_.node;
    if (node_ != nullptr) {
      result_.dependencies_.push_back(
          {DependencyKind::kNode, "", node_->meta.name, true, false});
    } else if (!pod_.node_name.empty()) {
      node_ = objects_.FindNode(pod_.node_name);
      result_.dependencies_.push_back({DependencyKind::kNode, "",
                                       pod_.node_name, node_ != nullptr,
                                       false});
    }
    if (node_ != nullptr) downward_.host_ips = internal::NodeHostIps(*node_);
    downward_.ipv6_primary = PodIpv6Primary(pod_, options_, node_);
    downward_.unscheduled_placeholders = options_.unscheduled_placeholders;
    if (downward_.host_ips.empty()) {
      // The pod's own status: what the kubelet reported for its node.
      for (const std::string& text : pod_.host_ips) {
        if (auto ip = internal::ParseIpSloppy(text)) {
          downward_.host_ips.push_back(internal::FormatIp(*ip));
        }
      }
    }
    return node_;
  }

  std::string Where(absl::string_view what, int index) const {
    return absl::StrCat("container \"", container_.name, "\": ", what, "[",
                        index, "]");
  }

  std::string RefusedText(absl::string_view where,
                          absl::string_view why) const {
    return absl::StrCat(where, ": ", why,
                        "; the kubelet refuses to create the container "
                        "(CreateContainerConfigError)");
  }

  // Fails with `refusal`, or in partial mode records it and goes on.
  absl::Status Refuse(Refusal refusal) {
    if (!options_.partial) return RefusalStatus(refusal);
    result_.refusals_.push_back(std::move(refusal));
    return absl::OkStatus();
  }

  Refusal ObjectRefusal(RefusalReason reason, SourceKind kind,
                        const std::string& name) const {
    Refusal r;
    r.reason = reason;
    r.object_kind = std::string(ObjectKind(kind));
    r.object_namespace = pod_.meta.namespace_name;
    r.object_name = name;
    r.container = container_.name;
    return r;
  }

  // The kubelet's manager error: `configmap "NAME" not found`.
  static std::string NotFoundText(SourceKind kind, absl::string_view name) {
    return absl::StrCat(absl::AsciiStrToLower(ObjectKind(kind)), " \"", name,
                        "\" not found");
  }

  // ValidateEnv / ValidateEnvFrom before RelaxedEnvironmentVariableValidation
  // (on from 1.32) hold names and prefixes to IsEnvVarName.
  void WarnStrictName(const std::string& where, absl::string_view field,
                      const std::string& name) {
    if (options_.kubelet.relaxed_env_var_names() || name.empty() ||
        IsEnvVarName(name)) {
      return;
    }
    result_.warnings_.push_back(absl::StrCat(
        where, ": the ", field, " \"", name,
        "\" is not a valid variable name for the API server of Kubernetes ",
        options_.kubelet.ToString(),
        " (RelaxedEnvironmentVariableValidation is on from 1.32), which "
        "rejects the pod"));
  }

  absl::Status ApplyEnvFrom(int index) {
    const EnvFromSource& from = container_.env_from[index];
    SourceRef source{SourceKind::kLiteral, index};
    WarnStrictName(Where("envFrom", index), "prefix", from.prefix);
    const EnvFromReference* ref = nullptr;
    const std::map<std::string, std::string>* data = nullptr;
    if (from.config_map_ref) {
      source.kind = SourceKind::kConfigMapEnvFrom;
      ref = &*from.config_map_ref;
      data = ConfigMapData(ref->name, ref->optional);
    } else if (from.secret_ref) {
      source.kind = SourceKind::kSecretEnvFrom;
      ref = &*from.secret_ref;
      data = SecretData(ref->name, ref->optional);
    } else {
      return absl::OkStatus();  // Neither: the kubelet does nothing.
    }
    if (data == nullptr && ref->optional) return absl::OkStatus();
    const std::string& ns = pod_.meta.namespace_name;
    if (data == nullptr) {
      Refusal r = ObjectRefusal(RefusalReason::kObjectNotFound, source.kind,
                                ref->name);
      r.field = absl::StrCat("envFrom[", index, "]");
      r.kubelet_message = NotFoundText(source.kind, ref->name);
      r.message = RefusedText(
          Where("envFrom", index),
          absl::StrCat(ObjectKind(source.kind), " ", ns, "/", ref->name,
                       " not found (not optional)"));
      return Refuse(std::move(r));
    }
    // makeEnvironmentVariables before 1.30: keys failing IsEnvVarName are
    // skipped and reported in an event.
    const bool validate = options_.kubelet.filters_env_from_keys();
    std::vector<std::string> invalid;
    for (const auto& [key, value] : *data) {
      std::string name = absl::StrCat(from.prefix, key);
      if (validate && !IsEnvVarName(name)) {
        invalid.push_back(std::move(name));
        continue;
      }
      Set(name, value, source);
    }
    if (!invalid.empty()) {
      result_.warnings_.push_back(
          absl::StrCat("envFrom[", index, "] ", ObjectKind(source.kind), " ",
                       ns, "/", ref->name, ": kubelet ",
                       options_.kubelet.ToString(),
                       " skips keys that are not valid variable names "
                       "(InvalidEnvironmentVariableNames): ",
                       absl::StrJoin(invalid, ", ")));
    }
    return absl::OkStatus();
  }

  // Records a refusal of `env[index]`; in partial mode sets a placeholder.
  absl::Status RefuseEnv(int index, SourceKind kind, Refusal refusal) {
    refusal.container = container_.name;
    refusal.field = absl::StrCat("env[", index, "]");
    refusal.variable = container_.env[index].name;
    SVCENV_RETURN_IF_ERROR(Refuse(std::move(refusal)));
    OwnVariable& placeholder =
        Set(container_.env[index].name, "", SourceRef{kind, index});
    placeholder.unknown = true;
    return absl::OkStatus();
  }

  absl::Status ApplyEnv(int index) {
    const EnvVar& var = container_.env[index];
    SourceRef source{SourceKind::kLiteral, index};
    const std::string where =
        absl::StrCat(Where("env", index), " (", var.name, ")");
    WarnStrictName(where, "name", var.name);
    if (!var.value.empty()) {
      ExpansionTrace trace;
      std::string value = ExpandReferences(
          var.value, [this](absl::string_view name) { return Lookup(name); },
          &trace);
      bool unknown = false;
      bool runtime_only = false;
      for (const std::string& ref : trace.expanded) {
        auto it = index_.find(ref);
        if (it == index_.end()) continue;
        unknown |= result_.own_[it->second].unknown;
        runtime_only |= result_.own_[it->second].runtime_only;
      }
      OwnVariable& entry = Set(var.name, std::move(value), source);
      entry.expanded_references = std::move(trace.expanded);
      entry.unresolved_references = std::move(trace.unresolved);
      entry.unknown = unknown;
      entry.runtime_only = runtime_only;
      return absl::OkStatus();
    }
    if (!var.value_from.has_value()) {
      Set(var.name, "", SourceRef{SourceKind::kEmpty, index});
      return absl::OkStatus();
    }
    const EnvVarSource& from = *var.value_from;
    if (from.field_ref) {
      source.kind = SourceKind::kFieldRef;
      GetNode();
      absl::StatusOr<internal::FieldRefValue> v =
          internal::ResolveFieldRef(*from.field_ref, pod_, downward_);
      if (!v.ok()) {
        Refusal r;
        r.reason = RefusalReason::kBadFieldPath;
        r.kubelet_message = std::string(v.status().message());
        r.message = RefusedText(
            where, absl::StrCat("fieldRef: ", v.status().message()));
        return RefuseEnv(index, source.kind, std::move(r));
      }
      if (!v->warning.empty()) {
        result_.warnings_.push_back(absl::StrCat(where, ": ", v->warning));
      }
      Set(var.name, std::move(v->value), source).runtime_only =
          v->placeholder;
    } else if (from.resource_field_ref) {
      source.kind = SourceKind::kResourceFieldRef;
      const Node* node = GetNode();
      internal::ResourceFieldOptions resource_options;
      resource_options.default_requests_from_limits =
          options_.default_requests_from_limits;
      resource_options.pod_level_resources =
          options_.kubelet.pod_level_resources();
      resource_options.exact_ratio = options_.kubelet.exact_resource_ratio();
      resource_options.allocatable_placeholder =
          options_.unscheduled_placeholders;
      if (!resource_options.pod_level_resources &&
          internal::IsPodLevelLimitsSet(pod_) && !warned_pod_resources_) {
        warned_pod_resources_ = true;
        result_.warnings_.push_back(absl::StrCat(
            where, ": spec.resources is ignored: PodLevelResources is off by "
                   "default in kubelet ",
            options_.kubelet.ToString(),
            " (on from 1.34); the API server drops the field"));
      }
      absl::StatusOr<internal::ResourceFieldValue> v =
          internal::ResolveResourceFieldRef(*from.resource_field_ref, pod_,
                                            container_, node, resource_options);
      if (!v.ok()) {
        const absl::string_view message = v.status().message();
        if (v.status().code() != absl::StatusCode::kFailedPrecondition) {
          return absl::Status(
              v.status().code(),
              absl::StrCat(where, ": resourceFieldRef: ", message));
        }
        Refusal r;
        // resource.h's refusals are an unsupported resource, a container the
        // pod lacks, or a quantity that does not parse.
        r.reason = internal::IsBadQuantity(v.status())
                       ? RefusalReason::kBadQuantity
                       : RefusalReason::kBadResourceField;
        r.kubelet_message = std::string(message);
        r.message =
            RefusedText(where, absl::StrCat("resourceFieldRef: ", message));
        return RefuseEnv(index, source.kind, std::move(r));
      }
      if (!v->warning.empty()) {
        result_.warnings_.push_back(absl::StrCat(where, ": ", v->warning));
      }
      Set(var.name, std::move(v->value), source).runtime_only =
          v->placeholder;
    } else if (from.config_map_key_ref || from.secret_key_ref) {
      const bool is_config_map = from.config_map_key_ref.has_value();
      const KeySelector& ref =
          is_config_map ? *from.config_map_key_ref : *from.secret_key_ref;
      source.kind = is_config_map ? SourceKind::kConfigMapKeyRef
                                  : SourceKind::kSecretKeyRef;
      const std::map<std::string, std::string>* data =
          is_config_map ? ConfigMapData(ref.name, ref.optional)
                        : SecretData(ref.name, ref.optional);
      const std::string object =
          absl::StrCat(ObjectKind(source.kind), " ", pod_.meta.namespace_name,
                       "/", ref.name);
      // A skipped optional reference leaves any earlier value of the name.
      if (data == nullptr) {
        if (ref.optional) return absl::OkStatus();
        Refusal r = ObjectRefusal(RefusalReason::kObjectNotFound, source.kind,
                                  ref.name);
        r.kubelet_message = NotFoundText(source.kind, ref.name);
        r.message =
            RefusedText(where, absl::StrCat(object, " not found (not optional)"));
        return RefuseEnv(index, source.kind, std::move(r));
      }
      auto it = data->find(ref.key);
      if (it == data->end()) {
        if (ref.optional) return absl::OkStatus();
        Refusal r = ObjectRefusal(RefusalReason::kKeyNotFound, source.kind,
                                  ref.name);
        r.key = ref.key;
        r.kubelet_message = absl::StrCat(
            "couldn't find key ", ref.key, " in ", ObjectKind(source.kind), " ",
            pod_.meta.namespace_name, "/", ref.name);
        r.message = RefusedText(
            where, absl::StrCat("couldn't find key ", ref.key, " in ", object,
                                " (not optional)"));
        return RefuseEnv(index, source.kind, std::move(r));
      }
      Set(var.name, it->second, source);
    } else if (from.file_key_ref) {
      return ApplyFileKeyRef(*from.file_key_ref, index, where);
    } else {
      // An empty valueFrom: no case matches and the kubelet stores "".
      Set(var.name, "", SourceRef{SourceKind::kEmpty, index});
    }
    return absl::OkStatus();
  }

  // makeEnvironmentVariables, `case EnvFiles && FileKeyRef != nil`.
  absl::Status ApplyFileKeyRef(const FileKeySelector& ref, int index,
                               const std::string& where) {
    const std::string& name = container_.env[index].name;
    const SourceRef source{SourceKind::kFileKeyRef, index};
    if (!options_.kubelet.env_files()) {
      // The gate is off: no case of the kubelet's switch matches and it
      // stores "" (what an empty valueFrom gets).
      result_.warnings_.push_back(absl::StrCat(
          where, ": fileKeyRef needs EnvFiles, off by default in kubelet ",
          options_.kubelet.ToString(),
          " (on from 1.35): the API server drops the field and rejects the "
          "entry (valueFrom names no source); a kubelet that sees it sets \"\""));
      Set(name, "", source);
      return absl::OkStatus();
    }
    if (std::string problem = FileKeyRefProblem(ref, pod_); !problem.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          where, ": ", problem,
          "; the API server rejects the pod, so no container starts"));
    }
    // The value is read from the file when the container starts
    // (envutil.ParseEnv). A missing key, or an empty value, is "not found":
    // an optional entry is then skipped and the name keeps any earlier
    // value; otherwise the container fails to start.
    if (ref.optional) {
      std::string kept;
      if (auto it = index_.find(name); it != index_.end()) {
        kept = absl::StrCat(
            "keeps its earlier value (",
            DescribeSource(result_.Source(result_.own_[it->second])), ")");
      } else if (const ServiceVariable* v =
                     FindServiceVariable(services_, name)) {
        kept = absl::StrCat("gets the Service value (",
                            DescribeSource(ServiceSource(*v)), ")");
      } else {
        kept = "is not set";
      }
      result_.warnings_.push_back(absl::StrCat(
          where, ": optional fileKeyRef: if key ", ref.key, " is missing or "
                 "empty in ", ref.volume_name, "/", ref.path,
          " at container start, ", name, " ", kept));
    }
    OwnVariable& entry = Set(name, FileKeyPlaceholder(ref), source);
    entry.runtime_only = true;
    return absl::OkStatus();
  }

  bool IsRuntimeOnly(absl::string_view name) const {
    auto it = index_.find(name);
    return it != index_.end() && result_.own_[it->second].runtime_only;
  }

  void Finish() {
    for (const OwnVariable& variable : result_.own_) {
      if (variable.value.find('\0') != std::string::npos) {
        result_.warnings_.push_back(absl::StrCat(
            variable.name,
            ": the value contains a NUL byte; runc will refuse setenv "
            "(invalid argument) and the container fails to start"));
      }
      if (variable.hidden_service != nullptr) {
        result_.hidden_.push_back(static_cast<size_t>(
            variable.hidden_service - services_.variables.data()));
      }
    }
    std::sort(result_.hidden_.begin(), result_.hidden_.end());
    // command and args see the final environment: own variables, then the
    // Service ones not hidden.
    ExpansionTrace trace;
    const auto lookup = [this](absl::string_view name) { return Lookup(name); };
    result_.command_.reserve(container_.command.size());
    for (const std::string& arg : container_.command) {
      result_.command_.push_back(ExpandReferences(arg, lookup, &trace));
    }
    result_.args_.reserve(container_.args.size());
    for (const std::string& arg : container_.args) {
      result_.args_.push_back(ExpandReferences(arg, lookup, &trace));
    }
    for (const std::string& name : trace.expanded) {
      if (IsRuntimeOnly(name)) {
        result_.warnings_.push_back(absl::StrCat(
            "command/args use $(", name,
            "), known only at container start; shown with its placeholder"));
      }
    }
    result_.unresolved_command_references_ = std::move(trace.unresolved);
  }

  const Pod& pod_;
  const Container& container_;
  const ServiceEnvironment& services_;
  const ObjectLookup& objects_;
  const EnvironmentOptions& options_;
  bool node_looked_up_ = false;
  const Node* node_ = nullptr;
  internal::DownwardApiContext downward_;
  // Name -> position in result_.own_. Keys own their bytes: entries move.
  absl::flat_hash_map<std::string, size_t> index_;
  bool warned_pod_resources_ = false;
  SharedContainerEnvironment result_;
};

namespace {

EnvEntry ServiceEntry(const ServiceVariable& v) {
  EnvEntry entry;
  entry.name = v.name;
  entry.value = v.value;
  entry.source = ServiceSource(v);
  return entry;
}

}  // namespace

std::string DescribeSource(const EnvSource& source) {
  switch (source.kind) {
    case SourceKind::kService:
      if (source.service == nullptr) return "Service";
      return DescribeServiceSource(*source.service, source.port_index);
    case SourceKind::kConfigMapEnvFrom:
    case SourceKind::kSecretEnvFrom: {
      std::string s =
          absl::StrCat(ObjectKind(source.kind), " ", source.object_namespace,
                       "/", source.object_name, " key ", source.key);
      if (!source.prefix.empty()) {
        absl::StrAppend(&s, " (envFrom prefix ", source.prefix, ")");
      }
      return s;
    }
    case SourceKind::kConfigMapKeyRef:
    case SourceKind::kSecretKeyRef:
      return absl::StrCat(ObjectKind(source.kind), " ", source.object_namespace,
                          "/", source.object_name, " key ", source.key);
    case SourceKind::kLiteral:
      return "env value";
    case SourceKind::kEmpty:
      return "env (no value)";
    case SourceKind::kFieldRef:
      return absl::StrCat("fieldRef ", source.field_path);
    case SourceKind::kResourceFieldRef: {
      std::string s = absl::StrCat("resourceFieldRef ", source.resource);
      if (!source.container_name.empty()) {
        absl::StrAppend(&s, " of container ", source.container_name);
      }
      if (!source.divisor.empty()) {
        absl::StrAppend(&s, " divisor ", source.divisor);
      }
      return s;
    }
    case SourceKind::kFileKeyRef:
      return absl::StrCat("fileKeyRef volume ", source.volume_name, " path ",
                          source.path, " key ", source.key);
  }
  return "";
}

const Container* FindContainer(const Pod& pod, absl::string_view name) {
  if (name.empty()) {
    return pod.containers.empty() ? nullptr : &pod.containers[0];
  }
  for (const auto* list :
       {&pod.containers, &pod.init_containers, &pod.ephemeral_containers}) {
    for (const Container& c : *list) {
      if (c.name == name) return &c;
    }
  }
  return nullptr;
}

SharedContainerEnvironment::const_iterator::const_iterator(
    const SharedContainerEnvironment* env, size_t own, size_t service,
    size_t hidden)
    : env_(env), own_(own), service_(service), hidden_(hidden) {
  if (own_ == env_->own_.size()) SkipHidden();
}

void SharedContainerEnvironment::const_iterator::SkipHidden() {
  const std::vector<size_t>& hidden = env_->hidden_;
  while (hidden_ < hidden.size() && hidden[hidden_] <= service_) {
    if (hidden[hidden_] == service_) ++service_;
    ++hidden_;
  }
}

SharedContainerEnvironment::Variable
SharedContainerEnvironment::const_iterator::operator*() const {
  Variable v;
  if (own_ < env_->own_.size()) {
    const OwnVariable& own = env_->own_[own_];
    v.name = own.name;
    v.value = own.value;
    v.own = &own;
  } else {
    const ServiceVariable& service = env_->services_->variables[service_];
    v.name = service.name;
    v.value = service.value;
    v.service = &service;
  }
  return v;
}

SharedContainerEnvironment::const_iterator&
SharedContainerEnvironment::const_iterator::operator++() {
  if (own_ < env_->own_.size()) {
    ++own_;
  } else {
    ++service_;
  }
  if (own_ == env_->own_.size()) SkipHidden();
  return *this;
}

SharedContainerEnvironment::const_iterator SharedContainerEnvironment::begin()
    const {
  return const_iterator(this, 0, 0, 0);
}

SharedContainerEnvironment::const_iterator SharedContainerEnvironment::end()
    const {
  return const_iterator(this, own_.size(), services_->variables.size(),
                        hidden_.size());
}

size_t SharedContainerEnvironment::size() const {
  return own_.size() + services_->variables.size() - hidden_.size();
}

const std::string* SharedContainerEnvironment::Find(
    absl::string_view name) const {
  for (const OwnVariable& v : own_) {
    if (v.name == name) return &v.value;
  }
  // Not an own name, so not hidden either.
  const ServiceVariable* v = FindServiceVariable(*services_, name);
  return v == nullptr ? nullptr : &v->value;
}

EnvSource SharedContainerEnvironment::Source(
    const OwnVariable& variable) const {
  EnvSource source;
  source.kind = variable.source.kind;
  source.index = variable.source.index;
  const int index = variable.source.index;
  switch (variable.source.kind) {
    case SourceKind::kConfigMapEnvFrom:
    case SourceKind::kSecretEnvFrom: {
      const EnvFromSource& from = container_.env_from[index];
      const EnvFromReference& ref =
          variable.source.kind == SourceKind::kConfigMapEnvFrom
              ? *from.config_map_ref
              : *from.secret_ref;
      source.object_namespace = pod_namespace_;
      source.object_name = ref.name;
      source.prefix = from.prefix;
      source.key = variable.name.substr(from.prefix.size());
      break;
    }
    case SourceKind::kConfigMapKeyRef:
    case SourceKind::kSecretKeyRef: {
      const EnvVarSource& from = *container_.env[index].value_from;
      const KeySelector& ref =
          variable.source.kind == SourceKind::kConfigMapKeyRef
              ? *from.config_map_key_ref
              : *from.secret_key_ref;
      source.object_namespace = pod_namespace_;
      source.object_name = ref.name;
      source.key = ref.key;
      break;
    }
    case SourceKind::kFieldRef:
      source.field_path =
          container_.env[index].value_from->field_ref->field_path;
      break;
    case SourceKind::kFileKeyRef: {
      const EnvVarSource& from = *container_.env[index].value_from;
      if (!from.file_key_ref.has_value()) break;
      source.volume_name = from.file_key_ref->volume_name;
      source.path = from.file_key_ref->path;
      source.key = from.file_key_ref->key;
      break;
    }
    case SourceKind::kResourceFieldRef: {
      const ResourceFieldSelector& selector =
          *container_.env[index].value_from->resource_field_ref;
      source.resource = selector.resource;
      source.divisor = selector.divisor;
      source.container_name = selector.container_name;
      break;
    }
    default:
      break;
  }
  return source;
}

EnvSource SharedContainerEnvironment::Source(const Variable& variable) const {
  if (variable.own != nullptr) return Source(*variable.own);
  return ServiceSource(*variable.service);
}

std::vector<EnvSource> SharedContainerEnvironment::Shadows(
    const Variable& variable) const {
  std::vector<EnvSource> out;
  if (variable.own == nullptr) return out;
  const OwnVariable& own = *variable.own;
  if (own.hidden_service != nullptr) {
    out.push_back(ServiceSource(*own.hidden_service));
  }
  for (const SourceRef& ref : own.replaced) {
    OwnVariable earlier;
    earlier.name = own.name;
    earlier.source = ref;
    out.push_back(Source(earlier));
  }
  return out;
}

std::vector<const ServiceClash*> SharedContainerEnvironment::clashes() const {
  std::vector<const ServiceClash*> out;
  for (const ServiceClash& clash : services_->clashes) {
    const ServiceVariable* v = FindServiceVariable(*services_, clash.name);
    const bool hidden =
        v != nullptr &&
        std::binary_search(
            hidden_.begin(), hidden_.end(),
            static_cast<size_t>(v - services_->variables.data()));
    if (!hidden) out.push_back(&clash);
  }
  return out;
}

std::vector<EnvironmentVariable> SharedContainerEnvironment::Materialize()
    const {
  std::vector<EnvironmentVariable> out;
  out.reserve(size());
  for (const OwnVariable& v : own_) out.push_back({v.name, v.value});
  // The Service variables not hidden, straight from the block.
  const std::vector<ServiceVariable>& variables = services_->variables;
  size_t next_hidden = 0;
  for (size_t i = 0; i < variables.size(); ++i) {
    if (next_hidden < hidden_.size() && hidden_[next_hidden] == i) {
      ++next_hidden;
      continue;
    }
    out.emplace_back();
    out.back().name = variables[i].name;
    out.back().value = variables[i].value;
  }
  return out;
}

ContainerEnvironment SharedContainerEnvironment::Explain() const {
  ContainerEnvironment out;
  out.env.reserve(size());
  for (const Variable& v : *this) {
    if (v.own == nullptr) {
      out.env.push_back(ServiceEntry(*v.service));
      continue;
    }
    EnvEntry entry;
    entry.name = v.own->name;
    entry.value = v.own->value;
    entry.source = Source(*v.own);
    entry.shadows = Shadows(v);
    entry.expanded_references = v.own->expanded_references;
    entry.unresolved_references = v.own->unresolved_references;
    entry.unknown = v.own->unknown;
    entry.runtime_only = v.own->runtime_only;
    out.env.push_back(std::move(entry));
  }
  out.own_count = own_.size();
  out.command = command_;
  out.args = args_;
  out.unresolved_command_references = unresolved_command_references_;
  for (const ServiceClash* clash : clashes()) out.clashes.push_back(*clash);
  out.warnings = warnings_;
  out.dependencies = dependencies_;
  out.refusals = refusals_;
  return out;
}

absl::StatusOr<SharedContainerEnvironment> ComputeEnvironment(
    const Pod& pod, const Container& container,
    std::shared_ptr<const ServiceEnvironment> services,
    const ObjectLookup& objects, const EnvironmentOptions& options) {
  if (services == nullptr) {
    return absl::InvalidArgumentError("ComputeEnvironment: null Service block");
  }
  return EnvironmentBuilder(pod, container, std::move(services), objects,
                            options)
      .Build();
}

absl::StatusOr<ContainerEnvironment> ComputeContainerEnvironment(
    const Pod& pod, const Container& container,
    const ServiceEnvironment& services, const Objects& objects,
    const EnvironmentOptions& options) {
  // Not owned: the block outlives this call, and Explain() copies it.
  std::shared_ptr<const ServiceEnvironment> block(
      std::shared_ptr<const ServiceEnvironment>(), &services);
  absl::StatusOr<SharedContainerEnvironment> env = ComputeEnvironment(
      pod, container, std::move(block), ObjectsLookup(objects), options);
  if (!env.ok()) return env.status();
  return env->Explain();
}

std::vector<Dependency> ServiceDependencies(absl::string_view namespace_name,
                                            bool enable_service_links) {
  std::vector<Dependency> out;
  if (enable_service_links) {
    out.push_back({DependencyKind::kServiceNamespace,
                   std::string(namespace_name), "", true, false});
  }
  if (!enable_service_links || namespace_name != kMasterServiceNamespace) {
    out.push_back({DependencyKind::kService,
                   std::string(kMasterServiceNamespace),
                   std::string(kMasterServiceName), true, false});
  }
  return out;
}

std::vector<Dependency> DependenciesOf(
    const Pod& pod, const std::vector<const Container*>& containers,
    const EnvironmentOptions& options) {
  const Objects none;
  const ObjectsLookup lookup(none);
  EnvironmentOptions discover = options;
  discover.partial = true;
  discover.node = nullptr;
  auto services = std::make_shared<const ServiceEnvironment>();
  std::vector<Dependency> out;
  for (const Container* container : containers) {
    absl::StatusOr<SharedContainerEnvironment> env =
        ComputeEnvironment(pod, *container, services, lookup, discover);
    if (!env.ok()) continue;  // The real computation reports it.
    for (const Dependency& d : env->dependencies()) {
      const bool seen =
          std::any_of(out.begin(), out.end(), [&d](const Dependency& o) {
            return o.kind == d.kind && o.namespace_name == d.namespace_name &&
                   o.name == d.name;
          });
      if (!seen) out.push_back(d);
    }
  }
  return out;
}

}  // namespace svcenv
