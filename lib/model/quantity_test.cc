#include "svcenv/quantity.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/numeric/int128.h"
#include "lib/base/testing.h"

namespace svcenv {
namespace {

using ::testing::HasSubstr;

absl::int128 Nanos(const std::string& text) {
  absl::StatusOr<Quantity> q = ParseQuantity(text);
  EXPECT_THAT(q, IsOk()) << text;
  return q.ok() ? q->nanos : absl::int128(-424242);
}

constexpr int64_t kGiga = 1000000000;

TEST(ParseQuantity, Forms) {
  EXPECT_EQ(Nanos("250m"), 250000000);
  EXPECT_EQ(Nanos("1Gi"), absl::int128(1073741824) * kGiga);
  EXPECT_EQ(Nanos("100M"), absl::int128(100000000) * kGiga);
  EXPECT_EQ(Nanos("1e3"), absl::int128(1000) * kGiga);
  EXPECT_EQ(Nanos("1E3"), absl::int128(1000) * kGiga);
  EXPECT_EQ(Nanos("1e-3"), 1000000);
  EXPECT_EQ(Nanos("0.5"), 500000000);
  EXPECT_EQ(Nanos("+1"), kGiga);
  EXPECT_EQ(Nanos(".5"), 500000000);
  EXPECT_EQ(Nanos("-1.5"), -1500000000);
  EXPECT_EQ(Nanos("0.5Ki"), absl::int128(512) * kGiga);
  EXPECT_EQ(Nanos("1.5Gi"), absl::int128(1610612736) * kGiga);
  EXPECT_EQ(Nanos("1n"), 1);
  EXPECT_EQ(Nanos("3u"), 3000);
  EXPECT_EQ(Nanos("2k"), absl::int128(2000) * kGiga);
  EXPECT_EQ(Nanos("007"), absl::int128(7) * kGiga);
  EXPECT_EQ(Nanos("."), 0);
  EXPECT_EQ(Nanos("m"), 0);  // No digits at all reads as zero.
  EXPECT_EQ(Nanos("0Mi"), 0);
  EXPECT_EQ(Nanos(" 2 "), absl::int128(2) * kGiga);  // As UnmarshalJSON.
}

TEST(ParseQuantity, ApimachineryLeniencies) {
  EXPECT_EQ(Nanos("1.G"), absl::int128(kGiga) * kGiga);  // "we allow 1.G".
  EXPECT_EQ(Nanos("."), 0);
  EXPECT_EQ(Nanos("m"), 0);  // No digits at all reads as zero.
  EXPECT_EQ(Nanos("."), 0);
  EXPECT_EQ(Nanos("m"), 0);  // No digits at all reads as zero.
  EXPECT_EQ(Nanos("1e+2"), absl::int128(100) * kGiga);
}

TEST(ParseQuantity, FormatFollowsSuffix) {
  EXPECT_EQ(ParseQuantity("1Mi")->format, QuantityFormat::kBinarySI);
  EXPECT_EQ(ParseQuantity("1M")->format, QuantityFormat::kDecimalSI);
  EXPECT_EQ(ParseQuantity("5")->format, QuantityFormat::kDecimalSI);
  EXPECT_EQ(ParseQuantity("1e6")->format, QuantityFormat::kDecimalExponent);
}

TEST(ParseQuantity, BelowOneNanoRoundsUpAwayFromZero) {
  EXPECT_EQ(Nanos("0.0000000001"), 1);
  EXPECT_EQ(Nanos("1e-30"), 1);
  EXPECT_EQ(Nanos("-0.0000000001"), -1);
  EXPECT_EQ(Nanos("1.0000000001"), 1000000001);
  EXPECT_EQ(Nanos("0.1n"), 1);
}

TEST(ParseQuantity, OnlyBinaryIsCappedAtInt64Max) {
  const absl::int128 cap =
      absl::int128(std::numeric_limits<int64_t>::max()) * kGiga;
  EXPECT_EQ(Nanos("8Ei"), cap);
  EXPECT_EQ(Nanos("-8Ei"), -cap);
  EXPECT_EQ(Nanos("10E"), absl::int128(10) * kGiga * kGiga * kGiga);
  EXPECT_EQ(Nanos("1e19"), absl::int128(10) * kGiga * kGiga * kGiga);
}

TEST(ParseQuantity, RejectsWhatApimachineryRejects) {
  for (const char* text : {"", "  ", "abc", "1K", "1.5.5", "1e", "1e+", "1Mi5",
                           "1 Mi", "1ki", "1+5", "0x10"}) {
    EXPECT_THAT(
        ParseQuantity(text),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("quantity \"")))
        << "\"" << text << "\"";
  }
}

// The API takes these; only svcenv's exact arithmetic cannot: OutOfRange,
// so that decoding (which refuses what the API server refuses) lets them in.
TEST(ParseQuantity, RejectsWhatDoesNotFit) {
  EXPECT_THAT(ParseQuantity("1e40"),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("too large")));
  EXPECT_THAT(ParseQuantity("1234567890123456789012345678901234567890"),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("digits")));
}

