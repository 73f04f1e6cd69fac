// `svcenv check` end to end through the CLI entry point: the report
// formats, exit codes and rules, on the scenarios under testdata/check/.
//
// A scenario directory holds manifests and the golden case `default.args`
// (`svcenv check` and its arguments, run in the directory) with its
// `default.out`, `.err` and `.code`; testdata/check/corpus/ holds public
// manifests (see its SOURCES.md), one case `<project>.args` per project
// checked as one apply. //tools:golden_test compares those goldens (the
// format and how to regenerate them are in tools/golden_test.cc); the tests
// here assert what the goldens cannot: a rule's words in any scenario, other
// flags on the same inputs, and the library's reports.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/base/testing.h"
#include "nlohmann/json.hpp"
#include "svcenv/check.h"
#include "svcenv/check_report.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"
#include "tools/cli.h"

namespace svcenv::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kScenarios[] = "testdata/check";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Outcome {
  int exit = -1;
  std::string out;
  std::string err;
};

// Runs `svcenv check ARGS` with the working directory set to `dir`.
Outcome RunIn(const std::string& dir, const std::vector<std::string>& args) {
  const std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  std::istringstream in;
  std::ostringstream out, err;
  Io io{in, out, err};
  std::vector<std::string> full = {"check"};
  full.insert(full.end(), args.begin(), args.end());
  Outcome outcome;
  outcome.exit = Run(full, io);
  std::filesystem::current_path(previous);
  outcome.out = out.str();
  outcome.err = err.str();
  return outcome;
}

// The scenario's arguments after `check` (its golden case default.args).
std::vector<std::string> ArgsOf(const std::string& dir) {
  std::vector<std::string> args = absl::StrSplit(
      absl::StripSuffix(ReadFile(dir + "/default.args"), "\n"), '\n');
  EXPECT_EQ(args.front(), "check") << dir << "/default.args";
  args.erase(args.begin());
  return args;
}

Outcome RunScenario(const std::string& name) {
  const std::string dir = std::string(kScenarios) + "/" + name;
  return RunIn(dir, ArgsOf(dir));
}

