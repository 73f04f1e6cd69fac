// `svcenv check`: Service ordering, clashes and size, for CI and for live
// clusters. The rules live in the library (svcenv/check.h); this file parses
// flags and the configuration, has the inputs read (check_inputs.h) and
// picks the report format.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "lib/base/status_macros.h"
#include "nlohmann/json.hpp"
#include "svcenv/check.h"
#include "svcenv/check_config.h"
#include "svcenv/check_grouping.h"
#include "svcenv/check_report.h"
#include "svcenv/decode.h"
#include "svcenv/version.h"
#include "tools/analysis_flags.h"
#include "tools/check_inputs.h"
#include "tools/command.h"
#include "tools/commands.h"
#include "tools/flags.h"
#include "tools/output.h"
#include "tools/pod_inputs.h"

namespace svcenv::cli {
namespace {

// The -o formats, the default first.
const std::vector<Output>& Formats() {
  static const auto* const kFormats =
      new std::vector<Output>{Output::kText, Output::kJson, Output::kYaml,
                              Output::kSarif, Output::kGithub};
  return *kFormats;
}

const std::vector<FlagSpec>& Specs() {
  static const auto* const kSpecs = [] {
    auto* specs = new std::vector<FlagSpec>{
      {"filename", 'f', true, "FILE|DIR|-",
       "Objects in apply order (JSON or YAML; repeatable; - is standard "
       "input)."},
      RecursiveFlag(),
      {"inventory", 0, true, "FILE|DIR",
       "Objects that already exist, e.g. `kubectl get svc,cm -A -o json` "
       "(repeatable): created before everything."},
      {"order", 0, true, "kubectl|helm|argocd",
       "Apply order: as read (default), Helm's (hooks, then install order "
       "by kind) or Argo CD's (sync phases, waves, then kind)."},
      OutputFlag(Formats(),
                 "Report format; yaml: the json report as YAML; github: "
                 "GitHub Actions annotations"),
      {"severity", 0, true, "error|warning|info",
       "Show only findings at or above this severity (default info); the "
       "exit code still follows --fail-on over every finding."},
      {"fail-on", 0, true, "error|warning|info|never",
       "Exit 1 when a finding at or above this severity exists (default "
       "error)."},
      {"catalogue", 0, true, "FILE",
       "More variables apps are known to read, one `NAME [image=GLOB,...] "
       "note` a line (repeatable)."},
      {"disable", 0, true, "RULE",
       "Suppress the findings of a rule (repeatable; counted, not shown)."},
      {"enable", 0, true, "RULE",
       "Re-enable a rule the config file disables (repeatable)."},
      {"config", 0, true, "FILE",
       "Config file (default: the first .svcenv.yaml from the working "
       "directory up to the repository root)."},
      {"root", 0, true, "DIR",
       "Repository root: SARIF paths are relative to it (default: the "
       "nearest directory up from the working directory holding .git); the "
       "config file is looked for up to it."},
      {"baseline", 0, true, "REPORT",
       "A previous -o json or -o sarif report: findings already in it are "
       "shown as baseline and do not fail the run."},
      {"ignore", 0, true, "GLOB",
       "Skip input files whose path matches GLOB (repeatable; `*` matches "
       "`/` too; config key ignoreFiles), e.g. 'charts/*/templates/*'."},
      {"list-catalogue", 0, false, "",
       "Print the shipped catalogue in --catalogue format and exit."},
      {"list-rules", 0, false, "",
       "Print every rule (id, highest severity, what it finds) and exit."},
      {"arg-max", 0, true, "BYTES",
       "ARG_MAX of the nodes (default 2097152: a quarter of an 8 MiB stack)."},
      {"namespace", 'n', true, "NS",
       "Namespace of objects that name none (default \"default\"); "
       "without -f, the namespace read (default: all, -A)."},
      MaxInputBytesFlag(),
      StrictKeysFlag(),
      HelpFlag(),
    };
    // --secrets and --configmaps where check's help has them: before
    // --ignore.
    const std::vector<FlagSpec> external = ExternalObjectFlags();
    specs->insert(std::find_if(specs->begin(), specs->end(),
                               [](const FlagSpec& f) {
                                 return f.name == "ignore";
                               }),
                  external.begin(), external.end());
    for (FlagSpec& spec : AnalysisFlags(/*as_running=*/false))
      specs->push_back(std::move(spec));
    for (FlagSpec& spec : LiveFlags()) specs->push_back(std::move(spec));
    return specs;
  }();
  return *kSpecs;
}

constexpr char kHelp[] =
    R"(Usage: svcenv check [-f] FILE|DIR|- [-f ...] [--inventory FILE]
                    [--order kubectl|helm|argocd]
                    [-o text|json|yaml|sarif|github] [--fail-on error|warning|info|never]
                    [--severity error|warning|info]
                    [--catalogue FILE] [--arg-max BYTES] [--config FILE]
                    [--disable RULE] [--enable RULE] [--baseline REPORT]
                    [--secrets input|external] [--configmaps input|external]
                    [--ignore GLOB]
       helm template ... | svcenv check [OPTIONS]   (standard input)
       svcenv check --live [-n NS] [--kubectl PATH] [--context NAME]
                    [--kubeconfig FILE] [OPTIONS]   (live cluster)

Finds what the kubelet will silently do wrong with Service variables, offline:
workloads applied before the Services they need, $(X_SERVICE_HOST) references
that stay literal, Services clashing with each other or with variables apps
read (KAFKA_PORT=tcp://...), declarations hiding Service variables, and
environments nearing the execve limits (argument list too long).

Manifests (CI) are checked in apply order: files as given, directories in
lexical order, documents in file order (--order kubectl), Helm's install
order by kind with its hooks as separate steps (--order helm), or Argo CD's
sync phases and waves, then kind (--order argocd). Across steps (a hook, a
later wave) a late Service is certain; within one apply it is a race. Objects with timestamps (`kubectl get pods,svc -A
-o json`) are checked live: a Service created after a container started is
missing from it until it restarts.

Standard input: `-f -`, or no -f and no files with standard input not a
terminal (a pipe; /dev/null in CI), as kubeconform does; the latter says so
on stderr. An empty standard input is exit 2, never a clean run.

Live cluster: without -f and without files, with --live (or --context or
--kubeconfig, which name a cluster) or with standard
input a terminal (never from a pipe: CI must not lint the kubeconfig's
cluster unasked), check reads the cluster through kubectl (read-only: `kubectl get pods,services,configmaps,replicasets -o json`
and `kubectl get secrets -o json`, with -n NS or else -A for every namespace,
plus Service default/kubernetes when -n names another namespace). Pods are
checked as they run; ReplicaSets only say which Deployment owns them. If
kubectl may not read Secrets (or ConfigMaps), check warns once and goes on
without them: references to them are then neither refusals nor the premise
of any finding. --kubectl, --context and --kubeconfig pass through as for
`svcenv env`; kubectl's own failure is exit 2 with its message.

Rules (--list-rules for what each finds): %RULES%.

Sources are not renders: a kustomization (a directory with
kustomization.yaml) or a Helm chart (Chart.yaml) given with -f is exit 2
with the command that renders it (`kubectl kustomize DIR | svcenv check`,
`helm template ... | svcenv check`); so is a Helm template file
(one holding `{{`). Inside a directory walk (-f DIR, -R) and among file
arguments (pre-commit's staged files), such sources, files without
Kubernetes objects (none decoded, no top-level kind and apiVersion: values
files, workflows) and files matching --ignore GLOB (config ignoreFiles) are
skipped with one summary line on stderr; a directory it cannot list or a
file it cannot read is exit 2, as for env. When files were skipped and no
workload is left, the run is exit 2 ("no Kubernetes workloads found"),
never a clean one.

Secrets kept outside git (SealedSecret, ExternalSecret, Vault): with
--secrets external (config `secrets: external`) a Secret that is not in the
input is taken to exist: its values are placeholders, a reference to it is
no container-refused finding and no finding rests on its absence (a missing
key of a Secret that is in the input is still one). --configmaps external
(config `configMaps: external`) does the same for ConfigMaps.

Suppress findings with the annotation `svcenv.io/ignore: RULE[,RULE]` (or *)
on a workload, its pod template or the Services a finding names; with
--disable RULE; with a config file (.svcenv.yaml: disable, enable, catalogue,
ignore, secrets, configMaps, ignoreFiles); or with --baseline REPORT. Suppressed findings are counted in the
summary and listed in JSON and SARIF. Files may also be given without -f
(`svcenv check a.yaml b.yaml`, for pre-commit).
-o github prints GitHub Actions annotations (::error file=...,line=...::...);
-o sarif is for code scanning (see action.yml and .pre-commit-hooks.yaml).
The report goes to standard output. Exit codes: 0 no finding at or above
--fail-on; 1 some; 2 bad usage or unreadable input.

)";

// The nearest directory from `cwd` up that holds `.git`, else `cwd`.
std::string RepositoryRoot(const std::string& cwd) {
  namespace fs = std::filesystem;
  std::error_code error;
  for (fs::path dir = fs::path(cwd);; dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", error)) return dir.string();
    if (dir == dir.root_path() || dir.empty()) break;
  }
  return cwd;
}

// The first `.svcenv.yaml` from `cwd` up to `root`; empty when none.
std::string FindConfig(const std::string& cwd, const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code error;
  for (fs::path dir = fs::path(cwd);; dir = dir.parent_path()) {
    const fs::path candidate = dir / kCheckConfigFileName;
    if (fs::is_regular_file(candidate, error)) {
      // Shown in messages: relative to the working directory when inside.
      return candidate.lexically_relative(cwd).string();
    }
    if (dir == fs::path(root) || dir == dir.root_path() || dir.empty()) break;
  }
  return "";
}

// kHelp with the registered rules' ids, wrapped as the text around them.
const std::string& Help() {
  static const std::string* const kText = [] {
    std::vector<std::string> lines;
    std::string line = "Rules (--list-rules for what each finds):";
    const std::vector<CheckRule>& rules = CheckRules();
    for (size_t i = 0; i < rules.size(); ++i) {
      const std::string word =
          absl::StrCat(rules[i].id, i + 1 < rules.size() ? "," : ".");
      if (line.size() + 1 + word.size() > 80) {
        lines.push_back(line);
        line = word;
      } else {
        absl::StrAppend(&line, " ", word);
      }
    }
    lines.push_back(line);
    return new std::string(absl::StrReplaceAll(
        kHelp, {{"Rules (--list-rules for what each finds): %RULES%.",
                 absl::StrJoin(lines, "\n")}}));
  }();
  return *kText;
}

// --list-rules: one line per rule, then its description, as kube-linter's
// `checks list` prints them.
void ListRules(std::ostream& out) {
  for (const CheckRule& rule : CheckRules()) {
    out << rule.id << " (" << SeverityName(rule.severity)
        << "): " << rule.summary << "\n  " << rule.description << "\n";
  }
}

// How the report is shown and when the run fails (-o, --severity,
// --fail-on).
struct ReportChoice {
  Output format = Output::kText;
  Severity shown = Severity::kInfo;  // Findings below it are hidden.
  Severity fail_on = Severity::kError;
  bool never = false;  // --fail-on never.
};

absl::StatusOr<ReportChoice> ParseReportChoice(const ParsedFlags& flags) {
  ReportChoice choice;
  SVCENV_ASSIGN_OR_RETURN(choice.format, ParseOutput(flags, Formats()));
  if (flags.Has("severity")) {
    absl::StatusOr<Severity> parsed =
        ParseSeverity(flags.Value("severity", ""));
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--severity must be error, warning or info, got \"",
          flags.Value("severity", ""), "\""));
    }
    choice.shown = *parsed;
  }
  const std::string fail_on_text = flags.Value("fail-on", "error");
  choice.never = fail_on_text == "never";
  if (!choice.never) {
    absl::StatusOr<Severity> parsed = ParseSeverity(fail_on_text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--fail-on must be error, warning, info or never, got \"",
          fail_on_text, "\""));
    }
    choice.fail_on = *parsed;
  }
  return choice;
}

