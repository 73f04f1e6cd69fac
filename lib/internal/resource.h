// lib/internal/resource.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. `env[].valueFrom.resourceFieldRef` as
// the kubelet answers it: `defaultPodLimitsForDownwardAPI` (unset or zero
// cpu, memory and ephemeral-storage limits become the node's allocatable),
// `containerResourceRuntimeValue` and `ExtractContainerResourceValue` with
// their float64 ceiling.
#ifndef SVCENV_LIB_INTERNAL_RESOURCE_H_
#define SVCENV_LIB_INTERNAL_RESOURCE_H_

#include <string>

#include "absl/status/statusor.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace internal {

struct ResourceFieldValue {
  std::string value;
  std::string warning;  // Empty, or one line (e.g. a divisor the API rejects).
};

// The value of `selector` for `container` of `pod`. `node` (may be null)
// supplies allocatable for unset limits. When `default_requests_from_limits`,
// an absent request takes the container's limit first, as the API server's
// SetDefaults_Pod does for every stored Pod. `FailedPreconditionError` where
// the kubelet fails (unknown resource or container, a bad quantity, naming the
// field); `InvalidArgumentError` for values beyond what svcenv models.
absl::StatusOr<ResourceFieldValue> ResolveResourceFieldRef(
    const ResourceFieldSelector& selector, const Pod& pod,
    const Container& container, const Node* node,
    bool default_requests_from_limits);

}  // namespace internal
}  // namespace svcenv

#endif  // SVCENV_LIB_INTERNAL_RESOURCE_H_
