#include "svcenv/expand.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "lib/base/utf8.h"

namespace svcenv {
namespace {

constexpr char kOperator = '$';
constexpr char kOpener = '(';
constexpr char kCloser = ')';

void Note(absl::string_view name, std::vector<std::string>* list) {
  if (std::find(list->begin(), list->end(), name) == list->end()) {
    list->emplace_back(name);
  }
}

}  // namespace

std::string ExpandReferences(absl::string_view input, VariableLookup lookup,
                             ExpansionTrace* trace) {
  std::string out;
  out.reserve(input.size());
  size_t checkpoint = 0;
  for (size_t cursor = 0; cursor < input.size(); ++cursor) {
    if (input[cursor] != kOperator || cursor + 1 >= input.size()) continue;
    out.append(input.data() + checkpoint, cursor - checkpoint);
    const absl::string_view rest = input.substr(cursor + 1);
    size_t advance = 1;  // Bytes consumed after the `$`.
    if (rest[0] == kOperator) {
      out.push_back(kOperator);
    } else if (rest[0] == kOpener) {
      const size_t close = rest.find(kCloser, 1);
      if (close == absl::string_view::npos) {
        out.append("$(");
      } else {
        const absl::string_view name = rest.substr(1, close - 1);
        if (const std::string* value = lookup(name)) {
          out.append(*value);
          if (trace != nullptr) Note(name, &trace->expanded);
        } else {
          out.push_back(kOperator);
          out.push_back(kOpener);
          out.append(name.data(), name.size());
          out.push_back(kCloser);
          if (trace != nullptr) Note(name, &trace->unresolved);
        }
        advance = close + 1;
      }
    } else {
      out.push_back(kOperator);
      const size_t length = utf8_internal::RuneLength(rest);
      if (length == 0) {
        out.append("\xEF\xBF\xBD");  // U+FFFD, as Go's string(RuneError).
      } else {
        out.append(rest.data(), length);
        advance = length;
      }
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  if (checkpoint < input.size()) {
    out.append(input.data() + checkpoint, input.size() - checkpoint);
  }
  return out;
}

std::string ExpandReferences(absl::string_view input,
                             const std::map<std::string, std::string>& vars,
                             ExpansionTrace* trace) {
  return ExpandReferences(
      input,
      [&vars](absl::string_view name) -> const std::string* {
        auto it = vars.find(std::string(name));
        return it == vars.end() ? nullptr : &it->second;
      },
      trace);
}

}  // namespace svcenv
