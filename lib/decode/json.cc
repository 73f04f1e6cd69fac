// The decoder's JSON parser (see decode_json.h).
#include "lib/decode/internal/json.h"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "svcenv/decode.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace decode_internal {
namespace {

using json = nlohmann::json;

// nlohmann's DOM builder, refusing to nest deeper than `max_depth` and
// keeping the text of the first syntax error. Its parser is iterative, so
// only the depth of the result needs bounding.
//
// Items of a top-level `items` array (a `kind: List`, usually most of the
// text) go to the `ItemSink` as each one ends and are then dropped from the
// tree: decoding an item while its nodes are still in cache, and freeing a
// small tree at a time, is much faster than one tree for the whole List.
class JsonBuilder : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  using Base = nlohmann::detail::json_sax_dom_parser<json>;
  // Repeated keys are refused when `duplicates` is null, else recorded there
  // (for `file`, `document`) and the last value kept.
  JsonBuilder(json* root, int max_depth, ItemSink* sink,
              std::vector<DuplicateKey>* duplicates, absl::string_view file,
              int document)
      : Base(*root, /*allow_exceptions=*/false),
        root_(root),
        max_depth_(max_depth),
        sink_(sink),
        duplicates_(duplicates),
        file_(file),
        document_(document) {}

  bool key(std::string& k) {
    // The object being built is at hand: a repeated key is already in it.
    // Map nodes never move, so the new entry can be remembered by address.
    Frame& f = frames_.back();
    json::object_t& obj = f.container->get_ref<json::object_t&>();
    const auto next = obj.lower_bound(k);
    const bool repeated = next != obj.end() && next->first == k;
    if (repeated) {
      if (duplicates_ == nullptr) {
        duplicate_ = absl::StrCat("duplicate key \"", k, "\"");
        return false;
      }
      DuplicateKey& d = duplicates_->emplace_back();
      d.file = std::string(file_);
      d.document = document_;
      d.path = Path();
      d.key = k;
      next->second = nullptr;  // The last value replaces it.
    }
    if (depth_ == 1) {
      root_key_is_items_ = k == "items";
      if (root_key_is_items_) {
        consumed_ = 0;
        streaming_ = true;
        sink_->Reset();
      }
    }
    if (!Base::key(k)) return false;
    // Inserted just before `next`, or `next` itself when repeated.
    const auto added = repeated ? next : std::prev(next);
    f.key = &added->first;
    f.slot = &added->second;
    return true;
  }
  // Every value first counts itself as an element of its array.
  bool null() { return Value() && Base::null(); }
  bool boolean(bool v) { return Value() && Base::boolean(v); }
  bool number_integer(json::number_integer_t v) {
    return Value() && Base::number_integer(v);
  }
  bool number_unsigned(json::number_unsigned_t v) {
    return Value() && Base::number_unsigned(v);
  }
  bool number_float(json::number_float_t v, const std::string& s) {
    return Value() && Base::number_float(v, s);
  }
  bool string(std::string& v) { return Value() && Base::string(v); }
  bool start_object(std::size_t n) {
    if (!Value() || !Enter() || !Base::start_object(n)) return false;
    Open();
    return true;
  }
  bool end_object() {
    frames_.pop_back();
    const bool item = in_items_ && depth_ == 3;
    --depth_;
    if (!Base::end_object()) return false;
    if (item && streaming_) {
      json::array_t& items = root_->find("items")->get_ref<json::array_t&>();
      // Items must reach the sink in order: stop at one that was skipped.
      streaming_ = items.size() == consumed_ + 1 &&
                   sink_->Consume(items.back(), static_cast<int>(consumed_),
                                  /*line=*/0, /*lines=*/nullptr);
      if (streaming_) {
        items.back() = nullptr;
        ++consumed_;
      }
    }
    return true;
  }
  bool start_array(std::size_t n) {
    if (!Value() || !Enter() || !Base::start_array(n)) return false;
    Open();
    if (depth_ == 2 && root_key_is_items_ && root_->is_object()) {
      in_items_ = true;
    }
    return true;
  }
  bool end_array() {
    frames_.pop_back();
    if (depth_ == 2) in_items_ = false;
    --depth_;
    return Base::end_array();
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& token,
                   const Exception& ex) {
    error_ = ex.what();
    // The parser fails after the root only because more text follows it.
    root_was_complete_ = began_ && depth_ == 0;
    return Base::parse_error(position, token, ex);
  }
  // The last parse error came after a complete root value: the text holds
  // another value (or junk) after it.
  bool root_was_complete() const { return root_was_complete_; }

