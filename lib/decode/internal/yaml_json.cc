// YAML to JSON-shaped trees on libyaml's event parser (see yaml_json.h).
#include "lib/decode/internal/yaml_json.h"

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
#include "lib/decode/internal/input.h"
#include "lib/decode/internal/tree.h"
#include "lib/decode/internal/yaml_chunks.h"
#include "lib/decode/internal/yaml_escapes.h"
#include "lib/decode/internal/yaml_reader.h"
#include "lib/decode/internal/yaml_scalars.h"
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
constexpr absl::string_view kMergeNeedsMaps =
    "map merge requires map or sequence of maps";

// go-yaml v2's allowedAliasRatio(decodeCount).
double AllowedAliasRatio(int64_t nodes) {
  constexpr int64_t kLow = 400'000, kHigh = 4'000'000;
  if (nodes <= kLow) return 0.99;
  if (nodes >= kHigh) return 0.10;
  return 0.99 - 0.89 * (static_cast<double>(nodes - kLow) /
                        static_cast<double>(kHigh - kLow));
}

// Helm's `helm template` names each document's template in a comment.
constexpr absl::string_view kHelmSource = "# Source: ";

absl::string_view View(const yaml_char_t* s) {
  return s == nullptr ? absl::string_view()
                      : absl::string_view(reinterpret_cast<const char*>(s));
}

// ---------------------------------------------------------------------------
// The stream: events straight into JSON trees.

class Builder {
 public:
  Builder(absl::string_view file, const YamlLimits& limits,
          YamlDocumentHandler* handler)
      : file_(file), limits_(limits), handler_(handler) {}

  absl::Status Run(absl::string_view text) {
    text_ = text;
    slash_escapes_ = text.find("\\/") != absl::string_view::npos;
    helm_ = text.find(kHelmSource) != absl::string_view::npos;
    // As kubectl reads a stream: cut at `---` lines, each piece parsed
    // alone for its first document.
    YamlChunker chunks(text, file_);
    YamlChunk chunk;
    while (chunks.Next(&chunk)) {
      ++document_;
      if (document_ + 1 > limits_.max_documents) {
        return absl::InvalidArgumentError(
            absl::StrCat(file_, ": line ", chunk.line, ", column 1: more than ",
                         limits_.max_documents, " documents"));
      }
      absl::Status status = Chunk(chunk);
      if (!status.ok()) return status;
    }
    return chunks.status();
  }

 private:
  // An anchored node, kept for its aliases.
  // go-yaml v2 binds an anchor's name when its node starts: an alias inside
  // a map or sequence to that map's or sequence's own name is an error ("value
  // contains itself"), and a later node with the same name, even one nested
  // inside it, takes the name from then on.
  struct Anchor {
    json value;
    int64_t size = 1;  // Nodes it expands to (map keys included).
    int height = 0;    // Maps and sequences nested, 0 for a scalar.
    int line = 0;
    bool open = false;       // A map or sequence not yet ended.
    int64_t definition = 0;  // Which node holds the name (Define()).
  };

  // One open map or sequence.
  struct Frame {
    json* node;              // Where it is being built.
    bool map;                // Else a sequence.
    int line;                // Its start.
    std::string anchor;      // Its anchor, if any...
    int64_t anchor_definition = 0;  // ...and its Define() number.
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

