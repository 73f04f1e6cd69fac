// lib/base/testing.h
//
// The one header tests include: GoogleTest, GoogleMock and matchers for
// absl::Status that the pinned Abseil (20220623 LTS) lacks.
//
//   EXPECT_THAT(DoIt(), IsOk());
//   EXPECT_THAT(DoIt(), StatusIs(absl::StatusCode::kInvalidArgument,
//                                HasSubstr("spec.ports[1].port")));
#ifndef SVCENV_LIB_BASE_TESTING_H_
#define SVCENV_LIB_BASE_TESTING_H_

#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"  // IWYU pragma: export
#include "gtest/gtest.h"  // IWYU pragma: export

namespace svcenv {
namespace testing_internal {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

}  // namespace testing_internal

// Matches an OK absl::Status or absl::StatusOr.
MATCHER(IsOk, "is OK") {
  const absl::Status& status = testing_internal::GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status;
  return status.ok();
}

// Matches a Status or StatusOr whose code is `code` and whose message matches
// `message_matcher`.
MATCHER_P2(StatusIs, code, message_matcher,
           "has code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = testing_internal::GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::Matches(message_matcher)(std::string(status.message()));
}

}  // namespace svcenv

// Asserts that a StatusOr is OK and moves its value into `lhs`.
#define SVCENV_ASSERT_OK_AND_ASSIGN(lhs, expr)                        \
  SVCENV_ASSERT_OK_AND_ASSIGN_IMPL_(                                  \
      SVCENV_TESTING_CONCAT_(svcenv_statusor_, __LINE__), lhs, expr)
#define SVCENV_TESTING_CONCAT_INNER_(a, b) a##b
#define SVCENV_TESTING_CONCAT_(a, b) SVCENV_TESTING_CONCAT_INNER_(a, b)
#define SVCENV_ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                     \
  ASSERT_TRUE(statusor.ok()) << statusor.status();            \
  lhs = std::move(statusor).value()

#endif  // SVCENV_LIB_BASE_TESTING_H_
