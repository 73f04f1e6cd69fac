#include "svcenv/check_grouping.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "lib/check/internal/grouper.h"
#include "svcenv/check.h"
#include "svcenv/container_env.h"
#include "svcenv/container_start.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

constexpr char kServiceAfterStart[] = "service-after-start";

using NameKey = std::pair<std::string, std::string>;  // (namespace, name)

const OwnerReference* ControllerOf(const std::vector<OwnerReference>& refs) {
  for (const OwnerReference& ref : refs) {
    if (ref.controller) return &ref;
  }
  return nullptr;
}

// The owner object `ref` names is `workload` (a template-carrying Pod) unless
// both uids are known and differ: a dump taken while the owner was replaced.
bool Matches(const OwnerReference& ref, const Pod& workload) {
  return ref.uid.empty() || workload.workload_uid.empty() ||
         ref.uid == workload.workload_uid;
}

std::string OwnerKey(const WorkloadOwner& owner) {
  return absl::StrCat(owner.kind, "/", owner.namespace_name, "/", owner.name);
}

// `deployment/app7`, as kubectl names resources.
std::string KubectlName(const WorkloadOwner& owner) {
  return absl::StrCat(absl::AsciiStrToLower(owner.kind), "/", owner.name);
}

// When the container of `pod` named `container` started, as every command
// decides it (container_start.h); nullopt when no time says.
std::optional<int64_t> StartOf(const Pod& pod, absl::string_view container) {
  const Container* c = FindContainer(pod, container);
  if (c == nullptr) return std::nullopt;
  const ContainerStart start = StartOfContainer(pod, *c);
  if (!start.at.has_value()) return std::nullopt;
  return start.at->unix_seconds;
}

}  // namespace

struct OwnerResolver::Index {
  absl::flat_hash_map<NameKey, const Pod*> replica_sets;
  absl::flat_hash_map<NameKey, const Pod*> jobs;
};

OwnerResolver::OwnerResolver(const Objects& objects)
    : index_(std::make_unique<Index>()) {
  for (const Pod& p : objects.pods) {
    NameKey key{p.meta.namespace_name, p.workload_name};
    if (p.workload_kind == "ReplicaSet") {
      index_->replica_sets.emplace(std::move(key), &p);
    } else if (p.workload_kind == "Job") {
      index_->jobs.emplace(std::move(key), &p);
    }
  }
}

OwnerResolver::~OwnerResolver() = default;

std::optional<WorkloadOwner> OwnerResolver::TopOwner(const Pod& pod) const {
  if (pod.workload_kind != "Pod") return std::nullopt;
  const OwnerReference* ref = ControllerOf(pod.meta.owner_references);
  if (ref == nullptr || ref->kind.empty() || ref->name.empty())
    return std::nullopt;
  WorkloadOwner owner{ref->kind, pod.meta.namespace_name, ref->name, {}, false};
  // One more step up where the inputs (or the Deployment controller's naming)
  // say who owns the owner.
  auto step_up = [&](const Pod& intermediate) {
    const OwnerReference* up = ControllerOf(intermediate.workload_owner_references);
    if (up == nullptr || up->kind.empty() || up->name.empty()) return;
    owner.via.push_back(absl::StrCat(owner.kind, " ", owner.name));
    owner.kind = up->kind;
    owner.name = up->name;
  };
  const NameKey key{pod.meta.namespace_name, ref->name};
  if (ref->kind == "ReplicaSet") {
    auto rs = index_->replica_sets.find(key);
    if (rs != index_->replica_sets.end() && Matches(*ref, *rs->second)) {
      step_up(*rs->second);
    } else {
      auto hash = pod.meta.labels.find("pod-template-hash");
      if (hash != pod.meta.labels.end() && !hash->second.empty() &&
          ref->name.size() > hash->second.size() + 1 &&
          absl::EndsWith(ref->name, absl::StrCat("-", hash->second))) {
        owner.via.push_back(absl::StrCat("ReplicaSet ", ref->name));
        owner.kind = "Deployment";
        owner.name =
            ref->name.substr(0, ref->name.size() - hash->second.size() - 1);
        owner.inferred = true;
      }
    }
  } else if (ref->kind == "Job") {
    auto job = index_->jobs.find(key);
    if (job != index_->jobs.end() && Matches(*ref, *job->second))
      step_up(*job->second);
  }
  return owner;
}

