# Maps Bazel's @system//:<name> targets (third_party/system/BUILD.system) to
# CMake targets found with find_package() or pkg-config. A name not listed here
# falls back to the link flags BUILD.system gives it (recorded in
# cmake/bazel_targets.cmake), so a new system library builds at once; add a
# row here to give it a proper imported target and a find_dependency() in the
# installed package config.
#
# Each row: <bazel name>|<how>|<what>|<imported targets, comma-separated>
#   PACKAGE <find_package name>  targets from that package's CMake config
#   PKGCONFIG <module>           PkgConfig::svcenv_<bazel name>
#   ABSL                         absl::<x> for every -labsl_<x> in the flags
set(_svcenv_system_map
  "absl|ABSL|absl|"
  "nlohmann_json|PACKAGE|nlohmann_json|nlohmann_json::nlohmann_json"
  "libyaml|PKGCONFIG|yaml-0.1|"
  "gtest|PACKAGE|GTest|GTest::gtest"
  "gmock|PACKAGE|GTest|GTest::gmock,GTest::gtest"
  "gtest_main|PACKAGE|GTest|GTest::gmock,GTest::gtest_main,GTest::gtest"
  "benchmark|PACKAGE|benchmark|benchmark::benchmark"
  "benchmark_main|PACKAGE|benchmark|benchmark::benchmark_main,benchmark::benchmark"
)

# Called by cmake/bazel_targets.cmake: the link flags Bazel uses.
function(svcenv_system_library name)
  string(REPLACE "system/" "" short "${name}")
  set_property(GLOBAL PROPERTY SVCENV_SYSTEM_FLAGS_${short} "${ARGN}")
  set_property(GLOBAL APPEND PROPERTY SVCENV_SYSTEM_LIBRARIES ${short})
endfunction()

# Sets <out> to what to link for system/<short>, finding the package on first
# use and recording it for the installed package config.
function(svcenv_resolve_system short out)
  get_property(flags GLOBAL PROPERTY SVCENV_SYSTEM_FLAGS_${short})
  set(how "")
  foreach(row IN LISTS _svcenv_system_map)
    string(REPLACE "|" ";" fields "${row}")
    list(GET fields 0 row_name)
    if(row_name STREQUAL short)
      list(GET fields 1 how)
      list(GET fields 2 what)
      list(GET fields 3 targets)
      string(REPLACE "," ";" targets "${targets}")
      break()
    endif()
  endforeach()
  set(result "")
  if(how STREQUAL "ABSL")
    find_package(absl REQUIRED)
    svcenv_note_dependency("find_dependency(absl)")
    foreach(flag IN LISTS flags)
      if(flag MATCHES "^-labsl_(.+)$" AND TARGET absl::${CMAKE_MATCH_1})
        list(APPEND result absl::${CMAKE_MATCH_1})
      else()
        list(APPEND result ${flag})
      endif()
    endforeach()
  elseif(how STREQUAL "PACKAGE")
    find_package(${what} REQUIRED)
    svcenv_note_dependency("find_dependency(${what})")
    set(result ${targets})
  elseif(how STREQUAL "PKGCONFIG")
    find_package(PkgConfig REQUIRED)
    if(NOT TARGET PkgConfig::svcenv_${short})
      pkg_check_modules(svcenv_${short} REQUIRED IMPORTED_TARGET GLOBAL ${what})
    endif()
    svcenv_note_dependency("find_dependency(PkgConfig)\npkg_check_modules(svcenv_${short} REQUIRED IMPORTED_TARGET ${what})")
    set(result PkgConfig::svcenv_${short})
  else()
    if(NOT DEFINED flags)
      message(FATAL_ERROR "svcenv: unknown system library '${short}'")
    endif()
    set(result ${flags})
  endif()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

# What the installed package config must run before using system/<short>.
macro(svcenv_note_dependency line)
  set_property(GLOBAL PROPERTY SVCENV_DEPENDENCY_${short} "${line}")
endmacro()
