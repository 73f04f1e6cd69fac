// `svcenv env`: printenv for a pod that never ran.
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/base/status_macros.h"
#include "nlohmann/json.hpp"
#include "svcenv/container_analysis.h"
#include "svcenv/container_env.h"
#include "svcenv/container_start.h"
#include "svcenv/decode.h"
#include "svcenv/env_refusal.h"
#include "svcenv/kubelet_version.h"
#include "svcenv/object_lookup.h"
#include "svcenv/redaction.h"
#include "svcenv/service_env.h"
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
      new std::vector<Output>{Output::kEnv, Output::kExport,
                              Output::kJson, Output::kYaml};
  return *kFormats;
}

const std::vector<FlagSpec>& Specs() {
  static const auto* const kSpecs = [] {
    auto* specs = new std::vector<FlagSpec>(PodSelectionFlags());
    for (FlagSpec& f : LiveFlags()) specs->push_back(std::move(f));
    specs->insert(specs->end(), {
      {"all-containers", 0, false, "",
       "Every init container, every container, then every ephemeral one."},
      OutputFlag(Formats(), "Output format"),
      {"null", '0', false, "",
       "With -o env: end each NAME=value with a NUL byte instead of a "
       "newline, values unescaped (as `env -0`)."},
      {"explain", 0, false, "",
       "A table of name, value, source, what it shadows, unresolved $(...)."},
      {"show-secrets", 0, false, "", "Print Secret-derived values."},
      {"wide", 0, false, "",
       "With --explain: whole values (default: cut at 48 characters)."},
      {"quiet", 'q', false, "",
       "Leave out the two notes manifests always give: no Service "
       "default/kubernetes in the input, Services without a cluster IP "
       "yet."},
    });
    for (FlagSpec& f : ExternalObjectFlags()) specs->push_back(std::move(f));
    for (FlagSpec& f : AnalysisFlags(/*as_running=*/true)) {
      specs->push_back(std::move(f));
    }
    specs->insert(specs->end(), {
      MaxInputBytesFlag(),
      StrictKeysFlag(),
      HelpFlag(),
    });
    return specs;
  }();
  return *kSpecs;
}

constexpr char kHelp[] =
    R"(Usage: svcenv env [POD | KIND/NAME] [-f FILE|DIR|- ...] [-n NS]
                  [-c CONTAINER | --all-containers] [-o env|export|json|yaml] [-0]
                  [--explain [--wide]] [-q|--quiet] [--show-secrets] [--kubelet-version X.Y] [--as-running]
                  [--secrets input|external] [--configmaps input|external]
                  [--live] [--kubectl PATH] [--context NAME] [--kubeconfig FILE]

Prints the environment the kubelet gives a container: Service variables,
envFrom, env with $(VAR) expansion, exactly as the kubelet builds it, without
running anything. The pod is a Pod or any workload's pod template
(Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
CronJob); with one such object in the input its name may be omitted.
`kubectl get pods,svc,cm,secrets,nodes -A -o json` output works as is.

Without -f, at a terminal or with --live, --context or --kubeconfig, it reads the
cluster (live mode): `kubectl get` for the pod (or
workload), the Services of its namespace and default/kubernetes, the
ConfigMaps and Secrets it references and, when the downward API needs it,
its Node; --context, --kubeconfig and -n are passed to kubectl. Nothing is
written. An object you may not read (Forbidden) prints as placeholders with
a warning, and the exit code is 1. Without -f and with standard input not
a terminal (a pipe; /dev/null in CI) the objects are read from standard
input, with a note on stderr: a cluster is read only when asked for.
With --secrets external (--configmaps external) a Secret (ConfigMap) that
is not in the input is taken to exist outside it: its values print as
placeholders and it is no refusal (exit 0).

Secret-derived values print as <secret NS/NAME key KEY> unless --show-secrets.
-o env escapes a backslash as \\, a newline as \n and a NUL byte as \0, so
every line is one variable and no two values print alike; -0 prints them raw.
-o json and -o yaml hold one object, or an array with --all-containers.
Exit codes: 0 environment printed; 1 the kubelet would refuse the container
(missing ConfigMap, Secret or key; bad quantity): the environment is still
printed, <unknown: ...> standing in for what cannot be known, and stderr
gives the kubelet's event text; 2 bad usage or input.

)";

