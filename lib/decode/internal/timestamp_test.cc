// ParseTimestamp against metav1.Time, which reads `time.Parse(time.RFC3339,
// s)`. Every expectation is what Go 1.26 returned for the same text
// (t.Unix(), or an error).
#include "lib/decode/internal/timestamp.h"

#include <cstdint>
#include <string>

#include "lib/base/testing.h"
#include "svcenv/objects.h"

namespace svcenv::decode_internal {
namespace {

struct Case {
  const char* text;
  bool ok;
  int64_t unix_seconds;  // When ok.
};

TEST(ParseTimestamp, AsGoRfc3339) {
  const Case cases[] = {
      {"2024-05-01T10:00:00Z", true, 1714557600},
      {"2024-05-01T10:00:00.123456Z", true, 1714557600},  // Rounded down.
      {"2024-05-01T10:00:00+02:00", true, 1714550400},
      {"2024-05-01T10:00:00-00:30", true, 1714559400},
      {"1969-12-31T23:59:59.5Z", true, -1},  // Down, not toward zero.
      {"0001-01-01T00:00:00Z", true, -62135596800},
      {"2024-05-01t10:00:00z", false, 0},  // Lower-case T and Z.
      {"2024-05-01T10:00:00", false, 0},   // No zone.
      {"2024-05-01 10:00:00Z", false, 0},
      {"2024-02-30T10:00:00Z", false, 0},  // No such day.
      {"2024-05-01T24:00:00Z", false, 0},
      {"2024-05-01T10:00:60Z", false, 0},  // Go has no leap seconds.
      {"2024-05-01T10:00:00.Z", false, 0},
      {"2024-5-01T10:00:00Z", false, 0},
      {"2024-05-01T10:00:00,5Z", true, 1714557600},  // A comma too.
      {"2024-05-01T10:00:00.1234567891234Z", true, 1714557600},
      {"2024-05-01T10:00:00-00:00", true, 1714557600},
      {"2024-05-01T10:00:00.5+01:00", true, 1714554000},
      {"2024-05-01T1:00:00Z", true, 1714525200},  // Go's hour: 1 or 2 digits.
      {"2024-05-01T10:00:00+24:00", true, 1714471200},  // Go leaves the
      {"2024-05-01T10:00:00+02:60", true, 1714546800},  // offset unchecked.
      {"0000-01-01T00:00:00Z", true, -62167219200},
      {"2024-05-01T10:00:00+0200", false, 0},
      {"2024-05-01T10:00:00+02:00:00", false, 0},
      {"2024-05-01T10:00:00+02", false, 0},
      {"2024-05-01T10:00:00ZZ", false, 0},
      {"2024-05-01T10:60:00Z", false, 0},
      {" 2024-05-01T10:00:00Z", false, 0},
      {"2024-05-01T10:00:00Z ", false, 0},
      {"", false, 0},
  };
  for (const Case& c : cases) {
    Timestamp t;
    const bool ok = ParseTimestamp(c.text, &t);
    EXPECT_EQ(ok, c.ok) << c.text;
    if (ok && c.ok) {
      EXPECT_EQ(t.unix_seconds, c.unix_seconds) << c.text;
      EXPECT_EQ(t.text, c.text);  // Kept as written.
    }
  }
}

}  // namespace
}  // namespace svcenv::decode_internal
