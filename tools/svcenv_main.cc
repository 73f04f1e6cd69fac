// svcenv: command-line entry point. All logic lives in tools/cli.cc.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "tools/cli.h"

int main(int argc, char** argv) {
  // Under `bazel run`, relative paths are meant from where the user typed
  // the command, not from the runfiles tree.
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY")) {
    if (chdir(dir) != 0) {
      std::cerr << "svcenv: cannot enter " << dir << "\n";
      return svcenv::cli::kExitUsage;
    }
  }
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  svcenv::cli::Io io{std::cin, std::cout, std::cerr,
                     svcenv::cli::ProgramName(argc > 0 ? argv[0] : "")};
  io.stdin_is_terminal = isatty(STDIN_FILENO) == 1;
  const int code = svcenv::cli::Run(args, io);
  std::cout.flush();
  return code;
}
