// Where commands read their objects without -f (ChooseInputMode): standard
// input when it is not a terminal, the cluster only at a terminal or with
// --live. The fake kubectl (testdata/live/fake-kubectl) logs every call, so
// "the cluster was not read" is asserted, not assumed.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "lib/base/testing.h"
#include "tools/cli.h"

namespace svcenv::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kFake[] = "testdata/live/fake-kubectl";

// A Deployment referencing a Service applied after it: one warning.
constexpr char kManifests[] = R"yaml(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx
        env:
        - {name: API, value: "$(API_SERVICE_HOST)"}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {clusterIP: 10.0.0.7, ports: [{port: 80}]}
)yaml";

struct Result {
  int code;
  std::string out;
  std::string err;
};

class InputModeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    log_ = (fs::path(tmp != nullptr ? tmp : "/tmp") /
            ("input_mode_" + std::to_string(::getpid()) + ".log"))
               .string();
    fs::remove(log_);
    setenv("FAKE_KUBECTL_LOG", log_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("FAKE_KUBECTL_LOG");
    fs::remove(log_);
  }

  Result Run(const std::vector<std::string>& args, const std::string& stdin,
             bool terminal) {
    std::istringstream in(stdin);
    std::ostringstream out, err;
    Io io{in, out, err};
    io.stdin_is_terminal = terminal;
    const int code = ::svcenv::cli::Run(args, io);
    return {code, out.str(), err.str()};
  }

  std::string Calls() const {
    std::ifstream in(log_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::string log_;
};

TEST_F(InputModeTest, CheckReadsAPipeWithoutFAndSaysSo) {
  Result r = Run({"check", "--fail-on", "warning"}, kManifests, false);
  EXPECT_EQ(r.code, kExitFindings) << r.err;
  EXPECT_THAT(r.out, HasSubstr("service-after-workload: Deployment shop/web"));
  EXPECT_THAT(r.err, HasSubstr("reading objects from standard input"));
  EXPECT_THAT(Calls(), IsEmpty());  // The cluster was not read.
}

TEST_F(InputModeTest, CheckWithAnEmptyPipeIsBadInputNotAGreenRun) {
  Result r = Run({"check"}, "", false);
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("no objects in the input (-)"));
  EXPECT_THAT(Calls(), IsEmpty());
}

TEST_F(InputModeTest, CheckReadsTheClusterWithLiveEvenFromAPipe) {
  Result r = Run({"check", "--live", "-n", "shop", "--kubectl", kFake},
                 kManifests, false);
  EXPECT_NE(r.code, kExitUsage) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("standard input")));
  EXPECT_THAT(Calls(), HasSubstr("get pods,services,configmaps,replicasets"));
}

// --context and --kubeconfig name a cluster: from a pipe too, that is the
// cluster the user asked for (--kubectl alone names no cluster: see
// ServicesReadsAPipeForItsNamespace).
TEST_F(InputModeTest, NamingAClusterReadsItEvenFromAPipe) {
  for (const char* flag : {"--context", "--kubeconfig"}) {
    Result r = Run({"services", "-n", "shop", "--kubectl", kFake, flag,
                    "some"},
                   kManifests, false);
    EXPECT_EQ(r.code, kExitOk) << flag << ": " << r.err;
    EXPECT_THAT(r.err, Not(HasSubstr("standard input"))) << flag;
    EXPECT_THAT(Calls(), HasSubstr("get services -n shop")) << flag;
  }
}

TEST_F(InputModeTest, CheckReadsTheClusterAtATerminal) {
  Result r = Run({"check", "-n", "shop", "--kubectl", kFake}, "", true);
  EXPECT_NE(r.code, kExitUsage) << r.err;
  EXPECT_THAT(Calls(), HasSubstr("get pods,services,configmaps,replicasets"));
}

TEST_F(InputModeTest, LiveWithFilesIsBadUsage) {
  Result r = Run({"check", "--live", "-f", "-"}, kManifests, false);
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--live reads the cluster, not files"));
}

TEST_F(InputModeTest, ServicesReadsAPipeForItsNamespace) {
  Result r = Run({"services", "-n", "shop"}, kManifests, false);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("API_SERVICE_HOST=10.0.0.7\n"));
  EXPECT_THAT(r.err, HasSubstr("reading objects from standard input"));
  EXPECT_THAT(Calls(), IsEmpty());
}

// A kubectl flag where the objects come from a pipe is a mistake, on every
// command alike: the cluster is read only with --live.
TEST_F(InputModeTest, KubectlFlagsWithAPipeAreBadUsageOnEveryCommand) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"services", "-n", "shop"},
           {"env", "deployment/web", "-n", "shop"},
           {"why", "deployment/web", "API_SERVICE_HOST", "-n", "shop"},
           {"check", "-n", "shop"}}) {
    std::vector<std::string> with_kubectl = args;
    with_kubectl.insert(with_kubectl.end(), {"--kubectl", kFake});
    Result r = Run(with_kubectl, kManifests, false);
    EXPECT_EQ(r.code, kExitUsage) << args[0] << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("--kubectl applies to live mode only"))
        << args[0];
  }
  EXPECT_THAT(Calls(), IsEmpty());
}

TEST_F(InputModeTest, ServicesReadsTheClusterWithLive) {
  Result r = Run({"services", "-n", "shop", "--live", "--kubectl", kFake},
                 kManifests, false);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(Calls(), HasSubstr("get services -n shop"));
}

TEST_F(InputModeTest, EnvReadsAPipe) {
  Result r = Run({"env", "deployment/web", "-n", "shop"}, kManifests, false);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("API_SERVICE_HOST=10.0.0.7\n"));
  EXPECT_THAT(Calls(), IsEmpty());
}

TEST_F(InputModeTest, DiffWithStandardInputTakenAsksForFOrLive) {
  Result r = Run({"diff", "web", "-n", "shop", "--actual", "-"}, "A=1\n",
                 false);
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("-f FILE, or --live"));
  EXPECT_THAT(Calls(), IsEmpty());
}

}  // namespace
}  // namespace svcenv::cli
