// The decoder's input side: files and byte-level text checks.
#include "lib/decode/internal/input.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "lib/base/utf8.h"

namespace svcenv {
namespace decode_internal {

absl::Status FileError(const std::string& path, int err) {
  std::string msg = absl::StrCat(path, ": ", std::strerror(err));
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(msg);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(msg);
    default:
      return absl::UnknownError(msg);
  }
}

absl::Status InputTooLargeError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kInputTooLargeUrl, absl::Cord());
  return status;
}

absl::Status ReadAll(std::FILE* f, const std::string& name, size_t limit,
                     std::string* out) {
  char buf[1 << 16];
  while (true) {
    const size_t n = std::fread(buf, 1, sizeof(buf), f);
    out->append(buf, n);
    if (out->size() > limit) {
      return InputTooLargeError(absl::StrCat(
          name, ": input is more than the limit of ", limit, " bytes"));
    }
    if (n < sizeof(buf)) break;
  }
  if (std::ferror(f)) return FileError(name, errno);
  return absl::OkStatus();
}

absl::Status ReadFile(const std::string& path, size_t limit, std::string* out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return FileError(path, errno);
  // A regular file's size is known: one allocation instead of doubling, whose
  // old and new buffers would both be live at the peak (1.5x the text).
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    out->reserve(out->size() +
                 std::min(static_cast<size_t>(st.st_size), limit + 1));
  }
  absl::Status s = ReadAll(f, path, limit, out);
  std::fclose(f);
  return s;
}

std::unique_ptr<MappedFile> MappedFile::Open(const std::string& path,
                                             size_t limit) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st;
  void* data = MAP_FAILED;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      static_cast<uint64_t>(st.st_size) <= limit) {
    data = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ,
                MAP_PRIVATE, fd, 0);
  }
  close(fd);  // The mapping keeps the file.
  if (data == MAP_FAILED) return nullptr;
  // Read from the start to the end, once.
  (void)madvise(data, static_cast<size_t>(st.st_size), MADV_SEQUENTIAL);
  return std::unique_ptr<MappedFile>(new MappedFile(
      static_cast<const char*>(data), static_cast<size_t>(st.st_size)));
}

MappedFile::~MappedFile() {
  munmap(const_cast<char*>(data_), size_);
}

void MappedFile::ReleaseBefore(const char* p) const {
  // Released in steps of 256 KiB, 64 KiB behind the reader: a position the
  // reader's caller still looks at is rarely that far back, and one that is
  // is read again from the file.
  constexpr size_t kStep = size_t{256} << 10;
  constexpr size_t kBehind = size_t{64} << 10;
  if (p < data_ || p > data_ + size_) return;
  const size_t offset = static_cast<size_t>(p - data_);
  if (offset < released_ + kStep + kBehind) return;
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t until = (offset - kBehind) / page * page;
  if (until <= released_) return;
  (void)madvise(const_cast<char*>(data_) + released_, until - released_,
                MADV_DONTNEED);
  released_ = until;
}

namespace {

void AppendRune(uint32_t r, std::string* out) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

}  // namespace

bool Utf16ToUtf8(absl::string_view text, std::string* utf8) {
  bool big_endian;
  if (absl::StartsWith(text, "\xFF\xFE")) {
    big_endian = false;
  } else if (absl::StartsWith(text, "\xFE\xFF")) {
    big_endian = true;
  } else {
    return false;
  }
  text.remove_prefix(2);  // The byte order mark.
  utf8->clear();
  utf8->reserve(text.size() / 2 + text.size() / 8);
  const auto unit = [&](size_t i) -> uint32_t {
    const auto a = static_cast<unsigned char>(text[i]);
    const auto b = static_cast<unsigned char>(text[i + 1]);
    return big_endian ? (a << 8) | b : (b << 8) | a;
  };
  constexpr uint32_t kReplacement = 0xFFFD;
  size_t i = 0;
  for (; i + 1 < text.size(); i += 2) {
    const uint32_t u = unit(i);
    if (u < 0xD800 || u > 0xDFFF) {
      AppendRune(u, utf8);
    } else if (u <= 0xDBFF && i + 3 < text.size() && unit(i + 2) >= 0xDC00 &&
               unit(i + 2) <= 0xDFFF) {
      AppendRune(0x10000 + ((u - 0xD800) << 10) + (unit(i + 2) - 0xDC00), utf8);
      i += 2;
    } else {
      AppendRune(kReplacement, utf8);  // An unpaired surrogate, as Go does.
    }
  }
  if (i < text.size()) AppendRune(kReplacement, utf8);  // An odd last byte.
  return true;
}