// What the rules run with: the analysis flags, --order, --arg-max,
// --catalogue, the configuration file (--config, else the first
// `.svcenv.yaml` from `cwd` up to `root`), --secrets and --configmaps,
// then --disable and --enable. `ignore_globs`: the configuration's
// ignoreFiles, then --ignore.
absl::Status ParseCheckOptions(const ParsedFlags& flags,
                               const std::string& cwd, const std::string& root,
                               CheckOptions* out,
                               std::vector<std::string>* ignore_globs) {
  CheckOptions& options = *out;
  {
    AnalysisOptions analysis;
    analysis.environment = options.environment;
    SVCENV_RETURN_IF_ERROR(ApplyAnalysisFlags(flags, &analysis));
    options.environment = analysis.environment;
  }
  const std::string order = flags.Value("order", "kubectl");
  if (order == "helm") {
    options.order = ApplyOrder::kHelm;
  } else if (order == "argocd") {
    options.order = ApplyOrder::kArgoCd;
  } else if (order != "kubectl") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--order must be kubectl, helm or argocd, got \"", order, "\""));
  }
  if (flags.Has("arg-max")) {
    int64_t arg_max = 0;
    if (!absl::SimpleAtoi(flags.Value("arg-max", ""), &arg_max) ||
        arg_max < 4096) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--arg-max must be a number of bytes of at least 4096, got \"",
          flags.Value("arg-max", ""), "\""));
    }
    options.arg_max = arg_max;
  }
  for (const std::string& path : flags.Values("catalogue")) {
    std::string text;
    SVCENV_RETURN_IF_ERROR(ReadCheckFile(path, &text));
    SVCENV_ASSIGN_OR_RETURN(std::vector<CatalogueEntry> entries,
                            ParseCatalogue(text, path));
    options.extra_catalogue.insert(options.extra_catalogue.end(),
                                   entries.begin(), entries.end());
  }

  // Suppressions: the config file, then the rule switches.
  std::string config_path = flags.Value("config", "");
  if (config_path.empty()) config_path = FindConfig(cwd, root);
  if (!config_path.empty()) {
    std::string text;
    SVCENV_RETURN_IF_ERROR(ReadCheckFile(config_path, &text));
    SVCENV_ASSIGN_OR_RETURN(CheckConfig config,
                            ParseCheckConfig(text, config_path));
    ApplyCheckConfig(config, config_path, &options);
    *ignore_globs = config.ignore_files;
  }
  for (const std::string& glob : flags.Values("ignore")) {
    ignore_globs->push_back(glob);
  }
  SVCENV_ASSIGN_OR_RETURN(const ExternalObjects external,
                          ParseExternalObjects(flags));
  if (external.secrets.has_value()) options.secrets_unknown = *external.secrets;
  if (external.config_maps.has_value())
    options.config_maps_unknown = *external.config_maps;
  for (const std::string& id : flags.Values("disable")) {
    SVCENV_RETURN_IF_ERROR(ValidateRuleId(id, "--disable"));
    options.disabled_rules.insert(id);
  }
  for (const std::string& id : flags.Values("enable")) {
    SVCENV_RETURN_IF_ERROR(ValidateRuleId(id, "--enable"));
    options.disabled_rules.erase(id);
  }
  return absl::OkStatus();
}

