#include "svcenv/container_env.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/base/testing.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

Service MakeService(const std::string& ns, const std::string& name,
                    const std::string& ip, int32_t port,
                    const std::string& port_name = "") {
  Service s;
  s.meta.namespace_name = ns;
  s.meta.name = name;
  s.cluster_ip = ip;
  s.ports.push_back({port_name, port, "TCP"});
  return s;
}

EnvVar Literal(const std::string& name, const std::string& value) {
  EnvVar v;
  v.name = name;
  v.value = value;
  return v;
}

EnvVar FieldRef(const std::string& name, const std::string& path,
                const std::string& api_version = "v1") {
  EnvVar v;
  v.name = name;
  v.value_from.emplace();
  v.value_from->field_ref = ObjectFieldSelector{api_version, path};
  return v;
}

EnvVar ResourceRef(const std::string& name, const std::string& resource,
                   const std::string& divisor = "",
                   const std::string& container_name = "") {
  EnvVar v;
  v.name = name;
  v.value_from.emplace();
  v.value_from->resource_field_ref =
      ResourceFieldSelector{container_name, resource, divisor};
  return v;
}

EnvVar KeyRef(const std::string& name, bool config_map,
              const std::string& object, const std::string& key,
              bool optional = false) {
  EnvVar v;
  v.name = name;
  v.value_from.emplace();
  (config_map ? v.value_from->config_map_key_ref
              : v.value_from->secret_key_ref) =
      KeySelector{object, key, optional};
  return v;
}

EnvFromSource FromConfigMap(const std::string& name,
                            const std::string& prefix = "",
                            bool optional = false) {
  EnvFromSource f;
  f.prefix = prefix;
  f.config_map_ref = EnvFromReference{name, optional};
  return f;
}

EnvFromSource FromSecret(const std::string& name,
                         const std::string& prefix = "",
                         bool optional = false) {
  EnvFromSource f;
  f.prefix = prefix;
  f.secret_ref = EnvFromReference{name, optional};
  return f;
}

// A cluster with `default/kubernetes` 1.2.3.1:8081 and a pod in `test1`, as
// in semantics.md §8.
class ContainerEnvTest : public ::testing::Test {
 protected:
  ContainerEnvTest() {
    objects_.services.push_back(
        MakeService("default", "kubernetes", "1.2.3.1", 8081));
    pod_.meta.namespace_name = "test1";
    pod_.meta.name = "dapi-test-pod-name";
    pod_.enable_service_links = true;
    pod_.containers.emplace_back();
    pod_.containers[0].name = "app";
  }

  Container& container() { return pod_.containers[0]; }

  void AddConfigMap(const std::string& name,
                    std::map<std::string, std::string> data,
                    std::map<std::string, std::string> binary = {}) {
    ConfigMap cm;
    cm.meta.namespace_name = pod_.meta.namespace_name;
    cm.meta.name = name;
    cm.data = std::move(data);
    cm.binary_data = std::move(binary);
    objects_.config_maps.push_back(std::move(cm));
  }

  void AddSecret(const std::string& name,
                 std::map<std::string, std::string> data) {
    Secret s;
    s.meta.namespace_name = pod_.meta.namespace_name;
    s.meta.name = name;
    s.data = std::move(data);
    objects_.secrets.push_back(std::move(s));
  }

  absl::StatusOr<ContainerEnvironment> Compute(const Container& c) {
    services_ =
        ComputeServiceEnvironment(objects_.services, pod_.meta.namespace_name,
                                  pod_.enable_service_links.value_or(true));
    return ComputeContainerEnvironment(pod_, c, services_, objects_, options_);
  }
  absl::StatusOr<ContainerEnvironment> Compute() {
    return Compute(container());
  }

  static std::map<std::string, std::string> AsMap(
      const ContainerEnvironment& env) {
    std::map<std::string, std::string> m;
    for (const EnvEntry& e : env.env) {
      EXPECT_TRUE(m.emplace(e.name, e.value).second) << "duplicate " << e.name;
    }
    return m;
  }

  static const EnvEntry* Find(const ContainerEnvironment& env,
                              const std::string& name) {
    for (const EnvEntry& e : env.env) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }

  std::string Value(const std::string& name) {
    absl::StatusOr<ContainerEnvironment> env = Compute();
    EXPECT_THAT(env, IsOk());
    if (!env.ok()) return "<error>";
    const EnvEntry* e = Find(*env, name);
    return e == nullptr ? "<unset>" : e->value;
  }

  Objects objects_;
  Pod pod_;
  ServiceEnvironment services_;
  EnvironmentOptions options_;
};

