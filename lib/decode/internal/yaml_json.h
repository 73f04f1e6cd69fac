// lib/decode/internal/yaml_json.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. Converts a YAML stream into JSON-shaped
// trees the way `sigs.k8s.io/yaml` (go-yaml v2, a port of libyaml, with YAML
// 1.1 scalars) turns YAML into JSON before Kubernetes decodes it. The stream
// is cut into pieces at `---` lines as kubectl cuts it (yaml_chunks.h) and
// each piece read for its first document only, as go-yaml reads it; what
// follows that document in its piece is ignored, with a warning. One pass
// over libyaml's events: no YAML node tree, each document handed on as soon
// as it ends and the items of a top-level `items` sequence as each ends, so
// that memory stays near one object's tree whatever the stream's size. The
// YAML line of every node is kept for error messages.
#ifndef SVCENV_LIB_DECODE_INTERNAL_YAML_JSON_H_
#define SVCENV_LIB_DECODE_INTERNAL_YAML_JSON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lib/decode/internal/input.h"
#include "lib/decode/internal/tree.h"
#include "nlohmann/json.hpp"
#include "svcenv/objects.h"

namespace svcenv {
namespace decode_internal {

struct YamlLimits {
  int max_depth = 100;                // Nested maps and sequences.
  int64_t max_nodes = 5'000'000;      // After alias expansion, whole stream.
  int64_t max_documents = 1'000'000;  // Empty ones too.
  // Where a map key written twice is recorded, its last value kept (as
  // go-yaml v2 keeps it); null: such a key is an error.
  std::vector<DuplicateKey>* duplicates = nullptr;
  // Where warnings go (content kubectl ignores), or null.
  std::vector<std::string>* warnings = nullptr;
  // The mapped file the text is in, whose pages the reader hands back once
  // past them; or null.
  const MappedFile* pages = nullptr;
};

// Receives the documents of a stream in order.
class YamlDocumentHandler {
 public:
  virtual ~YamlDocumentHandler() = default;
  // Document `index` (0-based: the piece between `---` lines) begins. Returns where the items of its
  // top-level `items` sequence go as each ends, or null.
  virtual ItemSink* BeginDocument(int index) = 0;
  // Document `index` ended: `doc` is its tree (null for an empty document),
  // `line` the 1-based line of its root, `lines` the lines of its nodes, and
  // its first `consumed` items, taken by the sink, are null in `doc`.
  // `helm_source` is what a `# Source: PATH` comment line between the
  // previous document and this one's content names (`helm template` output),
  // or empty.
  virtual absl::Status EndDocument(const nlohmann::json& doc, int index,
                                   int line, const LineTable& lines,
                                   int consumed,
                                   absl::string_view helm_source) = 0;
};

// Parses `text` (UTF-8) and hands each document to `handler`, stopping at the
// first error: the handler's, or an InvalidArgumentError whose message starts
// with "`file`: line L, column C: " (syntax) or "`file`: document N (line L):
// " (limits, unsupported values).
absl::Status ParseYamlStream(absl::string_view text, absl::string_view file,
                             const YamlLimits& limits,
                             YamlDocumentHandler* handler);

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_YAML_JSON_H_
