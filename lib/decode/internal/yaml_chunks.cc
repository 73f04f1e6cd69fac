// kubectl's YAML document splitter (see yaml_chunks.h).
#include "lib/decode/internal/yaml_chunks.h"

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace svcenv {
namespace decode_internal {
namespace {

// The length of the white space (Go's unicode.IsSpace) at `s[i]`, or 0.
size_t SpaceAt(absl::string_view s, size_t i) {
  const auto byte = [&](size_t k) {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0;
  };
  const unsigned char c = byte(i);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xC2 && (byte(i + 1) == 0x85 || byte(i + 1) == 0xA0)) return 2;
  if (c == 0xE1 && byte(i + 1) == 0x9A && byte(i + 2) == 0x80) return 3;
  if (c == 0xE2 && byte(i + 1) == 0x80) {
    const unsigned char d = byte(i + 2);  // U+2000..200A, 2028, 2029, 202F.
    if (d <= 0x8A || d == 0xA8 || d == 0xA9 || d == 0xAF) return 3;
  }
  if (c == 0xE2 && byte(i + 1) == 0x81 && byte(i + 2) == 0x9F) return 3;
  if (c == 0xE3 && byte(i + 1) == 0x80 && byte(i + 2) == 0x80) return 3;
  return 0;
}

// strings.TrimSpace: white space removed from both ends.
absl::string_view TrimGoSpace(absl::string_view s) {
  size_t begin = 0;
  while (size_t n = SpaceAt(s, begin)) begin += n;
  s.remove_prefix(begin);
  // From the end: find the last non-space position by scanning forward.
  size_t end = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t n = SpaceAt(s, i);
    if (n == 0) {
      ++i;
      end = i;
    } else {
      i += n;
    }
  }
  return s.substr(0, end);
}

}  // namespace

bool YamlChunker::Next(YamlChunk* chunk) {
  if (!status_.ok()) return false;
  size_t begin = pos_;
  int begin_line = line_;
  while (pos_ < stream_.size()) {
    const size_t eol = stream_.find('\n', pos_);
    const size_t next = eol == absl::string_view::npos ? stream_.size() : eol + 1;
    const absl::string_view line = stream_.substr(pos_, next - pos_);
    if (!absl::StartsWith(line, "---")) {
      pos_ = next;
      ++line_;
      continue;
    }
    const absl::string_view rest = TrimGoSpace(line.substr(3));
    if (!rest.empty() && rest[0] != '#') {
      status_ = absl::InvalidArgumentError(absl::StrCat(
          file_, ": line ", line_,
          ": invalid YAML document separator: `---` followed by `", rest,
          "` (kubectl allows only spaces or a comment after it)"));
      return false;
    }
    const size_t separator = pos_;
    pos_ = next;
    ++line_;
    // A separator ends a non-empty piece and is dropped. Met with nothing
    // before it (the first line, or right after another separator), it is
    // kept as the piece's first line: YAMLReader writes it to its buffer.
    if (separator > begin) {
      *chunk = {stream_.substr(begin, separator - begin), begin, begin_line};
      return true;
    }
  }
  if (pos_ > begin) {
    *chunk = {stream_.substr(begin, pos_ - begin), begin, begin_line};
    return true;
  }
  return false;
}

}  // namespace decode_internal
}  // namespace svcenv
