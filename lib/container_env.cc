#include "svcenv/container_env.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "lib/internal/fieldref.h"
#include "lib/internal/resource.h"
#include "svcenv/expand.h"
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

// Builds one container's environment; one instance per call.
class Builder {
 public:
  Builder(const Pod& pod, const Container& container,
          const ServiceEnvironment& services, const Objects& objects,
          const EnvironmentOptions& options)
      : pod_(pod),
        container_(container),
        services_(services),
        options_(options) {
    for (const ServiceVariable& v : services.variables) {
      service_vars_.emplace(v.name, &v);
    }
    const std::string& ns = pod.meta.namespace_name;
    // The kubelet GETs one object per name; with duplicates in the input the
    // first one stands for it.
    for (const ConfigMap& cm : objects.config_maps) {
      if (cm.meta.namespace_name == ns) config_maps_.emplace(cm.meta.name, &cm);
    }
    for (const Secret& s : objects.secrets) {
      if (s.meta.namespace_name == ns) secrets_.emplace(s.meta.name, &s);
    }
    node_ = options.node;
    if (node_ == nullptr && !pod.node_name.empty()) {
      for (const Node& node : objects.nodes) {
        if (node.meta.name == pod.node_name) {
          node_ = &node;
          break;
        }
      }
    }
    if (node_ != nullptr) downward_.host_ips = internal::NodeHostIps(*node_);
    downward_.ipv6_primary = PodIpv6Primary(pod, options, node_);
    if (downward_.host_ips.empty()) {
      // The pod's own status: what the kubelet reported for its node.
      for (const std::string& text : pod.host_ips) {
        if (auto ip = internal::ParseIpSloppy(text)) {
          downward_.host_ips.push_back(internal::FormatIp(*ip));
        }
      }
    }
  }

  absl::StatusOr<ContainerEnvironment> Build() {
    if (!pod_.enable_service_links.has_value() &&
        options_.reject_nil_enable_service_links) {
      return absl::FailedPreconditionError(
          "nil pod.spec.enableServiceLinks encountered, cannot construct "
          "envvars");
    }
    for (size_t i = 0; i < container_.env_from.size(); ++i) {
      if (absl::Status s = ApplyEnvFrom(static_cast<int>(i)); !s.ok()) {
        return s;
      }
    }
    for (size_t i = 0; i < container_.env.size(); ++i) {
      if (absl::Status s = ApplyEnv(static_cast<int>(i)); !s.ok()) return s;
    }
    Finish();
    return std::move(result_);
  }

 private:
  // The value `name` expands to while `env` is processed: the container's
  // own variables so far, then the Service variables.
  const std::string* Lookup(absl::string_view name) const {
    if (auto it = index_.find(name); it != index_.end()) {
      return &result_.env[it->second].value;
    }
    if (auto it = service_vars_.find(name); it != service_vars_.end()) {
      return &it->second->value;
    }
    return nullptr;
  }

  // Sets `name` as the container's own variable, recording what it shadows.
  EnvEntry& Set(const std::string& name, std::string value, EnvSource source) {
    auto [it, inserted] = index_.try_emplace(name, result_.env.size());
    if (inserted) {
      EnvEntry entry;
      entry.name = name;
      if (auto s = service_vars_.find(name); s != service_vars_.end()) {
        entry.shadows.push_back(ServiceSource(*s->second));
      }
      result_.env.push_back(std::move(entry));
    }
    EnvEntry& entry = result_.env[it->second];
    if (!inserted) {
      entry.shadows.push_back(std::move(entry.source));
      entry.expanded_references.clear();
      entry.unresolved_references.clear();
      entry.runtime_only = false;
    }
    entry.value = std::move(value);
    entry.source = std::move(source);
    return entry;
  }

  std::string Where(absl::string_view what, int index) const {
    return absl::StrCat("container \"", container_.name, "\": ", what, "[",
                        index, "]");
  }

  absl::Status Refuse(absl::string_view where, absl::string_view why) const {
    return absl::FailedPreconditionError(
        absl::StrCat(where, ": ", why,
                     "; the kubelet refuses to create the container "
                     "(CreateContainerConfigError)"));
  }

