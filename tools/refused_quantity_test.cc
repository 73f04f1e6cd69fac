// A quantity the API server refuses at decoding (`limits.cpu: lots`, a bad
// divisor) is unreadable input, as `port: "http"` is: exit 2 from every
// command, nothing on stdout, a message naming file, item and field, whether
// or not a variable reads it. It is not a kubelet refusal: no kubelet ever
// sees such an object (`kubectl apply` fails with BadRequest).
#include <sstream>
#include <string>
#include <vector>

#include "lib/base/testing.h"
#include "tools/cli.h"
#include "tools/cli_testing.h"

namespace svcenv::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kDir[] = "testdata/env/bad-quantity/";
constexpr char kRegex[] =
    "must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (the API server refuses "
    "the object)";

std::string Path(const std::string& name) { return kDir + name; }

// The input: `limits.cpu: "lots"` read by `resourceFieldRef`.
TEST(RefusedQuantity, ReferencedLimitIsUnreadableInputForEveryCommand) {
  const std::string file = Path("x.json");
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"env", "p", "-n", "ns", "-f", file},
           {"env", "p", "-n", "ns", "-f", file, "-o", "json"},
           {"why", "p", "C", "-n", "ns", "-f", file},
           {"diff", "p", "-n", "ns", "-f", file, "--actual", file},
           {"services", "-n", "ns", "-f", file},
           {"check", "-f", file},
           {"check", "-f", file, "-o", "json"}}) {
    const Result r = RunCli(args);
    EXPECT_EQ(r.code, kExitUsage) << args[0] << ": " << r.err;
    EXPECT_THAT(r.out, IsEmpty()) << args[0];
    EXPECT_THAT(r.err, HasSubstr(file + ": document 1: Pod ns/p: "
                                        "spec.containers[0].resources."
                                        "limits[cpu]: quantity \"lots\": "))
        << args[0];
    EXPECT_THAT(r.err, HasSubstr(kRegex)) << args[0];
    // Not the kubelet's refusal, nor check's container-refused finding.
    EXPECT_THAT(r.err, Not(HasSubstr("CreateContainerConfigError")));
    EXPECT_THAT(r.err, Not(HasSubstr("container-refused")));
  }
}

TEST(RefusedQuantity, BadDivisorNamesItsLine) {
  const Result r = RunCli({"env", "p", "-n", "ns", "-f", Path("divisor.yaml")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err,
              HasSubstr("divisor.yaml: document 1 (line 12): Pod ns/p: "
                        "spec.containers[0].env[0].valueFrom.resourceFieldRef."
                        "divisor: quantity \"1 core\": "));
}

// No variable reads it, and it sits in a List item of a workload: the apply
// still fails, so no command may go on as if the object existed.
TEST(RefusedQuantity, UnreferencedLimitInAListItem) {
  for (const char* command : {"env", "check", "services"}) {
    std::vector<std::string> args = {command, "-f", Path("unreferenced.yaml")};
    if (std::string(command) == "services") args = {command, "-n", "ns", "-f",
                                                    Path("unreferenced.yaml")};
    const Result r = RunCli(args);
    EXPECT_EQ(r.code, kExitUsage) << command;
    EXPECT_THAT(r.out, IsEmpty()) << command;
    EXPECT_THAT(r.err,
                HasSubstr("unreferenced.yaml: document 1, item 2 (line 21): "
                          "Deployment ns/web: spec.template.spec.containers[0]."
                          "resources.requests[memory]: quantity \"12XB\": "))
        << command;
  }
}

// What the API takes stays readable: spaces around a quantity, `+.5Gi`, and
// `1e40`, beyond svcenv's exact range but only a problem where it is used.
TEST(RefusedQuantity, QuantitiesTheApiTakesAreRead) {
  const Result r = RunCli({"env", "p", "-n", "ns", "-f", Path("in-range.yaml")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("CPU=250\n"));
}

}  // namespace
}  // namespace svcenv::cli
