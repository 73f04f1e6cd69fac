#include "svcenv/check_grouping.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/base/testing.h"
#include "nlohmann/json.hpp"
#include "svcenv/check.h"
#include "svcenv/check_report.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr int64_t kEpoch = 1714557600;  // 2024-05-01T10:00:00Z

Timestamp At(int64_t offset) {
  const int64_t t = kEpoch + offset;
  return Timestamp{absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                    absl::FromUnixSeconds(t),
                                    absl::UTCTimeZone()),
                   t};
}

// A Service of `ns` created `created` seconds after kEpoch.
Service LiveService(const std::string& ns, const std::string& name,
                    int64_t created) {
  Service s;
  s.meta.namespace_name = ns;
  s.meta.name = name;
  s.meta.creation_timestamp = At(created);
  s.cluster_ip = absl::StrCat("10.0.0.", 10 + name.size());
  s.ports.push_back({"", 80, "TCP"});
  s.origin.file = "dump.json";
  return s;
}

OwnerReference Controller(const std::string& kind, const std::string& name) {
  return OwnerReference{"apps/v1", kind, name, "", /*controller=*/true};
}

// A running pod of `ns` whose containers `app` and `proxy` started
// `app_start` and `proxy_start` seconds after kEpoch, owned by `owner`.
Pod LivePod(const std::string& ns, const std::string& name,
            std::optional<OwnerReference> owner, int64_t app_start,
            std::optional<int64_t> proxy_start = std::nullopt) {
  Pod pod;
  pod.meta.namespace_name = ns;
  pod.meta.name = name;
  pod.workload_kind = "Pod";
  pod.workload_name = name;
  pod.meta.creation_timestamp = At(app_start - 3);
  if (owner.has_value()) pod.meta.owner_references.push_back(*owner);
  pod.origin.file = "dump.json";
  for (const char* c : {"app", "proxy"}) {
    pod.containers.push_back(Container{});
    pod.containers.back().name = c;
    ContainerStatus status;
    status.name = c;
    status.state = "running";
    status.started_at =
        At(std::string(c) == "app" ? app_start : proxy_start.value_or(app_start));
    pod.container_statuses.push_back(status);
  }
  return pod;
}

// A workload object (as decoded: its template as a Pod) of `kind` owned by
// `owner`.
Pod Workload(const std::string& ns, const std::string& kind,
             const std::string& name, std::optional<OwnerReference> owner) {
  Pod w;
  w.meta.namespace_name = ns;
  w.workload_kind = kind;
  w.workload_name = name;
  if (owner.has_value()) w.workload_owner_references.push_back(*owner);
  w.origin.file = "dump.json";
  w.containers.push_back(Container{});
  w.containers.back().name = "app";
  return w;
}

std::vector<const Finding*> OfRule(const CheckResult& result,
                                   const std::string& rule) {
  std::vector<const Finding*> out;
  for (const Finding& f : result.findings) {
    if (f.rule_id == rule) out.push_back(&f);
  }
  return out;
}

CheckResult Grouped(const Objects& objects) {
  CheckOptions options;
  options.group_by_owner = false;
  return GroupFindingsByOwner(Check(objects, Objects(), options), objects);
}

// Three pods of a Deployment's ReplicaSet, all started before `late`.
Objects DeploymentWithLateService(bool with_replica_set) {
  Objects objects;
  objects.services.push_back(LiveService("shop", "db", 0));
  objects.services.push_back(LiveService("shop", "late", 1000));
  if (with_replica_set) {
    objects.pods.push_back(Workload("shop", "ReplicaSet", "app7-5d8f7c9b4",
                                    Controller("Deployment", "app7")));
  }
  for (const char* suffix : {"aaaaa", "bbbbb", "ccccc"}) {
    Pod pod = LivePod("shop", absl::StrCat("app7-5d8f7c9b4-", suffix),
                      Controller("ReplicaSet", "app7-5d8f7c9b4"), 100);
    pod.meta.labels["pod-template-hash"] = "5d8f7c9b4";
    objects.pods.push_back(std::move(pod));
  }
  return objects;
}

