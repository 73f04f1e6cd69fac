// tools/cli_testing.h
//
// DO NOT INCLUDE OUTSIDE tools/ tests. Runs the CLI in-process, as the
// binary would run it, for tests that assert what a user sees: exit code,
// standard output and standard error.
#ifndef SVCENV_TOOLS_CLI_TESTING_H_
#define SVCENV_TOOLS_CLI_TESTING_H_

#include <sstream>
#include <string>
#include <vector>

#include "tools/cli.h"

namespace svcenv::cli {

struct Result {
  int code;
  std::string out;
  std::string err;
};

// `svcenv ARGS...` with `stdin_text` as standard input, which is a terminal
// unless `stdin_is_terminal` is false (a pipe, as in CI).
inline Result RunCli(const std::vector<std::string>& args,
                     const std::string& stdin_text = "",
                     bool stdin_is_terminal = true) {
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  Io io{in, out, err};
  io.stdin_is_terminal = stdin_is_terminal;
  const int code = Run(args, io);
  return {code, out.str(), err.str()};
}

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_CLI_TESTING_H_