// Directories holding a `default.args` file.
std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kScenarios)) {
    if (entry.is_directory() &&
        std::filesystem::exists(entry.path() / "default.args"))
      names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(CheckScenarios, EveryRuleFiresSomewhereAndTheCleanCaseIsSilent) {
  std::set<std::string> fired;
  for (const std::string& name : ScenarioNames()) {
    const std::string dir = std::string(kScenarios) + "/" + name;
    std::vector<std::string> args = ArgsOf(dir);
    args.push_back("-o");
    args.push_back("json");
    const Outcome got = RunIn(dir, args);
    nlohmann::json doc = nlohmann::json::parse(got.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << name;
    for (const auto& finding : doc["findings"]) {
      fired.insert(finding["ruleId"].get<std::string>());
    }
    if (name == "clean") {
      EXPECT_THAT(doc["findings"], IsEmpty());
    }
  }
  for (const CheckRule& rule : CheckRules()) {
    EXPECT_EQ(fired.count(rule.id), 1u) << rule.id << " never fires";
  }
}

TEST(CheckScenarios, OrderChangesTheVerdict) {
  // One `kubectl apply`: a race the Service usually wins.
  const Outcome kubectl = RunScenario("order-kubectl");
  EXPECT_THAT(kubectl.out,
              HasSubstr("warning service-after-workload: Deployment shop/web"));
  EXPECT_THAT(kubectl.out, HasSubstr("may stay literal at first start"));
  const Outcome helm = RunScenario("order-helm");
  EXPECT_EQ(helm.exit, kExitOk);
  EXPECT_THAT(helm.out, HasSubstr("no findings"));
}

TEST(CheckScenarios, ArgoCdWavesAndHooksAreSeparateSteps) {
  const std::string dir = std::string(kScenarios) + "/order-argocd";
  // One `kubectl apply`: everything is a race.
  const Outcome kubectl = RunIn(dir, {"-f", "app.yaml"});
  EXPECT_EQ(kubectl.exit, kExitOk);
  EXPECT_THAT(kubectl.out, HasSubstr("$(CACHE_SERVICE_HOST) in env CACHE_ADDR "
                                     "may stay literal"));
  const Outcome argocd = RunScenario("order-argocd");
  EXPECT_EQ(argocd.exit, kExitFindings);
  // Service db is in wave 2, the Deployment in wave 1, the PreSync Job
  // before both: certain.
  EXPECT_THAT(argocd.out,
              HasSubstr("Deployment shop/api, container api: "
                        "$(DB_SERVICE_HOST) in env DATABASE_URL stays literal "
                        "at first start: Service shop/db (app.yaml:60) is "
                        "applied in a later step"));
  EXPECT_THAT(argocd.out, HasSubstr("error service-after-workload: Job "
                                    "shop/migrate, container migrate: "
                                    "$(DB_SERVICE_HOST) in command/args"));
  // Same wave: Argo CD applies Services before Deployments.
  EXPECT_THAT(argocd.out, Not(HasSubstr("CACHE_ADDR")));
  // A Helm post-install hook is Argo CD's PostSync.
  EXPECT_THAT(argocd.out,
              HasSubstr("Deployment shop/api, container api: Service "
                        "shop/metrics (app.yaml:73) is applied in a later "
                        "step"));
}

TEST(CheckScenarios, HelmHooksAreSeparateSteps) {
  const std::string dir = std::string(kScenarios) + "/order-helm-hooks";
  const Outcome helm = RunScenario("order-helm-hooks");
  EXPECT_EQ(helm.exit, kExitFindings);
  // A pre-install hook runs before the main manifest's Service db.
  EXPECT_THAT(helm.out, HasSubstr("error service-after-workload: Job "
                                  "shop/shop-migrate, container migrate: "
                                  "$(DB_SERVICE_HOST)"));
  // A post-install hook Service comes after the main manifest.
  EXPECT_THAT(helm.out, HasSubstr("error service-after-workload: Deployment "
                                  "shop/api, container api: "
                                  "$(SEARCH_SERVICE_HOST)"));
  // As one kubectl apply, the Deployment after Service db is fine.
  const Outcome kubectl = RunIn(dir, {"-f", "rendered.yaml"});
  EXPECT_THAT(kubectl.out, Not(HasSubstr("error ")));
}

TEST(CheckScenarios, DuplicateEnvironmentKeysPointAtBothLines) {
  const std::string dir = std::string(kScenarios) + "/duplicate-keys";
  const Outcome got = RunScenario("duplicate-keys");
  EXPECT_EQ(got.exit, kExitFindings);
  EXPECT_THAT(got.out, HasSubstr("manifests.yaml:51: error duplicate-env-key: "
                                 "Deployment shop/worker, container worker: "
                                 "`envFrom:` is written twice in this "
                                 "container (lines 48 and 51)"));
  // Labels and resources written twice are not about the environment.
  EXPECT_THAT(got.out, Not(HasSubstr("labels")));
  EXPECT_THAT(got.out, Not(HasSubstr("limits")));
  EXPECT_THAT(got.out, HasSubstr("5 findings (5 errors"));
  // The first occurrence is a SARIF related location.
  const Outcome sarif =
      RunIn(dir, {"-f", "manifests.yaml", "-o", "sarif", "--root", "."});
  nlohmann::json log = nlohmann::json::parse(sarif.out, nullptr, false);
  ASSERT_FALSE(log.is_discarded());
  const auto& r = log["runs"][0]["results"][1];
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["region"]["startLine"], 51);
  EXPECT_EQ(r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
            48);
  const Outcome disabled = RunIn(
      dir, {"-f", "manifests.yaml", "-f", "pod.json", "--disable",
            "duplicate-env-key"});
  EXPECT_EQ(disabled.exit, kExitOk);
  EXPECT_THAT(disabled.out, HasSubstr("5 suppressed (5 of disabled rules)"));
}

// Public manifests, one apply per project: the reports are golden cases
// (corpus/<project>.args) whose per-rule counts are the precision table of
// docs/check.md. A project without its case would go unchecked.
TEST(CheckCorpus, EveryProjectIsAGoldenCase) {
  const std::string corpus = std::string(kScenarios) + "/corpus";
  int projects = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (!entry.is_directory()) continue;
    ++projects;
    const std::string project = entry.path().filename();
    EXPECT_EQ(ReadFile(corpus + "/" + project + ".args"),
              "check\n-R\n-f\n" + project + "\n--fail-on\nnever\n")
        << project;
  }
  EXPECT_GE(projects, 20);
}

