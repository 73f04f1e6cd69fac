// lib/base/status_macros.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. Propagation macros for absl::Status,
// which the pinned Abseil (20220623 LTS) does not have yet.
#ifndef SVCENV_LIB_BASE_STATUS_MACROS_H_
#define SVCENV_LIB_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the calling function when `expr` is not OK.
#define SVCENV_RETURN_IF_ERROR(expr)                                  \
  do {                                                                \
    if (absl::Status svcenv_status_ = (expr); !svcenv_status_.ok()) { \
      return svcenv_status_;                                          \
    }                                                                 \
  } while (false)

#define SVCENV_STATUS_MACROS_CONCAT_INNER_(a, b) a##b
#define SVCENV_STATUS_MACROS_CONCAT_(a, b) \
  SVCENV_STATUS_MACROS_CONCAT_INNER_(a, b)

// `SVCENV_ASSIGN_OR_RETURN(T x, F());` declares or assigns `x` from a
// StatusOr, returning its status from the calling function when not OK.
#define SVCENV_ASSIGN_OR_RETURN(lhs, expr)                                  \
  SVCENV_ASSIGN_OR_RETURN_IMPL_(                                            \
      SVCENV_STATUS_MACROS_CONCAT_(svcenv_statusor_, __LINE__), lhs, expr)

#define SVCENV_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // SVCENV_LIB_BASE_STATUS_MACROS_H_
