#include "tools/pod_inputs.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "lib/base/status_macros.h"
#include "svcenv/decode.h"
#include "svcenv/env_dependency.h"
#include "svcenv/object_lookup.h"
#include "svcenv/service_env.h"
#include "tools/commands.h"
#include "tools/pod_selection.h"

namespace svcenv::cli {

std::vector<FlagSpec> LiveFlags() {
  return {
      {"live", 0, false, "",
       "Read the cluster through kubectl even though standard input is not "
       "a terminal (without -f and without --live, a pipe is read)."},
      {"kubectl", 0, true, "PATH",
       "Without -f: the kubectl to run (default: kubectl on PATH)."},
      {"context", 0, true, "NAME",
       "Without -f: the kubeconfig context kubectl uses."},
      {"kubeconfig", 0, true, "FILE",
       "Without -f: the kubeconfig file kubectl reads."},
  };
}

Kubectl KubectlFromFlags(const ParsedFlags& flags) {
  KubectlOptions options;
  options.binary = flags.Value("kubectl", "kubectl");
  if (flags.Has("context")) options.context = flags.Value("context", "");
  if (flags.Has("kubeconfig")) {
    options.kubeconfig = flags.Value("kubeconfig", "");
  }
  return Kubectl(std::move(options));
}

absl::Status RejectLiveFlags(const ParsedFlags& flags) {
  // Not live mode: --live met -f.
  if (flags.Has("live")) {
    return absl::InvalidArgumentError(
        "--live reads the cluster, not files: drop -f or --live");
  }
  for (absl::string_view name : {"kubectl", "context", "kubeconfig"}) {
    if (flags.Has(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name,
                       " applies to live mode only: without -f, and with "
                       "--live where standard input is not a terminal"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<InputMode> ChooseInputMode(const ParsedFlags& flags,
                                          bool has_files, bool stdin_taken,
                                          absl::string_view command, Io& io) {
  if (has_files) return InputMode::kFiles;
  // A cluster is read when the user names one (--live, or the flags that
  // say which: --context, --kubeconfig; --kubectl only says through what),
  // or at a terminal, where nothing is piped.
  if (flags.Has("live") || flags.Has("context") || flags.Has("kubeconfig") ||
      io.stdin_is_terminal) {
    return InputMode::kLive;
  }
  if (stdin_taken) {
    return absl::InvalidArgumentError(
        "standard input is not a terminal and is already read for another "
        "flag: give the objects with -f FILE, or --live to read the cluster "
        "through kubectl");
  }
  io.err << io.program << " " << command
         << ": reading objects from standard input (no -f, and standard "
            "input is not a terminal; --live reads the cluster instead)\n";
  return InputMode::kStandardInput;
}

const UnreadableObject* PodInputs::UnreadableFor(const Refusal& refusal) const {
  if (refusal.reason != RefusalReason::kObjectNotFound) return nullptr;
  for (const UnreadableObject& u : unreadable) {
    if (u.kind == refusal.object_kind &&
        u.namespace_name == refusal.object_namespace &&
        u.name == refusal.object_name) {
      return &u;
    }
  }
  return nullptr;
}

namespace {

std::optional<std::string> OptionalFlag(const ParsedFlags& flags,
                                        absl::string_view name) {
  if (!flags.Has(name)) return std::nullopt;
  return flags.Value(name, "");
}

// `kubectl get` for the POD or KIND/NAME the user named.
absl::Status FetchPod(const Kubectl& kubectl,
                      const std::vector<std::string>& positional,
                      const std::optional<std::string>& ns,
                      const DecodeOptions& options, Objects* objects) {
  if (positional.empty()) {
    return absl::InvalidArgumentError(
        "name the pod (POD or KIND/NAME): without -f the cluster is read "
        "through kubectl, one pod at a time");
  }
  if (positional.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected one POD or KIND/NAME, got \"", positional[1], "\""));
  }
  std::vector<std::string> parts = absl::StrSplit(positional[0], '/');
  std::string kind = "Pod";
  std::string name = parts[0];
  if (parts.size() == 2) {
    std::optional<std::string> canonical = CanonicalKind(parts[0]);
    if (!canonical.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", parts[0],
          "\" is not a kind with a pod template (pod, deployment, "
          "statefulset, daemonset, replicaset, replicationcontroller, job, "
          "cronjob)"));
    }
    kind = *canonical;
    name = parts[1];
  } else if (parts.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", positional[0], "\" is neither POD nor KIND/NAME"));
  }
  SVCENV_ASSIGN_OR_RETURN(
      const std::string json,
      kubectl.GetJson(absl::AsciiStrToLower(kind), name, ns));
  const std::string label = absl::StrCat("kubectl get ",
                                         absl::AsciiStrToLower(kind), " ",
                                         name);
  return DecodeText(json, label, options, objects);
}

