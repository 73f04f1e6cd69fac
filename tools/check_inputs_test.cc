// What `svcenv check` (and `env`) make of inputs as CI has them: Secrets and
// ConfigMaps kept outside git, sources (kustomize, Helm) instead of renders,
// repositories walked with -R, and the report switches (-o yaml,
// --severity, --quiet, --wide). Through the CLI entry point, on
// testdata/check/inputs/.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "lib/base/testing.h"
#include "tools/cli.h"
#include "tools/cli_testing.h"

namespace svcenv::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kDir[] = "testdata/check/inputs/";

// As CI runs it: standard input a pipe.
Result Svcenv(const std::vector<std::string>& args) {
  return RunCli(args, "", /*stdin_is_terminal=*/false);
}

std::string In(const std::string& name) { return std::string(kDir) + name; }

TEST(ExternalObjects, CheckRefusesMissingSecretsByDefault) {
  Result r = Svcenv({"check", "-f", In("external.yaml"), "--fail-on", "warning"});
  EXPECT_EQ(r.code, kExitFindings);
  EXPECT_THAT(r.out, HasSubstr("container-refused"));
}

TEST(ExternalObjects, CheckTakesExternalSecretsAndConfigMapsToExist) {
  Result r = Svcenv({"check", "-f", In("external.yaml"), "--fail-on", "info",
                  "--secrets", "external", "--configmaps", "external"});
  EXPECT_EQ(r.code, kExitOk) << r.out << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("container-refused")));
  EXPECT_THAT(r.out, HasSubstr("no findings in 1 container"));
}

TEST(ExternalObjects, SecretsExternalAloneLeavesTheConfigMapRefused) {
  Result r = Svcenv({"check", "-f", In("external.yaml"), "--fail-on", "warning",
                  "--secrets", "external"});
  EXPECT_EQ(r.code, kExitFindings);
  EXPECT_THAT(r.out, HasSubstr("ConfigMap shop/api-config not found"));
  EXPECT_THAT(r.out, Not(HasSubstr("Secret shop/api-env not found")));
}

TEST(ExternalObjects, ConfigFileKeysSayTheSame) {
  Result r = Svcenv({"check", "-f", In("external.yaml"), "--fail-on", "info",
                  "--config", In("external.svcenv.yaml")});
  EXPECT_EQ(r.code, kExitOk) << r.out << r.err;
}

