// Reading what `svcenv check` checks (check_inputs.h): the cluster through
// kubectl, or manifest files and directories with the sources, templates and
// other files a repository holds skipped on the way.
#include "tools/check_inputs.h"

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <fnmatch.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "lib/base/status_macros.h"
#include "svcenv/check.h"
#include "svcenv/container_env.h"
#include "svcenv/decode.h"
#include "svcenv/service_env.h"
#include "tools/cli.h"
#include "tools/commands.h"
#include "tools/flags.h"
#include "tools/kubectl.h"
#include "tools/pod_inputs.h"

namespace svcenv::cli {
namespace {


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

}  // namespace

absl::Status ReadCheckFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  text->assign(std::istreambuf_iterator<char>(in), {});
  return absl::OkStatus();
}

absl::Status LoadLiveForCheck(const ParsedFlags& flags,
                              const DecodeOptions& decode, Io& io,
                              Objects* objects, Objects* owners,
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

  // Every pod also sees default/kubernetes (ServiceDependencies): read what
  // -n NS did not list (-A and -n default list it already).
  const bool has_master = std::any_of(
      read.services.begin(), read.services.end(), IsMasterService);
  for (const Dependency& d :
       ns.has_value() && !has_master
           ? ServiceDependencies(*ns, /*enable_service_links=*/true)
           : std::vector<Dependency>()) {
    if (d.kind != DependencyKind::kService) continue;
    absl::StatusOr<std::string> master =
        kubectl.GetJson("service", d.name, d.namespace_name);
    if (master.ok()) {
      SVCENV_RETURN_IF_ERROR(DecodeText(
          *master, absl::StrCat("kubectl get service ", d.name), decode,
          &read));
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

namespace {

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
  if (absl::EndsWith(path, ".json")) {
    return !absl::StrContains(text, "\"kind\"");
  }
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
    return absl::StrCat("skipped ", Count(),
                        Count() == 1 ? " file: " : " files: ",
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
  if (!ReadCheckFile(input.path, &text).ok()) return read;
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

}  // namespace

absl::Status LoadManifestsForCheck(const std::vector<std::string>& inputs,
                                   size_t named, bool recursive,
                                   const std::vector<std::string>& ignore_globs,
                                   const DecodeOptions& decode, Io& io,
                                   Objects* objects) {
  std::vector<CheckInput> found;
  SVCENV_RETURN_IF_ERROR(
      ExpandInputs(inputs, named, recursive, ignore_globs, &found));
  Skipped skipped;
  std::ostringstream warnings;
  const absl::Status loaded =
      LoadInOrder(found, inputs, decode, io, warnings, objects, &skipped);
  // The summary first, as if every skip was decided before reading.
  if (skipped.Count() > 0) Warn(io, skipped.Describe());
  io.err << warnings.str();
  SVCENV_RETURN_IF_ERROR(loaded);
  if (skipped.Count() > 0 && objects->pods.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no Kubernetes workloads found in ", absl::StrJoin(inputs, ", "), " (",
        skipped.Count(), " files skipped): nothing was checked"));
  }
  return absl::OkStatus();
}

}  // namespace svcenv::cli
