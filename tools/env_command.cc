// `svcenv env`: printenv for a pod that never ran.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "lib/internal/status_macros.h"
#include "nlohmann/json.hpp"
#include "svcenv/container_env.h"
#include "svcenv/decode.h"
#include "svcenv/kubelet_version.h"
#include "svcenv/service_env.h"
#include "tools/commands.h"
#include "tools/flags.h"
#include "tools/output.h"

namespace svcenv::cli {
namespace {

const std::vector<FlagSpec>& Specs() {
  static const auto* const kSpecs = new std::vector<FlagSpec>{
      {"filename", 'f', true, "FILE|DIR|-",
       "Objects to read (JSON or YAML; repeatable; - is standard input)."},
      RecursiveFlag(),
      {"namespace", 'n', true, "NS",
       "Namespace of the pod; also the namespace of objects that name none."},
      {"container", 'c', true, "NAME",
       "Container or init container (default: the first app container)."},
      {"all-containers", 0, false, "", "Every init container, then every container."},
      {"output", 'o', true, "env|export|json", "Output format (default env)."},
      {"explain", 0, false, "",
       "A table of name, value, source, what it shadows, unresolved $(...)."},
      {"show-secrets", 0, false, "", "Print Secret-derived values."},
      {"kubelet-version", 0, true, "X.Y",
       "Follow that kubelet, 1.29 to 1.38, where results differ (default "
       "1.38)."},
      {"as-running", 0, false, "",
       "Leave out Services created after the container started."},
      MaxInputBytesFlag(),
      {"help", 'h', false, "", "Show this help."},
  };
  return *kSpecs;
}

constexpr char kHelp[] =
    R"(Usage: svcenv env [POD | KIND/NAME] -f FILE|DIR|- [-f ...] [-n NS]
                  [-c CONTAINER | --all-containers] [-o env|export|json]
                  [--explain] [--show-secrets] [--kubelet-version X.Y] [--as-running]

Prints the environment the kubelet gives a container: Service variables,
envFrom, env with $(VAR) expansion, exactly as the kubelet builds it, without
running anything. The pod is a Pod or any workload's pod template
(Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
CronJob); with one such object in the input its name may be omitted.
`kubectl get pods,svc,cm,secrets,nodes -A -o json` output works as is.

Secret-derived values print as <secret NS/NAME key KEY> unless --show-secrets.
Exit codes: 0 environment printed; 1 the kubelet would refuse the container
(missing ConfigMap, Secret or key; bad quantity); 2 bad usage or input.

)";

struct Selection {
  const Pod* pod = nullptr;
  std::vector<const Container*> containers;
};

// Accepted spellings of the pod-bearing kinds, as kubectl accepts them.
std::optional<std::string> CanonicalKind(absl::string_view text) {
  static const std::pair<const char*, const char*> kAliases[] = {
      {"pod", "Pod"},
      {"pods", "Pod"},
      {"po", "Pod"},
      {"deployment", "Deployment"},
      {"deployments", "Deployment"},
      {"deploy", "Deployment"},
      {"statefulset", "StatefulSet"},
      {"statefulsets", "StatefulSet"},
      {"sts", "StatefulSet"},
      {"daemonset", "DaemonSet"},
      {"daemonsets", "DaemonSet"},
      {"ds", "DaemonSet"},
      {"replicaset", "ReplicaSet"},
      {"replicasets", "ReplicaSet"},
      {"rs", "ReplicaSet"},
      {"replicationcontroller", "ReplicationController"},
      {"replicationcontrollers", "ReplicationController"},
      {"rc", "ReplicationController"},
      {"job", "Job"},
      {"jobs", "Job"},
      {"cronjob", "CronJob"},
      {"cronjobs", "CronJob"},
      {"cj", "CronJob"},
      {"podtemplate", "PodTemplate"},
      {"podtemplates", "PodTemplate"},
  };
  const std::string lower = absl::AsciiStrToLower(text);
  for (const auto& [alias, kind] : kAliases) {
    if (lower == alias) return std::string(kind);
  }
  return std::nullopt;
}

std::string PodLabel(const Pod& pod) {
  return absl::StrCat(pod.workload_kind, " ", pod.meta.namespace_name, "/",
                      pod.workload_name);
}

absl::StatusOr<const Pod*> SelectPod(const Objects& objects,
                                     const std::vector<std::string>& positional,
                                     const std::optional<std::string>& ns) {
  if (positional.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected at most one POD or KIND/NAME, got \"", positional[1], "\""));
  }
  std::optional<std::string> kind;
  std::optional<std::string> name;
  if (!positional.empty()) {
    std::vector<std::string> parts = absl::StrSplit(positional[0], '/');
    if (parts.size() == 2) {
      kind = CanonicalKind(parts[0]);
      if (!kind.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "\"", parts[0],
            "\" is not a kind with a pod template (pod, deployment, "
            "statefulset, daemonset, replicaset, replicationcontroller, job, "
            "cronjob)"));
      }
      name = parts[1];
    } else if (parts.size() == 1) {
      name = parts[0];
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", positional[0], "\" is neither POD nor KIND/NAME"));
    }
  }
  std::vector<const Pod*> matches;
  for (const Pod& pod : objects.pods) {
    if (ns.has_value() && pod.meta.namespace_name != *ns) continue;
    if (kind.has_value() && pod.workload_kind != *kind) continue;
    if (name.has_value() && pod.workload_name != *name) continue;
    matches.push_back(&pod);
  }
  // A bare name means a Pod first, as kubectl does; a workload only when no
  // Pod has that name.
  if (name.has_value() && !kind.has_value()) {
    std::vector<const Pod*> pods;
    for (const Pod* pod : matches) {
      if (pod->workload_kind == "Pod") pods.push_back(pod);
    }
    if (!pods.empty()) matches = pods;
  }
  if (matches.size() == 1) return matches[0];
  const std::string where =
      ns.has_value() ? absl::StrCat(" in namespace ", *ns) : "";
  if (matches.empty()) {
    if (!name.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "no Pod or workload with a pod template in the input", where));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("no ", kind.value_or("Pod or workload"), " named \"",
                     *name, "\" in the input", where));
  }
  std::vector<std::string> labels;
  for (const Pod* pod : matches) labels.push_back(PodLabel(*pod));
  std::sort(labels.begin(), labels.end());
  if (!name.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the input holds several pod-bearing objects; name one (POD or "
        "KIND/NAME): ",
        absl::StrJoin(labels, ", ")));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", positional[0], "\" matches several objects; use -n or KIND/NAME: ",
      absl::StrJoin(labels, ", ")));
}

