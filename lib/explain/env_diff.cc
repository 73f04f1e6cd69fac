#include "svcenv/env_diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "svcenv/pending_cluster_ip.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {

std::string ServiceName(const Service& s) {
  return absl::StrCat(s.meta.namespace_name, "/", s.meta.name);
}

std::string ObjectOf(const EnvSource& s) {
  const bool secret = s.IsSecret();
  return absl::StrCat(secret ? "Secret " : "ConfigMap ", s.object_namespace,
                      "/", s.object_name);
}

bool FromConfigMapOrSecret(const EnvSource& s) {
  return s.kind == SourceKind::kConfigMapEnvFrom ||
         s.kind == SourceKind::kSecretEnvFrom ||
         s.kind == SourceKind::kConfigMapKeyRef ||
         s.kind == SourceKind::kSecretKeyRef;
}

// The names `makeLinkVariables`/`makeServiceVariables` produce, a bare
// X_PORT included (service_env.h).
bool LooksLikeServiceVariable(absl::string_view name) {
  return ServiceVariablePrefix(name, /*bare_port=*/true).has_value();
}

bool IsRuntimeVariable(absl::string_view name) {
  return name == "HOSTNAME" || name == "HOME" || name == "PATH" ||
         name == "TERM";
}

void Explain(EnvDifference* d, DifferenceCause cause, bool explained,
             std::string why) {
  d->cause = cause;
  d->explained = explained;
  d->explanation = std::move(why);
}

void ClassifyMissing(const EnvEntry& e, const ContainerStart& start,
                     EnvDifference* d) {
  const EnvSource& s = e.source;
  if (s.kind == SourceKind::kService && s.service != nullptr) {
    const ServicePresence presence = PresenceAtStart(*s.service, start);
    if (presence != ServicePresence::kPresent) {
      Explain(d, DifferenceCause::kServiceCreatedAfterStart, true,
              DescribePresence(*s.service, presence, start, ""));
      return;
    }
    // Say "existed" only where the times show it; manifests carry none.
    if (!s.service->meta.creation_timestamp.has_value() ||
        !start.at.has_value()) {
      Explain(d, DifferenceCause::kUnexplained, false,
              absl::StrCat(
                  "Service ", ServiceName(*s.service),
                  " is in the inputs, but ",
                  s.service->meta.creation_timestamp.has_value()
                      ? "the container's start time is not"
                      : "without a creationTimestamp",
                  ", so svcenv cannot tell whether it existed when the "
                  "container started (if it was created after, a restart "
                  "adds the variable)"));
      return;
    }
    Explain(d, DifferenceCause::kUnexplained, false,
            absl::StrCat("Service ", ServiceName(*s.service),
                         " existed when the container started (by its "
                         "creationTimestamp), yet the container lacks the "
                         "variable"));
    return;
  }
  if (s.kind == SourceKind::kConfigMapEnvFrom ||
      s.kind == SourceKind::kSecretEnvFrom) {
    // The likely cause, not a recorded fact: objects keep no key history.
    Explain(d, DifferenceCause::kSourceChangedAfterStart, true,
            absl::StrCat("key ", s.key, " of ", ObjectOf(s),
                         " is not in the running container: most likely "
                         "added after the container started; a restart "
                         "reads it"));
    return;
  }
  Explain(d, DifferenceCause::kUnexplained, false,
          absl::StrCat("the pod spec sets it (", DescribeSource(s),
                       ") but the running container lacks it: was it started "
                       "from another spec (a rollout since)?"));
}

void ClassifyChanged(const EnvEntry& e, const ContainerEnvironment& env,
                     EnvDifference* d) {
  const EnvSource& s = e.source;
  if (e.unknown || e.runtime_only ||
      absl::StrContains(e.value, kPendingClusterIp)) {
    Explain(d, DifferenceCause::kPlaceholder, true,
            "svcenv showed a placeholder: the value exists only in the "
            "running pod");
    return;
  }
  if (FromConfigMapOrSecret(s)) {
    Explain(d, DifferenceCause::kSourceChangedAfterStart, true,
            absl::StrCat(ObjectOf(s), " key ", s.key,
                         " was edited after the container started; the "
                         "container keeps the value it read at start, a "
                         "restart reads the new one"));
    return;
  }
  if (s.kind == SourceKind::kService && s.service != nullptr) {
    for (const ServiceClash& clash : env.clashes) {
      if (clash.name != e.name) continue;
      for (const ServiceVariable& c : clash.candidates) {
        if (c.value == d->actual && c.service != nullptr) {
          Explain(d, DifferenceCause::kServiceClash, true,
                  absl::StrCat("several Services produce ", e.name,
                               "; the kubelet chose Service ",
                               ServiceName(*c.service),
                               " (it picks at random), svcenv the last by "
                               "namespace/name"));
          return;
        }
      }
    }
    const bool address = absl::EndsWith(e.name, "_SERVICE_HOST") ||
                         absl::EndsWith(e.name, "_ADDR") ||
                         absl::StrContains(d->actual, "://");
    Explain(d, DifferenceCause::kServiceChangedAfterStart, true,
            absl::StrCat("Service ", ServiceName(*s.service),
                         address ? " was recreated with a new cluster IP"
                                 : "'s ports were edited",
                         " after the container started; the container keeps "
                         "the old value, a restart gets the new one"));
    return;
  }
  Explain(d, DifferenceCause::kUnexplained, false,
          absl::StrCat("the pod spec gives another value (",
                       DescribeSource(s),
                       "): was the container started from another spec?"));
}

