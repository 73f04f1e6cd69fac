// Base64Decode against Go's base64.StdEncoding, which encoding/json uses for
// a Secret's `data` ([]byte). Every expectation is what Go 1.26's
// `base64.StdEncoding.DecodeString` returned for the same input.
#include "lib/decode/internal/base64.h"

#include <string>

#include "lib/base/testing.h"

namespace svcenv::decode_internal {
namespace {

struct Case {
  const char* in;
  bool ok;
  const char* want;  // When ok.
};

TEST(Base64Decode, AsGoStdEncoding) {
  const Case cases[] = {
      {"aGVsbG8=", true, "hello"},
      {"aGVs\nbG8=", true, "hello"},    // Line breaks are skipped...
      {"aGVs\r\nbG8=", true, "hello"},  // ... CR too ...
      {"YWJjZA==\n", true, "abcd"},     // ... also at the end.
      {"", true, ""},
      {"YQ==", true, "a"},
      {"YWJj", true, "abc"},
      {"YR==", true, "a"},  // Not Strict: nonzero trailing bits are fine.
      {"aGVsbG8", false, ""},   // Padding is required.
      {"YQ=", false, ""},
      {"=", false, ""},
      {"aGVsbG8*", false, ""},  // Not in the alphabet.
      {"Y Q==", false, ""},     // A space is not skipped.
      {"YQ==YQ==", false, ""},  // Nothing after the padding.
  };
  for (const Case& c : cases) {
    std::string out;
    std::string error;
    const bool ok = Base64Decode(c.in, &out, &error);
    EXPECT_EQ(ok, c.ok) << "input \"" << c.in << "\": " << error;
    if (ok && c.ok) {
      EXPECT_EQ(out, c.want) << "input \"" << c.in << "\"";
    }
    if (!ok) {
      EXPECT_FALSE(error.empty()) << "input \"" << c.in << "\"";
    }
  }
}

}  // namespace
}  // namespace svcenv::decode_internal
