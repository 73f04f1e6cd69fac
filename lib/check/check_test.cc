#include "svcenv/check.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "lib/base/testing.h"
#include "lib/check/internal/apply_order.h"
#include "nlohmann/json.hpp"
#include "svcenv/check_config.h"
#include "svcenv/check_report.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

Service MakeService(const std::string& ns, const std::string& name, int port,
                    int sequence, const std::string& ip = "") {
  Service s;
  s.meta.namespace_name = ns;
  s.meta.name = name;
  s.cluster_ip = ip;
  s.ports.push_back({"", port, "TCP"});
  s.origin.file = "manifests.yaml";
  s.origin.line = 1 + 10 * sequence;
  s.origin.sequence = sequence;
  return s;
}

Pod MakeDeployment(const std::string& ns, const std::string& name,
                   int sequence) {
  Pod pod;
  pod.meta.namespace_name = ns;
  pod.workload_kind = "Deployment";
  pod.workload_name = name;
  pod.origin.file = "manifests.yaml";
  pod.origin.line = 1 + 10 * sequence;
  pod.origin.sequence = sequence;
  Container c;
  c.name = "app";
  c.line = pod.origin.line + 5;
  pod.containers.push_back(c);
  return pod;
}

Timestamp At(int64_t seconds, const std::string& text) {
  return Timestamp{text, seconds};
}

std::vector<std::string> RuleIds(const CheckResult& result) {
  std::vector<std::string> ids;
  for (const Finding& f : result.findings) ids.push_back(f.rule_id);
  return ids;
}

TEST(HelmInstallRank, ServicesBeforeWorkloadsUnknownLast) {
  using check_internal::HelmInstallRank;
  EXPECT_LT(HelmInstallRank("ConfigMap"), HelmInstallRank("Service"));
  EXPECT_LT(HelmInstallRank("Service"), HelmInstallRank("DaemonSet"));
  EXPECT_LT(HelmInstallRank("DaemonSet"), HelmInstallRank("Pod"));
  EXPECT_LT(HelmInstallRank("Deployment"), HelmInstallRank("StatefulSet"));
  EXPECT_LT(HelmInstallRank("Job"), HelmInstallRank("CronJob"));
  EXPECT_GT(HelmInstallRank("Widget"),
            HelmInstallRank("ValidatingWebhookConfiguration"));
}

TEST(Catalogue, ParsesNamesPrefixesAndSuffixes) {
  SVCENV_ASSERT_OK_AND_ASSIGN(
      std::vector<CatalogueEntry> entries,
      ParseCatalogue("# comment\n\nORDERS_PORT  read by orders\nAPP_*\n"
                     "*_URL_PORT\tnote with tab\n",
                     "extra.txt"));
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].pattern, "ORDERS_PORT");
  EXPECT_EQ(entries[0].note, "read by orders");
  EXPECT_EQ(entries[1].pattern, "APP_*");
  EXPECT_EQ(entries[2].note, "note with tab");
}

TEST(Catalogue, RejectsWhatIsNotAVariableNameNamingTheLine) {
  EXPECT_THAT(ParseCatalogue("OK_PORT\nBAD*NAME x\n", "extra.txt").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("extra.txt:2: \"BAD*NAME\"")));
  EXPECT_THAT(ParseCatalogue("*\n", "c").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("c:1")));
}

TEST(Catalogue, ShippedEntriesIncludeTheReportedClashes) {
  std::vector<std::string> patterns;
  for (const CatalogueEntry& e : BuiltinCatalogue())
    patterns.push_back(e.pattern);
  for (const char* name :
       {"KAFKA_PORT", "KAFKA_REST_PORT", "REDIS_PORT", "MYSQL_PORT",
        "MONGO_PORT", "RABBITMQ_PORT", "SPARK_MASTER_PORT", "SERVER_PORT",
        "VLLM_PORT", "COCKROACH_PORT"}) {
    EXPECT_THAT(patterns, ::testing::Contains(name));
  }
}

