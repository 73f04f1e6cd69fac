// The decoder's JSON parser (see decode_json.h).
#include "lib/internal/decode_json.h"

#include <cstddef>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "svcenv/decode.h"

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
  JsonBuilder(json* root, int max_depth, ItemSink* sink)
      : Base(*root, /*allow_exceptions=*/false),
        root_(root),
        max_depth_(max_depth),
        sink_(sink) {}

  bool key(std::string& k) {
    // The object being built is at hand: a repeated key is already in it.
    // Map nodes never move, so the new entry can be remembered by address.
    Frame& f = frames_.back();
    json::object_t& obj = f.container->get_ref<json::object_t&>();
    const auto next = obj.lower_bound(k);
    if (next != obj.end() && next->first == k) {
      duplicate_ = absl::StrCat("duplicate key \"", k, "\"");
      return false;
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
    const auto added = std::prev(next);  // Inserted just before `next`.
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
    return Base::parse_error(position, token, ex);
  }

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
  int depth_ = 0;
  bool too_deep_ = false;
  bool root_key_is_items_ = false;  // The last key of the root was "items".
  bool in_items_ = false;           // Inside the root's `items` array.
  bool streaming_ = false;          // Still handing items to the sink.
  size_t consumed_ = 0;
  std::string error_;
};

}  // namespace

absl::Status ParseJson(absl::string_view text, absl::string_view file,
                       const DecodeOptions& options, ItemSink* sink, json* out,
                       int* consumed) {
  JsonBuilder builder(out, options.max_depth, sink);
  const bool ok = json::sax_parse(text.data(), text.data() + text.size(),
                                  &builder, json::input_format_t::json,
                                  /*strict=*/true);
  if (builder.too_deep()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": document 1: nesting deeper than ",
                     options.max_depth, " levels"));
  }
  if (!builder.duplicate().empty()) {
    const std::string path = builder.Path();
    return absl::InvalidArgumentError(absl::StrCat(file, ": document 1: ", path,
                                                   path.empty() ? "" : ": ",
                                                   builder.duplicate()));
  }
  if (!ok || builder.is_errored()) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5:
    // syntax error while parsing ..." becomes
    // "line 3, column 5: JSON syntax error while parsing ...".
    absl::string_view msg = builder.error();
    const size_t at = msg.find("at line ");
    const size_t colon =
        at == absl::string_view::npos ? at : msg.find(": ", at);
    if (colon != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": ", msg.substr(at + 3, colon - at - 3),
                       ": JSON ", msg.substr(colon + 2)));
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