namespace {

std::string Plural(int n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// "its 10 pods (20 containers)", "4 of its 10 pods (8 containers)".
std::string PodCount(int affected, int owned, int containers) {
  std::string pods =
      affected >= owned
          ? (affected == 1 ? std::string("its pod")
                           : absl::StrCat("its ", affected, " pods"))
          : absl::StrCat(affected, " of its ", Plural(owned, "pod", "pods"));
  return absl::StrCat(pods, " (", Plural(containers, "container", "containers"),
                      ")");
}

// The Services among `related`, named within `ns`, at most five.
std::string ServiceList(const std::vector<RelatedObject>& related,
                        absl::string_view ns) {
  constexpr size_t kShown = 5;
  std::vector<std::string> names;
  size_t total = 0;
  for (const RelatedObject& r : related) {
    if (r.kind != "Service") continue;
    if (++total > kShown) continue;
    names.push_back(r.namespace_name == ns
                        ? r.name
                        : absl::StrCat(r.namespace_name, "/", r.name));
  }
  std::string list;
  if (total > kShown) {
    list = absl::StrCat(absl::StrJoin(names, ", "), " and ", total - kShown,
                        " more");
  } else if (names.size() > 1) {
    list = absl::StrCat(
        absl::StrJoin(names.begin(), names.end() - 1, ", "), " and ",
        names.back());
  } else if (!names.empty()) {
    list = names.front();
  }
  return absl::StrCat(total == 1 ? "Service " : "Services ", list);
}

// Creation times of Services, by (namespace, name).
using CreationTimes = absl::flat_hash_map<NameKey, int64_t>;

// One group being built: the finding it becomes, with what is needed to
// fold in further members and to word it at the end. Holds no member.
struct Group {
  WorkloadOwner owner;
  Finding out;  // The first member's fields, then the members' union.
  absl::flat_hash_set<std::string> seen_related;
  absl::flat_hash_map<std::string, size_t> pod_at;  // Into out.pods.
  absl::flat_hash_set<int64_t> starts;  // Of the affected containers.
  size_t fewest_related = std::numeric_limits<size_t>::max();
};

// A group whose first member is `first`, about a pod of `owner`.
Group StartGroup(const WorkloadOwner& owner, const Finding& first) {
  Group group;
  group.owner = owner;
  Finding& out = group.out;
  out.rule_id = first.rule_id;
  out.severity = first.severity;
  out.origin = first.origin;
  out.workload_kind = owner.kind;
  out.namespace_name = owner.namespace_name;
  out.workload_name = owner.name;
  out.container = first.container;
  out.variable = first.variable;
  out.example_pod = first.workload_name;
  out.example_message = first.message;
  out.hint = first.hint;  // service-after-start words its own at the end.
  return group;
}

// Folds member `m` (a finding about a container of `pod`) into `group`.
void AddMember(Finding m, const Pod& pod, Group* group) {
  Finding& out = group->out;
  group->fewest_related = std::min(group->fewest_related, m.related.size());
  out.severity = std::max(out.severity, m.severity);
  if (m.container != out.container) out.container.clear();
  for (RelatedObject& r : m.related) {
    if (group->seen_related
            .insert(absl::StrCat(r.kind, "/", r.namespace_name, "/", r.name))
            .second)
      out.related.push_back(std::move(r));
  }
  auto [at, added] = group->pod_at.emplace(m.workload_name, out.pods.size());
  if (added) out.pods.push_back({std::move(m.workload_name), {}, pod.origin});
  std::vector<std::string>& containers = out.pods[at->second].containers;
  if (!m.container.empty() && std::find(containers.begin(), containers.end(),
                                        m.container) == containers.end()) {
    if (std::optional<int64_t> start = StartOf(pod, m.container))
      group->starts.insert(*start);
    containers.push_back(std::move(m.container));
    ++out.affected_containers;
  }
}

// The finding `group` becomes, with `owner_pods` pods of its owner in the
// inputs.
Finding FinishGroup(Group group, int owner_pods, const CreationTimes& created) {
  const WorkloadOwner& owner = group.owner;
  const size_t fewest_related = group.fewest_related;
  const absl::flat_hash_set<int64_t>& starts = group.starts;
  Finding out = std::move(group.out);
  out.owner_pods = owner_pods;
  const std::string& first_message = out.example_message;
  const int affected = static_cast<int>(out.pods.size());
  const std::string counted = PodCount(affected, std::max(owner_pods, affected),
                                       out.affected_containers);

  if (out.rule_id != kServiceAfterStart) {
    out.message =
        absl::StrCat(KubectlName(owner), ", ", counted, ": ", first_message);
    return out;
  }
  // Services created within the second a container started may or may not
  // be in it (check.h); say so when that is the case for any of them.
  bool same_second = false;
  for (const RelatedObject& r : out.related) {
    auto it = created.find(NameKey{r.namespace_name, r.name});
    if (r.kind == "Service" && it != created.end())
      same_second |= starts.contains(it->second);
  }
  // Whether every affected container misses every Service listed.
  const bool all_missing = fewest_related >= out.related.size();
  const bool restartable = owner.kind == "Deployment" ||
                           owner.kind == "StatefulSet" ||
                           owner.kind == "DaemonSet";
  const std::string services = ServiceList(out.related, owner.namespace_name);
  out.message = absl::StrCat(
      restartable ? "restart " : "recreate the pods of ", KubectlName(owner),
      " in namespace ", owner.namespace_name, ": ", counted,
      same_second ? " started no later than the second " : " started before ",
      all_missing ? "" : "some of ", services,
      same_second ? (out.related.size() == 1 ? " was created" : " were created")
                  : " existed",
      "; their variables are missing until ",
      affected == 1 ? "it restarts" : "they restart");
  if (restartable) {
    out.hint = absl::StrCat("kubectl rollout restart ", KubectlName(owner),
                            " -n ", owner.namespace_name,
                            ", or read the addresses from DNS instead of "
                            "Service variables");
  } else if (owner.kind == "Job" || owner.kind == "CronJob") {
    out.hint =
        "pods of later runs get them; delete running pods that read the "
        "variables, or read the addresses from DNS";
  } else {
    out.hint = absl::StrCat("delete the pods so that the ", owner.kind,
                            " recreates them, or read the addresses from DNS "
                            "instead of Service variables");
  }
  return out;
}

}  // namespace

namespace check_internal {

struct FindingGrouper::State {
  explicit State(const Objects& objects)
      : objects(objects), resolver(objects) {}

