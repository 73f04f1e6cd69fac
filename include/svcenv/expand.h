// include/svcenv/expand.h
//
// The kubelet's `$(VAR)` expansion (`third_party/forked/golang/expansion`,
// the current UTF-8-aware `Expand` and `MappingFuncFor`), byte for byte, with
// a trace of which names were substituted and which stayed literal.
//
// Rules, scanning left to right, at each `$` that is not the last byte:
//   `$$`           one `$` (an escape);
//   `$(NAME)`      the value of NAME; the name runs to the first `)` and may
//                  be empty or hold spaces, `$` or `(`; an undefined name is
//                  re-emitted as `$(NAME)`;
//   `$(` with no `)` later: `$(` literally, scanning resumes after the `(`;
//   `$` + other    `$` and that whole UTF-8 character, copied (an invalid
//                  byte becomes U+FFFD, as Go's `string(rune)` does).
// A final lone `$` is kept. Substituted values are never rescanned.
//
// Functions here are thread-safe.
//
// Example:
//   std::map<std::string, std::string> vars = {{"A", "1"}};
//   svcenv::ExpansionTrace trace;
//   std::string s = svcenv::ExpandReferences("$(A)-$(B)-$$(A)", vars, &trace);
//   // s == "1-$(B)-$(A)", trace.expanded == {"A"}, trace.unresolved == {"B"}
#ifndef SVCENV_INCLUDE_SVCENV_EXPAND_H_
#define SVCENV_INCLUDE_SVCENV_EXPAND_H_

#include <map>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace svcenv {

// Names met while expanding one string, each listed once, in order of first
// occurrence.
struct ExpansionTrace {
  std::vector<std::string> expanded;    // Defined: replaced by their value.
  std::vector<std::string> unresolved;  // Undefined: left as `$(NAME)`.
};

// Looks a name up: its value, or null when the name is undefined. The
// pointer need only stay valid until the next call.
using VariableLookup =
    absl::FunctionRef<const std::string*(absl::string_view name)>;

// Expands `input` with `lookup`. When `trace` is not null, the names met are
// appended to it (names already listed there are not repeated).
std::string ExpandReferences(absl::string_view input, VariableLookup lookup,
                             ExpansionTrace* trace = nullptr);

// As above, with the variables of one map.
std::string ExpandReferences(absl::string_view input,
                             const std::map<std::string, std::string>& vars,
                             ExpansionTrace* trace = nullptr);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_EXPAND_H_
