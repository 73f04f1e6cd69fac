// lib/internal/decode_input.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. The decoder's input side: reading files,
// standard input and directories, and the byte-level checks every text passes
// before a parser sees it (size limit, UTF-8, control characters).
#ifndef SVCENV_LIB_INTERNAL_DECODE_INPUT_H_
#define SVCENV_LIB_INTERNAL_DECODE_INPUT_H_

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace svcenv {
namespace decode_internal {

// `path: strerror(err)` as NotFound, PermissionDenied or Unknown.
absl::Status FileError(const std::string& path, int err);

// Appends all of `f` to `*out`; more than `limit` bytes is an
// InvalidArgumentError naming `name`.
absl::Status ReadAll(std::FILE* f, const std::string& name, size_t limit,
                     std::string* out);

// ReadAll() on the file at `path`.
absl::Status ReadFile(const std::string& path, size_t limit, std::string* out);

// Adds the manifest files (`.json`, `.yaml`, `.yml`) under `dir` to `files`,
// in lexical order with subdirectories visited in place (as filepath.Walk
// does), recursing only when `recursive`. Symlinked directories are skipped.
absl::Status ListDirectory(const std::filesystem::path& dir, bool recursive,
                           std::vector<std::string>* files);

// Refuses text that is not UTF-8 or holds control characters other than
// tab, line feed and carriage return, naming `file`, line and column.
absl::Status CheckText(absl::string_view text, absl::string_view file);

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_INTERNAL_DECODE_INPUT_H_
