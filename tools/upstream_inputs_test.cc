// Every command on every container of every pod template in the upstream
// inputs (testdata/upstream/): the Kubernetes API's own fixtures set every
// field, so they reach code that hand-written manifests do not (ephemeral
// containers without a status once crashed env, why and diff).
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/base/testing.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"
#include "tools/cli.h"
#include "tools/cli_testing.h"

namespace svcenv::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kUpstream[] = "testdata/upstream/k8s-api-HEAD";
constexpr char kEphemeral[] = "testdata/env/ephemeral/eph.yaml";

std::string Joined(const std::vector<std::string>& args) {
  std::string s = "svcenv";
  for (const std::string& a : args) absl::StrAppend(&s, " ", a);
  return s;
}

// An empty `kubectl exec ... env` output: diff then reports every variable
// as missing, which is what it should say of a container not running.
std::string EmptyActual() {
  const std::string path =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/empty_actual.env");
  std::ofstream(path).flush();
  return path;
}

std::vector<std::string> UpstreamFiles() {
  std::vector<std::string> files;
  for (const char* kind :
       {"apps.v1.DaemonSet", "apps.v1.Deployment", "apps.v1.ReplicaSet",
        "apps.v1.StatefulSet", "batch.v1.CronJob", "batch.v1.Job",
        "core.v1.Pod", "core.v1.PodTemplate", "core.v1.ReplicationController"}) {
    for (const char* ext : {".yaml", ".json"}) {
      files.push_back(absl::StrCat(kUpstream, "/", kind, ext));
    }
  }
  return files;
}

// The one pod or workload in `file`, as the library reads it.
Pod OnlyPod(const std::string& file) {
  Objects objects;
  const absl::Status read = DecodePaths({file}, false, {}, &objects);
  EXPECT_TRUE(read.ok()) << file << ": " << read;
  EXPECT_EQ(objects.pods.size(), 1u) << file;
  return objects.pods.empty() ? Pod{} : objects.pods[0];
}

TEST(UpstreamInputs, EveryCommandOnEveryContainerOfEveryPodTemplate) {
  const std::string actual = EmptyActual();
  int templates = 0;
  for (const std::string& file : UpstreamFiles()) {
    const Pod pod = OnlyPod(file);
    if (pod.workload_kind.empty()) continue;
    ++templates;
    // Every kind of container is there, an ephemeral one without a status.
    EXPECT_THAT(pod.containers, Not(IsEmpty())) << file;
    EXPECT_THAT(pod.init_containers, Not(IsEmpty())) << file;
    EXPECT_THAT(pod.ephemeral_containers, Not(IsEmpty())) << file;
    const std::string target =
        absl::StrCat(pod.workload_kind, "/", pod.workload_name);
    const std::string ns = pod.meta.namespace_name;
    std::vector<std::vector<std::string>> runs = {
        {"env", target, "-n", ns, "-f", file, "--all-containers"},
        {"env", target, "-n", ns, "-f", file, "--all-containers", "-o",
         "json"},
        {"env", target, "-n", ns, "-f", file, "--all-containers", "--explain"},
        {"env", target, "-n", ns, "-f", file, "--all-containers",
         "--as-running"},
        {"services", "-n", ns, "-f", file},
        {"check", "-f", file, "--fail-on", "never"},
        {"check", "-f", file, "-o", "json", "--fail-on", "never"},
    };
    // Each container by name (the fixtures give every container the same
    // name, so `-c` finds the first of them: `--all-containers` above
    // covers the others).
    for (const std::vector<Container>* list :
         {&pod.containers, &pod.init_containers, &pod.ephemeral_containers}) {
      for (const Container& c : *list) {
        runs.push_back({"env", target, "-n", ns, "-f", file, "-c", c.name});
        for (const EnvVar& var : c.env) {
          runs.push_back({"why", target, var.name, "-n", ns, "-f", file, "-c",
                          c.name});
        }
        runs.push_back({"why", target, "NOT_SET_ANYWHERE", "-n", ns, "-f", file,
                        "-c", c.name});
        runs.push_back({"diff", target, "-n", ns, "-f", file, "-c", c.name,
                        "--actual", actual});
      }
    }
    for (const std::vector<std::string>& args : runs) {
      const Result r = RunCli(args);
      // A valid object: never bad input. `diff` against an empty
      // environment and `why` of an unset name report (exit 1).
      EXPECT_NE(r.code, kExitUsage) << Joined(args) << "\n" << r.err;
      // The fixtures' namespace has no Services: `services` prints none.
      if (args[0] != "services") {
        EXPECT_THAT(r.out, Not(IsEmpty())) << Joined(args) << "\n" << r.err;
      }
      if (args[0] == "env" || args[0] == "services" || args[0] == "check") {
        EXPECT_EQ(r.code, kExitOk) << Joined(args) << "\n" << r.err;
      }
    }
  }
  EXPECT_EQ(templates, 18);  // Nine kinds with a pod template, YAML and JSON.
}

// The exact input of issue 25: an ephemeral container without a status.
TEST(UpstreamInputs, EphemeralContainerWithoutStatus) {
  Result r = RunCli({"env", "Pod/p", "-f", kEphemeral, "--all-containers", "-o",
                     "json"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"debugger\""));
  r = RunCli({"env", "Pod/p", "-f", kEphemeral, "-c", "debugger"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  // It starts next, with every current Service: nothing is late for it.
  r = RunCli({"env", "Pod/p", "-f", kEphemeral, "-c", "debugger",
              "--as-running"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  r = RunCli({"why", "Pod/p", "-f", kEphemeral, "-c", "debugger", "FOO"});
  EXPECT_EQ(r.code, kExitFindings) << r.err;
  EXPECT_THAT(r.out, HasSubstr("FOO"));
  const std::string actual =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/debugger.env");
  std::ofstream(actual) << "PATH=/bin\nHOSTNAME=p\n";
  r = RunCli({"diff", "Pod/p", "-f", kEphemeral, "-c", "debugger", "--actual",
              actual});
  EXPECT_NE(r.code, kExitUsage) << r.err;
  EXPECT_THAT(r.out, HasSubstr("HOSTNAME"));
}

// go-yaml's `\'` in a double-quoted scalar: the input, and
// kubernetes.io's own example that has one (in a command).
TEST(UpstreamInputs, SingleQuoteEscapeInDoubleQuotes) {
  Result r = RunCli({"env", "p", "-f", "testdata/env/envfile/quote-escape.yaml"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Q=it's\n"));
  r = RunCli({"env", "envfile-test-pod", "-f",
              "testdata/env/envfile/envars-file-container.yaml",
              "--all-containers", "-o", "json"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("DB_ADDRESS='address'"));
}

}  // namespace
}  // namespace svcenv::cli
