#include "lib/decode/internal/base64.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace svcenv {
namespace decode_internal {
namespace {

// 0..63 for alphabet bytes, -1 otherwise.
int Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

bool Base64Decode(absl::string_view in, std::string* out, std::string* error) {
  out->clear();
  out->reserve(in.size() / 4 * 3);
  uint32_t quantum = 0;
  int count = 0;    // Alphabet characters in the current quantum.
  int padding = 0;  // '=' seen; only legal at the end.
  size_t offset = 0;
  for (; offset < in.size(); ++offset) {
    const unsigned char c = static_cast<unsigned char>(in[offset]);
    if (c == '\r' || c == '\n') continue;
    if (c == '=') {
      // "xx==" or "xxx=" closes the input.
      if (count < 2 || padding + count >= 4) break;
      ++padding;
      if (count + padding == 4) {
        ++offset;
        break;
      }
      continue;
    }
    if (padding > 0) break;
    const int v = Value(c);
    if (v < 0) break;
    quantum = (quantum << 6) | static_cast<uint32_t>(v);
    if (++count == 4) {
      out->push_back(static_cast<char>(quantum >> 16));
      out->push_back(static_cast<char>(quantum >> 8));
      out->push_back(static_cast<char>(quantum));
      quantum = 0;
      count = 0;
    }
  }
  // Only line breaks may follow the padding.
  for (; offset < in.size(); ++offset) {
    if (in[offset] != '\r' && in[offset] != '\n') {
      *error = absl::StrCat("illegal base64 data at input byte ", offset);
      return false;
    }
  }
  if (count == 0 && padding == 0) return true;
  if (count + padding != 4) {
    *error = absl::StrCat("illegal base64 data at input byte ", in.size(),
                          " (missing padding)");
    return false;
  }
  if (count == 2) {
    out->push_back(static_cast<char>(quantum >> 4));
  } else {  // count == 3
    out->push_back(static_cast<char>(quantum >> 10));
    out->push_back(static_cast<char>(quantum >> 2));
  }
  return true;
}

}  // namespace decode_internal
}  // namespace svcenv