TEST(Check, ExtraCatalogueEntryWithPrefixPattern) {
  Objects objects;
  objects.services.push_back(MakeService("shop", "frontier-grpc", 50051, 0));
  objects.pods.push_back(MakeDeployment("shop", "api", 1));
  CheckOptions options;
  EXPECT_THAT(RuleIds(Check(objects, {}, options)), IsEmpty());
  options.extra_catalogue.push_back(
      {"FRONTIER_*", "Viper AutomaticEnv", {"*"}, false});
  const CheckResult result = Check(objects, {}, options);
  // Both URL-valued names under the prefix; the numeric ones are fine.
  ASSERT_THAT(RuleIds(result), ElementsAre("known-variable-overwrite",
                                           "known-variable-overwrite"));
  EXPECT_EQ(result.findings[0].variable, "FRONTIER_GRPC_PORT");
  EXPECT_EQ(result.findings[1].variable, "FRONTIER_GRPC_PORT_50051_TCP");
  EXPECT_THAT(result.findings[0].message, HasSubstr("Viper AutomaticEnv"));
  // The stand-in cluster IP is not shown as if it were real.
  EXPECT_THAT(result.findings[0].message,
              HasSubstr("tcp://<cluster IP>:50051"));
}

TEST(Check, InventoryServiceOfTheSameNameCountsAsPresent) {
  Objects inventory;
  Service existing = MakeService("shop", "cache", 6379, 0, "10.96.5.5");
  existing.origin.file = "inventory.json";
  inventory.services.push_back(existing);
  Objects objects;
  Pod pod = MakeDeployment("shop", "web", 0);
  pod.containers[0].env.push_back({"CACHE", "$(CACHE_SERVICE_HOST)", {}, 9});
  objects.pods.push_back(pod);
  // The manifests update cache after the workload; it exists already.
  objects.services.push_back(MakeService("shop", "cache", 6379, 1));
  EXPECT_THAT(RuleIds(Check(objects, inventory, {})), IsEmpty());
  // Without the inventory it is an ordering race at the env entry's line:
  // both are in one `kubectl apply`, so the reference may stay literal.
  const CheckResult alone = Check(objects, {}, {});
  ASSERT_THAT(RuleIds(alone), ElementsAre("service-after-workload"));
  EXPECT_EQ(alone.findings[0].severity, Severity::kWarning);
  EXPECT_THAT(alone.findings[0].message,
              HasSubstr("may stay literal at first start"));
  EXPECT_THAT(alone.findings[0].message, HasSubstr("in the same apply"));
  EXPECT_EQ(alone.findings[0].origin.line, 9);
  EXPECT_EQ(alone.findings[0].variable, "CACHE_SERVICE_HOST");
}

TEST(Check, LateServicesWithoutReferencesAreOneInfoPerContainer) {
  Objects objects;
  objects.pods.push_back(MakeDeployment("shop", "web", 0));
  for (int i = 0; i < 7; ++i) {
    objects.services.push_back(
        MakeService("shop", "svc-" + std::to_string(i), 80, 1 + i));
  }
  const CheckResult result = Check(objects, {}, {});
  ASSERT_THAT(RuleIds(result), ElementsAre("service-after-workload"));
  // Same apply: a race the Services usually win.
  EXPECT_EQ(result.findings[0].severity, Severity::kInfo);
  EXPECT_THAT(result.findings[0].message, HasSubstr("may be missing"));
  EXPECT_EQ(result.findings[0].related.size(), 7u);
  EXPECT_EQ(result.findings[0].variable, "SVC_0_SERVICE_HOST");
  EXPECT_THAT(result.findings[0].message, HasSubstr("and 2 more Services"));
  EXPECT_THAT(result.findings[0].message, HasSubstr("their 49 variables"));
  // Helm installs every Service before any Deployment.
  CheckOptions helm;
  helm.order = ApplyOrder::kHelm;
  EXPECT_THAT(RuleIds(Check(objects, {}, helm)), IsEmpty());
}

TEST(Check, LiveSameSecondMayBeMissingAndWaitingContainersAreSkipped) {
  Objects objects;
  Pod pod = MakeDeployment("shop", "web-1", 0);
  pod.workload_kind = "Pod";
  pod.meta.creation_timestamp = At(1000, "t1000");
  Container waiting = pod.containers[0];
  waiting.name = "waiting";
  pod.containers.push_back(waiting);
  pod.container_statuses.push_back(
      {"app", "running", At(1005, "t1005"), std::nullopt, std::nullopt});
  pod.container_statuses.push_back(
      {"waiting", "waiting", std::nullopt, std::nullopt, std::nullopt});
  objects.pods.push_back(pod);
  Service same = MakeService("shop", "cache", 11211, 1, "10.96.4.4");
  same.meta.creation_timestamp = At(1005, "t1005");
  Service older = MakeService("shop", "db", 5432, 2, "10.96.3.3");
  older.meta.creation_timestamp = At(900, "t900");
  objects.services = {same, older};
  const CheckResult result = Check(objects, {}, {});
  ASSERT_THAT(RuleIds(result), ElementsAre("service-after-start"));
  EXPECT_EQ(result.findings[0].container, "app");
  EXPECT_THAT(result.findings[0].message, HasSubstr("may be missing"));
  EXPECT_THAT(result.findings[0].message,
              HasSubstr("created in the same second the container started"));
}

