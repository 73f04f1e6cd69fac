# `cmake --install`: headers, libsvcenv (static and shared), the CLI, the
# CMake package (svcenvConfig.cmake) and pkg-config files.

get_property(_headers GLOBAL PROPERTY SVCENV_PUBLIC_HEADERS)
foreach(_header IN LISTS _headers)
  string(REGEX REPLACE "^include/" "" _relative "${_header}")
  get_filename_component(_dir "${_relative}" DIRECTORY)
  install(FILES ${_header} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${_dir})
endforeach()

install(TARGETS svcenv_static svcenv_shared
  EXPORT svcenvTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET svcenv_tools_svcenv)
  install(TARGETS svcenv_tools_svcenv RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT svcenvTargets
  NAMESPACE svcenv::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/svcenv)

# What the package config finds before loading the targets: the system
# libraries libsvcenv links, as the build found them.
get_property(_core_system GLOBAL PROPERTY SVCENV_CORE_SYSTEM)
set(SVCENV_FIND_DEPENDENCIES "")
set(SVCENV_PC_LIBS "")
foreach(_short IN LISTS _core_system)
  get_property(_line GLOBAL PROPERTY SVCENV_DEPENDENCY_${_short})
  if(_line AND NOT SVCENV_FIND_DEPENDENCIES MATCHES "${_line}")
    string(APPEND SVCENV_FIND_DEPENDENCIES "${_line}\n")
  endif()
  get_property(_flags GLOBAL PROPERTY SVCENV_SYSTEM_FLAGS_${_short})
  foreach(_flag IN LISTS _flags)
    string(APPEND SVCENV_PC_LIBS " ${_flag}")
  endforeach()
endforeach()
configure_file(cmake/svcenvConfig.cmake.in
  ${PROJECT_BINARY_DIR}/svcenvConfig.cmake @ONLY)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/svcenvConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/svcenvConfig.cmake
  ${PROJECT_BINARY_DIR}/svcenvConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/svcenv)

# pkg-config: svcenv (shared) and svcenv-static (the archive, for binaries
# that should not depend on libsvcenv.so at run time, e.g. the Go bindings).
# The system libraries' flags are Bazel's (third_party/system/BUILD.system).
# Inline code in the public headers calls Abseil, so they are in Libs.
file(RELATIVE_PATH SVCENV_PC_TO_PREFIX
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" SVCENV_PC_TO_PREFIX "${SVCENV_PC_TO_PREFIX}")
foreach(_variant IN ITEMS svcenv svcenv-static)
  if(_variant STREQUAL "svcenv")
    set(SVCENV_PC_NAME "svcenv")
    set(SVCENV_PC_LIB "-lsvcenv")
  else()
    set(SVCENV_PC_NAME "svcenv (static)")
    set(SVCENV_PC_LIB "\${libdir}/libsvcenv.a")
  endif()
  configure_file(cmake/svcenv.pc.in ${PROJECT_BINARY_DIR}/${_variant}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${_variant}.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
