// `svcenv why NAME`: every source that set one variable of a container, in
// the kubelet's order, or why the container lacks it. The facts come from
// the library (svcenv/variable_why.h); this file only words them.
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/base/status_macros.h"
#include "nlohmann/json.hpp"
#include "svcenv/container_analysis.h"
#include "svcenv/container_env.h"
#include "svcenv/container_start.h"
#include "svcenv/env_json.h"
#include "svcenv/pending_cluster_ip.h"
#include "svcenv/redaction.h"
#include "svcenv/service_env.h"
#include "svcenv/variable_why.h"
#include "tools/analysis_flags.h"
#include "tools/command.h"
#include "tools/commands.h"
#include "tools/env_render.h"
#include "tools/flags.h"
#include "tools/output.h"
#include "tools/pod_inputs.h"
#include "tools/pod_selection.h"

namespace svcenv::cli {
namespace {

// The -o formats, the default first.
const std::vector<Output>& Formats() {
  static const auto* const kFormats =
      new std::vector<Output>{Output::kText, Output::kJson, Output::kYaml};
  return *kFormats;
}

const std::vector<FlagSpec>& Specs() {
  static const auto* const kSpecs = [] {
    auto* specs = new std::vector<FlagSpec>(PodSelectionFlags());
    for (FlagSpec& f : LiveFlags()) specs->push_back(std::move(f));
    specs->insert(specs->end(), {
      OutputFlag(Formats(), "Output format"),
      {"show-secrets", 0, false, "", "Print Secret-derived values."},
    });
    for (FlagSpec& f : AnalysisFlags(/*as_running=*/false)) {
      specs->push_back(std::move(f));
    }
    specs->insert(specs->end(), {
      MaxInputBytesFlag(),
      HelpFlag(),
    });
    return specs;
  }();
  return *kSpecs;
}

constexpr char kHelp[] =
    R"(Usage: svcenv why [POD | KIND/NAME] NAME [-f FILE|DIR|- ...] [-n NS]
                  [-c CONTAINER] [-o text|json|yaml] [--show-secrets]
                  [--kubelet-version X.Y]
                  [--kubectl PATH] [--context NAME] [--kubeconfig FILE]

Why the container has the variable NAME, or why it does not. Lists every
source that set NAME in the kubelet's order (a Service variable, then the
envFrom sources, then the env entries; the last one wins, hiding the
others), the value each gave, the $(...) references the winner expanded or
left literal, the Service and port it came from and whether that Service was
created after the container started (the running container then lacks it),
and the other variables, command and args that refer to $(NAME).

Without the variable: the reasons the pod spec and the inputs give (a
Service of another namespace, enableServiceLinks: false, a Service without
a cluster IP, a missing ConfigMap, Secret or key).

Objects are read as `svcenv env` reads them: -f, or the cluster through
kubectl without -f.
Exit codes: 0 the container has NAME; 1 it does not; 2 bad usage or input.

)";

// `env[3] value`, `envFrom[0] ConfigMap shop/app key K`: the entry of the
// container spec and what it read.
std::string SourceWhere(const EnvSource& s) {
  switch (s.kind) {
    case SourceKind::kService:
      return DescribeSource(s);
    case SourceKind::kConfigMapEnvFrom:
    case SourceKind::kSecretEnvFrom:
      return absl::StrCat("envFrom[", s.index, "]",
                          s.prefix.empty() ? "" : " prefix " + s.prefix, " ",
                          DescribeSource(s));
    case SourceKind::kLiteral:
      return absl::StrCat("env[", s.index, "] value");
    case SourceKind::kEmpty:
      return absl::StrCat("env[", s.index, "] empty value");
    default:
      return absl::StrCat("env[", s.index, "] ", DescribeSource(s));
  }
}

absl::string_view AbsenceName(AbsenceKind kind) {
  switch (kind) {
    case AbsenceKind::kServiceInOtherNamespace:
      return "serviceInOtherNamespace";
    case AbsenceKind::kServiceLinksDisabled:
      return "serviceLinksDisabled";
    case AbsenceKind::kServiceWithoutClusterIp:
      return "serviceWithoutClusterIP";
    case AbsenceKind::kNoSuchServiceVariable:
      return "noSuchServiceVariable";
    case AbsenceKind::kObjectMissing:
      return "objectMissing";
    case AbsenceKind::kKeyMissing:
      return "keyMissing";
    case AbsenceKind::kNotDefined:
      return "notDefined";
  }
  return "";
}

std::string Refs(const std::vector<std::string>& names) {
  return absl::StrJoin(names, " ", [](std::string* o, const std::string& n) {
    absl::StrAppend(o, "$(", n, ")");
  });
}