TEST(OwnerResolver, PodThroughReplicaSetToDeployment) {
  const Objects objects = DeploymentWithLateService(/*with_replica_set=*/true);
  const OwnerResolver resolver(objects);
  std::optional<WorkloadOwner> owner = resolver.TopOwner(objects.pods[1]);
  ASSERT_TRUE(owner.has_value());
  EXPECT_EQ(owner->kind, "Deployment");
  EXPECT_EQ(owner->name, "app7");
  EXPECT_EQ(owner->namespace_name, "shop");
  EXPECT_THAT(owner->via, ElementsAre("ReplicaSet app7-5d8f7c9b4"));
  EXPECT_FALSE(owner->inferred);
  // The ReplicaSet object itself is a workload template, not a pod.
  EXPECT_FALSE(resolver.TopOwner(objects.pods[0]).has_value());
}

TEST(OwnerResolver, DeploymentInferredFromPodTemplateHash) {
  const Objects objects = DeploymentWithLateService(/*with_replica_set=*/false);
  std::optional<WorkloadOwner> owner =
      OwnerResolver(objects).TopOwner(objects.pods[0]);
  ASSERT_TRUE(owner.has_value());
  EXPECT_EQ(owner->kind, "Deployment");
  EXPECT_EQ(owner->name, "app7");
  EXPECT_TRUE(owner->inferred);
}

TEST(OwnerResolver, ReplicaSetWithoutHashOrOwnerStaysReplicaSet) {
  Objects objects;
  objects.pods.push_back(Workload("shop", "ReplicaSet", "legacy", std::nullopt));
  objects.pods.push_back(
      LivePod("shop", "legacy-x1", Controller("ReplicaSet", "legacy"), 100));
  objects.pods.push_back(
      LivePod("shop", "other-x1", Controller("ReplicaSet", "other-abc"), 100));
  const OwnerResolver resolver(objects);
  EXPECT_EQ(resolver.TopOwner(objects.pods[1])->kind, "ReplicaSet");
  EXPECT_EQ(resolver.TopOwner(objects.pods[2])->kind, "ReplicaSet");
  EXPECT_EQ(resolver.TopOwner(objects.pods[2])->name, "other-abc");
}

TEST(OwnerResolver, ReplicaSetOfAnotherUidIsNotFollowed) {
  Objects objects = DeploymentWithLateService(/*with_replica_set=*/true);
  objects.pods[0].workload_uid = "uid-new";
  objects.pods[1].meta.owner_references[0].uid = "uid-old";
  objects.pods[1].meta.labels.clear();
  std::optional<WorkloadOwner> owner =
      OwnerResolver(objects).TopOwner(objects.pods[1]);
  ASSERT_TRUE(owner.has_value());
  EXPECT_EQ(owner->kind, "ReplicaSet");
}

TEST(OwnerResolver, JobToCronJobOnlyWithTheJob) {
  Objects objects;
  OwnerReference cron = Controller("CronJob", "nightly");
  cron.api_version = "batch/v1";
  objects.pods.push_back(Workload("ops", "Job", "nightly-28500000", cron));
  OwnerReference job = Controller("Job", "nightly-28500000");
  job.api_version = "batch/v1";
  objects.pods.push_back(LivePod("ops", "nightly-28500000-q8x", job, 100));
  OwnerReference orphan = Controller("Job", "adhoc");
  objects.pods.push_back(LivePod("ops", "adhoc-z9k", orphan, 100));
  const OwnerResolver resolver(objects);
  EXPECT_EQ(resolver.TopOwner(objects.pods[1])->kind, "CronJob");
  EXPECT_EQ(resolver.TopOwner(objects.pods[1])->name, "nightly");
  EXPECT_EQ(resolver.TopOwner(objects.pods[2])->kind, "Job");
  EXPECT_EQ(resolver.TopOwner(objects.pods[2])->name, "adhoc");
}

TEST(OwnerResolver, OnlyControllerReferencesCount) {
  Objects objects;
  OwnerReference not_controller = Controller("StatefulSet", "db");
  not_controller.controller = false;
  objects.pods.push_back(LivePod("shop", "db-0", not_controller, 100));
  EXPECT_FALSE(OwnerResolver(objects).TopOwner(objects.pods[0]).has_value());
}

