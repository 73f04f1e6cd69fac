#include "tools/command.h"

#include <sstream>
#include <string>
#include <vector>

#include "lib/base/testing.h"

namespace svcenv::cli {
namespace {

using ::testing::HasSubstr;

const std::vector<FlagSpec> kSpecs = {
    {"filename", 'f', true, "FILE", "Input."},
    HelpFlag(),
};

constexpr char kHelp[] = "Usage: svcenv demo -f FILE\n\n";

TEST(RunWithFlags, HelpPrintsTextAndOptionsWithoutRunning) {
  for (const char* help : {"--help", "-h"}) {
    std::ostringstream out;
    bool ran = false;
    EXPECT_THAT(RunWithFlags({"-f", "a.yaml", help}, kSpecs, kHelp, out,
                             [&](const ParsedFlags&) {
                               ran = true;
                               return absl::OkStatus();
                             }),
                IsOk());
    EXPECT_FALSE(ran) << help;
    EXPECT_EQ(out.str(), std::string(kHelp) + FlagsHelp(kSpecs)) << help;
  }
}

TEST(RunWithFlags, BadUsageIsInvalidArgumentBeforeRunning) {
  std::ostringstream out;
  bool ran = false;
  EXPECT_THAT(RunWithFlags({"--flie", "a.yaml"}, kSpecs, kHelp, out,
                           [&](const ParsedFlags&) {
                             ran = true;
                             return absl::OkStatus();
                           }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--flie")));
  EXPECT_FALSE(ran);
  EXPECT_EQ(out.str(), "");
}

TEST(RunWithFlags, RunsTheCommandWithItsFlagsAndReturnsItsStatus) {
  std::ostringstream out;
  std::string file;
  std::vector<std::string> positional;
  EXPECT_THAT(RunWithFlags({"-f", "a.yaml", "pod"}, kSpecs, kHelp, out,
                           [&](const ParsedFlags& flags) {
                             file = flags.Value("filename", "");
                             positional = flags.positional();
                             return absl::FailedPreconditionError("findings");
                           }),
              StatusIs(absl::StatusCode::kFailedPrecondition, "findings"));
  EXPECT_EQ(file, "a.yaml");
  EXPECT_EQ(positional, std::vector<std::string>{"pod"});
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace svcenv::cli
