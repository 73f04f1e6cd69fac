// lib/decode/internal/fields.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. Generic typed access to the fields of a
// parsed (JSON-shaped) object, with Go's encoding/json rules: a missing field
// and an explicit null leave the output untouched, a value of the wrong JSON
// type is an error naming the file, document (and YAML line), object and
// field path. Knows nothing of Kubernetes kinds: those are in
// lib/decode/internal/kinds.h.
#ifndef SVCENV_LIB_DECODE_INTERNAL_FIELDS_H_
#define SVCENV_LIB_DECODE_INTERNAL_FIELDS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lib/base/status_macros.h"
#include "lib/decode/internal/tree.h"
#include "nlohmann/json.hpp"
#include "svcenv/decode.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace decode_internal {

// Field paths, built on the stack while descending and printed only for
// errors, so that the happy path allocates nothing for them.
struct Path {
  const Path* parent;
  absl::string_view key;  // A field name, or a user key when `user_key`.
  int index = -1;         // An array index when >= 0.
  bool user_key = false;  // Printed as `[key]`: label keys contain dots.
};

// Appends `p` as `spec.ports[1].name` or `data[app.conf]`.
void AppendPath(const Path* p, std::string* out);

// A value as it appears in messages: numbers and booleans as written,
// strings quoted (and shortened), containers by kind.
std::string Describe(const nlohmann::json& v);

// An empty JSON object that outlives every decoder.
const nlohmann::json& EmptyObject();

// Where the object being decoded came from.
struct Where {
  absl::string_view file;
  int document = 0;                  // 0-based.
  int item = -1;                     // 0-based; -1 outside a List.
  int line = 0;                      // The object's start; 0 when unknown.
  const LineTable* lines = nullptr;  // YAML only.
};

// Reads typed fields of one top-level object (or List item). Errors name the
// object by the kind and name given through SetKind()/SetName().
class FieldReader {
 public:
  using json = nlohmann::json;

  FieldReader(const Where& where, const DecodeOptions& options)
      : where_(where), options_(options) {}

  void SetKind(absl::string_view kind) { kind_ = kind; }
  absl::string_view kind() const { return kind_; }
  // The object's namespace (empty for cluster-scoped kinds) and name, for
  // messages.
  void SetName(absl::string_view namespace_name, absl::string_view name) {
    namespace_ = std::string(namespace_name);
    name_ = std::string(name);
  }

  const DecodeOptions& options() const { return options_; }
  const Where& where() const { return where_; }

  Origin MakeOrigin(int sequence) const;

  // The YAML line of `node`, 0 for JSON.
  int LineOf(const json& node) const;

  // An InvalidArgumentError at `at` (the field path, may be null) about
  // `node` (for its line; may be null).
  absl::Status Fail(const Path* at, const json* node,
                    absl::string_view problem) const;
  // "must be <want>, got <v>".
  absl::Status WrongType(const Path* at, const json& v,
                         absl::string_view want) const;

  // --- Typed field access. `obj` is always a JSON object. A missing field
  // and an explicit null both leave the output untouched, as Go's
  // encoding/json does.

  // The value of `key`, null when absent or null.
  static const json* Find(const json& obj, absl::string_view key);

  absl::Status String(const json& obj, absl::string_view key, const Path* at,
                      std::string* out) const;
  absl::Status Bool(const json& obj, absl::string_view key, const Path* at,
                    std::optional<bool>* out) const;
  absl::Status Bool(const json& obj, absl::string_view key, const Path* at,
                    bool* out) const;
  // `*out` is null when the field is absent.
  absl::Status Object(const json& obj, absl::string_view key, const Path* at,
                      const json** out) const;

  // Calls `fn(element, path)` for each element, which must be an object; a
  // null element decodes as an empty object (Go's zero value).
  template <typename Fn>
  absl::Status ForEachObject(const json& obj, absl::string_view key,
                             const Path* at, Fn fn) const;

  absl::Status StringList(const json& obj, absl::string_view key,
                          const Path* at, std::vector<std::string>* out) const;
  // A map[string]string such as labels or ConfigMap data.
  absl::Status StringMap(const json& obj, absl::string_view key, const Path* at,
                         std::map<std::string, std::string>* out) const;
  // A resource.Quantity, which unmarshals from a JSON string or number.
  absl::Status Quantity(const json& v, const Path* at, std::string* out) const;
  absl::Status QuantityMap(const json& obj, absl::string_view key,
                           const Path* at,
                           std::map<std::string, std::string>* out) const;
  // A map[string][]byte, base64 in JSON.
  absl::Status BytesMap(const json& obj, absl::string_view key, const Path* at,
                        std::map<std::string, std::string>* out) const;
  // A metav1.Time (RFC 3339).
  absl::Status Time(const json& obj, absl::string_view key, const Path* at,
                    std::optional<Timestamp>* out) const;

 private:
  const Where where_;
  const DecodeOptions& options_;
  absl::string_view kind_;
  std::string namespace_;
  std::string name_;
};

// Implementation details follow.

template <typename Fn>
absl::Status FieldReader::ForEachObject(const json& obj, absl::string_view key,
                                        const Path* at, Fn fn) const {
  const json* v = Find(obj, key);
  if (v == nullptr) return absl::OkStatus();
  Path p{at, key};
  if (!v->is_array()) return WrongType(&p, *v, "an array");
  const json::array_t& a = v->get_ref<const json::array_t&>();
  for (size_t i = 0; i < a.size(); ++i) {
    Path ep{&p, {}, static_cast<int>(i)};
    const json& e = a[i];
    if (e.is_null()) {
      SVCENV_RETURN_IF_ERROR(fn(EmptyObject(), &ep));
    } else if (!e.is_object()) {
      return WrongType(&ep, e, "an object");
    } else {
      SVCENV_RETURN_IF_ERROR(fn(e, &ep));
    }
  }
  return absl::OkStatus();
}

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_FIELDS_H_
