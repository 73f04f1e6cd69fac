// lib/decode/internal/yaml_escapes.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. The escape `\'` in a double-quoted
// scalar, as kubectl reads it. go-yaml v2 (under sigs.k8s.io/yaml) takes
// `"it\'s"` for `it's`; libyaml refuses it ("found unknown escape
// character"). Every other escape the two know is the same, but for `\/`,
// which only libyaml knows (yaml_json.cc refuses it as go-yaml does): the
// differential corpus (testdata/differential/cases/escapes/) holds one
// file per printable character after a backslash.
//
// So that libyaml reads such a document, each `\'` of a double-quoted scalar
// is given to it as `\"`, which has the same length (every mark, line and
// column stays right), and the `"` it decodes to is turned back into `'` in
// the scalar's value. Which `\'` are inside double-quoted scalars is decided
// by libyaml's own scanner, over the piece with all of them rewritten: one
// scan for the usual piece, one more for each `\'` that turns out to sit in
// a single-quoted scalar ('C:\'), where the rewrite changed the reading.
// A piece without `\'` is neither scanned twice nor copied.
//
// Example:
//   QuoteEscapes escapes;
//   SVCENV_RETURN_IF_ERROR(escapes.Prepare(chunk.text, chunk.offset,
//                                          chunk.line, file));
//   ChunkInput input{escapes.text(), 0, ...};  // What libyaml reads.
//   ...
//   escapes.Restore(begin, end, value, length);  // Each double-quoted scalar.
#ifndef SVCENV_LIB_DECODE_INTERNAL_YAML_ESCAPES_H_
#define SVCENV_LIB_DECODE_INTERNAL_YAML_ESCAPES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace svcenv {
namespace decode_internal {

class QuoteEscapes {
 public:
  // Prepares `chunk`, a piece of the stream starting at byte `offset` and
  // line `line` of `file`. An error (exit 2) only when the piece holds so
  // many single-quoted scalars ending in a backslash besides `\'` in double
  // quotes that scanning it once for each would cost more than reading
  // 16 MiB and four times the piece.
  absl::Status Prepare(absl::string_view chunk, size_t offset, int line,
                       absl::string_view file);

  // The text for libyaml: `chunk` itself, or its copy with `\'` as `\"`
  // inside double-quoted scalars. Valid until the next Prepare.
  absl::string_view text() const { return text_; }

  // Whether any `\'` was rewritten.
  bool rewritten() const { return !rewritten_.empty(); }

  // For the double-quoted scalar whose source is stream bytes [begin, end)
  // (its quotes included) and whose decoded value is `value[0, length)`:
  // turns the `"` that came from a rewritten `\'` back into `'`.
  void Restore(size_t begin, size_t end, unsigned char* value,
               size_t length) const;

 private:
  absl::string_view text_;
  std::string copy_;
  size_t offset_ = 0;
  std::vector<size_t> rewritten_;  // Stream offsets of rewritten `\`, sorted.
};

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_YAML_ESCAPES_H_