// §8 item 13.
TEST_F(ContainerEnvTest, EnvBeatsServiceVariableOthersStay) {
  objects_.services.push_back(MakeService("test1", "redis", "10.0.0.11", 6379));
  container().env.push_back(Literal("REDIS_PORT", "6379"));
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  const auto m = AsMap(env);
  EXPECT_EQ(m.at("REDIS_PORT"), "6379");
  EXPECT_EQ(m.at("REDIS_SERVICE_HOST"), "10.0.0.11");
  EXPECT_EQ(m.at("REDIS_PORT_6379_TCP"), "tcp://10.0.0.11:6379");
  const EnvEntry* e = Find(env, "REDIS_PORT");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->source.kind, SourceKind::kLiteral);
  ASSERT_THAT(e->shadows, SizeIs(1));
  EXPECT_EQ(e->shadows[0].kind, SourceKind::kService);
  EXPECT_EQ(e->shadows[0].service->meta.name, "redis");
  EXPECT_EQ(DescribeSource(e->shadows[0]),
            DescribeServiceSource(objects_.services[1], 0));
}

// §8 item 14.
TEST_F(ContainerEnvTest, EnvFromBeatsServiceVariable) {
  objects_.services.push_back(MakeService("test1", "test", "1.2.3.3", 8083));
  AddConfigMap("cm", {{"TEST_SERVICE_HOST", "x"}});
  container().env_from.push_back(FromConfigMap("cm"));
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("TEST_SERVICE_HOST"), "x");
  const EnvEntry* e = Find(env, "TEST_SERVICE_HOST");
  EXPECT_EQ(e->source.kind, SourceKind::kConfigMapEnvFrom);
  EXPECT_EQ(DescribeSource(e->source),
            "ConfigMap test1/cm key TEST_SERVICE_HOST");
  ASSERT_THAT(e->shadows, SizeIs(1));
  EXPECT_EQ(e->shadows[0].kind, SourceKind::kService);
}

