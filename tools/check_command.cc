// `svcenv check`: Service ordering, clashes and size, for CI and for live
// clusters. The rules live in the library (svcenv/check.h); this file parses
// flags, reads inputs and picks the report format.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <set>
#include <system_error>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <fnmatch.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "lib/base/status_macros.h"
#include "nlohmann/json.hpp"
#include "svcenv/check.h"
#include "svcenv/check_config.h"
#include "svcenv/check_grouping.h"
#include "svcenv/check_report.h"
#include "svcenv/decode.h"
#include "svcenv/service_env.h"
#include "svcenv/version.h"
#include "tools/analysis_flags.h"
#include "tools/command.h"
#include "tools/commands.h"
#include "tools/flags.h"
#include "tools/kubectl.h"
#include "tools/output.h"
#include "tools/pod_inputs.h"

namespace svcenv::cli {
namespace {

// The -o formats, the default first.
const std::vector<Output>& Formats() {
  static const auto* const kFormats = new std::vector<Output>{Output::kText, Output::kJson, Output::kYaml,
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
      {"secrets", 0, true, "input|external",
       "external: Secrets exist but are not in the input (SealedSecret, "
       "ExternalSecret, Vault): placeholders, no refusal, no finding "
       "resting on their absence (default input)."},
      {"configmaps", 0, true, "input|external",
       "The same for ConfigMaps (default input)."},
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

absl::Status ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  text->assign(std::istreambuf_iterator<char>(in), {});
  return absl::OkStatus();
}

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

// True when a Forbidden `kubectl get` names `resource` as what it may not
// list ("... cannot list resource \"configmaps\" ...").
bool ForbidsListing(const absl::Status& status, absl::string_view resource) {
  return status.code() == absl::StatusCode::kPermissionDenied &&
         absl::StrContains(status.message(),
                           absl::StrCat("resource \"", resource, "\""));
}

void Warn(Io& io, absl::string_view message) {
  io.err << io.program << " check: warning: " << message << "\n";
}

// Live mode: reads what `check` needs from the cluster through kubectl into
// `objects` (Pods, Services, ConfigMaps, Secrets) and `owners` (the
// ReplicaSets, read only to name the Deployments that own pods: their
// templates are not what runs, and old ones are kept as history). What
// kubectl may not read is left out, with a warning, and marked unknown in
// `options` so that no finding rests on its absence.
absl::Status LoadLive(const ParsedFlags& flags, const DecodeOptions& decode,
                      Io& io, Objects* objects, Objects* owners,
                      CheckOptions* options) {
  if (flags.Has("recursive")) {
    return absl::InvalidArgumentError("-R applies to -f DIR only");
  }
  const Kubectl kubectl = KubectlFromFlags(flags);
  const std::optional<std::string> ns =
      flags.Has("namespace")
          ? std::optional<std::string>(flags.Value("namespace", ""))
          : std::nullopt;
  std::vector<std::string> resources = {"pods", "services", "configmaps",
                                        "replicasets"};
  absl::StatusOr<std::string> json;
  for (;;) {
    json = kubectl.ListJson(absl::StrJoin(resources, ","), ns);
    // Without ConfigMaps or ReplicaSets the check still means something;
    // without Pods or Services it does not.
    const size_t before = resources.size();
    for (const char* optional : {"configmaps", "replicasets"}) {
      if (!ForbidsListing(json.status(), optional)) continue;
      resources.erase(
          std::remove(resources.begin(), resources.end(), optional),
          resources.end());
      if (absl::string_view(optional) == "configmaps") {
        options->config_maps_unknown = true;
        Warn(io,
             "cannot read ConfigMaps (kubectl says it is Forbidden for you): "
             "references to them are not checked");
      } else {
        Warn(io,
             "cannot read ReplicaSets (kubectl says it is Forbidden for "
             "you): Deployments are named from pod-template-hash labels");
      }
    }
    if (resources.size() == before) break;
  }
  if (!json.ok()) return json.status();
  Objects read;
  SVCENV_RETURN_IF_ERROR(DecodeText(
      *json, absl::StrCat("kubectl get ", absl::StrJoin(resources, ",")),
      decode, &read));
  // kubectl lists a namespace that does not exist as empty, exit 0: ask,
  // so that a typo in -n is kubectl's NotFound, not "no findings".
  if (ns.has_value() && read.pods.empty() && read.services.empty()) {
    absl::StatusOr<std::string> exists =
        kubectl.GetJson("namespace", *ns, std::nullopt);
    if (exists.status().code() == absl::StatusCode::kNotFound) {
      return exists.status();
    }  // Else it exists, or kubectl may not say (Forbidden): go on.
  }

  absl::StatusOr<std::string> secrets = kubectl.ListJson("secrets", ns);
  if (secrets.status().code() == absl::StatusCode::kPermissionDenied) {
    options->secrets_unknown = true;
    Warn(io,
         "cannot read Secrets (kubectl says it is Forbidden for you): "
         "references to them are not checked");
  } else if (!secrets.ok()) {
    return secrets.status();
  } else {
    SVCENV_RETURN_IF_ERROR(
        DecodeText(*secrets, "kubectl get secrets", decode, &read));
  }

  // Every pod sees default/kubernetes' variables: read it when -n named
  // another namespace (-A and -n default list it already).
  const bool has_master = std::any_of(
      read.services.begin(), read.services.end(), IsMasterService);
  if (ns.has_value() && *ns != kMasterServiceNamespace && !has_master) {
    absl::StatusOr<std::string> master =
        kubectl.GetJson("service", kMasterServiceName,
                        std::string(kMasterServiceNamespace));
    if (master.ok()) {
      SVCENV_RETURN_IF_ERROR(DecodeText(
          *master, "kubectl get service kubernetes", decode, &read));
    } else if (master.status().code() != absl::StatusCode::kNotFound &&
               master.status().code() !=
                   absl::StatusCode::kPermissionDenied) {
      return master.status();
    }  // Else assumed (CheckOptions::assume_kubernetes_service).
  }

  for (Pod& pod : read.pods) {
    (pod.workload_kind == "ReplicaSet" ? owners : objects)
        ->pods.push_back(std::move(pod));
  }
  objects->services = std::move(read.services);
  objects->config_maps = std::move(read.config_maps);
  objects->secrets = std::move(read.secrets);
  objects->duplicate_keys = std::move(read.duplicate_keys);
  for (const std::string& warning : read.decode_warnings) Warn(io, warning);
  return absl::OkStatus();
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

// A source that renders to objects rather than objects, told by its name:
// "a kustomization" or "a Helm chart" for a directory, also "a Helm
// chart's Chart.yaml" and "a kustomization" for a file; empty for anything
// else (a Helm template is told by its text: HelmTemplate()).
std::string SourceKind(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::is_directory(path, error)) {
    for (const char* name :
         {"kustomization.yaml", "kustomization.yml", "Kustomization"}) {
      if (fs::is_regular_file(path / name, error)) return "a kustomization";
    }
    if (fs::is_regular_file(path / "Chart.yaml", error)) return "a Helm chart";
    return "";
  }
  const std::string base = path.filename().string();
  if (base == "kustomization.yaml" || base == "kustomization.yml" ||
      base == "Kustomization") {
    return "a kustomization";
  }
  if (base == "Chart.yaml") return "a Helm chart's Chart.yaml";
  return "";
}

// Whether `text`, the file at `path`, is a Helm template. Rendered
// manifests may hold `{{` in values (Prometheus, Grafana): a template is
// text with `{{` that does not decode.
bool HelmTemplate(const std::string& path, absl::string_view text) {
  Objects scratch;
  return absl::StrContains(text, "{{") &&
         !DecodeText(text, std::filesystem::path(path).filename().string(),
                     DecodeOptions(), &scratch)
              .ok();
}

// How to check a source: render it first.
std::string RenderHint(const std::string& kind, const std::string& path) {
  if (absl::StrContains(kind, "kustomization")) {
    const std::string dir =
        std::filesystem::is_directory(path)
            ? path
            : std::filesystem::path(path).parent_path().string();
    return absl::StrCat("render it with `kubectl kustomize ",
                        dir.empty() ? "." : dir, " | svcenv check -f -`");
  }
  return "render it with `helm template RELEASE CHART | svcenv check -f -` "
         "(--order helm for Helm's install order)";
}

// True for `text`, the file at `path`, when it holds no Kubernetes
// objects: no top-level `kind:` or `apiVersion:` (YAML) or `"kind"` (JSON),
// such as a values file, a CI workflow or a config file.
bool LacksKubernetesObjects(const std::string& path, absl::string_view text) {
  if (absl::EndsWith(path, ".json")) return !absl::StrContains(text, "\"kind\"");
  bool kind = false, api_version = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    kind |= absl::StartsWith(line, "kind:");
    api_version |= absl::StartsWith(line, "apiVersion:");
  }
  return !(kind && api_version);
}

bool Ignored(const std::string& path, const std::vector<std::string>& globs) {
  std::string normal = std::filesystem::path(path).lexically_normal().string();
  for (const std::string& glob : globs) {
    if (fnmatch(glob.c_str(), normal.c_str(), 0) == 0 ||
        fnmatch(glob.c_str(), path.c_str(), 0) == 0) {
      return true;
    }
  }
  return false;
}

// Files skipped on the way, by why, for the one summary line.
struct Skipped {
  std::vector<std::string> ignored, sources, not_kubernetes;
  int Count() const {
    return static_cast<int>(ignored.size() + sources.size() +
                            not_kubernetes.size());
  }
  std::string Describe() const {
    std::vector<std::string> parts;
    auto part = [&](const std::vector<std::string>& list, const char* what) {
      if (!list.empty()) {
        parts.push_back(absl::StrCat(list.size(), " ", what, " (", list[0],
                                     list.size() > 1 ? ", ..." : "", ")"));
      }
    };
    part(sources, "Helm or kustomize sources");
    part(not_kubernetes, "without Kubernetes objects");
    part(ignored, "matching --ignore");
    return absl::StrCat("skipped ", Count(), Count() == 1 ? " file: " : " files: ",
                        absl::StrJoin(parts, "; "));
  }
};

// An input `check` has found, in the order found: a file to read, and what
// its text may make of it; or one skipped by its name.
struct CheckInput {
  enum class Kind {
    kAsIs,        // "-" or a missing path: the decoder's error stands.
    kNamed,       // A file named with -f: a Helm template is an error.
    kSkippable,   // Walked, or a file argument: a Helm template and a file
                  // without Kubernetes objects are skipped.
    kIgnored,     // Skipped: matches --ignore.
    kSource,      // Skipped: a kustomization or chart, by its name.
  };
  std::string path;  // A skipped directory's ends with `/`.
  Kind kind = Kind::kAsIs;
};

// The filter of a walk (ListManifestFiles): skips sources and --ignore
// matches by their names; adds what it skips and the files it keeps to
// `found`, in the walk's order. What a file holds is looked at when it is
// read (LoadInOrder).
ManifestFilter SkipByName(const std::vector<std::string>& globs,
                          std::vector<CheckInput>* found) {
  return [&globs, found](const std::string& path, bool is_directory) {
    const std::string shown = is_directory ? path + "/" : path;
    if (Ignored(path, globs)) {
      found->push_back({shown, CheckInput::Kind::kIgnored});
    } else if (!SourceKind(path).empty()) {
      found->push_back({shown, CheckInput::Kind::kSource});
    } else {
      if (!is_directory) {
        found->push_back({path, CheckInput::Kind::kSkippable});
      }
      return EntryDecision::kKeep;
    }
    return EntryDecision::kSkip;
  };
}

// The files `check` reads for `inputs`, and what it skips on the way: "-"
// as is; a file named with -f as is, unless it is a source (exit 2, naming
// it and how to render it); a directory named with -f is refused when it is
// a kustomization or a chart, else walked (ListManifestFiles: a directory
// it cannot list, there or below, is an error naming it): sources and
// --ignore matches are skipped, and so, when read, are templates and files
// without Kubernetes objects (the caller prints one summary line).
// `named`: how many of `inputs` came from -f (the rest are file arguments,
// such as the staged files pre-commit passes, which are skipped like walked
// files).
absl::Status ExpandInputs(const std::vector<std::string>& inputs, size_t named,
                          bool recursive, const std::vector<std::string>& globs,
                          std::vector<CheckInput>* found) {
  namespace fs = std::filesystem;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string& path = inputs[i];
    std::error_code error;
    if (path == "-" || !fs::exists(path, error)) {
      found->push_back({path});  // The decoder names what is missing.
      continue;
    }
    const bool is_dir = fs::is_directory(path, error);
    const std::string kind = SourceKind(path);
    if (!kind.empty() && (is_dir || i < named)) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": this is ", kind, ", not rendered objects: ",
          RenderHint(kind, path)));
    }
    if (is_dir) {
      // A directory it cannot list is an error, as `env -f DIR` has it. The
      // filter adds the files to `found`.
      SVCENV_RETURN_IF_ERROR(
          ListManifestFiles(path, recursive, SkipByName(globs, found))
              .status());
    } else if (Ignored(path, globs)) {
      found->push_back({path, CheckInput::Kind::kIgnored});
    } else if (i >= named && !kind.empty()) {
      found->push_back({path, CheckInput::Kind::kSource});
    } else {
      found->push_back({path, i < named ? CheckInput::Kind::kNamed
                                        : CheckInput::Kind::kSkippable});
    }
  }
  return absl::OkStatus();
}

