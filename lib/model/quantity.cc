#include "svcenv/quantity.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace svcenv {
namespace {

// The pieces of a quantity string, as apimachinery's parseQuantityString
// splits it.
struct Pieces {
  bool positive = true;
  absl::string_view num;    // Integer digits, leading zeros stripped.
  absl::string_view denom;  // Fraction digits.
  absl::string_view suffix;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Follows parseQuantityString step by step, including its leniencies: a lone
// sign or "." reads as zero and "1.G" is accepted.
bool SplitQuantity(absl::string_view s, Pieces* out) {
  size_t pos = 0;
  const size_t end = s.size();
  if (pos < end && (s[0] == '+' || s[0] == '-')) {
    out->positive = s[0] == '+';
    ++pos;
  }
  while (pos < end && s[pos] == '0') ++pos;
  if (pos >= end) return true;  // All zeros (or nothing): zero, no suffix.
  size_t i = pos;
  while (i < end && IsDigit(s[i])) ++i;
  out->num = s.substr(pos, i - pos);
  if (i >= end) return true;
  pos = i;
  if (s[pos] == '.') {
    ++pos;
    i = pos;
    while (i < end && IsDigit(s[i])) ++i;
    out->denom = s.substr(pos, i - pos);
    if (i >= end) return true;
    pos = i;
  }
  const size_t suffix_start = pos;
  i = pos;
  while (i < end && absl::string_view("eEinumkKMGTP").find(s[i]) !=
                        absl::string_view::npos) {
    ++i;
  }
  if (i < end && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < end && IsDigit(s[i])) ++i;
  if (i < end) return false;
  out->suffix = s.substr(suffix_start);
  return true;
}

struct Suffix {
  int base = 10;
  int64_t exponent = 0;
  QuantityFormat format = QuantityFormat::kDecimalSI;
};

bool InterpretSuffix(absl::string_view s, Suffix* out) {
  static constexpr struct {
    absl::string_view text;
    int exponent;
  } kDecimal[] = {{"", 0},  {"n", -9}, {"u", -6}, {"m", -3}, {"k", 3},
                  {"M", 6}, {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}},
    kBinary[] = {{"Ki", 10}, {"Mi", 20}, {"Gi", 30},
                 {"Ti", 40}, {"Pi", 50}, {"Ei", 60}};
  for (const auto& d : kDecimal) {
    if (s == d.text) {
      *out = {10, d.exponent, QuantityFormat::kDecimalSI};
      return true;
    }
  }
  for (const auto& b : kBinary) {
    if (s == b.text) {
      *out = {2, b.exponent, QuantityFormat::kBinarySI};
      return true;
    }
  }
  if (s.size() > 1 && (s[0] == 'e' || s[0] == 'E')) {
    // strconv.ParseInt accepts a sign; SimpleAtoi also accepts surrounding
    // blanks, which SplitQuantity never lets through.
    int64_t exponent;
    if (!absl::SimpleAtoi(s.substr(1), &exponent)) return false;
    *out = {10, exponent, QuantityFormat::kDecimalExponent};
    return true;
  }
  return false;
}

constexpr absl::uint128 kMax128 = absl::Uint128Max();

bool MultiplyChecked(absl::uint128 a, absl::uint128 b, absl::uint128* out) {
  if (a != 0 && b > kMax128 / a) return false;
  *out = a * b;
  return true;
}

absl::uint128 Pow10(int n) {
  absl::uint128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// The largest magnitude kept: nanos must fit a signed 128-bit integer.
constexpr absl::uint128 kMaxNanos = absl::Uint128Max() >> 1;

}  // namespace

absl::StatusOr<Quantity> ParseQuantity(absl::string_view text) {
  const absl::string_view s = absl::StripAsciiWhitespace(text);
  const auto bad = [&text](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("quantity \"", absl::CEscape(text), "\": ", why));
  };
  // What apimachinery takes but svcenv cannot keep exactly.
  const auto out_of_range = [&text](absl::string_view why) {
    return absl::OutOfRangeError(absl::StrCat(
        "quantity \"", absl::CEscape(text), "\": ", why,
        " for svcenv to compute exactly"));
  };
  if (s.empty()) return bad("empty");
  Pieces pieces;
  if (!SplitQuantity(s, &pieces)) {
    return bad(
        "must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  }
  Suffix suffix;
  if (!InterpretSuffix(pieces.suffix, &suffix)) {
    return bad("unable to parse the suffix");
  }
  // Significant digits of num.denom, as an integer, with the decimal point
  // `denom.size()` places from the right.
  std::string digits = absl::StrCat(pieces.num, pieces.denom);
  const size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "" : digits.substr(first);
  Quantity result;
  result.format = suffix.format;
  if (digits.empty()) return result;  // Zero in any form.
  if (digits.size() > 38) return out_of_range("more than 38 significant digits");
  absl::uint128 magnitude = 0;
  for (char c : digits) magnitude = magnitude * 10 + (c - '0');

  // nanos = digits × 10^(9 - |denom|) × base^exponent, rounded up.
  int64_t power10 = 9 - static_cast<int64_t>(pieces.denom.size());
  if (suffix.base == 10) {
    // Beyond ±1000 the result is out of range or rounds to 1n either way;
    // clamping keeps the sum from overflowing.
    power10 +=
        std::max<int64_t>(-1000, std::min<int64_t>(1000, suffix.exponent));
  } else if (!MultiplyChecked(magnitude, absl::uint128(1) << suffix.exponent,
                              &magnitude)) {
    return out_of_range("too large");
  }
  if (power10 > 0) {
    if (power10 > 38 || !MultiplyChecked(magnitude, Pow10(power10), &magnitude))
      return out_of_range("too large");
  } else if (power10 < 0) {
    if (power10 < -38) {
      magnitude = 1;  // Nonzero but below 1n: rounds up to 1n.
    } else {
      const absl::uint128 divisor = Pow10(-power10);
      const bool inexact = magnitude % divisor != 0;
      magnitude = magnitude / divisor + (inexact ? 1 : 0);
    }
  }
  if (suffix.format == QuantityFormat::kBinarySI) {
    const absl::uint128 cap =
        absl::uint128(std::numeric_limits<int64_t>::max()) * 1000000000;
    if (magnitude > cap) magnitude = cap;
  }
  if (magnitude > kMaxNanos) return out_of_range("too large");
  result.nanos = static_cast<absl::int128>(magnitude);
  if (!pieces.positive) result.nanos = -result.nanos;
  return result;
}

absl::StatusOr<int64_t> ScaledValue(const Quantity& quantity, int scale) {
  const bool negative = quantity.nanos < 0;
  const absl::uint128 magnitude =
      static_cast<absl::uint128>(negative ? -quantity.nanos : quantity.nanos);
  const absl::uint128 divisor = Pow10(scale + 9);
  absl::uint128 scaled = magnitude / divisor;
  if (magnitude % divisor != 0) ++scaled;  // Away from zero.
  if (scaled > absl::uint128(std::numeric_limits<int64_t>::max())) {
    return absl::OutOfRangeError(
        absl::StrCat("quantity does not fit int64 at scale 10^", scale));
  }
  const int64_t value = static_cast<int64_t>(scaled);
  return negative ? -value : value;
}

int64_t KubeletCeilDivide(int64_t numerator, int64_t denominator) {
  const double quotient =
      static_cast<double>(numerator) / static_cast<double>(denominator);
  const double ceiling = std::ceil(quotient);
  // CVTTSD2SI yields the "integer indefinite" value for anything it cannot
  // represent; C++ would leave that undefined.
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (std::isnan(ceiling) || ceiling >= kTwoTo63 || ceiling < -kTwoTo63) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(ceiling);
}

absl::StatusOr<int64_t> DownwardApiResourceValue(const Quantity& value,
                                                 const Quantity& divisor,
                                                 bool milli) {
  const int scale = milli ? -3 : 0;
  Quantity one;
  one.nanos = 1000000000;
  const Quantity& effective = divisor.IsZero() ? one : divisor;
  absl::StatusOr<int64_t> a = ScaledValue(value, scale);
  if (!a.ok()) return a.status();
  absl::StatusOr<int64_t> b = ScaledValue(effective, scale);
  if (!b.ok()) return b.status();
  return KubeletCeilDivide(*a, *b);
}

}  // namespace svcenv