// §8 items 15 and 16.
TEST_F(ContainerEnvTest, ExpansionSeesEarlierNotLaterEntries) {
  container().env = {Literal("A", "1"), Literal("B", "$(A)-x"),
                     Literal("C", "$(D)"), Literal("D", "d")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  const auto m = AsMap(env);
  EXPECT_EQ(m.at("B"), "1-x");
  EXPECT_EQ(m.at("C"), "$(D)");
  EXPECT_THAT(Find(env, "B")->expanded_references, ElementsAre("A"));
  EXPECT_THAT(Find(env, "C")->unresolved_references, ElementsAre("D"));
  EXPECT_THAT(Find(env, "C")->expanded_references, IsEmpty());
}

// §8 item 17: envFrom keys are visible to every env entry; a later env entry
// of the same name is not.
TEST_F(ContainerEnvTest, EnvFromVisibleEverywhere) {
  AddConfigMap("cm", {{"A", "cm"}});
  container().env_from.push_back(FromConfigMap("cm"));
  container().env = {Literal("B", "$(A)"), Literal("A", "env")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_THAT(AsMap(env),
              testing::IsSupersetOf({Pair("A", "env"), Pair("B", "cm")}));
  const EnvEntry* a = Find(env, "A");
  ASSERT_THAT(a->shadows, SizeIs(1));
  EXPECT_EQ(a->shadows[0].kind, SourceKind::kConfigMapEnvFrom);
}

// §8 items 18 and 19 through an env value.
TEST_F(ContainerEnvTest, EscapesAndNonReferences) {
  container().env = {Literal("A", "1"), Literal("E", "$$(A)|$$$(A)|$$$$"),
                     Literal("N", "$(UNDEFINED)|abc$(|$FOO|$()|$(A$(B))|x$")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  const auto m = AsMap(env);
  EXPECT_EQ(m.at("E"), "$(A)|$1|$$");
  EXPECT_EQ(m.at("N"), "$(UNDEFINED)|abc$(|$FOO|$()|$(A$(B))|x$");
  // `abc$(` finds the `)` of the later `$()`: the name runs to the first `)`.
  EXPECT_THAT(Find(env, "N")->unresolved_references,
              ElementsAre("UNDEFINED", "|$FOO|$(", "A$(B"));
}

// §8 item 20.
TEST_F(ContainerEnvTest, ServiceVariablesInExpansion) {
  objects_.services.push_back(MakeService("test1", "test", "1.2.3.3", 8083));
  container().env = {
      Literal("SERVICE_VAR_TEST", "$(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT)"),
      Literal("MASTER", "$(KUBERNETES_SERVICE_HOST)")};
  EXPECT_EQ(Value("SERVICE_VAR_TEST"), "1.2.3.3:8083");
  pod_.enable_service_links = false;
  EXPECT_EQ(Value("SERVICE_VAR_TEST"),
            "$(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT)");
  EXPECT_EQ(Value("MASTER"), "1.2.3.1");
}

// §8 item 21.
TEST_F(ContainerEnvTest, ResolvedFieldRefInExpansion) {
  container().env = {FieldRef("POD_NAME", "metadata.name"),
                     Literal("POD_NAME_TEST2", "test2-$(POD_NAME)"),
                     Literal("POD_NAME_TEST3", "$(POD_NAME_TEST2)-3")};
  EXPECT_EQ(Value("POD_NAME_TEST3"), "test2-dapi-test-pod-name-3");
}

// §8 item 22.
TEST_F(ContainerEnvTest, EmptyVariable) {
  EnvVar empty;
  empty.name = "EMPTY_VAR";
  container().env = {empty, Literal("EMPTY_TEST", "foo-$(EMPTY_VAR)")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("EMPTY_VAR"), "");
  EXPECT_EQ(AsMap(env).at("EMPTY_TEST"), "foo-");
  EXPECT_EQ(Find(env, "EMPTY_VAR")->source.kind, SourceKind::kEmpty);
}

// §8 item 23, and envFrom values are not expanded either.
TEST_F(ContainerEnvTest, ValueFromAndEnvFromNeverExpanded) {
  AddSecret("s", {{"token", "$(HOME)"}});
  AddConfigMap("cm", {{"REF", "$(KUBERNETES_SERVICE_HOST)"}});
  container().env_from.push_back(FromConfigMap("cm"));
  container().env = {KeyRef("TOKEN", false, "s", "token")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("TOKEN"), "$(HOME)");
  EXPECT_EQ(AsMap(env).at("REF"), "$(KUBERNETES_SERVICE_HOST)");
  EXPECT_TRUE(Find(env, "TOKEN")->source.IsSecret());
  EXPECT_EQ(DescribeSource(Find(env, "TOKEN")->source),
            "Secret test1/s key token");
}

// §8 item 24.
TEST_F(ContainerEnvTest, CommandAndArgsSeeFinalEnvironment) {
  container().env = {Literal("FIRST", "$(LATER)"), Literal("LATER", "late")};
  container().command = {"$(LATER)", "$(PATH)"};
  container().args = {"$(KUBERNETES_SERVICE_PORT)", "$$(LATER)", "$(NOPE)"};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_THAT(env.command, ElementsAre("late", "$(PATH)"));
  EXPECT_THAT(env.args, ElementsAre("8081", "$(LATER)", "$(NOPE)"));
  EXPECT_THAT(env.unresolved_command_references, ElementsAre("PATH", "NOPE"));
  EXPECT_EQ(AsMap(env).at("FIRST"), "$(LATER)");
}

// §8 item 26.
TEST_F(ContainerEnvTest, MultiByteAfterDollarUnchanged) {
  container().env = {Literal("PRICE", "price: $\xC3\xA9")};
  EXPECT_EQ(Value("PRICE"), "price: $\xC3\xA9");
}

// §8 item 27.
TEST_F(ContainerEnvTest, DigitLeadingKeysDependOnKubeletVersion) {
  AddConfigMap("cm", {{"1234", "abc"}, {"ok", "v"}, {"..x", "y"}});
  container().env_from = {FromConfigMap("cm", "p_"), FromConfigMap("cm")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment current, Compute());
  EXPECT_THAT(AsMap(current),
              testing::IsSupersetOf({Pair("p_1234", "abc"), Pair("1234", "abc"),
                                     Pair("..x", "y"), Pair("p_..x", "y")}));
  EXPECT_THAT(current.warnings, IsEmpty());

  // makeEnvironmentVariables before 1.30 filters with IsEnvVarName.
  options_.kubelet = KubeletVersion::FromMinor(29).value();
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment old, Compute());
  const auto m = AsMap(old);
  EXPECT_EQ(m.count("1234"), 0u);
  EXPECT_EQ(m.count("..x"), 0u);
  EXPECT_EQ(m.at("p_1234"), "abc");
  EXPECT_EQ(m.at("p_..x"), "y");
  EXPECT_EQ(m.at("ok"), "v");
  ASSERT_THAT(old.warnings, SizeIs(1));
  EXPECT_THAT(old.warnings[0], HasSubstr("envFrom[1] ConfigMap test1/cm"));
  EXPECT_THAT(old.warnings[0], HasSubstr("kubelet 1.29"));
  EXPECT_THAT(old.warnings[0], HasSubstr(": ..x, 1234"));

  // 1.30 is the first kubelet without the filter.
  options_.kubelet = KubeletVersion::FromMinor(30).value();
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment v130, Compute());
  EXPECT_EQ(AsMap(v130).count("1234"), 1u);
  EXPECT_THAT(v130.warnings, IsEmpty());
}

// §8 item 28.
TEST_F(ContainerEnvTest, DottedKeys) {
  AddSecret("s", {{"1234.name", "abc"}, {"app.invalid", "x"}});
  container().env_from = {FromSecret("s", "p_"), FromSecret("s")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("p_1234.name"), "abc");
  EXPECT_EQ(AsMap(env).at("app.invalid"), "x");
  EXPECT_TRUE(Find(env, "app.invalid")->source.IsSecret());
}

// §8 item 29, with provenance of every replaced value.
TEST_F(ContainerEnvTest, OverrideOrderAndShadows) {
  AddConfigMap("cm1", {{"X", "1"}});
  AddConfigMap("cm2", {{"X", "2"}});
  container().env_from = {FromConfigMap("cm1"), FromConfigMap("cm2")};
  EXPECT_EQ(Value("X"), "2");
  container().env = {Literal("X", "3")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  const EnvEntry* x = Find(env, "X");
  EXPECT_EQ(x->value, "3");
  ASSERT_THAT(x->shadows, SizeIs(2));
  EXPECT_EQ(x->shadows[0].object_name, "cm1");
  EXPECT_EQ(x->shadows[1].object_name, "cm2");
  EXPECT_EQ(x->source.index, 0);
}

// §8 item 30.
TEST_F(ContainerEnvTest, PrefixedKeysCoexist) {
  AddConfigMap("cm", {{"REPLACE_ME", "v"}});
  container().env_from = {FromConfigMap("cm"), FromConfigMap("cm", "p_")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("REPLACE_ME"), "v");
  EXPECT_EQ(AsMap(env).at("p_REPLACE_ME"), "v");
  EXPECT_EQ(Find(env, "p_REPLACE_ME")->source.prefix, "p_");
  EXPECT_EQ(DescribeSource(Find(env, "p_REPLACE_ME")->source),
            "ConfigMap test1/cm key REPLACE_ME (envFrom prefix p_)");
}

// §8 item 31.
TEST_F(ContainerEnvTest, MissingConfigMap) {
  container().env_from = {FromConfigMap("gone", "", /*optional=*/true)};
  EXPECT_THAT(Compute(), IsOk());
  container().env_from = {FromConfigMap("gone")};
  EXPECT_THAT(Compute(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("envFrom[0]"),
                             HasSubstr("ConfigMap test1/gone not found"),
                             HasSubstr("CreateContainerConfigError"))));
  container().env_from = {FromSecret("gone")};
  EXPECT_THAT(Compute(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                  HasSubstr("Secret test1/gone not found")));
}

TEST_F(ContainerEnvTest, ObjectsInOtherNamespacesAreInvisible) {
  ConfigMap other;
  other.meta.namespace_name = "elsewhere";
  other.meta.name = "cm";
  other.data = {{"LEAK", "no"}};
  objects_.config_maps.push_back(other);
  container().env_from = {FromConfigMap("cm", "", /*optional=*/true)};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).count("LEAK"), 0u);
}