namespace {

// When `text` holds invalid UTF-8, writes it to `*repaired` with each byte
// that starts no valid sequence replaced by U+FFFD, as kubectl's file reader
// (a UTF-8 decoder) does before parsing, sets `*warning` (naming `file`, the
// line and column of the first, and how many), and returns true.
bool ReplaceInvalidUtf8(absl::string_view text, absl::string_view file,
                        std::string* repaired, std::string* warning) {
  size_t i = 0;
  size_t first = absl::string_view::npos;
  int replaced = 0;
  while (i < text.size()) {
    // Eight ASCII bytes at a time until the first invalid byte (after it,
    // every byte is copied).
    constexpr uint64_t kHigh = 0x8080808080808080;
    uint64_t w;
    if (first == absl::string_view::npos && text.size() - i >= sizeof(w)) {
      std::memcpy(&w, text.data() + i, sizeof(w));
      if ((w & kHigh) == 0) {
        i += sizeof(w);
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (first != absl::string_view::npos) repaired->push_back(text[i]);
      ++i;
      continue;
    }
    const size_t n = utf8_internal::RuneLength(text.substr(i));
    if (n > 0) {
      if (first != absl::string_view::npos) repaired->append(text.data() + i, n);
      i += n;
      continue;
    }
    if (first == absl::string_view::npos) {
      first = i;
      repaired->reserve(text.size() + 16);
      repaired->assign(text.data(), i);
    }
    repaired->append("\xEF\xBF\xBD");  // U+FFFD, one per byte, as Go does.
    ++replaced;
    ++i;
  }
  if (first == absl::string_view::npos) return false;
  const TextPosition at = PositionOf(text, first);
  *warning = absl::StrFormat(
      "%s: line %d, column %d: invalid UTF-8 (byte 0x%02X%s) read as U+FFFD, "
      "as kubectl reads it",
      file, at.line, at.column, static_cast<unsigned char>(text[first]),
      replaced > 1 ? absl::StrCat("; ", replaced, " bytes in all") : "");
  return true;
}

}  // namespace

absl::string_view ConvertToUtf8(absl::string_view text, std::string* storage) {
  if (Utf16ToUtf8(text, storage)) text = *storage;
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // BOM.
  return text;
}

TextPosition PositionOf(absl::string_view text, size_t offset) {
  const absl::string_view before = text.substr(0, offset);
  const size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0.
  return {std::count(before.begin(), before.end(), '\n') + 1,
          static_cast<int64_t>(offset - line_start + 1)};
}

std::string ControlCharacterError(absl::string_view file, TextPosition at,
                                  uint32_t c) {
  const std::string where =
      absl::StrCat(file, ": line ", at.line, ", column ", at.column);
  if (c == 0) {
    return absl::StrCat(where,
                        ": NUL byte (binary data belongs base64-encoded in a "
                        "Secret's data)");
  }
  if (c < 0x80) {
    return absl::StrFormat(
        "%s: control character 0x%02X (write it escaped in a quoted string)",
        where, c);
  }
  return absl::StrFormat(
      "%s: character U+%04X is not allowed in YAML (write it escaped in a "
      "double-quoted string)",
      where, c);
}

absl::Status CheckText(absl::string_view* text, absl::string_view file,
                       std::string* storage, std::vector<std::string>* warnings,
                       bool refuse_control_characters) {
  size_t i = 0;
  while (i < text->size()) {
    // Eight printable ASCII bytes at a time (no byte >= 0x80 or < 0x20).
    constexpr uint64_t kOnes = 0x0101010101010101, kHigh = kOnes * 0x80;
    uint64_t w;
    if (text->size() - i >= sizeof(w)) {
      std::memcpy(&w, text->data() + i, sizeof(w));
      if (((w | (w - kOnes * 0x20)) & kHigh) == 0) {
        i += sizeof(w);
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>((*text)[i]);
    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r' &&
        refuse_control_characters) {
      // Rare: only now count lines.
      return absl::InvalidArgumentError(
          ControlCharacterError(file, PositionOf(*text, i), c));
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (size_t n = utf8_internal::RuneLength(text->substr(i)); n > 0) {
      i += n;
      continue;
    }
    // Invalid UTF-8 (rare): the text is repaired as a whole, once, and
    // checked on from here, where it now holds U+FFFD.
    std::string fixed, warning;
    ReplaceInvalidUtf8(*text, file, &fixed, &warning);
    *storage = std::move(fixed);
    *text = *storage;
    warnings->push_back(std::move(warning));
  }
  return absl::OkStatus();
}

}  // namespace decode_internal
}  // namespace svcenv
