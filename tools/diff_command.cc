// `svcenv diff`: the computed environment against the running container's
// (`kubectl exec POD -- env` output), every difference classified and
// explained by the library (svcenv/env_diff.h).
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/base/status_macros.h"
#include "nlohmann/json.hpp"
#include "svcenv/container_analysis.h"
#include "svcenv/container_env.h"
#include "svcenv/container_start.h"
#include "svcenv/decode.h"
#include "svcenv/env_diff.h"
#include "svcenv/object_lookup.h"
#include "svcenv/pending_cluster_ip.h"
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
      new std::vector<Output>{Output::kText, Output::kJson, Output::kYaml};
  return *kFormats;
}

const std::vector<FlagSpec>& Specs() {
  static const auto* const kSpecs = [] {
    auto* specs = new std::vector<FlagSpec>(PodSelectionFlags());
    for (FlagSpec& f : LiveFlags()) specs->push_back(std::move(f));
    specs->insert(specs->end(), {
      {"actual", 0, true, "FILE|-",
       "The running container's `env` or `env -0` output (- is standard "
       "input); without -f it may be left out: svcenv runs `kubectl exec "
       "POD -c CONTAINER -- env`."},
      OutputFlag(Formats(), "Output format"),
      {"show-secrets", 0, false, "",
       "Print Secret-derived values and the values of extra variables."},
    });
    for (FlagSpec& f : AnalysisFlags(/*as_running=*/false)) {
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
    R"(Usage: svcenv diff POD [-n NS] [-c CONTAINER] [--actual FILE|-]
                   [--context NAME] [--kubeconfig FILE] [--kubectl PATH]
       svcenv diff [POD | KIND/NAME] -f FILE|DIR|- [-n NS] [-c CONTAINER]
                   --actual FILE|- [-o text|json|yaml] [--show-secrets]
                   [--kubelet-version X.Y]

Compares the environment the kubelet would give the container now with the
one it really has (the output of `kubectl exec POD -c CONTAINER -- env`, or
`env -0`), and explains each difference:
  missing  a Service created after the container started (a restart adds
           it); a key added to an envFrom ConfigMap/Secret since.
  extra    HOSTNAME, HOME, PATH, TERM from the runtime; a Service deleted
           since the start; anything else Kubernetes did not set (the
           image's ENV).
  changed  a ConfigMap/Secret edited since the start; a Service recreated
           with a new IP; another of clashing Services chosen; placeholders.

Without -f, at a terminal or with --live, --context or --kubeconfig (live mode;
without either a pipe is read as -f -), the pod, its Services, ConfigMaps, Secrets and Node
are read with `kubectl get` (see `svcenv env --help`), and without --actual
the running environment with `kubectl exec POD -n NS -c CONTAINER -- env`.

Examples:
  svcenv diff web -n shop
  kubectl exec web -- env | svcenv diff web -f dump.json --actual -
  kubectl exec web -- env | svcenv diff web -n shop --live --actual -

Exit codes: 0 every difference explained; 1 some are not (each says what to
check); 2 bad usage or input.

)";

absl::StatusOr<std::string> ReadActual(const std::string& path, Io& io,
                                       size_t limit) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(io.in), {});
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return absl::NotFoundError(
          absl::StrCat("--actual ", path, ": cannot open"));
    }
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (text.size() > limit) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--actual ", path, ": more than the limit of ", limit,
        " bytes; raise it with --max-input-bytes"));
  }
  return text;
}