// A live pod started at `start` whose container `app` reads `env`.
Pod LivePod(const std::string& name, int64_t start,
            std::vector<EnvVar> env) {
  Pod pod = MakeDeployment("shop", name, 0);
  pod.workload_kind = "Pod";
  pod.workload_name = name;
  pod.meta.name = name;
  pod.meta.creation_timestamp = At(start - 2, absl::StrCat("t", start - 2));
  pod.containers[0].env = std::move(env);
  pod.container_statuses.push_back({"app", "running",
                                    At(start, absl::StrCat("t", start)),
                                    std::nullopt, std::nullopt});
  return pod;
}

std::vector<std::string> Messages(const CheckResult& result) {
  std::vector<std::string> out;
  for (const Finding& f : result.findings) out.push_back(f.message);
  return out;
}

// Which references stayed literal is worked out per start: pods started in
// the same second share it, pods started earlier or later do not, and a
// reference to a Service that was there all along is never one.
TEST(Check, LiveLiteralReferencesAreThoseToServicesLateForThatStart) {
  Objects objects;
  Service db = MakeService("shop", "db", 5432, 1, "10.96.3.3");
  db.meta.creation_timestamp = At(900, "t900");
  Service cache = MakeService("shop", "cache", 11211, 2, "10.96.4.4");
  cache.meta.creation_timestamp = At(1010, "t1010");
  Service search = MakeService("shop", "search", 9200, 3, "10.96.5.5");
  search.meta.creation_timestamp = At(1030, "t1030");
  objects.services = {db, cache, search};
  const std::vector<EnvVar> env = {
      {"DB", "$(DB_SERVICE_HOST)", {}, 10},
      {"CACHE", "$(CACHE_SERVICE_HOST):11211", {}, 11},
      {"SEARCH", "$(SEARCH_SERVICE_HOST)", {}, 12}};
  objects.pods.push_back(LivePod("early-1", 1005, env));
  objects.pods.push_back(LivePod("early-2", 1005, env));
  objects.pods.push_back(LivePod("middle", 1020, env));
  objects.pods.push_back(LivePod("db-only", 1005, {env[0]}));
  CheckOptions options;
  options.group_by_owner = false;
  const CheckResult result = Check(objects, {}, options);
  ASSERT_THAT(RuleIds(result),
              ElementsAre("service-after-start", "service-after-start",
                          "service-after-start", "service-after-start"));
  const std::vector<std::string> messages = Messages(result);
  for (int early : {0, 1}) {
    EXPECT_THAT(messages[early],
                AllOf(HasSubstr("$(CACHE_SERVICE_HOST) in env CACHE, "
                                "$(SEARCH_SERVICE_HOST) in env SEARCH stayed "
                                "literal"),
                      Not(HasSubstr("DB_SERVICE_HOST"))));
  }
  EXPECT_THAT(messages[2],
              AllOf(HasSubstr("$(SEARCH_SERVICE_HOST) in env SEARCH stayed "
                              "literal"),
                    Not(HasSubstr("$(CACHE_SERVICE_HOST)"))));
  // Late Services it does not reference: missing variables, nothing literal.
  EXPECT_THAT(messages[3], AllOf(HasSubstr("missing from it"),
                                 Not(HasSubstr("literal"))));
}

TEST(Check, RefusedContainerIsAFindingAndTheRestStillRuns) {
  Objects objects;
  Pod pod = MakeDeployment("shop", "web", 0);
  EnvFromSource from;
  from.config_map_ref = EnvFromReference{"absent", false};
  pod.containers[0].env_from.push_back(from);
  pod.containers[0].env.push_back({"CACHE", "$(CACHE_SERVICE_HOST)", {}, 12});
  objects.pods.push_back(pod);
  objects.services.push_back(MakeService("shop", "cache", 6379, 1));
  const CheckResult result = Check(objects, {}, {});
  EXPECT_THAT(RuleIds(result),
              ElementsAre("container-refused", "service-after-workload"));
  EXPECT_THAT(result.findings[0].message, HasSubstr("absent"));
}

