// tools/cli.h
//
// The svcenv command line as a library: `Run` takes the arguments after the
// program name and streams for input and output, so tests drive every
// command, flag and exit path without a process. `svcenv_main.cc` only
// forwards to it.
//
// Exit codes are stable: 0 ok; 1 findings, or the kubelet would refuse the
// container; 2 bad usage or unreadable input. On exit 2 nothing is written
// to `out`. On exit 1 `svcenv check` and `svcenv diff` still write their
// report, and `svcenv env` the environment with placeholders for what
// cannot be known.
#ifndef SVCENV_TOOLS_CLI_H_
#define SVCENV_TOOLS_CLI_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace svcenv::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;

struct Io {
  std::istream& in;   // Read for `-f -`.
  std::ostream& out;  // Results.
  std::ostream& err;  // Diagnostics, warnings and errors.
  // How the user invoked svcenv, for help and messages: "svcenv", or
  // "kubectl svcenv" as a kubectl plugin (see ProgramName).
  std::string program = "svcenv";
  // Whether standard input is a terminal (main() sets it from isatty(0)).
  // Without -f a command reads the cluster only when it is, or with --live;
  // otherwise it reads objects from `in` (ChooseInputMode, pod_inputs.h).
  // Tests drive an interactive session unless they say otherwise.
  bool stdin_is_terminal = true;
};

// The program name for `argv[0]`: "kubectl svcenv" when the binary is
// installed as the kubectl plugin `kubectl-svcenv` (kubectl runs plugins by
// that file name), else "svcenv".
std::string ProgramName(const std::string& argv0);

// `text` (a help text written for `svcenv ...`) as `io.program` spells the
// command: `svcenv env` becomes `kubectl svcenv env` for the plugin.
std::string ForProgram(const std::string& text, const Io& io);

// Runs `svcenv args...` and returns the exit code.
int Run(const std::vector<std::string>& args, Io& io);

// The exit code for a command's final status: OK is 0, FailedPrecondition
// (the kubelet would refuse; findings) is 1, anything else 2.
int ExitCodeFor(const absl::Status& status);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_CLI_H_
