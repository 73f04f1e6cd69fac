#include "svcenv/container_analysis.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/base/testing.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Timestamp At(int64_t seconds) {
  return Timestamp{absl::StrCat("t", seconds), seconds};
}

Service MakeService(const std::string& ns, const std::string& name,
                    const std::string& ip, std::optional<int64_t> created) {
  Service s;
  s.meta.namespace_name = ns;
  s.meta.name = name;
  s.cluster_ip = ip;
  s.ports.push_back({"", 80, "TCP"});
  if (created.has_value()) s.meta.creation_timestamp = At(*created);
  return s;
}

// A pod of namespace shop started at 1000, its container reading
// $(LATE_SERVICE_HOST) and $(NOWHERE).
Pod RunningPod() {
  Pod pod;
  pod.meta.namespace_name = "shop";
  pod.meta.name = "web";
  pod.meta.creation_timestamp = At(990);
  pod.workload_kind = "Pod";
  pod.workload_name = "web";
  Container& c = pod.containers.emplace_back();
  c.name = "app";
  EnvVar url;
  url.name = "URL";
  url.value = "http://$(LATE_SERVICE_HOST)/$(NOWHERE)";
  c.env.push_back(url);
  ContainerStatus status;
  status.name = "app";
  status.state = "running";
  status.started_at = At(1000);
  pod.container_statuses.push_back(status);
  return pod;
}

std::vector<DiagnosticKind> Kinds(const std::vector<Diagnostic>& ds) {
  std::vector<DiagnosticKind> kinds;
  for (const Diagnostic& d : ds) kinds.push_back(d.kind);
  return kinds;
}

const std::string* Value(const ContainerAnalysis& a, const std::string& name) {
  return a.environment.Find(name);
}

TEST(Analyze, InputFactsThenLateServicesThenTheContainers) {
  Objects objects;
  objects.services.push_back(MakeService("shop", "old", "10.0.0.1", 500));
  objects.services.push_back(MakeService("shop", "late", "10.0.0.2", 2000));
  objects.services.push_back(MakeService("shop", "same", "10.0.0.3", 1000));
  objects.services.push_back(MakeService("shop", "manifest", "", std::nullopt));
  objects.pods.push_back(RunningPod());
  const AnalysisInputs inputs(&objects);
  ASSERT_EQ(inputs.pending().size(), 1u);  // `manifest` got the stand-in.
  const Pod& pod = objects.pods[0];

  SVCENV_ASSERT_OK_AND_ASSIGN(
      const ContainerAnalysis next,
      Analyze(inputs, pod, pod.containers[0], AnalysisOptions()));
  EXPECT_EQ(next.start.kind, ContainerStart::Kind::kRunning);
  EXPECT_THAT(Kinds(next.diagnostics),
              ElementsAre(DiagnosticKind::kMissingMasterService,
                          DiagnosticKind::kPendingClusterIp,
                          DiagnosticKind::kLateService,
                          DiagnosticKind::kNeverCreatedService,
                          DiagnosticKind::kSameSecondService,
                          DiagnosticKind::kLiteralReference));
  ASSERT_EQ(next.late_services.size(), 2u);
  EXPECT_EQ(next.late_services[0]->meta.name, "late");
  EXPECT_EQ(next.late_services[1]->meta.name, "manifest");
  // The next start has every current Service.
  ASSERT_NE(Value(next, "URL"), nullptr);
  EXPECT_EQ(*Value(next, "URL"), "http://10.0.0.2/$(NOWHERE)");
  EXPECT_NE(Value(next, "MANIFEST_SERVICE_HOST"), nullptr);

  EXPECT_THAT(next.diagnostics[0].Describe(),
              HasSubstr("the input has no Service default/kubernetes"));
  EXPECT_EQ(next.diagnostics[1].Describe(),
            "Service shop/manifest has no clusterIP yet: the API server "
            "allocates one when it is created; its variables show <cluster "
            "IP>");
  EXPECT_EQ(next.diagnostics[2].Describe(),
            "Service shop/late (created t2000) is newer than container app "
            "(started t1000): the running container does not have its "
            "variables; a restart would add them");
  EXPECT_THAT(next.diagnostics[3].Describe(),
              HasSubstr("Service shop/manifest has no creationTimestamp"));
  EXPECT_THAT(next.diagnostics[4].Describe(),
              HasSubstr("was created in the same second container app"));
  EXPECT_THAT(next.diagnostics[5].Describe(),
              HasSubstr("URL: $(NOWHERE) stays literal"));

  // The running container: late and never-created Services left out (and
  // said so); the same-second one kept.
  AnalysisOptions as_running;
  as_running.as_running = true;
  SVCENV_ASSERT_OK_AND_ASSIGN(
      const ContainerAnalysis running,
      Analyze(inputs, pod, pod.containers[0], as_running));
  EXPECT_EQ(*Value(running, "URL"),
            "http://$(LATE_SERVICE_HOST)/$(NOWHERE)");
  EXPECT_EQ(Value(running, "LATE_SERVICE_HOST"), nullptr);
  EXPECT_EQ(Value(running, "MANIFEST_SERVICE_HOST"), nullptr);
  EXPECT_NE(Value(running, "SAME_SERVICE_HOST"), nullptr);
  EXPECT_THAT(running.diagnostics[2].Describe(),
              HasSubstr("(left out: --as-running)"));
  // The block of the next start is still there for the caller.
  EXPECT_EQ(running.services->variables.size(),
            next.services->variables.size());
}