// Prints `result` as `choice` says; paths in SARIF and GitHub annotations
// are relative to `root`, the repository.
void PrintReport(const CheckResult& result, const ReportChoice& choice,
                 const std::string& root, const std::string& cwd, Io& io) {
  if (choice.format == Output::kJson) {
    io.out << RenderCheckJson(result, choice.fail_on, choice.never);
  } else if (choice.format == Output::kYaml) {
    // The same document as -o json, as every command's -o yaml is.
    io.out << DumpYaml(nlohmann::ordered_json::parse(
        RenderCheckJson(result, choice.fail_on, choice.never), /*cb=*/nullptr,
        /*allow_exceptions=*/false));
  } else if (choice.format == Output::kSarif ||
             choice.format == Output::kGithub) {
    SarifOptions sarif;
    sarif.tool_version = kVersionString;
    sarif.repository_root = root;
    sarif.working_directory = cwd;
    io.out << (choice.format == Output::kSarif ? RenderCheckSarif(result, sarif)
                                 : RenderCheckGithub(result, sarif));
  } else {
    io.out << RenderCheckText(result);
  }
}

absl::Status CheckCommand(const ParsedFlags& flags, Io& io) {
  if (flags.Has("list-catalogue")) {
    io.out << FormatCatalogue(BuiltinCatalogue());
    return absl::OkStatus();
  }
  if (flags.Has("list-rules")) {
    ListRules(io.out);
    return absl::OkStatus();
  }
  SVCENV_ASSIGN_OR_RETURN(const ReportChoice choice, ParseReportChoice(flags));
  const std::string cwd = std::filesystem::current_path().string();
  const std::string root =
      flags.Has("root")
          ? std::filesystem::absolute(flags.Value("root", ""))
                .lexically_normal()
                .string()
          : RepositoryRoot(cwd);
  CheckOptions options;
  std::vector<std::string> ignore_globs;
  SVCENV_RETURN_IF_ERROR(
      ParseCheckOptions(flags, cwd, root, &options, &ignore_globs));
  std::set<std::string> baseline;
  const std::string baseline_path = flags.Value("baseline", "");
  if (!baseline_path.empty()) {
    std::string text;
    SVCENV_RETURN_IF_ERROR(ReadCheckFile(baseline_path, &text));
    SVCENV_ASSIGN_OR_RETURN(baseline, ReadBaseline(text, baseline_path));
  }

  DecodeOptions decode;
  decode.default_namespace = flags.Value("namespace", "default");
  SVCENV_RETURN_IF_ERROR(ApplyInputLimits(flags, &decode));
  const bool recursive = flags.Has("recursive");
  Objects objects;
  // Positional arguments are files too (pre-commit passes them so).
  std::vector<std::string> inputs = flags.Values("filename");
  const size_t named = inputs.size();
  inputs.insert(inputs.end(), flags.positional().begin(),
                flags.positional().end());
  SVCENV_ASSIGN_OR_RETURN(
      const InputMode mode,
      ChooseInputMode(flags, !inputs.empty(), false, "check", io));
  if (mode == InputMode::kStandardInput) inputs = {"-"};
  const bool live = mode == InputMode::kLive;
  Objects owners;  // Live: ReplicaSets, for grouping only.
  const bool group_by_owner = options.group_by_owner;
  if (live) {
    SVCENV_RETURN_IF_ERROR(
        LoadLiveForCheck(flags, decode, io, &objects, &owners, &options));
    options.group_by_owner = false;  // Below, with the ReplicaSets.
  } else {
    SVCENV_RETURN_IF_ERROR(RejectLiveFlags(flags));
    SVCENV_RETURN_IF_ERROR(LoadManifestsForCheck(
        inputs, named, recursive, ignore_globs, decode, io, &objects));
  }
  Objects inventory;
  for (const std::string& path : flags.Values("inventory")) {
    if (path == "-") {
      return absl::InvalidArgumentError(
          "--inventory cannot read standard input; give a file");
    }
    SVCENV_RETURN_IF_ERROR(
        LoadInputs({path}, recursive, decode, io, &inventory));
  }

  CheckResult result = Check(objects, inventory, options);
  if (live && group_by_owner) {
    // The result holds no pointers into `objects`: the ReplicaSets may join
    // the pods now, for the owner chain Pod -> ReplicaSet -> Deployment.
    for (Pod& rs : owners.pods) objects.pods.push_back(std::move(rs));
    result = GroupFindingsByOwner(std::move(result), objects);
  }
  if (!baseline_path.empty()) ApplyBaseline(baseline, baseline_path, &result);
  LocateHelmTemplates(cwd, root, &result);
  // The exit code counts the findings --severity hides (CountAtLeast); the
  // reports' summaries say how many there are.
  HideBelow(choice.shown, &result);
  const int failing = choice.never ? 0 : result.CountAtLeast(choice.fail_on);
  PrintReport(result, choice, root, cwd, io);
  if (failing > 0) {
    // Run() prints this on stderr and exits 1; the report is already out.
    return absl::FailedPreconditionError(
        absl::StrCat(failing, failing == 1 ? " finding" : " findings",
                     " at or above ", SeverityName(choice.fail_on)));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<FlagSpec>& CheckFlags() { return Specs(); }

absl::Status RunCheck(const std::vector<std::string>& args, Io& io) {
  return RunWithFlags(args, Specs(), Help(), io.out,
                      [&io](const ParsedFlags& flags) {
                        return CheckCommand(flags, io);
                      });
}

}  // namespace svcenv::cli
