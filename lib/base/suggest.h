// lib/base/suggest.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. "Did you mean" for words a user typed:
// field names (the decoder), commands, flags, container names, namespaces
// (the command line).
#ifndef SVCENV_LIB_BASE_SUGGEST_H_
#define SVCENV_LIB_BASE_SUGGEST_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace svcenv {

// The candidate closest to `typed` by edit distance (insertions, deletions,
// substitutions and swaps of adjacent letters, ignoring case), when it is
// close enough to be a likely typo: at most 1 edit for words up to 4
// letters, 2 up to 8, else 3. Empty when none is.
std::string ClosestMatch(absl::string_view typed,
                         const std::vector<std::string>& candidates);

// ` (did you mean "X"?)` for ClosestMatch, or empty.
std::string DidYouMean(absl::string_view typed,
                       const std::vector<std::string>& candidates);

}  // namespace svcenv

#endif  // SVCENV_LIB_BASE_SUGGEST_H_
