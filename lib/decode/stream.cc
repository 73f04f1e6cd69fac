// Documents and Lists (see decode_stream.h).
#include "lib/decode/internal/stream.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lib/base/status_macros.h"
#include "lib/decode/internal/fields.h"
#include "lib/decode/internal/json.h"
#include "lib/decode/internal/kinds.h"
#include "lib/decode/internal/tree.h"
#include "lib/decode/internal/yaml_json.h"
#include "nlohmann/json.hpp"
#include "svcenv/decode.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace decode_internal {

int Count(const Objects& o) {
  return static_cast<int>(o.services.size() + o.pods.size() +
                          o.config_maps.size() + o.secrets.size() +
                          o.nodes.size());
}

void Append(Objects&& from, Objects* to) {
  auto move_all = [](auto& src, auto& dst) {
    // Into an empty vector, take the buffer: a 10,000-item List would
    // otherwise exist twice (moved-from and new) at the memory peak.
    if (dst.empty()) {
      dst.swap(src);
      return;
    }
    dst.insert(dst.end(), std::make_move_iterator(src.begin()),
               std::make_move_iterator(src.end()));
  };
  move_all(from.services, to->services);
  move_all(from.pods, to->pods);
  move_all(from.config_maps, to->config_maps);
  move_all(from.secrets, to->secrets);
  move_all(from.nodes, to->nodes);
  move_all(from.duplicate_keys, to->duplicate_keys);
  move_all(from.decode_warnings, to->decode_warnings);
}

namespace {

using json = nlohmann::json;

class StreamDecoder {
 public:
  // `seen` counts the documents and List items of one text against
  // `max_objects`; null: this decoder's own count.
  StreamDecoder(absl::string_view file, const DecodeOptions& options,
                const LineTable* lines, int sequence, Objects* out,
                int64_t* seen = nullptr)
      : file_(file),
        options_(options),
        lines_(lines),
        sequence_(sequence),
        out_(out),
        seen_(seen != nullptr ? seen : &own_seen_) {}

  absl::Status Document(const json& doc, int index, int line) {
    if (doc.is_null()) return absl::OkStatus();  // An empty YAML document.
    Where where{file_, index, -1, line, lines_};
    return Object(doc, where, {}, {});
  }

  // Decodes a List item ahead of the List itself (see `ItemSink`).
  absl::Status EarlyItem(const json& item, const Where& where) {
    return Object(item, where, {}, {});
  }

  // The first `n` items of a List were decoded already by `EarlyItem`.
  void SkipItems(int n) { skip_items_ = n; }

  int sequence() const { return sequence_; }

 private:
  int LineOf(const json& node) const {
    if (lines_ == nullptr) return 0;
    auto it = lines_->find(&node);
    return it == lines_->end() ? 0 : it->second;
  }

  // `list_kind` / `list_api_version` come from the enclosing typed List
  // (`ServiceList`), whose items the API server prints without them.
  absl::Status Object(const json& obj, const Where& where,
                      absl::string_view list_kind,
                      absl::string_view list_api_version) {
    KindDecoder d(where, options_);
    if (++*seen_ > options_.max_objects) {
      return d.Fail(nullptr, &obj,
                    absl::StrCat("more than ", options_.max_objects,
                                 " objects (documents and List items)"));
    }
    if (!obj.is_object()) {
      return d.WrongType(nullptr, obj, "an object");
    }
    std::string kind, api_version;
    SVCENV_RETURN_IF_ERROR(d.String(obj, "kind", nullptr, &kind));
    SVCENV_RETURN_IF_ERROR(d.String(obj, "apiVersion", nullptr, &api_version));
    if (kind.empty() && absl::EndsWith(list_kind, "List") &&
        list_kind.size() > 4) {
      kind = std::string(list_kind.substr(0, list_kind.size() - 4));
      if (api_version.empty()) api_version = std::string(list_api_version);
    }
    if (kind.empty()) {
      Path p{nullptr, "kind"};
      return d.Fail(&p, &obj, "required");
    }
    d.SetKind(kind);
    if (absl::EndsWith(kind, "List")) {
      if (where.item >= 0) {
        return d.Fail(nullptr, &obj, "a List inside a List is not supported");
      }
      return List(obj, d, where, kind, api_version);
    }
    bool decoded = false;
    SVCENV_RETURN_IF_ERROR(
        d.Decode(obj, api_version, sequence_, out_, &decoded));
    if (decoded) ++sequence_;
    return absl::OkStatus();
  }

  absl::Status List(const json& obj, const KindDecoder& d, const Where& where,
                    absl::string_view kind, absl::string_view api_version) {
    const json* items = FieldReader::Find(obj, "items");
    if (items == nullptr) return absl::OkStatus();
    Path p{nullptr, "items"};
    if (!items->is_array()) return d.WrongType(&p, *items, "an array");
    const json::array_t& a = items->get_ref<const json::array_t&>();
    for (size_t i = skip_items_; i < a.size(); ++i) {
      Where w = where;
      w.item = static_cast<int>(i);
      if (int line = LineOf(a[i]); line > 0) w.line = line;
      SVCENV_RETURN_IF_ERROR(Object(a[i], w, kind, api_version));
    }
    return absl::OkStatus();
  }