// Secrets that could not be read (live mode, `get secrets` Forbidden): a
// reference to one is not known to be missing, so it is no refusal, and
// nothing that would follow from its absence is reported either.
TEST(Check, UnreadableSecretsAreNoRefusalAndNoPremise) {
  Objects objects;
  Pod pod = MakeDeployment("shop", "web", 0);
  EnvVar token{"TOKEN", "", EnvVarSource(), 10};
  token.value_from->secret_key_ref = KeySelector{"vault", "token", false};
  pod.containers[0].env.push_back(token);
  // Would stay literal if TOKEN were absent.
  pod.containers[0].env.push_back({"AUTH", "Bearer $(TOKEN)", {}, 11});
  EnvFromSource from;
  from.secret_ref = EnvFromReference{"app-secrets", false};
  pod.containers[0].env_from.push_back(from);
  // Might be a key of app-secrets: unknown, not unresolved.
  pod.containers[0].env.push_back({"DSN", "$(DATABASE_URL)", {}, 12});
  objects.pods.push_back(pod);

  EXPECT_THAT(RuleIds(Check(objects, {}, {})),
              ElementsAre("container-refused"));
  CheckOptions options;
  options.secrets_unknown = true;
  EXPECT_THAT(RuleIds(Check(objects, {}, options)), IsEmpty());

  // A ConfigMap is still known to be missing: refused, naming it, not the
  // Secret.
  EnvFromSource config;
  config.config_map_ref = EnvFromReference{"absent", false};
  objects.pods[0].containers[0].env_from.push_back(config);
  const CheckResult result = Check(objects, {}, options);
  ASSERT_THAT(RuleIds(result), ElementsAre("container-refused"));
  EXPECT_THAT(result.findings[0].message, HasSubstr("absent"));
  EXPECT_THAT(result.findings[0].message, Not(HasSubstr("vault")));
  options.config_maps_unknown = true;
  EXPECT_THAT(RuleIds(Check(objects, {}, options)), IsEmpty());
}

// What does not rest on the unreadable Secret is still found: a running
// container that references a Service created after it started.
TEST(Check, UnreadableSecretsKeepTheOtherFindingsOfTheContainer) {
  Objects objects;
  Pod pod = MakeDeployment("shop", "web-1", 0);
  pod.workload_kind = "Pod";
  pod.meta.creation_timestamp = At(1000, "t1000");
  pod.container_statuses.push_back(
      {"app", "running", At(1005, "t1005"), std::nullopt, std::nullopt});
  EnvVar token{"TOKEN", "", EnvVarSource(), 10};
  token.value_from->secret_key_ref = KeySelector{"vault", "token", false};
  pod.containers[0].env.push_back(token);
  pod.containers[0].env.push_back({"CACHE", "$(CACHE_SERVICE_HOST)", {}, 11});
  objects.pods.push_back(pod);
  Service late = MakeService("shop", "cache", 11211, 1, "10.96.4.4");
  late.meta.creation_timestamp = At(2000, "t2000");
  objects.services = {late};
  CheckOptions options;
  options.secrets_unknown = true;
  const CheckResult result = Check(objects, {}, options);
  ASSERT_THAT(RuleIds(result), ElementsAre("service-after-start"));
  EXPECT_THAT(result.findings[0].message, HasSubstr("CACHE"));
}

TEST(Check, OneStringOverMaxArgStrlenIsAnError) {
  Objects objects;
  Pod pod = MakeDeployment("shop", "web", 0);
  // 131,067 bytes of value plus "BLOB=" and the NUL: one byte over the
  // limit, as in cloudfoundry/garden-runc-release#160.
  pod.containers[0].env.push_back({"BLOB", std::string(131067, 'x'), {}, 8});
  objects.pods.push_back(pod);
  const CheckResult result = Check(objects, {}, {});
  ASSERT_THAT(RuleIds(result), ElementsAre("environment-size"));
  EXPECT_EQ(result.findings[0].severity, Severity::kError);
  EXPECT_EQ(result.findings[0].variable, "BLOB");
  EXPECT_THAT(result.findings[0].message, HasSubstr("131,073 bytes"));

  // One byte shorter fits, but is above half the limit: a warning.
  objects.pods[0].containers[0].env[0].value.pop_back();
  const CheckResult fits = Check(objects, {}, {});
  ASSERT_THAT(RuleIds(fits), ElementsAre("environment-size"));
  EXPECT_EQ(fits.findings[0].severity, Severity::kWarning);
}