  // ValidateEnv / ValidateEnvFrom before RelaxedEnvironmentVariableValidation
  // (on from 1.32) hold names and prefixes to IsEnvVarName.
  void WarnStrictName(const std::string& where, absl::string_view field,
                      const std::string& name) {
    if (options_.kubelet.relaxed_env_var_names() || name.empty() ||
        IsEnvVarName(name)) {
      return;
    }
    result_.warnings.push_back(absl::StrCat(
        where, ": the ", field, " \"", name,
        "\" is not a valid variable name for the API server of Kubernetes ",
        options_.kubelet.ToString(),
        " (RelaxedEnvironmentVariableValidation is on from 1.32), which "
        "rejects the pod"));
  }

  absl::Status ApplyEnvFrom(int index) {
    const EnvFromSource& from = container_.env_from[index];
    EnvSource source;
    source.index = index;
    source.prefix = from.prefix;
    WarnStrictName(Where("envFrom", index), "prefix", from.prefix);
    source.object_namespace = pod_.meta.namespace_name;
    const std::map<std::string, std::string>* data = nullptr;
    if (from.config_map_ref) {
      source.kind = SourceKind::kConfigMapEnvFrom;
      source.object_name = from.config_map_ref->name;
      auto it = config_maps_.find(from.config_map_ref->name);
      if (it != config_maps_.end()) data = &it->second->data;
      if (data == nullptr && from.config_map_ref->optional)
        return absl::OkStatus();
    } else if (from.secret_ref) {
      source.kind = SourceKind::kSecretEnvFrom;
      source.object_name = from.secret_ref->name;
      auto it = secrets_.find(from.secret_ref->name);
      if (it != secrets_.end()) data = &it->second->data;
      if (data == nullptr && from.secret_ref->optional) return absl::OkStatus();
    } else {
      return absl::OkStatus();  // Neither: the kubelet does nothing.
    }
    if (data == nullptr) {
      return Refuse(
          Where("envFrom", index),
          absl::StrCat(ObjectKind(source.kind), " ", source.object_namespace,
                       "/", source.object_name, " not found (not optional)"));
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
      EnvSource key_source = source;
      key_source.key = key;
      Set(name, value, std::move(key_source));
    }
    if (!invalid.empty()) {
      result_.warnings.push_back(
          absl::StrCat("envFrom[", index, "] ", ObjectKind(source.kind), " ",
                       source.object_namespace, "/", source.object_name,
                       ": kubelet ", options_.kubelet.ToString(),
                       " skips keys that are not valid variable names "
                       "(InvalidEnvironmentVariableNames): ",
                       absl::StrJoin(invalid, ", ")));
    }
    return absl::OkStatus();
  }