  const absl::string_view file_;
  const DecodeOptions& options_;
  const LineTable* const lines_;
  int sequence_;
  Objects* const out_;
  size_t skip_items_ = 0;
  int64_t own_seen_ = 0;
  int64_t* const seen_;
};

// Decodes List items as they are parsed, into its own `Objects`, for
// `Documents` to keep only if the document turns out to be a List.
class EarlyItems : public ItemSink {
 public:
  // `seen` is the text's count against `max_objects`.
  EarlyItems(absl::string_view file, const DecodeOptions& options, int sequence,
             int document, int64_t* seen)
      : file_(file),
        options_(options),
        sequence_(sequence),
        document_(document),
        seen_(seen),
        seen_at_start_(*seen) {
    Reset();
  }

  bool Consume(const json& item, int index, int line,
               const LineTable* lines) override {
    if (!error_.ok()) return true;  // Only the first error matters.
    const json* kind = FieldReader::Find(item, "kind");
    // Typed-List items have no kind: they need the List's, known later.
    if (kind == nullptr || !kind->is_string() ||
        kind->get_ref<const std::string&>().empty()) {
      return false;
    }
    if (index == 0) first_line_ = line;
    if (index == kSampleItems) ReserveForTheRest(line);
    error_ =
        decoder_->EarlyItem(item, Where{file_, document_, index, line, lines});
    return true;
  }

  void Reset() override {
    objects_ = Objects();
    error_ = absl::OkStatus();
    *seen_ = seen_at_start_;
    decoder_ = std::make_unique<StreamDecoder>(file_, options_, nullptr,
                                               sequence_, &objects_, seen_);
  }

  const absl::Status& error() const { return error_; }
  Objects& objects() { return objects_; }

  // The YAML text the items come from (empty for JSON: its items have no
  // lines).
  void SetText(absl::string_view text) { text_ = text; }

 private:
  static constexpr int kSampleItems = 32;

  // A 10,000-item List of one kind grows its vector by doubling, the old
  // array alive beside the new one at the memory peak (12 MB of 25 for a
  // ServiceList). Once `kSampleItems` items of one kind are decoded, the
  // lines they took tell about how many the rest of the text holds: reserve
  // for those, with a margin, so that the vector is allocated about once.
  void ReserveForTheRest(int line) {
    const int64_t sample_lines = line - first_line_;
    if (text_.empty() || sample_lines <= 0) return;
    // Counted here, once per long List, not for every text.
    const int64_t last_line =
        1 + static_cast<int64_t>(std::count(text_.begin(), text_.end(), '\n'));
    if (last_line <= line) return;
    const int64_t rest = (last_line - line) * kSampleItems / sample_lines;
    const int64_t estimate = std::min<int64_t>(
        kSampleItems + rest + rest / 10 + 16, options_.max_objects);
    auto reserve = [&](auto& objects) {
      if (static_cast<int>(objects.size()) != kSampleItems) return;
      objects.reserve(static_cast<size_t>(estimate));
    };
    reserve(objects_.services);
    reserve(objects_.pods);
    reserve(objects_.config_maps);
    reserve(objects_.secrets);
  }

  const absl::string_view file_;
  const DecodeOptions& options_;
  const int sequence_;
  const int document_;
  int64_t* const seen_;
  const int64_t seen_at_start_;
  int first_line_ = 0;
  absl::string_view text_;
  Objects objects_;
  absl::Status error_;
  std::unique_ptr<StreamDecoder> decoder_;
};

// The documents of one text, each decoded as soon as it ends into `staging`.
// List items an `ItemSink` took early are kept only when their document
// turns out to be a List (its `items` was some other field otherwise).
class Documents : public YamlDocumentHandler {
 public:
  Documents(absl::string_view file, const DecodeOptions& options, int sequence,
            Objects* staging)
      : file_(file),
        options_(options),
        sequence_(sequence),
        staging_(staging) {}

  ItemSink* BeginDocument(int index) override {
    seen_at_start_ = seen_;
    early_ =
        std::make_unique<EarlyItems>(file_, options_, sequence_, index, &seen_);
    early_->SetText(text_);
    return early_.get();
  }

  // For EarlyItems' estimate of a List's length (YAML only).
  void SetText(absl::string_view text) { text_ = text; }