// The byte count environment-size reports, from its message.
int64_t ReportedBytes(const Finding& f) {
  const size_t at = f.message.find(" take ");
  EXPECT_NE(at, std::string::npos) << f.message;
  std::string digits;
  for (size_t i = at + 6; i < f.message.size() && f.message[i] != ' '; ++i) {
    if (f.message[i] != ',') digits += f.message[i];
  }
  return std::stoll(digits);
}

// The size counts what the container execs with: its own variables and the
// Service variables it does not hide, each `NAME=value` with its NUL and a
// pointer, and one argv pointer.
TEST(Check, SizeCountsTheServiceVariablesTheContainerDoesNotHide) {
  Objects objects;
  objects.services.push_back(MakeService("shop", "db", 5432, 0, "10.96.3.3"));
  objects.services.push_back(MakeService(
      "shop", "a-rather-long-service-name", 8080, 1, "10.96.4.4"));
  Pod pod = MakeDeployment("shop", "web", 2);
  objects.pods.push_back(pod);
  // Hides the longest Service variable with a short value of its own.
  Pod hides_longest = pod;
  hides_longest.containers[0].env.push_back(
      {"A_RATHER_LONG_SERVICE_NAME_PORT_8080_TCP", "x", {}, 8});
  hides_longest.workload_name = "hides-longest";
  objects.pods.push_back(hides_longest);
  // Hides another one with a longer value.
  pod.containers[0].env.push_back({"DB_PORT", "postgres://db:5432", {}, 8});
  pod.workload_name = "hides-other";
  objects.pods.push_back(pod);
  CheckOptions options;
  options.size_warning_ratio = 0.0001;
  options.group_by_owner = false;
  CheckResult result = Check(objects, {}, options);
  // Leaves out the hiding's own finding (known-variable-overwrite's kin).
  std::vector<Finding> sizes;
  for (Finding& f : result.findings) {
    if (f.rule_id == "environment-size") sizes.push_back(std::move(f));
  }
  result.findings = std::move(sizes);
  ASSERT_EQ(result.findings.size(), 6u)
      << ::testing::PrintToString(Messages(result));
  for (const Pod& p : objects.pods) {
    // The environment the kubelet gives the container, as `env` prints it.
    std::vector<const Service*> services;
    for (const Service& s : objects.services) services.push_back(&s);
    Service master;
    master.meta.namespace_name = "default";
    master.meta.name = "kubernetes";
    master.cluster_ip = "10.96.0.1";
    master.ports.push_back({"https", 443, "TCP"});
    services.push_back(&master);
    absl::StatusOr<ContainerEnvironment> env = ComputeContainerEnvironment(
        p, p.containers[0],
        BuildServiceEnvironment(VisibleServices(services, "shop", true)),
        objects, {});
    ASSERT_TRUE(env.ok()) << env.status();
    int64_t bytes = 8;  // argv's one pointer.
    size_t longest = 0;
    std::string longest_name;
    for (const EnvEntry& e : env->env) {
      bytes += e.name.size() + 1 + e.value.size() + 1 + 8;
      if (e.name.size() + 1 + e.value.size() + 1 > longest) {
        longest = e.name.size() + 1 + e.value.size() + 1;
        longest_name = e.name;
      }
    }
    std::vector<const Finding*> mine;
    for (const Finding& f : result.findings) {
      if (f.workload_name == p.workload_name) mine.push_back(&f);
    }
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(ReportedBytes(*mine[0]), bytes) << mine[0]->message;
    EXPECT_THAT(mine[0]->message,
                HasSubstr(absl::StrCat(" in ", env->env.size(), " strings")));
    EXPECT_EQ(mine[1]->variable, longest_name);
  }
  // The longest string is another one once the longest is hidden.
  EXPECT_NE(result.findings[1].variable, result.findings[3].variable);
  EXPECT_EQ(result.findings[1].variable, result.findings[5].variable);
}

TEST(Check, HeadroomCountsServicesOfTheAverageNameLength) {
  Objects objects;
  for (int i = 0; i < 3; ++i) {
    objects.services.push_back(
        MakeService("shop", "svc-" + std::to_string(i), 80, i));
  }
  objects.pods.push_back(MakeDeployment("shop", "web", 3));
  CheckOptions options;
  options.arg_max = 4096;
  options.size_warning_ratio = 0.1;
  const CheckResult result = Check(objects, {}, options);
  ASSERT_THAT(RuleIds(result), ElementsAre("environment-size"));
  EXPECT_THAT(result.findings[0].message,
              HasSubstr("with names of 5 characters"));
}