absl::StatusOr<std::vector<const Container*>> SelectContainers(
    const Pod& pod, const ParsedFlags& flags) {
  std::vector<const Container*> out;
  if (flags.Has("all-containers")) {
    if (flags.Has("container")) {
      return absl::InvalidArgumentError(
          "-c and --all-containers exclude each other");
    }
    for (const Container& c : pod.init_containers) out.push_back(&c);
    for (const Container& c : pod.containers) out.push_back(&c);
  } else {
    const std::string name = flags.Value("container", "");
    const Container* c = FindContainer(pod, name);
    if (c != nullptr) out.push_back(c);
    if (c == nullptr && !name.empty()) {
      std::vector<std::string> names;
      for (const Container& k : pod.init_containers) names.push_back(k.name);
      for (const Container& k : pod.containers) names.push_back(k.name);
      return absl::InvalidArgumentError(
          absl::StrCat(PodLabel(pod), " has no container \"", name,
                       "\"; it has: ", absl::StrJoin(names, ", ")));
    }
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(PodLabel(pod), " has no containers"));
  }
  return out;
}

// When the container started, for deciding which Services it has: the
// running state's startedAt, else the pod's creation.
std::optional<Timestamp> StartOf(const Pod& pod, const Container& container) {
  for (const auto* statuses :
       {&pod.container_statuses, &pod.init_container_statuses}) {
    for (const ContainerStatus& status : *statuses) {
      if (status.name == container.name && status.started_at.has_value()) {
        return status.started_at;
      }
    }
  }
  return pod.meta.creation_timestamp;
}