// §8 item 32.
TEST_F(ContainerEnvTest, OptionalSkipKeepsEarlierValue) {
  AddConfigMap("cm", {{"X", "1"}});
  container().env_from = {FromConfigMap("cm")};
  container().env = {KeyRef("X", true, "cm", "absent", /*optional=*/true),
                     KeyRef("X", true, "gone", "k", /*optional=*/true),
                     KeyRef("X", false, "gone", "k", /*optional=*/true)};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("X"), "1");
  EXPECT_THAT(Find(env, "X")->shadows, IsEmpty());
  EXPECT_EQ(Find(env, "X")->source.kind, SourceKind::kConfigMapEnvFrom);
}

TEST_F(ContainerEnvTest, MissingKeyNotOptional) {
  AddConfigMap("cm", {{"X", "1"}});
  container().env = {Literal("A", "a"), KeyRef("Y", true, "cm", "nope")};
  EXPECT_THAT(Compute(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("env[1] (Y)"),
                             HasSubstr("couldn't find key nope in ConfigMap "
                                       "test1/cm"))));
}

// §8 item 33.
TEST_F(ContainerEnvTest, BinaryDataIsInvisible) {
  AddConfigMap("cm", {{"TEXT", "t"}}, {{"BIN", "\x01\x02"}});
  container().env_from = {FromConfigMap("cm")};
  container().env = {KeyRef("B", true, "cm", "BIN", /*optional=*/true)};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).count("BIN"), 0u);
  EXPECT_EQ(AsMap(env).count("B"), 0u);
  container().env = {KeyRef("B", true, "cm", "BIN")};
  EXPECT_THAT(Compute(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                  HasSubstr("couldn't find key BIN")));
}