TEST(GroupFindingsByOwner, OneServiceAfterStartPerDeployment) {
  for (bool with_replica_set : {true, false}) {
    SCOPED_TRACE(with_replica_set ? "ReplicaSet in the dump" : "inferred");
    const Objects objects = DeploymentWithLateService(with_replica_set);
    const CheckResult result = Grouped(objects);
    const std::vector<const Finding*> late =
        OfRule(result, "service-after-start");
    ASSERT_THAT(late, SizeIs(1));
    const Finding& f = *late[0];
    EXPECT_EQ(f.workload_kind, "Deployment");
    EXPECT_EQ(f.workload_name, "app7");
    EXPECT_EQ(f.namespace_name, "shop");
    EXPECT_EQ(f.owner_pods, 3);
    EXPECT_EQ(f.affected_containers, 6);
    EXPECT_EQ(f.container, "");  // Both containers.
    EXPECT_EQ(f.message,
              "restart deployment/app7 in namespace shop: its 3 pods (6 "
              "containers) started before Service late existed; their "
              "variables are missing until they restart");
    EXPECT_THAT(f.hint, StartsWith("kubectl rollout restart deployment/app7 "
                                   "-n shop"));
    EXPECT_THAT(f.related, ElementsAre(Field(&RelatedObject::name, "late")));
    ASSERT_THAT(f.pods, SizeIs(3));
    EXPECT_EQ(f.pods[0].name, "app7-5d8f7c9b4-aaaaa");
    EXPECT_THAT(f.pods[2].containers, ElementsAre("app", "proxy"));
    EXPECT_EQ(f.example_pod, "app7-5d8f7c9b4-aaaaa");
    EXPECT_THAT(f.example_message, HasSubstr("shop/late"));
  }
}

TEST(GroupFindingsByOwner, EachOwnerKindItsOwnFinding) {
  Objects objects;
  objects.services.push_back(LiveService("shop", "late", 1000));
  objects.pods.push_back(
      LivePod("shop", "db-0", Controller("StatefulSet", "db"), 100));
  objects.pods.push_back(
      LivePod("shop", "db-1", Controller("StatefulSet", "db"), 110));
  objects.pods.push_back(
      LivePod("shop", "agent-x7", Controller("DaemonSet", "agent"), 100));
  OwnerReference cron{"batch/v1", "CronJob", "nightly", "", true};
  objects.pods.push_back(Workload("shop", "Job", "nightly-1", cron));
  objects.pods.push_back(LivePod(
      "shop", "nightly-1-abc",
      OwnerReference{"batch/v1", "Job", "nightly-1", "", true}, 100));
  const CheckResult result = Grouped(objects);
  const std::vector<const Finding*> late =
      OfRule(result, "service-after-start");
  ASSERT_THAT(late, SizeIs(3));
  EXPECT_EQ(late[0]->workload_kind, "StatefulSet");
  EXPECT_THAT(late[0]->pods, SizeIs(2));
  EXPECT_THAT(late[0]->message,
              StartsWith("restart statefulset/db in namespace shop: its 2 "
                         "pods (4 containers) started before"));
  EXPECT_EQ(late[1]->workload_kind, "DaemonSet");
  EXPECT_THAT(late[1]->message,
              StartsWith("restart daemonset/agent in namespace shop: its pod "
                         "(2 containers)"));
  EXPECT_EQ(late[2]->workload_kind, "CronJob");
  EXPECT_EQ(late[2]->workload_name, "nightly");
  EXPECT_THAT(late[2]->message, StartsWith("recreate the pods of "
                                           "cronjob/nightly"));
}

TEST(GroupFindingsByOwner, PodsWithoutOwnersStayPerContainer) {
  Objects objects;
  objects.services.push_back(LiveService("shop", "late", 1000));
  objects.pods.push_back(LivePod("shop", "debug", std::nullopt, 100));
  objects.pods.push_back(LivePod("shop", "debug-2", std::nullopt, 100));
  const CheckResult result = Grouped(objects);
  const std::vector<const Finding*> late =
      OfRule(result, "service-after-start");
  ASSERT_THAT(late, SizeIs(4));
  for (const Finding* f : late) {
    EXPECT_EQ(f->workload_kind, "Pod");
    EXPECT_THAT(f->pods, IsEmpty());
    EXPECT_EQ(f->affected_containers, 0);
  }
  EXPECT_EQ(late[0]->workload_name, "debug");
  EXPECT_EQ(late[0]->container, "app");
  EXPECT_EQ(late[1]->container, "proxy");
}

