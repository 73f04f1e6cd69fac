// `svcenv why` on a variable that expands others: each `$(...)` with the
// value it had at that entry and where it came from (a Service and port, a
// Secret key), and the value the running container holds when one of them
// comes from a Service created after the container started, agreeing with
// `env --as-running` and `diff`.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/base/testing.h"
#include "nlohmann/json.hpp"
#include "tools/cli.h"
#include "tools/cli_testing.h"

namespace svcenv::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kDump[] = "testdata/env/why-expansions/dump.yaml";

Result Why(const std::string& name, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"why", "web-abc", name, "-n", "shop", "-f",
                                   kDump};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunCli(args);
}

// The DB_URL: both expansions with their values, the Service and
// its port by name and number.
TEST(WhyExpansions, EachExpansionWithValueAndSource) {
  Result r = Why("DB_URL");
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("DB_URL=postgres://10.96.20.5:5432/app\n"));
  EXPECT_THAT(r.out,
              HasSubstr("  $(DB_SERVICE_HOST) = 10.96.20.5  from Service "
                        "shop/db\n"));
  EXPECT_THAT(r.out,
              HasSubstr("  $(DB_SERVICE_PORT) = 5432  from Service shop/db "
                        "port 5432/TCP (pg)\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("running container")));

  r = Why("DB_URL", {"-o", "json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["expanded"],
            nlohmann::json({"DB_SERVICE_HOST", "DB_SERVICE_PORT"}));
  ASSERT_EQ(doc["expansions"].size(), 2u);
  EXPECT_EQ(doc["expansions"][0]["name"], "DB_SERVICE_HOST");
  EXPECT_EQ(doc["expansions"][0]["value"], "10.96.20.5");
  EXPECT_EQ(doc["expansions"][0]["source"]["kind"], "Service");
  EXPECT_EQ(doc["expansions"][0]["source"]["name"], "db");
  EXPECT_EQ(doc["expansions"][0]["lateService"], false);
  EXPECT_EQ(doc["expansions"][1]["value"], "5432");
  EXPECT_FALSE(doc.contains("runningValue"));
}

// The CACHE_ADDR: Service shop/cache is newer than the container,
// so the running container holds the reference as written.
TEST(WhyExpansions, LateServiceGivesTheRunningValue) {
  Result r = Why("CACHE_ADDR");
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("CACHE_ADDR=10.96.30.7:6379\n"));
  EXPECT_THAT(r.out, HasSubstr("$(CACHE_SERVICE_HOST) = 10.96.30.7  from "
                               "Service shop/cache\n"));
  EXPECT_THAT(r.out,
              HasSubstr("     Service shop/cache (created "
                        "2026-03-02T00:00:00Z) is newer than container app "
                        "(started 2026-03-01T10:00:00Z): the running "
                        "container does not have its variables; a restart "
                        "would add them\n"));
  EXPECT_THAT(r.out, HasSubstr("The running container has "
                               "CACHE_ADDR=$(CACHE_SERVICE_HOST):6379 "));

  r = Why("CACHE_ADDR", {"-o", "json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["runningValue"], "$(CACHE_SERVICE_HOST):6379");
  EXPECT_EQ(doc["expansions"][0]["lateService"], true);

  // `env --as-running` prints that value...
  const Result running = RunCli({"env", "web-abc", "-n", "shop", "-f", kDump,
                                 "--as-running", "--show-secrets"});
  ASSERT_EQ(running.code, kExitOk) << running.err;
  EXPECT_THAT(running.out,
              HasSubstr("\nCACHE_ADDR=$(CACHE_SERVICE_HOST):6379\n"));
  // ... and `diff` against it explains every difference.
  const std::string actual =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/running.env");
  std::ofstream(actual) << running.out;
  const Result diff = RunCli(
      {"diff", "web-abc", "-n", "shop", "-f", kDump, "--actual", actual});
  EXPECT_EQ(diff.code, kExitOk) << diff.out << diff.err;
  EXPECT_THAT(diff.out, HasSubstr("changed  CACHE_ADDR=10.96.30.7:6379, "
                                  "running $(CACHE_SERVICE_HOST):6379"));
  EXPECT_THAT(diff.out, HasSubstr(" 0 unexplained"));
}

// A late Service variable itself: the running container lacks it.
TEST(WhyExpansions, LateServiceVariableIsAbsentWhenRunning) {
  Result r = Why("CACHE_SERVICE_HOST");
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  1. Service shop/cache: 10.96.30.7  <- "
                               "wins\n     Service shop/cache (created "
                               "2026-03-02T00:00:00Z) is newer than container "
                               "app (started 2026-03-01T10:00:00Z)"));
  r = Why("CACHE_SERVICE_HOST", {"-o", "json"});
  EXPECT_EQ(nlohmann::json::parse(r.out)["absentWhenRunning"], true);
}

// Expansions use what was defined before the entry (DB_SERVICE_HOST is set
// again later, by env[4]); a Secret's value stays hidden without
// --show-secrets.
TEST(WhyExpansions, ValuesAsOfTheEntryAndSecretsHidden) {
  Result r = Why("DSN");
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("$(DB_PASSWORD) = <secret shop/db-auth key "
                               "password>  from env[2] Secret shop/db-auth "
                               "key password\n"));
  EXPECT_THAT(r.out, HasSubstr("$(DB_SERVICE_HOST) = 10.96.20.5  from "
                               "Service shop/db\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("hunter2")));
  EXPECT_THAT(r.out, Not(HasSubstr("overridden-later")));
  r = Why("DSN", {"-o", "json"});
  EXPECT_THAT(r.out, Not(HasSubstr("hunter2")));
  r = Why("DSN", {"--show-secrets"});
  EXPECT_THAT(r.out, HasSubstr("$(DB_PASSWORD) = hunter2  from env[2]"));
  EXPECT_THAT(r.out, HasSubstr("DSN=postgres://app:hunter2@10.96.20.5/app\n"));
}

// A Service manifest (no creationTimestamp) beside a running pod: never
// created, so not in the running container, for every command alike.
TEST(WhyExpansions, NeverCreatedServiceAgreesAcrossCommands) {
  const char* file = "testdata/env/why-expansions/manifest-service.yaml";
  const Result why = RunCli({"why", "web-abc", "SEARCH_URL", "-n", "shop",
                             "-f", file, "-o", "json"});
  ASSERT_EQ(why.code, kExitOk) << why.err;
  EXPECT_EQ(nlohmann::json::parse(why.out)["runningValue"],
            "http://$(SEARCH_SERVICE_HOST):9200");
  const Result env = RunCli(
      {"env", "web-abc", "-n", "shop", "-f", file, "--as-running"});
  ASSERT_EQ(env.code, kExitOk) << env.err;
  EXPECT_THAT(env.out, HasSubstr("SEARCH_URL=http://$(SEARCH_SERVICE_HOST):"
                                 "9200\n"));
  EXPECT_THAT(env.out, Not(HasSubstr("SEARCH_SERVICE_HOST=")));
  EXPECT_THAT(env.err, HasSubstr("Service shop/search has no "
                                 "creationTimestamp (a manifest, never "
                                 "created)"));
  const std::string actual =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/search.env");
  std::ofstream(actual) << env.out;
  const Result diff = RunCli(
      {"diff", "web-abc", "-n", "shop", "-f", file, "--actual", actual});
  EXPECT_THAT(diff.out, HasSubstr(" 0 unexplained")) << diff.out;
}

}  // namespace
}  // namespace svcenv::cli

