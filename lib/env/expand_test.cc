#include "svcenv/expand.h"

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "lib/base/testing.h"
#include "nlohmann/json.hpp"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::map<std::string, std::string>& Vars() {
  static const auto* vars = new std::map<std::string, std::string>{
      {"A", "1"}, {"EMPTY", ""}, {"REF", "$(A)"}, {"é", "accent"}};
  return *vars;
}

std::string Expand(const std::string& input) {
  return ExpandReferences(input, Vars());
}

TEST(ExpandReferences, Escapes) {
  EXPECT_EQ(Expand("$$(A)"), "$(A)");
  EXPECT_EQ(Expand("$$$(A)"), "$1");
  EXPECT_EQ(Expand("$$$$"), "$$");
  EXPECT_EQ(Expand("$$"), "$");
}

TEST(ExpandReferences, NonReferencesStayLiteral) {
  EXPECT_EQ(Expand("$(UNDEFINED)"), "$(UNDEFINED)");
  EXPECT_EQ(Expand("abc$("), "abc$(");
  EXPECT_EQ(Expand("abc$"), "abc$");
  EXPECT_EQ(Expand("$FOO"), "$FOO");
  EXPECT_EQ(Expand("$()"), "$()");
  EXPECT_EQ(Expand("$(A$(B))"), "$(A$(B))");  // The name read is `A$(B`.
  EXPECT_EQ(Expand("$"), "$");
  EXPECT_EQ(Expand(""), "");
}

TEST(ExpandReferences, UnterminatedResumesAfterOpener) {
  // After an unterminated `$(`, scanning restarts after the `(`, so a later
  // complete reference still expands.
  EXPECT_EQ(Expand("$($(A"), "$($(A");
  EXPECT_EQ(Expand("$(x $(A)"), "$(x $(A)");  // Name is `x $(A`.
  EXPECT_EQ(Expand("$($$"), "$($");
}

TEST(ExpandReferences, SinglePass) {
  EXPECT_EQ(Expand("$(REF)"), "$(A)");
  EXPECT_EQ(Expand("foo-$(EMPTY)"), "foo-");
}

TEST(ExpandReferences, MultiByteAfterOperatorIsCopiedWhole) {
  EXPECT_EQ(Expand("price: $\xC3\xA9"), "price: $\xC3\xA9");
  EXPECT_EQ(Expand("$\xF0\x9F\x98\x80!"), "$\xF0\x9F\x98\x80!");
  EXPECT_EQ(Expand("$(\xC3\xA9)"), "accent");
}

TEST(ExpandReferences, InvalidByteAfterOperatorBecomesReplacementChar) {
  EXPECT_EQ(Expand("$\xFFz"), "$\xEF\xBF\xBDz");
  // A truncated sequence: only its first byte is replaced, the rest copied.
  EXPECT_EQ(Expand("$\xC3"), "$\xEF\xBF\xBD");
  EXPECT_EQ(Expand("$\xE2\x82x"), "$\xEF\xBF\xBD\x82x");
  // Invalid bytes elsewhere are copied untouched.
  EXPECT_EQ(Expand("\xFF$(A)"),
            "\xFF"
            "1");
}

TEST(ExpandReferences, TraceListsNamesOnceInOrder) {
  ExpansionTrace trace;
  EXPECT_EQ(ExpandReferences("$(B)$(A)$(B)$(A)$$(C)$(EMPTY)", Vars(), &trace),
            "$(B)1$(B)1$(C)");
  EXPECT_THAT(trace.expanded, ElementsAre("A", "EMPTY"));
  EXPECT_THAT(trace.unresolved, ElementsAre("B"));
}

TEST(ExpandReferences, TraceIgnoresEscapesAndUnterminated) {
  ExpansionTrace trace;
  ExpandReferences("$$(A) $(A", Vars(), &trace);
  EXPECT_THAT(trace.expanded, IsEmpty());
  EXPECT_THAT(trace.unresolved, IsEmpty());
}

TEST(ExpandReferences, LookupFunctionSeesRawName) {
  std::string seen;
  const std::string value = "v";
  EXPECT_EQ(ExpandReferences("$( a b )",
                             [&](absl::string_view name) -> const std::string* {
                               seen = std::string(name);
                               return &value;
                             }),
            "v");
  EXPECT_EQ(seen, " a b ");
}

// Every case of upstream expand_test.go (TestMapping, TestMappingDual,
// TestMapReference), transcribed from the oracle's vectors.
TEST(ExpandReferences, UpstreamVectors) {
  std::ifstream in("testdata/kubelet/expand_vectors.json");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json rows = nlohmann::json::parse(text.str(), /*cb=*/nullptr,
                                                    /*allow_exceptions=*/false);
  ASSERT_FALSE(rows.is_discarded());
  ASSERT_GE(rows.size(), 75u);
  for (const nlohmann::json& row : rows) {
    const std::map<std::string, std::string> context =
        row["context"].get<std::map<std::string, std::string>>();
    EXPECT_EQ(ExpandReferences(row["input"].get<std::string>(), context),
              row["expected"].get<std::string>())
        << row["name"].get<std::string>();
  }
}

}  // namespace
}  // namespace svcenv