TEST(GroupFindingsByOwner, ContainersThatStartedAtDifferentTimes) {
  Objects objects;
  objects.services.push_back(LiveService("shop", "late", 200));
  // `app` started before the Service, `proxy` (restarted) after it.
  objects.pods.push_back(LivePod("shop", "web-0",
                                 Controller("StatefulSet", "web"), 100, 300));
  const CheckResult result = Grouped(objects);
  const std::vector<const Finding*> late =
      OfRule(result, "service-after-start");
  ASSERT_THAT(late, SizeIs(1));
  EXPECT_EQ(late[0]->affected_containers, 1);
  EXPECT_EQ(late[0]->container, "app");
  ASSERT_THAT(late[0]->pods, SizeIs(1));
  EXPECT_THAT(late[0]->pods[0].containers, ElementsAre("app"));
  EXPECT_THAT(late[0]->message, HasSubstr("its pod (1 container) started "
                                          "before Service late existed"));
}

TEST(GroupFindingsByOwner, NamespaceWhereOnlySomePodsAreLate) {
  Objects objects;
  objects.services.push_back(LiveService("shop", "new-a", 500));
  objects.services.push_back(LiveService("shop", "new-b", 510));
  // Two pods started before both Services, one between them, one after
  // both; another Deployment of the namespace restarted after both.
  const OwnerReference rs = Controller("ReplicaSet", "api-6c4f");
  for (auto [name, start] : std::vector<std::pair<std::string, int64_t>>{
           {"api-6c4f-a", 100}, {"api-6c4f-b", 200}, {"api-6c4f-c", 505},
           {"api-6c4f-d", 600}}) {
    Pod pod = LivePod("shop", name, rs, start);
    pod.meta.labels["pod-template-hash"] = "6c4f";
    objects.pods.push_back(std::move(pod));
  }
  Pod fresh = LivePod("shop", "web-77aa-x", Controller("ReplicaSet", "web-77aa"),
                      900);
  fresh.meta.labels["pod-template-hash"] = "77aa";
  objects.pods.push_back(std::move(fresh));
  const CheckResult result = Grouped(objects);
  const std::vector<const Finding*> late =
      OfRule(result, "service-after-start");
  ASSERT_THAT(late, SizeIs(1));
  const Finding& f = *late[0];
  EXPECT_EQ(f.workload_name, "api");
  EXPECT_EQ(f.owner_pods, 4);
  EXPECT_THAT(f.message,
              HasSubstr("3 of its 4 pods (6 containers) started before "
                        "some of Services new-a and new-b existed"));
  std::vector<std::string> names;
  for (const AffectedPod& p : f.pods) names.push_back(p.name);
  EXPECT_THAT(names, ElementsAre("api-6c4f-a", "api-6c4f-b", "api-6c4f-c"));
  EXPECT_THAT(f.related, SizeIs(2));  // Each Service once.
}

TEST(GroupFindingsByOwner, ServiceCreatedInTheSecondAPodStarted) {
  Objects objects;
  objects.services.push_back(LiveService("shop", "late", 100));
  objects.pods.push_back(
      LivePod("shop", "db-0", Controller("StatefulSet", "db"), 100));
  const CheckResult result = Grouped(objects);
  const std::vector<const Finding*> late =
      OfRule(result, "service-after-start");
  ASSERT_THAT(late, SizeIs(1));
  EXPECT_THAT(late[0]->message,
              HasSubstr("started no later than the second Service late was "
                        "created"));
}

TEST(GroupFindingsByOwner, OtherRulesGroupPerVariable) {
  Objects objects;
  // redis and redis-service both make REDIS_SERVICE_PORT...; kafka makes
  // KAFKA_PORT=tcp://..., which apps read as a port.
  objects.services.push_back(LiveService("shop", "redis", 0));
  objects.services.push_back(LiveService("shop", "redis-service", 0));
  for (const char* name : {"app-1a2b-x", "app-1a2b-y"}) {
    Pod pod = LivePod("shop", name, Controller("ReplicaSet", "app-1a2b"), 100);
    pod.meta.labels["pod-template-hash"] = "1a2b";
    objects.pods.push_back(std::move(pod));
  }
  CheckOptions per_pod;
  per_pod.group_by_owner = false;
  const CheckResult ungrouped = Check(objects, Objects(), per_pod);
  const size_t clashes = OfRule(ungrouped, "service-clash").size();
  ASSERT_GT(clashes, 0u);
  const CheckResult result = Grouped(objects);
  const std::vector<const Finding*> grouped = OfRule(result, "service-clash");
  // One per clashing variable (each container of each pod had them all).
  EXPECT_EQ(grouped.size() * 4, clashes);
  for (const Finding* f : grouped) {
    EXPECT_EQ(f->workload_kind, "Deployment");
    EXPECT_EQ(f->affected_containers, 4);
    EXPECT_THAT(f->message,
                StartsWith("deployment/app, its 2 pods (4 containers): "));
    EXPECT_THAT(f->message, HasSubstr(f->variable));
  }
}

