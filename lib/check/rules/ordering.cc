// service-after-workload and service-after-start: a Service that does not
// exist yet when a container starts is missing from its environment until
// the container restarts.
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "lib/check/internal/context.h"
#include "lib/check/internal/rules.h"
#include "svcenv/check.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv::check_internal {
namespace {

// A Service missing from a container, for grouped findings.
struct LateService {
  const Service* service;
  size_t variables;                  // How many of its variables are missing.
  std::string first_variable;        // In the kubelet's order.
  std::vector<std::string> literal;  // `$(X) in env Y` left literal.
};

// Up to five Services, then how many more.
std::string ListServices(const CheckContext& context,
                         const std::vector<LateService>& group,
                         bool with_time = false) {
  constexpr size_t kShown = 5;
  std::vector<std::string> parts;
  for (size_t i = 0; i < group.size() && i < kShown; ++i) {
    const Service& s = *group[i].service;
    std::string part = context.DescribeService(s);
    if (with_time && absl::EndsWith(part, ")")) {
      part.pop_back();
      // "Service ns/name (where, created T)", as env's warning names it.
      absl::StrAppend(&part,
                      s.meta.creation_timestamp.has_value()
                          ? absl::StrCat(", created ",
                                         s.meta.creation_timestamp->text)
                          : std::string(", not created yet"),
                      ")");
    }
    parts.push_back(std::move(part));
  }
  std::string out = absl::StrJoin(parts, ", ");
  if (group.size() > kShown)
    absl::StrAppend(&out, " and ", group.size() - kShown, " more Services");
  return out;
}

// "its 7 variables (X_SERVICE_HOST, ...) are" / "their 14 variables ... are".
std::string Variables(const std::vector<LateService>& group) {
  size_t total = 0;
  for (const LateService& l : group) total += l.variables;
  return absl::StrCat(group.size() == 1 ? "its " : "their ", total,
                      " variables (", group.front().first_variable,
                      ", ...) are");
}

void ReportLive(const CheckContext& context, const Pod& pod,
                const Container& container, const StartSet& start,
                const std::vector<LateService>& group, bool same_second,
                std::vector<Finding>* findings) {
  if (group.empty()) return;
  Finding f =
      MakeFinding(pod, container, kServiceAfterStart, Severity::kWarning, 0);
  std::string variables = Variables(group);
  // The words of env's warnings (DescribePresence, container_start.h), for
  // a group of Services and with their variables counted.
  if (same_second) {
    absl::StrReplaceAll({{") are", ") may be"}}, &variables);
    f.message = absl::StrCat(
        ListServices(context, group, /*with_time=*/true),
        group.size() == 1 ? " was" : " were",
        " created in the same second the container started: ", variables,
        " missing until a restart");
  } else {
    f.message = absl::StrCat(
        ListServices(context, group, /*with_time=*/true),
        group.size() == 1 ? " is" : " are",
        " newer than the container (started ", start.start_text, "): ",
        variables, " missing from it; a restart would add them");
  }
  std::vector<std::string> literal;
  for (const LateService& l : group)
    literal.insert(literal.end(), l.literal.begin(), l.literal.end());
  if (!literal.empty()) {
    absl::StrAppend(&f.message, "; ", absl::StrJoin(literal, ", "),
                    same_second ? " may have stayed literal" : " stayed literal");
  }
  f.variable = group.front().first_variable;
  f.hint =
      "restart the workload (kubectl rollout restart), or read the address "
      "from DNS instead of Service variables";
  for (const LateService& l : group) f.related.push_back(Related(*l.service));
  findings->push_back(std::move(f));
}

// Manifests: one finding for the late Services without references.
void ReportManifest(const CheckContext& context, const Pod& pod,
                    const Container& container,
                    const std::vector<LateService>& group, bool race,
                    std::vector<Finding>* findings) {
  if (group.empty()) return;
  Finding f = MakeFinding(pod, container, kServiceAfterWorkload,
                          race ? Severity::kInfo : Severity::kWarning, 0);
  std::string variables = Variables(group);
  if (race) {
    absl::StrReplaceAll({{") are", ") may be"}}, &variables);
    f.message = absl::StrCat(
        ListServices(context, group), group.size() == 1 ? " comes" : " come",
        " after this workload in the same apply: ", variables,
        " missing at first start if the container starts before ",
        group.size() == 1 ? "it exists" : "they exist",
        "; a restart would add them");
  } else {
    f.message = absl::StrCat(
        ListServices(context, group), group.size() == 1 ? " is" : " are",
        " applied in a later step, after this workload: ", variables,
        " missing at first start; a restart would add them");
  }
  if (race) {
    f.hint =
        "apply Services before workloads (put them first, or use --order "
        "helm or argocd if Helm or Argo CD applies this)";
  } else {
    f.hint =
        "apply the Services in the same or an earlier step than the workload "
        "(sync wave, hook phase or hook weight), or use their DNS names";
  }
  f.variable = group.front().first_variable;
  for (const LateService& l : group) f.related.push_back(Related(*l.service));
  findings->push_back(std::move(f));
}

}  // namespace