TEST(CheckSarif, HasTheFieldsCodeScanningRequires) {
  const Outcome got = RunScenario("output-sarif");
  ASSERT_EQ(got.exit, kExitOk) << got.err;
  nlohmann::json log = nlohmann::json::parse(got.out, nullptr, false);
  ASSERT_FALSE(log.is_discarded());
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_TRUE(log["$schema"].is_string());
  ASSERT_EQ(log["runs"].size(), 1u);
  const auto& run = log["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "svcenv");
  const auto& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), CheckRules().size());
  for (const auto& rule : rules) {
    EXPECT_TRUE(rule["id"].is_string());
    EXPECT_TRUE(rule["shortDescription"]["text"].is_string());
  }
  ASSERT_FALSE(run["results"].empty());
  for (const auto& result : run["results"]) {
    ASSERT_TRUE(result["ruleId"].is_string());
    const size_t index = result["ruleIndex"].get<size_t>();
    ASSERT_LT(index, rules.size());
    EXPECT_EQ(rules[index]["id"], result["ruleId"]);
    const std::string level = result["level"];
    EXPECT_TRUE(level == "error" || level == "warning" || level == "note");
    EXPECT_FALSE(result["message"]["text"].get<std::string>().empty());
    ASSERT_FALSE(result["locations"].empty());
    const auto& physical = result["locations"][0]["physicalLocation"];
    EXPECT_EQ(physical["artifactLocation"]["uri"], "manifests.yaml");
    EXPECT_GE(physical["region"]["startLine"].get<int>(), 1);
  }
}

TEST(CheckCommand, FailOnWarningTurnsWarningsIntoExitOne) {
  const std::string dir = std::string(kScenarios) + "/service-clash";
  const Outcome lenient = RunIn(dir, {"-f", "manifests.yaml"});
  EXPECT_EQ(lenient.exit, kExitOk);
  const Outcome strict =
      RunIn(dir, {"-f", "manifests.yaml", "--fail-on", "warning"});
  EXPECT_EQ(strict.exit, kExitFindings);
  EXPECT_EQ(strict.out, lenient.out);
  EXPECT_THAT(strict.err, HasSubstr("at or above warning"));
  const Outcome never = RunIn(std::string(kScenarios) + "/order-kubectl",
                              {"-f", "manifests", "--fail-on", "never"});
  EXPECT_EQ(never.exit, kExitOk);
}

TEST(CheckCommand, BadUsageIsExitTwoWithNothingOnStdout) {
  const std::string dir = std::string(kScenarios) + "/clean";
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"-f", "00-services.yaml", "--order", "kustomize"},
           {"-f", "00-services.yaml", "--order", "ArgoCD"},
           {"-f", "00-services.yaml", "-o", "xml"},
           {"-f", "00-services.yaml", "-o", "GitHub"},
           {"-f", "00-services.yaml", "--fail-on", "sometimes"},
           {"-f", "00-services.yaml", "--arg-max", "12"},
           {"-f", "no-such-file.yaml"},
           {"-f", "00-services.yaml", "--catalogue", "no-such-file.txt"},
           {"-f", "00-services.yaml", "--disable", "no-such-rule"},
           {"-f", "00-services.yaml", "--enable", "no-such-rule"},
           {"-f", "00-services.yaml", "--baseline", "00-services.yaml"},
           {"-f", "00-services.yaml", "--config", "no-such-config.yaml"},
           {"-f", "00-services.yaml", "--config", "10-web.yaml"},
           {},
       }) {
    const Outcome got = RunIn(dir, args);
    EXPECT_EQ(got.exit, kExitUsage) << absl::StrJoin(args, " ");
    EXPECT_THAT(got.out, IsEmpty());
    EXPECT_THAT(got.err, HasSubstr("svcenv check: "));
  }
}

