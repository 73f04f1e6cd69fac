// YAML to JSON-shaped trees on libyaml's event parser (see yaml_json.h).
#include "lib/internal/yaml_json.h"

#include <yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lib/internal/decode_tree.h"
#include "nlohmann/json.hpp"

namespace svcenv {
namespace decode_internal {
namespace {

using json = nlohmann::json;

constexpr absl::string_view kStrTag = "tag:yaml.org,2002:str";
constexpr absl::string_view kIntTag = "tag:yaml.org,2002:int";
constexpr absl::string_view kFloatTag = "tag:yaml.org,2002:float";
constexpr absl::string_view kBoolTag = "tag:yaml.org,2002:bool";
constexpr absl::string_view kNullTag = "tag:yaml.org,2002:null";
constexpr absl::string_view kMergeTag = "tag:yaml.org,2002:merge";

// ---------------------------------------------------------------------------
// Scalars, as go-yaml v2 resolves them (YAML 1.1).

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

// The YAML 1.1 words go-yaml v2 resolves, by their exact spelling.
Resolved ResolveWord(absl::string_view in, json* out) {
  switch (in.size()) {
    case 1:
      switch (in[0]) {
        case '~':
          *out = nullptr;
          return Resolved::kNull;
        case 'y':
        case 'Y':
          *out = true;
          return Resolved::kBool;
        case 'n':
        case 'N':
          *out = false;
          return Resolved::kBool;
      }
      break;
    case 2:
      if (in == "on" || in == "On" || in == "ON") {
        *out = true;
        return Resolved::kBool;
      }
      if (in == "no" || in == "No" || in == "NO") {
        *out = false;
        return Resolved::kBool;
      }
      break;
    case 3:
      if (in == "yes" || in == "Yes" || in == "YES") {
        *out = true;
        return Resolved::kBool;
      }
      if (in == "off" || in == "Off" || in == "OFF") {
        *out = false;
        return Resolved::kBool;
      }
      break;
    case 4:
      if (in == "null" || in == "Null" || in == "NULL") {
        *out = nullptr;
        return Resolved::kNull;
      }
      if (in == "true" || in == "True" || in == "TRUE") {
        *out = true;
        return Resolved::kBool;
      }
      if (in == ".nan" || in == ".NaN" || in == ".NAN" || in == ".inf" ||
          in == ".Inf" || in == ".INF") {
        return Resolved::kUnsupported;
      }
      break;
    case 5:
      if (in == "false" || in == "False" || in == "FALSE") {
        *out = false;
        return Resolved::kBool;
      }
      if (in == "+.inf" || in == "+.Inf" || in == "+.INF" || in == "-.inf" ||
          in == "-.Inf" || in == "-.INF") {
        // encoding/json cannot represent these, so Kubernetes rejects them.
        return Resolved::kUnsupported;
      }
      break;
  }
  return Resolved::kString;
}

// Resolves a plain scalar as go-yaml v2 does (YAML 1.1). Timestamps stay
// strings, as go-yaml v2 keeps them for interface{} targets.
Resolved ResolvePlain(absl::string_view in, json* out) {
  if (in.empty()) {
    *out = nullptr;
    return Resolved::kNull;
  }
  const char c = in[0];
  if (in.size() <= 5) {
    if (Resolved r = ResolveWord(in, out); r != Resolved::kString) return r;
  }
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
    *out = FloatValue(std::strtod(std::string(in).c_str(), nullptr));
    return Resolved::kFloat;
  }
  *out = std::string(in);
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

// A float map key as sigs.k8s.io/yaml writes it: strconv.FormatFloat(v, 'g',
// -1, 32) (shortest float32 digits; exponent form below 1e-4 and from 1e6),
// with infinities and NaN spelled as YAML spells them.
std::string GoFloatKey(double v) {
  const float f = static_cast<float>(v);
  if (std::isnan(f)) return ".nan";
  if (std::isinf(f)) return f > 0 ? ".inf" : "-.inf";
  char buf[64];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof(buf), f, std::chars_format::scientific);
  if (ec != std::errc()) return "0";
  const absl::string_view sci(buf, static_cast<size_t>(end - buf));
  const size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exp = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1),
                  sci.data() + sci.size(), exp);
  std::string out = sci[0] == '-' ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits[0];
    if (digits.size() > 1) absl::StrAppend(&out, ".", digits.substr(1));
    const int a = exp < 0 ? -exp : exp;
    absl::StrAppend(&out, exp < 0 ? "e-" : "e+", a < 10 ? "0" : "", a);
  } else if (exp < 0) {
    absl::StrAppend(&out, "0.", std::string(-exp - 1, '0'), digits);
  } else if (static_cast<int>(digits.size()) <= exp + 1) {
    absl::StrAppend(&out, digits, std::string(exp + 1 - digits.size(), '0'));
  } else {
    absl::StrAppend(&out, digits.substr(0, exp + 1), ".",
                    digits.substr(exp + 1));
  }
  return out;
}

