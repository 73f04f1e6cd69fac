#include "lib/internal/yaml_json.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
// GCC 12 at -O2 reports a false -Wdangling-pointer inside yaml-cpp 0.7's
// node/impl.h (inlined Node::operator[] helpers); the headers are not ours.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif
#include "yaml-cpp/eventhandler.h"
#include "yaml-cpp/yaml.h"
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif

namespace svcenv {
namespace decode_internal {
namespace {

using json = nlohmann::json;

constexpr absl::string_view kStrTag = "tag:yaml.org,2002:str";
constexpr absl::string_view kIntTag = "tag:yaml.org,2002:int";
constexpr absl::string_view kFloatTag = "tag:yaml.org,2002:float";
constexpr absl::string_view kBoolTag = "tag:yaml.org,2002:bool";
constexpr absl::string_view kNullTag = "tag:yaml.org,2002:null";

int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }

bool OneOf(absl::string_view s, std::initializer_list<absl::string_view> l) {
  for (absl::string_view x : l) {
    if (s == x) return true;
  }
  return false;
}

// Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) after go-yaml has
// removed every '_'. Returns false when `s` is not an integer that fits.
bool ParseGoInt(absl::string_view s, json* out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    const char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2;
      s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return false;
  uint64_t magnitude = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, magnitude, base);
  if (ec != std::errc() || ptr != end) return false;
  if (negative) {
    if (magnitude > uint64_t{1} << 63) return false;
    *out = static_cast<int64_t>(0 - magnitude);
  } else if (magnitude <= static_cast<uint64_t>(INT64_MAX)) {
    *out = static_cast<int64_t>(magnitude);
  } else {
    *out = magnitude;  // ParseUint succeeds where ParseInt overflowed.
  }
  return true;
}

// go-yaml's yamlStyleFloat:
// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool IsYamlStyleFloat(absl::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  } else {
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// A float as it reaches Kubernetes: sigs.k8s.io/yaml hands it to
// encoding/json, which prints integral values without a fraction, so
// `port: 80.0` decodes like `port: 80`.
json FloatValue(double v) {
  if (std::trunc(v) == v && std::fabs(v) < 9.2e18) {
    return static_cast<int64_t>(v);
  }
  return v;
}

enum class Resolved { kNull, kBool, kInt, kFloat, kString, kUnsupported };

// Resolves a plain scalar as go-yaml v2 does (YAML 1.1). Timestamps stay
// strings, as go-yaml v2 keeps them for interface{} targets.
Resolved ResolvePlain(const std::string& in, json* out) {
  if (in.empty() || OneOf(in, {"~", "null", "Null", "NULL"})) {
    *out = nullptr;
    return Resolved::kNull;
  }
  if (OneOf(in, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on",
                 "On", "ON"})) {
    *out = true;
    return Resolved::kBool;
  }
  if (OneOf(in, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off",
                 "Off", "OFF"})) {
    *out = false;
    return Resolved::kBool;
  }
  if (OneOf(in, {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf",
                 "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"})) {
    // encoding/json cannot represent these, so Kubernetes rejects them.
    return Resolved::kUnsupported;
  }
  const char c = in[0];
  if ((c >= '0' && c <= '9') || c == '+' || c == '-') {
    std::string plain;
    plain.reserve(in.size());
    for (char ch : in) {
      if (ch != '_') plain.push_back(ch);
    }
    if (ParseGoInt(plain, out)) return Resolved::kInt;
    if (IsYamlStyleFloat(plain)) {
      errno = 0;
      const double v = std::strtod(plain.c_str(), nullptr);
      if (!(errno == ERANGE && std::isinf(v))) {
        *out = FloatValue(v);
        return Resolved::kFloat;
      }
    }
  } else if (c == '.' && IsYamlStyleFloat(in)) {
    *out = FloatValue(std::strtod(in.c_str(), nullptr));
    return Resolved::kFloat;
  }
  *out = in;
  return Resolved::kString;
}