  absl::Status ApplyEnv(int index) {
    const EnvVar& var = container_.env[index];
    EnvSource source;
    source.index = index;
    const std::string where =
        absl::StrCat(Where("env", index), " (", var.name, ")");
    WarnStrictName(where, "name", var.name);
    if (!var.value.empty()) {
      source.kind = SourceKind::kLiteral;
      ExpansionTrace trace;
      std::string value = ExpandReferences(
          var.value, [this](absl::string_view name) { return Lookup(name); },
          &trace);
      bool runtime_only = false;
      for (const std::string& ref : trace.expanded) {
        runtime_only = runtime_only || IsRuntimeOnly(ref);
      }
      EnvEntry& entry = Set(var.name, std::move(value), std::move(source));
      entry.expanded_references = std::move(trace.expanded);
      entry.unresolved_references = std::move(trace.unresolved);
      entry.runtime_only = runtime_only;
      return absl::OkStatus();
    }
    if (!var.value_from.has_value()) {
      source.kind = SourceKind::kEmpty;
      Set(var.name, "", std::move(source));
      return absl::OkStatus();
    }
    const EnvVarSource& from = *var.value_from;
    if (from.field_ref) {
      source.kind = SourceKind::kFieldRef;
      source.field_path = from.field_ref->field_path;
      absl::StatusOr<internal::FieldRefValue> v =
          internal::ResolveFieldRef(*from.field_ref, pod_, downward_);
      if (!v.ok()) {
        return Refuse(where, absl::StrCat("fieldRef: ", v.status().message()));
      }
      if (!v->warning.empty()) {
        result_.warnings.push_back(absl::StrCat(where, ": ", v->warning));
      }
      Set(var.name, std::move(v->value), std::move(source));
    } else if (from.resource_field_ref) {
      const ResourceFieldSelector& selector = *from.resource_field_ref;
      source.kind = SourceKind::kResourceFieldRef;
      source.resource = selector.resource;
      source.divisor = selector.divisor;
      source.container_name = selector.container_name;
      internal::ResourceFieldOptions resource_options;
      resource_options.default_requests_from_limits =
          options_.default_requests_from_limits;
      resource_options.pod_level_resources =
          options_.kubelet.pod_level_resources();
      resource_options.exact_ratio = options_.kubelet.exact_resource_ratio();
      if (!resource_options.pod_level_resources &&
          internal::IsPodLevelLimitsSet(pod_) && !warned_pod_resources_) {
        warned_pod_resources_ = true;
        result_.warnings.push_back(absl::StrCat(
            where, ": spec.resources is ignored: PodLevelResources is off by "
                   "default in kubelet ",
            options_.kubelet.ToString(),
            " (on from 1.34); the API server drops the field"));
      }
      absl::StatusOr<internal::ResourceFieldValue> v =
          internal::ResolveResourceFieldRef(selector, pod_, container_, node_,
                                            resource_options);
      if (!v.ok()) {
        const std::string message =
            absl::StrCat(where, ": resourceFieldRef: ", v.status().message());
        if (v.status().code() == absl::StatusCode::kFailedPrecondition) {
          return Refuse(
              where, absl::StrCat("resourceFieldRef: ", v.status().message()));
        }
        return absl::Status(v.status().code(), message);
      }
      if (!v->warning.empty()) {
        result_.warnings.push_back(absl::StrCat(where, ": ", v->warning));
      }
      Set(var.name, std::move(v->value), std::move(source));
    } else if (from.config_map_key_ref || from.secret_key_ref) {
      const bool is_config_map = from.config_map_key_ref.has_value();
      const KeySelector& ref =
          is_config_map ? *from.config_map_key_ref : *from.secret_key_ref;
      source.kind = is_config_map ? SourceKind::kConfigMapKeyRef
                                  : SourceKind::kSecretKeyRef;
      source.object_namespace = pod_.meta.namespace_name;
      source.object_name = ref.name;
      source.key = ref.key;
      const std::map<std::string, std::string>* data = nullptr;
      if (is_config_map) {
        if (auto it = config_maps_.find(ref.name); it != config_maps_.end())
          data = &it->second->data;  // Never binaryData.
      } else if (auto it = secrets_.find(ref.name); it != secrets_.end()) {
        data = &it->second->data;
      }
      const std::string object = absl::StrCat(
          ObjectKind(source.kind), " ", source.object_namespace, "/", ref.name);
      // A skipped optional reference leaves any earlier value of the name.
      if (data == nullptr) {
        if (ref.optional) return absl::OkStatus();
        return Refuse(where, absl::StrCat(object, " not found (not optional)"));
      }
      auto it = data->find(ref.key);
      if (it == data->end()) {
        if (ref.optional) return absl::OkStatus();
        return Refuse(where, absl::StrCat("couldn't find key ", ref.key, " in ",
                                          object, " (not optional)"));
      }
      Set(var.name, it->second, std::move(source));
    } else if (from.file_key_ref) {
      return ApplyFileKeyRef(*from.file_key_ref, var.name, where,
                             std::move(source));
    } else {
      // An empty valueFrom: no case matches and the kubelet stores "".
      source.kind = SourceKind::kEmpty;
      Set(var.name, "", std::move(source));
    }
    return absl::OkStatus();
  }

