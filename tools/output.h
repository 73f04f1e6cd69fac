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
#include "svcenv/env_json.h"
#include "svcenv/pending_cluster_ip.h"
#include "svcenv/service_env.h"

namespace svcenv::cli {

// The pending-cluster-IP stand-in (`<cluster IP>`) and which Services get
// it live in svcenv/pending_cluster_ip.h (StandInPendingClusterIps).

// ServiceSourceJson, DescribeClash and DumpJson are in svcenv/env_json.h,
// shared with the C API.

// The warnings about inputs (no default/kubernetes, pending cluster IPs,
// late Services) are diagnostics of svcenv/container_analysis.h.

nlohmann::ordered_json ServiceVariableSourceJson(const ServiceVariable& v);

// [{"name", "used", "candidates": [{"value", "source"}]}].
nlohmann::ordered_json ClashesJson(const std::vector<ServiceClash>& clashes);

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
