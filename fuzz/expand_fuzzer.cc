// fuzz/expand_fuzzer.cc
//
// Fuzzes `$(VAR)` expansion. The input's first line is the string to
// expand; each further line `NAME=VALUE` defines a variable. Traps (abort)
// when the result breaks an invariant of the kubelet's algorithm.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "svcenv/expand.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  const absl::string_view input = lines[0];
  std::map<std::string, std::string> vars;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<absl::string_view> kv =
        absl::StrSplit(lines[i], absl::MaxSplits('=', 1));
    vars[std::string(kv[0])] = kv.size() > 1 ? std::string(kv[1]) : "";
  }

  svcenv::ExpansionTrace trace;
  const std::string out = svcenv::ExpandReferences(input, vars, &trace);

  // Without a `$` there is nothing to expand.
  if (input.find('$') == absl::string_view::npos && out != input) std::abort();
  // Every expanded name is defined, every unresolved one is not, and
  // neither list repeats a name.
  for (const std::string& name : trace.expanded) {
    if (vars.count(name) == 0) std::abort();
  }
  for (const std::string& name : trace.unresolved) {
    if (vars.count(name) != 0) std::abort();
  }
  for (const std::vector<std::string>* names :
       {&trace.expanded, &trace.unresolved}) {
    std::vector<std::string> sorted = *names;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
      std::abort();
    }
  }
  // With no variables nothing expands, and the output grows only where a
  // `$` precedes a byte that is not UTF-8 (it becomes U+FFFD, 3 bytes).
  const std::string bare = svcenv::ExpandReferences(input, {}, nullptr);
  const size_t dollars = std::count(input.begin(), input.end(), '$');
  if (bare.size() > input.size() + 2 * dollars) std::abort();
  // The lookup overload agrees with the map one.
  const std::string via_lookup = svcenv::ExpandReferences(
      input, [&](absl::string_view name) -> const std::string* {
        auto it = vars.find(std::string(name));
        return it == vars.end() ? nullptr : &it->second;
      });
  if (via_lookup != out) std::abort();
  return 0;
}