// `kubectl get pods,rs,svc -o json` of a Deployment's two pods, a ReplicaSet
// and a Service created after them, as the API server writes them.
constexpr char kDump[] = R"({"apiVersion": "v1", "kind": "List", "items": [
 {"apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "web-7d9f-aaaaa", "namespace": "shop",
   "creationTimestamp": "2024-05-01T10:00:00Z",
   "labels": {"app": "web", "pod-template-hash": "7d9f"},
   "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
     "name": "web-7d9f", "uid": "rs-1", "controller": true,
     "blockOwnerDeletion": true}]},
  "spec": {"containers": [{"name": "app", "image": "web"}]},
  "status": {"containerStatuses": [{"name": "app",
    "state": {"running": {"startedAt": "2024-05-01T10:00:05Z"}}}]}},
 {"apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "web-7d9f-bbbbb", "namespace": "shop",
   "creationTimestamp": "2024-05-01T10:00:01Z",
   "labels": {"app": "web", "pod-template-hash": "7d9f"},
   "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
     "name": "web-7d9f", "uid": "rs-1", "controller": true}]},
  "spec": {"containers": [{"name": "app", "image": "web"}]},
  "status": {"containerStatuses": [{"name": "app",
    "state": {"running": {"startedAt": "2024-05-01T10:00:06Z"}}}]}},
 {"apiVersion": "apps/v1", "kind": "ReplicaSet",
  "metadata": {"name": "web-7d9f", "namespace": "shop", "uid": "rs-1",
   "creationTimestamp": "2024-05-01T09:59:59Z",
   "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
     "name": "web-frontend", "uid": "d-1", "controller": true}]},
  "spec": {"template": {"metadata": {"creationTimestamp": null},
   "spec": {"containers": [{"name": "app", "image": "web"}]}}}},
 {"apiVersion": "v1", "kind": "Service",
  "metadata": {"name": "cache", "namespace": "shop",
   "creationTimestamp": "2024-05-01T11:00:00Z"},
  "spec": {"clusterIP": "10.0.0.9", "ports": [{"port": 6379}]}}
]})";

TEST(GroupFindingsByOwner, DecodedDumpFollowsOwnerReferences) {
  Objects objects;
  ASSERT_THAT(DecodeText(kDump, "dump.json", DecodeOptions(), &objects),
              IsOk());
  ASSERT_THAT(objects.pods, SizeIs(3));
  ASSERT_THAT(objects.pods[0].meta.owner_references, SizeIs(1));
  const OwnerReference& ref = objects.pods[0].meta.owner_references[0];
  EXPECT_EQ(ref.kind, "ReplicaSet");
  EXPECT_EQ(ref.name, "web-7d9f");
  EXPECT_EQ(ref.uid, "rs-1");
  EXPECT_TRUE(ref.controller);
  EXPECT_EQ(objects.pods[2].workload_uid, "rs-1");
  ASSERT_THAT(objects.pods[2].workload_owner_references, SizeIs(1));

  // Grouping is on by default; the Deployment's name comes from the
  // ReplicaSet's ownerReference (it is not the ReplicaSet name's prefix).
  const CheckResult result = Check(objects, Objects(), CheckOptions());
  const std::vector<const Finding*> late =
      OfRule(result, "service-after-start");
  ASSERT_THAT(late, SizeIs(1));
  EXPECT_EQ(late[0]->workload_kind, "Deployment");
  EXPECT_EQ(late[0]->workload_name, "web-frontend");
  EXPECT_THAT(late[0]->message,
              StartsWith("restart deployment/web-frontend in namespace shop: "
                         "its 2 pods (2 containers) started before Service "
                         "cache existed"));
}

