// `check` sees ephemeral containers (`kubectl debug`) of a live pod, and
// judges Service ordering for them only from their own startedAt: they are
// added long after the pod was created.
#include <string>
#include <vector>

#include "lib/base/testing.h"
#include "svcenv/check.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;

Pod LivePod() {
  Pod pod;
  pod.meta.namespace_name = "shop";
  pod.meta.name = "api";
  pod.meta.creation_timestamp = Timestamp{"2026-01-01T00:00:00Z", 1767225600};
  pod.workload_kind = "Pod";
  pod.workload_name = "api";
  pod.containers.emplace_back().name = "app";
  pod.container_statuses.push_back(
      {"app", "running", Timestamp{"2026-01-01T00:00:05Z", 1767225605},
       std::nullopt, std::nullopt});
  Container debug;
  debug.name = "debugger";
  EnvVar v;
  v.name = "X";
  v.value_from.emplace().config_map_key_ref = KeySelector{"missing", "k", false};
  debug.env.push_back(v);
  pod.ephemeral_containers.push_back(debug);
  return pod;
}

Service LateService() {
  Service s;
  s.meta.namespace_name = "shop";
  s.meta.name = "late";
  s.meta.creation_timestamp = Timestamp{"2026-01-02T00:00:00Z", 1767312000};
  s.cluster_ip = "10.0.0.9";
  s.ports.push_back({"", 80, "TCP"});
  return s;
}

TEST(CheckEphemeral, EphemeralContainersAreChecked) {
  Objects objects;
  objects.pods.push_back(LivePod());
  const CheckResult result = Check(objects, {}, {});
  EXPECT_EQ(result.containers, 2);
  EXPECT_THAT(result.findings,
              Contains(AllOf(Field(&Finding::rule_id, "container-refused"),
                             Field(&Finding::container, "debugger"),
                             Field(&Finding::message, HasSubstr("missing")))));
}

TEST(CheckEphemeral, OrderingOnlyFromTheirOwnStart) {
  Objects objects;
  objects.pods.push_back(LivePod());
  objects.pods[0].ephemeral_containers[0].env.clear();
  objects.services.push_back(LateService());
  // No status for the debugger: its start is unknown, so no finding about it
  // (the app container, started before the Service, gets one).
  CheckResult result = Check(objects, {}, {});
  EXPECT_THAT(result.findings,
              Contains(AllOf(Field(&Finding::rule_id, "service-after-start"),
                             Field(&Finding::container, "app"))));
  EXPECT_THAT(result.findings,
              Not(Contains(Field(&Finding::container, "debugger"))));
  // Started before the Service was created: it lacks the variables.
  objects.pods[0].ephemeral_container_statuses.push_back(
      {"debugger", "running", Timestamp{"2026-01-01T12:00:00Z", 1767268800},
       std::nullopt, std::nullopt});
  result = Check(objects, {}, {});
  EXPECT_THAT(result.findings,
              Contains(AllOf(Field(&Finding::rule_id, "service-after-start"),
                             Field(&Finding::container, "debugger"))));
  // Started after: it has them.
  objects.pods[0].ephemeral_container_statuses[0].started_at =
      Timestamp{"2026-01-03T00:00:00Z", 1767398400};
  result = Check(objects, {}, {});
  EXPECT_THAT(result.findings,
              Not(Contains(Field(&Finding::container, "debugger"))));
}

}  // namespace
}  // namespace svcenv
