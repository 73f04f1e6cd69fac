// include/svcenv/env_refusal.h
//
// Why the kubelet would refuse to create a container (the event
// `CreateContainerConfigError`), as data: a reason code, the object, key and
// field involved, and the kubelet's own message text. A caller decides what
// to retry or which object to watch from these fields, never by parsing
// English.
//
// Refusals reach callers two ways:
//   * `ComputeEnvironment` (container_env.h) fails with
//     `FailedPreconditionError` carrying the first refusal as a payload;
//     `RefusalFromStatus` gives it back.
//   * In partial mode (`EnvironmentOptions::partial`) the computation goes
//     on and the result lists every refusal (`refusals()`).
//
// These are value types and free functions: thread-safe.
//
// Example:
//   absl::StatusOr<svcenv::SharedContainerEnvironment> env =
//       svcenv::ComputeEnvironment(pod, container, block, lookup, {});
//   if (!env.ok()) {
//     if (std::optional<svcenv::Refusal> r =
//             svcenv::RefusalFromStatus(env.status())) {
//       if (r->reason == svcenv::RefusalReason::kObjectNotFound)
//         WatchFor(r->object_kind, r->object_namespace, r->object_name);
//       Event("CreateContainerConfigError", "Error: " + r->kubelet_message);
//     }
//   }
#ifndef SVCENV_INCLUDE_SVCENV_ENV_REFUSAL_H_
#define SVCENV_INCLUDE_SVCENV_ENV_REFUSAL_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace svcenv {

enum class RefusalReason {
  // A non-optional ConfigMap or Secret does not exist (`envFrom` or
  // `valueFrom`). Kubelet text: `configmap "NAME" not found`.
  kObjectNotFound,
  // The object exists but lacks a non-optional key (a key only in
  // `binaryData` counts as missing). Kubelet text:
  // `couldn't find key KEY in ConfigMap NS/NAME`.
  kKeyNotFound,
  // `fieldRef` names a field the kubelet cannot resolve (unsupported path,
  // bad subscript, unsupported apiVersion).
  kBadFieldPath,
  // `resourceFieldRef` names an unsupported resource or a container the pod
  // does not have.
  kBadResourceField,
  // A quantity (`divisor`, a limit or request read by `resourceFieldRef`)
  // does not parse, or is beyond what svcenv computes exactly (`1e40`).
  // Decoded objects (decode.h) never hold one that does not parse: the API
  // server refuses those, and so does decoding.
  kBadQuantity,
  // `enableServiceLinks` is nil and the caller asked to reject that
  // (`EnvironmentOptions::reject_nil_enable_service_links`).
  kNilEnableServiceLinks,
  // The agent's Service cache has not synced yet and the pod is not static
  // (`EnvironmentOptions::services_synced` false).
  kServicesNotSynced,
};

// "ObjectNotFound", "KeyNotFound", ... (the enumerator without its `k`).
absl::string_view RefusalReasonName(RefusalReason reason);

struct Refusal {
  RefusalReason reason = RefusalReason::kObjectNotFound;
  // The object involved: "ConfigMap" or "Secret" (empty for the others).
  std::string object_kind;
  std::string object_namespace;
  std::string object_name;
  // kKeyNotFound: the missing key.
  std::string key;
  // The container, and where in it: "envFrom[0]", "env[3]"; empty for
  // pod-level reasons (nil enableServiceLinks, Services not synced).
  std::string container;
  std::string field;
  // For `env[i]`: the variable's name.
  std::string variable;
  // The kubelet's error text, as its event shows it after "Error: ".
  std::string kubelet_message;
  // svcenv's one-line explanation (the status message), naming the
  // container, field and object.
  std::string message;
};

// `FailedPreconditionError(refusal.message)` carrying `refusal` as a payload.
absl::Status RefusalStatus(const Refusal& refusal);

// The refusal a status carries, or nullopt (OK, another error, or a status
// not made by `RefusalStatus`).
std::optional<Refusal> RefusalFromStatus(const absl::Status& status);

// Whether `refusal` is only a Secret (with `secrets_elsewhere`) or a
// ConfigMap (with `config_maps_elsewhere`) missing from the inputs that the
// caller knows exists outside them (`--secrets external`: SealedSecret,
// Vault, ...; or one it may not read): not known to be missing, so not a
// refusal the kubelet would make.
bool IsObjectKeptElsewhere(const Refusal& refusal, bool secrets_elsewhere,
                           bool config_maps_elsewhere);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_ENV_REFUSAL_H_
