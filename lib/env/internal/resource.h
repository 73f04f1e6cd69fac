// lib/env/internal/resource.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. `env[].valueFrom.resourceFieldRef` as
// the kubelet answers it (pkg/kubelet/kubelet_resources.go,
// pkg/api/v1/resource/helpers.go): `defaultPodLimitsForDownwardAPI` (unset or
// zero cpu, memory and ephemeral-storage limits become the node's
// allocatable, where PodLevelResources first puts the pod's own cpu and
// memory limits), `containerResourceRuntimeValue`,
// `ExtractContainerResourceValue` and its rounding (`convertQuantityToString`
// or, before it, a float64 ceiling).
#ifndef SVCENV_LIB_ENV_INTERNAL_RESOURCE_H_
#define SVCENV_LIB_ENV_INTERNAL_RESOURCE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "svcenv/objects.h"
#include "svcenv/quantity.h"

namespace svcenv {
namespace internal {

struct ResourceFieldValue {
  std::string value;
  std::string warning;  // Empty, or one line (e.g. a divisor the API rejects).
  // `value` is `<node allocatable RESOURCE>`: see
  // ResourceFieldOptions::allocatable_placeholder.
  bool placeholder = false;
};

struct ResourceFieldOptions {
  // Give an absent request the container's limit first, as the API server's
  // SetDefaults_Pod does for every stored Pod.
  bool default_requests_from_limits = true;
  // PodLevelResources (kubelet 1.34+): `pod.resources` cpu and memory limits
  // replace allocatable as the default (defaultPodLimitsForDownwardAPI).
  bool pod_level_resources = true;
  // convertQuantityToString (exact ceiling, saturating); false: the float64
  // ceiling of scaled int64 values older kubelets compute.
  bool exact_ratio = true;
  // Without a Node, a limit that defaults to the node's allocatable (unset or
  // zero, no pod-level limit) reads `<node allocatable RESOURCE>` instead of
  // 0 (EnvironmentOptions::unscheduled_placeholders).
  bool allocatable_placeholder = false;
};

// The value of `selector` for `container` of `pod`. `node` (may be null)
// supplies allocatable for unset limits; without a Node, a pod-level limit
// still applies (a real node always reports cpu and memory allocatable).
// `FailedPreconditionError` where the kubelet fails (unknown resource or
// container, a bad quantity, naming the field); `InvalidArgumentError` for
// values beyond what svcenv models.
absl::StatusOr<ResourceFieldValue> ResolveResourceFieldRef(
    const ResourceFieldSelector& selector, const Pod& pod,
    const Container& container, const Node* node,
    const ResourceFieldOptions& options);

// Whether a FailedPreconditionError of `ResolveResourceFieldRef` is a
// quantity that does not parse (a divisor, limit or request), as opposed to
// a selector the kubelet rejects (unknown resource or container). Read from
// the status' payload, never from its message.
bool IsBadQuantity(const absl::Status& status);

// component-helpers IsPodLevelLimitsSet: `pod.resources.limits` names a
// resource pods may set at pod level (cpu, memory, hugepages-*).
bool IsPodLevelLimitsSet(const Pod& pod);

// The ceiling of value / divisor (a zero divisor means 1) as
// convertQuantityToString computes it: exact, "0" for a non-positive value
// or divisor, saturated at 2^63-1.
int64_t ExactCeilRatio(const Quantity& value, const Quantity& divisor);

}  // namespace internal
}  // namespace svcenv

#endif  // SVCENV_LIB_ENV_INTERNAL_RESOURCE_H_