  // makeEnvironmentVariables, `case EnvFiles && FileKeyRef != nil`.
  absl::Status ApplyFileKeyRef(const FileKeySelector& ref,
                               const std::string& name,
                               const std::string& where, EnvSource source) {
    source.kind = SourceKind::kFileKeyRef;
    source.volume_name = ref.volume_name;
    source.path = ref.path;
    source.key = ref.key;
    if (!options_.kubelet.env_files()) {
      // The gate is off: no case of the kubelet's switch matches and it
      // stores "" (what an empty valueFrom gets).
      result_.warnings.push_back(absl::StrCat(
          where, ": fileKeyRef needs EnvFiles, off by default in kubelet ",
          options_.kubelet.ToString(),
          " (on from 1.35): the API server drops the field and rejects the "
          "entry (valueFrom names no source); a kubelet that sees it sets \"\""));
      Set(name, "", std::move(source));
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
      const EnvSource* earlier = nullptr;
      if (auto it = index_.find(name); it != index_.end()) {
        earlier = &result_.env[it->second].source;
      }
      std::string kept;
      if (earlier != nullptr) {
        kept = absl::StrCat("keeps its earlier value (", DescribeSource(*earlier),
                            ")");
      } else if (auto it = service_vars_.find(name);
                 it != service_vars_.end()) {
        kept = absl::StrCat("gets the Service value (",
                            DescribeSource(ServiceSource(*it->second)), ")");
      } else {
        kept = "is not set";
      }
      result_.warnings.push_back(absl::StrCat(
          where, ": optional fileKeyRef: if key ", ref.key, " is missing or "
                 "empty in ", ref.volume_name, "/", ref.path,
          " at container start, ", name, " ", kept));
    }
    EnvEntry& entry = Set(name, FileKeyPlaceholder(ref), std::move(source));
    entry.runtime_only = true;
    return absl::OkStatus();
  }

  bool IsRuntimeOnly(absl::string_view name) const {
    auto it = index_.find(name);
    return it != index_.end() && result_.env[it->second].runtime_only;
  }

  void Finish() {
    result_.own_count = result_.env.size();
    for (const EnvEntry& entry : result_.env) {
      if (entry.value.find('\0') != std::string::npos) {
        result_.warnings.push_back(absl::StrCat(
            entry.name,
            ": the value contains a NUL byte; runc will refuse setenv "
            "(invalid argument) and the container fails to start"));
      }
    }
    for (const ServiceVariable& v : services_.variables) {
      if (index_.contains(v.name)) continue;
      EnvEntry entry;
      entry.name = v.name;
      entry.value = v.value;
      entry.source = ServiceSource(v);
      result_.env.push_back(std::move(entry));
    }
    for (const ServiceClash& clash : services_.clashes) {
      if (!index_.contains(clash.name)) result_.clashes.push_back(clash);
    }
    // command and args see the final environment: own variables, then the
    // Service ones (which, for names not set by the container, are the
    // Service-only entries).
    ExpansionTrace trace;
    const auto lookup = [this](absl::string_view name) { return Lookup(name); };
    for (const std::string& arg : container_.command) {
      result_.command.push_back(ExpandReferences(arg, lookup, &trace));
    }
    for (const std::string& arg : container_.args) {
      result_.args.push_back(ExpandReferences(arg, lookup, &trace));
    }
    for (const std::string& name : trace.expanded) {
      if (IsRuntimeOnly(name)) {
        result_.warnings.push_back(absl::StrCat(
            "command/args use $(", name,
            "), known only at container start; shown with its placeholder"));
      }
    }
    result_.unresolved_command_references = std::move(trace.unresolved);
  }

  const Pod& pod_;
  const Container& container_;
  const ServiceEnvironment& services_;
  const EnvironmentOptions& options_;
  const Node* node_ = nullptr;
  internal::DownwardApiContext downward_;
  absl::flat_hash_map<absl::string_view, const ServiceVariable*> service_vars_;
  absl::flat_hash_map<absl::string_view, const ConfigMap*> config_maps_;
  absl::flat_hash_map<absl::string_view, const Secret*> secrets_;
  // Name -> position in result_.env. Keys own their bytes: entries move.
  absl::flat_hash_map<std::string, size_t> index_;
  bool warned_pod_resources_ = false;
  ContainerEnvironment result_;
};

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

absl::StatusOr<ContainerEnvironment> ComputeContainerEnvironment(
    const Pod& pod, const Container& container,
    const ServiceEnvironment& services, const Objects& objects,
    const EnvironmentOptions& options) {
  return Builder(pod, container, services, objects, options).Build();
}

}  // namespace svcenv