// `Check` groups each container's findings as they are produced (so that a
// live dump's thousands never exist together); the report must be the one
// grouping the whole per-container list gives.
TEST(GroupFindingsByOwner, CheckGroupsAsProducedLikeAfterwards) {
  Objects objects = DeploymentWithLateService(/*with_replica_set=*/true);
  // Clashing Services (grouped per variable), an unowned pod (kept per
  // container) between the Deployment's pods, a StatefulSet pod whose
  // containers started on either side of a late Service, and a workload
  // template (never grouped).
  objects.services.push_back(LiveService("shop", "redis", 0));
  objects.services.push_back(LiveService("shop", "redis-service", 0));
  objects.services.push_back(LiveService("shop", "mid", 200));
  objects.pods.insert(objects.pods.begin() + 2,
                      LivePod("shop", "debug", std::nullopt, 100));
  objects.pods.push_back(
      LivePod("shop", "web-0", Controller("StatefulSet", "web"), 100, 300));
  objects.pods.push_back(Workload("shop", "Deployment", "api", std::nullopt));
  Pod other = LivePod("shop", "app7-5d8f7c9b4-ddddd",
                      Controller("ReplicaSet", "app7-5d8f7c9b4"), 150);
  other.meta.labels["pod-template-hash"] = "5d8f7c9b4";
  objects.pods.push_back(std::move(other));

  const CheckResult afterwards = Grouped(objects);
  const CheckResult as_produced = Check(objects, Objects(), CheckOptions());
  ASSERT_GT(OfRule(afterwards, "service-clash").size(), 1u);
  ASSERT_THAT(OfRule(afterwards, "service-after-start"), SizeIs(4));
  EXPECT_EQ(RenderCheckJson(as_produced, Severity::kError, false),
            RenderCheckJson(afterwards, Severity::kError, false));
  EXPECT_EQ(RenderCheckText(as_produced), RenderCheckText(afterwards));
}

TEST(GroupedReports, TextLeadsWithWhatToRestart) {
  const std::string text =
      RenderCheckText(Grouped(DeploymentWithLateService(true)));
  EXPECT_THAT(text, StartsWith("To do: 1 workload's pods started before "
                               "Services they lack existed; restart or "
                               "recreate them:\n  deployment/app7 -n shop (3 "
                               "pods)\n"));
  EXPECT_THAT(text, HasSubstr("Deployment shop/app7: restart deployment/app7 "
                              "in namespace shop: its 3 pods"));
  EXPECT_THAT(text, HasSubstr("\n  e.g. pod app7-5d8f7c9b4-aaaaa: "));
}

TEST(GroupedReports, JsonAndSarifListEveryPodOnce) {
  const CheckResult result = Grouped(DeploymentWithLateService(true));
  const nlohmann::json doc = nlohmann::json::parse(
      RenderCheckJson(result, Severity::kError, /*fail_on_never=*/false));
  const nlohmann::json* late = nullptr;
  for (const nlohmann::json& f : doc["findings"]) {
    if (f["ruleId"] == "service-after-start") late = &f;
  }
  ASSERT_NE(late, nullptr);
  EXPECT_EQ((*late)["workload"]["kind"], "Deployment");
  EXPECT_EQ((*late)["affected"]["pods"], 3);
  EXPECT_EQ((*late)["affected"]["containers"], 6);
  ASSERT_EQ((*late)["pods"].size(), 3u);
  EXPECT_EQ((*late)["pods"][1]["name"], "app7-5d8f7c9b4-bbbbb");
  EXPECT_EQ((*late)["pods"][1]["containers"],
            nlohmann::json::array({"app", "proxy"}));
  EXPECT_EQ((*late)["related"].size(), 1u);
  EXPECT_EQ((*late)["example"]["pod"], "app7-5d8f7c9b4-aaaaa");

  const nlohmann::json sarif =
      nlohmann::json::parse(RenderCheckSarif(result, ""));
  const nlohmann::json* result_late = nullptr;
  for (const nlohmann::json& r : sarif["runs"][0]["results"]) {
    if (r["ruleId"] == "service-after-start") result_late = &r;
  }
  ASSERT_NE(result_late, nullptr);
  // The late Service once, then every affected pod.
  ASSERT_EQ((*result_late)["relatedLocations"].size(), 4u);
  EXPECT_EQ((*result_late)["relatedLocations"][3]["logicalLocations"][0]
                           ["fullyQualifiedName"],
            "Pod/shop/app7-5d8f7c9b4-ccccc");
  EXPECT_EQ((*result_late)["relatedLocations"][3]["id"], 3);
  EXPECT_EQ((*result_late)["properties"]["affectedContainers"], 6);
}

}  // namespace
}  // namespace svcenv
