# The Bazel sh_tests that ctest runs too. cmake/bazel_targets.cmake carries
# only cc_* rules (cmake/sync_sources.sh), so each sh_test is listed here by
# hand with the same label, script and arguments, run from the source root
# as Bazel runs it from its runfiles root.
#
#   //tools:check_sarif_schema_test   needs /usr/bin/python3 with
#                                     python3-jsonschema (install_deps.sh)
# Not run by ctest yet: //examples/node_agent:node_agent_test.
if(BUILD_TESTING AND TARGET svcenv_tools_svcenv)
  add_test(NAME //tools:check_sarif_schema_test
    COMMAND ${PROJECT_SOURCE_DIR}/tools/check_sarif_schema_test.sh
            $<TARGET_FILE:svcenv_tools_svcenv>
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set(_tmp ${PROJECT_BINARY_DIR}/test_tmp/tools_check_sarif_schema_test)
  file(MAKE_DIRECTORY ${_tmp})
  set_tests_properties(//tools:check_sarif_schema_test PROPERTIES
    TIMEOUT 300 ENVIRONMENT "TEST_TMPDIR=${_tmp}")
endif()
