// Generic typed field access on parsed objects (see decode_fields.h).
#include "lib/decode/internal/fields.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lib/base/status_macros.h"
#include "lib/decode/internal/base64.h"
#include "lib/decode/internal/timestamp.h"
#include "nlohmann/json.hpp"
#include "svcenv/objects.h"
#include "svcenv/quantity.h"

namespace svcenv {
namespace decode_internal {

using json = nlohmann::json;

void AppendPath(const Path* p, std::string* out) {
  if (p == nullptr) return;
  AppendPath(p->parent, out);
  if (p->index >= 0) {
    absl::StrAppend(out, "[", p->index, "]");
  } else if (p->user_key) {
    absl::StrAppend(out, "[", p->key, "]");
  } else {
    if (!out->empty()) out->push_back('.');
    out->append(p->key.data(), p->key.size());
  }
}

std::string Describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return v.get_ref<const json::boolean_t&>() ? "true" : "false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return v.dump();
    case json::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      if (s.size() > 60) return absl::StrCat("\"", s.substr(0, 60), "...\"");
      return absl::StrCat("\"", s, "\"");
    }
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    default:
      return "an unsupported value";
  }
}

const json& EmptyObject() {
  static const json* const kEmpty = new json(json::object());
  return *kEmpty;
}

namespace {

// `v` (a number) as encoding/json prints it: integers in decimal, other
// floats shortest-round-trip, in exponent form outside [1e-6, 1e21).
std::string NumberText(const json& v) {
  if (!v.is_number_float()) return v.dump();
  const double d = v.get_ref<const json::number_float_t&>();
  char buf[400];
  const double a = std::fabs(d);
  const bool exponent = a != 0 && (a < 1e-6 || a >= 1e21);
  auto [end, ec] = std::to_chars(
      buf, buf + sizeof(buf), d,
      exponent ? std::chars_format::scientific : std::chars_format::fixed);
  if (ec != std::errc()) return v.dump();
  std::string s(buf, end);
  if (exponent) {
    // Go writes "1e-07" as "1e-7".
    size_t e = s.find('e');
    if (e != std::string::npos && e + 2 < s.size() && s[e + 2] == '0') {
      s.erase(e + 2, 1);
    }
  }
  return s;
}

}  // namespace

Origin FieldReader::MakeOrigin(int sequence) const {
  Origin o;
  o.file = std::string(where_.file);
  o.document = where_.document;
  o.line = where_.line;
  o.item = where_.item;
  o.sequence = sequence;
  return o;
}

int FieldReader::LineOf(const json& node) const {
  if (where_.lines == nullptr) return 0;
  auto it = where_.lines->find(&node);
  return it == where_.lines->end() ? 0 : it->second;
}

absl::Status FieldReader::Fail(const Path* at, const json* node,
                               absl::string_view problem) const {
  int line = node != nullptr ? LineOf(*node) : 0;
  if (line == 0) line = where_.line;
  std::string msg =
      absl::StrCat(where_.file, ": document ", where_.document + 1);
  if (where_.item >= 0) absl::StrAppend(&msg, ", item ", where_.item + 1);
  if (line > 0) absl::StrAppend(&msg, " (line ", line, ")");
  msg += ": ";
  if (!kind_.empty()) {
    msg.append(kind_.data(), kind_.size());
    if (!name_.empty()) {
      msg += ' ';
      if (!namespace_.empty()) absl::StrAppend(&msg, namespace_, "/");
      msg += name_;
    }
    msg += ": ";
  }
  std::string path;
  AppendPath(at, &path);
  if (!path.empty()) absl::StrAppend(&msg, path, ": ");
  msg.append(problem.data(), problem.size());
  return absl::InvalidArgumentError(msg);
}

absl::Status FieldReader::WrongType(const Path* at, const json& v,
                                    absl::string_view want) const {
  return Fail(at, &v, absl::StrCat("must be ", want, ", got ", Describe(v)));
}

const json* FieldReader::Find(const json& obj, absl::string_view key) {
  const json::object_t& o = obj.get_ref<const json::object_t&>();
  auto it = o.find(key);
  if (it == o.end() || it->second.is_null()) return nullptr;
  return &it->second;
}

absl::Status FieldReader::String(const json& obj, absl::string_view key,
                                 const Path* at, std::string* out) const {
  const json* v = Find(obj, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_string()) {
    Path p{at, key};
    return WrongType(&p, *v, "a string");
  }
  *out = v->get_ref<const std::string&>();
  return absl::OkStatus();
}

absl::Status FieldReader::Bool(const json& obj, absl::string_view key,
                               const Path* at, std::optional<bool>* out) const {
  const json* v = Find(obj, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_boolean()) {
    Path p{at, key};
    return WrongType(&p, *v, "a boolean");
  }
  *out = v->get_ref<const json::boolean_t&>();
  return absl::OkStatus();
}

absl::Status FieldReader::Bool(const json& obj, absl::string_view key,
                               const Path* at, bool* out) const {
  std::optional<bool> b;
  SVCENV_RETURN_IF_ERROR(Bool(obj, key, at, &b));
  if (b.has_value()) *out = *b;
  return absl::OkStatus();
}

