// What `svcenv check` (and `env`) make of inputs as CI has them: Secrets and
// ConfigMaps kept outside git, sources (kustomize, Helm) instead of renders,
// repositories walked with -R, and the report switches (-o yaml,
// --severity, --quiet, --wide). Through the CLI entry point, on
// testdata/check/inputs/.
#include <sstream>
#include <string>
#include <vector>

#include "lib/internal/testing.h"
#include "tools/cli.h"

namespace svcenv::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kDir[] = "testdata/check/inputs/";

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result Svcenv(const std::vector<std::string>& args) {
  std::istringstream in;
  std::ostringstream out, err;
  Io io{in, out, err};
  io.stdin_is_terminal = false;
  const int code = ::svcenv::cli::Run(args, io);
  return {code, out.str(), err.str()};
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