absl::Status DiffCommand(const ParsedFlags& flags, Io& io) {
  SVCENV_ASSIGN_OR_RETURN(const Output format, ParseOutput(flags, Formats()));
  const std::string actual_path = flags.Value("actual", "");
  if (!flags.Has("actual") && flags.Has("filename")) {
    return absl::InvalidArgumentError(
        "give the running container's environment with --actual FILE|- "
        "(the output of `kubectl exec POD -c CONTAINER -- env`), or leave "
        "out -f to read the cluster and the container through kubectl");
  }
  for (const std::string& f : flags.Values("filename")) {
    if (f == "-" && actual_path == "-") {
      return absl::InvalidArgumentError(
          "-f - and --actual - cannot both read standard input");
    }
  }
  AnalysisOptions analysis_options;
  analysis_options.environment.partial = true;
  analysis_options.environment.unscheduled_placeholders = true;
  SVCENV_RETURN_IF_ERROR(ApplyAnalysisFlags(flags, &analysis_options));
  const EnvironmentOptions& options = analysis_options.environment;
  SVCENV_ASSIGN_OR_RETURN(std::unique_ptr<PodInputs> inputs,
                          LoadPodInputs(flags, flags.positional(), false,
                                        options, io, "diff",
                                        actual_path == "-"));
  if (!flags.Has("actual") && !inputs->kubectl.has_value()) {
    return absl::InvalidArgumentError(
        "give the running container's environment with --actual FILE|- "
        "(the output of `kubectl exec POD -c CONTAINER -- env`), or --live "
        "to read the cluster and the container through kubectl");
  }
  Objects& objects = inputs->objects;
  const Pod* pod = inputs->pod;
  const Container& container = *inputs->containers[0];
  DecodeOptions decode_options;
  SVCENV_RETURN_IF_ERROR(ApplyInputLimits(flags, &decode_options));
  std::string actual_text;
  std::string actual_label = absl::StrCat("--actual ", actual_path);
  if (flags.Has("actual")) {
    SVCENV_ASSIGN_OR_RETURN(
        actual_text,
        ReadActual(actual_path, io, decode_options.max_input_bytes));
  } else {
    if (pod->workload_kind != "Pod") {
      return absl::InvalidArgumentError(absl::StrCat(
          PodLabel(*pod),
          " is a workload, not a running pod: name one of its pods, or give "
          "--actual"));
    }
    SVCENV_ASSIGN_OR_RETURN(
        actual_text, inputs->kubectl->ExecEnv(pod->meta.name,
                                              pod->meta.namespace_name,
                                              container.name));
    actual_label = absl::StrCat("`kubectl exec ", pod->meta.name, " -- env`");
  }
  absl::StatusOr<std::vector<ObservedVariable>> actual =
      ParseEnvListing(actual_text);
  if (!actual.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(actual_label, ": ", actual.status().message()));
  }
  // Every current Service: those created after the start show as missing,
  // explained, rather than silently left out.
  const AnalysisInputs analysis_inputs(&objects);
  SVCENV_ASSIGN_OR_RETURN(
      const ContainerAnalysis analysis,
      Analyze(analysis_inputs, *pod, container, analysis_options));
  WarningGroups warnings;
  warnings.AddBatch(inputs->warnings);
  std::vector<std::string> described;
  for (const Diagnostic& d : analysis.diagnostics) {
    described.push_back(d.Describe());
  }
  warnings.AddBatch(described);
  warnings.Print(io.program + " diff", io.err);
  // The diff explains every variable's source: the explained form.
  const ContainerEnvironment env = analysis.Explain();
  const EnvDiff diff = DiffEnvironment(env, *actual, analysis.start);

  const bool show = flags.Has("show-secrets");
  const Redactor redactor(env, show);
  auto predicted = [&](const EnvDifference& d) {
    return d.entry != nullptr ? redactor.Shown(*d.entry) : std::string();
  };
  auto running = [&](const EnvDifference& d) -> std::string {
    if (show) return d.actual;
    if (d.entry != nullptr && redactor.Hides(*d.entry)) {
      return "<hidden: Secret-derived>";
    }
    if (d.kind == DifferenceKind::kExtra) return "<hidden: --show-secrets>";
    return d.actual;
  };
  size_t unexplained = 0;
  for (const EnvDifference& d : diff.differences) unexplained += !d.explained;

  if (format == Output::kJson || format == Output::kYaml) {
    nlohmann::ordered_json doc;
    doc["pod"] = {{"namespace", pod->meta.namespace_name},
                  {"name", pod->workload_name}};
    doc["container"] = container.name;
    doc["identical"] = diff.identical;
    doc["allExplained"] = diff.AllExplained();
    doc["differences"] = nlohmann::ordered_json::array();
    for (const EnvDifference& d : diff.differences) {
      nlohmann::ordered_json item;
      item["name"] = d.name;
      item["kind"] = std::string(DifferenceKindName(d.kind));
      if (d.kind != DifferenceKind::kExtra) item["predicted"] = predicted(d);
      if (d.kind != DifferenceKind::kMissing) item["actual"] = running(d);
      if (d.entry != nullptr) item["source"] = EnvSourceJson(d.entry->source);
      item["cause"] = std::string(DifferenceCauseName(d.cause));
      item["explained"] = d.explained;
      item["explanation"] = d.explanation;
      doc["differences"].push_back(std::move(item));
    }
    io.out << (format == Output::kYaml ? DumpYaml(doc) : DumpJson(doc) + "\n");
  } else {
    for (const EnvDifference& d : diff.differences) {
      switch (d.kind) {
        case DifferenceKind::kMissing:
          io.out << "missing  " << OneLine(d.name) << "="
                 << OneLine(predicted(d)) << "\n";
          break;
        case DifferenceKind::kExtra:
          io.out << "extra    " << OneLine(d.name) << "="
                 << OneLine(running(d)) << "\n";
          break;
        case DifferenceKind::kChanged:
          io.out << "changed  " << OneLine(d.name) << "="
                 << OneLine(predicted(d)) << ", running "
                 << OneLine(running(d)) << "\n";
          break;
      }
      io.out << "         " << (d.explained ? "explained: " : "UNEXPLAINED: ")
             << d.explanation << "\n";
    }
    io.out << diff.differences.size() << " differences, "
           << diff.differences.size() - unexplained << " explained, "
           << unexplained << " unexplained; " << diff.identical
           << " identical\n";
  }
  if (unexplained > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        unexplained, " of ", diff.differences.size(),
        diff.differences.size() == 1 ? " difference" : " differences",
        unexplained == 1 ? " is" : " are", " not explained"));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<FlagSpec>& DiffFlags() { return Specs(); }

absl::Status RunDiff(const std::vector<std::string>& args, Io& io) {
  return RunWithFlags(args, Specs(), kHelp, io.out,
                      [&io](const ParsedFlags& flags) {
                        return DiffCommand(flags, io);
                      });
}

}  // namespace svcenv::cli
