// tools/suggest.h
//
// DO NOT INCLUDE OUTSIDE tools/. "Did you mean" for words a user typed:
// commands, flags, container names, namespaces, field names.
#ifndef SVCENV_TOOLS_SUGGEST_H_
#define SVCENV_TOOLS_SUGGEST_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace svcenv::cli {

// The candidate closest to `typed` by edit distance (insertions, deletions,
// substitutions and swaps of adjacent letters, ignoring case), when it is
// close enough to be a likely typo: at most 1 edit for words up to 4
// letters, 2 up to 8, else 3. Empty when none is.
std::string ClosestMatch(absl::string_view typed,
                         const std::vector<std::string>& candidates);

// ` (did you mean "X"?)` for ClosestMatch, or empty.
std::string DidYouMean(absl::string_view typed,
                       const std::vector<std::string>& candidates);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_SUGGEST_H_