// A value as one display line: newlines and NULs escaped.
std::string OneLine(absl::string_view value) {
  return absl::StrReplaceAll(value, {{"\n", "\\n"}, {std::string(1, '\0'), "\\0"}});
}

// POSIX shell single quoting, safe to `eval` for any bytes but NUL.
std::string ShellQuote(absl::string_view value) {
  return absl::StrCat("'", absl::StrReplaceAll(value, {{"'", "'\\''"}}), "'");
}

bool IsShellName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_';
  });
}

nlohmann::ordered_json SourceJson(const EnvSource& s) {
  if (s.kind == SourceKind::kService && s.service != nullptr) {
    return ServiceSourceJson(*s.service, s.port_index);
  }
  nlohmann::ordered_json j;
  switch (s.kind) {
    case SourceKind::kService:
      j["kind"] = "Service";
      break;
    case SourceKind::kConfigMapEnvFrom:
    case SourceKind::kConfigMapKeyRef:
      j["kind"] = "ConfigMap";
      break;
    case SourceKind::kSecretEnvFrom:
    case SourceKind::kSecretKeyRef:
      j["kind"] = "Secret";
      break;
    case SourceKind::kLiteral:
      j["kind"] = "value";
      break;
    case SourceKind::kEmpty:
      j["kind"] = "empty";
      break;
    case SourceKind::kFieldRef:
      j["kind"] = "fieldRef";
      break;
    case SourceKind::kResourceFieldRef:
      j["kind"] = "resourceFieldRef";
      break;
    case SourceKind::kFileKeyRef:
      j["kind"] = "fileKeyRef";
      break;
  }
  if (!s.object_name.empty()) {
    j["namespace"] = s.object_namespace;
    j["name"] = s.object_name;
  }
  if (!s.key.empty()) j["key"] = s.key;
  if (s.kind == SourceKind::kConfigMapEnvFrom ||
      s.kind == SourceKind::kSecretEnvFrom) {
    j["via"] = "envFrom";
    j["prefix"] = s.prefix;
  } else if (s.kind == SourceKind::kConfigMapKeyRef ||
             s.kind == SourceKind::kSecretKeyRef) {
    j["via"] = "env";
  }
  if (!s.field_path.empty()) j["fieldPath"] = s.field_path;
  if (s.kind == SourceKind::kFileKeyRef) {
    j["volumeName"] = s.volume_name;
    j["filePath"] = s.path;
  }
  if (!s.resource.empty()) {
    j["resource"] = s.resource;
    if (!s.divisor.empty()) j["divisor"] = s.divisor;
    if (!s.container_name.empty()) j["containerName"] = s.container_name;
  }
  if (s.index >= 0) {
    const bool env_from = s.kind == SourceKind::kConfigMapEnvFrom ||
                          s.kind == SourceKind::kSecretEnvFrom;
    j["path"] = absl::StrCat(env_from ? "envFrom[" : "env[", s.index, "]");
  }
  return j;
}

// Decides which values must be hidden: Secret-derived ones, and literal
// values or command/args that expanded a Secret-derived variable.
class Redactor {
 public:
  Redactor(const ContainerEnvironment& env, bool show) : show_(show) {
    for (const EnvEntry& e : env.env) {
      bool secret = e.source.IsSecret();
      for (const EnvSource& s : e.shadows) secret |= s.IsSecret();
      if (secret) secret_names_.insert(e.name);
    }
  }

  bool Hides(const EnvEntry& e) const {
    if (show_) return false;
    if (e.source.IsSecret()) return true;
    for (const std::string& ref : e.expanded_references) {
      if (secret_names_.count(ref) != 0) return true;
    }
    return false;
  }

  std::string Shown(const EnvEntry& e) const {
    if (!Hides(e)) return e.value;
    if (e.source.IsSecret()) {
      return absl::StrCat("<secret ", e.source.object_namespace, "/",
                          e.source.object_name, " key ", e.source.key, ">");
    }
    return "<derived from a secret>";
  }

