// tools/analysis_flags.h
//
// DO NOT INCLUDE OUTSIDE tools/. The flags that choose how a container is
// analyzed (svcenv/container_analysis.h), one table for every command that
// analyzes one, so that `env`, `why`, `diff` and `check` take the same
// spelling and help: `--kubelet-version X.Y` everywhere, `--as-running`
// where the command prints one environment (`env`).
#ifndef SVCENV_TOOLS_ANALYSIS_FLAGS_H_
#define SVCENV_TOOLS_ANALYSIS_FLAGS_H_

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "svcenv/container_analysis.h"
#include "tools/flags.h"

namespace svcenv::cli {

// `--kubelet-version X.Y`, and with `as_running` `--as-running`.
std::vector<FlagSpec> AnalysisFlags(bool as_running);

// Sets `options` from those flags (absent flags leave it as it is).
// InvalidArgumentError for a kubelet version svcenv does not know.
absl::Status ApplyAnalysisFlags(const ParsedFlags& flags,
                                AnalysisOptions* options);

// `--secrets input|external` and `--configmaps input|external`, which
// `env` and `check` take: objects kept outside the input (SealedSecret,
// ExternalSecret, Vault) are taken to exist.
std::vector<FlagSpec> ExternalObjectFlags();

// Those flags as given: unset where the flag is absent (a configuration
// file may have decided). InvalidArgumentError for another value.
struct ExternalObjects {
  std::optional<bool> secrets;
  std::optional<bool> config_maps;
};
absl::StatusOr<ExternalObjects> ParseExternalObjects(const ParsedFlags& flags);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_ANALYSIS_FLAGS_H_