// How `svcenv env` shows its containers: its flags, read and checked once.
struct EnvView {
  Output format = Output::kEnv;
  bool null = false;     // -0
  bool explain = false;  // --explain
  bool wide = false;     // --explain --wide
  bool quiet = false;    // Without the two notes of every manifest run.
  bool show_secrets = false;
  bool secrets_external = false;     // --secrets external
  bool config_maps_external = false;  // --configmaps external
  bool multi = false;  // Several containers: each headed by its name.
};

absl::StatusOr<EnvView> ParseView(const ParsedFlags& flags) {
  EnvView view;
  SVCENV_ASSIGN_OR_RETURN(view.format, ParseOutput(flags, Formats()));
  view.null = flags.Has("null");
  view.explain = flags.Has("explain");
  view.wide = flags.Has("wide");
  view.quiet = flags.Has("quiet");
  view.show_secrets = flags.Has("show-secrets");
  if (view.null && (view.format != Output::kEnv || view.explain)) {
    return absl::InvalidArgumentError("-0 applies to -o env only");
  }
  if (view.explain && view.format != Output::kEnv) {
    return absl::InvalidArgumentError("--explain prints a table; drop -o");
  }
  if (view.wide && !view.explain) {
    return absl::InvalidArgumentError("--wide applies to --explain only");
  }
  SVCENV_ASSIGN_OR_RETURN(const ExternalObjects external,
                          ParseExternalObjects(flags));
  view.secrets_external = external.secrets.value_or(false);
  view.config_maps_external = external.config_maps.value_or(false);
  return view;
}

// One container's analysis as `env` reports it: the explained environment,
// the warnings (the pod's, then the analysis's and the view's own), and why
// the kubelet would refuse it, if it would (the environment then holds
// placeholders).
struct ContainerReport {
  // Owns what `env` points into (the Service block; with --as-running, the
  // Services at the container's start).
  ContainerAnalysis analysis;
  ContainerEnvironment env;
  std::vector<std::string> warnings;
  std::vector<std::string> refusals;
};

absl::StatusOr<ContainerReport> ReportContainer(
    const Pod& pod, const Container& container,
    const AnalysisInputs& analysis_inputs, const AnalysisOptions& options,
    const PodInputs& inputs, const EnvView& view) {
  ContainerReport report;
  report.warnings = inputs.warnings;
  absl::StatusOr<ContainerAnalysis> computed =
      Analyze(analysis_inputs, pod, container, options);
  if (!computed.ok()) {
    const bool refused =
        computed.status().code() == absl::StatusCode::kFailedPrecondition;
    return absl::Status(
        computed.status().code(),
        absl::StrCat(refused ? "the kubelet would refuse container "
                             : "container ",
                     container.name, " of ", PodLabel(pod), ": ",
                     computed.status().message()));
  }
  for (const Diagnostic& d : computed->diagnostics) {
    // --quiet: the two notes every manifest run prints (no
    // default/kubernetes in the input; Services without a cluster IP yet).
    if (view.quiet && (d.kind == DiagnosticKind::kMissingMasterService ||
                       d.kind == DiagnosticKind::kPendingClusterIp)) {
      continue;
    }
    report.warnings.push_back(d.Describe());
  }
  // The CLI shows every variable's source: the explained form.
  report.analysis = *std::move(computed);
  report.env = report.analysis.Explain();
  for (const Refusal& r : report.env.refusals) {
    if (IsObjectKeptElsewhere(r, view.secrets_external,
                              view.config_maps_external)) {
      continue;  // Exists outside the input: placeholders.
    }
    if (const UnreadableObject* u = inputs.UnreadableFor(r)) {
      // Not the kubelet's refusal: svcenv could not see the object.
      report.refusals.push_back(absl::StrCat(
          "container ", container.name, " of ", PodLabel(pod), ": ",
          r.field, r.variable.empty() ? "" : " (" + r.variable + ")",
          " is unknown: ", u->kind, " ", u->namespace_name, "/", u->name,
          " cannot be read (", u->error, ")"));
      continue;
    }
    report.refusals.push_back(absl::StrCat(
        "the kubelet would refuse container ", container.name, " of ",
        PodLabel(pod), ": ", r.message, " (event CreateContainerConfigError: ",
        "\"Error: ", r.kubelet_message, "\")"));
  }
  for (const EnvEntry& e : report.env.env) {
    const bool shown = view.show_secrets || !e.source.IsSecret();
    if (view.format == Output::kEnv && !view.null && shown &&
        e.value.find_first_of(std::string("\n\0", 2)) != std::string::npos) {
      report.warnings.push_back(absl::StrCat(
          e.name,
          " contains a newline or NUL byte; -o env shows them escaped as \\n "
          "and \\0 (use -0 or -o json for the exact value)"));
    }
    if (view.format == Output::kExport && !IsShellName(e.name)) {
      report.warnings.push_back(absl::StrCat(
          e.name,
          " is not a POSIX shell variable name; -o export leaves it out (the "
          "container still receives it)"));
    }
  }
  return report;
}

