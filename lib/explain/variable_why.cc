#include "svcenv/variable_why.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lib/base/suggest.h"
#include "svcenv/service_absence.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {

bool Contains(const std::vector<std::string>& names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

template <typename T>
const T* FindObject(const std::vector<T>& objects, absl::string_view ns,
                    absl::string_view name) {
  for (const T& o : objects) {
    if (o.meta.namespace_name == ns && o.meta.name == name) return &o;
  }
  return nullptr;
}

std::optional<std::string> DataValue(
    const std::map<std::string, std::string>* data, const std::string& key) {
  if (data == nullptr) return std::nullopt;
  auto it = data->find(key);
  if (it == data->end()) return std::nullopt;
  return it->second;
}

const std::map<std::string, std::string>* ObjectData(const Objects& objects,
                                                     bool secret,
                                                     absl::string_view ns,
                                                     absl::string_view name) {
  if (secret) {
    const Secret* s = FindObject(objects.secrets, ns, name);
    return s == nullptr ? nullptr : &s->data;
  }
  const ConfigMap* c = FindObject(objects.config_maps, ns, name);
  return c == nullptr ? nullptr : &c->data;
}

// What `source` set, when the inputs say (see WhyCandidate::value).
std::optional<std::string> CandidateValue(const EnvSource& source,
                                          const WhyInputs& in,
                                          absl::string_view name) {
  switch (source.kind) {
    case SourceKind::kService:
      for (const ServiceVariable& v : in.services->variables) {
        if (v.name == name) return v.value;
      }
      return std::nullopt;
    case SourceKind::kConfigMapEnvFrom:
    case SourceKind::kConfigMapKeyRef:
    case SourceKind::kSecretEnvFrom:
    case SourceKind::kSecretKeyRef:
      return DataValue(ObjectData(*in.objects, source.IsSecret(),
                                  source.object_namespace, source.object_name),
                       source.key);
    case SourceKind::kLiteral:
      if (source.index >= 0 &&
          static_cast<size_t>(source.index) < in.container->env.size()) {
        return in.container->env[source.index].value;
      }
      return std::nullopt;
    case SourceKind::kEmpty:
      return std::string();
    default:
      return std::nullopt;
  }
}

std::string ObjectLabel(bool secret, absl::string_view ns,
                        absl::string_view name) {
  return absl::StrCat(secret ? "Secret " : "ConfigMap ", ns, "/", name);
}

AbsenceKind AbsenceKindOf(ServiceAbsenceKind kind) {
  switch (kind) {
    case ServiceAbsenceKind::kExternalName:
    case ServiceAbsenceKind::kHeadless:
    case ServiceAbsenceKind::kNoClusterIp:
      return AbsenceKind::kServiceWithoutClusterIp;
    case ServiceAbsenceKind::kLinksDisabled:
      return AbsenceKind::kServiceLinksDisabled;
    case ServiceAbsenceKind::kNoSuchVariable:
      return AbsenceKind::kNoSuchServiceVariable;
    case ServiceAbsenceKind::kOtherNamespace:
      return AbsenceKind::kServiceInOtherNamespace;
    case ServiceAbsenceKind::kNoSuchService:
      break;
  }
  return AbsenceKind::kNotDefined;
}

// Why a container lacks `name`, from its spec and the inputs.
std::vector<AbsenceReason> Absence(absl::string_view name,
                                   const WhyInputs& in) {
  std::vector<AbsenceReason> out;
  const Pod& pod = *in.pod;
  const std::string& ns = pod.meta.namespace_name;
  const bool links = pod.enable_service_links.value_or(true);
  // A Service-shaped name: the reason check's unfilled-service-reference
  // gives too (service_absence.h). No such Service at all is said below,
  // with the names that are there.
  std::vector<const Service*> services;
  services.reserve(in.objects->services.size());
  for (const Service& s : in.objects->services) services.push_back(&s);
  if (std::optional<ServiceAbsence> service =
          WhyNoServiceVariable(name, services, ns, links);
      service.has_value() &&
      service->kind != ServiceAbsenceKind::kNoSuchService) {
    out.push_back({AbsenceKindOf(service->kind), service->Describe()});
  }
  const Container& c = *in.container;
  for (size_t i = 0; i < c.env_from.size(); ++i) {
    const EnvFromSource& ef = c.env_from[i];
    const bool secret = ef.secret_ref.has_value();
    const std::optional<EnvFromReference>& ref =
        secret ? ef.secret_ref : ef.config_map_ref;
    if (!ref.has_value() || !absl::StartsWith(name, ef.prefix)) continue;
    if (ObjectData(*in.objects, secret, ns, ref->name) != nullptr) continue;
    out.push_back(
        {AbsenceKind::kObjectMissing,
         absl::StrCat("envFrom[", i, "] reads ", ObjectLabel(secret, ns, ref->name),
                      ef.prefix.empty()
                          ? ""
                          : absl::StrCat(" with prefix ", ef.prefix),
                      ", which is not in the input",
                      ref->optional
                          ? " (optional: the kubelet skips it)"
                          : " (the kubelet refuses the container until it "
                            "exists)",
                      "; it may hold the key ",
                      name.substr(ef.prefix.size()))});
  }
  for (size_t i = 0; i < c.env.size(); ++i) {
    const EnvVar& e = c.env[i];
    if (e.name != name || !e.value_from.has_value()) continue;
    const bool secret = e.value_from->secret_key_ref.has_value();
    const std::optional<KeySelector>& ref =
        secret ? e.value_from->secret_key_ref
               : e.value_from->config_map_key_ref;
    if (!ref.has_value()) continue;
    const auto* data = ObjectData(*in.objects, secret, ns, ref->name);
    const std::string where =
        absl::StrCat("env[", i, "] reads key ", ref->key, " of ",
                     ObjectLabel(secret, ns, ref->name));
    const absl::string_view skipped =
        ref->optional ? " (optional: the kubelet skips the variable)" : "";
    if (data == nullptr) {
      out.push_back({AbsenceKind::kObjectMissing,
                     absl::StrCat(where, ", which is not in the input",
                                  skipped)});
    } else if (data->count(ref->key) == 0) {
      out.push_back({AbsenceKind::kKeyMissing,
                     absl::StrCat(where, ", which has no such key", skipped)});
    }
  }
  if (out.empty()) {
    std::vector<std::string> names;
    for (const EnvEntry& e : in.env->env) names.push_back(e.name);
    out.push_back(
        {AbsenceKind::kNotDefined,
         absl::StrCat("nothing sets it: not the env or envFrom of container ",
                      c.name, ", nor a Service of namespace ", ns,
                      links ? "" : " (enableServiceLinks: false)",
                      " or default/kubernetes in the input",
                      DidYouMean(name, names))});
  }
  return out;
}

// The `$(...)` the winning `env` entry substituted, each with what it held
// at that entry: the environment of the container cut just before it.
std::vector<WhyExpansion> Expansions(const EnvEntry& entry,
                                     const WhyInputs& in) {
  std::vector<WhyExpansion> out;
  if (entry.source.kind != SourceKind::kLiteral || entry.source.index < 0 ||
      entry.expanded_references.empty() ||
      static_cast<size_t>(entry.source.index) > in.container->env.size()) {
    return out;
  }
  Container before = *in.container;
  before.env.resize(static_cast<size_t>(entry.source.index));
  EnvironmentOptions options = in.options;
  options.partial = true;  // What was known there, refusals or not.
  const absl::StatusOr<ContainerEnvironment> at = ComputeContainerEnvironment(
      *in.pod, before, *in.services, *in.objects, options);
  if (!at.ok()) return out;
  for (const std::string& name : entry.expanded_references) {
    for (const EnvEntry& e : at->env) {
      if (e.name != name) continue;
      WhyExpansion x{name, e.value, e.source, ServicePresence::kPresent};
      if (e.source.kind == SourceKind::kService && e.source.service != nullptr) {
        x.presence = PresenceAtStart(*e.source.service, in.start);
        x.docker_link_url = IsDockerLinkUrl(e.value);
      }
      out.push_back(std::move(x));
      break;
    }
  }
  return out;
}

// `name` in the running container, when a Service of the block is newer
// than the container and that changes it (VariableWhy::running_value,
// absent_when_running).
void RunningValue(absl::string_view name, const std::string& value,
                  const WhyInputs& in, VariableWhy* why) {
  if (!in.start.at.has_value()) return;
  bool late = false;
  for (const ServiceVariable& v : in.services->variables) {
    late = late ||
           PresenceAtStart(*v.service, in.start) == ServicePresence::kAbsent;
    if (late) break;
  }
  if (!late) return;
  const Pod& pod = *in.pod;
  const std::vector<Service> at_start =
      ServicesAtStart(in.objects->services, in.start);
  const ServiceEnvironment running = ComputeServiceEnvironment(
      at_start, pod.meta.namespace_name, pod.enable_service_links.value_or(true));
  EnvironmentOptions options = in.options;
  options.partial = true;
  const absl::StatusOr<ContainerEnvironment> env = ComputeContainerEnvironment(
      pod, *in.container, running, *in.objects, options);
  if (!env.ok()) return;
  for (const EnvEntry& e : env->env) {
    if (e.name == name) {
      if (e.value != value) why->running_value = e.value;
      return;
    }
  }
  why->absent_when_running = true;
}

}  // namespace