TEST(ExternalObjects, ABadValueIsBadUsage) {
  Result r = Svcenv({"check", "-f", In("external.yaml"), "--secrets", "vault"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--secrets must be input or external"));
}

TEST(ExternalObjects, EnvPrintsPlaceholdersAndExitsZero) {
  Result refused = Svcenv({"env", "-f", In("external.yaml")});
  EXPECT_EQ(refused.code, kExitFindings);
  Result r = Svcenv({"env", "-f", In("external.yaml"), "--secrets", "external",
                  "--configmaps", "external"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("DB_PASSWORD=<unknown: Secret shop/db key "
                               "password>\n"));
  EXPECT_THAT(r.err, Not(HasSubstr("would refuse")));
}

}  // namespace
}  // namespace svcenv::cli

namespace svcenv::cli {
namespace {

TEST(Sources, AKustomizationDirectoryIsNamedWithTheCommandToRenderIt) {
  Result r = Svcenv({"check", "-f", In("kustomize")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("this is a kustomization, not rendered "
                               "objects: render it with `kubectl kustomize"));
}

TEST(Sources, AHelmChartAndATemplateAreNamed) {
  Result chart = Svcenv({"check", "-f", In("chart")});
  EXPECT_EQ(chart.code, kExitUsage);
  EXPECT_THAT(chart.err, HasSubstr("this is a Helm chart"));
  EXPECT_THAT(chart.err, HasSubstr("helm template"));
  Result file = Svcenv({"check", "-f", In("chart/templates/deployment.yaml")});
  EXPECT_EQ(file.code, kExitUsage);
  EXPECT_THAT(file.err, HasSubstr("this is a Helm template"));
}

TEST(Sources, ARecursiveWalkSkipsNonKubernetesFilesWithOneLine) {
  Result r = Svcenv({"check", "-f", In("repo"), "-R", "--fail-on", "info"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: skipped 2 files: 1 Helm or "
                               "kustomize sources"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("in 1 container of 1 workload, 1 Service"));
}

TEST(Sources, IgnoreSkipsMatchingFiles) {
  Result r = Svcenv({"check", "-f", In("repo"), "-R", "--ignore",
                     "*/deploy/cache.yaml"});
  EXPECT_EQ(r.code, kExitFindings);  // The Service is gone: literal $(...).
  EXPECT_THAT(r.err, HasSubstr("1 matching --ignore"));
  EXPECT_THAT(r.out, HasSubstr("unfilled-service-reference"));
}

TEST(Sources, EverythingSkippedIsNeverAGreenRun) {
  Result r = Svcenv({"check", "-f", In("chart/templates")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, IsEmpty());
  Result walked = Svcenv({"check", "-f", In("repo"), "-R", "--ignore",
                          "*/deploy/web.yaml"});  // A Service, no workload.
  EXPECT_EQ(walked.code, kExitUsage);
  EXPECT_THAT(walked.err, HasSubstr("no Kubernetes workloads found"));
}

TEST(Sources, AnExplicitlyNamedNonKubernetesFileStaysAnError) {
  Result r = Svcenv({"check", "-f", In("repo/.github/ci.yaml")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("kind: required"));
}

// A fresh directory under TEST_TMPDIR holding `files` (a name and its
// text; a name ending in `/` is a directory).
std::string MakeTree(
    const std::string& name,
    const std::vector<std::pair<std::string, std::string>>& files) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  EXPECT_NE(tmp, nullptr);
  const std::string root = std::string(tmp == nullptr ? "." : tmp) + "/" + name;
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root);
  for (const auto& [file, text] : files) {
    const std::filesystem::path p = root + "/" + file;
    std::filesystem::create_directories(
        file.back() == '/' ? p : p.parent_path());
    if (file.back() != '/') std::ofstream(p, std::ios::binary) << text;
  }
  return root;
}

std::string Text(const std::string& name) {
  std::ifstream in(In(name), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(Sources, AnUnreadableSubdirectoryIsTheErrorEnvGives) {
  if (geteuid() == 0) GTEST_SKIP() << "root can list a mode-000 directory";
  const std::string root = MakeTree(
      "unreadable-dir", {{"cache.yaml", Text("repo/deploy/cache.yaml")},
                         {"web.yaml", Text("repo/deploy/web.yaml")},
                         {"locked/", ""}});
  ASSERT_EQ(chmod((root + "/locked").c_str(), 0), 0);
  // Without -R the subdirectory is not read: the files are checked.
  Result flat = Svcenv({"check", "-f", root});
  EXPECT_EQ(flat.code, kExitOk) << flat.err;
  Result check = Svcenv({"check", "-f", root, "-R"});
  Result env = Svcenv({"env", "-f", root, "-R"});
  chmod((root + "/locked").c_str(), 0755);  // So that Bazel can clean up.
  const std::string error = root + "/locked: Permission denied\n";
  EXPECT_EQ(check.code, kExitUsage);
  EXPECT_THAT(check.out, IsEmpty());
  EXPECT_EQ(check.err, "svcenv check: " + error);
  EXPECT_EQ(env.code, kExitUsage);
  EXPECT_EQ(env.err, "svcenv env: " + error);
}

TEST(Sources, AnUnreadableWalkedFileIsTheErrorEnvGives) {
  if (geteuid() == 0) GTEST_SKIP() << "root can read a mode-000 file";
  const std::string root = MakeTree(
      "unreadable-file", {{"cache.yaml", Text("repo/deploy/cache.yaml")},
                          {"web.yaml", Text("repo/deploy/web.yaml")},
                          {"secret.yaml", "kind: Secret\n"}});
  ASSERT_EQ(chmod((root + "/secret.yaml").c_str(), 0), 0);
  Result check = Svcenv({"check", "-f", root});
  Result env = Svcenv({"env", "-f", root});
  const std::string error = root + "/secret.yaml: Permission denied\n";
  EXPECT_EQ(check.code, kExitUsage);
  EXPECT_EQ(check.err, "svcenv check: " + error);  // Not "skipped 1 file".
  EXPECT_EQ(env.code, kExitUsage);
  EXPECT_EQ(env.err, "svcenv env: " + error);
}

// A walked file is judged by what the decoder reads in it: objects written
// with quoted keys (no `kind:` at the start of a line) are checked, as
// kubectl applies them, not skipped as a values file is.
TEST(Sources, AWalkedFileWithObjectsIsCheckedWhateverItsLayout) {
  const std::string root = MakeTree(
      "flow", {{"cache.yaml", Text("repo/deploy/cache.yaml")},
               {"pod.yaml",
                "\"apiVersion\": v1\n\"kind\": Pod\n\"metadata\": {name: p, "
                "namespace: shop}\n\"spec\": {containers: [{name: c, image: "
                "i}]}\n"},
               {"values.yaml", "replicaCount: 1\n"}});
  Result r = Svcenv({"check", "-f", root});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("in 1 container of 1 workload, 1 Service"));
  EXPECT_EQ(r.err, "svcenv check: warning: skipped 1 file: 1 without "
                   "Kubernetes objects (" + root + "/values.yaml)\n");
}

// The summary of what was skipped comes first, then what the decoder says
// of the files it read, in their order.
TEST(Sources, TheSkipSummaryPrecedesTheDecoderWarnings) {
  const std::string root = MakeTree(
      "warnings", {{"a/chart/Chart.yaml", "name: a\n"},
                   {"b.yaml", Text("repo/deploy/cache.yaml") +
                                  "  # caf\xE9 in Latin-1\n"},
                   {"c.yaml", Text("repo/deploy/web.yaml")},
                   {"d/templates/t.yaml", "kind: {{ .Values.kind }}\n"}});
  Result r = Svcenv({"check", "-f", root, "-R"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  const std::vector<std::string> lines = absl::StrSplit(r.err, '\n');
  ASSERT_THAT(lines, SizeIs(3)) << r.err;
  EXPECT_EQ(lines[0], "svcenv check: warning: skipped 2 files: 2 Helm or "
                      "kustomize sources (" + root + "/a/chart/, ...)");
  EXPECT_THAT(lines[1], HasSubstr(root + "/b.yaml: line 7, column 8: "
                                  "invalid UTF-8"));
  EXPECT_EQ(lines[2], "");
}

TEST(Sources, FileArgumentsAreSkippedLikeAWalk) {
  // pre-commit passes every staged YAML file.
  Result r = Svcenv({"check", In("repo/deploy/cache.yaml"),
                     In("repo/deploy/web.yaml"), In("repo/chart/Chart.yaml"),
                     In("repo/.github/ci.yaml")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, HasSubstr("skipped 2 files"));
}

}  // namespace
}  // namespace svcenv::cli

namespace svcenv::cli {
namespace {

TEST(Report, YamlIsTheJsonReport) {
  const std::vector<std::string> args = {"check", "-f", In("external.yaml"),
                                         "--fail-on", "never"};
  std::vector<std::string> json = args, yaml = args;
  json.insert(json.end(), {"-o", "json"});
  yaml.insert(yaml.end(), {"-o", "yaml"});
  Result j = Svcenv(json), y = Svcenv(yaml);
  ASSERT_EQ(y.code, kExitOk) << y.err;
  EXPECT_THAT(j.out, HasSubstr("\"ruleId\": \"container-refused\""));
  EXPECT_THAT(y.out, HasSubstr("- ruleId: container-refused\n"));
  EXPECT_THAT(y.out, HasSubstr("schemaVersion: 1\n"));
}

TEST(Report, SeverityHidesButDoesNotChangeTheExitCode) {
  Result r = Svcenv({"check", "-f", In("external.yaml"), "--fail-on",
                     "warning", "--severity", "error"});
  EXPECT_EQ(r.code, kExitFindings);
  EXPECT_THAT(r.out, Not(HasSubstr("container-refused")));
  // The summary says what it left out, so it never reads "no findings"
  // beside exit 1 without a word; JSON counts them and says it failed.
  EXPECT_THAT(r.out, HasSubstr("; 1 below error not shown (--severity)\n"));
  Result json = Svcenv({"check", "-f", In("external.yaml"), "--fail-on",
                        "warning", "--severity", "error", "-o", "json"});
  EXPECT_EQ(json.code, kExitFindings);
  EXPECT_THAT(json.out, HasSubstr("\"hidden\": 1"));
  EXPECT_THAT(json.out, HasSubstr("\"failed\": true"));
  Result bad = Svcenv({"check", "-f", In("external.yaml"), "--severity",
                       "never"});
  EXPECT_EQ(bad.code, kExitUsage);
}

TEST(EnvSwitches, QuietDropsTheTwoManifestNotes) {
  const std::string rendered = In("kustomize.rendered.yaml");
  Result loud = Svcenv({"env", "-f", rendered, "-n", "shop"});
  ASSERT_EQ(loud.code, kExitOk) << loud.err;
  EXPECT_THAT(loud.err, HasSubstr("no Service default/kubernetes"));
  EXPECT_THAT(loud.err, HasSubstr("has no clusterIP yet"));
  Result quiet = Svcenv({"env", "-f", rendered, "-n", "shop", "--quiet"});
  ASSERT_EQ(quiet.code, kExitOk);
  EXPECT_THAT(quiet.err, IsEmpty());
  EXPECT_EQ(quiet.out, loud.out);
}

TEST(EnvSwitches, WideLiftsTheExplainCut) {
  const std::string rendered = In("external.yaml");
  Result cut = Svcenv({"env", "-f", In("long-value.yaml"), "--explain"});
  Result wide =
      Svcenv({"env", "-f", In("long-value.yaml"), "--explain", "--wide"});
  ASSERT_EQ(wide.code, kExitOk) << wide.err;
  const std::string value(60, 'x');
  EXPECT_THAT(cut.out, Not(HasSubstr(value)));
  EXPECT_THAT(cut.out, HasSubstr("..."));
  EXPECT_THAT(wide.out, HasSubstr(value));
  EXPECT_EQ(Svcenv({"env", "-f", rendered, "--wide"}).code, kExitUsage);
}

}  // namespace
}  // namespace svcenv::cli

namespace svcenv::cli {
namespace {

TEST(ConfigKeys, IgnoreFilesIsTheConfigFormOfIgnore) {
  Result r = Svcenv({"check", "-f", In("repo"), "-R", "--config",
                     In("ignore.svcenv.yaml")});
  EXPECT_EQ(r.code, kExitFindings);
  EXPECT_THAT(r.err, HasSubstr("1 matching --ignore"));
}

TEST(ConfigKeys, ABadSecretsValueNamesTheFileAndKey) {
  Result r = Svcenv({"check", "-f", In("external.yaml"), "--config",
                     In("bad.svcenv.yaml")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("bad.svcenv.yaml: secrets"));
  EXPECT_THAT(r.err, HasSubstr("want external or input"));
}

}  // namespace
}  // namespace svcenv::cli
