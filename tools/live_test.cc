// Live mode through the CLI: a fake kubectl (testdata/live/fake-kubectl)
// serves fixture objects and logs its calls, so these tests assert exactly
// which objects svcenv asks the cluster for, with which flags, and what it
// makes of kubectl's answers and failures.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/base/testing.h"
#include "tools/cli.h"
#include "tools/kubectl.h"

namespace svcenv::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kFake[] = "testdata/live/fake-kubectl";
constexpr char kPod[] = "web-7d4b9c-x2k8p";

struct Result {
  int code;
  std::string out;
  std::string err;
};

class LiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = fs::path(tmp != nullptr ? tmp : "/tmp") /
           ("live_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    log_ = (dir_ / "calls.log").string();
    setenv("FAKE_KUBECTL_LOG", log_.c_str(), 1);
  }
  void TearDown() override { unsetenv("FAKE_KUBECTL_LOG"); }

  Result Run(std::vector<std::string> args,
             const std::string& program = "svcenv") {
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    Io io{in, out, err, program};
    const int code = ::svcenv::cli::Run(args, io);
    return {code, out.str(), err.str()};
  }

  // The kubectl calls made so far, one argument string each.
  std::vector<std::string> Calls() const {
    std::ifstream in(log_);
    const std::string text(std::istreambuf_iterator<char>(in), {});
    if (text.empty()) return {};
    return absl::StrSplit(absl::StripSuffix(text, "\n"), '\n');
  }

  fs::path dir_;
  std::string log_;
};

TEST_F(LiveTest, EnvReadsOnlyWhatTheKubeletReadsWithTheConnectionFlags) {
  Result r = Run({"env", kPod, "-n", "shop", "--kubectl", kFake, "--context",
                  "prod", "--kubeconfig", "/home/dev/.kube/prod"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::string flags = "--context prod --kubeconfig /home/dev/.kube/prod ";
  // The pod; the Services of its namespace and default/kubernetes; the
  // envFrom ConfigMaps (the optional missing one too), the Node for the
  // downward API, the Secret of a secretKeyRef. No list of ConfigMaps or
  // Secrets, nothing written.
  EXPECT_THAT(Calls(),
              ElementsAre(flags + "get pod web-7d4b9c-x2k8p -n shop -o json",
                          flags + "get services -n shop -o json",
                          flags + "get service kubernetes -n default -o json",
                          flags + "get configmap web-config -n shop -o json",
                          flags + "get configmap web-flags -n shop -o json",
                          flags + "get node node-a -o json",
                          flags + "get secret db -n shop -o json"));
  EXPECT_THAT(r.out, HasSubstr("LOG_LEVEL=info\n"));
  EXPECT_THAT(r.out, HasSubstr("NODE=node-a\n"));
  EXPECT_THAT(r.out, HasSubstr("CPU_MILLIS=3920\n"));  // Node allocatable.
  EXPECT_THAT(r.out, HasSubstr("CACHE_URL=memcache://10.96.8.8:11211\n"));
  EXPECT_THAT(r.out, HasSubstr("DB_PASSWORD=<secret shop/db key password>\n"));
  EXPECT_THAT(r.out, HasSubstr("KUBERNETES_SERVICE_HOST=10.96.0.1\n"));
  // The ConfigMap's API_SERVICE_PORT hides the Service's.
  EXPECT_THAT(r.out, HasSubstr("API_SERVICE_PORT=9999\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("API_SERVICE_PORT=8080\n")));
  EXPECT_THAT(r.err, HasSubstr("Service shop/search"));  // Late Service.
}

TEST_F(LiveTest, TheKubectlOnPathIsUsedWithoutAFlag) {
  const fs::path bin = dir_ / "bin";
  fs::create_directories(bin);
  fs::copy_file(kFake, bin / "kubectl");
  fs::permissions(bin / "kubectl", fs::perms::owner_all);
  setenv("FAKE_KUBECTL_FIXTURES",
         fs::absolute("testdata/live/fixtures").string().c_str(), 1);
  const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  setenv("PATH", (bin.string() + ":" + old_path).c_str(), 1);
  Result r = Run({"env", kPod, "-n", "shop", "-o", "json"});
  setenv("PATH", old_path.c_str(), 1);
  unsetenv("FAKE_KUBECTL_FIXTURES");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"name\": \"LOG_LEVEL\""));
  ASSERT_FALSE(Calls().empty());
  EXPECT_EQ(Calls()[0], "get pod web-7d4b9c-x2k8p -n shop -o json");
}

TEST_F(LiveTest, ForbiddenSecretIsAPlaceholderWithAWarningAndExit1) {
  Result r = Run({"env", "locked", "-n", "shop", "--kubectl", kFake});
  EXPECT_EQ(r.code, kExitFindings) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("TOKEN=<unknown: Secret shop/vault-token key token>\n"));
  EXPECT_THAT(r.out, HasSubstr("AUTH=<unknown: expands an unknown variable>\n"));
  EXPECT_THAT(r.out, HasSubstr("KUBERNETES_SERVICE_HOST=10.96.0.1\n"));
  EXPECT_THAT(r.err, HasSubstr("svcenv env: warning: cannot read Secret "
                               "shop/vault-token: kubectl says it is "
                               "Forbidden for you"));
  // Not a kubelet refusal: svcenv cannot see the Secret.
  EXPECT_THAT(r.err, HasSubstr("env[0] (TOKEN) is unknown: Secret "
                               "shop/vault-token cannot be read"));
  EXPECT_THAT(r.err, Not(HasSubstr("the kubelet would refuse")));
  EXPECT_THAT(Calls(), ElementsAre("get pod locked -n shop -o json",
                                   "get services -n shop -o json",
                                   "get service kubernetes -n default -o json",
                                   "get secret vault-token -n shop -o json"));
}

TEST_F(LiveTest, MissingPodIsExit2WithKubectlsMessage) {
  Result r = Run({"env", "nope", "-n", "shop", "--kubectl", kFake});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("svcenv env: `kubectl get pod nope -n shop -o "
                               "json` failed: Error from server (NotFound): "
                               "pods \"nope\" not found"));
  EXPECT_THAT(Calls(), ElementsAre("get pod nope -n shop -o json"));
}

