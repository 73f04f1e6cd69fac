// One analysis of a container (see container_analysis.h).
#include "svcenv/container_analysis.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/base/status_macros.h"
#include "svcenv/env_json.h"
#include "svcenv/pending_cluster_ip.h"

namespace svcenv {
namespace {

std::string Refs(const std::vector<std::string>& names) {
  return absl::StrJoin(names, ", ", [](std::string* o, const std::string& n) {
    absl::StrAppend(o, "$(", n, ")");
  });
}

bool HasMasterService(const std::vector<Service>& services) {
  return std::any_of(services.begin(), services.end(), IsMasterService);
}

// The late, same-second and never-created Services among those visible to
// a container that started at `start`.
void LateServices(const std::vector<const Service*>& visible,
                  const Container& container, const ContainerStart& start,
                  bool as_running, ContainerAnalysis* out) {
  if (!start.at.has_value()) return;
  for (const Service* s : visible) {
    const ServicePresence presence = PresenceAtStart(*s, start);
    Diagnostic d;
    d.services = {s};
    d.container = container.name;
    d.start = start;
    d.left_out = as_running;
    if (!s->meta.creation_timestamp.has_value()) {
      if (presence != ServicePresence::kAbsent) continue;
      d.kind = DiagnosticKind::kNeverCreatedService;
    } else if (presence == ServicePresence::kAbsent) {
      d.kind = DiagnosticKind::kLateService;
    } else if (presence == ServicePresence::kSameSecond) {
      d.kind = DiagnosticKind::kSameSecondService;
      d.left_out = false;
    } else {
      continue;
    }
    if (d.kind != DiagnosticKind::kSameSecondService) {
      out->late_services.push_back(s);
    }
    out->diagnostics.push_back(std::move(d));
  }
}

void ContainerDiagnostics(const Container& container,
                          const SharedContainerEnvironment& env,
                          std::vector<Diagnostic>* out) {
  for (const std::string& w : env.warnings()) {
    Diagnostic d;
    d.kind = DiagnosticKind::kEnvironment;
    d.text = w;
    out->push_back(std::move(d));
  }
  for (const UnknownField& f : container.unknown_fields) {
    Diagnostic d;
    d.kind = DiagnosticKind::kUnknownField;
    d.container = container.name;
    d.field = f;
    out->push_back(std::move(d));
  }
  for (const SharedContainerEnvironment::OwnVariable& v : env.own()) {
    if (v.unresolved_references.empty()) continue;
    Diagnostic d;
    d.kind = DiagnosticKind::kLiteralReference;
    d.container = container.name;
    d.variable = v.name;
    d.index = v.source.index;
    d.references = v.unresolved_references;
    out->push_back(std::move(d));
  }
  if (!env.unresolved_command_references().empty()) {
    Diagnostic d;
    d.kind = DiagnosticKind::kLiteralReference;
    d.container = container.name;
    d.references = env.unresolved_command_references();
    out->push_back(std::move(d));
  }
}

// The environment over `block`, and the container's diagnostics after
// those already in `out`: its clashes (names it does not set itself), the
// environment's warnings, unknown fields, literal references.
absl::Status ComputeInto(const Pod& pod, const Container& container,
                         std::shared_ptr<const ServiceEnvironment> block,
                         const ObjectLookup& lookup,
                         const AnalysisOptions& options,
                         ContainerAnalysis* out) {
  absl::StatusOr<SharedContainerEnvironment> env = ComputeEnvironment(
      pod, container, std::move(block), lookup, options.environment);
  if (!env.ok()) return env.status();
  out->environment = *std::move(env);
  for (const ServiceClash* clash : out->environment.clashes()) {
    Diagnostic d;
    d.kind = DiagnosticKind::kServiceClash;
    d.clash = *clash;
    out->diagnostics.push_back(std::move(d));
  }
  ContainerDiagnostics(container, out->environment, &out->diagnostics);
  return absl::OkStatus();
}

}  // namespace

std::string DescribeUnknownField(const UnknownField& field, bool with_line) {
  return absl::StrCat(
      field.path, " is not a field",
      field.suggestion.empty()
          ? ""
          : absl::StrCat(" (did you mean ", field.suggestion, "?)"),
      with_line && field.line > 0 ? absl::StrCat(" at line ", field.line) : "",
      ": kubectl --validate=strict refuses the object (strict is kubectl "
      "apply's default); with --validate=false the API server drops the "
      "field, and so does svcenv");
}

std::string Diagnostic::Describe() const {
  switch (kind) {
    case DiagnosticKind::kMissingMasterService:
      return "the input has no Service default/kubernetes: in a cluster every "
             "container also gets its KUBERNETES_* variables (add the output "
             "of `kubectl get service kubernetes -n default -o yaml` to the "
             "inputs)";
    case DiagnosticKind::kPendingClusterIp: {
      std::vector<std::string> names;
      for (const Service* s : services) {
        names.push_back(absl::StrCat(s->meta.namespace_name, "/", s->meta.name));
      }
      const bool one = names.size() == 1;
      // One line for all of them: a manifest set typically has many.
      return absl::StrCat(
          one ? "Service " : absl::StrCat(names.size(), " Services "),
          absl::StrJoin(names, ", "), one ? " has" : " have",
          " no clusterIP yet: the API server allocates one when ",
          one ? "it is" : "they are", " created; ", one ? "its" : "their",
          " variables show ", kPendingClusterIp);
    }
    case DiagnosticKind::kLateService:
    case DiagnosticKind::kNeverCreatedService:
      return absl::StrCat(DescribePresence(*services[0],
                                           ServicePresence::kAbsent, start,
                                           container),
                          left_out ? " (left out: --as-running)" : "");
    case DiagnosticKind::kSameSecondService:
      return DescribePresence(*services[0], ServicePresence::kSameSecond,
                              start, container);
    case DiagnosticKind::kServiceWithoutVariables:
    case DiagnosticKind::kEnvironment:
      return text;
    case DiagnosticKind::kServiceClash:
      return clash.has_value() ? DescribeClash(*clash) : text;
    case DiagnosticKind::kUnknownField:
      return absl::StrCat("container ", container, ": ",
                          DescribeUnknownField(field, /*with_line=*/true));
    case DiagnosticKind::kLiteralReference: {
      const bool one = references.size() == 1;
      if (variable.empty()) {
        return absl::StrCat("command/args of container ", container, ": ",
                            Refs(references), one ? " stays" : " stay",
                            " literal: the container's environment does not "
                            "define ",
                            one ? "it" : "them");
      }
      return absl::StrCat(
          index >= 0 ? absl::StrCat("env[", index, "] ") : "", variable, ": ",
          Refs(references), one ? " stays" : " stay",
          " literal: nothing defines ", one ? "it" : "them",
          " before this entry (the kubelet expands against envFrom, earlier "
          "env entries and Service variables), so the container gets the "
          "text as written");
    }
  }
  return text;
}

AnalysisInputs::AnalysisInputs(Objects* objects)
    : objects_(objects),
      pending_(StandInPendingClusterIps(&objects->services)),
      lookup_(*objects) {}

ServiceAnalysis AnalyzeServices(const AnalysisInputs& inputs,
                                const std::string& namespace_name,
                                bool enable_service_links) {
  ServiceAnalysis out;
  const std::vector<Service>& all = inputs.objects().services;
  if (!HasMasterService(all)) {
    Diagnostic d;
    d.kind = DiagnosticKind::kMissingMasterService;
    out.diagnostics.push_back(std::move(d));
  }
  Diagnostic pending;
  pending.kind = DiagnosticKind::kPendingClusterIp;
  for (const Service* s :
       VisibleServices(all, namespace_name, enable_service_links)) {
    if (std::find(inputs.pending().begin(), inputs.pending().end(), s) !=
        inputs.pending().end()) {
      pending.services.push_back(s);
    }
  }
  if (!pending.services.empty()) out.diagnostics.push_back(std::move(pending));
  auto services = std::make_shared<ServiceEnvironment>(
      ComputeServiceEnvironment(all, namespace_name, enable_service_links));
  for (const std::string& text : services->diagnostics) {
    Diagnostic d;
    d.kind = DiagnosticKind::kServiceWithoutVariables;
    d.text = text;
    out.diagnostics.push_back(std::move(d));
  }
  for (const ServiceClash& clash : services->clashes) {
    Diagnostic d;
    d.kind = DiagnosticKind::kServiceClash;
    d.clash = clash;
    out.diagnostics.push_back(std::move(d));
  }
  out.services = std::move(services);
  return out;
}

absl::StatusOr<ContainerAnalysis> Analyze(const AnalysisInputs& inputs,
                                          const Pod& pod,
                                          const Container& container,
                                          const AnalysisOptions& options) {
  const bool links = pod.enable_service_links.value_or(true);
  ServiceAnalysis services =
      AnalyzeServices(inputs, pod.meta.namespace_name, links);
  ContainerAnalysis out;
  out.start = StartOfContainer(pod, container);
  out.services = services.services;
  // Inputs first (default/kubernetes, pending IPs), then late Services,
  // then the block's Services without variables; clashes are the
  // container's own (names it does not set itself).
  std::vector<Diagnostic> block_diagnostics;
  for (Diagnostic& d : services.diagnostics) {
    if (d.kind == DiagnosticKind::kMissingMasterService ||
        d.kind == DiagnosticKind::kPendingClusterIp) {
      out.diagnostics.push_back(std::move(d));
    } else if (d.kind == DiagnosticKind::kServiceWithoutVariables) {
      block_diagnostics.push_back(std::move(d));
    }
  }
  LateServices(
      VisibleServices(inputs.objects().services, pod.meta.namespace_name,
                      links),
      container, out.start, options.as_running, &out);
  for (Diagnostic& d : block_diagnostics) out.diagnostics.push_back(std::move(d));
  std::shared_ptr<const ServiceEnvironment> block = out.services;
  if (options.as_running && !out.late_services.empty()) {
    // The block points into its Services: one allocation keeps both, and
    // the environment's shared block keeps it alive.
    struct RunningBlock {
      std::vector<Service> services;
      ServiceEnvironment block;
    };
    auto running = std::make_shared<RunningBlock>();
    running->services = ServicesAtStart(inputs.objects().services, out.start);
    running->block = ComputeServiceEnvironment(
        running->services, pod.meta.namespace_name, links);
    block = std::shared_ptr<const ServiceEnvironment>(running, &running->block);
  }
  SVCENV_RETURN_IF_ERROR(ComputeInto(pod, container, std::move(block),
                                     inputs.lookup(), options, &out));
  return out;
}

absl::StatusOr<ContainerAnalysis> Analyze(
    std::shared_ptr<const ServiceEnvironment> services,
    const ObjectLookup& lookup, const Pod& pod, const Container& container,
    const AnalysisOptions& options) {
  ContainerAnalysis out;
  out.start = StartOfContainer(pod, container);
  out.services = services;
  if (options.block_diagnostics) {
    for (const std::string& text : services->diagnostics) {
      Diagnostic d;
      d.kind = DiagnosticKind::kServiceWithoutVariables;
      d.text = text;
      out.diagnostics.push_back(std::move(d));
    }
  }

  SVCENV_RETURN_IF_ERROR(
      ComputeInto(pod, container, std::move(services), lookup, options, &out));
  return out;
}

}  // namespace svcenv
