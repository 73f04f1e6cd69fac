// lib/decode/internal/yaml_reader.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. libyaml's input handler as kubectl's
// reader feeds go-yaml: a piece of the stream (yaml_chunks.h), in reads no
// larger than go-yaml's, with the line break kubectl's line reader adds to
// a last line without one. The converter (yaml_json.cc) and the escape
// pre-pass (yaml_escapes.cc) both read through it, so both stop at the same
// character.
//
// Example:
//   ChunkInput input{chunk.text, 0, !absl::EndsWith(chunk.text, "\n")};
//   yaml_parser_set_input(&parser, &ChunkInput::Read, &input);
#ifndef SVCENV_LIB_DECODE_INTERNAL_YAML_READER_H_
#define SVCENV_LIB_DECODE_INTERNAL_YAML_READER_H_

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "absl/strings/string_view.h"
#include "lib/decode/internal/input.h"

namespace svcenv {
namespace decode_internal {

struct ChunkInput {
  absl::string_view text;
  size_t pos;
  bool add_line_break;
  // The mapped file `text` may lie in: pages read are handed back.
  const MappedFile* pages = nullptr;

  // go-yaml's reader takes at most 512 bytes at a time, less what it holds
  // of an incomplete UTF-8 sequence, and checks each character it decodes:
  // a control character further on in text it never parses is no error.
  // libyaml asks for its buffer's size (16384) less what it holds.
  static constexpr size_t kGoYamlRawBuffer = 512;
  static constexpr size_t kLibyamlRawBuffer = 16384;

  static int Read(void* data, unsigned char* buffer, size_t size,
                  size_t* size_read) {
    auto* in = static_cast<ChunkInput*>(data);
    const size_t held = kLibyamlRawBuffer - std::min(size, kLibyamlRawBuffer);
    size = std::min(size, kGoYamlRawBuffer - std::min(held, kGoYamlRawBuffer));
    size_t n = std::min(size, in->text.size() - in->pos);
    std::memcpy(buffer, in->text.data() + in->pos, n);
    in->pos += n;
    if (in->pages != nullptr) in->pages->ReleaseBefore(in->text.data() + in->pos);
    if (n < size && in->add_line_break) {
      buffer[n++] = '\n';
      in->add_line_break = false;
    }
    *size_read = n;
    return 1;
  }
};

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_YAML_READER_H_
