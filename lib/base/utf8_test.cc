// DecodeRune against the definition Go's utf8.DecodeRuneInString follows
// (RFC 3629): a sequence is valid exactly when it is the shortest encoding
// of a scalar value (U+0000..U+10FFFF without the surrogates). The
// reference here is the encoder, written from the RFC: every scalar's
// encoding must decode to it, and no other byte sequence may decode.
#include "lib/base/utf8.h"

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "lib/base/testing.h"

namespace svcenv::utf8_internal {
namespace {

std::string Encode(uint32_t r) {
  std::string s;
  if (r < 0x80) {
    s += static_cast<char>(r);
  } else if (r < 0x800) {
    s += static_cast<char>(0xC0 | (r >> 6));
    s += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    s += static_cast<char>(0xE0 | (r >> 12));
    s += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (r >> 18));
    s += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (r & 0x3F));
  }
  return s;
}

bool IsScalar(uint32_t r) {
  return r <= 0x10FFFF && !(r >= 0xD800 && r <= 0xDFFF);
}

TEST(DecodeRune, EveryScalarRoundTrips) {
  for (uint32_t r = 0; r <= 0x10FFFF; ++r) {
    if (!IsScalar(r)) continue;
    const std::string s = Encode(r);
    uint32_t got = 0xFFFFFFFF;
    ASSERT_EQ(DecodeRune(s, &got), s.size()) << std::hex << r;
    ASSERT_EQ(got, r);
    // Followed by anything, it is still one rune of that length.
    ASSERT_EQ(RuneLength(s + "\xff"), s.size()) << std::hex << r;
  }
}

TEST(DecodeRune, NothingElseDecodes) {
  // Surrogates, overlong forms and values above U+10FFFF encode (by the
  // same arithmetic) to sequences that must be refused.
  for (uint32_t r : {0xD800u, 0xDBFFu, 0xDC00u, 0xDFFFu, 0x110000u,
                     0x13FFFFu, 0x1FFFFFu}) {
    EXPECT_EQ(RuneLength(Encode(r)), 0u) << std::hex << r;
  }
  EXPECT_EQ(RuneLength("\xC0\x80"), 0u);          // Overlong NUL.
  EXPECT_EQ(RuneLength("\xE0\x80\xAF"), 0u);      // Overlong '/'.
  EXPECT_EQ(RuneLength("\xF0\x80\x80\xAF"), 0u);  // Overlong '/'.
  // Every sequence of one to three bytes: valid exactly when it is an
  // encoding of a scalar of that length. Truncated ones count as invalid.
  absl::flat_hash_set<std::string> valid;
  for (uint32_t r = 0; r < 0x10000; ++r) {
    if (IsScalar(r)) valid.insert(Encode(r));
  }
  for (int b0 = 0x80; b0 < 0x100; ++b0) {
    const std::string one(1, static_cast<char>(b0));
    EXPECT_EQ(RuneLength(one), 0u) << std::hex << b0;
    for (int b1 = 0; b1 < 0x100; ++b1) {
      const std::string two = one + static_cast<char>(b1);
      ASSERT_EQ(RuneLength(two), valid.contains(two) ? 2u : 0u)
          << std::hex << b0 << " " << b1;
      if (b0 < 0xE0 || b0 > 0xEF) continue;
      for (int b2 = 0; b2 < 0x100; ++b2) {
        const std::string three = two + static_cast<char>(b2);
        ASSERT_EQ(RuneLength(three), valid.contains(three) ? 3u : 0u)
            << std::hex << b0 << " " << b1 << " " << b2;
      }
    }
  }
  // Four bytes: every lead and second byte, the boundary continuation
  // bytes after them.
  for (int b0 = 0xF0; b0 < 0x100; ++b0) {
    for (int b1 = 0; b1 < 0x100; ++b1) {
      for (int b2 : {0x7F, 0x80, 0xBF, 0xC0}) {
        for (int b3 : {0x7F, 0x80, 0xBF, 0xC0}) {
          const std::string four = {static_cast<char>(b0), static_cast<char>(b1),
                                    static_cast<char>(b2), static_cast<char>(b3)};
          uint32_t r = 0;
          const bool continuation = b1 >= 0x80 && b1 <= 0xBF && b2 >= 0x80 &&
                                    b2 <= 0xBF && b3 >= 0x80 && b3 <= 0xBF;
          if (continuation && b0 <= 0xF7) {
            r = ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) |
                ((b2 & 0x3F) << 6) | (b3 & 0x3F);
          }
          const bool want = continuation && b0 <= 0xF7 && r >= 0x10000 &&
                            IsScalar(r);
          ASSERT_EQ(RuneLength(four), want ? 4u : 0u)
              << std::hex << b0 << " " << b1 << " " << b2 << " " << b3;
        }
      }
    }
  }
}

}  // namespace
}  // namespace svcenv::utf8_internal