TEST_F(LiveTest, KubectlThatCannotRunIsExit2) {
  Result r = Run({"env", kPod, "--kubectl", (dir_ / "no-such").string()});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("cannot run"));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST_F(LiveTest, LiveModeNeedsAPodName) {
  Result r = Run({"env", "--kubectl", kFake});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("name the pod"));
  EXPECT_THAT(Calls(), IsEmpty());
}

TEST_F(LiveTest, ConnectionFlagsNeedLiveMode) {
  Result r = Run({"env", "-f", "testdata/examples/guestbook", "--context",
                  "prod"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--context applies to live mode only"));
}

TEST_F(LiveTest, WorkloadIsReadByKindAndName) {
  Result r = Run({"env", "deploy/web", "-n", "shop", "--kubectl", kFake});
  EXPECT_EQ(r.code, kExitUsage);  // The fixture has no such Deployment.
  EXPECT_THAT(Calls(), ElementsAre("get deployment web -n shop -o json"));
}

TEST_F(LiveTest, DiffWithoutActualExecsEnvInTheContainer) {
  Result r = Run({"diff", kPod, "-n", "shop", "--kubectl", kFake,
                  "--context", "prod"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::vector<std::string> calls = Calls();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(),
            "--context prod exec web-7d4b9c-x2k8p -n shop -c web -- env");
  EXPECT_THAT(r.out, HasSubstr("missing  SEARCH_SERVICE_HOST=10.96.7.7\n"));
  EXPECT_THAT(r.out, HasSubstr("changed  API_SERVICE_HOST=10.96.5.5, running "
                               "10.96.5.4\n"));
  EXPECT_THAT(r.out, HasSubstr("12 differences, 12 explained, 0 unexplained"));
}

TEST_F(LiveTest, DiffWithActualDoesNotExec) {
  Result r = Run({"diff", kPod, "-n", "shop", "--kubectl", kFake, "--actual",
                  "-"},
                 "svcenv");
  // Standard input is empty here: every predicted variable is missing.
  EXPECT_EQ(r.code, kExitFindings);
  for (const std::string& call : Calls()) {
    EXPECT_THAT(call, Not(HasSubstr("exec")));
  }
}

TEST_F(LiveTest, ServicesUsesTheContextNamespace) {
  Result r = Run({"services", "--kubectl", kFake});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(Calls(),
              ElementsAre("config view --minify -o jsonpath={..namespace}",
                          "get services -n shop -o json",
                          "get service kubernetes -n default -o json"));
  EXPECT_THAT(r.out, StartsWith("API_PORT=tcp://10.96.5.5:8080\n"));
  EXPECT_THAT(r.out, HasSubstr("KUBERNETES_SERVICE_HOST=10.96.0.1\n"));
}

TEST_F(LiveTest, ServicesWithoutLinksReadsOnlyTheMasterService) {
  Result r = Run({"services", "-n", "shop", "--no-service-links",
                  "--kubectl", kFake});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(Calls(),
              ElementsAre("get service kubernetes -n default -o json"));
}

// `svcenv check` without -f: one list of what runs (and the ReplicaSets
// that say who owns it), the Secrets, and default/kubernetes when -n names
// another namespace.
TEST_F(LiveTest, CheckReadsTheNamespaceWithTheConnectionFlags) {
  Result r = Run({"check", "-n", "shop", "--kubectl", kFake, "--context",
                  "prod", "--kubeconfig", "/home/dev/.kube/prod"});
  // service-after-start is a warning: below the default --fail-on error.
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::string flags = "--context prod --kubeconfig /home/dev/.kube/prod ";
  EXPECT_THAT(
      Calls(),
      ElementsAre(
          flags + "get pods,services,configmaps,replicasets -n shop -o json",
          flags + "get secrets -n shop -o json",
          flags + "get service kubernetes -n default -o json"));
  EXPECT_THAT(r.err, IsEmpty());
}

TEST_F(LiveTest, CheckWithoutNamespaceReadsEveryNamespace) {
  Result r = Run({"check", "--kubectl", kFake});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  // default/kubernetes is in the -A list: not read again.
  EXPECT_THAT(Calls(),
              ElementsAre("get pods,services,configmaps,replicasets -A -o json",
                          "get secrets -A -o json"));
  // default/kubernetes, api and search; the two pods, not the ReplicaSet.
  EXPECT_THAT(r.out, HasSubstr("in 2 containers of 2 workloads, 3 Services"));
}

// The pods of Deployment frontend (through ReplicaSet frontend-5f6d8)
// started at 10:00; Service search was created at 12:00.
TEST_F(LiveTest, CheckReportsALateServiceNamingTheDeployment) {
  Result r = Run({"check", "-n", "shop", "--kubectl", kFake, "-o", "json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"ruleId\": \"service-after-start\""));
  EXPECT_THAT(r.out, HasSubstr("\"kind\": \"Deployment\""));
  EXPECT_THAT(r.out, HasSubstr("\"name\": \"frontend\""));
  r = Run({"check", "-n", "shop", "--kubectl", kFake});
  EXPECT_THAT(r.out, HasSubstr("restart deployment/frontend in namespace "
                               "shop: its 2 pods (2 containers) started "
                               "before Service search existed"));
  // The ReplicaSet's template is how the owner is known, not a workload.
  EXPECT_THAT(r.out, Not(HasSubstr("ReplicaSet shop/")));
  EXPECT_THAT(r.out, HasSubstr("1 finding "));
  EXPECT_THAT(r.out, Not(HasSubstr("container-refused")));
}

TEST_F(LiveTest, CheckGoesOnWithoutForbiddenSecretsWithoutBlamingThem) {
  Result r = Run({"check", "-n", "locked", "--kubectl", kFake});
  // The one error: $(CACHE_SERVICE_HOST), which no Service fills.
  EXPECT_EQ(r.code, kExitFindings) << r.err;
  EXPECT_THAT(Calls(),
              ElementsAre(
                  "get pods,services,configmaps,replicasets -n locked -o json",
                  "get secrets -n locked -o json",
                  "get service kubernetes -n default -o json"));
  EXPECT_THAT(r.err, HasSubstr("svcenv check: warning: cannot read Secrets "
                               "(kubectl says it is Forbidden for you)"));
  EXPECT_THAT(r.out, HasSubstr("unfilled-service-reference"));
  // Neither the Secrets nor what would follow from their absence ($(TOKEN)
  // in AUTH, envFrom keys) is a finding.
  EXPECT_THAT(r.out, Not(HasSubstr("container-refused")));
  EXPECT_THAT(r.out, Not(HasSubstr("unresolved-reference")));
  EXPECT_THAT(r.out, Not(HasSubstr("vault-token")));
  EXPECT_THAT(r.out, HasSubstr("1 finding "));
}

TEST_F(LiveTest, CheckGoesOnWithoutForbiddenConfigMaps) {
  Result r = Run({"check", "-n", "nocm", "--kubectl", kFake});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  // The list is asked again without what kubectl may not list.
  EXPECT_THAT(Calls(),
              ElementsAre(
                  "get pods,services,configmaps,replicasets -n nocm -o json",
                  "get pods,services,replicasets -n nocm -o json",
                  "get secrets -n nocm -o json",
                  "get service kubernetes -n default -o json"));
  EXPECT_THAT(r.err, HasSubstr("svcenv check: warning: cannot read ConfigMaps "
                               "(kubectl says it is Forbidden for you)"));
  // worker-config is unknown, not missing; $(QUEUE) may be one of its keys.
  EXPECT_THAT(r.out, Not(HasSubstr("container-refused")));
  EXPECT_THAT(r.out, Not(HasSubstr("unresolved-reference")));
  EXPECT_THAT(r.out, HasSubstr("in 1 container of 1 workload"));
}

TEST_F(LiveTest, CheckKubectlFailureIsExit2WithItsMessage) {
  Result r = Run({"check", "-n", "down", "--kubectl", kFake});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err,
              HasSubstr("svcenv check: `kubectl get "
                        "pods,services,configmaps,replicasets -n down -o "
                        "json` failed: The connection to the server "
                        "10.0.0.1:6443 was refused"));
  EXPECT_THAT(r.err, Not(HasSubstr("memcache.go")));  // klog lines dropped.
  EXPECT_THAT(Calls(), ElementsAre("get pods,services,configmaps,replicasets "
                                   "-n down -o json"));
}

// kubectl lists a namespace that does not exist as an empty list, exit 0:
// check asks, so that a typo in -n is kubectl's NotFound, never a green
// "no findings in 0 containers".
TEST_F(LiveTest, CheckOfAMissingNamespaceIsKubectlsNotFound) {
  Result r = Run({"check", "-n", "nowhere", "--kubectl", kFake});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("namespaces \"nowhere\" not found"));
  EXPECT_THAT(Calls(), ElementsAre("get pods,services,configmaps,replicasets "
                                   "-n nowhere -o json",
                                   "get namespace nowhere -o json"));
}

TEST_F(LiveTest, CheckConnectionFlagsNeedLiveMode) {
  Result r = Run({"check", "-f", "testdata/examples/guestbook", "--kubectl",
                  kFake});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--kubectl applies to live mode only"));
  EXPECT_THAT(Calls(), IsEmpty());
}

TEST_F(LiveTest, CheckHelpDocumentsLiveModeUnderThePluginName) {
  Result r = Run({"check", "--help"}, "kubectl svcenv");
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, StartsWith("Usage: kubectl svcenv check"));
  EXPECT_THAT(r.out, HasSubstr("Live cluster: without -f"));
  EXPECT_THAT(r.out, HasSubstr("--context NAME"));
  r = Run({"check", "-n", "down", "--kubectl", kFake}, "kubectl svcenv");
  EXPECT_THAT(r.err, StartsWith("kubectl svcenv check: "));
}

