// include/svcenv/decode.h
//
// Reads Kubernetes objects from JSON or YAML text, files, directories and
// standard input into `svcenv::Objects`. Accepts single objects, multi-document
// YAML streams and `kind: List` (also `ServiceList`, `PodList`, ...) as
// printed by `kubectl get -o json|yaml`. Kinds svcenv does not use are
// skipped. Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet,
// ReplicationController, Job, CronJob) contribute their pod template as a
// `Pod` whose `workload_kind`/`workload_name` name the workload (`PodTemplate`
// too). Only the API groups of these kinds are read: a Knative `Service` is
// skipped. YAML scalars convert as `kubectl` converts them (YAML 1.1: `yes`,
// `on`, `y` are booleans), and a field of the wrong JSON type is an error, as
// it is for the API server.
//
// The text must be UTF-8 without NUL bytes or other control characters
// (tab, line feed and carriage return aside), as YAML requires and as JSON
// requires inside strings; binary data belongs base64-encoded in a Secret's
// `data`. A leading UTF-8 byte order mark is skipped; UTF-16 (little or big
// endian) with a byte order mark is converted, as kubectl's file reader does.
// JSON is a stream of concatenated values (`jq` output), read one after
// another. A map that repeats a key keeps the last value, as kubectl's
// converter does, and the repetition is recorded in
// `Objects::duplicate_keys` (`DecodeOptions::strict_keys` refuses it).
// Objects named by `metadata.generateName` only are read, with an empty
// `name`; messages (and a Pod's `workload_name`) show `generateName*`.
//
// Errors never crash and never leave partial output: the first bad field
// makes the whole call fail with `InvalidArgumentError` whose message names
// the file, the document (and YAML line), the object and the field path:
//   deploy.yaml: document 2 (line 31): Service shop/redis: spec.ports[1].port:
//   must be an integer in 1..65535, got 70000
// Inside a List the message says `document 1, item 3`; JSON has no lines.
// Syntax errors give `<file>: line L, column C: ...`. An unreadable file is
// `NotFoundError` or `PermissionDeniedError`.
//
// A directory is read as `kubectl apply -f DIR [-R]` reads it:
// ListManifestFiles() is that walk, with a filter for callers (`svcenv
// check`) that leave out some of what it finds.
//
// Functions here are thread-safe (a ManifestFilter is called on the calling
// thread only).
//
// Example:
//   svcenv::Objects objects;
//   absl::Status s = svcenv::DecodeText(text, "svc.yaml", {}, &objects);
#ifndef SVCENV_INCLUDE_SVCENV_DECODE_H_
#define SVCENV_INCLUDE_SVCENV_DECODE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv {

struct DecodeOptions {
  // Namespace given to namespaced objects that have none.
  std::string default_namespace = "default";

  // Refuse a map that repeats a key (kubectl's strict decoding) instead of
  // keeping the last value and recording it in Objects::duplicate_keys.
  bool strict_keys = false;

  // Limits that keep hostile input cheap to reject. Exceeding one is an
  // InvalidArgumentError naming the limit; exceeding `max_input_bytes` is
  // also marked so (IsInputTooLarge) that a front end can name its flag.
  size_t max_input_bytes = size_t{64} << 20;  // Per file or text.
  int max_depth = 100;                        // Nested objects and arrays.
  // YAML nodes after expanding aliases, per text, so that an alias bomb
  // ("billion laughs") fails instead of exhausting memory.
  int64_t max_yaml_nodes = 5'000'000;
  // Documents and List items per file or text, each counted whether or not
  // svcenv reads its kind.
  int64_t max_objects = 1'000'000;
};

// Whether `status` is a decode error for input longer than
// `DecodeOptions::max_input_bytes` (a payload on the status, kept wherever
// the status is passed on as it is).
bool IsInputTooLarge(const absl::Status& status);

// Decodes `text` (JSON when its first non-blank byte is `{` or `[`, YAML
// otherwise) and appends the objects to `out`. `file_name` is used in
// messages and in each object's `Origin`. On error `out` is unchanged.
absl::Status DecodeText(absl::string_view text, absl::string_view file_name,
                        const DecodeOptions& options, Objects* out);

// Reads and decodes every path in order: "-" is standard input, a directory
// contributes the files ListManifestFiles(path, recursive) lists, a file
// is read whatever its name. On error `out` is unchanged.
absl::Status DecodePaths(const std::vector<std::string>& paths, bool recursive,
                         const DecodeOptions& options, Objects* out);

// What a ManifestFilter says of one entry of a directory.
enum class EntryDecision {
  kKeep,  // A file: list it. A subdirectory: walk it.
  kSkip,  // Leave it out (a subdirectory with everything under it).
};

// Decides for ListManifestFiles whether to keep an entry it found: `path`
// (the directory's path joined with the entry's name, as listed) and
// whether it is a subdirectory. Asked only of what the walk would otherwise
// take: files with a manifest extension, and subdirectories when
// recursive. A filter that skips records why itself (e.g. for a summary).
using ManifestFilter =
    std::function<EntryDecision(const std::string& path, bool is_directory)>;

// The manifest files under `dir`, as `kubectl apply -f DIR [-R]` takes
// them: files ending in `.json`, `.yaml` or `.yml`, in lexical order of
// their names, a subdirectory's files in its place among them (`a.yaml`,
// `b/c.yaml`, `d.yaml`, as filepath.Walk visits them), subdirectories walked
// only when `recursive`. A symlink is listed by its own name (a broken one
// too, for the reader to name), except one to a directory: a symlinked
// directory is never walked (so a link cycle ends) nor listed. Each path
// is `dir` joined with the names below it. `keep`, when given, is asked of
// each file and subdirectory, in this order, before it is listed or walked
// (see ManifestFilter); without it everything is kept.
//
// A directory that cannot be listed, `dir` or one below it, is an error
// naming it (`NotFoundError`, `PermissionDeniedError` or `UnknownError`,
// e.g. `deploy/secret: Permission denied`), never a silent gap; no
// partial list is returned (`keep` may have been asked of the entries
// before it). Files are not opened.
//
// Example (a walk that leaves Helm charts out):
//   absl::StatusOr<std::vector<std::string>> files = svcenv::ListManifestFiles(
//       "deploy", /*recursive=*/true,
//       [](const std::string& path, bool is_directory) {
//         const bool chart = is_directory &&
//             std::filesystem::exists(path + "/Chart.yaml");
//         return chart ? svcenv::EntryDecision::kSkip
//                      : svcenv::EntryDecision::kKeep;
//       });
absl::StatusOr<std::vector<std::string>> ListManifestFiles(
    const std::string& dir, bool recursive,
    const ManifestFilter& keep = nullptr);

// One line saying where `key` was repeated and that the last value is used,
// e.g. `in.yaml: line 9: key "image" repeated in spec.containers[0] (first
// on line 7); the last value is used, as kubectl does`. JSON (no lines)
// names the document instead. For warnings; no trailing newline.
std::string DescribeDuplicateKey(const DuplicateKey& duplicate);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_DECODE_H_