// Whether `input`, read as `read` says (`any_object`: whether it held an
// object of any kind), is skipped for what it holds: sets `*skip` and adds
// it to `skipped`; else returns `read`. The decoder has read the file; its
// text is read again only when the decoder refused it or found nothing in
// it (a values file, a template). A template named with -f is an error
// naming it and how to render it.
absl::Status SkipByText(const CheckInput& input, const absl::Status& read,
                        bool any_object, Skipped* skipped, bool* skip) {
  using Kind = CheckInput::Kind;
  *skip = false;
  if (input.kind == Kind::kAsIs) return read;
  if (read.ok() && (any_object || input.kind == Kind::kNamed)) return read;
  // What else the decoder refuses (an unreadable file) is no source.
  if (!read.ok() && read.code() != absl::StatusCode::kInvalidArgument) {
    return read;
  }
  std::string text;
  if (!ReadFile(input.path, &text).ok()) return read;
  if (!read.ok() && HelmTemplate(input.path, text)) {
    if (input.kind == Kind::kNamed) {
      return absl::InvalidArgumentError(absl::StrCat(
          input.path, ": this is a Helm template, not rendered objects: ",
          RenderHint("a Helm template", input.path)));
    }
    skipped->sources.push_back(input.path);
    *skip = true;
    return absl::OkStatus();
  }
  if (input.kind == Kind::kSkippable &&
      LacksKubernetesObjects(input.path, text)) {
    skipped->not_kubernetes.push_back(input.path);
    *skip = true;
    return absl::OkStatus();
  }
  return read;
}

