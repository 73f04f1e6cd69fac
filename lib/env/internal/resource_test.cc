#include "lib/env/internal/resource.h"

#include <cstdint>
#include <limits>
#include <string>

#include "lib/base/testing.h"
#include "svcenv/objects.h"
#include "svcenv/quantity.h"

namespace svcenv {
namespace internal {
namespace {

using ::testing::HasSubstr;

Quantity Q(const std::string& text) { return ParseQuantity(text).value(); }

// pkg/api/v1/resource/helpers.go convertQuantityToString.
TEST(ExactCeilRatioTest, MirrorsConvertQuantityToString) {
  EXPECT_EQ(ExactCeilRatio(Q("1500m"), Q("1")), 2);
  EXPECT_EQ(ExactCeilRatio(Q("1500m"), Q("1m")), 1500);
  EXPECT_EQ(ExactCeilRatio(Q("1Gi"), Q("1Mi")), 1024);
  EXPECT_EQ(ExactCeilRatio(Q("1"), Q("0")), 1);  // A zero divisor means 1.
  EXPECT_EQ(ExactCeilRatio(Q("0"), Q("1")), 0);
  EXPECT_EQ(ExactCeilRatio(Q("-2"), Q("1")), 0);   // q.Sign() <= 0.
  EXPECT_EQ(ExactCeilRatio(Q("2"), Q("-1")), 0);   // divisor.Sign() <= 0.
  EXPECT_EQ(ExactCeilRatio(Q("1"), Q("1Ei")), 1);  // Larger divisor: 1.
  // Past int64: saturated, where the float64 version gave INT64_MIN.
  EXPECT_EQ(ExactCeilRatio(Q("1e20"), Q("1")),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ExactCeilRatio(Q("8Ei"), Q("1m")),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ExactCeilRatio(Q("9223372036854775807"), Q("1")),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ExactCeilRatio(Q("9223372036854775806"), Q("1")),
            std::numeric_limits<int64_t>::max() - 1);
}

class PodLevelResourcesTest : public ::testing::Test {
 protected:
  PodLevelResourcesTest() {
    pod_.containers.emplace_back().name = "app";
    pod_.containers.emplace_back().name = "sidecar";
    pod_.init_containers.emplace_back().name = "init";
    node_.meta.name = "n";
    node_.allocatable = {
        {"cpu", "8"}, {"memory", "32Gi"}, {"ephemeral-storage", "100Gi"}};
  }

  std::string Value(const std::string& resource,
                    const std::string& container_name = "",
                    const std::string& divisor = "") {
    ResourceFieldSelector s{container_name, resource, divisor};
    absl::StatusOr<ResourceFieldValue> v =
        ResolveResourceFieldRef(s, pod_, pod_.containers[0], node_ptr_,
                                options_);
    EXPECT_THAT(v, IsOk());
    return v.ok() ? v->value : "<error>";
  }

