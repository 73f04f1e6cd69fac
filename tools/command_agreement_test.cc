// The commands that analyze a container (env, why, diff) agree: the same
// analysis flags, the same warnings in the same words, the same facts
// (svcenv/container_analysis.h). Each test is a pair that once disagreed.
#include <sstream>
#include <string>
#include <vector>

#include "lib/base/testing.h"
#include "tools/cli.h"
#include "tools/cli_testing.h"

namespace svcenv::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kManifests[] = "testdata/env/agreement/manifests.yaml";
constexpr char kRunning[] = "testdata/env/agreement/running.env";

// `env`, `why` and `diff` on the same container, plus `extra` arguments.
std::vector<std::vector<std::string>> EachCommand(
    const std::vector<std::string>& extra) {
  std::vector<std::vector<std::string>> runs = {
      {"env", "web", "-f", kManifests},
      {"why", "web", "API_URL", "-f", kManifests},
      {"diff", "web", "-f", kManifests, "--actual", kRunning}};
  for (auto& run : runs) run.insert(run.end(), extra.begin(), extra.end());
  return runs;
}

TEST(CommandAgreement, KubeletVersionOnEveryCommand) {
  for (const auto& args : EachCommand({"--kubelet-version", "1.29"})) {
    const Result r = RunCli(args);
    EXPECT_EQ(r.code, kExitOk) << args[0] << ": " << r.err;
    EXPECT_THAT(r.err, Not(HasSubstr("unknown option"))) << args[0];
  }
  for (const auto& args : EachCommand({"--kubelet-version", "1.2"})) {
    const Result r = RunCli(args);
    EXPECT_EQ(r.code, kExitUsage) << args[0];
    EXPECT_THAT(r.err, HasSubstr("1.2")) << args[0];
  }
  for (const char* command : {"env", "why", "diff", "check"}) {
    const Result help = RunCli({command, "--help"});
    EXPECT_THAT(help.out, HasSubstr("--kubelet-version X.Y")) << command;
  }
}

TEST(CommandAgreement, InputWarningsOnEveryCommand) {
  std::string first;
  for (const auto& args : EachCommand({})) {
    const Result r = RunCli(args);
    EXPECT_EQ(r.code, kExitOk) << args[0] << ": " << r.err;
    const std::string prefix = "svcenv " + args[0] + ": warning: ";
    EXPECT_THAT(r.err, HasSubstr(prefix +
                                 "the input has no Service default/kubernetes: "
                                 "in a cluster every container also gets its "
                                 "KUBERNETES_* variables"))
        << args[0];
    EXPECT_THAT(r.err, HasSubstr(prefix +
                                 "Service shop/api has no clusterIP yet: the "
                                 "API server allocates one when it is "
                                 "created; its variables show <cluster IP>"))
        << args[0];
  }
}

// diff once blamed KUBERNETES_* on "a Service deleted after the container
// started"; the inputs lack default/kubernetes, as env and why warn.
TEST(CommandAgreement, DiffExplainsKubernetesVariablesByTheMissingInput) {
  const Result r = RunCli(EachCommand({"-o", "json"})[2]);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"cause\": \"MasterServiceNotInInputs\""));
  const Result text = RunCli(EachCommand({})[2]);
  EXPECT_THAT(text.out, HasSubstr("extra    KUBERNETES_SERVICE_HOST="));
  EXPECT_THAT(text.out,
              HasSubstr("explained: a variable of Service default/kubernetes, "
                        "which every container gets and the inputs lack"));
  EXPECT_THAT(text.out, Not(HasSubstr("deleted")));
}

// --as-running means one environment: env has it; why shows the running
// value beside the computed one, diff compares with the running container.
TEST(CommandAgreement, AsRunningWhereItMeansSomething) {
  EXPECT_EQ(RunCli({"env", "web", "-f", kManifests, "--as-running"}).code,
            kExitOk);
  const Result why =
      RunCli({"why", "web", "API_URL", "-f", kManifests, "--as-running"});
  EXPECT_EQ(why.code, kExitUsage);
  EXPECT_THAT(why.err, HasSubstr("unknown option --as-running"));
}

}  // namespace
}  // namespace svcenv::cli

