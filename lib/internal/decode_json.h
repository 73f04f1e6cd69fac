// lib/internal/decode_json.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. The JSON parser of the decoder:
// nlohmann's SAX parser building a tree with a depth limit, refusing repeated
// keys, turning syntax errors into `line L, column C` messages, and handing
// the items of a top-level `items` array to an `ItemSink` as each one ends.
#ifndef SVCENV_LIB_INTERNAL_DECODE_JSON_H_
#define SVCENV_LIB_INTERNAL_DECODE_JSON_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lib/internal/decode_tree.h"
#include "nlohmann/json.hpp"
#include "svcenv/decode.h"

namespace svcenv {
namespace decode_internal {

// Parses the JSON `text` (of `file`, for messages) into `*out`. Items of a
// top-level `items` array go to `sink` as each one ends; those it takes
// (the first `*consumed`) are left null in `*out`: decoding an item while its
// nodes are still in cache, and freeing a small tree at a time, is much
// faster than one tree for the whole List.
absl::Status ParseJson(absl::string_view text, absl::string_view file,
                       const DecodeOptions& options, ItemSink* sink,
                       nlohmann::json* out, int* consumed);

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_INTERNAL_DECODE_JSON_H_
