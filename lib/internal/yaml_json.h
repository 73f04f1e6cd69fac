// lib/internal/yaml_json.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. Converts a YAML stream into nlohmann
// JSON trees the way `sigs.k8s.io/yaml` (go-yaml v2, YAML 1.1 scalars) turns
// YAML into JSON before Kubernetes decodes it, and remembers the YAML line of
// every converted node so that errors can point at the bad field.
#ifndef SVCENV_LIB_INTERNAL_YAML_JSON_H_
#define SVCENV_LIB_INTERNAL_YAML_JSON_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace svcenv {
namespace decode_internal {

// 1-based YAML line of each converted node, keyed by its address. Addresses
// are stable because the trees are never modified after conversion.
using LineTable = absl::flat_hash_map<const nlohmann::json*, int>;

struct YamlLimits {
  int max_depth = 100;                // Nested maps and sequences.
  int64_t max_nodes = 5'000'000;      // After alias expansion, whole stream.
  int64_t max_documents = 1'000'000;  // Empty ones too.
};

struct YamlStream {
  // One entry per document, null for an empty document. Never resized after
  // conversion, so node addresses in `lines` stay valid; moving the
  // `YamlStream` itself keeps them too (only the vector's buffer moves).
  std::vector<nlohmann::json> documents;
  std::vector<int> document_lines;  // 1-based line of each document's root.
  LineTable lines;
};

// Parses `text` into `*out`. Errors are InvalidArgumentError whose message
// starts with "line L, column C: " (syntax) or "document N (line L): "
// (limits, unsupported values), to be prefixed with the file name.
absl::Status ParseYamlStream(absl::string_view text, const YamlLimits& limits,
                             YamlStream* out);

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_INTERNAL_YAML_JSON_H_
