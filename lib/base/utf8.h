// lib/base/utf8.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. One UTF-8 decoder for the decoder's
// text check, the `$(VAR)` expander and fieldRef quoting, with Go's rules.
#ifndef SVCENV_LIB_BASE_UTF8_H_
#define SVCENV_LIB_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace svcenv::utf8_internal {

// Decodes the UTF-8 sequence at the start of non-empty `s` into `*rune` and
// returns its length (1 for ASCII), or 0 when it is not valid UTF-8 as Go's
// utf8.DecodeRuneInString sees it: no overlong forms, no surrogates, nothing
// above U+10FFFF, no truncated sequence (Go then reports RuneError, width 1).
inline size_t DecodeRune(absl::string_view s, uint32_t* rune) {
  const auto b = [&s](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = b(0);
  if (b0 < 0x80) {
    *rune = b0;
    return 1;
  }
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // Range of the second byte.
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
    *rune = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    *rune = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // No overlong forms.
    if (b0 == 0xED) hi = 0x9F;  // No surrogates.
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    *rune = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // Nothing above U+10FFFF.
  } else {
    return 0;
  }
  if (s.size() < n || b(1) < lo || b(1) > hi) return 0;
  for (size_t i = 1; i < n; ++i) {
    if (i > 1 && (b(i) < 0x80 || b(i) > 0xBF)) return 0;
    *rune = (*rune << 6) | (b(i) & 0x3F);
  }
  return n;
}

// The length of the valid sequence at the start of non-empty `s`, or 0.
inline size_t RuneLength(absl::string_view s) {
  uint32_t rune;
  return DecodeRune(s, &rune);
}

}  // namespace svcenv::utf8_internal

#endif  // SVCENV_LIB_BASE_UTF8_H_