  bool too_deep() const { return too_deep_; }
  // "duplicate key \"x\"" when an object repeated a key, else empty.
  const std::string& duplicate() const { return duplicate_; }
  // Where the parser stopped, as `spec.ports[1]` (empty at the root).
  std::string Path() const {
    std::string path;
    for (size_t i = 1; i < frames_.size(); ++i) {
      const Frame& parent = frames_[i - 1];
      if (parent.container->is_object()) {
        if (!path.empty()) path += '.';
        if (parent.key != nullptr) path += *parent.key;
      } else {
        absl::StrAppend(&path, "[", parent.elements - 1, "]");
      }
    }
    return path;
  }
  const std::string& error() const { return error_; }
  // How many leading items the sink took.
  int consumed() const { return static_cast<int>(consumed_); }

 private:
  bool Enter() {
    if (++depth_ > max_depth_) too_deep_ = true;
    return !too_deep_;
  }
  bool Value() {
    began_ = true;
    if (!frames_.empty()) ++frames_.back().elements;
    return true;
  }
  // Pushes the object or array the base class has just created: the root,
  // the last element of the enclosing array, or the entry of the last key.
  void Open() {
    json* created = root_;
    if (!frames_.empty()) {
      Frame& parent = frames_.back();
      created = parent.container->is_array() ? &parent.container->back()
                                             : parent.slot;
    }
    frames_.push_back(Frame{created});
  }

  // One per open object or array, for duplicate keys and paths. Pointers
  // stay valid while the container is open: nothing is added to an
  // enclosing array then, and map entries never move.
  struct Frame {
    json* container;                   // The object or array being built.
    const std::string* key = nullptr;  // Objects: the latest key...
    json* slot = nullptr;              // ...and its value.
    size_t elements = 0;               // Values begun so far.
  };
  std::vector<Frame> frames_;
  std::string duplicate_;

  json* const root_;
  const int max_depth_;
  ItemSink* const sink_;
  std::vector<DuplicateKey>* const duplicates_;
  const absl::string_view file_;
  const int document_;
  int depth_ = 0;
  bool too_deep_ = false;
  bool root_key_is_items_ = false;  // The last key of the root was "items".
  bool in_items_ = false;           // Inside the root's `items` array.
  bool streaming_ = false;          // Still handing items to the sink.
  size_t consumed_ = 0;
  bool began_ = false;  // A value has begun (the root, first of all).
  bool root_was_complete_ = false;
  std::string error_;
};

}  // namespace

size_t JsonValueEnd(absl::string_view text, size_t i) {
  const auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  };
  if (text[i] != '{' && text[i] != '[' && text[i] != '"') {
    while (i < text.size() && !blank(text[i]) && text[i] != '{' &&
           text[i] != '[' && text[i] != '"') {
      ++i;
    }
    return i;
  }
  int depth = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (depth == 0) return std::min(i + 1, text.size());
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return text.size();
}

absl::Status ParseJson(absl::string_view text, absl::string_view file,
                       const DecodeOptions& options, ItemSink* sink, json* out,
                       int* consumed, std::vector<DuplicateKey>* duplicates,
                       int document, int line, int column,
                       bool* another_value_follows) {
  JsonBuilder builder(out, options.max_depth, sink,
                      options.strict_keys ? nullptr : duplicates, file,
                      document);
  const bool ok = json::sax_parse(text.data(), text.data() + text.size(),
                                  &builder, json::input_format_t::json,
                                  /*strict=*/true);
  if (builder.too_deep()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": document ", document + 1,
                     ": nesting deeper than ", options.max_depth, " levels"));
  }
  if (!builder.duplicate().empty()) {
    const std::string path = builder.Path();
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": document ", document + 1, ": ", path,
                     path.empty() ? "" : ": ", builder.duplicate()));
  }
  if ((!ok || builder.is_errored()) && another_value_follows != nullptr &&
      builder.root_was_complete()) {
    *another_value_follows = true;
    return absl::OkStatus();
  }
  if (!ok || builder.is_errored()) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5:
    // syntax error while parsing ..." becomes
    // "line 3, column 5: JSON syntax error while parsing ...".
    absl::string_view msg = builder.error();
    const size_t at = msg.find("at line ");
    const size_t colon =
        at == absl::string_view::npos ? at : msg.find(": ", at);
    int l = 0, c = 0;
    if (colon != absl::string_view::npos &&
        std::sscanf(std::string(msg.substr(at)).c_str(),
                    "at line %d, column %d", &l, &c) == 2) {
      // Positions in the file, not in this value of a stream.
      if (l == 1) c += column - 1;
      l += line - 1;
      return absl::InvalidArgumentError(absl::StrCat(file, ": line ", l,
                                                     ", column ", c, ": JSON ",
                                                     msg.substr(colon + 2)));
    }
    if (const size_t id = msg.find("] "); id != absl::string_view::npos) {
      msg.remove_prefix(id + 2);
    }
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": JSON error: ", msg));
  }
  *consumed = builder.consumed();
  return absl::OkStatus();
}

}  // namespace decode_internal
}  // namespace svcenv