absl::Status WhyCommand(const ParsedFlags& flags, Io& io) {
  SVCENV_ASSIGN_OR_RETURN(const Output format, ParseOutput(flags, Formats()));
  std::vector<std::string> pod_args = flags.positional();
  if (pod_args.empty()) {
    return absl::InvalidArgumentError(
        "name the variable: svcenv why [POD | KIND/NAME] NAME");
  }
  if (pod_args.size() > 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected [POD | KIND/NAME] NAME, got an extra argument \"",
        pod_args[2], "\""));
  }
  const std::string name = pod_args.back();
  pod_args.pop_back();
  AnalysisOptions analysis_options;
  analysis_options.environment.partial = true;
  analysis_options.environment.unscheduled_placeholders = true;
  SVCENV_RETURN_IF_ERROR(ApplyAnalysisFlags(flags, &analysis_options));
  const EnvironmentOptions& options = analysis_options.environment;
  SVCENV_ASSIGN_OR_RETURN(std::unique_ptr<PodInputs> inputs,
                          LoadPodInputs(flags, pod_args, false, options, io,
                                        "why"));
  Objects& objects = inputs->objects;
  const Pod& pod = *inputs->pod;
  const Container& container = *inputs->containers[0];
  // Every current Service, late ones included: `why` says which are late.
  const AnalysisInputs analysis_inputs(&objects);
  SVCENV_ASSIGN_OR_RETURN(
      const ContainerAnalysis analysis,
      Analyze(analysis_inputs, pod, container, analysis_options));
  WarningGroups warnings;
  warnings.AddBatch(inputs->warnings);
  std::vector<std::string> described;
  for (const Diagnostic& d : analysis.diagnostics) {
    described.push_back(d.Describe());
  }
  warnings.AddBatch(described);
  warnings.Print(io.program + " why", io.err);
  const ContainerEnvironment env = analysis.Explain();
  WhyInputs why_inputs;
  why_inputs.pod = &pod;
  why_inputs.container = &container;
  why_inputs.env = &env;
  why_inputs.services = analysis.services.get();
  why_inputs.objects = &objects;
  why_inputs.start = analysis.start;
  why_inputs.options = options;
  const VariableWhy why = ExplainVariable(name, why_inputs);

  const bool show = flags.Has("show-secrets");
  const Redactor redactor(env, show);
  const EnvEntry* entry = nullptr;
  for (const EnvEntry& e : env.env) {
    if (e.name == name) entry = &e;
  }
  auto candidate_value = [&](const WhyCandidate& c) -> std::optional<std::string> {
    if (c.wins && entry != nullptr) return redactor.Shown(*entry);
    if (!c.value.has_value()) return std::nullopt;
    if (c.source.IsSecret() && !show) {
      return SecretPlaceholder(c.source);
    }
    return c.value;
  };
  // An expansion's value, hidden when a Secret set that name.
  auto expansion_value = [&](const WhyExpansion& x) -> std::string {
    if (show) return x.value;
    if (x.source.IsSecret()) {
      return SecretPlaceholder(x.source);
    }
    for (const EnvEntry& e : env.env) {
      if (e.name == x.name && redactor.Hides(e)) return redactor.Shown(e);
    }
    return x.value;
  };
  // The running container's value, hidden as the final one is.
  auto running_value = [&]() -> std::string {
    if (!why.running_value.has_value()) return "";
    return entry != nullptr && redactor.Hides(*entry) ? redactor.Shown(*entry)
                                                      : *why.running_value;
  };
  const std::string started =
      why_inputs.start.at.has_value()
          ? absl::StrCat(" (", why_inputs.start.at->text, ")")
          : "";
  auto late_note = [&](const WhyCandidate& c) -> std::string {
    if (c.source.kind != SourceKind::kService || c.source.service == nullptr) {
      return "";
    }
    return DescribePresence(*c.source.service, c.presence, why_inputs.start,
                            container.name);
  };

  if (format == Output::kJson || format == Output::kYaml) {
    nlohmann::ordered_json doc;
    doc["pod"] = {{"namespace", pod.meta.namespace_name},
                  {"name", pod.workload_name}};
    doc["container"] = container.name;
    doc["name"] = name;
    doc["present"] = why.present;
    if (why.present && entry != nullptr) {
      doc["value"] = redactor.Shown(*entry);
      if (why.unknown) doc["unknown"] = true;
      if (why.runtime_only) doc["runtimeOnly"] = true;
    }
    doc["candidates"] = nlohmann::ordered_json::array();
    for (const WhyCandidate& c : why.candidates) {
      nlohmann::ordered_json item;
      item["source"] = EnvSourceJson(c.source);
      const std::optional<std::string> v = candidate_value(c);
      item["value"] = v.has_value() ? nlohmann::ordered_json(*v)
                                    : nlohmann::ordered_json();
      item["wins"] = c.wins;
      if (c.source.kind == SourceKind::kService) {
        item["lateService"] = c.presence == ServicePresence::kAbsent;
      }
      doc["candidates"].push_back(std::move(item));
    }
    doc["expanded"] = why.expanded_references;
    doc["expansions"] = nlohmann::ordered_json::array();
    for (const WhyExpansion& x : why.expansions) {
      nlohmann::ordered_json item;
      item["name"] = x.name;
      item["value"] = expansion_value(x);
      item["source"] = EnvSourceJson(x.source);
      if (x.source.kind == SourceKind::kService) {
        item["lateService"] = x.presence == ServicePresence::kAbsent;
        item["dockerLinkUrl"] = x.docker_link_url;
      }
      doc["expansions"].push_back(std::move(item));
    }
    if (why.running_value.has_value()) doc["runningValue"] = running_value();
    if (why.absent_when_running) doc["absentWhenRunning"] = true;
    doc["unresolved"] = why.unresolved_references;
    doc["referencedBy"] = nlohmann::ordered_json::array();
    for (const WhyReference& r : why.referenced_by) {
      doc["referencedBy"].push_back(
          {{"variable", r.variable}, {"expanded", r.expanded}});
    }
    doc["absence"] = nlohmann::ordered_json::array();
    for (const AbsenceReason& r : why.absence) {
      doc["absence"].push_back({{"reason", std::string(AbsenceName(r.kind))},
                                {"message", r.message}});
    }
    io.out << (format == Output::kYaml ? DumpYaml(doc) : DumpJson(doc) + "\n");
  } else if (why.present && entry != nullptr) {
    io.out << OneLine(name) << "=" << OneLine(redactor.Shown(*entry)) << "\n";
    if (why.unknown) {
      io.out << "  (a placeholder: the kubelet would refuse the container, "
                "see `svcenv env`)\n";
    }
    io.out << "Set by, in the kubelet's order (the last one wins):\n";
    for (size_t i = 0; i < why.candidates.size(); ++i) {
      const WhyCandidate& c = why.candidates[i];
      const std::optional<std::string> v = candidate_value(c);
      io.out << "  " << i + 1 << ". " << SourceWhere(c.source) << ": "
             << (v.has_value() ? OneLine(*v) : "(value not in the input)")
             << (c.wins ? "  <- wins" : "  (hidden)") << "\n";
      const std::string late = late_note(c);
      if (!late.empty()) io.out << "     " << late << "\n";
    }
    if (!why.candidates.empty() &&
        why.candidates.back().source.kind == SourceKind::kLiteral &&
        why.candidates.back().value.has_value()) {
      const EnvVar& written =
          container.env[why.candidates.back().source.index];
      if (written.value != entry->value) {
        io.out << "Written as: " << OneLine(written.value) << "\n";
      }
    }
    if (!why.expansions.empty()) {
      io.out << "Expands, as defined before this entry:\n";
      for (const WhyExpansion& x : why.expansions) {
        io.out << "  $(" << x.name << ") = " << OneLine(expansion_value(x))
               << "  from " << SourceWhere(x.source) << "\n";
        if (x.presence != ServicePresence::kPresent &&
            x.source.service != nullptr) {
          io.out << "     "
                 << DescribePresence(*x.source.service, x.presence,
                                     why_inputs.start, container.name)
                 << "\n";
        }
        if (x.docker_link_url && x.source.service != nullptr) {
          io.out << "     the Service's Docker-link URL, not a port or host: $("
                 << ServicePortVariable(x.source.service->meta.name)
                 << ") is its port (svcenv check: "
                    "service-url-in-value)\n";
        }
      }
    } else if (!why.expanded_references.empty()) {
      io.out << "Expands: " << Refs(why.expanded_references) << "\n";
    }
    if (why.running_value.has_value()) {
      io.out << "The running container has " << OneLine(name) << "="
             << OneLine(running_value())
             << " (a Service it reads was created after container "
             << container.name << " started" << started
             << "; a restart gives the value above)\n";
    }
    // absent_when_running: the winning Service candidate's note says so.
    if (!why.unresolved_references.empty()) {
      io.out << "Stays literal: " << Refs(why.unresolved_references)
             << " (nothing defines it before this entry)\n";
    }
  } else {
    io.out << "Container " << container.name << " of " << PodLabel(pod)
           << " has no " << OneLine(name) << ":\n";
    for (const AbsenceReason& r : why.absence) {
      io.out << "  - " << r.message << "\n";
    }
  }
  if (format == Output::kText && !why.referenced_by.empty()) {
    io.out << "Referred to by: "
           << absl::StrJoin(why.referenced_by, ", ",
                            [](std::string* o, const WhyReference& r) {
                              absl::StrAppend(o, r.variable,
                                              r.expanded ? " (expanded)"
                                                         : " (stays literal)");
                            })
           << "\n";
  }
  if (!why.present) {
    return absl::FailedPreconditionError(absl::StrCat(
        "container ", container.name, " of ", PodLabel(pod), " has no ",
        name));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<FlagSpec>& WhyFlags() { return Specs(); }

absl::Status RunWhy(const std::vector<std::string>& args, Io& io) {
  return RunWithFlags(args, Specs(), kHelp, io.out,
                      [&io](const ParsedFlags& flags) {
                        return WhyCommand(flags, io);
                      });
}

}  // namespace svcenv::cli
