// tools/commands.h
//
// DO NOT INCLUDE OUTSIDE tools/. One function per subcommand; each parses
// its own flags, writes results to `io.out` only when it succeeds, and
// returns a Status that `Run` maps to the exit code (see cli.h).
#ifndef SVCENV_TOOLS_COMMANDS_H_
#define SVCENV_TOOLS_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"
#include "tools/cli.h"

namespace svcenv::cli {

// `svcenv services`: the Service variables a pod in a namespace receives.
absl::Status RunServices(const std::vector<std::string>& args, Io& io);

// `svcenv env`: the whole environment of a container, with provenance.
absl::Status RunEnv(const std::vector<std::string>& args, Io& io);

// Reads every `-f` input in order ("-" is `io.in`) into `objects`.
absl::Status LoadInputs(const std::vector<std::string>& paths, bool recursive,
                        const DecodeOptions& options, Io& io,
                        Objects* objects);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_COMMANDS_H_
