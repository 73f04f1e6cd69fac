// lib/decode/internal/input.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. The decoder's input side: reading files
// and standard input, and the byte-level checks every text passes before a
// parser sees it (size limit, UTF-8, control characters). Directories are
// listed by ListManifestFiles() (svcenv/decode.h).
#ifndef SVCENV_LIB_DECODE_INTERNAL_INPUT_H_
#define SVCENV_LIB_DECODE_INTERNAL_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace svcenv {
namespace decode_internal {

// `path: strerror(err)` as NotFound, PermissionDenied or Unknown.
absl::Status FileError(const std::string& path, int err);

// InvalidArgument with `message`, marked as input over the size limit
// (IsInputTooLarge in decode.h reads the mark).
inline constexpr char kInputTooLargeUrl[] = "svcenv.io/decode/input-too-large";
absl::Status InputTooLargeError(absl::string_view message);

// Appends all of `f` to `*out`; more than `limit` bytes is an
// InvalidArgumentError naming `name`.
absl::Status ReadAll(std::FILE* f, const std::string& name, size_t limit,
                     std::string* out);

// ReadAll() on the file at `path`.
absl::Status ReadFile(const std::string& path, size_t limit, std::string* out);

// A regular file mapped read-only instead of copied. The YAML reader goes
// through a text once from start to end; the pages it has passed are handed
// back (ReleaseBefore), so that a large file does not stay resident beside
// the objects decoded from it (it was a third of `svcenv services`' peak on a
// 10,000-Service list). A page read again (an error message's line, a
// position) is read again from the file. Not thread-safe.
class MappedFile {
 public:
  // The file at `path` mapped, or null where it cannot be (not a regular
  // file, empty, over `limit` bytes, or mmap refused): read it instead.
  static std::unique_ptr<MappedFile> Open(const std::string& path,
                                          size_t limit);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  absl::string_view text() const { return {data_, size_}; }

  // Hands back the whole pages well before `p`, a position in text() (any
  // other pointer is ignored). Cheap to call on every read.
  void ReleaseBefore(const char* p) const;

 private:
  MappedFile(const char* data, size_t size) : data_(data), size_(size) {}

  const char* const data_;
  const size_t size_;
  mutable size_t released_ = 0;  // Bytes from the start handed back.
};

// When `text` starts with a UTF-16 byte order mark (little or big endian),
// writes it to `*utf8` converted to UTF-8 without the mark, as kubectl's
// file reader converts it (an unpaired surrogate or odd last byte becomes
// U+FFFD), and returns true. Returns false for any other text.
bool Utf16ToUtf8(absl::string_view text, std::string* utf8);

// `text` as bytes of UTF-8: converted from UTF-16 (Utf16ToUtf8(), into
// `*storage`) or without a UTF-8 byte order mark, as kubectl's file reader
// hands it on. Refers to `text` or `*storage`.
absl::string_view ConvertToUtf8(absl::string_view text, std::string* storage);

// Checks `*text` in one pass. Invalid UTF-8 is replaced, each byte that starts
// no valid sequence by U+FFFD, as kubectl's file reader (a UTF-8 decoder)
// does before parsing: `*text` then refers to the repaired copy in
// `*storage` (which may be what `*text` referred to) and a warning naming
// `file`, the line and column of the first and how many is added to
// `warnings`. With `refuse_control_characters`, control characters other
// than tab, line feed and carriage return are refused, naming `file`, line
// and column: JSON allows them nowhere but escaped in strings, so kubectl's
// JSON decoder refuses them wherever they are. (YAML's reader refuses them
// too, but only where go-yaml reads: the YAML parser checks them itself.)
absl::Status CheckText(absl::string_view* text, absl::string_view file,
                       std::string* storage, std::vector<std::string>* warnings,
                       bool refuse_control_characters = true);

// A 1-based line and (byte) column in a text.
struct TextPosition {
  int64_t line = 1;
  int64_t column = 1;
};

// Where byte `offset` of `text` is. Counts lines from the start: for error
// messages, not for hot paths.
TextPosition PositionOf(absl::string_view text, size_t offset);

// The message for a character YAML and JSON allow only escaped (`c` < 0x20,
// not tab, line feed or carriage return; or a C1 control, U+FFFE, U+FFFF),
// at `at` in `file`.
std::string ControlCharacterError(absl::string_view file, TextPosition at,
                                  uint32_t c);

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_INPUT_H_