void ClassifyExtra(absl::string_view name, const ContainerEnvironment& env,
                   EnvDifference* d) {
  if (IsRuntimeVariable(name)) {
    Explain(d, DifferenceCause::kRuntimeVariable, true,
            name == "TERM"
                ? "set by the container runtime for a container with tty: true"
                : absl::StrCat("set by the container runtime (or the image) "
                               "when the pod does not set ",
                               name));
    return;
  }
  const bool master_in_inputs =
      std::any_of(env.env.begin(), env.env.end(), [](const EnvEntry& e) {
        return e.source.service != nullptr &&
               IsMasterService(*e.source.service);
      });
  const std::string master_prefix =
      MakeEnvVariableName(kMasterServiceName) + "_";
  if (!master_in_inputs && absl::StartsWith(name, master_prefix) &&
      LooksLikeServiceVariable(name)) {
    Explain(d, DifferenceCause::kMasterServiceNotInInputs, true,
            "a variable of Service default/kubernetes, which every container "
            "gets and the inputs lack (add the output of `kubectl get service "
            "kubernetes -n default -o yaml` to them)");
    return;
  }
  if (LooksLikeServiceVariable(name)) {
    Explain(d, DifferenceCause::kServiceDeletedAfterStart, true,
            "a Service variable of a Service that no longer exists (deleted "
            "after the container started) or that is not in the inputs");
    return;
  }
  bool env_from = false;
  for (const EnvEntry& e : env.env) {
    env_from |= e.source.kind == SourceKind::kConfigMapEnvFrom ||
                e.source.kind == SourceKind::kSecretEnvFrom;
  }
  Explain(d, DifferenceCause::kNotFromKubernetes, true,
          env_from ? "not set by the pod spec: the image's ENV (svcenv does "
                     "not read images), or a key removed from an envFrom "
                     "source since the container started"
                   : "not set by the pod spec: the image's ENV (svcenv does "
                     "not read images)");
}

}  // namespace

absl::string_view DifferenceCauseName(DifferenceCause cause) {
  switch (cause) {
    case DifferenceCause::kServiceCreatedAfterStart:
      return "ServiceCreatedAfterStart";
    case DifferenceCause::kServiceDeletedAfterStart:
      return "ServiceDeletedAfterStart";
    case DifferenceCause::kMasterServiceNotInInputs:
      return "MasterServiceNotInInputs";
    case DifferenceCause::kServiceChangedAfterStart:
      return "ServiceChangedAfterStart";
    case DifferenceCause::kServiceClash:
      return "ServiceClash";
    case DifferenceCause::kSourceChangedAfterStart:
      return "SourceChangedAfterStart";
    case DifferenceCause::kRuntimeVariable:
      return "RuntimeVariable";
    case DifferenceCause::kNotFromKubernetes:
      return "NotFromKubernetes";
    case DifferenceCause::kPlaceholder:
      return "Placeholder";
    case DifferenceCause::kExpandsChanged:
      return "ExpandsChanged";
    case DifferenceCause::kUnexplained:
      return "Unexplained";
  }
  return "Unexplained";
}

absl::string_view DifferenceKindName(DifferenceKind kind) {
  switch (kind) {
    case DifferenceKind::kMissing:
      return "missing";
    case DifferenceKind::kExtra:
      return "extra";
    case DifferenceKind::kChanged:
      return "changed";
  }
  return "changed";
}

