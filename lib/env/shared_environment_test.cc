// The node-agent form of container_env.h: a result sharing the Service block,
// lookups, dependencies, structured refusals and partial mode.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lib/base/testing.h"
#include "svcenv/container_env.h"
#include "svcenv/env_dependency.h"
#include "svcenv/env_refusal.h"
#include "svcenv/object_lookup.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"
#include "svcenv/service_index.h"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

Service MakeService(const std::string& ns, const std::string& name,
                    const std::string& ip, int32_t port) {
  Service s;
  s.meta.namespace_name = ns;
  s.meta.name = name;
  s.cluster_ip = ip;
  s.ports.push_back({"", port, "TCP"});
  return s;
}

EnvVar Literal(const std::string& name, const std::string& value) {
  EnvVar v;
  v.name = name;
  v.value = value;
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

EnvVar FieldRef(const std::string& name, const std::string& path) {
  EnvVar v;
  v.name = name;
  v.value_from.emplace().field_ref = ObjectFieldSelector{"v1", path};
  return v;
}

EnvVar ResourceRef(const std::string& name, const std::string& resource,
                   const std::string& divisor = "") {
  EnvVar v;
  v.name = name;
  v.value_from.emplace().resource_field_ref =
      ResourceFieldSelector{"", resource, divisor};
  return v;
}

std::vector<std::pair<std::string, std::string>> Pairs(
    const SharedContainerEnvironment& env) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const SharedContainerEnvironment::Variable& v : env) {
    out.emplace_back(std::string(v.name), std::string(v.value));
  }
  return out;
}

class SharedEnvironmentTest : public ::testing::Test {
 protected:
  SharedEnvironmentTest() {
    index_.Upsert(MakeService("default", "kubernetes", "10.96.0.1", 443));
    index_.Upsert(MakeService("shop", "redis", "10.0.0.11", 6379));
    pod_.meta.namespace_name = "shop";
    pod_.meta.name = "web";
    pod_.node_name = "node-1";
    pod_.enable_service_links = true;
    pod_.containers.emplace_back().name = "app";
    ConfigMap cm;
    cm.meta.namespace_name = "shop";
    cm.meta.name = "app";
    cm.data = {{"LEVEL", "info"}, {"REDIS_SERVICE_PORT", "7000"}};
    objects_.config_maps.push_back(cm);
    Secret secret;
    secret.meta.namespace_name = "shop";
    secret.meta.name = "db";
    secret.data = {{"password", "s3cr3t"}};
    objects_.secrets.push_back(secret);
  }

  Container& container() { return pod_.containers[0]; }

  absl::StatusOr<SharedContainerEnvironment> Compute() {
    const ObjectsLookup lookup(objects_);
    return ComputeEnvironment(
        pod_, container(),
        index_.Lookup(pod_.meta.namespace_name,
                      pod_.enable_service_links.value_or(true)),
        lookup, options_);
  }

  Refusal RefusalOf(const absl::StatusOr<SharedContainerEnvironment>& env) {
    EXPECT_FALSE(env.ok());
    std::optional<Refusal> r = RefusalFromStatus(env.status());
    EXPECT_TRUE(r.has_value()) << env.status();
    return r.value_or(Refusal());
  }

  ServiceIndex index_;
  Objects objects_;
  Pod pod_;
  EnvironmentOptions options_;
};

