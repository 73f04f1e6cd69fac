#include "tools/pod_selection.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "lib/base/suggest.h"
#include "svcenv/container_env.h"

namespace svcenv::cli {

std::optional<std::string> CanonicalKind(absl::string_view text) {
  static const std::pair<const char*, const char*> kAliases[] = {
      {"pod", "Pod"},
      {"pods", "Pod"},
      {"po", "Pod"},
      {"deployment", "Deployment"},
      {"deployments", "Deployment"},
      {"deploy", "Deployment"},
      {"statefulset", "StatefulSet"},
      {"statefulsets", "StatefulSet"},
      {"sts", "StatefulSet"},
      {"daemonset", "DaemonSet"},
      {"daemonsets", "DaemonSet"},
      {"ds", "DaemonSet"},
      {"replicaset", "ReplicaSet"},
      {"replicasets", "ReplicaSet"},
      {"rs", "ReplicaSet"},
      {"replicationcontroller", "ReplicationController"},
      {"replicationcontrollers", "ReplicationController"},
      {"rc", "ReplicationController"},
      {"job", "Job"},
      {"jobs", "Job"},
      {"cronjob", "CronJob"},
      {"cronjobs", "CronJob"},
      {"cj", "CronJob"},
      {"podtemplate", "PodTemplate"},
      {"podtemplates", "PodTemplate"},
  };
  const std::string lower = absl::AsciiStrToLower(text);
  for (const auto& [alias, kind] : kAliases) {
    if (lower == alias) return std::string(kind);
  }
  return std::nullopt;
}

std::string PodLabel(const Pod& pod) {
  return absl::StrCat(pod.workload_kind, " ", pod.meta.namespace_name, "/",
                      pod.workload_name);
}

absl::StatusOr<const Pod*> SelectPod(const Objects& objects,
                                     const std::vector<std::string>& positional,
                                     const std::optional<std::string>& ns) {
  if (positional.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected at most one POD or KIND/NAME, got \"", positional[1], "\""));
  }
  std::optional<std::string> kind;
  std::optional<std::string> name;
  if (!positional.empty()) {
    std::vector<std::string> parts = absl::StrSplit(positional[0], '/');
    if (parts.size() == 2) {
      kind = CanonicalKind(parts[0]);
      if (!kind.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "\"", parts[0],
            "\" is not a kind with a pod template (pod, deployment, "
            "statefulset, daemonset, replicaset, replicationcontroller, job, "
            "cronjob)"));
      }
      name = parts[1];
    } else if (parts.size() == 1) {
      name = parts[0];
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", positional[0], "\" is neither POD nor KIND/NAME"));
    }
  }
  std::vector<const Pod*> matches;
  for (const Pod& pod : objects.pods) {
    if (ns.has_value() && pod.meta.namespace_name != *ns) continue;
    if (kind.has_value() && pod.workload_kind != *kind) continue;
    if (name.has_value() && pod.workload_name != *name) continue;
    matches.push_back(&pod);
  }
  // A bare name means a Pod first, as kubectl does; a workload only when no
  // Pod has that name.
  if (name.has_value() && !kind.has_value()) {
    std::vector<const Pod*> pods;
    for (const Pod* pod : matches) {
      if (pod->workload_kind == "Pod") pods.push_back(pod);
    }
    if (!pods.empty()) matches = pods;
  }
  if (matches.size() == 1) return matches[0];
  const std::string where =
      ns.has_value() ? absl::StrCat(" in namespace ", *ns) : "";
  if (matches.empty()) {
    std::string hint;
    if (ns.has_value()) hint = MissingNamespaceNote(objects, *ns);
    if (hint.empty() && name.has_value()) {
      std::vector<std::string> names;
      for (const Pod& pod : objects.pods) {
        if (ns.has_value() && pod.meta.namespace_name != *ns) continue;
        if (kind.has_value() && pod.workload_kind != *kind) continue;
        names.push_back(pod.workload_name);
      }
      hint = DidYouMean(*name, names);
    } else if (!hint.empty()) {
      hint = absl::StrCat("; ", hint);
    }
    if (!name.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "no Pod or workload with a pod template in the input", where, hint));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("no ", kind.value_or("Pod or workload"), " named \"",
                     *name, "\" in the input", where, hint));
  }
  // The same object given twice (two files, or a dump and a manifest) is
  // one label: list it once, with where each copy came from.
  std::map<std::string, std::vector<const Pod*>> by_label;
  for (const Pod* pod : matches) by_label[PodLabel(*pod)].push_back(pod);
  std::vector<std::string> labels;
  for (const auto& [label, copies] : by_label) {
    if (copies.size() == 1) {
      labels.push_back(label);
      continue;
    }
    std::vector<std::string> origins;
    for (const Pod* pod : copies) origins.push_back(DescribeOrigin(pod->origin));
    labels.push_back(absl::StrCat(label, " (", copies.size(), " copies: ",
                                  absl::StrJoin(origins, "; "), ")"));
  }
  if (!name.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the input holds several pod-bearing objects; name one (POD or "
        "KIND/NAME): ",
        absl::StrJoin(labels, ", ")));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", positional[0], "\" matches several objects; use -n or KIND/NAME: ",
      absl::StrJoin(labels, ", ")));
}

