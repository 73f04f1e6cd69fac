#include "tools/flags.h"

#include <string>
#include <vector>

#include "lib/base/testing.h"

namespace svcenv::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<FlagSpec> kSpecs = {
    {"filename", 'f', true, "FILE", "Input."},
    {"recursive", 'R', false, "", "Recurse."},
    {"null", '0', false, "", "NUL."},
    {"namespace", 'n', true, "NS", "Namespace."},
    {"show-secrets", 0, false, "", "Show secrets."},
};

TEST(ParseFlags, RepeatsShortLongAndInlineForms) {
  SVCENV_ASSERT_OK_AND_ASSIGN(
      ParsedFlags flags,
      ParseFlags({"-f", "a.yaml", "--filename=b.yaml", "-fc.yaml",
                  "--filename", "-", "pod-1", "-n", "shop"},
                 kSpecs));
  EXPECT_THAT(flags.Values("filename"),
              ElementsAre("a.yaml", "b.yaml", "c.yaml", "-"));
  EXPECT_EQ(flags.Value("namespace", "default"), "shop");
  EXPECT_THAT(flags.positional(), ElementsAre("pod-1"));
  EXPECT_FALSE(flags.Has("show-secrets"));
}

TEST(ParseFlags, SwitchesAndDoubleDash) {
  SVCENV_ASSERT_OK_AND_ASSIGN(
      ParsedFlags flags, ParseFlags({"--show-secrets", "--", "-n"}, kSpecs));
  EXPECT_TRUE(flags.Has("show-secrets"));
  EXPECT_EQ(flags.Value("namespace", "default"), "default");
  EXPECT_THAT(flags.positional(), ElementsAre("-n"));
}

TEST(ParseFlags, RejectsUnknownOptionsAndMissingValues) {
  EXPECT_THAT(ParseFlags({"--nope"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown option --nope")));
  EXPECT_THAT(ParseFlags({"-x"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown option -x")));
  EXPECT_THAT(ParseFlags({"-n"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("-n needs a value (NS)")));
  EXPECT_THAT(ParseFlags({"--show-secrets=maybe"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("takes no value")));
}

TEST(ParseFlags, ClustersShortSwitchesAsGetoptDoes) {
  SVCENV_ASSERT_OK_AND_ASSIGN(ParsedFlags flags,
                              ParseFlags({"-Rf", "dir", "-0Rfx.yaml"}, kSpecs));
  EXPECT_TRUE(flags.Has("recursive"));
  EXPECT_TRUE(flags.Has("null"));
  EXPECT_THAT(flags.Values("filename"), ElementsAre("dir", "x.yaml"));
  EXPECT_THAT(flags.positional(), ElementsAre());
  EXPECT_THAT(ParseFlags({"-Rx"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown option -x (in -Rx)")));
  EXPECT_THAT(ParseFlags({"-Rf"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("-f needs a value (FILE)")));
  SVCENV_ASSERT_OK_AND_ASSIGN(flags, ParseFlags({"-R=false"}, kSpecs));
  EXPECT_FALSE(flags.Has("recursive"));
}

TEST(ParseFlags, SuggestsTheLongOptionMeant) {
  EXPECT_THAT(ParseFlags({"--namepsace", "x"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown option --namepsace (did you mean "
                                 "--namespace?)")));
  EXPECT_THAT(ParseFlags({"--show-secret"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("did you mean --show-secrets?")));
  EXPECT_THAT(ParseFlags({"--zzz"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       Not(HasSubstr("did you mean"))));
}

TEST(FlagsHelp, ListsEveryFlagAligned) {
  const std::string help = FlagsHelp(kSpecs);
  EXPECT_THAT(help, HasSubstr("  -f, --filename FILE  Input."));
  EXPECT_THAT(help, HasSubstr("      --show-secrets   Show secrets."));
}

}  // namespace
}  // namespace svcenv::cli
