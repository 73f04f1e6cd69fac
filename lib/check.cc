#include "svcenv/check.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {

constexpr char kServiceAfterWorkload[] = "service-after-workload";
constexpr char kServiceAfterStart[] = "service-after-start";
constexpr char kUnfilledServiceReference[] = "unfilled-service-reference";
constexpr char kUnresolvedReference[] = "unresolved-reference";
constexpr char kServiceClash[] = "service-clash";
constexpr char kKnownVariableOverwrite[] = "known-variable-overwrite";
constexpr char kDeclaredShadowsService[] = "declared-shadows-service";
constexpr char kEnvironmentSize[] = "environment-size";
constexpr char kContainerRefused[] = "container-refused";

// The API server allocates a cluster IP when a manifest Service without one
// is created; svcenv stands this address in for it, and messages print it as
// `<cluster IP>`.
constexpr char kAllocatedClusterIp[] = "10.96.100.100";
constexpr char kAllocatedClusterIpText[] = "<cluster IP>";

// Linux execve: each argv and envp pointer also takes stack space
// (fs/exec.c `bprm_stack_limits`).
constexpr int64_t kPointerBytes = 8;

// helm/helm pkg/release/v1/util/kind_sorter.go `InstallOrder` (Helm 4; Helm
// 3's pkg/releaseutil list is the same without PriorityClass, IngressClass
// and the webhook configurations, which do not change relative order).
constexpr absl::string_view kHelmInstallOrder[] = {
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
};

// A Service as the check sees it.
struct ServiceFacts {
  bool inventory = false;  // From the inventory: exists already.
  bool assumed = false;    // default/kubernetes, assumed present.
  bool allocated = false;  // Cluster IP stood in for (manifest Service).
  std::optional<int64_t> created;  // creationTimestamp, Unix seconds.
  std::tuple<int, int> rank;       // Apply order in manifest mode.
};

std::string Key(const Service& service) {
  return absl::StrCat(service.meta.namespace_name, "/", service.meta.name);
}

// `file:line`, or `file document N[ item M]` (1-based) without a line.
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

// A copy of `pod` in which every ConfigMap and Secret reference is optional,
// so that the rest of the check can go on where the kubelet would refuse.
Pod Relaxed(const Pod& pod) {
  Pod relaxed = pod;
  for (auto* list : {&relaxed.containers, &relaxed.init_containers}) {
    for (Container& container : *list) {
      for (EnvVar& var : container.env) {
        if (!var.value_from.has_value()) continue;
        if (var.value_from->config_map_key_ref.has_value())
          var.value_from->config_map_key_ref->optional = true;
        if (var.value_from->secret_key_ref.has_value())
          var.value_from->secret_key_ref->optional = true;
      }
      for (EnvFromSource& source : container.env_from) {
        if (source.config_map_ref.has_value())
          source.config_map_ref->optional = true;
        if (source.secret_ref.has_value()) source.secret_ref->optional = true;
      }
    }
  }
  return relaxed;
}

// The prefix of a Service-variable-shaped name: `X` of `X_SERVICE_HOST`,
// `X_SERVICE_PORT`, `X_SERVICE_PORT_NAME` or `X_PORT_80_TCP[_PROTO|_PORT|
// _ADDR]`. A bare `X_PORT` is too common an app name to count on its own.
std::optional<std::string> ServiceShapedPrefix(absl::string_view name) {
  for (absl::string_view suffix : {"_SERVICE_HOST", "_SERVICE_PORT"}) {
    if (absl::EndsWith(name, suffix) && name.size() > suffix.size())
      return std::string(name.substr(0, name.size() - suffix.size()));
  }
  size_t at = name.find("_SERVICE_PORT_");
  if (at != absl::string_view::npos && at > 0)
    return std::string(name.substr(0, at));
  // X_PORT_<digits>_<PROTO>[_PROTO|_PORT|_ADDR]
  for (size_t pos = name.find("_PORT_"); pos != absl::string_view::npos;
       pos = name.find("_PORT_", pos + 1)) {
    if (pos == 0) continue;
    absl::string_view rest = name.substr(pos + 6);
    size_t digits = 0;
    while (digits < rest.size() && absl::ascii_isdigit(rest[digits])) ++digits;
    if (digits == 0 || digits >= rest.size() || rest[digits] != '_') continue;
    rest.remove_prefix(digits + 1);
    for (absl::string_view proto : {"TCP", "UDP", "SCTP"}) {
      absl::string_view tail = rest;
      if (!absl::ConsumePrefix(&tail, proto)) continue;
      if (tail.empty() || tail == "_PROTO" || tail == "_PORT" ||
          tail == "_ADDR")
        return std::string(name.substr(0, pos));
    }
  }
  return std::nullopt;
}

