#include "lib/env/internal/resource.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "svcenv/quantity.h"

namespace svcenv {
namespace internal {
namespace {

// Marks a refusal that is a quantity which does not parse (IsBadQuantity).
constexpr absl::string_view kBadQuantityPayload =
    "type.svcenv.internal/resource.BadQuantity";

absl::StatusOr<Quantity> ParseField(absl::string_view text,
                                    absl::string_view field) {
  absl::StatusOr<Quantity> q = ParseQuantity(text);
  if (!q.ok()) {
    absl::Status status = absl::FailedPreconditionError(
        absl::StrCat(field, ": ", q.status().message()));
    status.SetPayload(kBadQuantityPayload, absl::Cord());
    return status;
  }
  return q;
}

bool DefaultsToAllocatable(absl::string_view resource) {
  return resource == "cpu" || resource == "memory" ||
         resource == "ephemeral-storage";
}

// IsSupportedPodLevelResource (component-helpers/resource): cpu, memory and
// hugepages-*. Ephemeral storage is not a pod-level resource.
bool IsSupportedPodLevelResource(absl::string_view resource) {
  return resource == "cpu" || resource == "memory" ||
         absl::StartsWith(resource, "hugepages-");
}

// The default limit defaultPodLimitsForDownwardAPI hands
// MergeContainerResourceLimits for `resource`: node allocatable, except that
// with PodLevelResources a non-zero pod-level cpu or memory limit replaces an
// allocatable entry that exists. Null result: no default.
absl::StatusOr<std::optional<Quantity>> DefaultLimit(
    const Pod& pod, const std::string& resource, const Node* node,
    bool pod_level_resources) {
  const std::string* allocatable = nullptr;
  if (node != nullptr) {
    if (auto a = node->allocatable.find(resource); a != node->allocatable.end())
      allocatable = &a->second;
  }
  // The loop over cpu, memory and ephemeral-storage skips what
  // IsSupportedPodLevelResource rejects; the substitution needs the
  // allocatable entry to exist (a real node always has cpu and memory, so
  // without a Node in the input it is assumed).
  if (pod_level_resources && IsPodLevelLimitsSet(pod) &&
      IsSupportedPodLevelResource(resource) &&
      (node == nullptr || allocatable != nullptr)) {
    if (auto it = pod.resources.limits.find(resource);
        it != pod.resources.limits.end()) {
      absl::StatusOr<Quantity> q =
          ParseField(it->second, absl::StrCat("spec.resources.limits.", resource));
      if (!q.ok()) return q.status();
      if (!q->IsZero()) return std::optional<Quantity>(*q);
    }
  }
  if (allocatable == nullptr) return std::optional<Quantity>();
  absl::StatusOr<Quantity> q = ParseField(
      *allocatable, absl::StrCat("Node ", node->meta.name, " allocatable ",
                                 resource));
  if (!q.ok()) return q.status();
  return std::optional<Quantity>(*q);
}

// The quantity the kubelet reads for `kind` ("limits" or "requests") of
// `resource` in `container`. `merge_allocatable`: the container is one the
// kubelet passed through MergeContainerResourceLimits.
absl::StatusOr<Quantity> ContainerQuantity(const Pod& pod,
                                           const Container& container,
                                           absl::string_view kind,
                                           const std::string& resource,
                                           const Node* node,
                                           bool merge_allocatable,
                                           const ResourceFieldOptions& options) {
  const auto& limits = container.resources.limits;
  const auto& requests = container.resources.requests;
  const auto field = [&](absl::string_view k) {
    return absl::StrCat("container \"", container.name, "\" resources.", k, ".",
                        resource);
  };
  if (kind == "requests") {
    if (auto it = requests.find(resource); it != requests.end()) {
      return ParseField(it->second, field("requests"));
    }
    if (auto it = limits.find(resource);
        options.default_requests_from_limits && it != limits.end()) {
      return ParseField(it->second, field("limits"));
    }
    return Quantity();
  }
  Quantity limit;
  auto it = limits.find(resource);
  if (it != limits.end()) {
    absl::StatusOr<Quantity> parsed = ParseField(it->second, field("limits"));
    if (!parsed.ok()) return parsed.status();
    limit = *parsed;
  }
  if (merge_allocatable && limit.IsZero() && DefaultsToAllocatable(resource)) {
    absl::StatusOr<std::optional<Quantity>> d =
        DefaultLimit(pod, resource, node, options.pod_level_resources);
    if (!d.ok()) return d.status();
    if (d->has_value()) return **d;
  }
  return limit;
}

std::string AllowedDivisors(bool cpu) {
  return cpu ? "1, 1m" : "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, ... 1Ei";
}

bool IsAllowedDivisor(const Quantity& divisor, bool cpu) {
  const absl::int128 one = 1000000000;
  if (divisor.nanos == one) return true;
  if (cpu) return divisor.nanos == one / 1000;
  absl::int128 decimal = one, binary = one;
  for (int i = 0; i < 6; ++i) {
    decimal *= 1000;
    binary *= 1024;
    if (divisor.nanos == decimal || divisor.nanos == binary) return true;
  }
  return false;
}

}  // namespace

bool IsBadQuantity(const absl::Status& status) {
  return status.GetPayload(kBadQuantityPayload).has_value();
}

bool IsPodLevelLimitsSet(const Pod& pod) {
  for (const auto& [name, value] : pod.resources.limits) {
    if (IsSupportedPodLevelResource(name)) return true;
  }
  return false;
}

int64_t ExactCeilRatio(const Quantity& value, const Quantity& divisor) {
  Quantity one;
  one.nanos = 1000000000;
  const absl::int128 d = divisor.IsZero() ? one.nanos : divisor.nanos;
  if (value.nanos <= 0 || d <= 0) return 0;
  // Both are nano-units, so the ratio needs no scaling. `value` fits 127
  // bits (ParseQuantity's range), so value + d - 1 cannot overflow when d
  // is smaller; when d is larger the ratio is 1.
  if (d >= value.nanos) return 1;
  const absl::int128 ratio = (value.nanos - 1) / d + 1;
  const absl::int128 max = std::numeric_limits<int64_t>::max();
  return ratio > max ? std::numeric_limits<int64_t>::max()
                     : static_cast<int64_t>(ratio);
}

absl::StatusOr<ResourceFieldValue> ResolveResourceFieldRef(
    const ResourceFieldSelector& selector, const Pod& pod,
    const Container& container, const Node* node,
    const ResourceFieldOptions& options) {
  // containerResourceRuntimeValue: the container itself (its limits merged
  // with allocatable), else by name among the merged app containers, then
  // the init containers as they are.
  const Container* target = &container;
  bool merge_allocatable = true;
  if (!selector.container_name.empty()) {
    target = nullptr;
    for (const Container& c : pod.containers) {
      if (c.name == selector.container_name) {
        target = &c;
        break;
      }
    }
    if (target == nullptr) {
      merge_allocatable = false;
      for (const Container& c : pod.init_containers) {
        if (c.name == selector.container_name) {
          target = &c;
          break;
        }
      }
    }
    if (target == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("container ", selector.container_name, " not found"));
    }
  }

