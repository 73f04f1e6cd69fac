#include "lib/base/suggest.h"

#include <string>
#include <vector>

#include "lib/base/testing.h"

namespace svcenv {
namespace {

const std::vector<std::string> kFields = {"env", "envFrom", "valueFrom",
                                          "configMapKeyRef", "secretKeyRef"};

TEST(ClosestMatch, EachKindOfEditIgnoringCase) {
  EXPECT_EQ(ClosestMatch("valuefrom", kFields), "valueFrom");     // Case.
  EXPECT_EQ(ClosestMatch("vaulFrom", kFields), "valueFrom");      // Swap.
  EXPECT_EQ(ClosestMatch("envFrm", kFields), "envFrom");          // Deletion.
  EXPECT_EQ(ClosestMatch("secretKeyReff", kFields), "secretKeyRef");
  EXPECT_EQ(ClosestMatch("configMapKeyRaf", kFields), "configMapKeyRef");
}

// How far a typo may go grows with the word: 1 edit up to 4 letters, 2 up
// to 8, 3 beyond; anything farther is not offered.
TEST(ClosestMatch, OnlyLikelyTypos) {
  EXPECT_EQ(ClosestMatch("evn", kFields), "env");
  EXPECT_EQ(ClosestMatch("xyz", kFields), "");
  EXPECT_EQ(ClosestMatch("enFom", kFields), "envFrom");       // 2 edits, 5.
  EXPECT_EQ(ClosestMatch("vlFrom", kFields), "");            // 3 edits, 6.
  EXPECT_EQ(ClosestMatch("scrtKyRf", kFields), "");          // 4 edits.
  EXPECT_EQ(ClosestMatch("", kFields), "");
  EXPECT_EQ(ClosestMatch(std::string(200, 'e'), kFields), "");
  EXPECT_EQ(ClosestMatch("env", {}), "");
}

TEST(ClosestMatch, TheNearestOfSeveralFirstOnATie) {
  EXPECT_EQ(ClosestMatch("web-22", {"web-1", "web-22x", "web-3"}), "web-22x");
  EXPECT_EQ(ClosestMatch("web-4", {"web-1", "web-3"}), "web-1");
}

TEST(DidYouMean, WordsOrNothing) {
  EXPECT_EQ(DidYouMean("envfrom", kFields), " (did you mean \"envFrom\"?)");
  EXPECT_EQ(DidYouMean("nothing", kFields), "");
}

}  // namespace
}  // namespace svcenv
