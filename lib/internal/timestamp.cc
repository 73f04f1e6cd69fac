#include "lib/internal/timestamp.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace svcenv {
namespace decode_internal {

bool ParseTimestamp(absl::string_view text, Timestamp* out) {
  // absl::ParseTime skips surrounding blanks; Go's time.Parse does not.
  if (text.empty() || absl::ascii_isspace(text.front()) ||
      absl::ascii_isspace(text.back())) {
    return false;
  }
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) return false;
  out->text = std::string(text);
  out->unix_seconds = absl::ToUnixSeconds(t);
  return true;
}

}  // namespace decode_internal
}  // namespace svcenv