// §8 item 34.
TEST_F(ContainerEnvTest, ResourceValues) {
  Node node;
  node.meta.name = "node-1";
  node.allocatable = {{"cpu", "3920m"}, {"memory", "8Gi"}};
  objects_.nodes.push_back(node);
  pod_.node_name = "node-1";
  container().resources.requests = {{"cpu", "250m"}};
  container().resources.limits = {{"memory", "100M"},
                                  {"ephemeral-storage", "0"}};
  container().env = {ResourceRef("CPU_REQ", "requests.cpu"),
                     ResourceRef("CPU_REQ_M", "requests.cpu", "1m"),
                     ResourceRef("MEM_LIM", "limits.memory", "1Mi"),
                     ResourceRef("CPU_LIM", "limits.cpu"),
                     ResourceRef("MEM_REQ", "requests.memory"),
                     ResourceRef("EPH_LIM", "limits.ephemeral-storage"),
                     ResourceRef("HUGE", "limits.hugepages-2Mi")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  const auto m = AsMap(env);
  EXPECT_EQ(m.at("CPU_REQ"), "1");
  EXPECT_EQ(m.at("CPU_REQ_M"), "250");
  EXPECT_EQ(m.at("MEM_LIM"), "96");
  EXPECT_EQ(m.at("CPU_LIM"), "4");  // Unset: the node's allocatable.
  // No request: API defaulting copies the limit (100M).
  EXPECT_EQ(m.at("MEM_REQ"), "100000000");
  // A zero limit also defaults, but the node has no ephemeral-storage.
  EXPECT_EQ(m.at("EPH_LIM"), "0");
  EXPECT_EQ(m.at("HUGE"), "0");
  EXPECT_EQ(DescribeSource(Find(env, "MEM_LIM")->source),
            "resourceFieldRef limits.memory divisor 1Mi");

  options_.default_requests_from_limits = false;
  EXPECT_EQ(Value("MEM_REQ"), "0");
  container().resources.limits.clear();
  options_.default_requests_from_limits = true;
  EXPECT_EQ(Value("MEM_REQ"), "0");  // Neither request nor limit.
  EXPECT_EQ(Value("MEM_LIM"), "8192");
}

TEST_F(ContainerEnvTest, ResourceOfOtherContainers) {
  Node node;
  node.meta.name = "n";
  node.allocatable = {{"cpu", "8"}};
  options_.node = &node;
  pod_.containers.emplace_back();
  pod_.containers[1].name = "side";
  pod_.containers[1].resources.limits = {{"cpu", "1500m"}};
  pod_.init_containers.emplace_back();
  pod_.init_containers[0].name = "init";
  container().env = {ResourceRef("SIDE", "limits.cpu", "", "side"),
                     ResourceRef("INIT", "limits.cpu", "", "init"),
                     ResourceRef("SELF", "limits.cpu", "", "app")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  const auto m = AsMap(env);
  EXPECT_EQ(m.at("SIDE"), "2");
  EXPECT_EQ(m.at("INIT"), "0");  // Init containers are not defaulted.
  EXPECT_EQ(m.at("SELF"), "8");
  // The init container's own env reads its own limit defaulted.
  pod_.init_containers[0].env = {ResourceRef("MINE", "limits.cpu")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment init_env,
                              Compute(pod_.init_containers[0]));
  EXPECT_EQ(AsMap(init_env).at("MINE"), "8");
}

TEST_F(ContainerEnvTest, ResourceErrors) {
  container().env = {ResourceRef("X", "limits.gpu")};
  EXPECT_THAT(
      Compute(),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("unsupported container resource : limits.gpu")));
  container().env = {ResourceRef("X", "limits.cpu", "", "nope")};
  EXPECT_THAT(Compute(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                  HasSubstr("container nope not found")));
  container().env = {ResourceRef("X", "limits.cpu", "bogus")};
  EXPECT_THAT(Compute(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                  HasSubstr("divisor: quantity \"bogus\"")));
  container().resources.limits = {{"memory", "12Q"}};
  container().env = {ResourceRef("X", "limits.memory")};
  EXPECT_THAT(Compute(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("container \"app\" resources.limits.memory: "
                                 "quantity \"12Q\"")));
}

TEST_F(ContainerEnvTest, DivisorTheApiRejectsWarns) {
  container().resources.requests = {{"cpu", "1"}};
  container().env = {ResourceRef("X", "requests.cpu", "100m")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("X"), "10");
  ASSERT_THAT(env.warnings, SizeIs(1));
  EXPECT_THAT(env.warnings[0], HasSubstr("divisor 100m"));
}

// §8 item 35.
// podFieldSelectorRuntimeValue calls sortPodIPs: the first IP of the node's
// primary family, then the first of the other.
TEST_F(ContainerEnvTest, DualStackPodIps) {
  pod_.pod_ips = {"fd00::5", "10.0.0.5"};
  container().env = {FieldRef("IP", "status.podIP"),
                     FieldRef("IPS", "status.podIPs")};
  // A stored status.podIPs is already in the kubelet's order: kept.
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("IP"), "fd00::5");
  EXPECT_EQ(AsMap(env).at("IPS"), "fd00::5,10.0.0.5");
  // IPs whose order is to be decided, no Node: IPv4 first (a kubelet with
  // no node IPs).
  options_.pod_ips_as_reported = false;
  EXPECT_EQ(Value("IPS"), "10.0.0.5,fd00::5");
  EXPECT_EQ(Value("IP"), "10.0.0.5");
  // The caller's word wins.
  options_.node_ipv6_primary = true;
  EXPECT_EQ(Value("IPS"), "fd00::5,10.0.0.5");
  pod_.pod_ips = {"::ffff:10.1.2.3", "fd00::1"};  // IPv4-mapped is IPv4.
  options_.node_ipv6_primary = false;
  // sortPodIPs re-stringifies each IP (net.IP.String()).
  EXPECT_EQ(Value("IPS"), "10.1.2.3,fd00::1");
}