absl::StatusOr<std::vector<ObservedVariable>> ParseEnvListing(
    absl::string_view text) {
  std::vector<ObservedVariable> out;
  std::map<std::string, size_t> index;
  auto add = [&](absl::string_view entry) {
    const size_t eq = entry.find('=');
    ObservedVariable v{std::string(entry.substr(0, eq)),
                       std::string(entry.substr(eq + 1))};
    auto [it, inserted] = index.emplace(v.name, out.size());
    if (inserted) {
      out.push_back(std::move(v));
    } else {
      out[it->second] = std::move(v);
    }
  };
  if (text.find('\0') != absl::string_view::npos) {
    for (absl::string_view entry : absl::StrSplit(text, '\0')) {
      if (entry.empty()) continue;
      if (entry.find('=') == absl::string_view::npos) {
        return absl::InvalidArgumentError(absl::StrCat(
            "env -0 output: an entry without '=': \"", entry.substr(0, 40),
            "\""));
      }
      add(entry);
    }
    return out;
  }
  absl::ConsumeSuffix(&text, "\n");
  if (text.empty()) return out;
  std::string pending;
  bool have = false;
  int line = 0;
  for (absl::string_view l : absl::StrSplit(text, '\n')) {
    ++line;
    if (l.find('=') == absl::string_view::npos || l.find('=') == 0) {
      if (!have) {
        return absl::InvalidArgumentError(absl::StrCat(
            "env output: line ", line, " has no NAME=value: \"",
            l.substr(0, 40), "\""));
      }
      absl::StrAppend(&pending, "\n", l);  // A value's own newline.
      continue;
    }
    if (have) add(pending);
    pending = std::string(l);
    have = true;
  }
  if (have) add(pending);
  return out;
}

bool EnvDiff::AllExplained() const {
  return std::all_of(differences.begin(), differences.end(),
                     [](const EnvDifference& d) { return d.explained; });
}

EnvDiff DiffEnvironment(const ContainerEnvironment& predicted,
                        const std::vector<ObservedVariable>& actual,
                        const ContainerStart& start) {
  EnvDiff diff;
  std::map<std::string, const ObservedVariable*> by_name;
  for (const ObservedVariable& v : actual) by_name[v.name] = &v;
  std::set<std::string> predicted_names;
  std::map<std::string, size_t> changed_index;
  for (const EnvEntry& e : predicted.env) {
    predicted_names.insert(e.name);
    auto it = by_name.find(e.name);
    if (it != by_name.end() && it->second->value == e.value && !e.unknown) {
      ++diff.identical;
      continue;
    }
    EnvDifference d;
    d.name = e.name;
    d.predicted = e.value;
    d.entry = &e;
    if (it == by_name.end()) {
      d.kind = DifferenceKind::kMissing;
      ClassifyMissing(e, start, &d);
    } else {
      d.kind = DifferenceKind::kChanged;
      d.actual = it->second->value;
      ClassifyChanged(e, predicted, &d);
    }
    changed_index[e.name] = diff.differences.size();
    diff.differences.push_back(std::move(d));
  }
  // A literal that expands a variable which differs for a known reason
  // differs for that reason too.
  for (EnvDifference& d : diff.differences) {
    if (d.explained || d.entry == nullptr ||
        d.entry->source.kind != SourceKind::kLiteral) {
      continue;
    }
    std::vector<std::string> because;
    bool all = true;
    for (const std::string& ref : d.entry->expanded_references) {
      auto it = changed_index.find(ref);
      if (it == changed_index.end()) continue;
      because.push_back(ref);
      all &= diff.differences[it->second].explained;
    }
    for (const std::string& ref : d.entry->unresolved_references) {
      // Predicted literal, yet the running container resolved it: the
      // variable was defined at the start (a Service since deleted).
      if (by_name.count(ref) != 0 && predicted_names.count(ref) == 0) {
        because.push_back(ref);
      }
    }
    if (!because.empty()) {
      Explain(&d, DifferenceCause::kExpandsChanged, all,
              absl::StrCat("it expands $(", absl::StrJoin(because, "), $("),
                           "), which differs too"));
    }
  }
  std::vector<EnvDifference> extras;
  for (const ObservedVariable& v : actual) {
    if (predicted_names.count(v.name) != 0) continue;
    EnvDifference d;
    d.name = v.name;
    d.kind = DifferenceKind::kExtra;
    d.actual = v.value;
    ClassifyExtra(v.name, predicted, &d);
    extras.push_back(std::move(d));
  }
  std::sort(extras.begin(), extras.end(),
            [](const EnvDifference& a, const EnvDifference& b) {
              return a.name < b.name;
            });
  for (EnvDifference& d : extras) diff.differences.push_back(std::move(d));
  return diff;
}

}  // namespace svcenv
