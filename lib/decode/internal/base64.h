// lib/decode/internal/base64.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. Standard base64 (RFC 4648, padded) as
// Go's `encoding/json` decodes `[]byte` fields such as Secret `data`.
#ifndef SVCENV_LIB_DECODE_INTERNAL_BASE64_H_
#define SVCENV_LIB_DECODE_INTERNAL_BASE64_H_

#include <string>

#include "absl/strings/string_view.h"

namespace svcenv {
namespace decode_internal {

// Decodes `in` into `*out`. Like Go's `base64.StdEncoding`, padding is
// required and '\r' / '\n' are ignored anywhere. Returns false, with `*out`
// unspecified, on any other malformation; `*error` then says what.
bool Base64Decode(absl::string_view in, std::string* out, std::string* error);

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_BASE64_H_
