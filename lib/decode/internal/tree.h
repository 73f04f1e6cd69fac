// lib/decode/internal/tree.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. What the JSON and YAML parsers hand to
// the rest of the decoder: JSON-shaped trees (nlohmann::json), the YAML line
// of their nodes, and the early hand-off of List items.
#ifndef SVCENV_LIB_DECODE_INTERNAL_TREE_H_
#define SVCENV_LIB_DECODE_INTERNAL_TREE_H_

#include "absl/container/flat_hash_map.h"
#include "nlohmann/json.hpp"

namespace svcenv {
namespace decode_internal {

// 1-based YAML line of parsed nodes, keyed by address. A parser adds a node
// once its address is final and removes it before the node is freed.
using LineTable = absl::flat_hash_map<const nlohmann::json*, int>;

// Receives the items of a document's top-level `items` array as soon as each
// is parsed, so that a large List never exists as one tree.
class ItemSink {
 public:
  virtual ~ItemSink() = default;
  // Takes item `index` (an object) starting on `line` (0 for JSON), whose
  // nodes' lines are in `lines` (null for JSON) while the call lasts. Returns
  // false to leave it, and every later item, in the tree.
  virtual bool Consume(const nlohmann::json& item, int index, int line,
                       const LineTable* lines) = 0;
  // Forgets everything consumed: a later `items` key replaces the array.
  virtual void Reset() = 0;
};

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_TREE_H_
