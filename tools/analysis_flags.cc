#include "tools/analysis_flags.h"

#include <vector>

#include "lib/base/status_macros.h"
#include "svcenv/kubelet_version.h"

namespace svcenv::cli {

std::vector<FlagSpec> AnalysisFlags(bool as_running) {
  std::vector<FlagSpec> specs = {
      {"kubelet-version", 0, true, "X.Y",
       "Follow that kubelet, 1.29 to 1.38, where results differ (default "
       "1.38)."}};
  if (as_running) {
    specs.push_back({"as-running", 0, false, "",
                     "Leave out Services created after the container "
                     "started."});
  }
  return specs;
}

absl::Status ApplyAnalysisFlags(const ParsedFlags& flags,
                                AnalysisOptions* options) {
  if (flags.Has("kubelet-version")) {
    SVCENV_ASSIGN_OR_RETURN(
        options->environment.kubelet,
        KubeletVersion::Parse(flags.Value("kubelet-version", "")));
  }
  if (flags.Has("as-running")) options->as_running = true;
  return absl::OkStatus();
}

}  // namespace svcenv::cli
