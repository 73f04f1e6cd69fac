// lib/decode/internal/yaml_chunks.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. kubectl's YAML document splitter
// (apimachinery's YAMLReader). Before any YAML parser sees a stream, kubectl
// cuts it at every line that starts with `---` followed by nothing but
// spaces or a comment, refuses such a line followed by anything else
// (`--- |`, `---x`), and hands each non-empty piece to go-yaml alone, which
// reads the first YAML document of it and nothing after. A separator that
// ends a piece is dropped; one met at the start of a piece (the first line,
// or the second of two in a row) stays in it, as its first line.
//
// Example:
//   YamlChunker chunks(text, "in.yaml");
//   YamlChunk chunk;
//   while (chunks.Next(&chunk)) Parse(chunk.text);
//   if (!chunks.status().ok()) return chunks.status();
#ifndef SVCENV_LIB_DECODE_INTERNAL_YAML_CHUNKS_H_
#define SVCENV_LIB_DECODE_INTERNAL_YAML_CHUNKS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace svcenv {
namespace decode_internal {

// A piece of the stream, never empty.
struct YamlChunk {
  absl::string_view text;  // Line breaks included.
  size_t offset = 0;       // Of `text` in the stream.
  int line = 1;            // The 1-based line of its first byte.
};

// Hands out the chunks of a stream in order. Not thread-safe.
class YamlChunker {
 public:
  // `file` names the stream in errors; both must outlive the chunker.
  YamlChunker(absl::string_view stream, absl::string_view file)
      : stream_(stream), file_(file) {}

  // Sets `*chunk` to the next chunk and returns true, or returns false at
  // the end of the stream or at a line kubectl refuses as a separator (then
  // status() is an InvalidArgumentError naming the file and line).
  bool Next(YamlChunk* chunk);

  const absl::Status& status() const { return status_; }

 private:
  const absl::string_view stream_;
  const absl::string_view file_;
  size_t pos_ = 0;  // The start of the next line.
  int line_ = 1;    // Its number.
  absl::Status status_;
};

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_YAML_CHUNKS_H_