// The key sigs.k8s.io/yaml makes of `.inf`, `-.inf` or `.nan`, which as
// values JSON cannot hold.
std::string InfinityOrNanKey(absl::string_view word) {
  if (word[0] == '-') return "-.inf";
  return word.size() == 4 && (word[1] == 'n' || word[1] == 'N') ? ".nan"
                                                                : ".inf";
}

// Helm's `helm template` names each document's template in a comment.
constexpr absl::string_view kHelmSource = "# Source: ";

absl::string_view View(const yaml_char_t* s) {
  return s == nullptr ? absl::string_view()
                      : absl::string_view(reinterpret_cast<const char*>(s));
}

int LineOf(const yaml_mark_t& mark) { return static_cast<int>(mark.line) + 1; }

// ---------------------------------------------------------------------------
// The stream: events straight into JSON trees.

class Builder {
 public:
  Builder(absl::string_view file, const YamlLimits& limits,
          YamlDocumentHandler* handler)
      : file_(file), limits_(limits), handler_(handler) {}

  absl::Status Run(absl::string_view text) {
    absl::Status separators = CheckSeparators(text);
    if (!separators.ok()) return separators;
    text_ = text;
    slash_escapes_ = text.find("\\/") != absl::string_view::npos;
    helm_ = text.find(kHelmSource) != absl::string_view::npos;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
      return absl::ResourceExhaustedError(
          absl::StrCat(file_, ": cannot start the YAML parser"));
    }
    // libyaml asserts on a null input pointer, which an empty string_view
    // may carry; an empty text is a valid, empty stream.
    static const unsigned char kEmpty[1] = {0};
    yaml_parser_set_input_string(
        &parser,
        text.data() == nullptr
            ? kEmpty
            : reinterpret_cast<const unsigned char*>(text.data()),
        text.size());
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    absl::Status status;
    while (status.ok()) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        status = SyntaxError(parser);
        break;
      }
      const bool end = event.type == YAML_STREAM_END_EVENT;
      status = Event(event);
      yaml_event_delete(&event);
      if (end) break;
    }
    yaml_parser_delete(&parser);
    return status;
  }

 private:
  // An anchored node, kept for its aliases.
  struct Anchor {
    json value;
    int64_t size = 1;  // Nodes it expands to (map keys included).
    int height = 0;    // Maps and sequences nested, 0 for a scalar.
    int line = 0;
  };

  // One open map or sequence.
  struct Frame {
    json* node;              // Where it is being built.
    bool map;                // Else a sequence.
    int line;                // Its start.
    std::string anchor;      // Its anchor, if any.
    int64_t nodes_at_start;  // doc_nodes_ before it began.
    int height = 1;          // Maps and sequences nested in it, and it.
    // Maps: the key whose value comes next, if any.
    bool have_key = false;
    bool merge_key = false;  // The key is `<<`: the value is merged in.
    json* slot = nullptr;    // The value of the last key.
    json merge_value;        // A `<<` value being built (map or sequence).
    // Keys supplied by a `<<` merge, which the map's own keys may override.
    absl::flat_hash_set<std::string> merged;
    size_t key_lines_begin = 0;  // This map's entries in `key_lines_`.
    // Sequences: the lines of the elements, registered when it ends (until
    // then a new element may move the others).
    size_t element_lines_begin = 0;
    bool items = false;  // The top-level `items` sequence.
    std::string name;    // Its key in the parent map, or `[index]`.
  };

  // kubectl splits a stream into documents at lines starting with `---`
  // before go-yaml sees it (apimachinery's YAMLReader), and refuses such a
  // line followed by anything but spaces or a comment (`--- |`, `---x`), which
  // libyaml would read as content.
  absl::Status CheckSeparators(absl::string_view text) const {
    int line = 1;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == absl::string_view::npos) end = text.size();
      absl::string_view l = text.substr(start, end - start);
      if (absl::StartsWith(l, "---")) {
        absl::string_view rest = absl::StripAsciiWhitespace(l.substr(3));
        if (!rest.empty() && rest[0] != '#') {
          return absl::InvalidArgumentError(absl::StrCat(
              file_, ": line ", line,
              ": invalid YAML document separator: `---` followed by `", rest,
              "` (kubectl allows only spaces or a comment after it)"));
        }
      }
      ++line;
      start = end + 1;
    }
    return absl::OkStatus();
  }

  // Byte offset of a libyaml mark (whose index counts characters), moving a
  // cursor: marks are asked for in increasing order.
  size_t ByteOffset(const yaml_mark_t& mark) {
    while (cursor_chars_ < mark.index && cursor_bytes_ < text_.size()) {
      const unsigned char c = text_[cursor_bytes_];
      cursor_bytes_ += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      ++cursor_chars_;
    }
    return std::min(cursor_bytes_, text_.size());
  }

  // go-yaml v2 does not know the escape `\/` (YAML 1.2, which libyaml 0.2.2
  // added): it refuses the scalar, so svcenv does too.
  absl::Status CheckQuotedEscapes(const yaml_event_t& e) {
    if (!slash_escapes_ ||
        e.data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
        std::memchr(e.data.scalar.value, '/', e.data.scalar.length) ==
            nullptr) {
      return absl::OkStatus();
    }
    const size_t begin = ByteOffset(e.start_mark);
    const size_t end = ByteOffset(e.end_mark);
    int line = LineOf(e.start_mark);
    for (size_t i = begin; i + 1 < end; ++i) {
      if (text_[i] == '\n') ++line;
      if (text_[i] != '\\') continue;
      if (text_[i + 1] == '/') {
        return absl::InvalidArgumentError(absl::StrCat(
            file_, ": line ", line,
            ": YAML syntax error: while parsing a quoted scalar: found "
            "unknown escape character `\\/` (kubectl's YAML reader, go-yaml "
            "v2, does not know it; write `/`)"));
      }
      if (text_[i + 1] == '\n') ++line;
      ++i;
    }
    return absl::OkStatus();
  }

  absl::Status SyntaxError(const yaml_parser_t& parser) const {
    const yaml_mark_t& mark = parser.problem_mark;
    std::string problem =
        parser.problem != nullptr ? parser.problem : "unknown problem";
    if (parser.context != nullptr) {
      problem = absl::StrCat(parser.context, ": ", problem);
    }
    if (parser.error == YAML_MEMORY_ERROR) {
      return absl::ResourceExhaustedError(
          absl::StrCat(file_, ": YAML parser out of memory"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(file_, ": line ", mark.line + 1, ", column ",
                     mark.column + 1, ": YAML syntax error: ", problem));
  }

  absl::Status Error(int line, absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(
        file_, ": document ", document_ + 1, " (line ", line, "): ", problem));
  }

  // The first `# Source: PATH` comment line (Helm's) between the previous
  // document's end and this document's content, or empty.
  absl::string_view HelmSource() const {
    if (!helm_ || root_begin_ < gap_begin_) return {};
    absl::string_view gap = text_.substr(gap_begin_, root_begin_ - gap_begin_);
    size_t at = 0;
    while ((at = gap.find(kHelmSource, at)) != absl::string_view::npos) {
      if (at == 0 || gap[at - 1] == '\n') {
        absl::string_view path = gap.substr(at + kHelmSource.size());
        path = path.substr(0, path.find('\n'));
        return absl::StripAsciiWhitespace(path);
      }
      at += kHelmSource.size();
    }
    return {};
  }

  absl::Status Event(const yaml_event_t& e) {
    if (helm_) {
      switch (e.type) {
        case YAML_SCALAR_EVENT:
        case YAML_ALIAS_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
          if (frames_.empty() && root_ == nullptr) {
            root_begin_ = ByteOffset(e.start_mark);
          }
          break;
        default:
          break;
      }
    }
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        return StartDocument(e);
      case YAML_DOCUMENT_END_EVENT: {
        absl::Status s = EndDocument();
        // The next document's gap (its `---` and comments) starts here.
        if (helm_) gap_begin_ = ByteOffset(e.end_mark);
        return s;
      }
      case YAML_SCALAR_EVENT:
        return Scalar(e);
      case YAML_ALIAS_EVENT:
        return Alias(e);
      case YAML_SEQUENCE_START_EVENT:
        return Start(e, /*map=*/false, View(e.data.sequence_start.anchor));
      case YAML_MAPPING_START_EVENT:
        return Start(e, /*map=*/true, View(e.data.mapping_start.anchor));
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        return End();
      default:
        return absl::OkStatus();
    }
  }

  absl::Status StartDocument(const yaml_event_t& e) {
    ++document_;
    if (document_ + 1 > limits_.max_documents) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_, ": line ", e.start_mark.line + 1, ", column ",
                       e.start_mark.column + 1, ": more than ",
                       limits_.max_documents, " documents"));
    }
    const auto& start = e.data.document_start;
    if (start.version_directive != nullptr ||
        start.tag_directives.start != start.tag_directives.end) {
      // kubectl's splitter cuts the `%` line from its `---`, and go-yaml
      // then refuses a directive without a document.
      return absl::InvalidArgumentError(absl::StrCat(
          file_, ": line ", e.start_mark.line + 1,
          ": YAML syntax error: did not find expected <document start> "
          "(kubectl does not read %YAML or %TAG directives: remove them)"));
    }
    root_ = nullptr;
    root_line_ = LineOf(e.start_mark);
    lines_.clear();
    anchors_.clear();
    doc_nodes_ = 0;
    doc_aliased_ = 0;
    sink_ = handler_->BeginDocument(document_);
    streaming_ = sink_ != nullptr;
    consumed_ = 0;
    return absl::OkStatus();
  }

  absl::Status EndDocument() {
    absl::Status s =
        handler_->EndDocument(root_, document_, root_line_, lines_, consumed_,
                              HelmSource());
    root_ = nullptr;
    lines_.clear();
    anchors_.clear();
    return s;
  }

  // Counts `n` more nodes (`aliased` of them copies from an alias) and
  // refuses an alias bomb before its copies are made.
  absl::Status Count(int64_t n, bool aliased, int line) {
    nodes_ += n;
    doc_nodes_ += n;
    if (nodes_ > limits_.max_nodes) {
      return Error(line, absl::StrCat("more than ", limits_.max_nodes,
                                      " YAML nodes after expanding aliases"));
    }
    if (aliased) {
      doc_aliased_ += n;
      // go-yaml v2's guard against alias bombs, which kubectl therefore has:
      // past 1000 nodes, at most a share of them may come from aliases, 99%
      // up to 400,000 nodes falling to 10% at 4,000,000.
      if (doc_aliased_ > 100 && doc_nodes_ > 1000 &&
          static_cast<double>(doc_aliased_) / static_cast<double>(doc_nodes_) >
              AllowedAliasRatio(doc_nodes_)) {
        return Error(line,
                     absl::StrCat("excessive aliasing: ", doc_aliased_, " of ",
                                  doc_nodes_, " YAML nodes come from aliases"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status TooDeep(int line) const {
    return Error(line, absl::StrCat("nesting deeper than ", limits_.max_depth,
                                    " levels"));
  }

  // The place for the next value (not a map key), which starts on `line` and
  // nests `height` maps and sequences deep.
  json* Slot(int line, int height) {
    if (frames_.empty()) {
      root_line_ = line;
      return &root_;
    }
    // Heights of the open frames grow with this value.
    const int depth = static_cast<int>(frames_.size());
    for (int i = depth - 1; i >= 0; --i) {
      const int h = depth - i + height;
      if (frames_[i].height >= h) break;
      frames_[i].height = h;
    }
    Frame& f = frames_.back();
    if (!f.map) {
      json::array_t& a = f.node->get_ref<json::array_t&>();
      a.emplace_back();
      element_lines_.push_back(line);
      return &a.back();
    }
    f.have_key = false;
    if (f.merge_key) return &f.merge_value;
    return f.slot;
  }

  // A value just completed in `slot` (the slot the parent gave it).
  absl::Status Done(json* slot, int line) {
    if (frames_.empty()) return absl::OkStatus();
    Frame& f = frames_.back();
    if (f.map && f.merge_key && slot == &f.merge_value) {
      f.merge_key = false;
      json value = std::move(f.merge_value);
      f.merge_value = nullptr;
      absl::Status s = Merge(value, line, &f);
      Forget(value);
      return s;
    }
    if (!f.map && f.items && streaming_ && slot->is_object()) {
      json::array_t& a = f.node->get_ref<json::array_t&>();
      const int index = static_cast<int>(a.size()) - 1;
      if (index == consumed_ && sink_->Consume(*slot, index, line, &lines_)) {
        ++consumed_;
        // Its nodes are freed now: forget their lines first.
        for (const json* n : item_nodes_) lines_.erase(n);
        *slot = nullptr;
      } else {
        streaming_ = false;
      }
      item_nodes_.clear();
    }
    return absl::OkStatus();
  }

  // Registers the line of a map value just placed in `slot` (sequence
  // elements wait for their sequence's end; a `<<` value is merged away).
  void RegisterValue(const json* slot, int line) {
    if (frames_.empty() || !frames_.back().map) return;
    if (slot == &frames_.back().merge_value) return;
    Register(slot, line);
  }

  // Forgets the lines of `node` and everything in it, before it is freed.
  void Forget(const json& node) {
    lines_.erase(&node);
    if (node.is_object()) {
      for (const auto& [k, v] : node.get_ref<const json::object_t&>()) {
        Forget(v);
      }
    } else if (node.is_array()) {
      for (const json& v : node.get_ref<const json::array_t&>()) Forget(v);
    }
  }

  void Register(const json* node, int line) {
    lines_[node] = line;
    if (streaming_ && frames_.size() >= 3 && frames_[1].items) {
      item_nodes_.push_back(node);
    }
  }

  // Adds the entries of `value` (a `<<` value: a map or a sequence of maps)
  // to the map of `f`, as go-yaml v2 does: at the merge key's position,
  // later entries replacing earlier ones, a sequence merged last to first.
  absl::Status Merge(const json& value, int line, Frame* f) {
    auto merge_map = [&](const json& m) {
      json::object_t& obj = f->node->get_ref<json::object_t&>();
      for (const auto& [k, v] : m.get_ref<const json::object_t&>()) {
        json& slot = obj[k];
        Forget(slot);
        slot = v;
        f->merged.insert(k);
      }
    };
    if (value.is_object()) {
      merge_map(value);
      return absl::OkStatus();
    }
    if (value.is_array()) {
      const json::array_t& a = value.get_ref<const json::array_t&>();
      for (const json& m : a) {
        if (!m.is_object()) {
          return Error(line, "map merge requires map or sequence of maps");
        }
      }
      for (size_t i = a.size(); i-- > 0;) merge_map(a[i]);
      return absl::OkStatus();
    }
    return Error(line, "map merge requires map or sequence of maps");
  }

  // sigs.k8s.io/yaml turns non-string keys into their JSON text.
  absl::Status KeyText(const json& v, int line, std::string* key) {
    switch (v.type()) {
      case json::value_t::string:
        *key = v.get_ref<const std::string&>();
        return absl::OkStatus();
      case json::value_t::boolean:
        *key = v.get<bool>() ? "true" : "false";
        return absl::OkStatus();
      case json::value_t::number_integer:
      case json::value_t::number_unsigned:
        *key = v.dump();
        return absl::OkStatus();
      case json::value_t::number_float:
        *key = GoFloatKey(v.get<double>());
        return absl::OkStatus();
      case json::value_t::null:
        return Error(line, "unsupported map key null");
      default:
        return Error(line, "unsupported map key: not a scalar");
    }
  }

  // The map of `frames_.back()` gets key `key` written on `line`.
  absl::Status Key(std::string key, int line, bool merge) {
    Frame& f = frames_.back();
    f.have_key = true;
    f.merge_key = merge;
    if (merge) return absl::OkStatus();
    json::object_t& obj = f.node->get_ref<json::object_t&>();
    auto [it, added] = obj.try_emplace(std::move(key));
    if (!added) {
      if (f.merged.erase(it->first) == 0) {
        int first = 0;
        for (size_t i = f.key_lines_begin; i < key_lines_.size(); ++i) {
          if (key_lines_[i].first == &it->first) first = key_lines_[i].second;
        }
        if (limits_.duplicates == nullptr) {
          return Error(line, absl::StrCat("duplicate key \"", it->first,
                                          "\" (first on line ", first, ")"));
        }
        DuplicateKey& d = limits_.duplicates->emplace_back();
        d.file = std::string(file_);
        d.document = document_;
        for (size_t i = 1; i < frames_.size(); ++i) {
          const std::string& name = frames_[i].name;
          if (!d.path.empty() && name[0] != '[') d.path += '.';
          d.path += name;
        }
        d.key = it->first;
        d.first_line = first;
        d.line = line;
      }
      Forget(it->second);
      it->second = nullptr;
    }
    key_lines_.emplace_back(&it->first, line);
    if (frames_.size() == 1 && it->first == "items") {
      next_is_items_ = true;
      if (streaming_ || consumed_ > 0) {
        consumed_ = 0;
        streaming_ = sink_ != nullptr;
        if (sink_ != nullptr) sink_->Reset();
      }
    } else {
      next_is_items_ = false;
    }
    f.slot = &it->second;
    return absl::OkStatus();
  }

  bool ExpectingKey() const {
    return !frames_.empty() && frames_.back().map && !frames_.back().have_key;
  }

  // `key`: the scalar is a map key, where `.inf` and `.nan` are allowed.
  absl::Status ResolveScalar(const yaml_event_t& e, int line, json* out,
                             bool key = false) {
    const auto& s = e.data.scalar;
    const absl::string_view text(reinterpret_cast<const char*>(s.value),
                                 s.length);
    const absl::string_view tag = View(s.tag);
    if (tag.empty() || tag == "!") {
      if (tag.empty() && s.style == YAML_PLAIN_SCALAR_STYLE) {
        const Resolved r = ResolvePlain(text, out);
        if (r == Resolved::kUnsupported) {
          if (key) {
            *out = InfinityOrNanKey(text);
            return absl::OkStatus();
          }
          return Error(line, absl::StrCat("unsupported value ", text));
        }
        // A float key keeps float formatting even when integral (`1.0`).
        if (key && r == Resolved::kFloat) *out = GoFloatKey(out->get<double>());
      } else {
        *out = std::string(text);
      }
      return absl::OkStatus();
    }
    if (tag == kStrTag) {
      *out = std::string(text);
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
      *out = std::string(text);  // go-yaml keeps other tags as strings.
      return absl::OkStatus();
    }
    Resolved got = ResolvePlain(text, out);
    if (want == Resolved::kFloat && got == Resolved::kInt) got = want;
    if (got != want) {
      return Error(line, absl::StrCat("cannot decode `", text, "` as ", tag));
    }
    if (key && got == Resolved::kFloat) *out = GoFloatKey(out->get<double>());
    return absl::OkStatus();
  }

  absl::Status Scalar(const yaml_event_t& e) {
    const int line = LineOf(e.start_mark);
    const auto& s = e.data.scalar;
    absl::Status status = Count(1, false, line);
    if (!status.ok()) return status;
    status = CheckQuotedEscapes(e);
    if (!status.ok()) return status;
    if (ExpectingKey()) {
      const absl::string_view tag = View(s.tag);
      const bool merge = s.length == 2 && std::memcmp(s.value, "<<", 2) == 0 &&
                         ((tag.empty() && s.style == YAML_PLAIN_SCALAR_STYLE) ||
                          tag == kMergeTag);
      std::string key;
      if (!merge) {
        json v;
        status = ResolveScalar(e, line, &v, /*key=*/true);
        if (!status.ok()) return status;
        if (s.anchor != nullptr) anchors_[View(s.anchor)] = {v, 1, 0, line};
        status = KeyText(v, line, &key);
        if (!status.ok()) return status;
      }
      return Key(std::move(key), line, merge);
    }
    json* slot = Slot(line, 0);
    status = ResolveScalar(e, line, slot);
    if (!status.ok()) return status;
    RegisterValue(slot, line);
    if (s.anchor != nullptr) anchors_[View(s.anchor)] = {*slot, 1, 0, line};
    return Done(slot, line);
  }

  absl::Status Alias(const yaml_event_t& e) {
    const int line = LineOf(e.start_mark);
    const absl::string_view name = View(e.data.alias.anchor);
    auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      for (const Frame& f : frames_) {
        if (f.anchor == name) {
          return Error(
              line, absl::StrCat("anchor '", name, "' value contains itself"));
        }
      }
      return Error(line,
                   absl::StrCat("unknown anchor '", name, "' referenced"));
    }
    const Anchor& a = it->second;
    // As go-yaml counts: the alias node itself, then its copies.
    absl::Status status = Count(1, false, line);
    if (status.ok()) status = Count(a.size, true, line);
    if (!status.ok()) return status;
    if (static_cast<int>(frames_.size()) + a.height > limits_.max_depth) {
      return TooDeep(line);
    }
    if (ExpectingKey()) {
      std::string key;
      if (a.value.is_object() || a.value.is_array()) {
        return Error(line, "unsupported map key: not a scalar");
      }
      status = KeyText(a.value, line, &key);
      if (!status.ok()) return status;
      return Key(std::move(key), line, false);
    }
    json* slot = Slot(line, a.height);
    *slot = a.value;
    RegisterValue(slot, line);
    return Done(slot, line);
  }

  absl::Status Start(const yaml_event_t& e, bool map,
                     absl::string_view anchor) {
    const int line = LineOf(e.start_mark);
    if (static_cast<int>(frames_.size()) + 1 > limits_.max_depth) {
      return TooDeep(line);
    }
    absl::Status status = Count(1, false, line);
    if (!status.ok()) return status;
    if (ExpectingKey()) return Error(line, "unsupported map key: not a scalar");
    const bool items = next_is_items_ && frames_.size() == 1 && !map &&
                       !frames_.back().merge_key;
    next_is_items_ = false;
    std::string name;
    if (!frames_.empty()) {
      const Frame& parent = frames_.back();
      if (parent.map) {
        name = parent.merge_key || key_lines_.empty()
                   ? std::string("<<")
                   : *key_lines_.back().first;
      } else {
        name = absl::StrCat(
            "[", parent.node->get_ref<const json::array_t&>().size(), "]");
      }
    }
    json* slot = Slot(line, 1);
    if (map) {
      *slot = json::object();
    } else {
      *slot = json::array();
    }
    RegisterValue(slot, line);
    Frame& f = frames_.emplace_back();
    f.node = slot;
    f.map = map;
    f.line = line;
    f.anchor = std::string(anchor);
    f.nodes_at_start = doc_nodes_ - 1;
    f.key_lines_begin = key_lines_.size();
    f.element_lines_begin = element_lines_.size();
    f.items = items;
    f.name = std::move(name);
    if (items) consumed_ = 0;
    return absl::OkStatus();
  }

  absl::Status End() {
    Frame& f = frames_.back();
    json* node = f.node;
    const int line = f.line;
    if (!f.map) {
      // Elements no longer move: their lines can be registered.
      json::array_t& a = node->get_ref<json::array_t&>();
      for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_null() || !f.items) {
          Register(&a[i], element_lines_[f.element_lines_begin + i]);
        }
      }
      element_lines_.resize(f.element_lines_begin);
    } else {
      key_lines_.resize(f.key_lines_begin);
    }
    if (!f.anchor.empty()) {
      anchors_[f.anchor] = {*node, doc_nodes_ - f.nodes_at_start, f.height,
                            line};
    }
    frames_.pop_back();
    return Done(node, line);
  }

  const absl::string_view file_;
  const YamlLimits& limits_;
  YamlDocumentHandler* const handler_;

  int document_ = -1;
  absl::string_view text_;
  bool slash_escapes_ = false;  // The text holds `\/` somewhere.
  bool helm_ = false;           // The text holds `# Source: ` somewhere.
  size_t gap_begin_ = 0;        // Byte after the last document's end.
  size_t root_begin_ = 0;       // Byte where this document's root starts.
  size_t cursor_chars_ = 0;     // ByteOffset()'s position.
  size_t cursor_bytes_ = 0;
  json root_;
  int root_line_ = 0;
  LineTable lines_;
  absl::flat_hash_map<std::string, Anchor> anchors_;
  // A deque: open frames never move, nor `merge_value` in them.
  std::deque<Frame> frames_;
  std::vector<std::pair<const std::string*, int>> key_lines_;
  std::vector<int> element_lines_;

  int64_t nodes_ = 0;        // Whole stream, against max_nodes.
  int64_t doc_nodes_ = 0;    // This document.
  int64_t doc_aliased_ = 0;  // This document's nodes copied from aliases.

  // The items of a top-level `items` sequence.
  ItemSink* sink_ = nullptr;
  bool next_is_items_ = false;  // The root map's last key was `items`.
  bool streaming_ = false;      // Still handing items to the sink.
  int consumed_ = 0;
  std::vector<const json*> item_nodes_;  // Lines registered by this item.
};

}  // namespace

absl::Status ParseYamlStream(absl::string_view text, absl::string_view file,
                             const YamlLimits& limits,
                             YamlDocumentHandler* handler) {
  Builder builder(file, limits, handler);
  return builder.Run(text);
}

}  // namespace decode_internal
}  // namespace svcenv
