// tools/analysis_flags.h
//
// DO NOT INCLUDE OUTSIDE tools/. The flags that choose how a container is
// analyzed (svcenv/container_analysis.h), one table for every command that
// analyzes one, so that `env`, `why`, `diff` and `check` take the same
// spelling and help: `--kubelet-version X.Y` everywhere, `--as-running`
// where the command prints one environment (`env`).
#ifndef SVCENV_TOOLS_ANALYSIS_FLAGS_H_
#define SVCENV_TOOLS_ANALYSIS_FLAGS_H_

#include <vector>

#include "absl/status/status.h"
#include "svcenv/container_analysis.h"
#include "tools/flags.h"

namespace svcenv::cli {

// `--kubelet-version X.Y`, and with `as_running` `--as-running`.
std::vector<FlagSpec> AnalysisFlags(bool as_running);

// Sets `options` from those flags (absent flags leave it as it is).
// InvalidArgumentError for a kubelet version svcenv does not know.
absl::Status ApplyAnalysisFlags(const ParsedFlags& flags,
                                AnalysisOptions* options);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_ANALYSIS_FLAGS_H_
