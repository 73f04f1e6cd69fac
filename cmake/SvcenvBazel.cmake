# Builds the targets of cmake/bazel_targets.cmake (generated from the
# BUILD.bazel files by cmake/sync_sources.sh) the way Bazel does:
#
# - The library: every cc_library under lib/ that is not testonly
#   (`//lib/decode`, `//lib/env:container_env`, ...) is an OBJECT library; their objects
#   together make libsvcenv, static (svcenv::svcenv_static) and shared
#   (svcenv::svcenv, with a SONAME). A dependency on any of them links
#   libsvcenv (static), as a Bazel binary links its dependencies' archives.
# - Any other cc_library (tools/cli, the test helpers) is a static library of
#   the build tree, or an INTERFACE library when it has no sources.
# - cc_binary and cc_test are executables at <package>/<name> in the build
#   tree; every cc_test is a ctest test named as its Bazel label, run from the
#   source root with TEST_TMPDIR set, as `bazel test` runs it from its
#   runfiles root (tests open `testdata/...`). A size gives its timeout.
# - testonly targets exist only with BUILD_TESTING; they, and binaries tagged
#   fuzz, benchmark or manual, are not built by `all` unless a test needs
#   them. (bazel query shows both branches of a select(); only the fuzzers
#   use one, and their default branch is what CMake builds.)

# Called by cmake/bazel_targets.cmake for every Bazel target: only records it.
function(svcenv_bazel_target kind name)
  set_property(GLOBAL APPEND PROPERTY SVCENV_BAZEL_TARGETS ${name})
  set_property(GLOBAL PROPERTY SVCENV_BAZEL_KIND_${name} ${kind})
  set_property(GLOBAL PROPERTY SVCENV_BAZEL_ARGS_${name} "${ARGN}")
endfunction()

# The CMake name of a Bazel target: lib/decode/decode -> svcenv_lib_decode_decode,
# tools/cli -> svcenv_tools_cli.
function(svcenv_cmake_name name out)
  string(REPLACE "/" "_" flat "${name}")
  set(${out} svcenv_${flat} PARENT_SCOPE)
endfunction()

macro(_svcenv_parse args)
  cmake_parse_arguments(T "TESTONLY" "STRIP_INCLUDE_PREFIX;INCLUDE_PREFIX;SIZE"
    "SRCS;HDRS;DEPS;COPTS;LINKOPTS;DEFINES;ARGS;TAGS" ${args})
endmacro()

# Whether `name` belongs to libsvcenv.
function(svcenv_is_core name out)
  get_property(kind GLOBAL PROPERTY SVCENV_BAZEL_KIND_${name})
  get_property(args GLOBAL PROPERTY SVCENV_BAZEL_ARGS_${name})
  _svcenv_parse("${args}")
  if(kind STREQUAL "cc_library" AND name MATCHES "^lib/" AND NOT T_TESTONLY)
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

# Sets <out> to the CMake link items for a list of Bazel deps.
function(svcenv_link_items deps out)
  set(items "")
  foreach(dep IN LISTS deps)
    if(dep MATCHES "^system/(.+)$")
      svcenv_resolve_system(${CMAKE_MATCH_1} resolved)
      list(APPEND items ${resolved})
    else()
      svcenv_is_core(${dep} core)
      if(core)
        list(APPEND items svcenv_static)
      else()
        svcenv_cmake_name(${dep} target)
        list(APPEND items ${target})
      endif()
    endif()
  endforeach()
  list(REMOVE_DUPLICATES items)
  set(${out} ${items} PARENT_SCOPE)
endfunction()

function(_svcenv_sources srcs out)
  set(files "")
  foreach(f IN LISTS srcs)
    list(APPEND files ${PROJECT_SOURCE_DIR}/${f})
  endforeach()
  set(${out} ${files} PARENT_SCOPE)
endfunction()