std::string TempFile(const std::string& name, const std::string& text) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(CheckCommand, BaselineFromJsonOrSarifKeepsOldFindingsFromFailing) {
  const std::string dir = std::string(kScenarios) + "/unresolved-reference";
  const Outcome before = RunIn(dir, {"-f", "manifests.yaml"});
  ASSERT_EQ(before.exit, kExitFindings);
  for (const char* format : {"json", "sarif"}) {
    SCOPED_TRACE(format);
    const Outcome report =
        RunIn(dir, {"-f", "manifests.yaml", "-o", format, "--fail-on", "never"});
    ASSERT_EQ(report.exit, kExitOk);
    const std::string baseline =
        TempFile(std::string("baseline.") + format, report.out);
    const Outcome again =
        RunIn(dir, {"-f", "manifests.yaml", "--baseline", baseline});
    EXPECT_EQ(again.exit, kExitOk) << again.err;
    EXPECT_THAT(again.out, HasSubstr("error unresolved-reference (baseline)"));
    EXPECT_THAT(again.out, HasSubstr("no findings in 1 container"));
    EXPECT_THAT(again.out, HasSubstr("; 2 in the baseline"));
    // SARIF marks them unchanged.
    const Outcome sarif = RunIn(
        dir, {"-f", "manifests.yaml", "-o", "sarif", "--baseline", baseline});
    nlohmann::json log = nlohmann::json::parse(sarif.out, nullptr, false);
    ASSERT_FALSE(log.is_discarded());
    for (const auto& result : log["runs"][0]["results"]) {
      EXPECT_EQ(result["baselineState"], "unchanged");
    }
  }
}

TEST(CheckCommand, SuppressedFindingsAreSarifSuppressionsAndCounted) {
  const std::string dir = std::string(kScenarios) + "/suppressions";
  const Outcome text = RunScenario("suppressions");
  EXPECT_THAT(text.out,
              HasSubstr("5 suppressed (3 by annotation, 1 by the config, 1 of "
                        "disabled rules)"));
  std::vector<std::string> args = ArgsOf(dir);
  args.insert(args.end(), {"-o", "sarif"});
  const Outcome got = RunIn(dir, args);
  nlohmann::json log = nlohmann::json::parse(got.out, nullptr, false);
  ASSERT_FALSE(log.is_discarded());
  std::map<std::string, int> kinds;
  for (const auto& result : log["runs"][0]["results"]) {
    if (!result.contains("suppressions")) continue;
    const auto& s = result["suppressions"][0];
    kinds[s["kind"].get<std::string>()]++;
    EXPECT_FALSE(s["justification"].get<std::string>().empty());
  }
  EXPECT_EQ(kinds["inSource"], 3);
  EXPECT_EQ(kinds["external"], 2);
  // Without the config file (another one given) and the rule switches,
  // everything but the annotations is active again.
  const std::string empty = TempFile("empty.svcenv.yaml", "");
  const Outcome plain =
      RunIn(dir, {"-f", "manifests.yaml", "--config", empty});
  EXPECT_THAT(plain.out, HasSubstr("; 3 suppressed (3 by annotation)"));
}

TEST(CheckCommand, PositionalFilesAreInputsInOrder) {
  const std::string dir = std::string(kScenarios) + "/order-kubectl";
  const Outcome flags = RunIn(dir, {"-f", "manifests", "-f", "extra.yaml"});
  const Outcome positional = RunIn(dir, {"manifests", "extra.yaml"});
  EXPECT_EQ(positional.exit, flags.exit);
  EXPECT_EQ(positional.out, flags.out);
}

TEST(CheckCommand, ListsTheShippedCatalogueInItsOwnFormat) {
  const Outcome got = RunIn(std::string(kScenarios), {"--list-catalogue"});
  EXPECT_EQ(got.exit, kExitOk);
  EXPECT_THAT(got.out, HasSubstr("\nKAFKA_PORT  "));
  absl::StatusOr<std::vector<CatalogueEntry>> parsed =
      ParseCatalogue(got.out, "listed");
  ASSERT_THAT(parsed.status(), IsOk());
  EXPECT_EQ(parsed->size(), BuiltinCatalogue().size());
}

// Every registered rule is listed by --list-rules and --help, and
// described in docs/check.md (the registry is the list; these are its
// views).
TEST(CheckCommand, EveryRegisteredRuleIsListedHelpedAndDocumented) {
  const Outcome list = RunIn(std::string(kScenarios), {"--list-rules"});
  EXPECT_EQ(list.exit, kExitOk);
  const Outcome help = RunIn(std::string(kScenarios), {"--help"});
  EXPECT_EQ(help.exit, kExitOk);
  std::ifstream docs_file("docs/check.md");
  ASSERT_TRUE(docs_file.good());
  const std::string docs((std::istreambuf_iterator<char>(docs_file)),
                         std::istreambuf_iterator<char>());
  for (const CheckRule& rule : CheckRules()) {
    EXPECT_THAT(list.out,
                HasSubstr(absl::StrCat(rule.id, " (",
                                       SeverityName(rule.severity),
                                       "): ", rule.summary, "\n")));
    EXPECT_THAT(help.out, ContainsRegex(absl::StrCat("[[:space:]]", rule.id,
                                                     "[,.]")));
    EXPECT_THAT(docs, HasSubstr(absl::StrCat("<a id=\"", rule.id, "\">")))
        << "docs/check.md has no entry for " << rule.id;
  }
}

