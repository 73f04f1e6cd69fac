#include "svcenv/kubelet_version.h"

#include "lib/base/testing.h"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(KubeletVersionTest, DefaultIsNewest) {
  EXPECT_EQ(KubeletVersion().ToString(), "1.38");
  EXPECT_EQ(KubeletVersion().minor(), KubeletVersion::kNewestMinor);
}

TEST(KubeletVersionTest, ParsesMinorWithOptionalVAndPatch) {
  for (const char* text : {"1.31", "v1.31", "1.31.4", "v1.31.0"}) {
    SVCENV_ASSERT_OK_AND_ASSIGN(KubeletVersion v, KubeletVersion::Parse(text));
    EXPECT_EQ(v.minor(), 31) << text;
  }
}

TEST(KubeletVersionTest, UnknownVersionListsSupportedOnes) {
  for (const char* text : {"1.28", "1.39", "2.30", "1", "1.x", "", "1.30.",
                           "1.+30", " 1.30", "1.30.1.2"}) {
    EXPECT_THAT(KubeletVersion::Parse(text),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("supported: 1.29, 1.30, 1.31, 1.32, 1.33, "
                                   "1.34, 1.35, 1.36, 1.37, 1.38")))
        << text;
  }
  EXPECT_THAT(KubeletVersion::FromMinor(7),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1.7")));
}

TEST(KubeletVersionTest, SupportedIsContiguous) {
  EXPECT_THAT(KubeletVersion::Supported(),
              ElementsAre("1.29", "1.30", "1.31", "1.32", "1.33", "1.34",
                          "1.35", "1.36", "1.37", "1.38"));
}

KubeletVersion V(int minor) { return KubeletVersion::FromMinor(minor).value(); }

// Each accessor on both sides of the release where the upstream default
// changed (pkg/features/kube_features.go VersionedSpecs).
TEST(KubeletVersionTest, GatesSwitchAtTheirRelease) {
  // makeEnvironmentVariables dropped the envFrom IsEnvVarName filter in 1.30.
  EXPECT_TRUE(V(29).filters_env_from_keys());
  EXPECT_FALSE(V(30).filters_env_from_keys());
  // PodHostIPs: beta (on) 1.29, GA 1.30.
  EXPECT_TRUE(V(29).reports_host_ips());
  // RelaxedEnvironmentVariableValidation: alpha 1.30, beta (on) 1.32.
  EXPECT_FALSE(V(31).relaxed_env_var_names());
  EXPECT_TRUE(V(32).relaxed_env_var_names());
  // PodLevelResources: alpha 1.32, beta (on) 1.34.
  EXPECT_FALSE(V(33).pod_level_resources());
  EXPECT_TRUE(V(34).pod_level_resources());
  // EnvFiles: alpha 1.34, beta (on) 1.35.
  EXPECT_FALSE(V(34).env_files());
  EXPECT_TRUE(V(35).env_files());
  // convertQuantityToString (exact ratio, saturation).
  EXPECT_FALSE(V(37).exact_resource_ratio());
  EXPECT_TRUE(V(38).exact_resource_ratio());
}

}  // namespace
}  // namespace svcenv