TEST_F(ContainerEnvTest, PodIpOrderFollowsTheNodesPrimaryFamily) {
  Node node;
  node.meta.name = "n";
  node.addresses = {{"InternalIP", "fd00::10"}, {"InternalIP", "10.0.0.10"}};
  options_.node = &node;
  pod_.pod_ips = {"10.0.0.5", "fd00::5"};
  container().env = {FieldRef("IPS", "status.podIPs")};
  // Stored order is kept even with an IPv6-primary Node in the input.
  EXPECT_EQ(Value("IPS"), "10.0.0.5,fd00::5");
  options_.pod_ips_as_reported = false;
  EXPECT_EQ(Value("IPS"), "fd00::5,10.0.0.5");
  node.addresses = {{"InternalIP", "10.0.0.10"}, {"InternalIP", "fd00::10"}};
  EXPECT_EQ(Value("IPS"), "10.0.0.5,fd00::5");
}

TEST_F(ContainerEnvTest, HostIpsFromNodeCanonical) {
  Node node;
  node.meta.name = "n";
  node.addresses = {{"Hostname", "n"},
                    {"ExternalIP", "203.0.113.9"},
                    {"InternalIP", "010.0.0.01"},
                    {"InternalIP", "FD00:0:0::1"}};
  options_.node = &node;
  container().env = {FieldRef("H", "status.hostIP"),
                     FieldRef("HS", "status.hostIPs")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("H"), "10.0.0.1");
  EXPECT_EQ(AsMap(env).at("HS"), "10.0.0.1,fd00::1");
}

TEST_F(ContainerEnvTest, UnknownIpsAreEmptyWithWarning) {
  container().env = {FieldRef("H", "status.hostIP"),
                     FieldRef("P", "status.podIP")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("H"), "");
  EXPECT_EQ(AsMap(env).at("P"), "");
  EXPECT_THAT(env.warnings, ElementsAre(HasSubstr("status.hostIP is empty"),
                                        HasSubstr("status.podIP is empty")));
  pod_.host_ips = {"192.168.0.7"};
  EXPECT_EQ(Value("H"), "192.168.0.7");
}