// Reads each file of `found` on its own, numbering objects on from those
// before, so that `Origin::sequence` is the apply order across every -f;
// adds what is skipped to `skipped`, in the order found. The decoder's
// warnings of the files kept go to `warnings`, for the caller to print
// after the summary of what was skipped. `inputs` name the input in
// messages.
absl::Status LoadInOrder(const std::vector<CheckInput>& found,
                         const std::vector<std::string>& inputs,
                         const DecodeOptions& options, Io& io,
                         std::ostream& warnings, Objects* objects,
                         Skipped* skipped) {
  if (found.empty()) {
    return absl::InvalidArgumentError(
        "no input: give -f FILE, -f DIR or -f - (standard input)");
  }
  Objects all;
  int base = 0;
  bool any_object = false;
  std::vector<std::string> read_paths;
  for (const CheckInput& input : found) {
    if (input.kind == CheckInput::Kind::kIgnored) {
      skipped->ignored.push_back(input.path);
      continue;
    }
    if (input.kind == CheckInput::Kind::kSource) {
      skipped->sources.push_back(input.path);
      continue;
    }
    Objects read;
    bool found_object = false;
    std::ostringstream file_warnings;
    Io file_io{io.in, io.out, file_warnings, io.program, io.stdin_is_terminal};
    const absl::Status status =
        LoadInputs({input.path}, /*recursive=*/false, options, file_io, &read,
                   &found_object, /*warn_duplicate_keys=*/false);
    bool skip = false;
    SVCENV_RETURN_IF_ERROR(
        SkipByText(input, status, found_object, skipped, &skip));
    if (skip) continue;
    read_paths.push_back(input.path);
    warnings << file_warnings.str();
    any_object |= found_object;
    int next = base;
    auto renumber = [&](auto& list, auto& into) {
      for (auto& object : list) {
        object.origin.sequence += base;
        next = std::max(next, object.origin.sequence + 1);
        into.push_back(std::move(object));
      }
    };
    renumber(read.services, all.services);
    renumber(read.pods, all.pods);
    renumber(read.config_maps, all.config_maps);
    renumber(read.secrets, all.secrets);
    renumber(read.nodes, all.nodes);
    all.duplicate_keys.insert(all.duplicate_keys.end(),
                              read.duplicate_keys.begin(),
                              read.duplicate_keys.end());
    base = next;
  }
  if (read_paths.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no Kubernetes objects found in ", absl::StrJoin(inputs, ", "),
        ": every file was skipped (render Helm charts and kustomizations "
        "first; see --help)"));
  }
  if (!any_object) return NoObjectsError(read_paths);
  *objects = std::move(all);
  return absl::OkStatus();
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
  CheckOptions options;
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
  SVCENV_ASSIGN_OR_RETURN(const Output format, ParseOutput(flags, Formats()));
  Severity shown = Severity::kInfo;
  if (flags.Has("severity")) {
    absl::StatusOr<Severity> parsed =
        ParseSeverity(flags.Value("severity", ""));
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--severity must be error, warning or info, got \"",
          flags.Value("severity", ""), "\""));
    }
    shown = *parsed;
  }
  const std::string fail_on_text = flags.Value("fail-on", "error");
  const bool never = fail_on_text == "never";
  Severity fail_on = Severity::kError;
  if (!never) {
    absl::StatusOr<Severity> parsed = ParseSeverity(fail_on_text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--fail-on must be error, warning, info or never, got \"",
          fail_on_text, "\""));
    }
    fail_on = *parsed;
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
    SVCENV_RETURN_IF_ERROR(ReadFile(path, &text));
    SVCENV_ASSIGN_OR_RETURN(std::vector<CatalogueEntry> entries,
                            ParseCatalogue(text, path));
    options.extra_catalogue.insert(options.extra_catalogue.end(),
                                   entries.begin(), entries.end());
  }

  // Suppressions: the config file, then the rule switches.
  const std::string cwd = std::filesystem::current_path().string();
  const std::string root =
      flags.Has("root")
          ? std::filesystem::absolute(flags.Value("root", ""))
                .lexically_normal()
                .string()
          : RepositoryRoot(cwd);
  std::string config_path = flags.Value("config", "");
  if (config_path.empty()) config_path = FindConfig(cwd, root);
  std::vector<std::string> ignore_globs;
  if (!config_path.empty()) {
    std::string text;
    SVCENV_RETURN_IF_ERROR(ReadFile(config_path, &text));
    SVCENV_ASSIGN_OR_RETURN(CheckConfig config,
                            ParseCheckConfig(text, config_path));
    ApplyCheckConfig(config, config_path, &options);
    ignore_globs = config.ignore_files;
  }
  for (const std::string& glob : flags.Values("ignore")) {
    ignore_globs.push_back(glob);
  }
  for (const char* kind : {"secrets", "configmaps"}) {
    if (!flags.Has(kind)) continue;
    const std::string value = flags.Value(kind, "");
    if (value != "input" && value != "external") {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", kind, " must be input or external, got \"", value, "\""));
    }
    (absl::string_view(kind) == "secrets" ? options.secrets_unknown
                                          : options.config_maps_unknown) =
        value == "external";
  }
  for (const std::string& id : flags.Values("disable")) {
    SVCENV_RETURN_IF_ERROR(ValidateRuleId(id, "--disable"));
    options.disabled_rules.insert(id);
  }
  for (const std::string& id : flags.Values("enable")) {
    SVCENV_RETURN_IF_ERROR(ValidateRuleId(id, "--enable"));
    options.disabled_rules.erase(id);
  }
  std::set<std::string> baseline;
  const std::string baseline_path = flags.Value("baseline", "");
  if (!baseline_path.empty()) {
    std::string text;
    SVCENV_RETURN_IF_ERROR(ReadFile(baseline_path, &text));
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
        LoadLive(flags, decode, io, &objects, &owners, &options));
    options.group_by_owner = false;  // Below, with the ReplicaSets.
  } else {
    SVCENV_RETURN_IF_ERROR(RejectLiveFlags(flags));
    std::vector<CheckInput> found;
    SVCENV_RETURN_IF_ERROR(
        ExpandInputs(inputs, named, recursive, ignore_globs, &found));
    Skipped skipped;
    std::ostringstream warnings;
    const absl::Status loaded =
        LoadInOrder(found, inputs, decode, io, warnings, &objects, &skipped);
    // The summary first, as if every skip was decided before reading.
    if (skipped.Count() > 0) Warn(io, skipped.Describe());
    io.err << warnings.str();
    SVCENV_RETURN_IF_ERROR(loaded);
    if (skipped.Count() > 0 && objects.pods.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "no Kubernetes workloads found in ", absl::StrJoin(inputs, ", "),
          " (", skipped.Count(),
          " files skipped): nothing was checked"));
    }
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
  HideBelow(shown, &result);
  const int failing = never ? 0 : result.CountAtLeast(fail_on);
  if (format == Output::kJson) {
    io.out << RenderCheckJson(result, fail_on, never);
  } else if (format == Output::kYaml) {
    // The same document as -o json, as every command's -o yaml is.
    io.out << DumpYaml(nlohmann::ordered_json::parse(
        RenderCheckJson(result, fail_on, never), /*cb=*/nullptr,
        /*allow_exceptions=*/false));
  } else if (format == Output::kSarif || format == Output::kGithub) {
    SarifOptions sarif;
    sarif.tool_version = kVersionString;
    sarif.repository_root = root;
    sarif.working_directory = cwd;
    io.out << (format == Output::kSarif ? RenderCheckSarif(result, sarif)
                                 : RenderCheckGithub(result, sarif));
  } else {
    io.out << RenderCheckText(result);
  }
  if (failing > 0) {
    // Run() prints this on stderr and exits 1; the report is already out.
    return absl::FailedPreconditionError(
        absl::StrCat(failing, failing == 1 ? " finding" : " findings",
                     " at or above ", SeverityName(fail_on)));
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
