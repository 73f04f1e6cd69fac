#include "tools/analysis_flags.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
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

std::vector<FlagSpec> ExternalObjectFlags() {
  return {{"secrets", 0, true, "input|external",
           "external: Secrets not in the input exist (kept outside git: "
           "SealedSecret, ExternalSecret, Vault): their values are "
           "placeholders, never a refusal nor a finding resting on their "
           "absence (default input)."},
          {"configmaps", 0, true, "input|external",
           "The same for ConfigMaps (default input)."}};
}

absl::StatusOr<ExternalObjects> ParseExternalObjects(const ParsedFlags& flags) {
  ExternalObjects out;
  for (const char* kind : {"secrets", "configmaps"}) {
    if (!flags.Has(kind)) continue;
    const std::string value = flags.Value(kind, "");
    if (value != "input" && value != "external") {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", kind, " must be input or external, got \"", value, "\""));
    }
    (absl::string_view(kind) == "secrets" ? out.secrets : out.config_maps) =
        value == "external";
  }
  return out;
}

}  // namespace svcenv::cli