absl::string_view KindName(DependencyKind kind) {
  switch (kind) {
    case DependencyKind::kConfigMap:
      return "ConfigMap";
    case DependencyKind::kSecret:
      return "Secret";
    case DependencyKind::kNode:
      return "Node";
    case DependencyKind::kServiceNamespace:
    case DependencyKind::kService:
      return "Service";
  }
  return "";
}

absl::Status FetchDependencies(const Kubectl& kubectl,
                               const std::vector<Dependency>& dependencies,
                               const DecodeOptions& options, Objects* fetched,
                               PodInputs* inputs) {
  for (const Dependency& d : dependencies) {
    std::string resource;
    std::optional<std::string> ns = d.namespace_name;
    std::string name = d.name;
    switch (d.kind) {
      case DependencyKind::kConfigMap:
        resource = "configmap";
        break;
      case DependencyKind::kSecret:
        resource = "secret";
        break;
      case DependencyKind::kNode:
        resource = "node";
        ns = std::nullopt;
        break;
      case DependencyKind::kServiceNamespace:
        resource = "services";
        break;
      case DependencyKind::kService:
        resource = "service";
        break;
    }
    absl::StatusOr<std::string> json = kubectl.GetJson(resource, name, ns);
    const std::string what =
        absl::StrCat(KindName(d.kind), " ",
                     d.namespace_name.empty() ? "" : d.namespace_name + "/",
                     name.empty() ? "*" : name);
    if (json.status().code() == absl::StatusCode::kNotFound) continue;
    if (json.status().code() == absl::StatusCode::kPermissionDenied) {
      inputs->unreadable.push_back({std::string(KindName(d.kind)),
                                    d.namespace_name, name,
                                    std::string(json.status().message())});
      inputs->warnings.push_back(absl::StrCat(
          "cannot read ", what,
          d.kind == DependencyKind::kServiceNamespace
              ? " (the namespace's Services)"
              : "",
          ": kubectl says it is Forbidden for you; what it holds is "
          "unknown here (shown as placeholders; optional references to it "
          "are left out) although the kubelet reads it"));
      continue;
    }
    if (!json.ok()) return json.status();
    const std::string label =
        absl::StrCat("kubectl get ", resource, name.empty() ? "" : " ", name);
    SVCENV_RETURN_IF_ERROR(DecodeText(*json, label, options, fetched));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PodInputs>> LoadPodInputs(
    const ParsedFlags& flags, const std::vector<std::string>& pod_args,
    bool all_containers,
    const EnvironmentOptions& options, Io& io, absl::string_view command,
    bool stdin_taken) {
  auto inputs = std::make_unique<PodInputs>();
  const std::optional<std::string> ns = OptionalFlag(flags, "namespace");
  DecodeOptions decode_options;
  decode_options.default_namespace = ns.value_or("default");
  SVCENV_RETURN_IF_ERROR(ApplyInputLimits(flags, &decode_options));
  SVCENV_ASSIGN_OR_RETURN(
      const InputMode mode,
      ChooseInputMode(flags, flags.Has("filename"), stdin_taken, command, io));
  const bool live = mode == InputMode::kLive;
  if (live) {
    if (flags.Has("recursive")) {
      return absl::InvalidArgumentError("-R applies to -f DIR only");
    }
    inputs->kubectl = KubectlFromFlags(flags);
    SVCENV_RETURN_IF_ERROR(FetchPod(*inputs->kubectl, pod_args, ns,
                                    decode_options, &inputs->objects));
  } else {
    SVCENV_RETURN_IF_ERROR(RejectLiveFlags(flags));
    SVCENV_RETURN_IF_ERROR(LoadInputs(
        mode == InputMode::kStandardInput ? std::vector<std::string>{"-"}
                                          : flags.Values("filename"),
        flags.Has("recursive"), decode_options, io, &inputs->objects));
  }
  // Live, the one object fetched is the pod whatever -n said.
  SVCENV_ASSIGN_OR_RETURN(
      inputs->pod, SelectPod(inputs->objects, pod_args,
                             live ? std::nullopt : ns));
  SVCENV_ASSIGN_OR_RETURN(
      inputs->containers,
      SelectContainers(*inputs->pod, OptionalFlag(flags, "container"),
                       all_containers));
  if (live) {
    // Into a separate Objects first: appending to `objects.pods` would move
    // the pod `inputs->pod` points to.
    Objects fetched;
    SVCENV_RETURN_IF_ERROR(FetchDependencies(
        *inputs->kubectl,
        DependenciesOf(*inputs->pod, inputs->containers, options),
        decode_options, &fetched, inputs.get()));
    Objects& objects = inputs->objects;
    for (auto& s : fetched.services) objects.services.push_back(std::move(s));
    for (auto& c : fetched.config_maps) {
      objects.config_maps.push_back(std::move(c));
    }
    for (auto& s : fetched.secrets) objects.secrets.push_back(std::move(s));
    for (auto& n : fetched.nodes) objects.nodes.push_back(std::move(n));
  }
  return inputs;
}

}  // namespace svcenv::cli
