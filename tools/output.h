// tools/output.h
//
// DO NOT INCLUDE OUTSIDE tools/. Shared pieces of svcenv's text and JSON
// output, so that every command names sources and clashes the same way.
#ifndef SVCENV_TOOLS_OUTPUT_H_
#define SVCENV_TOOLS_OUTPUT_H_

#include <cstddef>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "svcenv/service_env.h"

namespace svcenv::cli {

// The text svcenv shows for a cluster IP the API server has yet to allocate.
inline constexpr char kPendingClusterIp[] = "<cluster IP>";

// A manifest Service with no `clusterIP` (and not ExternalName, not yet
// created: no creationTimestamp) gets one from the API server when applied.
// Sets such Services' `cluster_ip` to kPendingClusterIp so their variables
// show, and returns them.
std::vector<const Service*> StandInPendingClusterIps(
    std::vector<Service>* services);

// One warning line naming each of `pending` that `visible` contains (none
// when it contains none).
std::vector<std::string> PendingClusterIpWarnings(
    const std::vector<const Service*>& pending,
    const std::vector<const Service*>& visible);

// A warning when no `default/kubernetes` Service is among `services`: every
// real container gets its KUBERNETES_* variables; empty otherwise.
std::vector<std::string> MissingMasterServiceWarning(
    const std::vector<Service>& services);

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

// The same document as block-style YAML (what `-o yaml` prints): strings
// that YAML 1.1 could read as anything else (numbers, booleans, null,
// special characters) are double-quoted with JSON escapes.
std::string DumpYaml(const nlohmann::ordered_json& doc);

// Warnings for stderr, each distinct text once in first-seen order. Batches
// are the warnings of one producer (one container): a text every container
// repeats is one fact and prints once; a text repeated inside one batch
// prints once with "(N times)".
class WarningGroups {
 public:
  void AddBatch(const std::vector<std::string>& batch);
  // `PREFIX: warning: TEXT` lines.
  void Print(absl::string_view prefix, std::ostream& out) const;

 private:
  std::vector<std::pair<std::string, int>> groups_;  // Text, count.
  std::map<std::string, size_t> index_;              // Text -> groups_.
};

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_OUTPUT_H_