TEST(ScaledValue, RoundsAwayFromZero) {
  const Quantity q = *ParseQuantity("1001m");
  EXPECT_EQ(*ScaledValue(q, 0), 2);
  EXPECT_EQ(*ScaledValue(q, -3), 1001);
  EXPECT_EQ(*ScaledValue(*ParseQuantity("-1.5"), 0), -2);
  EXPECT_EQ(*ScaledValue(*ParseQuantity("1n"), -3), 1);
  EXPECT_EQ(*ScaledValue(*ParseQuantity("0"), 0), 0);
  EXPECT_EQ(*ScaledValue(*ParseQuantity("1Ki"), 3), 2);
}

TEST(ScaledValue, OutOfRange) {
  EXPECT_THAT(ScaledValue(*ParseQuantity("1Ei"), -3),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("int64")));
  EXPECT_THAT(ScaledValue(*ParseQuantity("8Ei"), 0), IsOk());
}

TEST(KubeletCeilDivide, Float64Semantics) {
  EXPECT_EQ(KubeletCeilDivide(250, 1000), 1);
  EXPECT_EQ(KubeletCeilDivide(100000000, 1048576), 96);
  EXPECT_EQ(KubeletCeilDivide(-3, 2), -1);
  // 2^53 + 1 is not a float64: the kubelet reports 2^53.
  EXPECT_EQ(KubeletCeilDivide(9007199254740993, 1), 9007199254740992);
  // int64 max rounds up to 2^63, which amd64 converts to INT64_MIN.
  EXPECT_EQ(KubeletCeilDivide(std::numeric_limits<int64_t>::max(), 1),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(KubeletCeilDivide(1, 0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(KubeletCeilDivide(0, 0), std::numeric_limits<int64_t>::min());
}

int64_t Downward(const std::string& value, const std::string& divisor,
                 bool milli) {
  absl::StatusOr<int64_t> v = DownwardApiResourceValue(
      *ParseQuantity(value), *ParseQuantity(divisor), milli);
  EXPECT_THAT(v, IsOk());
  return v.ok() ? *v : -4242;
}

// semantics.md §8 item 34 and resource/helpers_test TestExtractResourceValue.
TEST(DownwardApiResourceValue, KubeletRounding) {
  EXPECT_EQ(Downward("250m", "1", true), 1);
  EXPECT_EQ(Downward("250m", "1m", true), 250);
  EXPECT_EQ(Downward("100M", "1Mi", false), 96);
  EXPECT_EQ(Downward("3920m", "1", true), 4);
  EXPECT_EQ(Downward("1.5Gi", "1Gi", false), 2);
  EXPECT_EQ(Downward("7m", "100m", true), 1);
  EXPECT_EQ(Downward("0.0001", "1m", true), 1);  // MilliValue rounds up.
  EXPECT_EQ(Downward("12345", "1k", false), 13);
  EXPECT_EQ(Downward("0", "1", false), 0);
  EXPECT_EQ(Downward("1Gi", "0", false), 1073741824);  // Zero divisor: 1.
  EXPECT_EQ(Downward("8Ei", "1", false), std::numeric_limits<int64_t>::min());
}

TEST(DownwardApiResourceValue, OperandOutOfRange) {
  EXPECT_THAT(DownwardApiResourceValue(*ParseQuantity("1Ei"),
                                       *ParseQuantity("1"), /*milli=*/true),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("int64")));
}

}  // namespace
}  // namespace svcenv