// go-yaml v2's allowedAliasRatio(decodeCount).
double AllowedAliasRatio(int64_t nodes) {
  constexpr int64_t kLow = 400'000, kHigh = 4'000'000;
  if (nodes <= kLow) return 0.99;
  if (nodes >= kHigh) return 0.10;
  return 0.99 - 0.89 * (static_cast<double>(nodes - kLow) /
                        static_cast<double>(kHigh - kLow));
}

// Shortest text that reads back as `v`, as Go's strconv 'g' would print it.
std::string FloatText(double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec != std::errc()) return "0";
  return std::string(buf, ptr);
}

class Converter {
 public:
  Converter(const YamlLimits& limits, YamlStream* out)
      : limits_(limits), out_(out) {}

  absl::Status Document(int index, const YAML::Node& root, json* slot) {
    document_ = index;
    if (!root.IsDefined() || root.IsNull()) return absl::OkStatus();
    int64_t size = 0;
    int height = 0;
    aliased_ = 0;
    absl::Status s = Measure(root, 1, &size, &height);
    if (!s.ok()) return s;
    nodes_ += size;
    if (nodes_ > limits_.max_nodes) {
      return Error(root, absl::StrCat("more than ", limits_.max_nodes,
                                      " YAML nodes after expanding aliases"));
    }
    // go-yaml v2's guard against alias bombs, which kubectl therefore has:
    // past 1000 nodes, at most a share of them may come from aliases, 99% up
    // to 400,000 nodes falling to 10% at 4,000,000. go-yaml checks as it
    // goes; checking the totals refuses the same bombs.
    if (aliased_ > 100 && size > 1000 &&
        static_cast<double>(aliased_) / static_cast<double>(size) >
            AllowedAliasRatio(size)) {
      return Error(root, absl::StrCat("excessive aliasing: ", aliased_, " of ",
                                      size, " YAML nodes come from aliases"));
    }
    out_->lines[slot] = LineOf(root);
    return Convert(root, slot);
  }