extern const RuleRegistration kServiceAfterWorkloadRule;
const RuleRegistration kServiceAfterWorkloadRule = {
    kServiceAfterWorkload, Severity::kError,
    "A Service is applied after a workload of its namespace",
    "The kubelet reads the Services of the namespace when a container "
    "starts. A Service created later is missing from its environment until "
    "it restarts, silently, and a $(...) reference to one of its "
    "variables stays literal. Applied in a later step (a Helm hook or an "
    "Argo CD sync wave that waits for this one): error with a reference, "
    "warning without. Later in the same apply it is a race the Service "
    "usually wins: warning with a reference, info without. Apply "
    "Services first, or use DNS names.",
    /*check_spec=*/nullptr,
    /*check=*/&CheckOrdering};

extern const RuleRegistration kServiceAfterStartRule;
const RuleRegistration kServiceAfterStartRule = {
    kServiceAfterStart, Severity::kWarning,
    "A Service was created after a running container started",
    "The container lacks the Service's variables until it restarts "
    "(kubernetes/kubernetes#5184, #127463). A Service created within the "
    "second the container started may be missing.",
    /*check_spec=*/nullptr,
    /*check=*/&CheckOrdering};

void CheckOrdering(const CheckContext& context, const ContainerCase& c,
                   std::vector<Finding>* findings) {
  const Pod& pod = c.subject_pod;
  const Container& container = c.subject_container;
  const bool links = c.links;
  const SharedContainerEnvironment& env_full = c.analysis.environment;
  std::optional<StartSet> start = context.StartOf(pod, container);
  if (!start.has_value()) return;
  const std::vector<const Service*> late =
      context.LateServices(pod, links, *start);
  if (late.empty()) return;
  std::set<std::string> own;
  for (const SharedContainerEnvironment::OwnVariable& v : env_full.own())
    own.insert(v.name);
  std::set<std::string> unresolved_full(
      env_full.unresolved_command_references().begin(),
      env_full.unresolved_command_references().end());

  // Per late Service, the variables the container lacks, in the kubelet's
  // order (so that `_SERVICE_HOST` comes first).
  struct Missing {
    const Service* service;
    std::set<std::string> names;
    std::vector<std::string> in_order;
  };
  std::vector<Missing> missing_by_service;
  std::set<std::string> missing_anywhere;
  for (const Service* service : late) {
    std::vector<ServiceVariable> vars;
    if (!AppendServiceVariables(*service, &vars).ok()) continue;
    Missing m{service, {}, {}};
    for (const ServiceVariable& v : vars) {
      if (own.count(v.name) == 0 && m.names.insert(v.name).second) {
        m.in_order.push_back(v.name);
        missing_anywhere.insert(v.name);
      }
    }
    if (!m.names.empty()) missing_by_service.push_back(std::move(m));
  }
  if (missing_by_service.empty()) return;

  // The environment at first start tells which `$(...)` references stayed
  // literal. Only a reference that expanded to a late Service's variable
  // (or one in command/args) can have, so the other containers skip
  // computing it; the first-start Service block is shared by the containers
  // that started in the same second (or apply step).
  bool may_reference = false;
  for (const SharedContainerEnvironment::OwnVariable& v : env_full.own()) {
    for (const std::string& ref : v.expanded_references)
      may_reference |= missing_anywhere.count(ref) > 0;
  }
  for (const auto* list : {&container.command, &container.args}) {
    for (const std::string& arg : *list)
      may_reference |= arg.find("$(") != std::string::npos;
  }
  std::optional<SharedContainerEnvironment> env_first;
  if (may_reference) {
    std::shared_ptr<const ServiceEnvironment> first =
        context.FirstStartServices(pod, container, links);
    if (first == nullptr) return;
    absl::StatusOr<ContainerAnalysis> computed =
        context.Analyze(pod, container, std::move(first),
                        /*partial=*/c.partial);  // As `c.analysis` was.
    if (!computed.ok()) return;
    env_first = std::move(computed->environment);
  }

  const ApplyPosition pod_position = context.PodPosition(pod);
  std::vector<LateService> after_group;
  std::vector<LateService> same_second_group;
  std::vector<LateService> race_group;  // Manifests: later in the same step.
  for (const Missing& m : missing_by_service) {
    const Service* service = m.service;
    const std::set<std::string>& missing = m.names;
    const std::vector<std::string>& missing_in_order = m.in_order;
    const ServiceFacts& facts = context.FactsOf(service);
    const bool same_second = start->live && facts.created.has_value() &&
                             *facts.created == start->start;
    // References that stay literal at first start but resolve later.
    struct Site {
      int line;
      std::string what;
      std::string name;
    };
    std::vector<Site> sites;
    for (size_t i = 0; env_first.has_value() && i < env_first->own().size();
         ++i) {
      const SharedContainerEnvironment::OwnVariable& entry = env_first->own()[i];
      for (const std::string& ref : entry.unresolved_references) {
        if (missing.count(ref) == 0) continue;
        sites.push_back({EnvLine(container, entry),
                         absl::StrCat("env ", entry.name), ref});
      }
    }
    if (env_first.has_value()) {
      for (const std::string& ref : env_first->unresolved_command_references()) {
        if (missing.count(ref) == 0 || unresolved_full.count(ref) > 0)
          continue;
        sites.push_back({container.line, "command/args", ref});
      }
    }
    const std::string subject = context.DescribeService(*service);
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
    // Manifests: one step (one `kubectl apply`, Helm's main manifest, one
    // sync wave) is sent in a burst, and the container starts seconds
    // later; a Service of the same step usually exists by then. A later
    // step waits for this one.
    const bool race = facts.position.SameStep(pod_position);
    if (sites.empty()) {
      (race ? race_group : after_group)
          .push_back({service, missing.size(), missing_in_order.front(), {}});
      continue;
    }
    for (const Site& site : sites) {
      Finding f = MakeFinding(pod, container, kServiceAfterWorkload,
                              race ? Severity::kWarning : Severity::kError,
                              site.line);
      f.message =
          race ? absl::StrCat("$(", site.name, ") in ", site.what,
                              " may stay literal at first start: ", subject,
                              " comes after this workload in the same apply; "
                              "if the container starts first, it stays "
                              "literal until a restart")
               : absl::StrCat("$(", site.name, ") in ", site.what,
                              " stays literal at first start: ", subject,
                              " is applied in a later step, after this "
                              "workload");
      f.hint = absl::StrCat(
          race ? "apply the Service before the workload"
               : "apply the Service in the same or an earlier step than the "
                 "workload (sync wave, hook phase or hook weight)",
          ", or use its DNS name (", service->meta.name, ".",
          service->meta.namespace_name, ".svc) instead of the variable");
      f.variable = site.name;
      f.related.push_back(Related(*service));
      findings->push_back(std::move(f));
    }
  }
  if (start->live) {
    ReportLive(context, pod, container, *start, after_group,
               /*same_second=*/false, findings);
    ReportLive(context, pod, container, *start, same_second_group,
               /*same_second=*/true, findings);
  } else {
    ReportManifest(context, pod, container, after_group, /*race=*/false,
                   findings);
    ReportManifest(context, pod, container, race_group, /*race=*/true,
                   findings);
  }
}

}  // namespace svcenv::check_internal