  // Parses the first YAML document of `chunk`, as go-yaml v2's Unmarshal
  // does: what follows it is never read (a warning says so), a comment-only
  // chunk has no document.
  absl::Status Chunk(const YamlChunk& chunk) {
    chunk_ = chunk;
    cursor_bytes_ = chunk.offset;
    cursor_chars_ = 0;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
      return absl::ResourceExhaustedError(
          absl::StrCat(file_, ": cannot start the YAML parser"));
    }
    // kubectl's line reader ends the last line with a line break even when
    // the file does not (a block scalar then keeps its final newline).
    absl::Status prepared =
        escapes_.Prepare(chunk.text, chunk.offset, chunk.line, file_);
    if (!prepared.ok()) {
      yaml_parser_delete(&parser);
      return prepared;
    }
    ChunkInput input{escapes_.text(), 0, !absl::EndsWith(chunk.text, "\n"),
                     limits_.pages};
    yaml_parser_set_input(&parser, &ChunkInput::Read, &input);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    absl::Status status;
    bool document_ended = false;
    while (status.ok()) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        status = SyntaxError(parser);
        break;
      }
      const yaml_event_type_t type = event.type;
      status = Event(event);
      yaml_event_delete(&event);
      if (type == YAML_STREAM_END_EVENT) break;
      if (type == YAML_DOCUMENT_END_EVENT) {
        document_ended = true;
        break;
      }
    }
    if (status.ok() && document_ended) IgnoredContent(&parser);
    yaml_parser_delete(&parser);
    return status;
  }

  // After a chunk's first document, go-yaml reads nothing: neither a second
  // document after `...` nor text after a root indented deeper than it.
  // kubectl drops it silently; svcenv says so.
  void IgnoredContent(yaml_parser_t* parser) {
    yaml_event_t event;
    int line;
    if (yaml_parser_parse(parser, &event)) {
      const bool more = event.type != YAML_STREAM_END_EVENT;
      line = LineOf(event.start_mark);
      yaml_event_delete(&event);
      if (!more) return;
    } else {
      line = LineOf(parser->problem_mark);
    }
    if (limits_.warnings == nullptr) return;
    limits_.warnings->push_back(absl::StrCat(
        file_, ": line ", line,
        ": ignored, as kubectl ignores it: go-yaml reads one YAML document "
        "between `---` lines, and this follows document ",
        document_ + 1));
  }

  // The 1-based line in the stream of a mark of the chunk being parsed.
  int LineOf(const yaml_mark_t& mark) const {
    return chunk_.line + static_cast<int>(mark.line);
  }

  // Byte offset of a libyaml mark (whose index counts characters), moving a
  // cursor: marks are asked for in increasing order.
  size_t ByteOffset(const yaml_mark_t& mark) {
    const size_t chunk_end = chunk_.offset + chunk_.text.size();
    while (cursor_chars_ < mark.index && cursor_bytes_ < chunk_end) {
      const unsigned char c = text_[cursor_bytes_];
      cursor_bytes_ += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      ++cursor_chars_;
    }
    return std::min(cursor_bytes_, chunk_end);
  }

  // go-yaml v2 does not know the escape `\/` (YAML 1.2, which libyaml 0.2.2
  // added): it refuses the scalar, so svcenv does too.
  // The scalar's source is bytes [begin, end) of the stream.
  absl::Status CheckQuotedEscapes(const yaml_event_t& e, size_t begin,
                                  size_t end) {
    if (!slash_escapes_ ||
        std::memchr(e.data.scalar.value, '/', e.data.scalar.length) ==
            nullptr) {
      return absl::OkStatus();
    }
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
    if (parser.error == YAML_READER_ERROR) {
      // A character YAML does not allow, at a byte offset of the chunk.
      const size_t at = std::min(chunk_.offset + parser.problem_offset,
                                 text_.size());
      return absl::InvalidArgumentError(
          ControlCharacterError(file_, PositionOf(text_, at),
                                static_cast<uint32_t>(parser.problem_value)));
    }
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
    if (absl::StartsWith(chunk_.text, "%") ||
        absl::StrContains(chunk_.text, "\n%")) {
      // kubectl's splitter cut the directive from its `---` line.
      absl::StrAppend(&problem,
                      " (kubectl does not read %YAML or %TAG directives: "
                      "remove them)");
    }
    return absl::InvalidArgumentError(
        absl::StrCat(file_, ": line ", LineOf(mark), ", column ",
                     mark.column + 1, ": YAML syntax error: ", problem));
  }

  absl::Status Error(int line, absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(
        file_, ": document ", document_ + 1, " (line ", line, "): ", problem));
  }

  // The first `# Source: PATH` comment line (Helm's) between the start of
  // the chunk and its document's content, or empty.
  absl::string_view HelmSource() const {
    if (!helm_ || root_begin_ < chunk_.offset) return {};
    absl::string_view gap =
        text_.substr(chunk_.offset, root_begin_ - chunk_.offset);
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
      case YAML_DOCUMENT_END_EVENT:
        return EndDocument();
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
    const auto& start = e.data.document_start;
    if (start.version_directive != nullptr ||
        start.tag_directives.start != start.tag_directives.end) {
      // kubectl's splitter cuts the `%` line from its `---`, and go-yaml
      // then refuses a directive without a document.
      return absl::InvalidArgumentError(absl::StrCat(
          file_, ": line ", LineOf(e.start_mark),
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
          return Error(line, kMergeNeedsMaps);
        }
      }
      for (size_t i = a.size(); i-- > 0;) merge_map(a[i]);
      return absl::OkStatus();
    }
    return Error(line, kMergeNeedsMaps);
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
        *key = v.dump();
        return absl::OkStatus();
      case json::value_t::number_unsigned:
        // Above int64: go-yaml makes it a uint64, which sigs.k8s.io/yaml
        // does not turn into a key.
        return Error(line, absl::StrCat("unsupported map key of type uint64: ",
                                        v.dump()));
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
    if (s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
        (slash_escapes_ || escapes_.rewritten())) {
      const size_t begin = ByteOffset(e.start_mark);
      const size_t end = ByteOffset(e.end_mark);
      status = CheckQuotedEscapes(e, begin, end);
      if (!status.ok()) return status;
      escapes_.Restore(begin, end, s.value, s.length);
    }
    if (ExpectingKey()) {
      const absl::string_view tag = View(s.tag);
      // go-yaml's isMerge: plain, or tagged `!` (both "plain implicit"),
      // or tagged !!merge.
      const bool merge = s.length == 2 && std::memcmp(s.value, "<<", 2) == 0 &&
                         (s.plain_implicit || tag == kMergeTag);
      std::string key;
      if (!merge) {
        json v;
        status = ResolveScalar(e, line, &v, /*key=*/true);
        if (!status.ok()) return status;
        if (s.anchor != nullptr) Define(View(s.anchor), {v, 1, 0, line});
        status = KeyText(v, line, &key);
        if (!status.ok()) return status;
      }
      return Key(std::move(key), line, merge);
    }
    json* slot = Slot(line, 0);
    status = ResolveScalar(e, line, slot);
    if (!status.ok()) return status;
    RegisterValue(slot, line);
    if (s.anchor != nullptr) Define(View(s.anchor), {*slot, 1, 0, line});
    return Done(slot, line);
  }

  // Binds `name` to `anchor` from now on; returns the definition's number.
  int64_t Define(absl::string_view name, Anchor anchor) {
    anchor.definition = ++definitions_;
    anchors_[name] = std::move(anchor);
    return definitions_;
  }

  absl::Status Alias(const yaml_event_t& e) {
    const int line = LineOf(e.start_mark);
    const absl::string_view name = View(e.data.alias.anchor);
    auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      return Error(line,
                   absl::StrCat("unknown anchor '", name, "' referenced"));
    }
    const Anchor& a = it->second;
    if (a.open) {
      return Error(line,
                   absl::StrCat("anchor '", name, "' value contains itself"));
    }
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
    if (!frames_.empty() && frames_.back().map && frames_.back().merge_key &&
        !a.value.is_object()) {
      // go-yaml merges an alias only of a map (not of a sequence of maps).
      return Error(line, kMergeNeedsMaps);
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
    if (!anchor.empty()) {
      Anchor open;
      open.open = true;
      f.anchor_definition = Define(anchor, std::move(open));
    }
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
      // Unless a node inside took the name since.
      auto it = anchors_.find(f.anchor);
      if (it != anchors_.end() &&
          it->second.definition == f.anchor_definition) {
        it->second = {*node, doc_nodes_ - f.nodes_at_start, f.height, line,
                      /*open=*/false, f.anchor_definition};
      }
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
  YamlChunk chunk_;             // The chunk being parsed.
  QuoteEscapes escapes_;        // What libyaml reads of it.
  size_t root_begin_ = 0;       // Byte where this document's root starts.
  size_t cursor_chars_ = 0;     // ByteOffset()'s position.
  size_t cursor_bytes_ = 0;
  json root_;
  int root_line_ = 0;
  LineTable lines_;
  absl::flat_hash_map<std::string, Anchor> anchors_;
  int64_t definitions_ = 0;  // Anchors defined so far.
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
