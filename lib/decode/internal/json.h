// lib/decode/internal/json.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. The JSON parser of the decoder:
// nlohmann's SAX parser building a tree with a depth limit, refusing repeated
// keys, turning syntax errors into `line L, column C` messages, and handing
// the items of a top-level `items` array to an `ItemSink` as each one ends.
#ifndef SVCENV_LIB_DECODE_INTERNAL_JSON_H_
#define SVCENV_LIB_DECODE_INTERNAL_JSON_H_

#include <cstddef>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lib/decode/internal/tree.h"
#include "nlohmann/json.hpp"
#include "svcenv/decode.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace decode_internal {

// Parses the JSON `text` (of `file`, for messages) into `*out`. Items of a
// top-level `items` array go to `sink` as each one ends; those it takes
// (the first `*consumed`) are left null in `*out`: decoding an item while its
// nodes are still in cache, and freeing a small tree at a time, is much
// faster than one tree for the whole List.
// A repeated key keeps the last value and is recorded in `duplicates`, or is
// an error with `options.strict_keys`. `document` (0-based) numbers the value
// in a stream of concatenated ones, which starts at 1-based `line`, `column`
// of the file, for messages.
//
// When `another_value_follows` is non-null and `text` holds more after its
// first complete value, sets `*another_value_follows` and returns OK with
// `*out`, `*consumed`, `duplicates` and `sink` holding a discarded attempt:
// the caller splits the text with JsonValueEnd() and parses each value. This
// spares a text of one value (nearly every file) a second scan.
absl::Status ParseJson(absl::string_view text, absl::string_view file,
                       const DecodeOptions& options, ItemSink* sink,
                       nlohmann::json* out, int* consumed,
                       std::vector<DuplicateKey>* duplicates, int document = 0,
                       int line = 1, int column = 1,
                       bool* another_value_follows = nullptr);

// The end of the JSON value that starts at `text[begin]` (not a blank), found
// by matching brackets and strings only (ParseJson() validates it): where a
// stream of concatenated values, as `jq` prints, splits.
size_t JsonValueEnd(absl::string_view text, size_t begin);

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_JSON_H_