 private:
  absl::Status Error(const YAML::Node& node, absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(
        "document ", document_ + 1, " (line ", LineOf(node), "): ", problem));
  }

  // Counts the nodes `node` expands to, refusing too deep (or, through
  // aliases, cyclic) nesting before anything is allocated for them. Shared
  // (aliased) collections are counted once per use but walked once.
  absl::Status Measure(const YAML::Node& node, int depth, int64_t* size,
                       int* height) {
    if (depth > limits_.max_depth) {
      return Error(node, absl::StrCat("nesting deeper than ", limits_.max_depth,
                                      " levels"));
    }
    if (!node.IsMap() && !node.IsSequence()) {
      *size = 1;
      *height = 1;
      return absl::OkStatus();
    }
    const std::pair<int, bool> key(node.Mark().pos, node.IsMap());
    if (auto it = memo_.find(key); it != memo_.end()) {
      // Met again: an alias, all of whose nodes are copies.
      *size = it->second.first;
      *height = it->second.second;
      aliased_ = std::min(aliased_ + *size, limits_.max_nodes + 1);
      if (depth + *height - 1 > limits_.max_depth) {
        return Error(node, absl::StrCat("nesting deeper than ",
                                        limits_.max_depth, " levels"));
      }
      return absl::OkStatus();
    }
    int64_t total = 1;
    int tallest = 0;
    for (auto it = node.begin(); it != node.end(); ++it) {
      int64_t child_size = 0;
      int child_height = 0;
      absl::Status s =
          node.IsMap()
              ? Measure(it->second, depth + 1, &child_size, &child_height)
              : Measure(*it, depth + 1, &child_size, &child_height);
      if (!s.ok()) return s;
      total += child_size + (node.IsMap() ? 1 : 0);
      if (total > limits_.max_nodes) total = limits_.max_nodes + 1;
      tallest = std::max(tallest, child_height);
    }
    *size = total;
    *height = tallest + 1;
    memo_.emplace(key, std::make_pair(total, *height));
    return absl::OkStatus();
  }

  absl::Status Scalar(const YAML::Node& node, json* out) {
    const std::string& tag = node.Tag();
    const std::string& text = node.Scalar();
    if (tag == "?") {
      if (ResolvePlain(text, out) == Resolved::kUnsupported) {
        return Error(node, absl::StrCat("unsupported value ", text));
      }
      return absl::OkStatus();
    }
    if (tag == "!" || tag == kStrTag) {
      *out = text;
      return absl::OkStatus();
    }
    Resolved want;
    if (tag == kIntTag) {
      want = Resolved::kInt;
    } else if (tag == kFloatTag) {
      want = Resolved::kFloat;
    } else if (tag == kBoolTag) {
      want = Resolved::kBool;
    } else if (tag == kNullTag) {
      want = Resolved::kNull;
    } else {
      *out = text;  // go-yaml keeps scalars with other tags as strings.
      return absl::OkStatus();
    }
    Resolved got = ResolvePlain(text, out);
    if (want == Resolved::kFloat && got == Resolved::kInt) got = want;
    if (got != want) {
      return Error(node, absl::StrCat("cannot decode `", text, "` as ", tag));
    }
    return absl::OkStatus();
  }

  // sigs.k8s.io/yaml turns non-string keys into their JSON text.
  absl::Status Key(const YAML::Node& node, std::string* key) {
    if (!node.IsScalar()) {
      if (node.IsNull()) return Error(node, "unsupported map key null");
      return Error(node, "unsupported map key: not a scalar");
    }
    json v;
    absl::Status s = Scalar(node, &v);
    if (!s.ok()) return s;
    switch (v.type()) {
      case json::value_t::string:
        *key = v.get_ref<const std::string&>();
        break;
      case json::value_t::boolean:
        *key = v.get<bool>() ? "true" : "false";
        break;
      case json::value_t::number_integer:
      case json::value_t::number_unsigned:
        *key = v.dump();
        break;
      case json::value_t::number_float:
        *key = FloatText(v.get<double>());
        break;
      default:
        return Error(node, "unsupported map key null");
    }
    return absl::OkStatus();
  }

  // Adds the entries of `map` to `*out`, later keys replacing earlier ones.
  // A `<<` merge key adds the merged maps' entries at its position, as
  // go-yaml v2 does (a list of maps is merged last to first). A key written
  // twice in `map` itself is an error, as in go-yaml's strict mode that
  // kubectl decodes with; a key from a merge may be overridden.
  absl::Status MergeInto(const YAML::Node& map, json* out) {
    json::object_t& obj = out->get_ref<json::object_t&>();
    absl::flat_hash_map<std::string, int> own;  // Key -> its line.
    // yaml-cpp iterators yield temporaries: hold the entry by value.
    for (const auto& entry : map) {
      const YAML::Node& k = entry.first;
      const YAML::Node& v = entry.second;
      if (k.IsScalar() && k.Tag() == "?" && k.Scalar() == "<<") {
        if (v.IsMap()) {
          absl::Status s = MergeInto(v, out);
          if (!s.ok()) return s;
          continue;
        }
        if (v.IsSequence()) {
          for (size_t i = v.size(); i-- > 0;) {
            const YAML::Node& m = v[i];
            if (!m.IsMap()) {
              return Error(m, "map merge requires map or sequence of maps");
            }
            absl::Status s = MergeInto(m, out);
            if (!s.ok()) return s;
          }
          continue;
        }
        return Error(v, "map merge requires map or sequence of maps");
      }
      std::string key;
      absl::Status s = Key(k, &key);
      if (!s.ok()) return s;
      if (auto [it, added] = own.emplace(key, LineOf(k)); !added) {
        return Error(k, absl::StrCat("duplicate key \"", key,
                                     "\" (first on line ", it->second, ")"));
      }
      json& slot = obj[std::move(key)];
      out_->lines[&slot] = LineOf(v);
      s = Convert(v, &slot);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status Convert(const YAML::Node& node, json* out) {
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        *out = nullptr;
        return absl::OkStatus();
      case YAML::NodeType::Scalar:
        return Scalar(node, out);
      case YAML::NodeType::Sequence: {
        *out = json::array();
        json::array_t& arr = out->get_ref<json::array_t&>();
        arr.resize(node.size());  // Once: element addresses must not move.
        size_t i = 0;
        for (const auto& item : node) {
          out_->lines[&arr[i]] = LineOf(item);
          absl::Status s = Convert(item, &arr[i]);
          ++i;
          if (!s.ok()) return s;
        }
        return absl::OkStatus();
      }
      case YAML::NodeType::Map:
        *out = json::object();
        return MergeInto(node, out);
    }
    return absl::OkStatus();
  }

  const YamlLimits& limits_;
  YamlStream* out_;
  int document_ = 0;
  int64_t nodes_ = 0;
  int64_t aliased_ = 0;  // Nodes of the current document from aliases.
  absl::flat_hash_map<std::pair<int, bool>, std::pair<int64_t, int>> memo_;
};

