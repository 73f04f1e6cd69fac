// What changes with EnvironmentOptions::kubelet, each behaviour tested on
// both sides of the release where its upstream default changed.
#include <string>

#include "lib/base/testing.h"
#include "svcenv/container_env.h"
#include "svcenv/kubelet_version.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

KubeletVersion V(int minor) { return KubeletVersion::FromMinor(minor).value(); }

EnvVar FileRef(const std::string& name, const std::string& volume,
               const std::string& path, const std::string& key,
               bool optional = false) {
  EnvVar v;
  v.name = name;
  v.value_from.emplace().file_key_ref =
      FileKeySelector{volume, path, key, optional};
  return v;
}

EnvVar Literal(const std::string& name, const std::string& value) {
  EnvVar v;
  v.name = name;
  v.value = value;
  return v;
}

class VersionsTest : public ::testing::Test {
 protected:
  VersionsTest() {
    pod_.meta.namespace_name = "shop";
    pod_.meta.name = "web";
    pod_.containers.emplace_back().name = "app";
    pod_.volumes = {{"envs", "emptyDir"}, {"cfg", "configMap"}};
  }

  Container& container() { return pod_.containers[0]; }

  absl::StatusOr<ContainerEnvironment> Compute() {
    services_ = ComputeServiceEnvironment(objects_.services,
                                          pod_.meta.namespace_name, true);
    return ComputeContainerEnvironment(pod_, container(), services_, objects_,
                                       options_);
  }

  const EnvEntry* Find(const ContainerEnvironment& env,
                       const std::string& name) {
    for (const EnvEntry& e : env.env) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }

  Objects objects_;
  Pod pod_;
  ServiceEnvironment services_;
  EnvironmentOptions options_;
};

TEST_F(VersionsTest, DefaultProfileIsNewest) {
  EXPECT_EQ(options_.kubelet.ToString(), "1.38");
}

// makeEnvironmentVariables, `case EnvFiles && FileKeyRef != nil`: from 1.35
// the value is read from the file at container start; svcenv shows a
// placeholder naming volume, path and key, marked runtime-only.
TEST_F(VersionsTest, FileKeyRefIsAPlaceholderKnownAtStart) {
  container().env = {FileRef("DB", "envs", "config/app.env", "DB_HOST")};
  options_.kubelet = V(35);
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  const EnvEntry* db = Find(env, "DB");
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(db->runtime_only);
  EXPECT_NE(db->value, "");
  EXPECT_THAT(db->value, AllOf(HasSubstr("envs"), HasSubstr("config/app.env"),
                               HasSubstr("DB_HOST")));
  EXPECT_EQ(db->source.kind, SourceKind::kFileKeyRef);
  EXPECT_EQ(db->source.volume_name, "envs");
  EXPECT_EQ(db->source.path, "config/app.env");
  EXPECT_EQ(db->source.key, "DB_HOST");
  EXPECT_EQ(DescribeSource(db->source),
            "fileKeyRef volume envs path config/app.env key DB_HOST");
  EXPECT_THAT(env.warnings, IsEmpty());
}

// Before 1.35 the EnvFiles gate is off: no case of the kubelet's switch
// matches and the variable is "" (the API server would drop the field).
TEST_F(VersionsTest, FileKeyRefBeforeEnvFilesIsEmpty) {
  container().env = {FileRef("DB", "envs", "app.env", "DB_HOST")};
  options_.kubelet = V(34);
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  const EnvEntry* db = Find(env, "DB");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->value, "");
  EXPECT_FALSE(db->runtime_only);
  EXPECT_THAT(env.warnings,
              ElementsAre(AllOf(HasSubstr("EnvFiles"),
                                HasSubstr("kubelet 1.34"))));
}

// Optional semantics (`if optional { continue }`): a missing or empty key
// skips the entry, so an earlier value of the name survives. The entry is
// still a placeholder; a warning says what the name falls back to.
TEST_F(VersionsTest, OptionalFileKeyRefMayKeepTheEarlierValue) {
  ConfigMap cm;
  cm.meta.namespace_name = "shop";
  cm.meta.name = "defaults";
  cm.data = {{"DB", "localhost"}};
  objects_.config_maps.push_back(cm);
  container().env_from.emplace_back().config_map_ref =
      EnvFromReference{"defaults", false};
  container().env = {FileRef("DB", "envs", "app.env", "DB_HOST", true)};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  const EnvEntry* db = Find(env, "DB");
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(db->runtime_only);
  ASSERT_EQ(db->shadows.size(), 1u);
  EXPECT_EQ(db->shadows[0].kind, SourceKind::kConfigMapEnvFrom);
  EXPECT_THAT(env.warnings,
              ElementsAre(AllOf(HasSubstr("optional fileKeyRef"),
                                HasSubstr("DB keeps its earlier value"),
                                HasSubstr("ConfigMap shop/defaults key DB"))));
}

TEST_F(VersionsTest, OptionalFileKeyRefWithNothingEarlierIsUnset) {
  container().env = {FileRef("DB", "envs", "app.env", "DB_HOST", true)};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_THAT(env.warnings, ElementsAre(HasSubstr("DB is not set")));
}

// A literal expanding a fileKeyRef variable is runtime-only too.
TEST_F(VersionsTest, ExpansionOfAFileKeyRefIsRuntimeOnly) {
  container().env = {FileRef("HOST", "envs", "app.env", "H"),
                     Literal("URL", "http://$(HOST):80"),
                     Literal("PLAIN", "x")};
  container().command = {"run", "$(HOST)"};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_TRUE(Find(env, "URL")->runtime_only);
  EXPECT_THAT(Find(env, "URL")->value, HasSubstr("key=H"));
  EXPECT_FALSE(Find(env, "PLAIN")->runtime_only);
  EXPECT_THAT(env.warnings, Contains(HasSubstr("command/args use $(HOST)")));
  // A later literal of the same name is known again.
  container().env.push_back(Literal("HOST", "h"));
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment later, Compute());
  EXPECT_FALSE(Find(later, "HOST")->runtime_only);
}

