#include "lib/decode/internal/timestamp.h"

#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace svcenv {
namespace decode_internal {
namespace {

// Reads exactly `digits` decimal digits (or, with `one_or_two`, one or two)
// from the front of `*s`.
bool Number(absl::string_view* s, int digits, bool one_or_two, int* out) {
  int n = 0;
  int read = 0;
  while (read < digits && read < static_cast<int>(s->size()) &&
         absl::ascii_isdigit((*s)[read])) {
    n = n * 10 + ((*s)[read] - '0');
    ++read;
  }
  if (read != digits && !(one_or_two && read == 1)) return false;
  s->remove_prefix(read);
  *out = n;
  return true;
}

bool Consume(absl::string_view* s, char c) {
  if (s->empty() || s->front() != c) return false;
  s->remove_prefix(1);
  return true;
}

}  // namespace

// Go's time.Parse(time.RFC3339, s), as metav1.Time reads it (after its
// strict fast path fails, the general parser decides): `2006-01-02T15:04:05`
// with a one- or two-digit hour, optional fractional seconds after `.` or
// `,`, then `Z` or `±hh:mm` (the offset's numbers unchecked, as Go leaves
// them), nothing else. Upper-case `T` and `Z` only; no second 60.
bool ParseTimestamp(absl::string_view text, Timestamp* out) {
  absl::string_view s = text;
  int year, month, day, hour, minute, second;
  if (!Number(&s, 4, false, &year) || !Consume(&s, '-') ||
      !Number(&s, 2, false, &month) || !Consume(&s, '-') ||
      !Number(&s, 2, false, &day) || !Consume(&s, 'T') ||
      !Number(&s, 2, true, &hour) || !Consume(&s, ':') ||
      !Number(&s, 2, false, &minute) || !Consume(&s, ':') ||
      !Number(&s, 2, false, &second)) {
    return false;
  }
  if (s.size() >= 2 && (s[0] == '.' || s[0] == ',') &&
      absl::ascii_isdigit(s[1])) {
    s.remove_prefix(1);
    while (!s.empty() && absl::ascii_isdigit(s.front())) s.remove_prefix(1);
  }
  int64_t offset = 0;
  if (!Consume(&s, 'Z')) {
    if (s.empty() || (s.front() != '+' && s.front() != '-')) return false;
    const bool negative = s.front() == '-';
    s.remove_prefix(1);
    int offset_hours, offset_minutes;
    if (!Number(&s, 2, false, &offset_hours) || !Consume(&s, ':') ||
        !Number(&s, 2, false, &offset_minutes)) {
      return false;
    }
    offset = (offset_hours * 60 + offset_minutes) * 60;
    if (negative) offset = -offset;
  }
  if (!s.empty()) return false;  // Go: "extra text".
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59)
    return false;
  const absl::CivilDay civil_day(year, month, day);
  if (day < 1 || civil_day.day() != day || civil_day.month() != month)
    return false;  // Go: "day out of range" (no February 30).
  const absl::Time t = absl::FromCivil(
      absl::CivilSecond(year, month, day, hour, minute, second),
      absl::UTCTimeZone());
  out->text = std::string(text);
  out->unix_seconds = absl::ToUnixSeconds(t) - offset;
  return true;
}

}  // namespace decode_internal
}  // namespace svcenv