absl::StatusOr<std::vector<const Container*>> SelectContainers(
    const Pod& pod, const std::optional<std::string>& container_flag,
    bool all_containers) {
  std::vector<const Container*> out;
  if (all_containers) {
    if (container_flag.has_value()) {
      return absl::InvalidArgumentError(
          "-c and --all-containers exclude each other");
    }
    for (const Container& c : pod.init_containers) out.push_back(&c);
    for (const Container& c : pod.containers) out.push_back(&c);
    for (const Container& c : pod.ephemeral_containers) out.push_back(&c);
  } else {
    const std::string name = container_flag.value_or("");
    const Container* c = FindContainer(pod, name);
    if (c != nullptr) out.push_back(c);
    if (c == nullptr && !name.empty()) {
      std::vector<std::string> names;
      for (const Container& k : pod.init_containers) names.push_back(k.name);
      for (const Container& k : pod.containers) names.push_back(k.name);
      for (const Container& k : pod.ephemeral_containers) {
        names.push_back(k.name);
      }
      return absl::InvalidArgumentError(absl::StrCat(
          PodLabel(pod), " has no container \"", name, "\"",
          DidYouMean(name, names), "; it has: ", absl::StrJoin(names, ", ")));
    }
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(PodLabel(pod), " has no containers"));
  }
  return out;
}

std::string DescribeOrigin(const Origin& origin) {
  std::string out = origin.file;
  if (origin.line > 0) {
    absl::StrAppend(&out, " line ", origin.line);
  } else {
    absl::StrAppend(&out, " document ", origin.document + 1);
  }
  if (origin.item >= 0) absl::StrAppend(&out, " item ", origin.item + 1);
  return out;
}

std::set<std::string> NamespacesInInput(const Objects& objects) {
  std::set<std::string> out;
  for (const Pod& o : objects.pods) out.insert(o.meta.namespace_name);
  for (const Service& o : objects.services) out.insert(o.meta.namespace_name);
  for (const ConfigMap& o : objects.config_maps) {
    out.insert(o.meta.namespace_name);
  }
  for (const Secret& o : objects.secrets) out.insert(o.meta.namespace_name);
  return out;
}

std::string MissingNamespaceNote(const Objects& objects, absl::string_view ns) {
  const std::set<std::string> namespaces = NamespacesInInput(objects);
  if (namespaces.count(std::string(ns)) != 0) return "";
  const std::vector<std::string> list(namespaces.begin(), namespaces.end());
  if (list.empty()) return absl::StrCat("the input has no namespaced objects");
  return absl::StrCat("the input has no objects in namespace \"", ns,
                      "\"", DidYouMean(ns, list), "; its namespaces: ",
                      absl::StrJoin(list, ", "));
}

}  // namespace svcenv::cli