  // Command/args entries that mention a Secret-derived `$(NAME)`.
  std::string ShownArg(const std::string& expanded,
                       const std::string& original) const {
    if (show_) return expanded;
    for (const std::string& name : secret_names_) {
      if (absl::StrContains(original, absl::StrCat("$(", name, ")"))) {
        return "<derived from a secret>";
      }
    }
    return expanded;
  }

 private:
  bool show_;
  std::set<std::string> secret_names_;
};

void PrintEnv(const Container& container, const ContainerEnvironment& env,
              const Redactor& redactor, bool multi, std::ostream& out) {
  if (multi) out << "# container " << container.name << "\n";
  for (const EnvEntry& e : env.env) {
    out << e.name << "=" << OneLine(redactor.Shown(e)) << "\n";
  }
}

void PrintExport(const Container& container, const ContainerEnvironment& env,
                 const Redactor& redactor, bool multi, std::ostream& out) {
  if (multi) out << "# container " << container.name << "\n";
  for (const EnvEntry& e : env.env) {
    if (!IsShellName(e.name)) {
      out << "# not a shell variable name, skipped: " << OneLine(e.name)
          << "\n";
      continue;
    }
    const std::string shown = redactor.Shown(e);
    if (shown.find('\0') != std::string::npos) {
      out << "# contains a NUL byte, which no shell variable can hold, "
             "skipped: "
          << e.name << "\n";
      continue;
    }
    out << "export " << e.name << "=" << ShellQuote(shown) << "\n";
  }
}

void PrintExplain(const Container& container, const ContainerEnvironment& env,
                  const Redactor& redactor, bool multi, std::ostream& out) {
  constexpr size_t kMaxValue = 48;
  struct Row {
    std::string name, value, source, shadows, unresolved;
  };
  std::vector<Row> rows = {{"NAME", "VALUE", "SOURCE", "SHADOWS", "UNRESOLVED"}};
  for (const EnvEntry& e : env.env) {
    Row row;
    row.name = OneLine(e.name);
    row.value = OneLine(redactor.Shown(e));
    if (row.value.size() > kMaxValue) {
      row.value = absl::StrCat(row.value.substr(0, kMaxValue - 3), "...");
    }
    row.source = DescribeSource(e.source);
    std::vector<std::string> shadows;
    for (const EnvSource& s : e.shadows) shadows.push_back(DescribeSource(s));
    row.shadows = shadows.empty() ? "-" : absl::StrJoin(shadows, "; ");
    row.unresolved =
        e.unresolved_references.empty()
            ? "-"
            : absl::StrJoin(e.unresolved_references, " ",
                            [](std::string* o, const std::string& n) {
                              absl::StrAppend(o, "$(", n, ")");
                            });
    rows.push_back(std::move(row));
  }
  size_t w[4] = {0, 0, 0, 0};
  for (const Row& row : rows) {
    w[0] = std::max(w[0], row.name.size());
    w[1] = std::max(w[1], row.value.size());
    w[2] = std::max(w[2], row.source.size());
    w[3] = std::max(w[3], row.shadows.size());
  }
  if (multi) out << "# container " << container.name << "\n";
  for (const Row& row : rows) {
    std::string line = absl::StrCat(
        row.name, std::string(w[0] - row.name.size() + 2, ' '), row.value,
        std::string(w[1] - row.value.size() + 2, ' '), row.source,
        std::string(w[2] - row.source.size() + 2, ' '), row.shadows,
        std::string(w[3] - row.shadows.size() + 2, ' '), row.unresolved);
    out << line << "\n";
  }
}