TEST(Plugin, ProgramNameFromArgv0) {
  EXPECT_EQ(ProgramName("/usr/local/bin/kubectl-svcenv"), "kubectl svcenv");
  EXPECT_EQ(ProgramName("kubectl-svcenv"), "kubectl svcenv");
  EXPECT_EQ(ProgramName("/usr/bin/svcenv"), "svcenv");
  EXPECT_EQ(ProgramName(""), "svcenv");
}

TEST_F(LiveTest, PluginHelpAndMessagesSayKubectlSvcenv) {
  Result r = Run({"help", "env"}, "kubectl svcenv");
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, StartsWith("Usage: kubectl svcenv env"));
  EXPECT_THAT(r.out, Not(HasSubstr(" svcenv env -")));
  r = Run({"--help"}, "kubectl svcenv");
  EXPECT_THAT(r.out, HasSubstr("Usage: kubectl svcenv COMMAND"));
  r = Run({"env", "nope", "-n", "shop", "--kubectl", kFake}, "kubectl svcenv");
  EXPECT_THAT(r.err, StartsWith("kubectl svcenv env: "));
  r = Run({"evn"}, "kubectl svcenv");
  EXPECT_THAT(r.err, HasSubstr("run `kubectl svcenv --help`"));
}

TEST(Kubectl, ArgvPutsConnectionFlagsFirst) {
  KubectlOptions options;
  options.binary = "/opt/kubectl";
  options.context = "c";
  options.kubeconfig = "k";
  EXPECT_THAT(Kubectl(options).Argv({"get", "pod"}),
              ElementsAre("/opt/kubectl", "--context", "c", "--kubeconfig",
                          "k", "get", "pod"));
}

TEST(Kubectl, RunProcessCapturesBothStreamsAndTheExitCode) {
  absl::StatusOr<ProcessResult> r =
      RunProcess({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
}

}  // namespace
}  // namespace svcenv::cli