TEST_F(ContainerEnvTest, FieldRefPaths) {
  pod_.meta.uid = "uid-1";
  pod_.node_name = "node-1";
  pod_.service_account_name = "sa";
  pod_.meta.labels = {{"app", "web"}, {"z", "q\"uote"}};
  pod_.meta.annotations = {{"example.com/Owner", "me"}};
  container().env = {
      FieldRef("NS", "metadata.namespace"),
      FieldRef("UID", "metadata.uid"),
      FieldRef("NODE", "spec.nodeName"),
      FieldRef("HOST", "spec.host"),
      FieldRef("SA", "spec.serviceAccountName", ""),
      FieldRef("APP", "metadata.labels['app']"),
      FieldRef("MISSING", "metadata.labels['missing']"),
      FieldRef("OWNER", "metadata.annotations['example.com/Owner']"),
      FieldRef("LABELS", "metadata.labels")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  const auto m = AsMap(env);
  EXPECT_EQ(m.at("NS"), "test1");
  EXPECT_EQ(m.at("UID"), "uid-1");
  EXPECT_EQ(m.at("NODE"), "node-1");
  EXPECT_EQ(m.at("HOST"), "node-1");
  EXPECT_EQ(m.at("SA"), "sa");
  EXPECT_EQ(m.at("APP"), "web");
  EXPECT_EQ(m.at("MISSING"), "");
  EXPECT_EQ(m.at("OWNER"), "me");
  EXPECT_EQ(m.at("LABELS"), "app=\"web\"\nz=\"q\\\"uote\"");
  EXPECT_THAT(env.warnings,
              ElementsAre(HasSubstr("rejected by API validation")));
}

TEST_F(ContainerEnvTest, FieldRefErrors) {
  for (const auto& [path, version, message] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"metadata.name", "v2", "unsupported pod version: v2"},
           {"spec.restartPolicy", "v1",
            "unsupported fieldPath: spec.restartPolicy"},
           {"status.phase", "v1", "unsupported fieldPath"},
           {"spec.containers", "v1", "field label not supported"},
           {"spec.nodeName['x']", "v1", "does not support subscript"},
           {"metadata.labels['bad key!']", "v1", "invalid key subscript"},
       }) {
    container().env = {FieldRef("X", path, version)};
    EXPECT_THAT(Compute(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                    AllOf(HasSubstr("env[0] (X): fieldRef: "),
                                          HasSubstr(message))))
        << path;
  }
}

// §8 item 36.
TEST_F(ContainerEnvTest, NilEnableServiceLinks) {
  pod_.enable_service_links.reset();
  objects_.services.push_back(MakeService("test1", "test", "1.2.3.3", 8083));
  EXPECT_EQ(Value("TEST_SERVICE_HOST"), "1.2.3.3");  // API default: true.
  options_.reject_nil_enable_service_links = true;
  EXPECT_THAT(Compute(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("nil pod.spec.enableServiceLinks")));
}

