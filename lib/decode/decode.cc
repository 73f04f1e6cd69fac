// The decoder's entry points: reading paths, choosing JSON or YAML, and
// keeping `out` unchanged on error, and the walk of a directory. The work is
// done by the files behind lib/decode/internal/*.h:
//   input   files, byte-level text checks
//   json    the JSON parser          yaml_json  the YAML parser
//   stream  documents and Lists
//   fields  typed field access (Go encoding/json rules)
//   kinds   the Kubernetes schema: kinds and their fields
#include "svcenv/decode.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lib/base/status_macros.h"
#include "lib/decode/internal/input.h"
#include "lib/decode/internal/stream.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

using decode_internal::Append;
using decode_internal::Count;

bool HasManifestExtension(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".json" || ext == ".yaml" || ext == ".yml";
}

// ListManifestFiles() below `dir`, appending to `files`.
absl::Status ListInto(const std::filesystem::path& dir, bool recursive,
                      const ManifestFilter& keep,
                      std::vector<std::string>* files) {
  std::error_code ec;
  std::vector<std::filesystem::path> entries;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    entries.push_back(it->path());
  }
  if (ec) return decode_internal::FileError(dir.string(), ec.value());
  std::sort(entries.begin(), entries.end());
  const auto kept = [&keep](const std::string& path, bool is_directory) {
    return keep == nullptr ||
           keep(path, is_directory) == EntryDecision::kKeep;
  };
  for (const std::filesystem::path& p : entries) {
    // Symlinked directories are not followed, so recursion terminates.
    const auto link_status = std::filesystem::symlink_status(p, ec);
    if (std::filesystem::is_directory(link_status)) {
      if (recursive && kept(p.string(), /*is_directory=*/true)) {
        SVCENV_RETURN_IF_ERROR(ListInto(p, recursive, keep, files));
      }
    } else if (HasManifestExtension(p) &&
               !std::filesystem::is_directory(p, ec) &&
               kept(p.string(), /*is_directory=*/false)) {
      files->push_back(p.string());
    }
  }
  return absl::OkStatus();
}

bool LooksLikeJson(absl::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

// Decodes `text` into `staging`, numbering objects from `sequence`.
// `pages`: the mapped file `text` is, or null.
absl::Status DecodeInto(absl::string_view text, absl::string_view file,
                        const DecodeOptions& options, int sequence,
                        Objects* staging,
                        const decode_internal::MappedFile* pages = nullptr) {
  if (text.size() > options.max_input_bytes) {
    return decode_internal::InputTooLargeError(absl::StrCat(
        file, ": input is ", text.size(), " bytes, more than the limit of ",
        options.max_input_bytes, " bytes"));
  }
  std::string storage;
  text = decode_internal::ConvertToUtf8(text, &storage);
  // Whether kubectl reads it as JSON does not change with the repair of
  // invalid UTF-8: the leading bytes it looks at are ASCII.
  const bool json = LooksLikeJson(text);
  SVCENV_RETURN_IF_ERROR(decode_internal::CheckText(
      &text, file, &storage, &staging->decode_warnings,
      /*refuse_control_characters=*/json));
  try {
    if (json) {
      return decode_internal::DecodeJson(text, file, options, sequence,
                                         staging);
    }
    return decode_internal::DecodeYaml(text, file, options, sequence, staging,
                                       pages);
  } catch (const std::exception& e) {
    // Nothing in lib/ should throw; allocation failure still might.
    return absl::ResourceExhaustedError(
        absl::StrCat(file, ": decoding failed: ", e.what()));
  }
}

}  // namespace

bool IsInputTooLarge(const absl::Status& status) {
  return status.GetPayload(decode_internal::kInputTooLargeUrl).has_value();
}

std::string DescribeDuplicateKey(const DuplicateKey& d) {
  std::string where =
      d.line > 0 ? absl::StrCat(d.file, ": line ", d.line)
                 : absl::StrCat(d.file, ": document ", d.document + 1);
  absl::StrAppend(&where, ": key \"", d.key, "\" repeated");
  if (!d.path.empty()) absl::StrAppend(&where, " in ", d.path);
  if (d.first_line > 0) absl::StrAppend(&where, " (first on line ", d.first_line, ")");
  absl::StrAppend(&where, "; the last value is used, as kubectl does");
  return where;
}

absl::StatusOr<std::vector<std::string>> ListManifestFiles(
    const std::string& dir, bool recursive, const ManifestFilter& keep) {
  std::vector<std::string> files;
  SVCENV_RETURN_IF_ERROR(ListInto(dir, recursive, keep, &files));
  return files;
}

absl::Status DecodeText(absl::string_view text, absl::string_view file_name,
                        const DecodeOptions& options, Objects* out) {
  Objects staging;
  SVCENV_RETURN_IF_ERROR(
      DecodeInto(text, file_name, options, Count(*out), &staging));
  Append(std::move(staging), out);
  return absl::OkStatus();
}

absl::Status DecodePaths(const std::vector<std::string>& paths, bool recursive,
                         const DecodeOptions& options, Objects* out) {
  Objects staging;
  const int base = Count(*out);
  for (const std::string& path : paths) {
    std::vector<std::string> files;
    if (path == "-") {
      files.push_back(path);
    } else {
      std::error_code ec;
      const auto status = std::filesystem::status(path, ec);
      if (ec) return decode_internal::FileError(path, ec.value());
      if (std::filesystem::is_directory(status)) {
        SVCENV_ASSIGN_OR_RETURN(files, ListManifestFiles(path, recursive));
      } else {
        files.push_back(path);
      }
    }
    for (const std::string& file : files) {
      if (file != "-") {
        std::unique_ptr<decode_internal::MappedFile> mapped =
            decode_internal::MappedFile::Open(file, options.max_input_bytes);
        if (mapped != nullptr) {
          SVCENV_RETURN_IF_ERROR(DecodeInto(mapped->text(), file, options,
                                            base + Count(staging), &staging,
                                            mapped.get()));
          continue;
        }
      }
      std::string text;
      if (file == "-") {
        SVCENV_RETURN_IF_ERROR(decode_internal::ReadAll(
            stdin, "-", options.max_input_bytes, &text));
      } else {
        SVCENV_RETURN_IF_ERROR(
            decode_internal::ReadFile(file, options.max_input_bytes, &text));
      }
      SVCENV_RETURN_IF_ERROR(
          DecodeInto(text, file, options, base + Count(staging), &staging));
    }
  }
  Append(std::move(staging), out);
  return absl::OkStatus();
}

}  // namespace svcenv