TEST(CheckGithub, OneWorkflowCommandPerActiveFindingThenTheSummary) {
  const std::string dir = std::string(kScenarios) + "/suppressions";
  std::vector<std::string> args = ArgsOf(dir);
  args.insert(args.end(), {"-o", "github", "--root", "."});
  const Outcome got = RunIn(dir, args);
  const Outcome text = RunScenario("suppressions");
  EXPECT_EQ(got.exit, text.exit);
  std::vector<std::string> lines =
      absl::StrSplit(got.out, '\n', absl::SkipEmpty());
  ASSERT_FALSE(lines.empty());
  // The same summary line as the text report, suppressions counted.
  EXPECT_TRUE(absl::EndsWith(text.out, lines.back() + "\n")) << lines.back();
  lines.pop_back();
  int text_findings = 0;
  for (absl::string_view line : absl::StrSplit(text.out, '\n')) {
    if (absl::StartsWith(line, "manifests.yaml:")) ++text_findings;
  }
  EXPECT_EQ(static_cast<int>(lines.size()), text_findings);
  for (const std::string& line : lines) {
    EXPECT_TRUE(absl::StartsWith(line, "::error file=manifests.yaml,line=") ||
                absl::StartsWith(line, "::warning file=manifests.yaml,line=") ||
                absl::StartsWith(line, "::notice file=manifests.yaml,line="))
        << line;
    EXPECT_THAT(line, HasSubstr(",title=svcenv "));
  }
}

TEST(CheckGithub, EscapesDataAndPropertiesAsGithubsToolkit) {
  CheckResult result;
  Finding f;
  f.rule_id = "unresolved-reference";
  f.severity = Severity::kWarning;
  f.message = "100% sure:\r\nnext, line";
  f.workload_kind = "Deployment";
  f.namespace_name = "default";
  f.workload_name = "web";
  f.origin.file = "dir,with:odd%name.yaml";
  f.origin.line = 3;
  result.findings.push_back(f);
  Finding on_stdin = f;
  on_stdin.severity = Severity::kInfo;
  on_stdin.message = "m";
  on_stdin.origin.file = "-";
  result.findings.push_back(on_stdin);
  const std::string out = RenderCheckGithub(result, SarifOptions());
  EXPECT_THAT(out, HasSubstr("::warning file=dir%2Cwith%3Aodd%25name.yaml,"
                             "line=3,title=svcenv unresolved-reference::"
                             "Deployment default/web: 100%25 sure:%0D%0Anext, "
                             "line\n"));
  EXPECT_THAT(out, HasSubstr("::notice title=svcenv unresolved-reference::"
                             "Deployment default/web: m [-:3]\n"));
}

// What decode does for `helm template` output (it fills Origin::helm_source
// from each document's `# Source:` comment): the last such comment at or
// before the object's first line.
void SetHelmSources(const std::string& text, Objects* objects) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  auto source_of = [&](const Origin& origin) {
    std::string source;
    for (int i = 0; i < origin.line && i < static_cast<int>(lines.size());
         ++i) {
      absl::string_view line = lines[i];
      if (absl::ConsumePrefix(&line, "# Source: ")) source = std::string(line);
    }
    return source;
  };
  for (Service& s : objects->services) s.origin.helm_source = source_of(s.origin);
  for (Pod& p : objects->pods) p.origin.helm_source = source_of(p.origin);
}