class Checker {
 public:
  Checker(const Objects& objects, const Objects& inventory,
          const CheckOptions& options)
      : objects_(objects), options_(options) {
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
      Service copy = service;
      if (copy.meta.creation_timestamp.has_value()) {
        facts.created = copy.meta.creation_timestamp->unix_seconds;
      } else if (!from_inventory && copy.cluster_ip.empty() &&
                 copy.type != "ExternalName") {
        copy.cluster_ip = kAllocatedClusterIp;
        facts.allocated = true;
      }
      facts.rank = ApplyRank("Service", copy.origin);
      has_master |= copy.meta.namespace_name == "default" &&
                    copy.meta.name == "kubernetes";
      services_.push_back(std::move(copy));
      facts_.push_back(facts);
    };
    for (const Service& s : inventory.services) add(s, true);
    for (const Service& s : objects.services) add(s, false);
    if (!has_master && options.assume_kubernetes_service) {
      Service master;
      master.meta.namespace_name = "default";
      master.meta.name = "kubernetes";
      master.cluster_ip = "10.96.0.1";
      master.ports.push_back({"https", 443, "TCP"});
      services_.push_back(std::move(master));
      ServiceFacts facts;
      facts.assumed = true;
      facts_.push_back(facts);
    }
    // ConfigMaps, Secrets and Nodes of both, for `valueFrom` and `envFrom`.
    lookup_ = inventory;
    lookup_.services.clear();
    lookup_.pods.clear();
    lookup_.config_maps.insert(lookup_.config_maps.end(),
                               objects.config_maps.begin(),
                               objects.config_maps.end());
    lookup_.secrets.insert(lookup_.secrets.end(), objects.secrets.begin(),
                           objects.secrets.end());
    lookup_.nodes.insert(lookup_.nodes.end(), objects.nodes.begin(),
                         objects.nodes.end());
    CollectDeclaredPorts();
  }

  CheckResult Run() {
    CheckResult result;
    result.services = 0;
    for (const ServiceFacts& facts : facts_) result.services += !facts.assumed;
    for (const Pod& pod : objects_.pods) {
      ++result.workloads;
      for (const Container& c : pod.init_containers) {
        ++result.containers;
        CheckContainer(pod, c, /*init=*/true);
      }
      for (const Container& c : pod.containers) {
        ++result.containers;
        CheckContainer(pod, c, /*init=*/false);
      }
    }
    result.findings = std::move(findings_);
    return result;
  }

 private:
  std::tuple<int, int> ApplyRank(absl::string_view kind,
                                 const Origin& origin) const {
    if (options_.order == ApplyOrder::kHelm)
      return {HelmInstallRank(kind), origin.sequence};
    return {0, origin.sequence};
  }

  const ServiceFacts& FactsOf(const Service* service) const {
    return facts_[service - services_.data()];
  }

  // Replaces the stand-in cluster IP in a value for display.
  std::string Display(absl::string_view value, const Service* service) const {
    if (service == nullptr || !FactsOf(service).allocated)
      return std::string(value);
    return absl::StrReplaceAll(
        value, {{kAllocatedClusterIp, kAllocatedClusterIpText}});
  }

  RelatedObject Related(const Service& service) const {
    return RelatedObject{"Service", service.meta.namespace_name,
                         service.meta.name, service.origin};
  }

  std::string DescribeService(const Service& service) const {
    const ServiceFacts& facts = FactsOf(&service);
    std::string where = facts.assumed ? std::string("assumed")
                        : facts.inventory
                            ? absl::StrCat("inventory ", Where(service.origin))
                            : Where(service.origin);
    return absl::StrCat("Service ", Key(service), " (", where, ")");
  }

  void CollectDeclaredPorts() {
    for (const Pod& pod : objects_.pods) {
      for (const auto* list : {&pod.init_containers, &pod.containers}) {
        for (const Container& c : *list) {
          for (const EnvVar& var : c.env) {
            if (!absl::EndsWith(var.name, "_PORT")) continue;
            auto& sites = declared_ports_[pod.meta.namespace_name];
            sites.emplace(
                var.name,
                absl::StrCat(pod.workload_kind, " ", pod.meta.namespace_name,
                             "/", pod.workload_name, " container ", c.name));
          }
        }
      }
    }
  }

  Finding MakeFinding(const Pod& pod, const Container& container,
                      const char* rule, Severity severity, int line) const {
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

  int EnvLine(const Container& container, const EnvEntry& entry) const {
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

  // The Services that exist when the container (re)starts, as copies.
  struct StartSet {
    std::vector<Service> services;
    bool live = false;
    std::string start_text;  // Live: when the container started.
    int64_t start = 0;
  };

  std::optional<StartSet> FirstStart(const Pod& pod, const Container& container,
                                     bool init) const {
    StartSet set;
    if (pod.meta.creation_timestamp.has_value()) {
      set.live = true;
      const auto& statuses =
          init ? pod.init_container_statuses : pod.container_statuses;
      const ContainerStatus* status = nullptr;
      for (const ContainerStatus& s : statuses) {
        if (s.name == container.name) status = &s;
      }
      if (status != nullptr && status->state == "running" &&
          status->started_at.has_value()) {
        set.start = status->started_at->unix_seconds;
        set.start_text = status->started_at->text;
      } else if (status == nullptr || status->state.empty()) {
        set.start = pod.meta.creation_timestamp->unix_seconds;
        set.start_text = pod.meta.creation_timestamp->text;
      } else {
        // Waiting or terminated: the next start sees every current Service.
        return std::nullopt;
      }
      for (size_t i = 0; i < services_.size(); ++i) {
        const ServiceFacts& facts = facts_[i];
        const bool before =
            facts.assumed ||
            (facts.created.has_value() && *facts.created < set.start) ||
            (facts.inventory && !facts.created.has_value());
        if (before) set.services.push_back(services_[i]);
      }
      return set;
    }
    const auto pod_rank = ApplyRank(
        pod.workload_kind.empty() ? "Pod" : pod.workload_kind, pod.origin);
    for (size_t i = 0; i < services_.size(); ++i) {
      const ServiceFacts& facts = facts_[i];
      if (facts.inventory || facts.assumed || facts.created.has_value() ||
          facts.rank < pod_rank) {
        set.services.push_back(services_[i]);
      }
    }
    return set;
  }

  absl::StatusOr<ContainerEnvironment> Environment(
      const Pod& pod, const Container& container,
      const ServiceEnvironment& services) const {
    return ComputeContainerEnvironment(pod, container, services, lookup_,
                                       options_.environment);
  }

  void CheckContainer(const Pod& pod, const Container& original, bool init) {
    const size_t first_finding = findings_.size();
    const bool links = pod.enable_service_links.value_or(true);
    const std::string& ns = pod.meta.namespace_name;
    const ServiceEnvironment full =
        ComputeServiceEnvironment(services_, ns, links);
    // A refused container becomes a finding; the rest of the check goes on
    // with every ConfigMap and Secret reference made optional.
    Pod relaxed;
    const Pod* subject = &pod;
    const Container* container = &original;
    bool partial = false;
    absl::StatusOr<ContainerEnvironment> env = Environment(pod, original, full);
    if (!env.ok()) {
      Finding f =
          MakeFinding(pod, original, kContainerRefused, Severity::kWarning, 0);
      f.message = absl::StrCat("the kubelet would refuse to start it: ",
                               env.status().message());
      f.hint =
          "create the missing object (or add it to --inventory), or mark the "
          "reference optional";
      findings_.push_back(std::move(f));
      relaxed = Relaxed(pod);
      subject = &relaxed;
      const auto& list = init ? relaxed.init_containers : relaxed.containers;
      const auto& orig_list = init ? pod.init_containers : pod.containers;
      container = &list[&original - orig_list.data()];
      env = Environment(relaxed, *container, full);
      if (!env.ok()) return;
      partial = true;
    }
    CheckOrdering(*subject, *container, init, links, *env);
    CheckReferences(pod, original, *env, links, partial);
    CheckClashes(pod, original, *env);
    CheckCatalogue(pod, original, *env);
    CheckShadowing(pod, original, *env);
    CheckSize(pod, original, *env);
    // Within a container, by line.
    std::stable_sort(findings_.begin() + first_finding, findings_.end(),
                     [](const Finding& a, const Finding& b) {
                       return a.origin.line < b.origin.line;
                     });
  }

  void CheckOrdering(const Pod& pod, const Container& container, bool init,
                     bool links, const ContainerEnvironment& env_full) {
    std::optional<StartSet> start = FirstStart(pod, container, init);
    if (!start.has_value()) return;
    const std::string& ns = pod.meta.namespace_name;
    std::set<std::string> before;
    for (const Service* s : VisibleServices(start->services, ns, links))
      before.insert(Key(*s));
    std::vector<const Service*> late;
    for (const Service* s : VisibleServices(services_, ns, links)) {
      if (before.count(Key(*s)) == 0) late.push_back(s);
    }
    if (late.empty()) return;
    const ServiceEnvironment first_services =
        ComputeServiceEnvironment(start->services, ns, links);
    absl::StatusOr<ContainerEnvironment> env_first =
        Environment(pod, container, first_services);
    if (!env_first.ok()) return;

    std::set<std::string> own;
    for (size_t i = 0; i < env_full.own_count; ++i)
      own.insert(env_full.env[i].name);
    std::set<std::string> unresolved_full(
        env_full.unresolved_command_references.begin(),
        env_full.unresolved_command_references.end());

    std::vector<LateService> after_group;
    std::vector<LateService> same_second_group;
    for (const Service* service : late) {
      std::vector<ServiceVariable> vars;
      if (!AppendServiceVariables(*service, &vars).ok()) continue;
      // In the kubelet's order, so that `_SERVICE_HOST` comes first.
      std::set<std::string> missing;
      std::vector<std::string> missing_in_order;
      for (const ServiceVariable& v : vars) {
        if (own.count(v.name) == 0 && missing.insert(v.name).second)
          missing_in_order.push_back(v.name);
      }
      if (missing.empty()) continue;
      const ServiceFacts& facts = FactsOf(service);
      const bool same_second = start->live && facts.created.has_value() &&
                               *facts.created == start->start;
      // References that stay literal at first start but resolve later.
      struct Site {
        int line;
        std::string what;
        std::string name;
      };
      std::vector<Site> sites;
      for (size_t i = 0; i < env_first->own_count; ++i) {
        const EnvEntry& entry = env_first->env[i];
        for (const std::string& ref : entry.unresolved_references) {
          if (missing.count(ref) == 0) continue;
          sites.push_back({EnvLine(container, entry),
                           absl::StrCat("env ", entry.name), ref});
        }
      }
      for (const std::string& ref : env_first->unresolved_command_references) {
        if (missing.count(ref) == 0 || unresolved_full.count(ref) > 0) continue;
        sites.push_back({container.line, "command/args", ref});
      }
      const std::string subject = DescribeService(*service);
      if (start->live) {
        LateService late_service{
            service, missing.size(), missing_in_order.front(), {}};
        for (const Site& site : sites) {
          late_service.literal.push_back(
              absl::StrCat("$(", site.name, ") in ", site.what));
        }
        (same_second ? same_second_group : after_group)
            .push_back(std::move(late_service));
        continue;
      }
      if (sites.empty()) {
        after_group.push_back(
            {service, missing.size(), missing_in_order.front(), {}});
        continue;
      }
      for (const Site& site : sites) {
        Finding f = MakeFinding(pod, container, kServiceAfterWorkload,
                                Severity::kError, site.line);
        f.message = absl::StrCat("$(", site.name, ") in ", site.what,
                                 " stays literal at first start: ", subject,
                                 " is applied after this workload");
        f.hint =
            "apply the Service before the workload, or use its DNS name (" +
            service->meta.name + "." + service->meta.namespace_name +
            ".svc) instead of the variable";
        f.variable = site.name;
        f.related.push_back(Related(*service));
        findings_.push_back(std::move(f));
      }
    }
    if (start->live) {
      ReportLive(pod, container, *start, after_group, /*same_second=*/false);
      ReportLive(pod, container, *start, same_second_group,
                 /*same_second=*/true);
    } else if (!after_group.empty()) {
      Finding f = MakeFinding(pod, container, kServiceAfterWorkload,
                              Severity::kWarning, 0);
      f.message = absl::StrCat(
          ListServices(after_group), after_group.size() == 1 ? " is" : " are",
          " applied after this workload: ", Variables(after_group),
          " missing at first start; a restart would add them");
      f.hint =
          "apply Services before workloads (put them first, or use --order "
          "helm if Helm installs this)";
      f.variable = after_group.front().first_variable;
      for (const LateService& l : after_group)
        f.related.push_back(Related(*l.service));
      findings_.push_back(std::move(f));
    }
  }

  // A Service missing from a container, for grouped findings.
  struct LateService {
    const Service* service;
    size_t variables;                  // How many of its variables are missing.
    std::string first_variable;        // In the kubelet's order.
    std::vector<std::string> literal;  // `$(X) in env Y` left literal.
  };

  // Up to five Services, then how many more.
  std::string ListServices(const std::vector<LateService>& group,
                           bool with_time = false) const {
    constexpr size_t kShown = 5;
    std::vector<std::string> parts;
    for (size_t i = 0; i < group.size() && i < kShown; ++i) {
      const Service& s = *group[i].service;
      std::string part = DescribeService(s);
      if (with_time) {
        absl::StrAppend(
            &part,
            s.meta.creation_timestamp.has_value()
                ? absl::StrCat(" created ", s.meta.creation_timestamp->text)
                : std::string(" not created yet"));
      }
      parts.push_back(std::move(part));
    }
    std::string out = absl::StrJoin(parts, ", ");
    if (group.size() > kShown)
      absl::StrAppend(&out, " and ", group.size() - kShown, " more Services");
    return out;
  }

  // "its 7 variables (X_SERVICE_HOST, ...) are" / "their 14 variables ... are".
  static std::string Variables(const std::vector<LateService>& group) {
    size_t total = 0;
    for (const LateService& l : group) total += l.variables;
    return absl::StrCat(group.size() == 1 ? "its " : "their ", total,
                        " variables (", group.front().first_variable,
                        ", ...) are");
  }

  void ReportLive(const Pod& pod, const Container& container,
                  const StartSet& start, const std::vector<LateService>& group,
                  bool same_second) {
    if (group.empty()) return;
    Finding f =
        MakeFinding(pod, container, kServiceAfterStart, Severity::kWarning, 0);
    std::string variables = Variables(group);
    if (same_second) {
      absl::StrReplaceAll({{") are", ") may be"}}, &variables);
      f.message = absl::StrCat(
          ListServices(group), group.size() == 1 ? " was" : " were",
          " created in the second the container started (", start.start_text,
          "): ", variables, " missing from it; a restart would add them");
    } else {
      f.message = absl::StrCat(ListServices(group, /*with_time=*/true),
                               ", after the container started at ",
                               start.start_text, ": ", variables,
                               " missing from it; a restart would add them");
    }
    std::vector<std::string> literal;
    for (const LateService& l : group)
      literal.insert(literal.end(), l.literal.begin(), l.literal.end());
    if (!literal.empty()) {
      absl::StrAppend(
          &f.message, "; ", absl::StrJoin(literal, ", "),
          same_second ? " may have stayed literal" : " stayed literal");
    }
    f.variable = group.front().first_variable;
    f.hint =
        "restart the workload (kubectl rollout restart), or read the address "
        "from DNS instead of Service variables";
    for (const LateService& l : group) f.related.push_back(Related(*l.service));
    findings_.push_back(std::move(f));
  }

  // Why no visible Service fills a Service-shaped name; empty when some
  // Service would but the name is simply not produced.
  void ExplainUnfilled(const Pod& pod, const Container& container,
                       const std::string& name, const std::string& prefix,
                       bool links, int line, const std::string& what) {
    const std::string& ns = pod.meta.namespace_name;
    std::vector<const Service*> candidates;
    for (const Service& s : services_) {
      if (MakeEnvVariableName(s.meta.name) == prefix) candidates.push_back(&s);
    }
    std::string reason;
    Finding f = MakeFinding(pod, container, kUnfilledServiceReference,
                            Severity::kError, line);
    const Service* same_ns = nullptr;
    for (const Service* s : candidates) {
      if (s->meta.namespace_name == ns) same_ns = s;
    }
    std::string guess = absl::AsciiStrToLower(prefix);
    std::replace(guess.begin(), guess.end(), '_', '-');
    if (same_ns != nullptr) {
      f.related.push_back(Related(*same_ns));
      const std::string subject = DescribeService(*same_ns);
      if (same_ns->type == "ExternalName") {
        reason = absl::StrCat(subject,
                              " is ExternalName, which produces no variables");
        f.hint = absl::StrCat("use the DNS name ", same_ns->meta.name, ".", ns,
                              ".svc instead");
      } else if (same_ns->cluster_ip == "None") {
        reason = absl::StrCat(subject,
                              " is headless (clusterIP: None), which produces "
                              "no variables");
        f.hint = absl::StrCat("use the DNS name ", same_ns->meta.name, ".", ns,
                              ".svc instead");
      } else if (!IsServiceIPSet(*same_ns)) {
        reason = absl::StrCat(subject, " has no cluster IP");
        f.hint = "give the Service a cluster IP, or use its DNS name";
      } else if (!links) {
        reason = absl::StrCat(subject,
                              " is hidden: the pod sets enableServiceLinks: "
                              "false");
        f.hint = absl::StrCat("use the DNS name ", same_ns->meta.name, ".", ns,
                              ".svc, or set enableServiceLinks: true");
      } else {
        std::vector<ServiceVariable> vars;
        (void)AppendServiceVariables(*same_ns, &vars);
        std::vector<std::string> names;
        for (const ServiceVariable& v : vars) names.push_back(v.name);
        reason = absl::StrCat(subject, " produces no such variable (it has ",
                              absl::StrJoin(names, ", "), ")");
        f.hint = "check the port name, number and protocol in the reference";
      }
    } else if (!candidates.empty()) {
      std::vector<std::string> where;
      for (const Service* s : candidates) {
        where.push_back(DescribeService(*s));
        f.related.push_back(Related(*s));
      }
      reason = absl::StrCat(
          absl::StrJoin(where, ", "), " ",
          candidates.size() == 1 ? "is" : "are",
          " in another namespace; a pod only gets its own namespace's "
          "Services");
      f.hint =
          absl::StrCat("use the DNS name ", candidates.front()->meta.name, ".",
                       candidates.front()->meta.namespace_name, ".svc instead");
    } else {
      reason = absl::StrCat("no Service \"", guess, "\" exists in namespace ",
                            ns, " (nor in the inventory)");
      f.hint = absl::StrCat("create Service ", guess, " in namespace ", ns,
                            " (before the workload), or fix the name");
    }
    f.message =
        absl::StrCat("$(", name, ") in ", what, " stays literal: ", reason);
    f.variable = name;
    findings_.push_back(std::move(f));
  }

  void CheckReferences(const Pod& pod, const Container& container,
                       const ContainerEnvironment& env, bool links,
                       bool partial) {
    std::map<std::string, int> env_index;  // First env[] position of a name.
    for (size_t i = 0; i < container.env.size(); ++i)
      env_index.emplace(container.env[i].name, static_cast<int>(i));
    auto report = [&](const std::string& name, int line,
                      const std::string& what, int index) {
      std::optional<std::string> prefix = ServiceShapedPrefix(name);
      if (!prefix.has_value()) {
        // A bare X_PORT counts when some Service makes prefix X.
        if (absl::EndsWith(name, "_PORT") && name.size() > 5) {
          const std::string p = name.substr(0, name.size() - 5);
          for (const Service& s : services_) {
            if (MakeEnvVariableName(s.meta.name) == p) prefix = p;
          }
        }
      }
      if (prefix.has_value()) {
        ExplainUnfilled(pod, container, name, *prefix, links, line, what);
        return;
      }
      if (partial) return;  // Unknown envFrom keys might define it.
      Finding f = MakeFinding(pod, container, kUnresolvedReference,
                              Severity::kError, line);
      f.variable = name;
      auto later = env_index.find(name);
      if (index >= 0 && later != env_index.end() && later->second > index) {
        const int later_line = container.env[later->second].line;
        f.message = absl::StrCat(
            "$(", name, ") in ", what, " stays literal: ", name,
            " is declared later in env",
            later_line > 0 ? absl::StrCat(" (line ", later_line, ")") : "",
            ", and an env value only sees entries before it");
        f.hint =
            absl::StrCat("move ", name, " above ", container.env[index].name);
      } else {
        f.message = absl::StrCat("$(", name, ") in ", what,
                                 " stays literal: nothing defines ", name,
                                 " (env, envFrom or a Service variable)");
        f.hint = absl::StrCat("define ", name, ", or write $$(", name,
                              ") for a literal $(", name, ")");
      }
      findings_.push_back(std::move(f));
    };
    for (size_t i = 0; i < env.own_count; ++i) {
      const EnvEntry& entry = env.env[i];
      for (const std::string& ref : entry.unresolved_references) {
        const int index =
            entry.source.kind == SourceKind::kLiteral ? entry.source.index : -1;
        report(ref, EnvLine(container, entry), absl::StrCat("env ", entry.name),
               index);
      }
    }
    for (const std::string& ref : env.unresolved_command_references)
      report(ref, container.line, "command/args", -1);
  }

  void CheckClashes(const Pod& pod, const Container& container,
                    const ContainerEnvironment& env) {
    for (const ServiceClash& clash : env.clashes) {
      Finding f =
          MakeFinding(pod, container, kServiceClash, Severity::kWarning, 0);
      std::vector<std::string> parts;
      for (const ServiceVariable& c : clash.candidates) {
        parts.push_back(absl::StrCat(DescribeService(*c.service), " sets \"",
                                     Display(c.value, c.service), "\""));
        f.related.push_back(Related(*c.service));
      }
      f.message = absl::StrCat(clash.name, " is produced by several Services: ",
                               absl::StrJoin(parts, "; "),
                               "; the kubelet picks one at random");
      f.hint = absl::StrCat("rename one of the Services, or declare ",
                            clash.name, " in env");
      f.variable = clash.name;
      findings_.push_back(std::move(f));
    }
  }

  void CheckCatalogue(const Pod& pod, const Container& container,
                      const ContainerEnvironment& env) {
    std::set<std::string> clashing;
    for (const ServiceClash& clash : env.clashes) clashing.insert(clash.name);
    const auto declared = declared_ports_.find(pod.meta.namespace_name);
    for (size_t i = env.own_count; i < env.env.size(); ++i) {
      const EnvEntry& entry = env.env[i];
      if (entry.source.kind != SourceKind::kService || !IsUrl(entry.value) ||
          clashing.count(entry.name) > 0)
        continue;
      std::string reader;
      for (const CatalogueEntry& c : catalogue_) {
        if (MatchesPattern(c.pattern, entry.name)) {
          reader = c.note.empty() ? std::string("apps are known to read it")
                                  : c.note;
          break;
        }
      }
      if (reader.empty() && declared != declared_ports_.end()) {
        auto site = declared->second.find(entry.name);
        if (site != declared->second.end()) {
          reader = absl::StrCat(site->second,
                                " declares it, so the app reads it, but this "
                                "container does not");
        }
      }
      if (reader.empty()) continue;
      Finding f = MakeFinding(pod, container, kKnownVariableOverwrite,
                              Severity::kWarning, 0);
      const Service* service = entry.source.service;
      f.message = absl::StrCat(DescribeService(*service), " sets ", entry.name,
                               "=", Display(entry.value, service),
                               ", a URL where a port number is "
                               "expected: ",
                               reader);
      f.hint = absl::StrCat("rename the Service, declare ", entry.name,
                            " in env, or set enableServiceLinks: false");
      f.variable = entry.name;
      f.related.push_back(Related(*service));
      findings_.push_back(std::move(f));
    }
  }

  void CheckShadowing(const Pod& pod, const Container& container,
                      const ContainerEnvironment& env) {
    for (size_t i = 0; i < env.own_count; ++i) {
      const EnvEntry& entry = env.env[i];
      for (const EnvSource& hidden : entry.shadows) {
        if (hidden.kind != SourceKind::kService || hidden.service == nullptr)
          continue;
        Finding f = MakeFinding(pod, container, kDeclaredShadowsService,
                                Severity::kInfo, EnvLine(container, entry));
        f.message = absl::StrCat(
            entry.name, " from ", DescribeSource(entry.source),
            " hides the value ", DescribeService(*hidden.service),
            " sets: safe here, but a container without this declaration "
            "gets the Service value");
        f.hint =
            absl::StrCat("keep the declaration in every container that reads ",
                         entry.name, ", or rename the Service");
        f.variable = entry.name;
        f.related.push_back(Related(*hidden.service));
        findings_.push_back(std::move(f));
      }
    }
  }

  void CheckSize(const Pod& pod, const Container& container,
                 const ContainerEnvironment& env) {
    int64_t total = 0;
    int64_t strings = 0;
    int64_t largest = 0;
    std::string largest_what;
    auto count = [&](int64_t bytes, const std::string& what) {
      total += bytes + 1;  // With the terminating NUL.
      ++strings;
      if (bytes + 1 > largest) {
        largest = bytes + 1;
        largest_what = what;
      }
    };
    for (const EnvEntry& e : env.env)
      count(e.name.size() + 1 + e.value.size(), e.name);
    int argc = 0;
    for (const auto* list : {&env.command, &env.args}) {
      for (const std::string& a : *list) {
        count(a.size(), "an argument");
        ++argc;
      }
    }
    // argv holds at least one pointer (fs/exec.c).
    total += kPointerBytes * (env.env.size() + std::max(argc, 1));

    // Headroom: a Service with this namespace's average name length, one
    // TCP port.
    int64_t name_bytes = 0;
    int name_count = 0;
    for (const Service& s : services_) {
      if (s.meta.namespace_name != pod.meta.namespace_name) continue;
      name_bytes += s.meta.name.size();
      ++name_count;
    }
    const int average =
        name_count > 0
            ? static_cast<int>((name_bytes + name_count / 2) / name_count)
            : 10;
    Service probe;
    probe.meta.name = std::string(std::max(average, 1), 'x');
    probe.cluster_ip = kAllocatedClusterIp;
    probe.ports.push_back({"", 8080, "TCP"});
    std::vector<ServiceVariable> vars;
    (void)AppendServiceVariables(probe, &vars);
    int64_t per_service = 0;
    for (const ServiceVariable& v : vars)
      per_service += v.name.size() + v.value.size() + 2 + kPointerBytes;

    const int64_t arg_max = options_.arg_max;
    const int64_t headroom =
        total >= arg_max ? 0 : (arg_max - total) / per_service;
    if (total > arg_max ||
        total >= static_cast<int64_t>(options_.size_warning_ratio * arg_max)) {
      const bool over = total > arg_max;
      Finding f = MakeFinding(pod, container, kEnvironmentSize,
                              over ? Severity::kError : Severity::kWarning, 0);
      f.message = absl::StrCat(
          "environment, command and args take ", WithThousands(total),
          " bytes in ", WithThousands(strings), " strings, ",
          (total * 100) / arg_max, "% of ARG_MAX (", WithThousands(arg_max),
          ")",
          over ? "; exec fails with E2BIG (argument list too long)"
               : absl::StrCat("; about ", WithThousands(headroom),
                              " more Services with names of ", average,
                              " characters (this namespace's average) fit "
                              "before E2BIG"));
      f.hint =
          "set enableServiceLinks: false if the app does not read Service "
          "variables (check for $(..._SERVICE_...) references first)";
      findings_.push_back(std::move(f));
    }
    const int64_t strlen_max = options_.max_arg_strlen;
    if (largest > strlen_max ||
        largest >=
            static_cast<int64_t>(options_.size_warning_ratio * strlen_max)) {
      const bool over = largest > strlen_max;
      Finding f = MakeFinding(pod, container, kEnvironmentSize,
                              over ? Severity::kError : Severity::kWarning, 0);
      f.message = absl::StrCat(
          largest_what == "an argument" ? "an argument" : largest_what,
          " takes ", WithThousands(largest), " bytes as one exec string, ",
          (largest * 100) / strlen_max, "% of MAX_ARG_STRLEN (",
          WithThousands(strlen_max), ")",
          over ? "; exec fails with E2BIG (argument list too long)" : "");
      f.hint = "move large values into a mounted file";
      if (largest_what != "an argument") f.variable = largest_what;
      findings_.push_back(std::move(f));
    }
  }

  const Objects& objects_;
  const CheckOptions& options_;
  std::vector<CatalogueEntry> catalogue_;
  std::vector<Service> services_;  // Never resized after construction.
  std::vector<ServiceFacts> facts_;
  Objects lookup_;
  // Namespace -> `*_PORT` name declared in some container -> who.
  std::map<std::string, std::map<std::string, std::string>> declared_ports_;
  std::vector<Finding> findings_;
};

}  // namespace