  Quantity divisor;
  if (!selector.divisor.empty()) {
    absl::StatusOr<Quantity> parsed = ParseField(selector.divisor, "divisor");
    if (!parsed.ok()) return parsed.status();
    divisor = *parsed;
  }

  const absl::string_view name = selector.resource;
  absl::string_view kind;
  std::string resource;
  if (absl::StartsWith(name, "limits.")) {
    kind = "limits";
  } else if (absl::StartsWith(name, "requests.")) {
    kind = "requests";
  }
  if (!kind.empty()) resource = std::string(name.substr(kind.size() + 1));
  const bool known = resource == "cpu" || resource == "memory" ||
                     resource == "ephemeral-storage" ||
                     absl::StartsWith(resource, "hugepages-");
  if (kind.empty() || !known) {
    return absl::FailedPreconditionError(
        absl::StrCat("unsupported container resource : ", name));
  }
  const bool cpu = resource == "cpu";

  absl::StatusOr<Quantity> value = ContainerQuantity(
      pod, *target, kind, resource, node, merge_allocatable, options);
  if (!value.ok()) return value.status();
  ResourceFieldValue result;
  if (options.allocatable_placeholder && node == nullptr &&
      kind == "limits" && merge_allocatable &&
      DefaultsToAllocatable(resource) && value->IsZero()) {
    // The kubelet would read its node's allocatable; without the Node, 0
    // would be a made-up answer.
    result.value = absl::StrCat("<node allocatable ", resource, ">");
    result.placeholder = true;
    result.warning = absl::StrCat(
        "resourceFieldRef ", name, ": no limit is set and no Node is in the "
        "input; the kubelet uses the node's allocatable ", resource,
        ": shown as ", result.value);
    return result;
  }
  if (options.exact_ratio) {
    // convertQuantityToString.
    result.value = absl::StrCat(ExactCeilRatio(*value, divisor));
  } else {
    // convertResource*ToString before it: float64 on MilliValue()/Value().
    absl::StatusOr<int64_t> number =
        DownwardApiResourceValue(*value, divisor, cpu);
    if (!number.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": ", number.status().message(),
          " (the kubelet's arithmetic overflows; svcenv does not model it)"));
    }
    result.value = absl::StrCat(*number);
  }
  if (!divisor.IsZero() && !IsAllowedDivisor(divisor, cpu)) {
    result.warning = absl::StrCat(
        "resourceFieldRef ", name, ": divisor ", selector.divisor,
        " is not one API validation accepts (", AllowedDivisors(cpu),
        "); the kubelet computes with it anyway");
  }
  return result;
}

}  // namespace internal
}  // namespace svcenv
