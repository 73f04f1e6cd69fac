// include/svcenv/env_json.h
//
// The JSON document of one container's computed environment: what
// `svcenv env -o json` prints per container and what the C API
// (svcenv/c_api.h) returns. docs/env.md describes the schema:
// {"pod": {"namespace", "name"}, "container", "env": [{"name", "value",
// "source", "shadows"}], "command", "args", "warnings"}. Values pass through
// a Redactor (svcenv/redaction.h), so Secret-derived ones are placeholders
// unless the caller asked to show them.
//
// Functions here are thread-safe and cannot fail; DumpJson replaces invalid
// UTF-8 rather than throwing.
//
// Example:
//   svcenv::Redactor redactor(*env, /*show=*/false);
//   std::cout << svcenv::DumpJson(svcenv::ContainerEnvironmentJson(
//                    pod, container, *env, env->warnings, redactor))
//             << "\n";
#ifndef SVCENV_INCLUDE_SVCENV_ENV_JSON_H_
#define SVCENV_INCLUDE_SVCENV_ENV_JSON_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"
#include "svcenv/redaction.h"
#include "svcenv/service_env.h"

namespace svcenv {

// {"kind": "Service", "namespace", "name", "port": {"name", "port",
// "protocol"}}; no "port" for `port_index` -1 (`_SERVICE_HOST`).
nlohmann::ordered_json ServiceSourceJson(const Service& service,
                                         int port_index);

// The `source` object of one variable.
nlohmann::ordered_json EnvSourceJson(const EnvSource& source);

// One container's document: pod, container, env, command, args, warnings.
nlohmann::ordered_json ContainerEnvironmentJson(
    const Pod& pod, const Container& container, const ContainerEnvironment& env,
    const std::vector<std::string>& warnings, const Redactor& redactor);

// One line for a Service clash: which Services produce `clash.name`, their
// values, the one svcenv uses, and that the kubelet picks at random.
std::string DescribeClash(const ServiceClash& clash);

// Pretty JSON (two-space indent); invalid UTF-8 is replaced.
std::string DumpJson(const nlohmann::ordered_json& doc);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_ENV_JSON_H_