absl::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "error";
}

absl::StatusOr<Severity> ParseSeverity(absl::string_view text) {
  if (text == "info") return Severity::kInfo;
  if (text == "warning") return Severity::kWarning;
  if (text == "error") return Severity::kError;
  return absl::InvalidArgumentError(absl::StrCat(
      "severity must be info, warning or error, got \"", text, "\""));
}

const std::vector<CheckRule>& CheckRules() {
  static const auto* const kRules = new std::vector<CheckRule>{
      {kServiceAfterWorkload, Severity::kError,
       "A Service is applied after a workload of its namespace",
       "The kubelet reads the Services of the namespace when a container "
       "starts. A Service created later is missing from its environment until "
       "it restarts, silently, and a $(...) reference to one of its "
       "variables stays literal (error; warning without a reference). Apply "
       "Services first, or use DNS names."},
      {kServiceAfterStart, Severity::kWarning,
       "A Service was created after a running container started",
       "The container lacks the Service's variables until it restarts "
       "(kubernetes/kubernetes#5184, #127463). A Service created within the "
       "second the container started may be missing."},
      {kUnfilledServiceReference, Severity::kError,
       "A $(X_SERVICE_HOST)-shaped reference that no visible Service fills",
       "No Service of that name, a Service in another namespace, a headless "
       "or ExternalName Service, or enableServiceLinks: false: the value "
       "stays the literal text $(X)."},
      {kUnresolvedReference, Severity::kError,
       "A $(NAME) reference that stays literal",
       "Nothing defines the name where the kubelet expands it: an env value "
       "sees envFrom keys, env entries before it and Service variables; "
       "command and args see the final environment."},
      {kServiceClash, Severity::kWarning,
       "Two Services produce one variable name",
       "For example redis and redis-service both make REDIS_SERVICE_PORT. "
       "The kubelet picks one at random, per container start."},
      {kKnownVariableOverwrite, Severity::kWarning,
       "A Service variable overwrites a variable apps are known to read",
       "A Service named kafka makes KAFKA_PORT=tcp://...; images that read "
       "KAFKA_PORT as a port number fail. Names come from a shipped, "
       "extendable catalogue and from *_PORT names other containers of the "
       "namespace declare."},
      {kDeclaredShadowsService, Severity::kInfo,
       "A declared variable hides a Service variable",
       "env and envFrom win over Service variables, so this container is "
       "safe; a container or hook without the declaration is not."},
      {kEnvironmentSize, Severity::kError,
       "The environment nears or exceeds the execve limits",
       "Environment, command and args together are limited to ARG_MAX (2 "
       "MiB with an 8 MiB stack) and each string to MAX_ARG_STRLEN (128 "
       "KiB); beyond, exec fails with argument list too long (E2BIG). "
       "Warning from half of a limit, error beyond it."},
      {kContainerRefused, Severity::kWarning,
       "The kubelet would refuse the container",
       "A referenced ConfigMap, Secret or key is missing from the inputs "
       "and the inventory (or a field is invalid). If it exists in the "
       "cluster, add it to the inventory."},
  };
  return *kRules;
}

int CheckResult::CountAtLeast(Severity severity) const {
  int n = 0;
  for (const Finding& f : findings) n += f.severity >= severity;
  return n;
}

int HelmInstallRank(absl::string_view kind) {
  constexpr int kCount = static_cast<int>(sizeof(kHelmInstallOrder) /
                                          sizeof(kHelmInstallOrder[0]));
  for (int i = 0; i < kCount; ++i) {
    if (kHelmInstallOrder[i] == kind) return i;
  }
  return kCount;
}

CheckResult Check(const Objects& objects, const Objects& inventory,
                  const CheckOptions& options) {
  return Checker(objects, inventory, options).Run();
}

}  // namespace svcenv
