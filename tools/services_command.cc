// `svcenv services`: the Service variables a pod in a namespace receives.
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
#include "svcenv/decode.h"
#include "svcenv/service_env.h"
#include "tools/command.h"
#include "tools/commands.h"
#include "tools/flags.h"
#include "tools/kubectl.h"
#include "tools/output.h"
#include "tools/pod_inputs.h"
#include "tools/pod_selection.h"

namespace svcenv::cli {
namespace {

// The -o formats, the default first.
const std::vector<Output>& Formats() {
  static const auto* const kFormats =
      new std::vector<Output>{Output::kEnv, Output::kJson, Output::kYaml};
  return *kFormats;
}

const std::vector<FlagSpec>& Specs() {
  static const auto* const kSpecs = [] {
    auto* specs = new std::vector<FlagSpec>{
      {"filename", 'f', true, "FILE|DIR|-",
       "Objects to read (JSON or YAML; repeatable; - is standard input)."},
      RecursiveFlag(),
      {"namespace", 'n', true, "NS",
       "The pod's namespace (default \"default\"); also the namespace of "
       "objects that name none."},
      {"no-service-links", 0, false, "",
       "The pod sets enableServiceLinks: false (only default/kubernetes)."},
      OutputFlag(Formats(), "Output format"),
      MaxInputBytesFlag(),
      StrictKeysFlag(),
    };
    for (FlagSpec& f : LiveFlags()) specs->push_back(std::move(f));
    specs->push_back(HelpFlag());  // Last, as in every command's help.
    return specs;
  }();
  return *kSpecs;
}

constexpr char kHelp[] =
    R"(Usage: svcenv services [-f FILE|DIR|- ...] [-n NAMESPACE] [--no-service-links] [-o env|json|yaml]
                       [--live] [--kubectl PATH] [--context NAME] [--kubeconfig FILE]

Prints the Service variables a pod in NAMESPACE receives, sorted by name,
exactly as the kubelet computes them: the namespace's Services (unless
--no-service-links) plus default/kubernetes. When two Services produce the
same name the kubelet picks one at random; svcenv applies Services in
(namespace, name) order, the later wins, and reports the clash on stderr.

Without -f, at a terminal or with --live, --context or --kubeconfig, it reads the
cluster: `kubectl get services -n NAMESPACE` and `kubectl get service
kubernetes -n default` (NAMESPACE defaults to the current context's).
Without -f and with standard input not a terminal (a pipe, /dev/null in
CI) it reads objects from standard input and says so on stderr: a
cluster is read only when the user asked for it.

)";

// Live mode: the namespace's Services and default/kubernetes, read with
// kubectl; sets `options->default_namespace` to the namespace meant.
absl::Status FetchServicesLive(const ParsedFlags& flags, bool links, Io& io,
                               DecodeOptions* options, Objects* objects) {
  const Kubectl kubectl = KubectlFromFlags(flags);
  std::string ns;
  if (flags.Has("namespace")) {
    ns = flags.Value("namespace", "");
  } else {
    SVCENV_ASSIGN_OR_RETURN(ns, kubectl.CurrentNamespace());
  }
  options->default_namespace = ns;
  for (const Dependency& d : ServiceDependencies(ns, links)) {
    // The namespace's Services (name empty), or one Service.
    const std::string& name = d.name;
    const std::string resource = name.empty() ? "services" : "service";
    absl::StatusOr<std::string> json =
        kubectl.GetJson(resource, name, d.namespace_name);
    if (json.status().code() == absl::StatusCode::kNotFound) continue;
    if (json.status().code() == absl::StatusCode::kPermissionDenied) {
      io.err << io.program << " services: warning: cannot read "
             << (name.empty() ? "the Services of namespace " + ns
                              : "Service " + d.namespace_name + "/" + name)
             << ": kubectl says it is Forbidden for you; their variables are "
                "missing here\n";
      continue;
    }
    if (!json.ok()) return json.status();
    SVCENV_RETURN_IF_ERROR(DecodeText(
        *json, absl::StrCat("kubectl get ", resource, " ", name), *options,
        objects));
  }
  return absl::OkStatus();
}

absl::Status ServicesCommand(const ParsedFlags& flags, Io& io) {
  if (!flags.positional().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unexpected argument \"", flags.positional()[0],
        "\"; inputs are given with -f"));
  }
  SVCENV_ASSIGN_OR_RETURN(const Output format, ParseOutput(flags, Formats()));
  const bool links = !flags.Has("no-service-links");
  DecodeOptions options;
  options.default_namespace = flags.Value("namespace", "default");
  SVCENV_RETURN_IF_ERROR(ApplyInputLimits(flags, &options));
  Objects objects;
  SVCENV_ASSIGN_OR_RETURN(
      const InputMode mode,
      ChooseInputMode(flags, flags.Has("filename"), false, "services", io));
  const bool live = mode == InputMode::kLive;
  if (live) {
    SVCENV_RETURN_IF_ERROR(
        FetchServicesLive(flags, links, io, &options, &objects));
  } else {
    // --kubectl, --context, ... with -f: as every command, a usage error.
    SVCENV_RETURN_IF_ERROR(RejectLiveFlags(flags));
    SVCENV_RETURN_IF_ERROR(LoadInputs(
        mode == InputMode::kStandardInput ? std::vector<std::string>{"-"}
                                          : flags.Values("filename"),
        flags.Has("recursive"), options, io, &objects));
  }
  // `-n guestbok` would otherwise print only KUBERNETES_* without a word.
  const std::string missing_namespace =
      live ? "" : MissingNamespaceNote(objects, options.default_namespace);
  if (!missing_namespace.empty()) {
    io.err << io.program << " services: warning: " << missing_namespace << "\n";
  }
  const AnalysisInputs analysis_inputs(&objects);
  const ServiceAnalysis analysis =
      AnalyzeServices(analysis_inputs, options.default_namespace, links);
  for (const Diagnostic& d : analysis.diagnostics) {
    io.err << io.program << " services: warning: " << d.Describe() << "\n";
  }
  const ServiceEnvironment& env = *analysis.services;
  if (format == Output::kJson || format == Output::kYaml) {
    nlohmann::ordered_json doc;
    doc["namespace"] = options.default_namespace;
    doc["enableServiceLinks"] = links;
    doc["variables"] = nlohmann::ordered_json::array();
    for (const ServiceVariable& v : env.variables) {
      nlohmann::ordered_json item;
      item["name"] = v.name;
      item["value"] = v.value;
      item["source"] = ServiceVariableSourceJson(v);
      doc["variables"].push_back(std::move(item));
    }
    doc["clashes"] = ClashesJson(env.clashes);
    doc["diagnostics"] = env.diagnostics;
    io.out << (format == Output::kYaml ? DumpYaml(doc) : DumpJson(doc) + "\n");
  } else {
    for (const ServiceVariable& v : env.variables) {
      io.out << v.name << "=" << v.value << "\n";
    }
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<FlagSpec>& ServicesFlags() { return Specs(); }

absl::Status RunServices(const std::vector<std::string>& args, Io& io) {
  return RunWithFlags(args, Specs(), kHelp, io.out,
                      [&io](const ParsedFlags& flags) {
                        return ServicesCommand(flags, io);
                      });
}

}  // namespace svcenv::cli