// Renders one container's report into `out`, or appends its document to
// `json_docs` for -o json and -o yaml.
void RenderReport(const Pod& pod, const Container& container,
                  const ContainerReport& report, const EnvView& view,
                  std::ostream& out, nlohmann::ordered_json* json_docs) {
  const ContainerEnvironment& env = report.env;
  const Redactor redactor(env, view.show_secrets);
  if (view.format == Output::kJson || view.format == Output::kYaml) {
    json_docs->push_back(
        ContainerEnvironmentJson(pod, container, env, report.warnings,
                                 redactor));
  } else if (view.null) {
    PrintEnvNul(env, redactor, out);
  } else if (view.explain) {
    PrintExplain(container, env, redactor, view.multi, view.wide, out);
  } else if (view.format == Output::kExport) {
    PrintExport(container, env, redactor, view.multi, out);
  } else {
    PrintEnv(container, env, redactor, view.multi, out);
  }
}

absl::Status EnvCommand(const ParsedFlags& flags, Io& io) {
  SVCENV_ASSIGN_OR_RETURN(EnvView view, ParseView(flags));
  AnalysisOptions analysis_options;
  // Manifests are not admitted or scheduled: placeholders, not made-up
  // values (container_env.h).
  analysis_options.environment.unscheduled_placeholders = true;
  SVCENV_RETURN_IF_ERROR(ApplyAnalysisFlags(flags, &analysis_options));

  SVCENV_ASSIGN_OR_RETURN(
      std::unique_ptr<PodInputs> inputs,
      LoadPodInputs(flags, flags.positional(), flags.Has("all-containers"),
                    analysis_options.environment, io, "env"));
  const Pod* pod = inputs->pod;
  const std::vector<const Container*>& containers = inputs->containers;

  const AnalysisInputs analysis_inputs(&inputs->objects);  // Indexed once.
  AnalysisOptions partial = analysis_options;
  partial.environment.partial = true;  // Refusals are listed, not fatal.
  if (view.null && containers.size() > 1) {
    return absl::InvalidArgumentError(
        "-0 prints one container's environment; choose it with -c");
  }
  view.multi = containers.size() > 1;
  std::ostringstream rendered;  // Written to io.out only if all succeed.
  nlohmann::ordered_json json_docs = nlohmann::ordered_json::array();
  // Pod-level warnings come once per container; print each once.
  WarningGroups warnings;
  std::vector<std::string> refusals;
  for (const Container* container : containers) {
    SVCENV_ASSIGN_OR_RETURN(
        const ContainerReport report,
        ReportContainer(*pod, *container, analysis_inputs, partial, *inputs,
                        view));
    RenderReport(*pod, *container, report, view, rendered, &json_docs);
    warnings.AddBatch(report.warnings);
    refusals.insert(refusals.end(), report.refusals.begin(),
                    report.refusals.end());
  }
  warnings.Print(io.program + " env", io.err);
  // One object for one container; always an array with --all-containers,
  // so scripts need not check which they got.
  const nlohmann::ordered_json& doc =
      flags.Has("all-containers") ? json_docs : json_docs[0];
  if (view.format == Output::kJson) {
    io.out << DumpJson(doc) << "\n";
  } else if (view.format == Output::kYaml) {
    io.out << DumpYaml(doc);
  } else {
    io.out << rendered.str();
  }
  if (!refusals.empty()) {
    // The whole environment is printed with placeholders; the refusal is
    // the result that decides the exit code.
    return absl::FailedPreconditionError(
        absl::StrJoin(refusals, absl::StrCat("\n", io.program, " env: ")));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<FlagSpec>& EnvFlags() { return Specs(); }

absl::Status RunEnv(const std::vector<std::string>& args, Io& io) {
  return RunWithFlags(args, Specs(), kHelp, io.out,
                      [&io](const ParsedFlags& flags) {
                        return EnvCommand(flags, io);
                      });
}

}  // namespace svcenv::cli