# Creates every recorded target, then libsvcenv.
function(svcenv_bazel_build)
  get_property(names GLOBAL PROPERTY SVCENV_BAZEL_TARGETS)
  set(include_roots ${PROJECT_SOURCE_DIR})
  foreach(name IN LISTS names)
    get_property(args GLOBAL PROPERTY SVCENV_BAZEL_ARGS_${name})
    _svcenv_parse("${args}")
    if(T_STRIP_INCLUDE_PREFIX)
      get_filename_component(package "${name}" DIRECTORY)
      if(T_STRIP_INCLUDE_PREFIX MATCHES "^/")
        list(APPEND include_roots ${PROJECT_SOURCE_DIR}${T_STRIP_INCLUDE_PREFIX})
      elseif(package)
        list(APPEND include_roots ${PROJECT_SOURCE_DIR}/${package}/${T_STRIP_INCLUDE_PREFIX})
      else()
        list(APPEND include_roots ${PROJECT_SOURCE_DIR}/${T_STRIP_INCLUDE_PREFIX})
      endif()
    endif()
  endforeach()
  list(REMOVE_DUPLICATES include_roots)
  set_property(GLOBAL PROPERTY SVCENV_INCLUDE_ROOTS ${include_roots})

  set(core_objects "")
  set(core_system "")
  set(public_headers "")
  foreach(name IN LISTS names)
    get_property(kind GLOBAL PROPERTY SVCENV_BAZEL_KIND_${name})
    get_property(args GLOBAL PROPERTY SVCENV_BAZEL_ARGS_${name})
    _svcenv_parse("${args}")
    if(T_TESTONLY AND NOT BUILD_TESTING)
      continue()
    endif()
    svcenv_cmake_name(${name} target)
    get_filename_component(package "${name}" DIRECTORY)
    get_filename_component(base "${name}" NAME)
    set(compiled "")
    foreach(f IN LISTS T_SRCS)
      if(f MATCHES "\\.(c|cc|cpp|cxx)$")
        list(APPEND compiled ${f})
      endif()
    endforeach()
    _svcenv_sources("${T_SRCS};${T_HDRS}" files)
    svcenv_is_core(${name} core)
    set(exclude "")
    if(T_TESTONLY OR "fuzz" IN_LIST T_TAGS OR "manual" IN_LIST T_TAGS
       OR "benchmark" IN_LIST T_TAGS)
      set(exclude EXCLUDE_FROM_ALL)
    endif()

    if(core)
      foreach(h IN LISTS T_HDRS)
        if(h MATCHES "^include/")
          list(APPEND public_headers ${h})
        endif()
      endforeach()
      foreach(dep IN LISTS T_DEPS)
        if(dep MATCHES "^system/(.+)$")
          list(APPEND core_system ${CMAKE_MATCH_1})
        endif()
      endforeach()
      if(NOT compiled)
        continue()  # Header-only: its headers are installed, nothing to build.
      endif()
      add_library(${target} OBJECT ${files})
      set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
      list(APPEND core_objects $<TARGET_OBJECTS:${target}>)
      # Only system libraries: usage requirements, never objects twice.
      set(system_deps "")
      foreach(dep IN LISTS T_DEPS)
        if(dep MATCHES "^system/")
          list(APPEND system_deps ${dep})
        endif()
      endforeach()
      svcenv_link_items("${system_deps}" items)
      target_link_libraries(${target} PUBLIC ${items})
    elseif(kind STREQUAL "cc_library")
      svcenv_link_items("${T_DEPS}" items)
      if(compiled)
        add_library(${target} STATIC ${exclude} ${files})
        target_link_libraries(${target} PUBLIC ${items} ${T_LINKOPTS})
      else()
        add_library(${target} INTERFACE)
        target_link_libraries(${target} INTERFACE ${items} ${T_LINKOPTS})
        continue()
      endif()
    else()  # cc_binary, cc_test
      if(kind STREQUAL "cc_test" AND NOT BUILD_TESTING)
        continue()
      endif()
      svcenv_link_items("${T_DEPS}" items)
      add_executable(${target} ${exclude} ${files})
      target_link_libraries(${target} PRIVATE ${items} ${T_LINKOPTS})
      set_target_properties(${target} PROPERTIES
        OUTPUT_NAME ${base}
        RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/${package})
    endif()
    target_include_directories(${target} PRIVATE ${include_roots})
    target_compile_options(${target} PRIVATE ${T_COPTS})
    target_compile_definitions(${target} PUBLIC ${T_DEFINES})

    if(kind STREQUAL "cc_test")
      set(label "//${package}:${base}")
      set(tmp ${PROJECT_BINARY_DIR}/test_tmp/${name})
      file(MAKE_DIRECTORY ${tmp})
      add_test(NAME ${label} COMMAND ${target} ${T_ARGS}
               WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
      set(timeout 300)  # Bazel's default size is medium.
      if(T_SIZE STREQUAL "small")
        set(timeout 60)
      elseif(T_SIZE STREQUAL "large")
        set(timeout 900)
      elseif(T_SIZE STREQUAL "enormous")
        set(timeout 3600)
      endif()
      set_tests_properties(${label} PROPERTIES TIMEOUT ${timeout}
        ENVIRONMENT "TEST_TMPDIR=${tmp};TEST_WORKSPACE=svcenv")
    endif()
  endforeach()

  # libsvcenv: one archive and one shared object from the same objects.
  list(REMOVE_DUPLICATES core_system)
  set(core_items "")
  foreach(short IN LISTS core_system)
    svcenv_resolve_system(${short} resolved)
    list(APPEND core_items ${resolved})
  endforeach()
  set_property(GLOBAL PROPERTY SVCENV_CORE_SYSTEM ${core_system})
  set_property(GLOBAL PROPERTY SVCENV_PUBLIC_HEADERS ${public_headers})
  foreach(kind IN ITEMS static shared)
    string(TOUPPER ${kind} upper)
    add_library(svcenv_${kind} ${upper} ${core_objects})
    add_library(svcenv::svcenv_${kind} ALIAS svcenv_${kind})
    target_link_libraries(svcenv_${kind} PUBLIC ${core_items})
    foreach(root IN LISTS include_roots)
      target_include_directories(svcenv_${kind} PUBLIC
        $<BUILD_INTERFACE:${root}>)
    endforeach()
    target_include_directories(svcenv_${kind} PUBLIC
      $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_compile_features(svcenv_${kind} PUBLIC cxx_std_17)
    set_target_properties(svcenv_${kind} PROPERTIES
      OUTPUT_NAME svcenv
      EXPORT_NAME svcenv_${kind})
  endforeach()
  add_library(svcenv::svcenv ALIAS svcenv_shared)
  set_target_properties(svcenv_shared PROPERTIES
    EXPORT_NAME svcenv
    VERSION ${PROJECT_VERSION}
    SOVERSION ${SVCENV_SOVERSION})
endfunction()