VariableWhy ExplainVariable(absl::string_view name, const WhyInputs& in) {
  VariableWhy why;
  why.name = std::string(name);
  const EnvEntry* entry = nullptr;
  for (const EnvEntry& e : in.env->env) {
    if (e.name == name) entry = &e;
    if (e.name == name) continue;
    if (Contains(e.expanded_references, name)) {
      why.referenced_by.push_back({e.name, true});
    } else if (Contains(e.unresolved_references, name)) {
      why.referenced_by.push_back({e.name, false});
    }
  }
  const std::string ref = absl::StrCat("$(", name, ")");
  const bool command_literal =
      Contains(in.env->unresolved_command_references, name);
  for (const auto& [label, words] :
       {std::make_pair("command", &in.container->command),
        std::make_pair("args", &in.container->args)}) {
    if (std::any_of(words->begin(), words->end(), [&](const std::string& w) {
          return absl::StrContains(w, ref);
        })) {
      why.referenced_by.push_back({label, !command_literal});
    }
  }
  if (entry == nullptr) {
    why.absence = Absence(name, in);
    return why;
  }
  why.present = true;
  why.value = entry->value;
  why.unknown = entry->unknown;
  why.runtime_only = entry->runtime_only;
  why.expanded_references = entry->expanded_references;
  why.unresolved_references = entry->unresolved_references;
  // `shadows` holds the hidden Service variable first, then earlier own
  // sources: with the entry's own source, the kubelet's order.
  std::vector<EnvSource> sources = entry->shadows;
  std::stable_partition(sources.begin(), sources.end(), [](const EnvSource& s) {
    return s.kind == SourceKind::kService;
  });
  sources.push_back(entry->source);
  for (size_t i = 0; i < sources.size(); ++i) {
    WhyCandidate c;
    c.source = sources[i];
    c.wins = i + 1 == sources.size();
    c.value = c.wins ? std::optional<std::string>(entry->value)
                     : CandidateValue(c.source, in, name);
    if (c.source.kind == SourceKind::kService && c.source.service != nullptr) {
      c.presence = PresenceAtStart(*c.source.service, in.start);
    }
    why.candidates.push_back(std::move(c));
  }
  why.expansions = Expansions(*entry, in);
  RunningValue(name, entry->value, in, &why);
  return why;
}

}  // namespace svcenv