TEST(Analyze, ManifestPodHasNoLateServices) {
  Objects objects;
  objects.services.push_back(MakeService("default", "kubernetes", "10.0.0.1",
                                         std::nullopt));
  objects.services.push_back(MakeService("shop", "late", "10.0.0.2", 2000));
  Pod pod = RunningPod();
  pod.meta.creation_timestamp.reset();  // A manifest: never created.
  pod.container_statuses.clear();
  objects.pods.push_back(pod);
  const AnalysisInputs inputs(&objects);
  SVCENV_ASSERT_OK_AND_ASSIGN(
      const ContainerAnalysis a,
      Analyze(inputs, objects.pods[0], objects.pods[0].containers[0], {}));
  EXPECT_THAT(a.late_services, IsEmpty());
  EXPECT_THAT(Kinds(a.diagnostics),
              ElementsAre(DiagnosticKind::kLiteralReference));
}

TEST(Analyze, RefusalIsTheEnvironmentsStatusUnlessPartial) {
  Objects objects;
  Pod pod = RunningPod();
  EnvVar missing;
  missing.name = "K";
  missing.value_from.emplace();
  missing.value_from->config_map_key_ref = KeySelector{"absent", "k", false};
  pod.containers[0].env.push_back(missing);
  objects.pods.push_back(pod);
  const AnalysisInputs inputs(&objects);
  const Pod& p = objects.pods[0];
  EXPECT_THAT(Analyze(inputs, p, p.containers[0], {}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("absent")));
  AnalysisOptions partial;
  partial.environment.partial = true;
  SVCENV_ASSERT_OK_AND_ASSIGN(const ContainerAnalysis a,
                              Analyze(inputs, p, p.containers[0], partial));
  EXPECT_FALSE(a.environment.complete());
}

// Node agents: a ServiceIndex-style block and their own lookups; no facts
// about input files or creation history.
TEST(Analyze, GivenBlockHasOnlyTheContainersFacts) {
  Objects none;
  const ObjectsLookup lookup(none);
  std::vector<Service> services = {
      MakeService("shop", "late", "10.0.0.2", 2000)};
  auto block = std::make_shared<const ServiceEnvironment>(
      ComputeServiceEnvironment(services, "shop", true));
  const Pod pod = RunningPod();
  SVCENV_ASSERT_OK_AND_ASSIGN(
      const ContainerAnalysis a,
      Analyze(block, lookup, pod, pod.containers[0], {}));
  EXPECT_THAT(Kinds(a.diagnostics),
              ElementsAre(DiagnosticKind::kLiteralReference));
  EXPECT_EQ(*a.environment.Find("URL"), "http://10.0.0.2/$(NOWHERE)");
  EXPECT_EQ(a.services, block);
}

// The block's own facts (a Service without variables) come first, unless
// the caller says them once per block (`svcenv check`).
TEST(Analyze, GivenBlockDiagnosticsOnceOrPerContainer) {
  Objects none;
  const ObjectsLookup lookup(none);
  std::vector<Service> services = {MakeService("shop", "db", "10.0.0.9", 0)};
  services[0].ports.clear();  // A cluster IP without ports: no variables.
  auto block = std::make_shared<const ServiceEnvironment>(
      ComputeServiceEnvironment(services, "shop", true));
  ASSERT_FALSE(block->diagnostics.empty());
  const Pod pod = RunningPod();
  SVCENV_ASSERT_OK_AND_ASSIGN(
      const ContainerAnalysis with,
      Analyze(block, lookup, pod, pod.containers[0], {}));
  EXPECT_THAT(Kinds(with.diagnostics),
              ElementsAre(DiagnosticKind::kServiceWithoutVariables,
                          DiagnosticKind::kLiteralReference));
  AnalysisOptions once;
  once.block_diagnostics = false;
  SVCENV_ASSERT_OK_AND_ASSIGN(
      const ContainerAnalysis without,
      Analyze(block, lookup, pod, pod.containers[0], once));
  EXPECT_THAT(Kinds(without.diagnostics),
              ElementsAre(DiagnosticKind::kLiteralReference));
}

}  // namespace
}  // namespace svcenv