  Pod pod_;
  Node node_;
  const Node* node_ptr_ = &node_;
  ResourceFieldOptions options_;
};

// kubelet_resources.go defaultPodLimitsForDownwardAPI: with PodLevelResources
// a pod-level cpu/memory limit replaces allocatable for containers without
// their own limit.
TEST_F(PodLevelResourcesTest, PodLimitsReplaceAllocatable) {
  pod_.resources.limits = {{"cpu", "2"}, {"memory", "1Gi"}};
  EXPECT_EQ(Value("limits.cpu"), "2");
  EXPECT_EQ(Value("limits.memory", "", "1Mi"), "1024");
  // The other app container too (ExtractResourceValueByContainerName on the
  // defaulted pod).
  EXPECT_EQ(Value("limits.memory", "sidecar", "1Mi"), "1024");
  // Before 1.34 (gate off): node allocatable.
  options_.pod_level_resources = false;
  EXPECT_EQ(Value("limits.cpu"), "8");
  EXPECT_EQ(Value("limits.memory", "", "1Gi"), "32");
}

TEST_F(PodLevelResourcesTest, ContainerLimitWins) {
  pod_.resources.limits = {{"cpu", "2"}};
  pod_.containers[0].resources.limits = {{"cpu", "500m"}};
  EXPECT_EQ(Value("limits.cpu", "", "1m"), "500");
  // A zero container limit counts as unset (MergeContainerResourceLimits).
  pod_.containers[0].resources.limits = {{"cpu", "0"}};
  EXPECT_EQ(Value("limits.cpu"), "2");
}

TEST_F(PodLevelResourcesTest, EphemeralStorageIsNotPodLevel) {
  pod_.resources.limits = {{"cpu", "2"}, {"ephemeral-storage", "1Gi"}};
  EXPECT_EQ(Value("limits.ephemeral-storage", "", "1Gi"), "100");
}

TEST_F(PodLevelResourcesTest, OnlyTheResourcesThePodSets) {
  pod_.resources.limits = {{"memory", "1Gi"}};
  EXPECT_EQ(Value("limits.cpu"), "8");  // No pod cpu limit: allocatable.
  EXPECT_EQ(Value("limits.memory", "", "1Mi"), "1024");
  // A zero pod-level limit is skipped (`!val.IsZero()`).
  pod_.resources.limits = {{"memory", "0"}, {"cpu", "1"}};
  EXPECT_EQ(Value("limits.memory", "", "1Gi"), "32");
}

TEST_F(PodLevelResourcesTest, PodRequestsAloneChangeNothing) {
  // IsPodLevelLimitsSet, not IsPodLevelResourcesSet.
  pod_.resources.requests = {{"cpu", "1"}};
  EXPECT_EQ(Value("limits.cpu"), "8");
}

TEST_F(PodLevelResourcesTest, NeedsTheAllocatableEntry) {
  // `if _, exists := allocatable[resource]; exists`: a Node without the
  // entry gets no default at all.
  pod_.resources.limits = {{"cpu", "2"}};
  node_.allocatable.erase("cpu");
  EXPECT_EQ(Value("limits.cpu"), "0");
  // No Node in the input: a real node always has cpu allocatable.
  node_ptr_ = nullptr;
  EXPECT_EQ(Value("limits.cpu"), "2");
}

TEST_F(PodLevelResourcesTest, InitContainersAreNotDefaulted) {
  pod_.resources.limits = {{"cpu", "2"}};
  EXPECT_EQ(Value("limits.cpu", "init"), "0");
}

TEST_F(PodLevelResourcesTest, BadPodLimitNamesTheField) {
  pod_.resources.limits = {{"cpu", "lots"}};
  ResourceFieldSelector s{"", "limits.cpu", ""};
  EXPECT_THAT(ResolveResourceFieldRef(s, pod_, pod_.containers[0], &node_,
                                      options_),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("spec.resources.limits.cpu")));
}

TEST_F(PodLevelResourcesTest, ExactRatioVersusFloat) {
  // A memory limit of 1500m: Value() rounds up to 2, so the float64 version
  // divides 2 by Value(1m)=1; convertQuantityToString divides exactly.
  pod_.containers[0].resources.limits = {{"memory", "1500m"}};
  EXPECT_EQ(Value("limits.memory", "", "1m"), "1500");
  options_.exact_ratio = false;
  EXPECT_EQ(Value("limits.memory", "", "1m"), "2");
}

// Without a Node, a limit the kubelet takes from allocatable is unknown:
// a placeholder with the option, 0 (the pod as given) without it.
TEST_F(PodLevelResourcesTest, AllocatablePlaceholderWithoutANode) {
  node_ptr_ = nullptr;
  EXPECT_EQ(Value("limits.cpu"), "0");
  options_.allocatable_placeholder = true;
  EXPECT_EQ(Value("limits.cpu", "", "1m"), "<node allocatable cpu>");
  EXPECT_EQ(Value("limits.memory"), "<node allocatable memory>");
  // Requests never default to allocatable; set limits and pod-level limits
  // are known.
  EXPECT_EQ(Value("requests.cpu"), "0");
  pod_.containers[0].resources.limits = {{"cpu", "500m"}};
  EXPECT_EQ(Value("limits.cpu", "", "1m"), "500");
  pod_.resources.limits = {{"memory", "1Gi"}};
  EXPECT_EQ(Value("limits.memory", "", "1Mi"), "1024");
  // With a Node: its allocatable.
  node_ptr_ = &node_;
  pod_.resources.limits.clear();
  EXPECT_EQ(Value("limits.memory", "", "1Gi"), "32");
}

}  // namespace
}  // namespace internal
}  // namespace svcenv
