// `svcenv env --as-running` and `svcenv check` decide which Services a
// container has with one rule (svcenv/container_start.h): a running container
// has those created before its startedAt; a waiting or terminated one gets
// every current Service at its next start.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/base/testing.h"
#include "tools/cli.h"

namespace svcenv::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result RunCli(const std::vector<std::string>& args) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  Io io{in, out, err};
  const int code = Run(args, io);
  return {code, out.str(), err.str()};
}

// A pod created at 09:00 whose container `app` is in `state`; `late` was
// created at 12:00, after the container's start at 11:00.
std::string WriteCluster(const std::string& state,
                         const std::string& restart_policy = "") {
  const std::string path =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/cluster-", state, ".yaml");
  std::ofstream f(path);
  f << R"yaml(apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default, creationTimestamp: "2024-01-01T00:00:00Z"}
spec: {clusterIP: 10.96.0.1, ports: [{name: https, port: 443}]}
---
apiVersion: v1
kind: Service
metadata: {name: early, namespace: shop, creationTimestamp: "2024-05-01T08:00:00Z"}
spec: {clusterIP: 10.0.0.10, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: late, namespace: shop, creationTimestamp: "2024-05-01T12:00:00Z"}
spec: {clusterIP: 10.0.0.20, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, creationTimestamp: "2024-05-01T09:00:00Z"}
spec:
  containers:
  - name: app
    image: app
    env:
    - {name: UPSTREAM, value: "http://$(LATE_SERVICE_HOST)"}
)yaml";
  if (!restart_policy.empty()) f << "  restartPolicy: " << restart_policy << "\n";
  f << R"yaml(status:
  containerStatuses:
  - name: app
    state:
)yaml";
  if (state == "running") {
    f << "      running: {startedAt: \"2024-05-01T11:00:00Z\"}\n";
  } else if (state == "waiting") {
    f << "      waiting: {reason: CrashLoopBackOff}\n"
      << "    lastState:\n"
      << "      terminated: {exitCode: 1, startedAt: \"2024-05-01T11:00:00Z\","
         " finishedAt: \"2024-05-01T11:00:05Z\"}\n";
  } else if (state == "completed") {
    f << "      terminated: {exitCode: 0, startedAt: \"2024-05-01T11:00:00Z\","
         " finishedAt: \"2024-05-01T11:00:05Z\"}\n";
  } else {
    f << "      terminated: {exitCode: 1, startedAt: \"2024-05-01T11:00:00Z\","
         " finishedAt: \"2024-05-01T11:00:05Z\"}\n";
  }
  return path;
}

TEST(ContainerStartAgreement, RunningContainerLacksTheLaterService) {
  const std::string path = WriteCluster("running");
  const Result env = RunCli({"env", "web", "-f", path, "--as-running"});
  ASSERT_EQ(env.code, 0) << env.err;
  EXPECT_THAT(env.out, Not(HasSubstr("LATE_SERVICE_HOST=")));
  EXPECT_THAT(env.out, HasSubstr("EARLY_SERVICE_HOST=10.0.0.10"));
  EXPECT_THAT(env.out, HasSubstr("UPSTREAM=http://$(LATE_SERVICE_HOST)"));
  EXPECT_THAT(env.err, HasSubstr("Service shop/late"));
  const Result check = RunCli({"check", "-f", path});
  EXPECT_THAT(check.out, HasSubstr("service-after-start"));
  EXPECT_THAT(check.out, HasSubstr("shop/late"));
}

TEST(ContainerStartAgreement, WaitingOrTerminatedGetsEveryCurrentService) {
  for (const std::string state : {"waiting", "terminated"}) {
    const std::string path = WriteCluster(state);
    const Result env = RunCli({"env", "web", "-f", path, "--as-running"});
    ASSERT_EQ(env.code, 0) << state << ": " << env.err;
    // Its next start sees `late`, although the pod and its last run are
    // older: nothing is left out, nothing is newer than the container.
    EXPECT_THAT(env.out, HasSubstr("LATE_SERVICE_HOST=10.0.0.20")) << state;
    EXPECT_THAT(env.out, HasSubstr("UPSTREAM=http://10.0.0.20")) << state;
    EXPECT_THAT(env.err, Not(HasSubstr("newer than container"))) << state;
    const Result check = RunCli({"check", "-f", path});
    EXPECT_THAT(check.out, Not(HasSubstr("service-after-start"))) << state;
    EXPECT_THAT(check.out, Not(HasSubstr("shop/late"))) << state;
  }
}

// A run that ended for good (restartPolicy Never, or OnFailure and exit 0)
// had the Services of its own start, and nothing will start it again: `env
// --as-running` shows what it ran with, `check` asks for no restart.
TEST(ContainerStartAgreement, FinishedContainerRanWithoutTheLaterService) {
  for (const std::string policy : {"Never", "OnFailure"}) {
    const std::string path = WriteCluster("completed", policy);
    const Result env = RunCli({"env", "web", "-f", path, "--as-running"});
    ASSERT_EQ(env.code, 0) << policy << ": " << env.err;
    EXPECT_THAT(env.out, Not(HasSubstr("LATE_SERVICE_HOST="))) << policy;
    EXPECT_THAT(env.out, HasSubstr("UPSTREAM=http://$(LATE_SERVICE_HOST)"))
        << policy;
    EXPECT_THAT(env.err, HasSubstr("Service shop/late")) << policy;
    EXPECT_THAT(env.err, HasSubstr("will not start again")) << policy;
    EXPECT_THAT(env.err, Not(HasSubstr("a restart would add them"))) << policy;
    const Result check = RunCli({"check", "-f", path});
    EXPECT_THAT(check.out, Not(HasSubstr("service-after-start"))) << policy;
  }
  // With restartPolicy Always the same exit restarts it: every Service.
  const std::string path = WriteCluster("completed", "Always");
  const Result env = RunCli({"env", "web", "-f", path, "--as-running"});
  ASSERT_EQ(env.code, 0) << env.err;
  EXPECT_THAT(env.out, HasSubstr("LATE_SERVICE_HOST=10.0.0.20"));
}

}  // namespace
}  // namespace svcenv::cli