// --- Precision: real-world shapes that used to be false positives. ---

std::vector<std::string> Variables(const CheckResult& result) {
  std::vector<std::string> out;
  for (const Finding& f : result.findings) out.push_back(f.variable);
  return out;
}

TEST(Precision, ShellSyntaxInAShellScriptIsNotAReference) {
  Objects objects;
  Pod pod = MakeDeployment("db", "mysql", 0);
  Container& c = pod.containers[0];
  c.command = {"bash", "-c"};
  c.args = {
      "echo server-id=$((100 + $ordinal)); peer=mysql-$(($ordinal-1));\n"
      "q=\"$(<change_master_to.sql.in)\"; for i in $(seq 1 $MAX); do\n"
      "wget http://${FRONTEND_ADDR} 2>&1 | awk '{print $2}'; done\n"
      "start --host=$(hostname -f) --name=$(hostname) --at=$(date)"};
  objects.pods.push_back(pod);
  EXPECT_THAT(RuleIds(Check(objects, {}, {})), IsEmpty());
}

TEST(Precision, VariableShapedNamesInAShellScriptStillCount) {
  Objects objects;
  Pod pod = MakeDeployment("db", "app", 0);
  Container& c = pod.containers[0];
  // `-ec` after `/bin/sh`: the next argument is the script.
  c.command = {"/bin/sh", "-ec", "exec app --db=$(DB_URL) --cache=$(hostname)"};
  objects.pods.push_back(pod);
  const CheckResult result = Check(objects, {}, {});
  ASSERT_THAT(RuleIds(result), ElementsAre("unresolved-reference"));
  EXPECT_EQ(result.findings[0].variable, "DB_URL");
  // The fix text is built from the name only, never from script text.
  EXPECT_EQ(result.findings[0].hint,
            "define DB_URL, or write $$(DB_URL) for a literal $(DB_URL)");
}

TEST(Precision, OutsideAShellEveryNameShapedReferenceCounts) {
  Objects objects;
  Pod pod = MakeDeployment("db", "app", 0);
  // No shell: `$(hostname)` reaches the program literally.
  pod.containers[0].args = {"--host=$(hostname)", "--expr=$(seq 1 3)"};
  objects.pods.push_back(pod);
  const CheckResult result = Check(objects, {}, {});
  // `seq 1 3` is not a name: never a variable reference.
  ASSERT_THAT(RuleIds(result), ElementsAre("unresolved-reference"));
  EXPECT_EQ(result.findings[0].variable, "hostname");
}

TEST(Precision, ServiceShapedReferenceInAShellScriptIsStillChecked) {
  Objects objects;
  Pod pod = MakeDeployment("shop", "web", 0);
  pod.containers[0].command = {"sh", "-c", "curl http://$(API_SERVICE_HOST)"};
  objects.pods.push_back(pod);
  const CheckResult result = Check(objects, {}, {});
  ASSERT_THAT(RuleIds(result), ElementsAre("unfilled-service-reference"));
  EXPECT_THAT(result.findings[0].message, HasSubstr("no Service \"api\""));
}

Pod WithImage(Pod pod, const std::string& image) {
  pod.containers[0].image = image;
  return pod;
}

TEST(Precision, DeclaredPortOnlyCountsForTheSameImageOrAReader) {
  Objects objects;
  objects.services.push_back(MakeService("shop", "shipping", 8080, 0));
  Pod shipping =
      WithImage(MakeDeployment("shop", "shipping", 1), "demo:1.0-shipping");
  shipping.containers[0].env.push_back({"SHIPPING_PORT", "8080", {}, 20});
  objects.pods.push_back(shipping);
  // Another app of the namespace: it gets SHIPPING_PORT=tcp://... but
  // nothing says it reads it.
  objects.pods.push_back(
      WithImage(MakeDeployment("shop", "jaeger", 2), "jaegertracing/all"));
  EXPECT_THAT(RuleIds(Check(objects, {}, {})),
              ElementsAre("declared-shadows-service"));
  // The same image without the declaration reads it.
  objects.pods.push_back(
      WithImage(MakeDeployment("shop", "shipping-canary", 3),
                "demo:1.0-shipping"));
  // A container that reads it itself in a script.
  Pod reader = WithImage(MakeDeployment("shop", "probe", 4), "busybox");
  reader.containers[0].command = {"sh", "-c", "nc -z shipping ${SHIPPING_PORT}"};
  objects.pods.push_back(reader);
  const CheckResult result = Check(objects, {}, {});
  std::vector<std::string> who;
  for (const Finding& f : result.findings) {
    if (f.rule_id == "known-variable-overwrite") who.push_back(f.workload_name);
  }
  EXPECT_THAT(who, ElementsAre("shipping-canary", "probe"));
}

