// include/svcenv/env_diff.h
//
// Why a running container's environment differs from the one svcenv
// computes from the objects as they are now. The kubelet builds a
// container's environment once, when it starts the container, and never
// updates it; the container runtime and the image add their own variables.
// So a difference is explained when it follows from what happened since the
// start or from what Kubernetes does not control:
//
//   missing  a Service created after the container started (a restart adds
//            it); a key added to an envFrom ConfigMap/Secret since the start.
//   extra    runtime-added HOSTNAME, HOME, PATH, TERM (TERM with `tty:
//            true`); a Service variable of a Service deleted since the start
//            (or absent from the inputs); anything else Kubernetes did not
//            set: the image's ENV (svcenv does not read images) or a key
//            removed from an envFrom source since the start.
//   changed  a ConfigMap/Secret edited after the start (a restart reads the
//            new value); a Service recreated with a new cluster IP or its
//            ports edited; another of several clashing Services chosen (the
//            kubelet picks at random); a placeholder svcenv printed (a value
//            known only at runtime); a literal that expands a variable that
//            changed for one of these reasons.
// Anything else is unexplained: the pod spec itself differs from the one the
// container was started with, or svcenv is wrong.
//
// Thread-safe free functions over value types. Results point into the
// `ContainerEnvironment` given, which must outlive them.
//
// Example:
//   absl::StatusOr<std::vector<svcenv::ObservedVariable>> actual =
//       svcenv::ParseEnvListing(kubectl_exec_env_output);
//   svcenv::EnvDiff diff = svcenv::DiffEnvironment(
//       predicted, *actual, svcenv::StartOfContainer(pod, container));
//   if (!diff.AllExplained()) ...
#ifndef SVCENV_INCLUDE_SVCENV_ENV_DIFF_H_
#define SVCENV_INCLUDE_SVCENV_ENV_DIFF_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "svcenv/container_env.h"
#include "svcenv/container_start.h"

namespace svcenv {

// One variable of a running container, as `env` or `env -0` printed it.
struct ObservedVariable {
  std::string name;
  std::string value;
};

// Parses the output of `env -0` (when `text` holds a NUL byte: entries end
// in NUL, values kept exactly) or of `env` (one NAME=value per line; a line
// without `=` continues the previous value after a newline, since `env`
// prints a value's newlines raw: use `env -0` where values may hold lines
// that contain `=`). A later duplicate name replaces the earlier one.
// InvalidArgumentError for text that starts with a line without `=`.
absl::StatusOr<std::vector<ObservedVariable>> ParseEnvListing(
    absl::string_view text);

enum class DifferenceKind {
  kMissing,  // Predicted, absent from the running container.
  kExtra,    // In the running container, not predicted.
  kChanged,  // In both with different values.
};

enum class DifferenceCause {
  kServiceCreatedAfterStart,
  kServiceDeletedAfterStart,  // Or a Service absent from the inputs.
  // KUBERNETES_*: Service default/kubernetes, which every container gets,
  // is not in the inputs.
  kMasterServiceNotInInputs,
  kServiceChangedAfterStart,  // Recreated with a new IP, or ports edited.
  kServiceClash,              // The kubelet chose another clashing Service.
  kSourceChangedAfterStart,   // A ConfigMap or Secret edited since.
  kRuntimeVariable,           // HOSTNAME, HOME, PATH, TERM.
  kNotFromKubernetes,         // Image ENV, or a key removed since.
  kPlaceholder,               // svcenv printed a placeholder.
  kExpandsChanged,            // A literal expanding a changed variable.
  kUnexplained,
};

// "ServiceCreatedAfterStart", ... (the enumerator without its `k`).
absl::string_view DifferenceCauseName(DifferenceCause cause);
absl::string_view DifferenceKindName(DifferenceKind kind);

struct EnvDifference {
  std::string name;
  DifferenceKind kind = DifferenceKind::kChanged;
  std::string predicted;  // Empty for kExtra.
  std::string actual;     // Empty for kMissing.
  // The predicted entry (null for kExtra): its source says where it came
  // from, and whether front ends must redact it (`source.IsSecret()`).
  const EnvEntry* entry = nullptr;
  DifferenceCause cause = DifferenceCause::kUnexplained;
  bool explained = false;
  // One sentence: why, naming the Service, ConfigMap or Secret involved.
  std::string explanation;
};

struct EnvDiff {
  // Predicted variables first, in the environment's order, then extras
  // sorted by name.
  std::vector<EnvDifference> differences;
  size_t identical = 0;  // Variables equal in both.

  bool AllExplained() const;
};

// Compares `predicted` (computed with every current Service, not only those
// present at the start) with `actual`. `start` decides which Services came
// after the container started.
EnvDiff DiffEnvironment(const ContainerEnvironment& predicted,
                        const std::vector<ObservedVariable>& actual,
                        const ContainerStart& start);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_ENV_DIFF_H_