// testdata/check/helm-source: `helm template` output of the chart beside
// it. Findings point at charts/shop/templates/..., the rendered file stays
// reachable (text and SARIF related location).
TEST(CheckHelmSource, ReportsPointAtTheTemplate) {
  const std::string dir =
      std::filesystem::absolute(std::string(kScenarios) + "/helm-source")
          .lexically_normal()
          .string();
  const std::string text = ReadFile(dir + "/rendered.yaml");
  Objects objects;
  ASSERT_THAT(DecodeText(text, "rendered.yaml", DecodeOptions(), &objects),
              IsOk());
  SetHelmSources(text, &objects);
  ASSERT_EQ(objects.pods.size(), 1u);
  EXPECT_EQ(objects.pods[0].origin.helm_source,
            "shop/templates/deployment.yaml");
  CheckResult result = Check(objects, Objects(), CheckOptions());
  ASSERT_EQ(result.findings.size(), 2u);
  LocateHelmTemplates(dir, dir, &result);
  EXPECT_EQ(result.findings[0].origin.helm_source,
            "charts/shop/templates/deployment.yaml");
  EXPECT_EQ(result.findings[0].related[0].origin.helm_source,
            "charts/shop/templates/db-service.yaml");

  const std::string report_text = RenderCheckText(result);
  EXPECT_THAT(report_text,
              HasSubstr("charts/shop/templates/deployment.yaml "
                        "(rendered.yaml:56): error unfilled-service-reference"));
  const std::string json =
      RenderCheckJson(result, Severity::kError, /*fail_on_never=*/false);
  nlohmann::json doc = nlohmann::json::parse(json);
  EXPECT_EQ(doc["findings"][0]["location"]["template"],
            "charts/shop/templates/deployment.yaml");
  EXPECT_EQ(doc["findings"][0]["location"]["file"], "rendered.yaml");
  SarifOptions options;
  options.tool_version = "0.0.0-test";
  options.repository_root = dir;
  options.working_directory = dir;
  EXPECT_THAT(RenderCheckGithub(result, options),
              HasSubstr("::error file=charts/shop/templates/deployment.yaml,"
                        "title=svcenv unfilled-service-reference::Deployment "
                        "default/shop-web, container web: $(CACHE_SERVICE_HOST)"));
  EXPECT_THAT(RenderCheckGithub(result, options),
              HasSubstr("or fix the name) [rendered.yaml:56]\n"));
  const std::string sarif = RenderCheckSarif(result, options);
  nlohmann::json log = nlohmann::json::parse(sarif);
  const auto& first = log["runs"][0]["results"][0];
  EXPECT_EQ(first["locations"][0]["physicalLocation"]["artifactLocation"],
            nlohmann::json({{"uri", "charts/shop/templates/deployment.yaml"},
                            {"uriBaseId", "SRCROOT"}}));
  const auto& rendered = first["relatedLocations"][0]["physicalLocation"];
  EXPECT_EQ(rendered["artifactLocation"]["uri"], "rendered.yaml");
  EXPECT_EQ(rendered["region"]["startLine"], 54);

  // The CLI's reports of the same file are golden cases
  // (testdata/check/helm-source/{default,json,sarif}.args).
}

TEST(CheckHelmSource, UnknownTemplatesStayAsWrittenAndStdinIsNamed) {
  CheckResult result;
  Finding f;
  f.rule_id = "unresolved-reference";
  f.severity = Severity::kError;
  f.message = "m";
  f.workload_kind = "Deployment";
  f.namespace_name = "default";
  f.workload_name = "web";
  f.origin.file = "-";
  f.origin.line = 7;
  f.origin.helm_source = "other/templates/web.yaml";
  result.findings.push_back(f);
  LocateHelmTemplates("/nonexistent", "/nonexistent", &result);
  EXPECT_EQ(result.findings[0].origin.helm_source, "other/templates/web.yaml");
  EXPECT_THAT(RenderCheckText(result),
              HasSubstr("other/templates/web.yaml (-:7): error"));
  SarifOptions options;
  options.repository_root = "/nonexistent";
  options.working_directory = "/nonexistent";
  nlohmann::json log = nlohmann::json::parse(RenderCheckSarif(result, options));
  const auto& r = log["runs"][0]["results"][0];
  // Found nowhere: SARIF points at what was read (here stdin), never at a
  // repository path that may not exist, and names the template in text.
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "stdin");
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
  EXPECT_THAT(r["message"]["text"].get<std::string>(),
              HasSubstr("Rendered from the Helm template "
                        "other/templates/web.yaml"));
  EXPECT_FALSE(r.contains("relatedLocations"));
  EXPECT_THAT(RenderCheckGithub(result, options),
              Not(HasSubstr("file=other/templates/web.yaml")));
}

}  // namespace
}  // namespace svcenv::cli
