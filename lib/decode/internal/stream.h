// lib/decode/internal/stream.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. Documents and Lists: walks the
// documents of a parsed JSON text or YAML stream, opens `kind: List` (and
// typed Lists such as `ServiceList`) into their items, counts them against
// `max_objects` and hands each object to the per-kind decoder
// (decode_kinds.h).
#ifndef SVCENV_LIB_DECODE_INTERNAL_STREAM_H_
#define SVCENV_LIB_DECODE_INTERNAL_STREAM_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lib/decode/internal/input.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace decode_internal {

// Objects in `o`, all kinds together.
int Count(const Objects& o);

// Moves every object of `from` to the end of `to`.
void Append(Objects&& from, Objects* to);

// Decode the JSON / YAML `text` of `file` into `staging`, numbering objects
// from `sequence`. On error `staging` may hold part of the objects.
// `pages`: the mapped file `text` lies in (its pages are handed back as the
// YAML reader passes them), or null.
absl::Status DecodeJson(absl::string_view text, absl::string_view file,
                        const DecodeOptions& options, int sequence,
                        Objects* staging);
absl::Status DecodeYaml(absl::string_view text, absl::string_view file,
                        const DecodeOptions& options, int sequence,
                        Objects* staging, const MappedFile* pages = nullptr);

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_STREAM_H_
