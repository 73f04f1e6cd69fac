// tools/pod_inputs.h
//
// DO NOT INCLUDE OUTSIDE tools/. The objects a command about one pod's
// containers (`env`, `diff`, `why`) reads, and the pod and containers it
// means: from `-f` inputs, or, without `-f`, from the cluster through
// kubectl (live mode). Live mode fetches only what the kubelet reads for
// those containers: the pod or workload, then the dependencies the library
// lists for their environments (svcenv/env_dependency.h: the Services of
// the namespace and default/kubernetes, each referenced ConfigMap and
// Secret by name, the Node when the downward API needs it). Nothing is
// written.
//
// A ConfigMap or Secret that does not exist is simply absent (the
// computation then applies the kubelet's rules); one kubectl may not read
// (Forbidden) is absent too, listed in `unreadable` with a warning, so that
// its values print as placeholders and the command can say why.
#ifndef SVCENV_TOOLS_POD_INPUTS_H_
#define SVCENV_TOOLS_POD_INPUTS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "svcenv/container_env.h"
#include "svcenv/env_refusal.h"
#include "svcenv/objects.h"
#include "tools/cli.h"
#include "tools/flags.h"
#include "tools/kubectl.h"

namespace svcenv::cli {

// `--kubectl`, `--context`, `--kubeconfig`: how live mode runs kubectl.
std::vector<FlagSpec> LiveFlags();

// The kubectl the live flags describe.
Kubectl KubectlFromFlags(const ParsedFlags& flags);

// InvalidArgumentError when a live flag is given with -f inputs.
absl::Status RejectLiveFlags(const ParsedFlags& flags);

// Where a command's objects come from. The one rule every command follows:
// -f (or file arguments) reads files; without them, --live or a terminal on
// standard input reads the cluster; otherwise standard input is read, as
// kubeconform does (`helm template ... | svcenv check`), with a note on
// `io.err`, so that a pipe in CI never lints the kubeconfig's cluster.
enum class InputMode { kFiles, kStandardInput, kLive };

// Files with -f (or file arguments); else the cluster with --live,
// --context or --kubeconfig (they name one), or at a terminal;
// else standard input (a pipe), with a note on stderr.
// `has_files`: -f or file arguments were given. `stdin_taken`: another flag
// reads standard input (`diff --actual -`); without -f that is an
// InvalidArgumentError asking for -f or --live. `command` names the command
// in the note.
absl::StatusOr<InputMode> ChooseInputMode(const ParsedFlags& flags,
                                          bool has_files, bool stdin_taken,
                                          absl::string_view command, Io& io);

// An object kubectl was not allowed to read.
struct UnreadableObject {
  std::string kind;  // "ConfigMap", "Secret", "Node", "Service".
  std::string namespace_name;
  std::string name;
  std::string error;  // kubectl's message.
};

struct PodInputs {
  Objects objects;
  const Pod* pod = nullptr;                 // Into `objects.pods`.
  std::vector<const Container*> containers;  // Into `*pod`.
  // Live mode: the kubectl used; nullopt with -f.
  std::optional<Kubectl> kubectl;
  std::vector<UnreadableObject> unreadable;
  std::vector<std::string> warnings;  // One per unreadable object.

  // The unreadable object `refusal` is about, or null: its "not found" is
  // then not the kubelet's refusal but svcenv's blindness.
  const UnreadableObject* UnreadableFor(const Refusal& refusal) const;
};

// Reads the inputs (`-f`, or live) and selects the pod (`pod_args`: empty,
// or POD / KIND/NAME; -n) and the containers (-c, or every one with
// `all_containers`). `options` are
// the ones the environments will be computed with (live mode asks them
// which objects are read). Errors are exit-2 statuses naming the input or
// kubectl's message (e.g. the pod does not exist).
absl::StatusOr<std::unique_ptr<PodInputs>> LoadPodInputs(
    const ParsedFlags& flags, const std::vector<std::string>& pod_args,
    bool all_containers,
    const EnvironmentOptions& options, Io& io,
    absl::string_view command, bool stdin_taken = false);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_POD_INPUTS_H_
