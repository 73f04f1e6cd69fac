// `Check`: walks every container of every workload, analyses it as every
// command does (`Analyze`, container_analysis.h) against the read-only
// context (lib/check/internal/context.h) and runs each registered rule
// (lib/check/internal/rules.h) on the analysis. The driver owns one rule
// itself, container-refused, since it is where the analysis fails.
#include "svcenv/check.h"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lib/check/internal/context.h"
#include "lib/check/internal/grouper.h"
#include "lib/check/internal/reads.h"
#include "lib/check/internal/rules.h"
#include "svcenv/container_analysis.h"
#include "svcenv/container_env.h"
#include "svcenv/env_refusal.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace check_internal {

// Reported by the driver, where it computes the environment.
extern const RuleRegistration kContainerRefusedRule;
const RuleRegistration kContainerRefusedRule = {
    kContainerRefused, Severity::kWarning,
    "The kubelet would refuse the container",
    "A referenced ConfigMap, Secret or key is missing from the inputs and "
    "the inventory (or a field is invalid). If it exists in the cluster, "
    "add it to the inventory.",
    /*check_spec=*/nullptr,
    /*check=*/nullptr};

}  // namespace check_internal

namespace {

using check_internal::CheckContext;
using check_internal::ContainerCase;

// A copy of `pod` in which every ConfigMap and Secret reference is optional,
// so that the rest of the check can go on where the kubelet would refuse.
Pod Relaxed(const Pod& pod) {
  Pod relaxed = pod;
  for (auto* list : {&relaxed.containers, &relaxed.init_containers,
                     &relaxed.ephemeral_containers}) {
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

// A ConfigMap or Secret the caller could not read or keeps elsewhere
// (CheckOptions): not known to be missing.
bool IsUnknownObject(const CheckOptions& options, const Refusal& refusal) {
  return IsObjectKeptElsewhere(refusal, options.secrets_unknown,
                               options.config_maps_unknown);
}

// The container of `relaxed` (a copy of `pod`) where `original` is in `pod`.
const Container& Counterpart(const Pod& pod, const Pod& relaxed,
                             const Container& original) {
  const std::vector<Container>* lists[] = {
      &pod.containers, &pod.init_containers, &pod.ephemeral_containers};
  const std::vector<Container>* copies[] = {&relaxed.containers,
                                            &relaxed.init_containers,
                                            &relaxed.ephemeral_containers};
  for (int i = 0; i < 3; ++i) {
    const Container* first = lists[i]->data();
    if (&original >= first && &original < first + lists[i]->size()) {
      return (*copies[i])[&original - first];
    }
  }
  return original;  // Not reached: `original` is one of `pod`'s.
}

// What to change so that the kubelet starts the container, by reason.
std::string RefusalHint(const std::optional<Refusal>& refusal) {
  switch (refusal.has_value() ? refusal->reason
                              : RefusalReason::kObjectNotFound) {
    case RefusalReason::kKeyNotFound:
      return "add the key to the object (or to its copy in --inventory), or "
             "mark the reference optional";
    case RefusalReason::kBadFieldPath:
      return "use a fieldPath the kubelet resolves (metadata.name, "
             "metadata.namespace, metadata.labels['KEY'], spec.nodeName, "
             "status.podIP, ...)";
    case RefusalReason::kBadResourceField:
      return "use a resource the kubelet resolves (limits.cpu, "
             "requests.memory, ...) of a container the pod has";
    case RefusalReason::kBadQuantity:
      return "use a quantity the kubelet can compute with (a smaller "
             "divisor or limit)";
    default:
      return "create the missing object (or add it to --inventory), or mark "
             "the reference optional";
  }
}

// The registry's functions of one kind (`member`), each once, in registry
// order: rules that share their work share a function.
template <typename Check>
std::vector<Check> DistinctChecks(
    Check check_internal::RuleRegistration::*member) {
  std::vector<Check> checks;
  for (const check_internal::RuleRegistration* r :
       check_internal::Registry()) {
    const Check check = r->*member;
    if (check != nullptr &&
        std::find(checks.begin(), checks.end(), check) == checks.end())
      checks.push_back(check);
  }
  return checks;
}

const std::vector<check_internal::SpecCheck>& SpecChecks() {
  static const auto* const kChecks =
      new std::vector<check_internal::SpecCheck>(
          DistinctChecks(&check_internal::RuleRegistration::check_spec));
  return *kChecks;
}

const std::vector<check_internal::EnvironmentCheck>& EnvironmentChecks() {
  static const auto* const kChecks =
      new std::vector<check_internal::EnvironmentCheck>(
          DistinctChecks(&check_internal::RuleRegistration::check));
  return *kChecks;
}

void CheckContainer(const CheckContext& context, const Pod& pod,
                    const Container& original,
                    std::vector<Finding>* findings) {
  const size_t first_finding = findings->size();
  // On the container as written: reported even when the rest cannot run.
  for (check_internal::SpecCheck check : SpecChecks())
    check(context, pod, original, findings);
  for (auto it = findings->begin() + first_finding; it != findings->end(); ++it)
    check_internal::Suppress(context, pod, &*it);
  const size_t first_environment_finding = findings->size();
  const bool links = pod.enable_service_links.value_or(true);
  const std::shared_ptr<const ServiceEnvironment> full =
      context.ServicesFor(pod.meta.namespace_name, links);
  // A refused container becomes a finding; the rest of the check goes on
  // with every ConfigMap and Secret reference made optional.
  Pod relaxed;
  const Pod* subject = &pod;
  const Container* container = &original;
  bool partial = false;
  absl::StatusOr<ContainerAnalysis> analysis =
      context.Analyze(pod, original, full);
  std::string refusal_message;
  if (!analysis.ok()) refusal_message = std::string(analysis.status().message());
  std::optional<Refusal> refusal = RefusalFromStatus(analysis.status());
  // An object the caller could not read is not known to be missing: only a
  // refusal that remains without those is one.
  if (!analysis.ok() && refusal.has_value() &&
      IsUnknownObject(context.options(), *refusal)) {
    absl::StatusOr<ContainerAnalysis> unknown =
        context.Analyze(pod, original, full, /*partial=*/true);
    if (unknown.ok()) {
      const Refusal* real = nullptr;
      for (const Refusal& r : unknown->environment.refusals()) {
        if (!IsUnknownObject(context.options(), r)) {
          real = &r;
          break;
        }
      }
      if (real == nullptr) {
        analysis = std::move(unknown);
        partial = true;
      } else {
        refusal_message = real->message;
        refusal = *real;
      }
    }
  }
  if (!analysis.ok()) {
    Finding f = check_internal::MakeFinding(
        pod, original, check_internal::kContainerRefused, Severity::kWarning,
        0);
    f.message =
        absl::StrCat("the kubelet would refuse to start it: ", refusal_message);
    f.hint = RefusalHint(refusal);
    findings->push_back(std::move(f));
    relaxed = Relaxed(pod);
    subject = &relaxed;
    container = &Counterpart(pod, relaxed, original);
    analysis = context.Analyze(relaxed, *container, full);
    if (!analysis.ok()) return;
    partial = true;
  }
  const check_internal::ContainerReads reads =
      check_internal::ComputeReads(original, analysis->environment);
  const ContainerCase c{pod,   original, *subject,  *container,
                        links, partial,  *analysis, reads};
  for (check_internal::EnvironmentCheck check : EnvironmentChecks())
    check(context, c, findings);
  for (auto it = findings->begin() + first_environment_finding;
       it != findings->end(); ++it)
    check_internal::Suppress(context, pod, &*it);
  // Within a container, by line.
  std::stable_sort(findings->begin() + first_finding, findings->end(),
                   [](const Finding& a, const Finding& b) {
                     return a.origin.line < b.origin.line;
                   });
}

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

int CheckResult::CountAtLeast(Severity severity) const {
  int n = 0;
  for (const Finding& f : findings) {
    n += f.suppression == SuppressionKind::kNone && f.severity >= severity;
  }
  for (Severity hidden_severity : hidden_severities)
    n += hidden_severity >= severity;
  return n;
}

void HideBelow(Severity shown, CheckResult* result) {
  result->shown_severity = shown;
  std::vector<Finding> kept;
  for (Finding& f : result->findings) {
    if (f.suppression == SuppressionKind::kNone && f.severity < shown) {
      result->hidden_severities.push_back(f.severity);
    } else {
      kept.push_back(std::move(f));
    }
  }
  result->findings = std::move(kept);
}

CheckResult Check(const Objects& objects, const Objects& inventory,
                  const CheckOptions& options) {
  const CheckContext context(objects, inventory, options);
  CheckResult result;
  result.services = context.real_service_count();
  // Grouped as they are produced: on a live dump the per-container findings
  // (thousands, one per container of a Deployment) never all exist at once.
  std::optional<check_internal::FindingGrouper> grouper;
  if (options.group_by_owner) grouper.emplace(objects);
  std::vector<Finding> container_findings;
  auto check_container = [&](const Pod& pod, const Container& c) {
    ++result.containers;
    if (!grouper.has_value()) {
      CheckContainer(context, pod, c, &result.findings);
      return;
    }
    container_findings.clear();
    CheckContainer(context, pod, c, &container_findings);
    for (Finding& f : container_findings) grouper->Add(std::move(f));
  };
  for (const Pod& pod : objects.pods) {
    ++result.workloads;
    // By address: a container's list says which statuses are its own.
    for (const Container& c : pod.init_containers) check_container(pod, c);
    for (const Container& c : pod.containers) check_container(pod, c);
    // `kubectl debug` containers (in a dump of a live pod).
    for (const Container& c : pod.ephemeral_containers) check_container(pod, c);
  }
  if (grouper.has_value()) result.findings = grouper->Finish();
  return result;
}

}  // namespace svcenv
