// lib/decode/internal/timestamp.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. RFC 3339 timestamps as Kubernetes
// writes them in `metav1.Time` (`2024-05-01T10:00:00Z`, optionally with
// fractional seconds and a numeric offset).
#ifndef SVCENV_LIB_DECODE_INTERNAL_TIMESTAMP_H_
#define SVCENV_LIB_DECODE_INTERNAL_TIMESTAMP_H_

#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace decode_internal {

// Parses `text` into `*out` (text kept verbatim, seconds since the epoch
// rounded down). Returns false when `text` is not RFC 3339.
bool ParseTimestamp(absl::string_view text, Timestamp* out);

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_TIMESTAMP_H_