// What the API server validates before anything runs: the volume exists
// and is an emptyDir, the path is relative without '..', the key is
// printable ASCII without '='.
TEST_F(VersionsTest, FileKeyRefValidation) {
  struct Case {
    EnvVar var;
    const char* message;
  } cases[] = {
      {FileRef("A", "", "app.env", "K"), "volumeName: Required"},
      {FileRef("A", "nope", "app.env", "K"), "volumeName: Not found: \"nope\""},
      {FileRef("A", "cfg", "app.env", "K"), "a configMap volume"},
      {FileRef("A", "envs", "", "K"), "path: Required"},
      {FileRef("A", "envs", "/etc/app.env", "K"), "must be a relative path"},
      {FileRef("A", "envs", "a/../../x", "K"), "must not contain '..'"},
      {FileRef("A", "envs", "app.env", ""), "key: Required"},
      {FileRef("A", "envs", "app.env", "A=B"), "except '='"},
      {FileRef("A", "envs", "app.env", "caf\xc3\xa9"), "printable ASCII"},
  };
  for (const Case& c : cases) {
    container().env = {c.var};
    EXPECT_THAT(Compute(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                    AllOf(HasSubstr(c.message),
                                          HasSubstr("env[0] (A)"),
                                          HasSubstr("API server rejects"))))
        << c.message;
  }
  // "..x" is a name, not a back step.
  container().env = {FileRef("A", "envs", "..x/app.env", "K")};
  EXPECT_THAT(Compute(), IsOk());
  // Before EnvFiles nothing is validated: the field is dropped.
  options_.kubelet = V(34);
  container().env = {FileRef("A", "nope", "/x", "")};
  EXPECT_THAT(Compute(), IsOk());
}

// PodLevelResources (defaultPodLimitsForDownwardAPI): on from 1.34.
TEST_F(VersionsTest, PodLevelLimitsFrom134) {
  Node node;
  node.meta.name = "n";
  node.allocatable = {{"cpu", "8"}, {"memory", "16Gi"}};
  options_.node = &node;
  pod_.resources.limits = {{"memory", "512Mi"}};
  EnvVar mem;
  mem.name = "MEM";
  mem.value_from.emplace().resource_field_ref =
      ResourceFieldSelector{"", "limits.memory", "1Mi"};
  container().env = {mem};
  options_.kubelet = V(34);
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment now, Compute());
  EXPECT_EQ(Find(now, "MEM")->value, "512");
  EXPECT_THAT(now.warnings, IsEmpty());
  options_.kubelet = V(33);
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment before, Compute());
  EXPECT_EQ(Find(before, "MEM")->value, "16384");
  EXPECT_THAT(before.warnings,
              ElementsAre(AllOf(HasSubstr("spec.resources is ignored"),
                                HasSubstr("kubelet 1.33"))));
}

// ValidateEnv: IsEnvVarName before RelaxedEnvironmentVariableValidation
// (beta, on in 1.32), IsRelaxedEnvVarName after.
TEST_F(VersionsTest, StrictEnvNamesBefore132) {
  container().env = {Literal("1ST", "x"), Literal("OK_NAME", "y")};
  container().env_from.emplace_back().prefix = "my prefix ";
  options_.kubelet = V(31);
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment v131, Compute());
  EXPECT_THAT(v131.warnings,
              ElementsAre(AllOf(HasSubstr("envFrom[0]"),
                                HasSubstr("prefix \"my prefix \""),
                                HasSubstr("Kubernetes 1.31")),
                          AllOf(HasSubstr("env[0] (1ST)"),
                                HasSubstr("name \"1ST\""))));
  options_.kubelet = V(32);
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment v132, Compute());
  EXPECT_THAT(v132.warnings, IsEmpty());
}

// convertQuantityToString (exact, saturating) from 1.38.
TEST_F(VersionsTest, ResourceRatioArithmetic) {
  container().resources.limits = {{"memory", "1500m"}};
  EnvVar mem;
  mem.name = "MEM";
  mem.value_from.emplace().resource_field_ref =
      ResourceFieldSelector{"", "limits.memory", "1m"};
  container().env = {mem};
  options_.kubelet = V(38);
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment v138, Compute());
  EXPECT_EQ(Find(v138, "MEM")->value, "1500");
  options_.kubelet = V(37);
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment v137, Compute());
  EXPECT_EQ(Find(v137, "MEM")->value, "2");
}

// Ephemeral containers get their environment the same way.
TEST_F(VersionsTest, EphemeralContainers) {
  Container debug;
  debug.name = "debugger";
  debug.env = {Literal("X", "1")};
  pod_.ephemeral_containers.push_back(debug);
  const Container* found = FindContainer(pod_, "debugger");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found, &pod_.ephemeral_containers[0]);
  EXPECT_EQ(FindContainer(pod_, ""), &pod_.containers[0]);
  services_ = ComputeServiceEnvironment(objects_.services, "shop", true);
  SVCENV_ASSERT_OK_AND_ASSIGN(
      ContainerEnvironment env,
      ComputeContainerEnvironment(pod_, *found, services_, objects_, options_));
  EXPECT_EQ(Find(env, "X")->value, "1");
}

}  // namespace
}  // namespace svcenv
