# svcenv-portable: the svcenv CLI (//tools:svcenv) linked against static
# archives of libsvcenv, Abseil, the YAML library, libstdc++ and libgcc, so that
# it needs nothing beyond glibc at run time (ldd lists libc, libm and the
# loader). It is the binary to copy onto a CI runner (README "A binary for CI").
# Debian ships the .a files with the -dev packages. The test
# //cmake:portable_cli_test checks its `ldd` and runs it.
#
#   cmake --build build --target svcenv-portable   # -> build/svcenv-portable

# Link items for `name` and everything it depends on, dependents first:
# archives of the build tree, libsvcenv.a, then the system libraries' own
# link flags (third_party/system/BUILD.system) between -Bstatic and -Bdynamic.
function(_svcenv_portable_closure name archives_var system_var targets_var)
  get_property(args GLOBAL PROPERTY SVCENV_BAZEL_ARGS_${name})
  _svcenv_parse("${args}")
  foreach(dep IN LISTS T_DEPS)
    if(dep MATCHES "^system/(.+)$")
      list(APPEND ${system_var} ${CMAKE_MATCH_1})
      continue()
    endif()
    svcenv_is_core(${dep} core)
    if(core)
      list(APPEND ${targets_var} svcenv_static)
      _svcenv_portable_closure(${dep} ${archives_var} ${system_var} ${targets_var})
      continue()
    endif()
    svcenv_cmake_name(${dep} target)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "STATIC_LIBRARY")
      list(APPEND ${archives_var} $<TARGET_FILE:${target}>)
      list(APPEND ${targets_var} ${target})
    endif()
    _svcenv_portable_closure(${dep} ${archives_var} ${system_var} ${targets_var})
  endforeach()
  foreach(v IN ITEMS ${archives_var} ${system_var} ${targets_var})
    set(${v} ${${v}} PARENT_SCOPE)
  endforeach()
endfunction()

get_property(_svcenv_kind GLOBAL PROPERTY SVCENV_BAZEL_KIND_tools/svcenv)
if(_svcenv_kind STREQUAL "cc_binary")
  get_property(_args GLOBAL PROPERTY SVCENV_BAZEL_ARGS_tools/svcenv)
  _svcenv_parse("${_args}")
  set(_archives "")
  set(_system "")
  set(_targets "")
  _svcenv_portable_closure(tools/svcenv _archives _system _targets)
  list(REMOVE_DUPLICATES _archives)
  list(REMOVE_DUPLICATES _system)
  list(REMOVE_DUPLICATES _targets)
  set(_flags "")
  foreach(_short IN LISTS _system)
    get_property(_f GLOBAL PROPERTY SVCENV_SYSTEM_FLAGS_${_short})
    list(APPEND _flags ${_f})
  endforeach()
  _svcenv_sources("${T_SRCS}" _files)
  add_executable(svcenv_portable ${_files})
  set_target_properties(svcenv_portable PROPERTIES
    OUTPUT_NAME svcenv-portable
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
  get_property(_roots GLOBAL PROPERTY SVCENV_INCLUDE_ROOTS)
  target_include_directories(svcenv_portable PRIVATE ${_roots})
  target_compile_options(svcenv_portable PRIVATE ${T_COPTS})
  add_dependencies(svcenv_portable ${_targets})
  # Archives twice: the tools' archives refer to each other and to libsvcenv.
  target_link_libraries(svcenv_portable PRIVATE
    ${_archives} $<TARGET_FILE:svcenv_static> ${_archives}
    -Wl,-Bstatic ${_flags} -Wl,-Bdynamic
    -static-libstdc++ -static-libgcc -pthread)
  install(TARGETS svcenv_portable RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
          OPTIONAL)

  if(BUILD_TESTING)
    add_test(NAME //cmake:portable_cli_test
      COMMAND ${PROJECT_SOURCE_DIR}/cmake/portable_cli_test.sh
              $<TARGET_FILE:svcenv_portable>
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(//cmake:portable_cli_test PROPERTIES TIMEOUT 60)
  endif()
endif()
