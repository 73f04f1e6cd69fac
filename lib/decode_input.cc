// The decoder's input side: files, directories and byte-level text checks.
#include "lib/internal/decode_input.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "lib/internal/status_macros.h"
#include "lib/internal/utf8.h"

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

absl::Status ReadAll(std::FILE* f, const std::string& name, size_t limit,
                     std::string* out) {
  char buf[1 << 16];
  while (true) {
    const size_t n = std::fread(buf, 1, sizeof(buf), f);
    out->append(buf, n);
    if (out->size() > limit) {
      return absl::InvalidArgumentError(absl::StrCat(
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
  absl::Status s = ReadAll(f, path, limit, out);
  std::fclose(f);
  return s;
}

namespace {

bool HasManifestExtension(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".json" || ext == ".yaml" || ext == ".yml";
}

}  // namespace

absl::Status ListDirectory(const std::filesystem::path& dir, bool recursive,
                           std::vector<std::string>* files) {
  std::error_code ec;
  std::vector<std::filesystem::path> entries;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    entries.push_back(it->path());
  }
  if (ec) return FileError(dir.string(), ec.value());
  std::sort(entries.begin(), entries.end());
  for (const std::filesystem::path& p : entries) {
    // Symlinked directories are not followed, so recursion terminates.
    const auto link_status = std::filesystem::symlink_status(p, ec);
    if (std::filesystem::is_directory(link_status)) {
      if (recursive) {
        SVCENV_RETURN_IF_ERROR(ListDirectory(p, recursive, files));
      }
    } else if (HasManifestExtension(p) &&
               !std::filesystem::is_directory(p, ec)) {
      files->push_back(p.string());
    }
  }
  return absl::OkStatus();
}

// Refuses text that is not UTF-8 or holds control characters other than
// tab, line feed and carriage return: YAML forbids them, JSON allows them
// nowhere but escaped in strings, and a parser might pass some through.
absl::Status CheckText(absl::string_view text, absl::string_view file) {
  if (absl::StartsWith(text, "\xFF\xFE") ||
      absl::StartsWith(text, "\xFE\xFF")) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": line 1, column 1: input is UTF-16; svcenv reads UTF-8"));
  }
  size_t i = 0;
  while (i < text.size()) {
    // Eight printable ASCII bytes at a time (no byte >= 0x80 or < 0x20).
    constexpr uint64_t kOnes = 0x0101010101010101, kHigh = kOnes * 0x80;
    uint64_t w;
    if (text.size() - i >= sizeof(w)) {
      std::memcpy(&w, text.data() + i, sizeof(w));
      if (((w | (w - kOnes * 0x20)) & kHigh) == 0) {
        i += sizeof(w);
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c >= 0x20 && c < 0x80) || c == '\n' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (size_t n = c < 0x80 ? 0 : utf8_internal::RuneLength(text.substr(i));
        n > 0) {
      i += n;
      continue;
    }
    // Rare: only now count lines.
    const absl::string_view before = text.substr(0, i);
    const size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0.
    const std::string where = absl::StrCat(
        file, ": line ", std::count(before.begin(), before.end(), '\n') + 1,
        ", column ", i - line_start + 1);
    if (c == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(where,
                       ": NUL byte (binary data belongs base64-encoded in a "
                       "Secret's data)"));
    }
    if (c < 0x80) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: control character 0x%02X (write it escaped in a quoted string)",
          where, c));
    }
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: invalid UTF-8 (byte 0x%02X)", where, c));
  }
  return absl::OkStatus();
}

}  // namespace decode_internal
}  // namespace svcenv