TEST(Precision, CatalogueEntriesNeedAMatchingImageOrAReader) {
  Objects objects;
  objects.services.push_back(MakeService("data", "kafka", 9092, 0));
  objects.pods.push_back(
      WithImage(MakeDeployment("data", "shell", 1), "busybox:1.36"));
  EXPECT_THAT(RuleIds(Check(objects, {}, {})), IsEmpty());
  objects.pods.push_back(WithImage(MakeDeployment("data", "broker", 2),
                                   "confluentinc/cp-kafka:7.6.0"));
  const CheckResult result = Check(objects, {}, {});
  ASSERT_THAT(RuleIds(result), ElementsAre("known-variable-overwrite"));
  EXPECT_EQ(result.findings[0].workload_name, "broker");
  EXPECT_THAT(result.findings[0].message,
              HasSubstr("matches *confluentinc/cp-kafka*"));
}

TEST(Precision, ServicePortConventionNeedsTheImpliedService) {
  Objects objects;
  objects.services.push_back(MakeService("shop", "minio-service", 9000, 0));
  objects.pods.push_back(MakeDeployment("shop", "minio", 1));
  // No Service `minio`: nobody reads MINIO_SERVICE_PORT as its port.
  EXPECT_THAT(RuleIds(Check(objects, {}, {})), IsEmpty());
  // A headless `minio` never provided MINIO_SERVICE_PORT either.
  Service headless = MakeService("shop", "minio", 9000, 2, "None");
  objects.services.push_back(headless);
  EXPECT_THAT(RuleIds(Check(objects, {}, {})), IsEmpty());
  // A container that reads it itself does: through a shell script it is a
  // known variable overwritten...
  Objects reading;
  reading.services.push_back(MakeService("shop", "minio-service", 9000, 0));
  Pod pod = MakeDeployment("shop", "client", 1);
  pod.containers[0].command = {"sh", "-c", "exec minio --port $MINIO_SERVICE_PORT"};
  reading.pods.push_back(pod);
  const CheckResult result = Check(reading, {}, {});
  ASSERT_THAT(RuleIds(result), ElementsAre("known-variable-overwrite"));
  EXPECT_THAT(Variables(result), ElementsAre("MINIO_SERVICE_PORT"));
  EXPECT_THAT(result.findings[0].message,
              HasSubstr("this container reads it itself"));
  // ... and expanded by the kubelet into an argument, the URL is certain:
  // service-url-in-value, not the overwrite again.
  reading.pods[0].containers[0].command = {};
  reading.pods[0].containers[0].args = {"--port=$(MINIO_SERVICE_PORT)"};
  const CheckResult expanded = Check(reading, {}, {});
  ASSERT_THAT(RuleIds(expanded), ElementsAre("service-url-in-value"));
  EXPECT_THAT(Variables(expanded), ElementsAre("MINIO_SERVICE_PORT"));
  EXPECT_THAT(expanded.findings[0].message,
              HasSubstr("--port=$(MINIO_SERVICE_PORT) becomes --port=tcp://"));
  EXPECT_EQ(expanded.findings[0].severity, Severity::kError);
}

