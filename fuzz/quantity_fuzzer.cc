// fuzz/quantity_fuzzer.cc
//
// Fuzzes ParseQuantity and the arithmetic behind `resourceFieldRef` on what
// it accepts: every scale, and the kubelet's division by another quantity.
// Traps (abort) when an accepted quantity breaks an invariant.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "svcenv/quantity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  // "value|divisor": the divisor half, when present, exercises the division.
  const size_t bar = text.find('|');
  const absl::StatusOr<svcenv::Quantity> value =
      svcenv::ParseQuantity(text.substr(0, bar));
  if (!value.ok()) {
    // Rejections must say what was rejected.
    if (value.status().message().empty()) std::abort();
    return 0;
  }
  for (int scale = -9; scale <= 18; ++scale) {
    const absl::StatusOr<int64_t> scaled = svcenv::ScaledValue(*value, scale);
    // Value 0 scales to 0 at every scale; rounding is away from zero, so a
    // non-zero value never scales to 0.
    if (scaled.ok() && (*scaled == 0) != value->IsZero()) std::abort();
  }
  svcenv::Quantity divisor;
  divisor.nanos = 1'000'000'000;
  if (bar != absl::string_view::npos) {
    absl::StatusOr<svcenv::Quantity> d =
        svcenv::ParseQuantity(text.substr(bar + 1));
    if (!d.ok()) return 0;
    divisor = *d;
  }
  for (bool milli : {false, true}) {
    (void)svcenv::DownwardApiResourceValue(*value, divisor, milli);
  }
  return 0;
}
