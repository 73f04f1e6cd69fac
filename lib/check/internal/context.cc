#include "lib/check/internal/context.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "svcenv/check.h"
#include "svcenv/container_analysis.h"
#include "svcenv/container_env.h"
#include "svcenv/container_start.h"
#include "svcenv/objects.h"
#include "svcenv/pending_cluster_ip.h"
#include "svcenv/service_env.h"

namespace svcenv::check_internal {

CheckContext::CheckContext(const Objects& objects, const Objects& inventory,
                           const CheckOptions& options)
    : objects_(objects), options_(options), lookup_(inventory, objects) {
  catalogue_ = BuiltinCatalogue();
  catalogue_.insert(catalogue_.end(), options.extra_catalogue.begin(),
                    options.extra_catalogue.end());
  // Inventory first, then the objects: with links on, a later Service of
  // one name replaces an earlier one, so the manifest version wins.
  services_.reserve(inventory.services.size() + objects.services.size() + 1);
  bool has_master = false;
  auto add = [&](const Service& service, bool from_inventory) {
    ServiceFacts facts;
    facts.inventory = from_inventory;
    const Service* kept = &service;
    if (service.meta.creation_timestamp.has_value()) {
      facts.created = service.meta.creation_timestamp->unix_seconds;
    } else if (!from_inventory && HasPendingClusterIp(service)) {
      Service& copy = adjusted_.emplace_back(service);
      copy.cluster_ip = std::string(kPendingClusterIp);
      facts.allocated = true;
      kept = &copy;
    }
    facts.position = Position("Service", service.meta.annotations,
                              service.origin);
    has_master |= IsMasterService(service);
    services_.push_back(kept);
    facts_.push_back(facts);
  };
  for (const Service& s : inventory.services) add(s, true);
  for (const Service& s : objects.services) add(s, false);
  if (!has_master && options.assume_kubernetes_service) {
    Service master;
    master.meta.namespace_name = std::string(kMasterServiceNamespace);
    master.meta.name = std::string(kMasterServiceName);
    master.cluster_ip = "10.96.0.1";
    master.ports.push_back({"https", 443, "TCP"});
    services_.push_back(&adjusted_.emplace_back(std::move(master)));
    ServiceFacts facts;
    facts.assumed = true;
    facts_.push_back(facts);
  }
  index_.reserve(services_.size());
  for (size_t i = 0; i < services_.size(); ++i) {
    versions_[Key(*services_[i])].push_back(i);
    index_.emplace(services_[i], i);
  }
  // Per-namespace facts.
  for (const Pod& pod : objects_.pods) {
    for (const auto* list : {&pod.init_containers, &pod.containers}) {
      for (const Container& c : *list) {
        for (const EnvVar& var : c.env) {
          if (!absl::EndsWith(var.name, "_PORT")) continue;
          auto& declarations =
              namespaces_[pod.meta.namespace_name].declared_ports[var.name];
          bool seen = false;
          for (const auto& d : declarations) seen |= d.image == c.image;
          if (seen) continue;
          declarations.push_back(
              {absl::StrCat(pod.workload_kind, " ", pod.meta.namespace_name,
                            "/", pod.workload_name, " container ", c.name),
               c.image});
        }
      }
    }
  }
  std::map<std::string, std::pair<int64_t, int>> name_bytes;
  for (const Service* s : services_) {
    auto& [bytes, count] = name_bytes[s->meta.namespace_name];
    bytes += s->meta.name.size();
    ++count;
  }
  for (const auto& [ns, sum] : name_bytes) {
    const auto& [bytes, count] = sum;
    namespaces_[ns].average_service_name =
        static_cast<int>((bytes + count / 2) / count);
  }
}

int CheckContext::real_service_count() const {
  int n = 0;
  for (const ServiceFacts& facts : facts_) n += !facts.assumed;
  return n;
}

const ServiceFacts& CheckContext::FactsOf(const Service* service) const {
  return facts_[index_.at(service)];
}

const NamespaceFacts& CheckContext::Namespace(
    const std::string& namespace_name) const {
  static const NamespaceFacts* const kEmpty = new NamespaceFacts();
  auto it = namespaces_.find(namespace_name);
  return it == namespaces_.end() ? *kEmpty : it->second;
}

std::shared_ptr<const ServiceEnvironment> CheckContext::ServicesFor(
    const std::string& namespace_name, bool links) const {
  return Block(namespace_name, links)->services;
}

std::shared_ptr<const ServiceBlock> CheckContext::Block(
    const std::string& namespace_name, bool links) const {
  absl::MutexLock lock(&blocks_mu_);
  for (auto it = recent_blocks_.begin(); it != recent_blocks_.end(); ++it) {
    if (it->namespace_name == namespace_name && it->links == links) {
      recent_blocks_.splice(recent_blocks_.begin(), recent_blocks_, it);
      return recent_blocks_.front().block;
    }
  }
  std::shared_ptr<const ServiceBlock> block =
      std::make_shared<const ServiceBlock>(BuildBlock(namespace_name, links));
  recent_blocks_.push_front({namespace_name, links, block});
  if (recent_blocks_.size() > kRecentBlocks) recent_blocks_.pop_back();
  return block;
}

ServiceBlock CheckContext::BuildBlock(const std::string& namespace_name,
                                      bool links) const {
  ServiceBlock block;
  block.visible = VisibleServices(services_, namespace_name, links);
  block.services = std::make_shared<const ServiceEnvironment>(
      BuildServiceEnvironment(block.visible));
  // When each visible Service is there: any version of it counts.
  for (size_t i = 0; i < block.visible.size(); ++i) {
    ServiceBlock::Presence presence;
    bool first = true;
    for (size_t v : versions_.at(Key(*block.visible[i]))) {
      const ServiceFacts& facts = facts_[v];
      presence.live_always |=
          facts.assumed || (facts.inventory && !facts.created.has_value());
      presence.manifest_always |=
          facts.inventory || facts.assumed || facts.created.has_value();
      if (facts.created.has_value() &&
          (!presence.created.has_value() || *facts.created < *presence.created))
        presence.created = facts.created;
      if (first || facts.position < presence.position)
        presence.position = facts.position;
      first = false;
    }
    if (!presence.live_always) {
      (presence.created.has_value() ? block.by_creation : block.never_created)
          .push_back(i);
    }
    block.presence.push_back(presence);
  }
  std::stable_sort(block.by_creation.begin(), block.by_creation.end(),
                   [&block](size_t a, size_t b) {
                     return *block.presence[a].created <
                            *block.presence[b].created;
                   });
  // What known-variable-overwrite looks at in every container.
  const auto& declared = Namespace(namespace_name).declared_ports;
  auto clash = block.services->clashes.begin();
  for (size_t i = 0; i < block.services->variables.size(); ++i) {
    const ServiceVariable& v = block.services->variables[i];
    // Both lists are sorted by name.
    while (clash != block.services->clashes.end() && clash->name < v.name)
      ++clash;
    if (!IsUrl(v.value) ||
        (clash != block.services->clashes.end() && clash->name == v.name))
      continue;
    bool named = declared.count(v.name) > 0;
    for (const CatalogueEntry& known : catalogue_) {
      if (named) break;
      named = MatchesPattern(known.pattern, v.name);
    }
    if (named) block.catalogue_candidates.push_back(i);
  }
  for (const Service* s : services_) {
    if (s->meta.namespace_name == namespace_name && IsServiceIPSet(*s))
      block.own_prefixes.insert(MakeEnvVariableName(s->meta.name));
  }
  for (size_t i = 0; i < block.services->variables.size(); ++i) {
    const ServiceVariable& v = block.services->variables[i];
    const int64_t bytes = v.name.size() + 1 + AllocatedSize(v.value) + 1;
    block.exec_size.bytes += bytes;
    if (bytes > block.exec_size.largest) {
      block.exec_size.largest = bytes;
      block.exec_size.largest_index = i;
    }
  }
  return block;
}

std::shared_ptr<const ServiceEnvironment> CheckContext::FirstStartServices(
    const Pod& pod, const Container& container, bool links) const {
  std::optional<StartSet> start = StartOf(pod, container);
  if (!start.has_value()) return nullptr;
  const std::string& ns = pod.meta.namespace_name;
  std::string key;
  if (start->live) {
    key = absl::StrCat(ns, "/", links, "/live/", start->start);
  } else {
    const ApplyPosition p = PodPosition(pod);
    key = absl::StrCat(ns, "/", links, "/apply/", p.phase, ",", p.wave, ",",
                       p.kind, ",", p.sequence);
  }
  {
    absl::MutexLock lock(&blocks_mu_);
    for (auto it = recent_first_starts_.begin();
         it != recent_first_starts_.end(); ++it) {
      if (it->key != key) continue;
      recent_first_starts_.splice(recent_first_starts_.begin(),
                                  recent_first_starts_, it);
      return it->services;
    }
  }
  AddFirstStartServices(pod, &*start);
  auto services = std::make_shared<const ServiceEnvironment>(
      BuildServiceEnvironment(VisibleServices(start->services, ns, links)));
  absl::MutexLock lock(&blocks_mu_);
  recent_first_starts_.push_front({std::move(key), services});
  if (recent_first_starts_.size() > kRecentFirstStarts)
    recent_first_starts_.pop_back();
  return services;
}

const Service* CheckContext::FindService(absl::string_view namespace_name,
                                         absl::string_view name) const {
  auto it = versions_.find(absl::StrCat(namespace_name, "/", name));
  if (it == versions_.end()) return nullptr;
  return services_[it->second.back()];
}

std::vector<const Service*> CheckContext::LateServices(
    const Pod& pod, bool links, const StartSet& start) const {
  const std::shared_ptr<const ServiceBlock> kept =
      Block(pod.meta.namespace_name, links);
  const ServiceBlock& block = *kept;
  std::vector<size_t> late;
  if (start.live) {
    // Missing: never created, or created at or after the start.
    late = block.never_created;
    auto from = std::lower_bound(
        block.by_creation.begin(), block.by_creation.end(), start.start,
        [&block](size_t i, int64_t t) { return *block.presence[i].created < t; });
    late.insert(late.end(), from, block.by_creation.end());
    std::sort(late.begin(), late.end());
  } else {
    const ApplyPosition pod_position = PodPosition(pod);
    for (size_t i = 0; i < block.visible.size(); ++i) {
      const ServiceBlock::Presence& p = block.presence[i];
      if (!p.manifest_always && !(p.position < pod_position))
        late.push_back(i);
    }
  }
  std::vector<const Service*> out;
  out.reserve(late.size());
  for (size_t i : late) out.push_back(block.visible[i]);
  return out;
}

absl::StatusOr<ContainerAnalysis> CheckContext::Analyze(
    const Pod& pod, const Container& container,
    std::shared_ptr<const ServiceEnvironment> services, bool partial) const {
  AnalysisOptions options;
  options.environment = options_.environment;
  options.environment.partial |= partial;
  options.block_diagnostics = false;
  return svcenv::Analyze(std::move(services), lookup_, pod, container,
                         options);
}

ApplyPosition CheckContext::Position(
    absl::string_view kind,
    const std::map<std::string, std::string>& annotations,
    const Origin& origin) const {
  return ApplyPositionOf(options_.order, kind, annotations, origin);
}

ApplyPosition CheckContext::PodPosition(const Pod& pod) const {
  return Position(pod.workload_kind.empty() ? "Pod" : pod.workload_kind,
                  pod.workload_annotations, pod.origin);
}

std::optional<StartSet> CheckContext::StartOf(
    const Pod& pod, const Container& container) const {
  StartSet set;
  // An ephemeral container is added long after the pod was created or
  // applied: only its own startedAt says which Services it got.
  for (const Container& c : pod.ephemeral_containers) {
    if (c.name != container.name) continue;
    bool running = false;
    for (const ContainerStatus& s : pod.ephemeral_container_statuses) {
      running = running || (s.name == container.name && s.state == "running" &&
                            s.started_at.has_value());
    }
    if (!running || !pod.meta.creation_timestamp.has_value()) {
      return std::nullopt;
    }
  }
  if (!pod.meta.creation_timestamp.has_value()) return set;
  set.live = true;
  // container_start.h: `svcenv env --as-running` decides the same way
  // (running: its startedAt; no status yet: the pod's creation; waiting or
  // terminated: the next start sees every current Service). The
  // container's place in `pod` says which status list it has.
  const ContainerStart start = StartOfContainer(pod, container);
  // A container that ran for good (a completed Job, an init container that
  // succeeded) is not started again: a Service it lacked calls for no
  // restart, so the ordering rules have nothing to say about it.
  if (start.kind == ContainerStart::Kind::kFinished) return std::nullopt;
  if (!start.at.has_value()) return std::nullopt;
  set.start = start.at->unix_seconds;
  set.start_text = start.at->text;
  return set;
}

void CheckContext::AddFirstStartServices(const Pod& pod, StartSet* start) const {
  StartSet& set = *start;
  if (set.live) {
    for (size_t i = 0; i < services_.size(); ++i) {
      const ServiceFacts& facts = facts_[i];
      // `facts.created` is the earliest creation of the name (a recreated
      // Service was there before, under its old IP).
      const bool before =
          facts.assumed ||
          (facts.created.has_value() && *facts.created < set.start) ||
          (facts.inventory && !facts.created.has_value());
      if (before) set.services.push_back(services_[i]);
    }
    return;
  }
  const ApplyPosition pod_position = PodPosition(pod);
  for (size_t i = 0; i < services_.size(); ++i) {
    const ServiceFacts& facts = facts_[i];
    if (facts.inventory || facts.assumed || facts.created.has_value() ||
        facts.position < pod_position) {
      set.services.push_back(services_[i]);
    }
  }
}

std::string CheckContext::Display(absl::string_view value,
                                  const Service* service) const {
  // Values already show the stand-in text (pending_cluster_ip.h).
  (void)service;
  return std::string(value);
}

std::string CheckContext::DescribeService(const Service& service) const {
  const ServiceFacts& facts = FactsOf(&service);
  std::string where = facts.assumed ? std::string("assumed")
                      : facts.inventory
                          ? absl::StrCat("inventory ", Where(service.origin))
                          : Where(service.origin);
  return absl::StrCat("Service ", Key(service), " (", where, ")");
}

std::string Key(const Service& service) {
  return absl::StrCat(service.meta.namespace_name, "/", service.meta.name);
}

std::string Where(const Origin& origin) {
  if (origin.file.empty()) return "assumed";
  if (origin.line > 0) return absl::StrCat(origin.file, ":", origin.line);
  std::string out =
      absl::StrCat(origin.file, " document ", origin.document + 1);
  if (origin.item >= 0) absl::StrAppend(&out, " item ", origin.item + 1);
  return out;
}

std::string WithThousands(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? absl::StrCat("-", out) : out;
}

bool IsUrl(absl::string_view value) { return absl::StrContains(value, "://"); }

bool MatchesPattern(absl::string_view pattern, absl::string_view name) {
  if (absl::ConsumePrefix(&pattern, "*")) {
    return name.size() > pattern.size() && absl::EndsWith(name, pattern);
  }
  if (absl::ConsumeSuffix(&pattern, "*")) {
    return name.size() > pattern.size() && absl::StartsWith(name, pattern);
  }
  return name == pattern;
}

bool ImageMatches(absl::string_view glob, absl::string_view image) {
  const size_t at = image.find('@');
  if (at != absl::string_view::npos) image = image.substr(0, at);
  // Iterative glob match with backtracking to the last `*`.
  size_t g = 0, i = 0, star = absl::string_view::npos, mark = 0;
  while (i < image.size()) {
    if (g < glob.size() && glob[g] == '*') {
      star = g++;
      mark = i;
    } else if (g < glob.size() && glob[g] == image[i]) {
      ++g;
      ++i;
    } else if (star != absl::string_view::npos) {
      g = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

RelatedObject Related(const Service& service) {
  return RelatedObject{"Service", service.meta.namespace_name,
                       service.meta.name, service.origin};
}

Finding MakeFinding(const Pod& pod, const Container& container,
                    const char* rule, Severity severity, int line) {
  Finding f;
  f.rule_id = rule;
  f.severity = severity;
  f.origin = pod.origin;
  if (line > 0) {
    f.origin.line = line;
  } else if (container.line > 0) {
    f.origin.line = container.line;
  }
  f.workload_kind = pod.workload_kind.empty() ? "Pod" : pod.workload_kind;
  f.namespace_name = pod.meta.namespace_name;
  f.workload_name =
      pod.workload_name.empty() ? pod.meta.name : pod.workload_name;
  f.container = container.name;
  return f;
}

int EnvLine(const Container& container, const EnvEntry& entry) {
  const bool from_env = entry.source.kind != SourceKind::kService &&
                        entry.source.kind != SourceKind::kConfigMapEnvFrom &&
                        entry.source.kind != SourceKind::kSecretEnvFrom;
  if (from_env && entry.source.index >= 0 &&
      entry.source.index < static_cast<int>(container.env.size()) &&
      container.env[entry.source.index].line > 0) {
    return container.env[entry.source.index].line;
  }
  return container.line;
}

int EnvLine(const Container& container,
            const SharedContainerEnvironment::OwnVariable& variable) {
  const SourceKind kind = variable.source.kind;
  const int index = variable.source.index;
  const bool from_env = kind != SourceKind::kService &&
                        kind != SourceKind::kConfigMapEnvFrom &&
                        kind != SourceKind::kSecretEnvFrom;
  if (from_env && index >= 0 && index < static_cast<int>(container.env.size()) &&
      container.env[index].line > 0) {
    return container.env[index].line;
  }
  return container.line;
}

}  // namespace svcenv::check_internal
