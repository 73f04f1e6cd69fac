// tools/command.h
//
// The preamble every svcenv subcommand shares: parse its flags (flags.h),
// answer `--help` and report bad usage, so that a command's own code starts
// with its parsed flags.
//
//   absl::Status RunServices(const std::vector<std::string>& args, Io& io) {
//     return RunWithFlags(args, Specs(), kHelp, io.out,
//                         [&io](const ParsedFlags& flags) {
//                           return ServicesCommand(flags, io);
//                         });
//   }
//
// Thread-safe as far as `body` and the stream are.
#ifndef SVCENV_TOOLS_COMMAND_H_
#define SVCENV_TOOLS_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tools/flags.h"

namespace svcenv::cli {

// `-h, --help`, taken by every command; RunWithFlags answers it.
FlagSpec HelpFlag();

// Parses `args` (without the command name) against `specs` and runs `body`
// with the result. With `--help` (HelpFlag) it writes `help` followed by
// the "Options:" block of `specs` to `help_out` and returns OK (exit 0)
// without running `body`. Flags that do not parse are bad usage: the
// InvalidArgumentError of ParseFlags (exit 2), before `body` runs.
absl::Status RunWithFlags(
    const std::vector<std::string>& args, const std::vector<FlagSpec>& specs,
    absl::string_view help, std::ostream& help_out,
    absl::FunctionRef<absl::Status(const ParsedFlags& flags)> body);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_COMMAND_H_