nlohmann::ordered_json ResultJson(const Pod& pod, const Container& container,
                                  const ContainerEnvironment& env,
                                  const std::vector<std::string>& warnings,
                                  const Redactor& redactor) {
  nlohmann::ordered_json doc;
  doc["pod"] = {{"namespace", pod.meta.namespace_name},
                {"name", pod.workload_name}};
  doc["container"] = container.name;
  doc["env"] = nlohmann::ordered_json::array();
  for (const EnvEntry& e : env.env) {
    nlohmann::ordered_json item;
    item["name"] = e.name;
    item["value"] = redactor.Shown(e);
    item["source"] = SourceJson(e.source);
    // A literal value's `$(...)` references, inside `source` so that each
    // entry keeps exactly the documented keys.
    if (!e.expanded_references.empty()) {
      item["source"]["references"] = e.expanded_references;
    }
    if (!e.unresolved_references.empty()) {
      item["source"]["unresolved"] = e.unresolved_references;
    }
    // The value is a placeholder: the kubelet reads it at container start.
    if (e.runtime_only) item["source"]["runtimeOnly"] = true;
    item["shadows"] = nlohmann::ordered_json::array();
    for (const EnvSource& s : e.shadows) item["shadows"].push_back(SourceJson(s));
    doc["env"].push_back(std::move(item));
  }
  doc["command"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < env.command.size(); ++i) {
    doc["command"].push_back(
        redactor.ShownArg(env.command[i], container.command[i]));
  }
  doc["args"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < env.args.size(); ++i) {
    doc["args"].push_back(redactor.ShownArg(env.args[i], container.args[i]));
  }
  doc["warnings"] = warnings;
  return doc;
}

// Computes one container's environment and renders it into `out` (or
// appends its JSON document to `json_docs`). Returns its warnings.
absl::StatusOr<std::vector<std::string>> RenderContainer(
    const Pod& pod, const Container& container, const Objects& objects,
    const EnvironmentOptions& options, const ParsedFlags& flags,
    const std::string& format, bool multi,
    const std::vector<std::string>& pod_warnings, std::ostream& out,
    nlohmann::ordered_json& json_docs) {
  std::vector<std::string> warnings = pod_warnings;
  const bool links = pod.enable_service_links.value_or(true);
  const bool as_running = flags.Has("as-running");
  // Services created after the container started are what a restart would
  // get; the running container does not have them.
  const std::optional<Timestamp> start = StartOf(pod, container);
  std::set<const Service*> late;
  if (start.has_value()) {
    for (const Service* s :
         VisibleServices(objects.services, pod.meta.namespace_name, links)) {
      if (!s->meta.creation_timestamp.has_value()) continue;
      const Timestamp& created = *s->meta.creation_timestamp;
      const std::string what =
          absl::StrCat("Service ", s->meta.namespace_name, "/", s->meta.name,
                       " (created ", created.text, ")");
      if (created.unix_seconds > start->unix_seconds) {
        late.insert(s);
        warnings.push_back(absl::StrCat(
            what, " is newer than container ", container.name, " (started ",
            start->text,
            "): the running container does not have its variables; a "
            "restart would add them",
            as_running ? " (left out: --as-running)" : ""));
      } else if (created.unix_seconds == start->unix_seconds) {
        warnings.push_back(absl::StrCat(
            what, " was created in the same second container ",
            container.name,
            " started: its variables may be missing until a restart"));
      }
    }
  }
  std::vector<Service> running_services;
  if (as_running && !late.empty()) {
    for (const Service& s : objects.services) {
      if (late.count(&s) == 0) running_services.push_back(s);
    }
  }
  const ServiceEnvironment services = ComputeServiceEnvironment(
      as_running && !late.empty() ? running_services : objects.services,
      pod.meta.namespace_name, links);
  absl::StatusOr<ContainerEnvironment> computed = ComputeContainerEnvironment(
      pod, container, services, objects, options);
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
  const ContainerEnvironment& env = *computed;
  warnings.insert(warnings.end(), services.diagnostics.begin(),
                  services.diagnostics.end());
  for (const ServiceClash& clash : env.clashes) {
    warnings.push_back(DescribeClash(clash));
  }
  warnings.insert(warnings.end(), env.warnings.begin(), env.warnings.end());
  const bool show_secrets = flags.Has("show-secrets");
  for (const EnvEntry& e : env.env) {
    const bool shown = show_secrets || !e.source.IsSecret();
    if (format == "env" && shown &&
        e.value.find_first_of(std::string("\n\0", 2)) !=
            std::string::npos) {
      warnings.push_back(absl::StrCat(
          e.name,
          " contains a newline or NUL byte; -o env shows them escaped as \\n "
          "and \\0 (use -o json for the exact value)"));
    }
    if (format == "export" && !flags.Has("explain") && !IsShellName(e.name)) {
      warnings.push_back(absl::StrCat(
          e.name,
          " is not a POSIX shell variable name; -o export leaves it out (the "
          "container still receives it)"));
    }
  }
  const Redactor redactor(env, show_secrets);
  if (format == "json") {
    json_docs.push_back(ResultJson(pod, container, env, warnings, redactor));
  } else if (flags.Has("explain")) {
    PrintExplain(container, env, redactor, multi, out);
  } else if (format == "export") {
    PrintExport(container, env, redactor, multi, out);
  } else {
    PrintEnv(container, env, redactor, multi, out);
  }
  return warnings;
}

}  // namespace

