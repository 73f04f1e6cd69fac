// include/svcenv/quantity.h
//
// Kubernetes `resource.Quantity` values (`250m`, `1Gi`, `100M`, `1e3`, `0.5`,
// `+1`, `.5`) parsed exactly as apimachinery's `ParseQuantity` does, and the
// rounding the kubelet applies to a `resourceFieldRef`.
//
// A quantity is kept exactly, in nano-units (value × 10^9) as a 128-bit
// integer. As apimachinery does, a value finer than 1n is rounded up (away
// from zero) to the next nano-unit, and a binary-SI value above 2^63-1 (such
// as `8Ei`) is capped there; decimal forms (`10E`, `1e19`) are not capped.
// Quantities whose nano-unit value does not fit 127 bits (e.g. `1e40`, which
// the API accepts and the kubelet mangles) are rejected with
// `OutOfRangeError` saying so.
//
// Functions here are thread-safe.
//
// Example:
//   absl::StatusOr<svcenv::Quantity> q = svcenv::ParseQuantity("250m");
//   absl::StatusOr<svcenv::Quantity> one = svcenv::ParseQuantity("1");
//   // DownwardApiResourceValue(*q, *one, /*milli=*/true) == 1 (a ceiling)
#ifndef SVCENV_INCLUDE_SVCENV_QUANTITY_H_
#define SVCENV_INCLUDE_SVCENV_QUANTITY_H_

#include <cstdint>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace svcenv {

// How a quantity was written; decides whether large values are capped.
enum class QuantityFormat {
  kDecimalSI,        // No suffix or one of n u m k M G T P E.
  kBinarySI,         // Ki Mi Gi Ti Pi Ei.
  kDecimalExponent,  // e<N> or E<N>.
};

struct Quantity {
  absl::int128 nanos = 0;  // The value × 10^9, exactly.
  QuantityFormat format = QuantityFormat::kDecimalSI;

  bool IsZero() const { return nanos == 0; }
};

// Parses `text` (leading and trailing ASCII white space ignored, as
// `Quantity.UnmarshalJSON` does). Returns `InvalidArgumentError` whose message
// quotes the text for anything apimachinery rejects (empty, bad suffix,
// trailing garbage: the API server refuses such an object, and decode.h does
// too), and `OutOfRangeError` for values out of the range above.
absl::StatusOr<Quantity> ParseQuantity(absl::string_view text);

// apimachinery's `Quantity.ScaledValue(scale)`: `value / 10^scale` rounded
// away from zero (`scale` -3 is `MilliValue`, 0 is `Value`). Requires
// -9 <= scale <= 18. `OutOfRangeError` when the result does not fit int64.
absl::StatusOr<int64_t> ScaledValue(const Quantity& quantity, int scale);

// Go's `int64(math.Ceil(float64(numerator) / float64(denominator)))` on
// amd64: the division is done in float64 (so it loses precision above 2^53)
// and a NaN, infinite or out-of-range result becomes INT64_MIN.
int64_t KubeletCeilDivide(int64_t numerator, int64_t denominator);

// The number a `resourceFieldRef` yields: `value / divisor` rounded up as the
// kubelet does (`convertResource*ToString`), both scaled to milli-units when
// `milli` (cpu) and to units otherwise. A zero divisor means 1.
// `OutOfRangeError` when a scaled operand does not fit int64.
absl::StatusOr<int64_t> DownwardApiResourceValue(const Quantity& value,
                                                 const Quantity& divisor,
                                                 bool milli);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_QUANTITY_H_
