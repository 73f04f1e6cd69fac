#include "svcenv/env_diff.h"

#include <string>
#include <vector>

#include "lib/base/testing.h"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(ParseEnvListing, LinesContinueValuesWithNewlines) {
  SVCENV_ASSERT_OK_AND_ASSIGN(
      std::vector<ObservedVariable> vars,
      ParseEnvListing("A=1\nB=two\nlines\nC=x=y\nA=3\n"));
  ASSERT_EQ(vars.size(), 3u);
  EXPECT_EQ(vars[0].name, "A");
  EXPECT_EQ(vars[0].value, "3");  // A later duplicate wins.
  EXPECT_EQ(vars[1].value, "two\nlines");
  EXPECT_EQ(vars[2].value, "x=y");
  EXPECT_FALSE(ParseEnvListing("no equals sign\n").ok());
}

TEST(ParseEnvListing, NulSeparatedKeepsValuesExactly) {
  SVCENV_ASSERT_OK_AND_ASSIGN(
      std::vector<ObservedVariable> vars,
      ParseEnvListing(std::string("A=x\nB=y\0C=\0", 12)));
  ASSERT_EQ(vars.size(), 2u);
  EXPECT_EQ(vars[0].value, "x\nB=y");
  EXPECT_EQ(vars[1].name, "C");
  EXPECT_EQ(vars[1].value, "");
}

EnvEntry Entry(std::string name, std::string value, SourceKind kind) {
  EnvEntry e;
  e.name = std::move(name);
  e.value = std::move(value);
  e.source.kind = kind;
  return e;
}

TEST(DiffEnvironment, ClassifiesEveryDifference) {
  Service late;
  late.meta.namespace_name = "shop";
  late.meta.name = "search";
  late.meta.creation_timestamp = Timestamp{"2026-03-02T00:00:00Z", 200};
  Service old = late;
  old.meta.name = "redis";
  old.meta.creation_timestamp = Timestamp{"2026-03-01T00:00:00Z", 50};

  ContainerEnvironment env;
  env.env.push_back(Entry("SEARCH_SERVICE_HOST", "10.0.0.9",
                          SourceKind::kService));
  env.env.back().source.service = &late;
  env.env.push_back(Entry("REDIS_SERVICE_HOST", "10.0.0.7",
                          SourceKind::kService));
  env.env.back().source.service = &old;
  env.env.push_back(Entry("MODE", "fast", SourceKind::kConfigMapKeyRef));
  env.env.back().source.object_namespace = "shop";
  env.env.back().source.object_name = "app";
  env.env.back().source.key = "mode";
  env.env.push_back(Entry("URL", "redis://10.0.0.7", SourceKind::kLiteral));
  env.env.back().expanded_references = {"REDIS_SERVICE_HOST"};
  env.env.push_back(Entry("LEVEL", "info", SourceKind::kLiteral));
  env.env.push_back(Entry("SAME", "1", SourceKind::kLiteral));

  ContainerStart start;
  start.kind = ContainerStart::Kind::kRunning;
  start.at = Timestamp{"2026-03-01T12:00:00Z", 100};

  const std::vector<ObservedVariable> actual = {
      {"REDIS_SERVICE_HOST", "10.0.0.3"}, {"MODE", "slow"},
      {"URL", "redis://10.0.0.3"},        {"LEVEL", "debug"},
      {"SAME", "1"},                      {"HOSTNAME", "web-1"},
      {"NGINX_VERSION", "1.25"},          {"OLD_SERVICE_PORT", "80"},
  };
  const EnvDiff diff = DiffEnvironment(env, actual, start);
  EXPECT_EQ(diff.identical, 1u);
  std::vector<std::string> got;
  for (const EnvDifference& d : diff.differences) {
    got.push_back(absl::StrCat(d.name, " ", DifferenceKindName(d.kind), " ",
                               DifferenceCauseName(d.cause), " ",
                               d.explained ? "explained" : "unexplained"));
  }
  EXPECT_THAT(
      got,
      ElementsAre(
          "SEARCH_SERVICE_HOST missing ServiceCreatedAfterStart explained",
          "REDIS_SERVICE_HOST changed ServiceChangedAfterStart explained",
          "MODE changed SourceChangedAfterStart explained",
          "URL changed ExpandsChanged explained",
          "LEVEL changed Unexplained unexplained",
          "HOSTNAME extra RuntimeVariable explained",
          "NGINX_VERSION extra NotFromKubernetes explained",
          "OLD_SERVICE_PORT extra ServiceDeletedAfterStart explained"));
  EXPECT_FALSE(diff.AllExplained());
  EXPECT_THAT(diff.differences[0].explanation,
              HasSubstr("Service shop/search (created 2026-03-02T00:00:00Z) "
                        "is newer than the container (started "
                        "2026-03-01T12:00:00Z)"));
}

// A manifest pod has no start time and its Services no creationTimestamp:
// a missing Service variable is not said to have "existed when the
// container started".
TEST(DiffEnvironment, MissingServiceVariableWithoutTimesClaimsNoTime) {
  Service manifest;
  manifest.meta.namespace_name = "shop";
  manifest.meta.name = "redis";
  ContainerEnvironment env;
  env.env.push_back(Entry("REDIS_SERVICE_HOST", "10.0.0.7",
                          SourceKind::kService));
  env.env.back().source.service = &manifest;
  const ContainerStart start;  // Nothing says when it started.
  const EnvDiff diff = DiffEnvironment(env, {}, start);
  ASSERT_EQ(diff.differences.size(), 1u);
  EXPECT_FALSE(diff.differences[0].explained);
  EXPECT_THAT(diff.differences[0].explanation,
              HasSubstr("without a creationTimestamp, so svcenv cannot tell "
                        "whether it existed when the container started"));
  EXPECT_THAT(diff.differences[0].explanation,
              Not(HasSubstr("by its creationTimestamp")));
}

}  // namespace
}  // namespace svcenv