namespace svcenv::cli {
namespace {

// `check` follows the kubelet `env` follows: kubelet 1.29 skips an envFrom
// key that is not a variable name, so both its environment and check's
// size of it leave the key out.
TEST(CommandAgreement, CheckFollowsTheKubeletVersionEnvFollows) {
  constexpr char kSkipped[] = "testdata/env/agreement/skipped-key.yaml";
  const std::vector<std::string> size_check = {
      "check", "-f", kSkipped, "--arg-max", "4096", "--fail-on", "never"};
  auto with = [](std::vector<std::string> args,
                 std::vector<std::string> extra) {
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const Result newest = RunCli(size_check);
  const Result old = RunCli(with(size_check, {"--kubelet-version", "1.29"}));
  ASSERT_EQ(newest.code, kExitOk) << newest.err;
  ASSERT_EQ(old.code, kExitOk) << old.err;
  // Over half of ARG_MAX with the key's 2,000 bytes, far below without.
  EXPECT_THAT(newest.out, HasSubstr("warning environment-size"));
  EXPECT_THAT(old.out, HasSubstr("no findings"));
  EXPECT_THAT(RunCli({"env", "Deployment/worker", "-f", kSkipped}).out,
              HasSubstr("1BIG="));
  EXPECT_THAT(RunCli({"env", "Deployment/worker", "-f", kSkipped,
                      "--kubelet-version", "1.29"})
                  .out,
              Not(HasSubstr("1BIG=")));
  const Result bad = RunCli(with(size_check, {"--kubelet-version", "1.2"}));
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_THAT(bad.err, HasSubstr("unsupported kubelet version \"1.2\""));
}

// `check` turns the analysis `env` warns from into findings: the same
// clash and the same literal references, one finding per fact.
TEST(CommandAgreement, CheckReportsTheFactsEnvWarnsAbout) {
  constexpr char kFacts[] = "testdata/env/agreement/facts.yaml";
  const Result env = RunCli({"env", "web", "-f", kFacts});
  const Result check = RunCli({"check", "-f", kFacts});
  ASSERT_EQ(env.code, kExitOk) << env.err;
  ASSERT_EQ(check.code, kExitFindings) << check.out << check.err;
  EXPECT_THAT(env.err, HasSubstr("warning: CACHE_SERVICE_PORT is produced by "
                                 "several Services"));
  EXPECT_THAT(check.out, HasSubstr("warning service-clash: Pod shop/web, "
                                   "container app: CACHE_SERVICE_PORT is "
                                   "produced by several Services"));
  for (const char* fact : {"GREETING: $(USER_NAME) stays literal",
                           "QUEUE: $(QUEUE_HOST) stays literal"}) {
    EXPECT_THAT(env.err, HasSubstr(fact));
  }
  for (const char* finding :
       {"error unresolved-reference: Pod shop/web, container app: "
        "$(USER_NAME) in env GREETING stays literal",
        "error unresolved-reference: Pod shop/web, container app: "
        "$(QUEUE_HOST) in env QUEUE stays literal"}) {
    EXPECT_THAT(check.out, HasSubstr(finding));
  }
  EXPECT_THAT(check.out, HasSubstr("3 findings (2 errors, 1 warning, 0 info)"));
}

// `why` and check's unfilled-service-reference give the same reason for a
// Service variable no Service sets (service_absence.h); check adds where it
// read each Service.
TEST(CommandAgreement, WhyAndCheckGiveTheSameReasonForAMissingServiceVariable) {
  constexpr char kManifests[] =
      "testdata/check/unfilled-reference/manifests.yaml";
  const Result check =
      RunCli({"check", "-f", kManifests, "--fail-on", "never"});
  ASSERT_EQ(check.code, kExitOk) << check.err;
  const struct {
    const char* pod;
    const char* variable;
    const char* service;  // Named by both; check adds where it read it.
    int line;
    const char* reason;
  } cases[] = {
      {"deploy/web", "SEARCH_SERVICE_HOST", "other/search", 1,
       " is in another namespace; a pod gets Service variables only from its "
       "own namespace (shop) and default/kubernetes"},
      {"deploy/web", "PEERS_SERVICE_HOST", "shop/peers", 10,
       " is headless (clusterIP: None), which produces no variables"},
      {"deploy/web", "EXTERNAL_SERVICE_HOST", "shop/external", 20,
       " is ExternalName, which produces no variables"},
      {"deploy/web", "CACHE_SERVICE_PORT_MEMCACHE", "shop/cache", 29,
       " produces no such variable (it has CACHE_SERVICE_HOST, "
       "CACHE_SERVICE_PORT, CACHE_PORT, "},
      {"nolinks", "CACHE_SERVICE_HOST", "shop/cache", 29,
       " is hidden: the pod sets enableServiceLinks: false (only "
       "default/kubernetes gives variables then)"},
  };
  for (const auto& c : cases) {
    const Result why =
        RunCli({"why", c.pod, c.variable, "-f", kManifests, "-n", "shop"});
    // Exit 1: the container lacks the variable.
    EXPECT_EQ(why.code, kExitFindings) << why.err;
    const std::string service = std::string("Service ") + c.service;
    EXPECT_THAT(why.out, HasSubstr(service + c.reason)) << c.variable;
    EXPECT_THAT(check.out,
                HasSubstr(service + " (" + kManifests + ":" +
                          std::to_string(c.line) + ")" + c.reason))
        << c.variable;
  }
}

// A Service newer than a running container, and one created in its second:
// `env` warns and `check` reports in the same words.
TEST(CommandAgreement, LateServicesInTheSameWords) {
  constexpr char kDump[] = "testdata/check/live/cluster.json";
  const Result env =
      RunCli({"env", "web-7d9f8-abcde", "-n", "shop", "-f", kDump});
  const Result check = RunCli({"check", "-f", kDump, "--fail-on", "never"});
  ASSERT_EQ(env.code, kExitOk) << env.err;
  ASSERT_EQ(check.code, kExitOk) << check.err;
  EXPECT_THAT(env.err, HasSubstr("Service shop/sessions (created "
                                 "2024-05-01T10:30:00Z) is newer than "
                                 "container app (started "
                                 "2024-05-01T10:00:05Z)"));
  const std::string dump = kDump;
  EXPECT_THAT(check.out,
              HasSubstr("Service shop/sessions (" + dump +
                        " document 1 item 4, created 2024-05-01T10:30:00Z) is "
                        "newer than the container (started "
                        "2024-05-01T10:00:05Z)"));
  EXPECT_THAT(env.err, HasSubstr("Service shop/cache (created "
                                 "2024-05-01T10:00:05Z) was created in the "
                                 "same second container app started"));
  EXPECT_THAT(check.out,
              HasSubstr("Service shop/cache (" + dump +
                        " document 1 item 3, created 2024-05-01T10:00:05Z) was "
                        "created in the same second the container started"));
}

}  // namespace
}  // namespace svcenv::cli