  const Objects& objects;
  const OwnerResolver resolver;
  absl::flat_hash_map<NameKey, const Pod*> pods;
  absl::flat_hash_map<NameKey, std::optional<WorkloadOwner>> owners;
  absl::flat_hash_map<std::string, int> owned_pods;  // By OwnerKey.

  // Each output slot is a finding kept as it is, or a group (by index).
  struct Slot {
    std::optional<Finding> kept;
    size_t group = 0;
  };
  std::vector<Slot> slots;
  std::vector<Group> groups;
  absl::flat_hash_map<std::string, size_t> group_of;
};

FindingGrouper::FindingGrouper(const Objects& objects)
    : state_(std::make_unique<State>(objects)) {
  for (const Pod& p : objects.pods) {
    if (p.workload_kind != "Pod") continue;
    NameKey key{p.meta.namespace_name, p.meta.name};
    std::optional<WorkloadOwner> owner = state_->resolver.TopOwner(p);
    if (owner.has_value()) ++state_->owned_pods[OwnerKey(*owner)];
    state_->pods.emplace(key, &p);
    state_->owners.emplace(std::move(key), std::move(owner));
  }
}

FindingGrouper::~FindingGrouper() = default;

void FindingGrouper::Add(Finding f) {
  State& s = *state_;
  const WorkloadOwner* owner = nullptr;
  const Pod* pod = nullptr;
  if (f.workload_kind == "Pod" && f.pods.empty()) {
    NameKey key{f.namespace_name, f.workload_name};
    auto it = s.owners.find(key);
    if (it != s.owners.end() && it->second.has_value()) {
      owner = &*it->second;
      pod = s.pods.at(key);
    }
  }
  if (owner == nullptr) {
    s.slots.push_back({std::move(f), 0});
    return;
  }
  std::string key = absl::StrCat(
      OwnerKey(*owner), "\n", f.rule_id, "\n",
      f.rule_id == kServiceAfterStart ? std::string() : f.variable);
  auto [at, added] = s.group_of.emplace(std::move(key), s.groups.size());
  if (added) {
    s.groups.push_back(StartGroup(*owner, f));
    s.slots.push_back({std::nullopt, at->second});
  }
  AddMember(std::move(f), *pod, &s.groups[at->second]);
}

std::vector<Finding> FindingGrouper::Finish() {
  State& s = *state_;
  CreationTimes created;
  if (!s.groups.empty()) {
    for (const Service& service : s.objects.services) {
      if (service.meta.creation_timestamp.has_value()) {
        created.emplace(NameKey{service.meta.namespace_name, service.meta.name},
                        service.meta.creation_timestamp->unix_seconds);
      }
    }
  }
  std::vector<Finding> findings;
  findings.reserve(s.slots.size());
  for (State::Slot& slot : s.slots) {
    if (slot.kept.has_value()) {
      findings.push_back(std::move(*slot.kept));
      continue;
    }
    Group& group = s.groups[slot.group];
    const int owned = s.owned_pods[OwnerKey(group.owner)];
    findings.push_back(FinishGroup(std::move(group), owned, created));
  }
  s.slots.clear();
  s.groups.clear();
  return findings;
}

}  // namespace check_internal

CheckResult GroupFindingsByOwner(CheckResult result, const Objects& objects) {
  check_internal::FindingGrouper grouper(objects);
  for (Finding& f : result.findings) grouper.Add(std::move(f));
  result.findings = grouper.Finish();
  return result;
}

}  // namespace svcenv