namespace svcenv::cli {
namespace {

// Issue 23's REDIS_URL=redis://$(REDIS_HOST):$(REDIS_PORT) with a Service
// `redis`: `why` says that one input is the Service's Docker-link URL, and
// `check` makes it an error, exit 1 under the default --fail-on error.
TEST(WhyExpansions, ServiceUrlInputIsNamedAndCheckFailsOnIt) {
  constexpr char kRedis[] = "testdata/env/why-expansions/redis-url.yaml";
  const Result why = RunCli(
      {"why", "Deployment/cart", "REDIS_URL", "-c", "cart", "-f", kRedis});
  EXPECT_EQ(why.code, kExitOk) << why.err;
  EXPECT_THAT(why.out, HasSubstr("REDIS_URL=redis://redis:tcp://<cluster "
                                 "IP>:6379\n"));
  EXPECT_THAT(why.out,
              HasSubstr("$(REDIS_PORT) = tcp://<cluster IP>:6379  from "
                        "Service shop/redis port 6379/TCP\n     the Service's "
                        "Docker-link URL, not a port or host: "
                        "$(REDIS_SERVICE_PORT) is its port"));
  const Result json = RunCli({"why", "Deployment/cart", "REDIS_URL", "-c",
                              "cart", "-f", kRedis, "-o", "json"});
  const nlohmann::json doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["expansions"].size(), 2u);
  EXPECT_FALSE(doc["expansions"][0].contains("dockerLinkUrl"));  // env[0].
  EXPECT_EQ(doc["expansions"][1]["dockerLinkUrl"], true);

  const Result check = RunCli({"check", "-f", kRedis});
  EXPECT_EQ(check.code, kExitFindings) << check.err;
  EXPECT_THAT(check.out,
              HasSubstr("error service-url-in-value: Deployment shop/cart, "
                        "container cart: $(REDIS_PORT) in env REDIS_URL is "
                        "the Docker-link URL of Service shop/redis"));
  EXPECT_THAT(check.out, HasSubstr("redis://$(REDIS_HOST):$(REDIS_PORT) "
                                   "becomes redis://$(REDIS_HOST):tcp://"
                                   "<cluster IP>:6379"));
  EXPECT_THAT(check.out, HasSubstr("fix: write $(REDIS_SERVICE_PORT) or 6379"));
  // Once, not again as known-variable-overwrite.
  EXPECT_THAT(check.out, Not(HasSubstr("known-variable-overwrite")));
}

}  // namespace
}  // namespace svcenv::cli