// `*out` is null when the field is absent.
absl::Status FieldReader::Object(const json& obj, absl::string_view key,
                                 const Path* at, const json** out) const {
  *out = Find(obj, key);
  if (*out != nullptr && !(*out)->is_object()) {
    Path p{at, key};
    return WrongType(&p, **out, "an object");
  }
  return absl::OkStatus();
}

absl::Status FieldReader::StringList(const json& obj, absl::string_view key,
                                     const Path* at,
                                     std::vector<std::string>* out) const {
  const json* v = Find(obj, key);
  if (v == nullptr) return absl::OkStatus();
  Path p{at, key};
  if (!v->is_array()) return WrongType(&p, *v, "an array");
  const json::array_t& a = v->get_ref<const json::array_t&>();
  out->reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_null()) {
      out->emplace_back();
    } else if (!a[i].is_string()) {
      Path ep{&p, {}, static_cast<int>(i)};
      return WrongType(&ep, a[i], "a string");
    } else {
      out->push_back(a[i].get_ref<const std::string&>());
    }
  }
  return absl::OkStatus();
}

// A map[string]string such as labels or ConfigMap data.
absl::Status FieldReader::StringMap(
    const json& obj, absl::string_view key, const Path* at,
    std::map<std::string, std::string>* out) const {
  const json* v = Find(obj, key);
  if (v == nullptr) return absl::OkStatus();
  Path p{at, key};
  if (!v->is_object()) return WrongType(&p, *v, "an object");
  for (const auto& [k, e] : v->get_ref<const json::object_t&>()) {
    if (e.is_null()) {
      (*out)[k];
    } else if (!e.is_string()) {
      Path ep{&p, k, -1, true};
      return WrongType(&ep, e, "a string");
    } else {
      (*out)[k] = e.get_ref<const std::string&>();
    }
  }
  return absl::OkStatus();
}

// A resource.Quantity, which unmarshals from a JSON string or number, and
// only when apimachinery's ParseQuantity takes it: the API server refuses
// the whole object otherwise (`kubectl apply` fails with BadRequest), so no
// kubelet ever sees it, whether or not a resourceFieldRef reads it.
absl::Status FieldReader::Quantity(const json& v, const Path* at,
                                   std::string* out) const {
  if (v.is_string()) {
    *out = v.get_ref<const std::string&>();
  } else if (v.is_number()) {
    *out = NumberText(v);
  } else {
    return WrongType(at, v, "a quantity (string or number)");
  }
  // Out of svcenv's exact range (`1e40`) is no decoding error: the API
  // takes it, and the kubelet's reading of it is reported where it is used.
  const absl::StatusOr<svcenv::Quantity> parsed = ParseQuantity(*out);
  if (!parsed.ok() &&
      parsed.status().code() == absl::StatusCode::kInvalidArgument) {
    return Fail(at, &v,
                absl::StrCat(parsed.status().message(),
                             " (the API server refuses the object)"));
  }
  return absl::OkStatus();
}

absl::Status FieldReader::QuantityMap(
    const json& obj, absl::string_view key, const Path* at,
    std::map<std::string, std::string>* out) const {
  const json* v = Find(obj, key);
  if (v == nullptr) return absl::OkStatus();
  Path p{at, key};
  if (!v->is_object()) return WrongType(&p, *v, "an object");
  for (const auto& [k, e] : v->get_ref<const json::object_t&>()) {
    if (e.is_null()) continue;  // A zero Quantity: nothing was set.
    Path ep{&p, k, -1, true};
    SVCENV_RETURN_IF_ERROR(Quantity(e, &ep, &(*out)[k]));
  }
  return absl::OkStatus();
}

// A map[string][]byte, base64 in JSON.
absl::Status FieldReader::BytesMap(
    const json& obj, absl::string_view key, const Path* at,
    std::map<std::string, std::string>* out) const {
  const json* v = Find(obj, key);
  if (v == nullptr) return absl::OkStatus();
  Path p{at, key};
  if (!v->is_object()) return WrongType(&p, *v, "an object");
  std::string error;
  for (const auto& [k, e] : v->get_ref<const json::object_t&>()) {
    Path ep{&p, k, -1, true};
    if (e.is_null()) {
      (*out)[k];
      continue;
    }
    if (!e.is_string()) return WrongType(&ep, e, "a base64 string");
    if (!decode_internal::Base64Decode(e.get_ref<const std::string&>(),
                                       &(*out)[k], &error)) {
      return Fail(&ep, &e, absl::StrCat("malformed base64: ", error));
    }
  }
  return absl::OkStatus();
}

absl::Status FieldReader::Time(const json& obj, absl::string_view key,
                               const Path* at,
                               std::optional<Timestamp>* out) const {
  const json* v = Find(obj, key);
  if (v == nullptr) return absl::OkStatus();
  Path p{at, key};
  if (!v->is_string()) return WrongType(&p, *v, "an RFC 3339 timestamp");
  Timestamp t;
  if (!decode_internal::ParseTimestamp(v->get_ref<const std::string&>(), &t)) {
    return Fail(&p, v,
                absl::StrCat("must be an RFC 3339 timestamp such as "
                             "2024-05-01T10:00:00Z, got ",
                             Describe(*v)));
  }
  *out = std::move(t);
  return absl::OkStatus();
}

}  // namespace decode_internal
}  // namespace svcenv