TEST(Config, ParsesEveryKeyAndAppliesIt) {
  SVCENV_ASSERT_OK_AND_ASSIGN(
      CheckConfig config,
      ParseCheckConfig("disable: [service-clash, environment-size]\n"
                       "enable: [environment-size]\n"
                       "catalogue:\n"
                       "- pattern: ORDERS_PORT\n"
                       "  images: [\"example/orders*\"]\n"
                       "  note: orders reads it\n"
                       "ignore:\n"
                       "- rule: \"*\"\n"
                       "  namespace: legacy\n"
                       "  reason: frozen\n",
                       ".svcenv.yaml"));
  CheckOptions options;
  ApplyCheckConfig(config, ".svcenv.yaml", &options);
  EXPECT_THAT(options.disabled_rules, ElementsAre("service-clash"));
  ASSERT_EQ(options.extra_catalogue.size(), 1u);
  EXPECT_THAT(options.extra_catalogue[0].images, ElementsAre("example/orders*"));
  EXPECT_EQ(options.extra_catalogue[0].note, "orders reads it");
  ASSERT_EQ(options.ignores.size(), 1u);
  EXPECT_EQ(options.ignores[0].namespace_name, "legacy");
  // An ignore rule suppresses, citing its reason; the count excludes it.
  Objects objects;
  Pod pod = MakeDeployment("legacy", "app", 0);
  pod.containers[0].args = {"$(NOPE)"};
  objects.pods.push_back(pod);
  const CheckResult result = Check(objects, {}, options);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].suppression, SuppressionKind::kConfig);
  EXPECT_EQ(result.findings[0].suppression_reason, "frozen");
  EXPECT_EQ(result.CountAtLeast(Severity::kInfo), 0);
}

TEST(Config, RejectsUnknownKeysRulesAndBadYamlNamingTheFile) {
  EXPECT_THAT(ParseCheckConfig("disabel: [x]\n", "c.yaml").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("c.yaml: disabel: unknown key")));
  EXPECT_THAT(ParseCheckConfig("disable: [no-such-rule]\n", "c.yaml").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown rule \"no-such-rule\"")));
  EXPECT_THAT(ParseCheckConfig("ignore:\n- namespace: x\n", "c.yaml").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("c.yaml: ignore[0]: rule is required")));
  EXPECT_THAT(ParseCheckConfig("disable: [a\n", "c.yaml").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("c.yaml: not valid YAML")));
  EXPECT_THAT(ParseCheckConfig("", "c.yaml"), IsOk());
}

TEST(Suppress, ServiceAnnotationNeedsEveryNamedService) {
  Objects objects;
  objects.pods.push_back(MakeDeployment("shop", "web", 0));
  Service a = MakeService("shop", "a", 80, 1);
  a.meta.annotations[kIgnoreAnnotation] = "service-after-workload";
  objects.services.push_back(a);
  const CheckResult one = Check(objects, {}, {});
  ASSERT_EQ(one.findings.size(), 1u);
  EXPECT_EQ(one.findings[0].suppression, SuppressionKind::kAnnotation);
  EXPECT_THAT(one.findings[0].suppression_reason,
              HasSubstr("svcenv.io/ignore on Service shop/a"));
  // A second late Service without the annotation: the finding stays.
  objects.services.push_back(MakeService("shop", "b", 80, 2));
  const CheckResult two = Check(objects, {}, {});
  ASSERT_EQ(two.findings.size(), 1u);
  EXPECT_EQ(two.findings[0].suppression, SuppressionKind::kNone);
  // On the workload's own metadata, `*` covers every rule.
  objects.pods[0].workload_annotations[kIgnoreAnnotation] = "*";
  EXPECT_EQ(Check(objects, {}, {}).findings[0].suppression,
            SuppressionKind::kAnnotation);
}

TEST(Report, TextIsOneLinePerFindingThenASummary) {
  CheckResult result;
  result.workloads = 1;
  result.containers = 1;
  result.services = 2;
  Finding f;
  f.rule_id = "service-clash";
  f.severity = Severity::kWarning;
  f.message = "X is produced by several Services";
  f.hint = "rename one";
  f.origin.file = "a.yaml";
  f.origin.line = 7;
  f.workload_kind = "Deployment";
  f.namespace_name = "shop";
  f.workload_name = "web";
  f.container = "app";
  result.findings.push_back(f);
  EXPECT_EQ(RenderCheckText(result),
            "a.yaml:7: warning service-clash: Deployment shop/web, container "
            "app: X is produced by several Services (fix: rename one)\n"
            "1 finding (0 errors, 1 warning, 0 info) in 1 container of 1 "
            "workload, 2 Services\n");
  nlohmann::json sarif =
      nlohmann::json::parse(RenderCheckSarif(result, "0.1"), nullptr, false);
  ASSERT_FALSE(sarif.is_discarded());
  EXPECT_EQ(sarif["runs"][0]["results"][0]["level"], "warning");
  EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["version"], "0.1");
  nlohmann::json json = nlohmann::json::parse(
      RenderCheckJson(result, Severity::kWarning, false), nullptr, false);
  EXPECT_EQ(json["summary"]["failed"], true);
  EXPECT_EQ(json["findings"][0]["location"]["line"], 7);
}

}  // namespace
}  // namespace svcenv
