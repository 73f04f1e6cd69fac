#include "svcenv/container_start.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/base/testing.h"
#include "svcenv/objects.h"
#include "svcenv/pending_cluster_ip.h"

namespace svcenv {
namespace {

Timestamp At(int64_t seconds) {
  return Timestamp{"t" + std::to_string(seconds), seconds};
}

Service Created(const std::string& name, std::optional<int64_t> at) {
  Service s;
  s.meta.namespace_name = "shop";
  s.meta.name = name;
  if (at.has_value()) s.meta.creation_timestamp = At(*at);
  return s;
}

class ContainerStartTest : public ::testing::Test {
 protected:
  ContainerStartTest() {
    pod_.meta.creation_timestamp = At(1000);
    pod_.containers.emplace_back().name = "app";
    pod_.init_containers.emplace_back().name = "app";  // Same name: lists differ.
  }
  ContainerStatus Status(const std::string& state,
                         std::optional<int64_t> started) {
    ContainerStatus s;
    s.name = "app";
    s.state = state;
    if (started.has_value()) s.started_at = At(*started);
    return s;
  }
  Pod pod_;
};

TEST_F(ContainerStartTest, RunningUsesStartedAt) {
  pod_.container_statuses.push_back(Status("running", 2000));
  const ContainerStart start = StartOfContainer(pod_, pod_.containers[0]);
  EXPECT_EQ(start.kind, ContainerStart::Kind::kRunning);
  ASSERT_TRUE(start.at.has_value());
  EXPECT_EQ(start.at->unix_seconds, 2000);
  EXPECT_EQ(PresenceAtStart(Created("a", 1999), start),
            ServicePresence::kPresent);
  EXPECT_EQ(PresenceAtStart(Created("b", 2000), start),
            ServicePresence::kSameSecond);
  EXPECT_EQ(PresenceAtStart(Created("c", 2001), start),
            ServicePresence::kAbsent);
  // Never created (a manifest): absent unless known to exist.
  EXPECT_EQ(PresenceAtStart(Created("d", std::nullopt), start),
            ServicePresence::kAbsent);
  EXPECT_EQ(PresenceAtStart(Created("d", std::nullopt), start, true),
            ServicePresence::kPresent);
  // The init container of the same name has no status: the pod's creation.
  const ContainerStart init = StartOfContainer(pod_, pod_.init_containers[0]);
  EXPECT_EQ(init.kind, ContainerStart::Kind::kNotStarted);
  EXPECT_EQ(init.at->unix_seconds, 1000);
}

TEST_F(ContainerStartTest, WaitingOrTerminatedGetsEveryCurrentService) {
  for (const char* state : {"waiting", "terminated"}) {
    pod_.container_statuses = {Status(state, std::nullopt)};
    const ContainerStart start = StartOfContainer(pod_, pod_.containers[0]);
    EXPECT_EQ(start.kind, ContainerStart::Kind::kNextStart) << state;
    EXPECT_FALSE(start.at.has_value());
    EXPECT_EQ(PresenceAtStart(Created("late", 99999), start),
              ServicePresence::kPresent);
    EXPECT_EQ(PresenceAtStart(Created("new", std::nullopt), start),
              ServicePresence::kPresent);
  }
}

// A run that ended for good had the Services of its own start: the
// environment it ran with, not the next start's (there is none).
TEST_F(ContainerStartTest, TerminatedForGoodUsesThatRunsStart) {
  struct Case {
    const char* pod_policy;
    const char* container_policy;
    bool init;
    int64_t exit_code;
    bool finished;
  } cases[] = {
      {"Never", "", false, 1, true},
      {"Never", "", false, 0, true},
      {"OnFailure", "", false, 0, true},
      {"OnFailure", "", false, 2, false},  // Restarted after a failure.
      {"Always", "", false, 0, false},
      {"", "", false, 0, false},           // Unset: Always.
      {"Always", "Never", false, 0, true},  // The container's own policy.
      {"Always", "", true, 0, true},        // Init containers run once.
      {"Always", "", true, 1, false},       // ... until they succeed.
      {"Never", "", true, 1, true},
      {"Always", "Always", true, 0, false},  // A sidecar restarts.
  };
  for (const Case& c : cases) {
    pod_.restart_policy = c.pod_policy;
    Container& container =
        c.init ? pod_.init_containers[0] : pod_.containers[0];
    container.restart_policy = c.container_policy;
    ContainerStatus status = Status("terminated", std::nullopt);
    status.terminated_started_at = At(2000);
    status.exit_code = c.exit_code;
    pod_.container_statuses.clear();
    pod_.init_container_statuses.clear();
    (c.init ? pod_.init_container_statuses : pod_.container_statuses)
        .push_back(status);
    const ContainerStart start = StartOfContainer(pod_, container);
    const std::string what =
        absl::StrCat(c.pod_policy, "/", c.container_policy, " init=", c.init,
                     " exit=", c.exit_code);
    if (c.finished) {
      EXPECT_EQ(start.kind, ContainerStart::Kind::kFinished) << what;
      ASSERT_TRUE(start.at.has_value()) << what;
      EXPECT_EQ(start.at->unix_seconds, 2000) << what;
      EXPECT_EQ(PresenceAtStart(Created("late", 2001), start),
                ServicePresence::kAbsent)
          << what;
    } else {
      EXPECT_EQ(start.kind, ContainerStart::Kind::kNextStart) << what;
      EXPECT_EQ(PresenceAtStart(Created("late", 2001), start),
                ServicePresence::kPresent)
          << what;
    }
    container.restart_policy.clear();
  }
}

TEST_F(ContainerStartTest, TerminatedEphemeralContainerIsFinished) {
  pod_.ephemeral_containers.emplace_back().name = "debug";
  ContainerStatus status = Status("terminated", std::nullopt);
  status.name = "debug";
  status.terminated_started_at = At(3000);
  status.exit_code = 0;
  pod_.ephemeral_container_statuses.push_back(status);
  const ContainerStart start =
      StartOfContainer(pod_, pod_.ephemeral_containers[0]);
  EXPECT_EQ(start.kind, ContainerStart::Kind::kFinished);
  EXPECT_EQ(start.at->unix_seconds, 3000);
}

TEST_F(ContainerStartTest, NoStatusYetUsesPodCreation) {
  const ContainerStart start = StartOfContainer(pod_, pod_.containers[0]);
  EXPECT_EQ(start.kind, ContainerStart::Kind::kNotStarted);
  EXPECT_EQ(PresenceAtStart(Created("late", 1001), start),
            ServicePresence::kAbsent);
}

// A Pending pod the kubelet has not started (unscheduled: `kubectl get
// pod` from a real API server shows `phase: Pending` and no container
// statuses): it will start with every Service there is then, also one
// created in the pod's own second.
TEST_F(ContainerStartTest, PendingPodWithoutStatusStartsNext) {
  pod_.phase = "Pending";
  const ContainerStart start = StartOfContainer(pod_, pod_.containers[0]);
  EXPECT_EQ(start.kind, ContainerStart::Kind::kNextStart);
  EXPECT_EQ(PresenceAtStart(Created("late", 1001), start),
            ServicePresence::kPresent);
  EXPECT_EQ(PresenceAtStart(Created("same-second", 1000), start),
            ServicePresence::kPresent);
  // Running without a status for this container: no earlier than creation.
  pod_.phase = "Running";
  EXPECT_EQ(StartOfContainer(pod_, pod_.containers[0]).kind,
            ContainerStart::Kind::kNotStarted);
}

TEST_F(ContainerStartTest, ManifestPodIsNotDecidedHere) {
  pod_.meta.creation_timestamp.reset();
  const ContainerStart start = StartOfContainer(pod_, pod_.containers[0]);
  EXPECT_EQ(start.kind, ContainerStart::Kind::kManifest);
  EXPECT_EQ(PresenceAtStart(Created("late", 99999), start),
            ServicePresence::kPresent);
}

// Every status shape for every kind of container: absent, no state,
// waiting, running with and without startedAt, terminated with every exit
// and with and without its run's startedAt, under every restart policy.
// None may crash (an ephemeral container without a status once did: a pod
// template, or a pod just after `kubectl debug`), and each answer keeps the
// contract of the header.
TEST(ContainerStartShapesTest, EveryStatusShapeOfEveryContainerKind) {
  enum class Kind { kApp, kInit, kSidecar, kEphemeral };
  struct Shape {
    bool present;
    std::string state;
    bool started_at;
    bool terminated_started_at;
    std::optional<int64_t> exit_code;
  };
  std::vector<Shape> shapes = {{false, "", false, false, std::nullopt},
                               {true, "", false, false, std::nullopt},
                               {true, "waiting", false, false, std::nullopt},
                               {true, "running", true, false, std::nullopt},
                               {true, "running", false, false, std::nullopt}};
  for (const std::optional<int64_t> exit : {std::optional<int64_t>(0),
                                            std::optional<int64_t>(1),
                                            std::optional<int64_t>()}) {
    for (const bool dated : {true, false}) {
      shapes.push_back({true, "terminated", false, dated, exit});
    }
  }
  int cases = 0;
  for (const Kind kind : {Kind::kApp, Kind::kInit, Kind::kSidecar,
                          Kind::kEphemeral}) {
    for (const Shape& shape : shapes) {
      for (const std::string pod_policy : {"", "Always", "OnFailure", "Never"}) {
        for (const bool status_elsewhere : {false, true}) {
          Pod pod;
          pod.meta.creation_timestamp = At(1000);
          pod.restart_policy = pod_policy;
          pod.containers.emplace_back().name = "app";
          pod.init_containers.emplace_back().name = "init";
          pod.init_containers.back().restart_policy = "Always";  // Sidecar.
          pod.init_containers.emplace_back().name = "setup";
          pod.ephemeral_containers.emplace_back().name = "debugger";
          const Container& container =
              kind == Kind::kApp       ? pod.containers[0]
              : kind == Kind::kSidecar ? pod.init_containers[0]
              : kind == Kind::kInit    ? pod.init_containers[1]
                                       : pod.ephemeral_containers[0];
          ContainerStatus status;
          status.name = container.name;
          status.state = shape.state;
          if (shape.started_at) status.started_at = At(2000);
          if (shape.terminated_started_at) {
            status.terminated_started_at = At(3000);
          }
          status.exit_code = shape.exit_code;
          std::vector<ContainerStatus>& own =
              kind == Kind::kApp ? pod.container_statuses
              : kind == Kind::kEphemeral ? pod.ephemeral_container_statuses
                                         : pod.init_container_statuses;
          if (shape.present) own.push_back(status);
          // A status of the same name in another list is not this one's.
          if (status_elsewhere) {
            ContainerStatus other = status;
            other.state = "running";
            other.started_at = At(9000);
            (kind == Kind::kApp ? pod.ephemeral_container_statuses
                                : pod.container_statuses)
                .push_back(other);
          }
          const std::string where = absl::StrCat(
              "kind ", static_cast<int>(kind), " state '", shape.state,
              "' present ", shape.present, " pod policy '", pod_policy, "'");
          const ContainerStart start = StartOfContainer(pod, container);
          ++cases;
          const bool running_dated =
              shape.present && shape.state == "running" && shape.started_at;
          EXPECT_EQ(start.kind == ContainerStart::Kind::kRunning,
                    running_dated)
              << where;
          switch (start.kind) {
            case ContainerStart::Kind::kRunning:
              ASSERT_TRUE(start.at.has_value()) << where;
              EXPECT_EQ(start.at->unix_seconds, 2000) << where;
              break;
            case ContainerStart::Kind::kNotStarted:
              EXPECT_NE(kind, Kind::kEphemeral) << where;
              ASSERT_TRUE(start.at.has_value()) << where;
              EXPECT_EQ(start.at->unix_seconds, 1000) << where;
              break;
            case ContainerStart::Kind::kFinished:
              EXPECT_EQ(shape.state, "terminated") << where;
              EXPECT_EQ(start.at.has_value(), shape.terminated_started_at)
                  << where;
              break;
            case ContainerStart::Kind::kNextStart:
              EXPECT_FALSE(start.at.has_value()) << where;
              break;
            case ContainerStart::Kind::kManifest:
              ADD_FAILURE() << where << ": the pod has a creationTimestamp";
              break;
          }
          if (kind == Kind::kEphemeral) {
            // Never restarted: terminated is for good; otherwise, without
            // its own startedAt, it starts next.
            const ContainerStart::Kind want =
                running_dated ? ContainerStart::Kind::kRunning
                : shape.present && shape.state == "terminated"
                    ? ContainerStart::Kind::kFinished
                    : ContainerStart::Kind::kNextStart;
            EXPECT_EQ(start.kind, want) << where;
          }
          if (!shape.present && kind != Kind::kEphemeral) {
            EXPECT_EQ(start.kind, ContainerStart::Kind::kNotStarted) << where;
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, 4 * 11 * 4 * 2);
}

TEST(PendingClusterIpTest, OneRuleForWhichAndWhat) {
  std::vector<Service> services(4);
  services[0].meta.name = "pending";
  services[1].meta.name = "external";
  services[1].type = "ExternalName";
  services[2].meta.name = "created";
  services[2].meta.creation_timestamp = At(5);
  services[3].meta.name = "headless";
  services[3].cluster_ip = "None";
  const std::vector<const Service*> pending =
      StandInPendingClusterIps(&services);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0], &services[0]);
  EXPECT_EQ(services[0].cluster_ip, "<cluster IP>");
  EXPECT_EQ(services[1].cluster_ip, "");
  EXPECT_EQ(services[2].cluster_ip, "");
  EXPECT_EQ(services[3].cluster_ip, "None");
}

TEST(PendingClusterIpTest, SizesCountAnAllocatedAddress) {
  EXPECT_EQ(AllocatedSize("plain"), 5);
  EXPECT_EQ(AllocatedSize("<cluster IP>"), 13);
  EXPECT_EQ(AllocatedSize("tcp://<cluster IP>:80,<cluster IP>"),
            std::string("tcp://10.96.100.100:80,10.96.100.100").size());
}

}  // namespace
}  // namespace svcenv
