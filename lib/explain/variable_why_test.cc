// ExplainVariable on decoded objects: the facts `svcenv why` words. The CLI
// tests (tools/why_expansions_test.cc, the why goldens) cover the words;
// these cover the facts a library caller reads.
#include "svcenv/variable_why.h"

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/base/testing.h"
#include "svcenv/container_env.h"
#include "svcenv/container_start.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

constexpr char kManifests[] = R"(
apiVersion: v1
kind: Service
metadata: {name: redis, namespace: shop}
spec: {clusterIP: 10.96.3.3, ports: [{port: 6379}]}
---
apiVersion: v1
kind: Service
metadata: {name: search, namespace: other}
spec: {clusterIP: 10.96.4.4, ports: [{port: 9200}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {MODE: fast, REDIS_SERVICE_HOST: from-configmap}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
  - name: app
    image: example/app:1
    envFrom:
    - configMapRef: {name: settings}
    env:
    - name: REDIS_URL
      value: redis://$(REDIS_SERVICE_HOST):$(REDIS_PORT)
    - name: MODE
      value: slow
)";

class VariableWhyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(DecodeText(kManifests, "m.yaml", {}, &objects_), IsOk());
    ASSERT_EQ(objects_.pods.size(), 1u);
    std::vector<const Service*> all;
    for (const Service& s : objects_.services) all.push_back(&s);
    services_ = BuildServiceEnvironment(VisibleServices(all, "shop", true));
    const Pod& pod = objects_.pods[0];
    absl::StatusOr<ContainerEnvironment> env = ComputeContainerEnvironment(
        pod, pod.containers[0], services_, objects_, {});
    ASSERT_TRUE(env.ok()) << env.status();
    env_ = *std::move(env);
  }

  VariableWhy Explain(const std::string& name) {
    const Pod& pod = objects_.pods[0];
    return ExplainVariable(name, {&pod, &pod.containers[0], &env_, &services_,
                                  &objects_, StartOfContainer(pod,
                                                              pod.containers[0]),
                                  {}});
  }

  Objects objects_;
  ServiceEnvironment services_;
  ContainerEnvironment env_;
};

// A Service variable, then envFrom, then env: the last one wins.
TEST_F(VariableWhyTest, CandidatesInTheKubeletsOrder) {
  const VariableWhy mode = Explain("MODE");
  ASSERT_TRUE(mode.present);
  EXPECT_THAT(mode.candidates,
              ElementsAre(Field(&WhyCandidate::wins, false),
                          Field(&WhyCandidate::wins, true)));
  EXPECT_EQ(mode.candidates[0].source.kind, SourceKind::kConfigMapEnvFrom);
  EXPECT_EQ(mode.candidates[1].source.kind, SourceKind::kLiteral);
  const VariableWhy host = Explain("REDIS_SERVICE_HOST");
  ASSERT_EQ(host.candidates.size(), 2u);
  EXPECT_EQ(host.candidates[0].source.kind, SourceKind::kService);
  EXPECT_EQ(host.candidates[1].source.kind, SourceKind::kConfigMapEnvFrom);
  EXPECT_EQ(host.candidates[1].value, "from-configmap");
}

// Each expansion with the value it had at that entry and its source; the
// Service's Docker-link URL is marked.
TEST_F(VariableWhyTest, ExpansionsWithValuesSourcesAndDockerLinkUrls) {
  const VariableWhy url = Explain("REDIS_URL");
  ASSERT_TRUE(url.present);
  EXPECT_EQ(url.value, "redis://from-configmap:tcp://10.96.3.3:6379");
  ASSERT_EQ(url.expansions.size(), 2u);
  EXPECT_EQ(url.expansions[0].name, "REDIS_SERVICE_HOST");
  EXPECT_EQ(url.expansions[0].source.kind, SourceKind::kConfigMapEnvFrom);
  EXPECT_FALSE(url.expansions[0].docker_link_url);
  EXPECT_EQ(url.expansions[1].name, "REDIS_PORT");
  EXPECT_EQ(url.expansions[1].value, "tcp://10.96.3.3:6379");
  EXPECT_EQ(url.expansions[1].source.kind, SourceKind::kService);
  EXPECT_TRUE(url.expansions[1].docker_link_url);
  EXPECT_THAT(url.unresolved_references, IsEmpty());
}

// A Service of another namespace gives no variable: the absence says so.
TEST_F(VariableWhyTest, OtherNamespacesServiceIsTheAbsenceReason) {
  const VariableWhy search = Explain("SEARCH_SERVICE_HOST");
  EXPECT_FALSE(search.present);
  ASSERT_FALSE(search.absence.empty());
  EXPECT_EQ(search.absence[0].kind, AbsenceKind::kServiceInOtherNamespace);
}

}  // namespace
}  // namespace svcenv
