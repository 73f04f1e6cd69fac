// include/svcenv/version.h
//
// The version of svcenv, following Semantic Versioning: the library's SONAME
// is `libsvcenv.so.<major>`, the CMake package and `svcenv.pc` carry the full
// string, and `svcenv --version` prints it. While the major version is 0 a
// minor release may change the API (see CHANGELOG.md).
//
// Everything here is a compile-time constant: thread-safe, no errors.
//
// Example:
//   #include "svcenv/version.h"
//   #if SVCENV_VERSION_MAJOR == 0 && SVCENV_VERSION_MINOR < 2
//   #error "needs svcenv 0.2 or newer"
//   #endif
//   std::cout << "svcenv " << svcenv::kVersionString << "\n";
//
// This header is plain C as well as C++ (the macros); the C API reports the
// library's own version through svcenv_version() in svcenv/c_api.h.
#ifndef SVCENV_INCLUDE_SVCENV_VERSION_H_
#define SVCENV_INCLUDE_SVCENV_VERSION_H_

// One place to change on a release: cmake/ reads these three lines.
#define SVCENV_VERSION_MAJOR 0
#define SVCENV_VERSION_MINOR 2
#define SVCENV_VERSION_PATCH 0

#define SVCENV_VERSION_STRINGIZE_(x) #x
#define SVCENV_VERSION_STRINGIZE(x) SVCENV_VERSION_STRINGIZE_(x)
// "0.2.0"
// clang-format off
#define SVCENV_VERSION_STRING                      \
  SVCENV_VERSION_STRINGIZE(SVCENV_VERSION_MAJOR) "." \
  SVCENV_VERSION_STRINGIZE(SVCENV_VERSION_MINOR) "." \
  SVCENV_VERSION_STRINGIZE(SVCENV_VERSION_PATCH)
// clang-format on

#ifdef __cplusplus
namespace svcenv {

inline constexpr int kVersionMajor = SVCENV_VERSION_MAJOR;
inline constexpr int kVersionMinor = SVCENV_VERSION_MINOR;
inline constexpr int kVersionPatch = SVCENV_VERSION_PATCH;
inline constexpr char kVersionString[] = SVCENV_VERSION_STRING;

}  // namespace svcenv
#endif  // __cplusplus

#endif  // SVCENV_INCLUDE_SVCENV_VERSION_H_
