// tools/output.h
//
// DO NOT INCLUDE OUTSIDE tools/. Shared pieces of svcenv's text and JSON
// output, so that every command names sources and clashes the same way.
#ifndef SVCENV_TOOLS_OUTPUT_H_
#define SVCENV_TOOLS_OUTPUT_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "svcenv/service_env.h"

namespace svcenv::cli {

// One line: which Services produce `clash.name`, their values, the one
// svcenv uses, and that the kubelet picks at random.
std::string DescribeClash(const ServiceClash& clash);

// {"kind": "Service", "namespace", "name", "port": {...}}.
nlohmann::ordered_json ServiceSourceJson(const Service& service,
                                         int port_index);
nlohmann::ordered_json ServiceVariableSourceJson(const ServiceVariable& v);

// [{"name", "used", "candidates": [{"value", "source"}]}].
nlohmann::ordered_json ClashesJson(const std::vector<ServiceClash>& clashes);

// Pretty JSON; invalid UTF-8 is replaced rather than thrown on.
std::string DumpJson(const nlohmann::ordered_json& doc);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_OUTPUT_H_