TEST_F(SharedEnvironmentTest, IteratesOwnThenUnhiddenServicesLikeExplain) {
  container().env_from.push_back(
      EnvFromSource{"", EnvFromReference{"app", false}, {}});
  container().env = {Literal("URL", "redis://$(REDIS_SERVICE_HOST):$(LEVEL)"),
                     Literal("LEVEL", "debug")};
  SVCENV_ASSERT_OK_AND_ASSIGN(SharedContainerEnvironment env, Compute());
  // Own in first-set order (REDIS_SERVICE_PORT from the ConfigMap hides the
  // Service's), then the Service variables not hidden, by name.
  const auto pairs = Pairs(env);
  EXPECT_THAT(pairs,
              ElementsAre(Pair("LEVEL", "debug"),
                          Pair("REDIS_SERVICE_PORT", "7000"),
                          Pair("URL", "redis://10.0.0.11:info"),
                          Pair("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
                          Pair("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
                          Pair("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"),
                          Pair("KUBERNETES_PORT_443_TCP_PORT", "443"),
                          Pair("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
                          Pair("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
                          Pair("KUBERNETES_SERVICE_PORT", "443"),
                          Pair("REDIS_PORT", "tcp://10.0.0.11:6379"),
                          Pair("REDIS_PORT_6379_TCP", "tcp://10.0.0.11:6379"),
                          Pair("REDIS_PORT_6379_TCP_ADDR", "10.0.0.11"),
                          Pair("REDIS_PORT_6379_TCP_PORT", "6379"),
                          Pair("REDIS_PORT_6379_TCP_PROTO", "tcp"),
                          Pair("REDIS_SERVICE_HOST", "10.0.0.11")));
  EXPECT_EQ(env.size(), pairs.size());
  EXPECT_EQ(env.hidden_service_indices().size(), 1u);
  // The flat list and the explained form agree with the iteration.
  const std::vector<EnvironmentVariable> flat = env.Materialize();
  const ContainerEnvironment explained = env.Explain();
  ASSERT_EQ(flat.size(), pairs.size());
  ASSERT_EQ(explained.env.size(), pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(flat[i].name, pairs[i].first);
    EXPECT_EQ(flat[i].value, pairs[i].second);
    EXPECT_EQ(explained.env[i].name, pairs[i].first);
    EXPECT_EQ(explained.env[i].value, pairs[i].second);
  }
  EXPECT_EQ(explained.own_count, 3u);
  // Provenance on request.
  const SharedContainerEnvironment::Variable level = *env.begin();
  EXPECT_EQ(env.Describe(level), "env value");
  std::vector<std::string> shadows;
  for (const EnvSource& s : env.Shadows(level)) {
    shadows.push_back(DescribeSource(s));
  }
  EXPECT_THAT(shadows, ElementsAre("ConfigMap shop/app key LEVEL"));
  const SharedContainerEnvironment::Variable port = *std::next(env.begin());
  EXPECT_EQ(env.Describe(port), "ConfigMap shop/app key REDIS_SERVICE_PORT");
  ASSERT_EQ(env.Shadows(port).size(), 1u);
  EXPECT_EQ(DescribeSource(env.Shadows(port)[0]), "Service shop/redis port 6379/TCP");
  ASSERT_NE(env.Find("REDIS_SERVICE_HOST"), nullptr);
  EXPECT_EQ(*env.Find("REDIS_SERVICE_HOST"), "10.0.0.11");
  EXPECT_EQ(*env.Find("REDIS_SERVICE_PORT"), "7000");
  EXPECT_EQ(env.Find("NOPE"), nullptr);
}

TEST_F(SharedEnvironmentTest, ResultOutlivesIndexUpdatesAndTheIndex) {
  container().env = {Literal("R", "$(REDIS_SERVICE_HOST)")};
  auto index = std::make_unique<ServiceIndex>();
  index->Upsert(MakeService("shop", "redis", "10.0.0.11", 6379));
  const ObjectsLookup lookup(objects_);
  SVCENV_ASSERT_OK_AND_ASSIGN(
      SharedContainerEnvironment env,
      ComputeEnvironment(pod_, container(), index->Lookup("shop", true),
                         lookup, options_));
  index->Upsert(MakeService("shop", "redis", "10.0.0.99", 6380));
  index->Upsert(MakeService("shop", "cache", "10.0.0.12", 11211));
  EXPECT_TRUE(index->Delete("shop", "redis"));
  // The index now has a different block for the namespace...
  EXPECT_EQ(index->Lookup("shop", true)->variables[0].name,
            "CACHE_PORT");
  index.reset();
  // ...while the result still describes the Services it was computed from.
  EXPECT_EQ(*env.Find("R"), "10.0.0.11");
  EXPECT_EQ(*env.Find("REDIS_SERVICE_PORT"), "6379");
  EXPECT_EQ(env.Find("CACHE_SERVICE_HOST"), nullptr);
  const ContainerEnvironment explained = env.Explain();
  ASSERT_EQ(explained.env.size(), 8u);
  // The Service it points to is the block's copy, alive after the index.
  EXPECT_EQ(DescribeSource(explained.env.back().source),
            "Service shop/redis port 6379/TCP");
  // A copy of the result shares the block; both stay valid.
  SharedContainerEnvironment copy = env;
  EXPECT_EQ(copy.service_block(), env.service_block());
}

TEST_F(SharedEnvironmentTest, DependenciesIncludeMissingOptionalObjects) {
  container().env_from.push_back(
      EnvFromSource{"", EnvFromReference{"app", false}, {}});
  container().env_from.push_back(
      EnvFromSource{"", {}, EnvFromReference{"extra", true}});
  container().env = {KeyRef("PASSWORD", false, "db", "password"),
                     KeyRef("FLAG", true, "flags", "on", true),
                     KeyRef("LEVEL2", true, "app", "LEVEL"),
                     FieldRef("HOST", "status.hostIP")};
  SVCENV_ASSERT_OK_AND_ASSIGN(SharedContainerEnvironment env, Compute());
  const std::vector<Dependency>& deps = env.dependencies();
  ASSERT_EQ(deps.size(), 7u);
  EXPECT_EQ(deps[0], (Dependency{DependencyKind::kServiceNamespace, "shop", "",
                                 true, false}));
  EXPECT_EQ(deps[1], (Dependency{DependencyKind::kService, "default",
                                 "kubernetes", true, false}));
  EXPECT_EQ(deps[2],
            (Dependency{DependencyKind::kConfigMap, "shop", "app", true, false}));
  EXPECT_EQ(deps[3],
            (Dependency{DependencyKind::kSecret, "shop", "extra", false, true}));
  EXPECT_EQ(deps[4],
            (Dependency{DependencyKind::kSecret, "shop", "db", true, false}));
  EXPECT_EQ(deps[5], (Dependency{DependencyKind::kConfigMap, "shop", "flags",
                                 false, true}));
  EXPECT_EQ(deps[6],
            (Dependency{DependencyKind::kNode, "", "node-1", false, false}));
  EXPECT_EQ(env.Explain().dependencies, deps);
}

TEST_F(SharedEnvironmentTest, LinksOffDependsOnTheMasterServiceOnly) {
  pod_.enable_service_links = false;
  SVCENV_ASSERT_OK_AND_ASSIGN(SharedContainerEnvironment env, Compute());
  EXPECT_THAT(env.dependencies(),
              ElementsAre(Dependency{DependencyKind::kService, "default",
                                     "kubernetes", true, false}));
}

TEST_F(SharedEnvironmentTest, RefusalObjectNotFound) {
  container().env = {KeyRef("A", true, "missing", "k")};
  const Refusal r = RefusalOf(Compute());
  EXPECT_EQ(r.reason, RefusalReason::kObjectNotFound);
  EXPECT_EQ(r.object_kind, "ConfigMap");
  EXPECT_EQ(r.object_namespace, "shop");
  EXPECT_EQ(r.object_name, "missing");
  EXPECT_EQ(r.container, "app");
  EXPECT_EQ(r.field, "env[0]");
  EXPECT_EQ(r.variable, "A");
  EXPECT_EQ(r.kubelet_message, "configmap \"missing\" not found");
  EXPECT_EQ(r.message,
            "container \"app\": env[0] (A): ConfigMap shop/missing not found "
            "(not optional); the kubelet refuses to create the container "
            "(CreateContainerConfigError)");
  EXPECT_EQ(RefusalReasonName(r.reason), "ObjectNotFound");
}

TEST_F(SharedEnvironmentTest, RefusalObjectNotFoundInEnvFrom) {
  container().env_from.push_back(
      EnvFromSource{"", {}, EnvFromReference{"gone", false}});
  const Refusal r = RefusalOf(Compute());
  EXPECT_EQ(r.reason, RefusalReason::kObjectNotFound);
  EXPECT_EQ(r.object_kind, "Secret");
  EXPECT_EQ(r.object_name, "gone");
  EXPECT_EQ(r.field, "envFrom[0]");
  EXPECT_EQ(r.kubelet_message, "secret \"gone\" not found");
}

TEST_F(SharedEnvironmentTest, RefusalKeyNotFound) {
  container().env = {Literal("X", "1"), KeyRef("PW", false, "db", "pass")};
  const Refusal r = RefusalOf(Compute());
  EXPECT_EQ(r.reason, RefusalReason::kKeyNotFound);
  EXPECT_EQ(r.object_kind, "Secret");
  EXPECT_EQ(r.object_name, "db");
  EXPECT_EQ(r.key, "pass");
  EXPECT_EQ(r.field, "env[1]");
  EXPECT_EQ(r.kubelet_message, "couldn't find key pass in Secret shop/db");
}

TEST_F(SharedEnvironmentTest, RefusalBadFieldPath) {
  container().env = {FieldRef("F", "spec.nothing")};
  const Refusal r = RefusalOf(Compute());
  EXPECT_EQ(r.reason, RefusalReason::kBadFieldPath);
  EXPECT_EQ(r.field, "env[0]");
  EXPECT_THAT(r.kubelet_message, HasSubstr("spec.nothing"));
}

TEST_F(SharedEnvironmentTest, RefusalBadResourceField) {
  container().env = {ResourceRef("R", "limits.gpu")};
  const Refusal r = RefusalOf(Compute());
  EXPECT_EQ(r.reason, RefusalReason::kBadResourceField);
  EXPECT_EQ(r.kubelet_message, "unsupported container resource : limits.gpu");
}

TEST_F(SharedEnvironmentTest, RefusalBadResourceFieldUnknownContainer) {
  ResourceFieldSelector selector;
  selector.resource = "limits.cpu";
  selector.container_name = "nosuch";
  EnvVar var;
  var.name = "R";
  var.value_from.emplace().resource_field_ref = selector;
  container().env = {var};
  const Refusal r = RefusalOf(Compute());
  EXPECT_EQ(r.reason, RefusalReason::kBadResourceField);
  EXPECT_EQ(r.kubelet_message, "container nosuch not found");
}

// The reason comes from how the refusal was made, not from its text: a
// limit that does not parse is a quantity refusal whatever it says.
TEST_F(SharedEnvironmentTest, RefusalBadQuantityInALimit) {
  container().resources.limits["cpu"] = "not found";
  container().env = {ResourceRef("R", "limits.cpu")};
  const Refusal r = RefusalOf(Compute());
  EXPECT_EQ(r.reason, RefusalReason::kBadQuantity);
}

TEST_F(SharedEnvironmentTest, RefusalBadQuantity) {
  container().resources.limits["memory"] = "512Mi";
  container().env = {ResourceRef("R", "limits.memory", "12xyz")};
  const Refusal r = RefusalOf(Compute());
  EXPECT_EQ(r.reason, RefusalReason::kBadQuantity);
  EXPECT_THAT(r.kubelet_message, HasSubstr("12xyz"));
}

TEST_F(SharedEnvironmentTest, RefusalNilEnableServiceLinks) {
  pod_.enable_service_links.reset();
  options_.reject_nil_enable_service_links = true;
  const Refusal r = RefusalOf(Compute());
  EXPECT_EQ(r.reason, RefusalReason::kNilEnableServiceLinks);
  EXPECT_EQ(r.kubelet_message,
            "nil pod.spec.enableServiceLinks encountered, cannot construct "
            "envvars");
  EXPECT_TRUE(r.field.empty());
}

TEST_F(SharedEnvironmentTest, RefusalServicesNotSyncedExceptStaticPods) {
  options_.services_synced = false;
  const Refusal r = RefusalOf(Compute());
  EXPECT_EQ(r.reason, RefusalReason::kServicesNotSynced);
  EXPECT_EQ(r.kubelet_message,
            "services have not yet been read at least once, cannot construct "
            "envvars");
  pod_.meta.annotations["kubernetes.io/config.source"] = "file";
  EXPECT_THAT(Compute(), IsOk());
  pod_.meta.annotations["kubernetes.io/config.source"] = "api";
  EXPECT_FALSE(Compute().ok());
}

TEST_F(SharedEnvironmentTest, OtherStatusesCarryNoRefusal) {
  EXPECT_FALSE(RefusalFromStatus(absl::OkStatus()).has_value());
  EXPECT_FALSE(
      RefusalFromStatus(absl::FailedPreconditionError("x")).has_value());
  // The old entry point keeps the payload.
  container().env = {KeyRef("A", true, "missing", "k")};
  const ServiceEnvironment services =
      ComputeServiceEnvironment({}, "shop", true);
  absl::StatusOr<ContainerEnvironment> old =
      ComputeContainerEnvironment(pod_, container(), services, objects_, {});
  ASSERT_FALSE(old.ok());
  ASSERT_TRUE(RefusalFromStatus(old.status()).has_value());
  EXPECT_EQ(RefusalFromStatus(old.status())->object_name, "missing");
}

TEST_F(SharedEnvironmentTest, PartialModeListsRefusalsWithPlaceholders) {
  options_.partial = true;
  pod_.enable_service_links.reset();
  options_.reject_nil_enable_service_links = true;
  container().env_from.push_back(
      EnvFromSource{"", {}, EnvFromReference{"gone", false}});
  container().env = {Literal("A", "1"), KeyRef("PW", false, "db", "nope"),
                     Literal("DSN", "pg://u:$(PW)@$(REDIS_SERVICE_HOST)"),
                     Literal("B", "$(A)")};
  SVCENV_ASSERT_OK_AND_ASSIGN(SharedContainerEnvironment env, Compute());
  EXPECT_FALSE(env.complete());
  ASSERT_EQ(env.refusals().size(), 3u);
  EXPECT_EQ(env.refusals()[0].reason, RefusalReason::kNilEnableServiceLinks);
  EXPECT_EQ(env.refusals()[1].reason, RefusalReason::kObjectNotFound);
  EXPECT_EQ(env.refusals()[1].object_name, "gone");
  EXPECT_EQ(env.refusals()[2].reason, RefusalReason::kKeyNotFound);
  EXPECT_EQ(env.refusals()[2].key, "nope");
  ASSERT_EQ(env.own().size(), 4u);
  EXPECT_FALSE(env.own()[0].unknown);
  EXPECT_EQ(env.own()[1].name, "PW");
  EXPECT_TRUE(env.own()[1].unknown);
  EXPECT_EQ(env.own()[1].value, "");
  EXPECT_EQ(env.own()[2].name, "DSN");
  EXPECT_TRUE(env.own()[2].unknown);
  EXPECT_EQ(env.own()[2].value, "pg://u:@10.0.0.11");
  EXPECT_FALSE(env.own()[3].unknown);
  // The rest of the environment is all there (Services with links on).
  EXPECT_EQ(*env.Find("KUBERNETES_SERVICE_HOST"), "10.96.0.1");
  const ContainerEnvironment explained = env.Explain();
  EXPECT_TRUE(explained.env[1].unknown);
  EXPECT_EQ(explained.refusals.size(), 3u);
  // Without partial mode the first refusal fails the computation.
  options_.partial = false;
  EXPECT_EQ(RefusalOf(Compute()).reason, RefusalReason::kNilEnableServiceLinks);
}

TEST_F(SharedEnvironmentTest, ClashesHiddenByOwnVariablesAreDropped) {
  // `a-b` and `a_b` both produce A_B_SERVICE_HOST.
  index_.Upsert(MakeService("shop", "a-b", "10.0.0.1", 80));
  index_.Upsert(MakeService("shop", "a_b", "10.0.0.2", 80));
  SVCENV_ASSERT_OK_AND_ASSIGN(SharedContainerEnvironment all, Compute());
  EXPECT_FALSE(all.clashes().empty());
  const size_t clashes = all.clashes().size();
  container().env = {Literal("A_B_SERVICE_HOST", "mine")};
  SVCENV_ASSERT_OK_AND_ASSIGN(SharedContainerEnvironment env, Compute());
  EXPECT_EQ(env.clashes().size(), clashes - 1);
  for (const ServiceClash* c : env.clashes()) {
    EXPECT_NE(c->name, "A_B_SERVICE_HOST");
  }
}

TEST(ObjectsLookupTest, FirstDuplicateStandsForTheObject) {
  Objects objects;
  ConfigMap a;
  a.meta.namespace_name = "ns";
  a.meta.name = "cm";
  a.data["k"] = "first";
  objects.config_maps.push_back(a);
  a.data["k"] = "second";
  objects.config_maps.push_back(a);
  Node node;
  node.meta.name = "n1";
  objects.nodes.push_back(node);
  const ObjectsLookup lookup(objects);
  ASSERT_NE(lookup.FindConfigMap("ns", "cm"), nullptr);
  EXPECT_EQ(lookup.FindConfigMap("ns", "cm")->data.at("k"), "first");
  EXPECT_EQ(lookup.FindConfigMap("other", "cm"), nullptr);
  EXPECT_EQ(lookup.FindSecret("ns", "cm"), nullptr);
  EXPECT_EQ(lookup.FindNode("n1"), &objects.nodes[0]);
  EXPECT_EQ(lookup.FindNode("n2"), nullptr);
}

}  // namespace
}  // namespace svcenv
