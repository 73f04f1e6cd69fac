// The escape `\'` of go-yaml v2 on libyaml (see yaml_escapes.h).
#include "lib/decode/internal/yaml_escapes.h"

#include <yaml.h>

#include <algorithm>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/decode/internal/yaml_reader.h"

namespace svcenv {
namespace decode_internal {
namespace {

// Scanning a piece again for each `\'` in single quotes costs at most this
// much reading, plus four times the piece (the usual piece needs one scan).
constexpr size_t kMaxRescanBytes = size_t{16} << 20;

// The quoted scalars of `text` as libyaml's scanner reads them: byte spans
// (quotes included) with whether double-quoted, in order, up to the end or
// to an error. An error inside a quoted scalar (one never closed) adds that
// scalar, up to the end of the text.
struct QuotedSpan {
  size_t begin;
  size_t end;
  bool double_quoted;
};
std::vector<QuotedSpan> QuotedSpans(absl::string_view text) {
  std::vector<QuotedSpan> spans;
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) return spans;
  ChunkInput input{text, 0, !absl::EndsWith(text, "\n")};
  yaml_parser_set_input(&parser, &ChunkInput::Read, &input);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  // Marks count characters (not a byte-order mark libyaml skipped) and
  // come in increasing order: one cursor.
  size_t chars = 0;
  size_t bytes = absl::StartsWith(text, "\xEF\xBB\xBF") ? 3 : 0;
  auto byte_of = [&](size_t index) {
    while (chars < index && bytes < text.size()) {
      const unsigned char c = text[bytes];
      bytes += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      ++chars;
    }
    return std::min(bytes, text.size());
  };
  while (true) {
    yaml_token_t token;
    if (!yaml_parser_scan(&parser, &token)) {
      if (parser.error == YAML_SCANNER_ERROR && parser.context != nullptr &&
          absl::string_view(parser.context) == "while scanning a quoted scalar") {
        const size_t begin = byte_of(parser.context_mark.index);
        if (begin < text.size()) {
          spans.push_back({begin, text.size(), text[begin] == '"'});
        }
      }
      break;
    }
    const yaml_token_type_t type = token.type;
    if (type == YAML_SCALAR_TOKEN &&
        (token.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
         token.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE)) {
      const size_t begin = byte_of(token.start_mark.index);
      const size_t end = byte_of(token.end_mark.index);
      spans.push_back(
          {begin, end,
           token.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE});
    }
    yaml_token_delete(&token);
    if (type == YAML_STREAM_END_TOKEN || type == YAML_NO_TOKEN) break;
  }
  yaml_parser_delete(&parser);
  return spans;
}

// The span holding byte `at`, or null.
const QuotedSpan* SpanOf(const std::vector<QuotedSpan>& spans, size_t at) {
  auto after = std::upper_bound(
      spans.begin(), spans.end(), at,
      [](size_t a, const QuotedSpan& s) { return a < s.begin; });
  if (after == spans.begin()) return nullptr;
  const QuotedSpan& span = *std::prev(after);
  return at < span.end ? &span : nullptr;
}

}  // namespace

absl::Status QuoteEscapes::Prepare(absl::string_view chunk, size_t offset,
                                   int line, absl::string_view file) {
  text_ = chunk;
  offset_ = offset;
  copy_.clear();
  rewritten_.clear();
  if (chunk.find("\\'") == absl::string_view::npos) return absl::OkStatus();
  copy_.assign(chunk.data(), chunk.size());
  text_ = copy_;
  // Every `\'` whose backslash escapes (the last of an odd run) is given as
  // `\"`, and one scan tells where each is: in a double-quoted scalar (kept),
  // elsewhere but in quotes (a plain or block scalar, a comment, where
  // neither character means anything: put back), or in a single-quoted
  // scalar, where `'` would have ended the scalar and `"` does not. The scan
  // is right up to the first of those; it is put back and the piece scanned
  // again, the ones before it settled. One scan for the usual piece, one
  // more for each `\'` in single quotes ('C:\').
  std::vector<size_t> candidates;
  for (size_t i = 0; i + 1 < copy_.size(); ++i) {
    if (copy_[i] != '\\' || copy_[i + 1] != '\'') continue;
    size_t run = 1;
    while (run <= i && copy_[i - run] == '\\') ++run;
    if (run % 2 == 1) {
      candidates.push_back(i);
      copy_[i + 1] = '"';
    }
  }
  size_t settled = 0;
  size_t scanned = 0;
  std::vector<QuotedSpan> spans;
  while (true) {
    scanned += copy_.size();
    if (scanned > kMaxRescanBytes + 4 * copy_.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          file, ": line ", line,
          ": too many single-quoted scalars ending in a backslash among "
          "double-quoted ones with the escape `\\'` (svcenv reads the "
          "document again for each)"));
    }
    spans = QuotedSpans(copy_);
    size_t next = settled;
    for (; next < candidates.size(); ++next) {
      const QuotedSpan* span = SpanOf(spans, candidates[next]);
      if (span != nullptr && !span->double_quoted) break;
    }
    if (next == candidates.size()) break;
    copy_[candidates[next] + 1] = '\'';
    settled = next + 1;
  }
  for (size_t at : candidates) {
    const QuotedSpan* span = SpanOf(spans, at);
    if (span != nullptr && span->double_quoted && copy_[at + 1] == '"') {
      rewritten_.push_back(offset + at);
    } else {
      copy_[at + 1] = '\'';
    }
  }
  return absl::OkStatus();
}

void QuoteEscapes::Restore(size_t begin, size_t end, unsigned char* value,
                           size_t length) const {
  auto first = std::lower_bound(rewritten_.begin(), rewritten_.end(), begin);
  if (first == rewritten_.end() || *first >= end || begin < offset_) return;
  // Each `"` of the value comes from an escape (a bare one would end the
  // scalar): `\"`, rewritten or not, or `\x22`, `\u0022`, `\U00000022`.
  std::vector<bool> from_rewrite;
  const absl::string_view raw = text_.substr(begin - offset_, end - begin);
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] != '\\') continue;
    const char c = raw[i + 1];
    const size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
    if (c == '"') {
      from_rewrite.push_back(
          std::binary_search(rewritten_.begin(), rewritten_.end(), begin + i));
    } else if (digits > 0 && i + 2 + digits <= raw.size()) {
      uint32_t code = 0;
      if (absl::SimpleHexAtoi(raw.substr(i + 2, digits), &code) &&
          code == '"') {
        from_rewrite.push_back(false);
      }
    }
    i += 1 + digits;
  }
  size_t quote = 0;
  for (size_t j = 0; j < length; ++j) {
    if (value[j] != '"') continue;
    if (quote < from_rewrite.size() && from_rewrite[quote]) value[j] = '\'';
    ++quote;
  }
}

}  // namespace decode_internal
}  // namespace svcenv