// §8 item 39: own variables in first-set order, then Service-only ones
// sorted by name.
TEST_F(ContainerEnvTest, OutputOrder) {
  objects_.services.push_back(MakeService("test1", "b", "10.0.0.2", 80));
  AddConfigMap("cm", {{"Z", "z"}, {"A", "a"}});
  container().env_from = {FromConfigMap("cm")};
  container().env = {Literal("M", "m"), Literal("A", "again"),
                     Literal("B_SERVICE_HOST", "mine")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  std::vector<std::string> names;
  for (const EnvEntry& e : env.env) names.push_back(e.name);
  EXPECT_THAT(
      names,
      ElementsAre("A", "Z", "M", "B_SERVICE_HOST", "B_PORT", "B_PORT_80_TCP",
                  "B_PORT_80_TCP_ADDR", "B_PORT_80_TCP_PORT",
                  "B_PORT_80_TCP_PROTO", "B_SERVICE_PORT", "KUBERNETES_PORT",
                  "KUBERNETES_PORT_8081_TCP", "KUBERNETES_PORT_8081_TCP_ADDR",
                  "KUBERNETES_PORT_8081_TCP_PORT",
                  "KUBERNETES_PORT_8081_TCP_PROTO", "KUBERNETES_SERVICE_HOST",
                  "KUBERNETES_SERVICE_PORT"));
  EXPECT_EQ(env.own_count, 4u);
  for (size_t i = env.own_count; i < env.env.size(); ++i) {
    EXPECT_EQ(env.env[i].source.kind, SourceKind::kService);
    EXPECT_THAT(env.env[i].shadows, IsEmpty());
  }
}

TEST_F(ContainerEnvTest, ClashesOnlyForNamesNotSetByContainer) {
  objects_.services.push_back(MakeService("test1", "redis", "10.0.0.1", 6379));
  objects_.services.push_back(
      MakeService("test1", "redis-service", "10.0.0.9", 80));
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  ASSERT_THAT(env.clashes, SizeIs(1));
  EXPECT_EQ(env.clashes[0].name, "REDIS_SERVICE_PORT");
  container().env = {Literal("REDIS_SERVICE_PORT", "6379")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment own, Compute());
  EXPECT_THAT(own.clashes, IsEmpty());
}

TEST_F(ContainerEnvTest, DuplicateEnvNamesIntermediateExpansion) {
  container().env = {Literal("X", "1"), Literal("Y", "$(X)"), Literal("X", "2"),
                     Literal("Z", "$(X)")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("Y"), "1");
  EXPECT_EQ(AsMap(env).at("Z"), "2");
  EXPECT_EQ(AsMap(env).at("X"), "2");
  EXPECT_THAT(Find(env, "X")->shadows,
              ElementsAre(Field(&EnvSource::index, 0)));
}

TEST_F(ContainerEnvTest, LiteralBeatsValueFrom) {
  EnvVar both = FieldRef("X", "metadata.name");
  both.value = "literal-wins";
  container().env = {both};
  EXPECT_EQ(Value("X"), "literal-wins");
}

TEST_F(ContainerEnvTest, NulByteWarns) {
  AddSecret("s", {{"bin", std::string("a\0b", 3)}});
  container().env = {KeyRef("BIN", false, "s", "bin")};
  SVCENV_ASSERT_OK_AND_ASSIGN(ContainerEnvironment env, Compute());
  EXPECT_EQ(AsMap(env).at("BIN"), std::string("a\0b", 3));
  EXPECT_THAT(env.warnings,
              UnorderedElementsAre(HasSubstr("BIN: the value contains a NUL "
                                             "byte; runc will refuse setenv")));
}

// What live mode fetches: every object the containers read, each once, in
// first-use order; none of it needs to exist.
TEST(DependenciesOf, EachObjectOnceInFirstUseOrder) {
  Pod pod;
  pod.meta.namespace_name = "shop";
  pod.meta.name = "web";
  pod.node_name = "node-1";
  Container app;
  app.name = "app";
  EnvFromSource from;
  from.config_map_ref = EnvFromReference{"settings", false};
  app.env_from.push_back(from);
  EnvVar password;
  password.name = "PASSWORD";
  password.value_from = EnvVarSource();
  password.value_from->secret_key_ref = KeySelector{"db", "password", true};
  app.env.push_back(password);
  Container sidecar = app;
  sidecar.name = "sidecar";
  pod.containers = {app, sidecar};
  const std::vector<Dependency> got = DependenciesOf(
      pod, {&pod.containers[0], &pod.containers[1]}, EnvironmentOptions());
  std::vector<std::string> names;
  for (const Dependency& d : got) {
    const bool secret = d.kind == DependencyKind::kSecret;
    if (secret || d.kind == DependencyKind::kConfigMap) {
      names.push_back(absl::StrCat(secret ? "Secret " : "ConfigMap ",
                                   d.namespace_name, "/", d.name));
    }
  }
  EXPECT_THAT(names, ElementsAre("ConfigMap shop/settings", "Secret shop/db"));
}

TEST(FindContainer, AppThenInit) {
  Pod pod;
  EXPECT_EQ(FindContainer(pod, ""), nullptr);
  pod.containers.resize(2);
  pod.containers[0].name = "a";
  pod.containers[1].name = "b";
  pod.init_containers.resize(1);
  pod.init_containers[0].name = "i";
  EXPECT_EQ(FindContainer(pod, ""), &pod.containers[0]);
  EXPECT_EQ(FindContainer(pod, "b"), &pod.containers[1]);
  EXPECT_EQ(FindContainer(pod, "i"), &pod.init_containers[0]);
  EXPECT_EQ(FindContainer(pod, "x"), nullptr);
}

TEST(DescribeSource, Kinds) {
  EnvSource s;
  s.kind = SourceKind::kLiteral;
  EXPECT_EQ(DescribeSource(s), "env value");
  s.kind = SourceKind::kFieldRef;
  s.field_path = "metadata.name";
  EXPECT_EQ(DescribeSource(s), "fieldRef metadata.name");
  s = EnvSource();
  s.kind = SourceKind::kResourceFieldRef;
  s.resource = "limits.memory";
  EXPECT_EQ(DescribeSource(s), "resourceFieldRef limits.memory");
  s = EnvSource();
  s.kind = SourceKind::kSecretKeyRef;
  s.object_namespace = "shop";
  s.object_name = "db";
  s.key = "password";
  EXPECT_EQ(DescribeSource(s), "Secret shop/db key password");
  EXPECT_TRUE(s.IsSecret());
}

}  // namespace
}  // namespace svcenv