  absl::Status EndDocument(const json& doc, int index, int line,
                           const LineTable& lines, int consumed,
                           absl::string_view helm_source) override {
    const size_t sizes[] = {staging_->services.size(), staging_->pods.size(),
                            staging_->config_maps.size(),
                            staging_->secrets.size(), staging_->nodes.size()};
    SVCENV_RETURN_IF_ERROR(End(doc, index, line, &lines, consumed));
    if (!helm_source.empty()) {
      // Every object of the document, List items included.
      auto mark = [&](auto& objects, size_t from) {
        for (size_t i = from; i < objects.size(); ++i) {
          objects[i].origin.helm_source = std::string(helm_source);
        }
      };
      mark(staging_->services, sizes[0]);
      mark(staging_->pods, sizes[1]);
      mark(staging_->config_maps, sizes[2]);
      mark(staging_->secrets, sizes[3]);
      mark(staging_->nodes, sizes[4]);
    }
    return absl::OkStatus();
  }

  // Forgets the document BeginDocument() began, to begin it again.
  void AbandonDocument() {
    early_.reset();
    seen_ = seen_at_start_;
  }

  // EndDocument() with the lines of YAML, null for JSON.
  absl::Status End(const json& doc, int index, int line, const LineTable* lines,
                   int consumed) {
    const json* kind =
        doc.is_object() ? FieldReader::Find(doc, "kind") : nullptr;
    const bool list =
        kind != nullptr && kind->is_string() &&
        absl::EndsWith(kind->get_ref<const std::string&>(), "List");
    if (!list) consumed = 0;  // Its `items` was some other field.
    if (consumed == 0) seen_ = seen_at_start_;
    if (consumed > 0) {
      SVCENV_RETURN_IF_ERROR(early_->error());
      sequence_ += Count(early_->objects());
      Append(std::move(early_->objects()), staging_);
    }
    early_.reset();
    StreamDecoder decoder(file_, options_, lines, sequence_, staging_, &seen_);
    decoder.SkipItems(consumed);
    SVCENV_RETURN_IF_ERROR(decoder.Document(doc, index, line));
    sequence_ = decoder.sequence();
    return absl::OkStatus();
  }

 private:
  const absl::string_view file_;
  const DecodeOptions& options_;
  int sequence_;
  Objects* const staging_;
  int64_t seen_ = 0;  // Documents and List items, against max_objects.
  int64_t seen_at_start_ = 0;
  absl::string_view text_;
  std::unique_ptr<EarlyItems> early_;
};

}  // namespace

absl::Status DecodeJson(absl::string_view text, absl::string_view file,
                        const DecodeOptions& options, int sequence,
                        Objects* staging) {
  // Concatenated values (`jq '.items[]'` output) are read one after
  // another, as kubectl's JSON stream decoder reads them. The first value is
  // parsed on the assumption that it is the only one (no scan for its end);
  // only when more follows are the values split and each parsed alone.
  Documents documents(file, options, sequence, staging);
  bool stream = false;
  int line = 1;
  size_t line_start = 0, pos = 0;
  for (int index = 0;;) {
    for (; pos < text.size(); ++pos) {
      const char c = text[pos];
      if (c == '\n') {
        ++line;
        line_start = pos + 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        break;
      }
    }
    if (pos == text.size()) break;
    const size_t end = stream ? JsonValueEnd(text, pos) : text.size();
    const size_t duplicates_before = staging->duplicate_keys.size();
    ItemSink* sink = documents.BeginDocument(index);
    json doc;
    int consumed = 0;
    bool another_value_follows = false;
    SVCENV_RETURN_IF_ERROR(ParseJson(
        text.substr(pos, end - pos), file, options, sink, &doc, &consumed,
        &staging->duplicate_keys, index, line,
        static_cast<int>(pos - line_start) + 1,
        stream ? nullptr : &another_value_follows));
    if (another_value_follows) {
      documents.AbandonDocument();
      staging->duplicate_keys.resize(duplicates_before);
      stream = true;
      continue;  // This value again, split from the rest.
    }
    SVCENV_RETURN_IF_ERROR(documents.End(doc, index, 0, nullptr, consumed));
    if (!stream) break;  // The one value of the text.
    ++index;
    // Lines of the value, counted in one vectorizable pass.
    const absl::string_view value = text.substr(pos, end - pos);
    line += static_cast<int>(std::count(value.begin(), value.end(), '\n'));
    if (const size_t last = value.rfind('\n'); last != value.npos)
      line_start = pos + last + 1;
    pos = end;
  }
  return absl::OkStatus();
}

absl::Status DecodeYaml(absl::string_view text, absl::string_view file,
                        const DecodeOptions& options, int sequence,
                        Objects* staging, const MappedFile* pages) {
  YamlLimits limits;
  limits.max_depth = options.max_depth;
  limits.max_nodes = options.max_yaml_nodes;
  limits.max_documents = options.max_objects;
  if (!options.strict_keys) limits.duplicates = &staging->duplicate_keys;
  limits.warnings = &staging->decode_warnings;
  limits.pages = pages;
  Documents documents(file, options, sequence, staging);
  documents.SetText(text);
  return ParseYamlStream(text, file, limits, &documents);
}

}  // namespace decode_internal
}  // namespace svcenv