// Watches a first pass over the stream for yaml-cpp 0.7 failing to advance:
// on some bad input (a lone `,`) its LoadAll() yields empty documents
// forever, allocating as it goes (jbeder/yaml-cpp#1040, fixed upstream by
// #1319 after 0.7). A document that starts where the previous one started
// means the parser is stuck.
class ProgressCheck : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    stuck_ = started_ && mark.pos == last_.pos;
    last_ = mark;
    started_ = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  bool stuck() const { return stuck_; }
  const YAML::Mark& mark() const { return last_; }

 private:
  bool started_ = false;
  bool stuck_ = false;
  YAML::Mark last_ = YAML::Mark::null_mark();
};

}  // namespace

absl::Status ParseYamlStream(absl::string_view text, const YamlLimits& limits,
                             YamlStream* out) {
  std::vector<YAML::Node> docs;
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    ProgressCheck check;
    int64_t documents = 0;
    while (parser.HandleNextDocument(check)) {
      if (++documents > limits.max_documents) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", check.mark().line + 1, ", column ",
                         check.mark().column + 1, ": more than ",
                         limits.max_documents, " documents"));
      }
      if (check.stuck()) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", check.mark().line + 1, ", column ",
                         check.mark().column + 1,
                         ": YAML syntax error: unexpected character"));
      }
    }
    docs = YAML::LoadAll(in.str());
  } catch (const YAML::Exception& e) {
    // yaml-cpp's recursion guard (DeepRecursion) says only "bad file",
    // which nothing else reports when parsing a string.
    const bool too_deep = e.msg == YAML::ErrorMsg::BAD_FILE;
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", e.mark.line + 1, ", column ", e.mark.column + 1, ": ",
        too_deep
            ? absl::StrCat("nesting deeper than ", limits.max_depth, " levels")
            : absl::StrCat("YAML syntax error: ", e.msg)));
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("YAML syntax error: ", e.what()));
  }
  YamlStream stream;
  stream.documents.resize(docs.size());
  stream.document_lines.resize(docs.size());
  Converter converter(limits, &stream);
  try {
    for (size_t i = 0; i < docs.size(); ++i) {
      stream.document_lines[i] = LineOf(docs[i]);
      absl::Status s = converter.Document(static_cast<int>(i), docs[i],
                                          &stream.documents[i]);
      if (!s.ok()) return s;
    }
  } catch (const std::exception& e) {
    // yaml-cpp throws on misuse only; keep exceptions inside lib/ regardless.
    return absl::InternalError(absl::StrCat("converting YAML: ", e.what()));
  }
  *out = std::move(stream);
  return absl::OkStatus();
}

}  // namespace decode_internal
}  // namespace svcenv
