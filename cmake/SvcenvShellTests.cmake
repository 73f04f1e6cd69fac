# The Bazel sh_tests that ctest runs too. cmake/bazel_targets.cmake carries
# only cc_* rules (cmake/sync_sources.sh), so each sh_test is listed here by
# hand with the same label, script and arguments, run from the source root
# as Bazel runs it from its runfiles root.
#
#   //tools:check_sarif_schema_test   need /usr/bin/python3 with
#   //tools:check_integrations_test   python3-jsonschema and python3-yaml
#                                     (tools/install_deps.sh cmake)
#   //tools:plugin_test               the binary as `kubectl-svcenv`
#   //examples/node_agent:node_agent_test
#   //:layering_test                  lib/'s layers (docs/architecture.md)
#   //tools:no_kubernetes_rules_test  no Kubernetes rule in tools/
if(BUILD_TESTING AND TARGET svcenv_tools_svcenv)
  foreach(_test check_sarif_schema_test check_integrations_test)
    add_test(NAME //tools:${_test}
      COMMAND ${PROJECT_SOURCE_DIR}/tools/${_test}.sh
              $<TARGET_FILE:svcenv_tools_svcenv>
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set(_tmp ${PROJECT_BINARY_DIR}/test_tmp/tools_${_test})
    file(MAKE_DIRECTORY ${_tmp})
    # The larger size of the two in tools/BUILD.bazel (medium).
    set_tests_properties(//tools:${_test} PROPERTIES
      TIMEOUT 300 ENVIRONMENT "TEST_TMPDIR=${_tmp}")
  endforeach()
endif()

if(BUILD_TESTING AND TARGET svcenv_tools_svcenv)
  set(_tmp ${PROJECT_BINARY_DIR}/test_tmp/tools_plugin_test)
  file(MAKE_DIRECTORY ${_tmp})
  add_test(NAME //tools:plugin_test
    COMMAND ${PROJECT_SOURCE_DIR}/tools/plugin_test.sh
            $<TARGET_FILE:svcenv_tools_svcenv>
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(//tools:plugin_test PROPERTIES
    TIMEOUT 60 ENVIRONMENT "TEST_TMPDIR=${_tmp}")
endif()

if(BUILD_TESTING AND TARGET svcenv_examples_node_agent_node_agent)
  set(_tmp ${PROJECT_BINARY_DIR}/test_tmp/examples_node_agent_test)
  file(MAKE_DIRECTORY ${_tmp})
  add_test(NAME //examples/node_agent:node_agent_test
    COMMAND ${PROJECT_SOURCE_DIR}/examples/node_agent/node_agent_test.sh
            $<TARGET_FILE:svcenv_examples_node_agent_node_agent>
            examples/node_agent/testdata/events.jsonl
            examples/node_agent/testdata/expected.txt
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(//examples/node_agent:node_agent_test PROPERTIES
    TIMEOUT 60 ENVIRONMENT "TEST_TMPDIR=${_tmp}")
endif()

if(BUILD_TESTING)
  set(_tmp ${PROJECT_BINARY_DIR}/test_tmp/layering_test)
  file(MAKE_DIRECTORY ${_tmp})
  add_test(NAME //:layering_test
    COMMAND ${PROJECT_SOURCE_DIR}/lib/layering_test.sh
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(//:layering_test PROPERTIES
    TIMEOUT 60 ENVIRONMENT "TEST_TMPDIR=${_tmp}")
endif()

if(BUILD_TESTING)
  set(_tmp ${PROJECT_BINARY_DIR}/test_tmp/tools_no_kubernetes_rules_test)
  file(MAKE_DIRECTORY ${_tmp})
  add_test(NAME //tools:no_kubernetes_rules_test
    COMMAND ${PROJECT_SOURCE_DIR}/tools/no_kubernetes_rules_test.sh
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(//tools:no_kubernetes_rules_test PROPERTIES
    TIMEOUT 60 ENVIRONMENT "TEST_TMPDIR=${_tmp}")
endif()