absl::Status RunEnv(const std::vector<std::string>& args, Io& io) {
  SVCENV_ASSIGN_OR_RETURN(ParsedFlags flags, ParseFlags(args, Specs()));
  if (flags.Has("help")) {
    io.out << kHelp << FlagsHelp(Specs());
    return absl::OkStatus();
  }
  const std::string format = flags.Value("output", "env");
  if (format != "env" && format != "export" && format != "json") {
    return absl::InvalidArgumentError(absl::StrCat(
        "-o must be env, export or json, got \"", format, "\""));
  }
  if (flags.Has("explain") && format != "env") {
    return absl::InvalidArgumentError("--explain prints a table; drop -o");
  }
  EnvironmentOptions env_options;
  if (flags.Has("kubelet-version")) {
    SVCENV_ASSIGN_OR_RETURN(
        env_options.kubelet,
        KubeletVersion::Parse(flags.Value("kubelet-version", "")));
  }

  std::optional<std::string> ns;
  if (flags.Has("namespace")) ns = flags.Value("namespace", "");
  DecodeOptions decode_options;
  decode_options.default_namespace = ns.value_or("default");
  SVCENV_RETURN_IF_ERROR(ApplyInputLimits(flags, &decode_options));
  Objects objects;
  SVCENV_RETURN_IF_ERROR(LoadInputs(flags.Values("filename"),
                                    flags.Has("recursive"), decode_options,
                                    io, &objects));
  SVCENV_ASSIGN_OR_RETURN(const Pod* pod,
                          SelectPod(objects, flags.positional(), ns));
  SVCENV_ASSIGN_OR_RETURN(std::vector<const Container*> containers,
                          SelectContainers(*pod, flags));

  const std::vector<const Service*> pending =
      StandInPendingClusterIps(&objects.services);
  std::vector<std::string> pod_warnings =
      MissingMasterServiceWarning(objects.services);
  for (std::string& w : PendingClusterIpWarnings(
           pending,
           VisibleServices(objects.services, pod->meta.namespace_name,
                           pod->enable_service_links.value_or(true)))) {
    pod_warnings.push_back(std::move(w));
  }
  const bool multi = containers.size() > 1;
  std::ostringstream rendered;  // Written to io.out only if all succeed.
  nlohmann::ordered_json json_docs = nlohmann::ordered_json::array();
  std::vector<std::string> warnings;  // Each once, in order.
  std::set<std::string> seen;
  for (const Container* container : containers) {
    SVCENV_ASSIGN_OR_RETURN(
        std::vector<std::string> container_warnings,
        RenderContainer(*pod, *container, objects, env_options, flags,
                        format, multi, pod_warnings, rendered, json_docs));
    for (std::string& w : container_warnings) {
      if (seen.insert(w).second) warnings.push_back(std::move(w));
    }
  }
  for (const std::string& w : warnings) {
    io.err << "svcenv env: warning: " << w << "\n";
  }
  if (format == "json") {
    io.out << DumpJson(multi ? json_docs : json_docs[0]) << "\n";
  } else {
    io.out << rendered.str();
  }
  return absl::OkStatus();
}

}  // namespace svcenv::cli
