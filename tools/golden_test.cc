// Golden tests for every command: each `<name>.args` file under testdata/
// is one run of the CLI (in-process, through svcenv::cli::Run), and what a
// user would see must equal the files beside it.
//
//   <name>.args  the arguments, one per line, the command first (`env`,
//                `check`, `diff`, `why`, `services`); every line is one
//                argument, an empty line an empty one. The run's working
//                directory is the directory holding the file, so paths in
//                the arguments (and in the output) are relative to it.
//   <name>.in    optional: standard input, as a pipe (`-f -`, `--actual -`).
//                Without it standard input is an empty terminal.
//   <name>.out   the exact standard output.
//   <name>.err   the exact standard error (empty when nothing is written).
//   <name>.code  the exit code and a newline.
//
// Every case is its own test, named after its path: testdata/check/size/
// default.args is Golden/Golden.Case/check_size_default, so
// --test_filter='*/check_size*' runs one. To regenerate after an intended
// change, then review the diff (`git diff testdata/`; `--` and a
// --gtest_filter rewrite only some):
//   SVCENV_UPDATE_GOLDEN=1 ./bazelw run //tools:golden_test
// A directory of cases must be in the test's `data` (tools/BUILD.bazel).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/base/testing.h"
#include "tools/cli.h"
#include "tools/cli_testing.h"

namespace svcenv::cli {
namespace {

namespace fs = std::filesystem;

constexpr char kGoldenRoot[] = "testdata";
constexpr const char* kOutputs[] = {".out", ".err", ".code"};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every file under testdata/ with one of `extensions`, sorted.
std::vector<fs::path> FilesEndingIn(const std::set<std::string>& extensions) {
  std::vector<fs::path> out;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(kGoldenRoot, error);
       it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (extensions.count(it->path().extension().string()) > 0) {
      out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> ArgsFiles() { return FilesEndingIn({".args"}); }

// testdata/check/size/default.args -> check_size_default (gtest names allow
// letters, digits and underscores only).
std::string CaseName(const testing::TestParamInfo<fs::path>& info) {
  fs::path relative = info.param.lexically_relative(kGoldenRoot);
  relative.replace_extension();
  std::string name = relative.generic_string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// The workspace to rewrite goldens in (`bazel run` sets
// BUILD_WORKSPACE_DIRECTORY), or null when comparing.
const char* UpdateWorkspace() {
  const char* update = std::getenv("SVCENV_UPDATE_GOLDEN");
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  return update != nullptr && *update != '\0' ? workspace : nullptr;
}

// Runs the case in its own directory and restores the working directory.
Result RunCase(const fs::path& args_file) {
  std::vector<std::string> args = absl::StrSplit(
      absl::StripSuffix(ReadFile(args_file), "\n"), '\n');
  fs::path input = args_file;
  input.replace_extension(".in");
  const bool piped = fs::exists(input);
  const std::string stdin_text = piped ? ReadFile(input) : "";
  // Back to the runfiles root however the case ends (a case that throws
  // must not move every later case's paths).
  struct WorkingDirectory {
    fs::path previous = fs::current_path();
    ~WorkingDirectory() { fs::current_path(previous); }
  } restore;
  fs::current_path(args_file.parent_path());
  return RunCli(args, stdin_text, /*stdin_is_terminal=*/!piped);
}

class Golden : public testing::TestWithParam<fs::path> {};

TEST_P(Golden, Case) {
  const fs::path& args_file = GetParam();
  const Result got = RunCase(args_file);
  fs::path base = args_file;
  base.replace_extension();
  const std::string got_code = std::to_string(got.code) + "\n";
  if (const char* workspace = UpdateWorkspace()) {
    const std::string target = (fs::path(workspace) / base).string();
    std::ofstream(target + ".out", std::ios::binary) << got.out;
    std::ofstream(target + ".err", std::ios::binary) << got.err;
    std::ofstream(target + ".code", std::ios::binary) << got_code;
    return;
  }
  EXPECT_EQ(got.out, ReadFile(base.string() + ".out"));
  EXPECT_EQ(got.err, ReadFile(base.string() + ".err"));
  EXPECT_EQ(got_code, ReadFile(base.string() + ".code"));
  // cli.h's promise, whatever the golden says.
  if (got.code == kExitUsage) {
    EXPECT_EQ(got.out, "") << "stdout must stay empty on exit 2";
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, Golden, testing::ValuesIn(ArgsFiles()),
                         CaseName);

TEST(GoldenFiles, EveryCommandHasCases) {
  std::set<std::string> commands;
  for (const fs::path& args_file : ArgsFiles()) {
    const std::string text = ReadFile(args_file);
    commands.insert(text.substr(0, text.find('\n')));
  }
  for (const char* command : {"env", "check", "diff", "why", "services"}) {
    EXPECT_EQ(commands.count(command), 1u)
        << "no golden case runs `svcenv " << command << "` under "
        << kGoldenRoot;
  }
}

// A golden left behind by a renamed or deleted case would never be
// compared again: each `.code` must belong to an args file (`.code` only:
// testdata/live/fixtures/ holds the fake kubectl's `.out` and `.err`).
TEST(GoldenFiles, ArgsAndGoldensComeTogether) {
  if (UpdateWorkspace() != nullptr) GTEST_SKIP() << "updating";
  for (const fs::path& code : FilesEndingIn({".code"})) {
    fs::path args_file = code;
    args_file.replace_extension(".args");
    EXPECT_TRUE(fs::exists(args_file)) << code << " has no " << args_file;
  }
  for (const fs::path& args_file : ArgsFiles()) {
    for (const char* extension : kOutputs) {
      fs::path output = args_file;
      output.replace_extension(extension);
      EXPECT_TRUE(fs::exists(output))
          << args_file << " has no " << output
          << " (SVCENV_UPDATE_GOLDEN=1 ./bazelw run //tools:golden_test)";
    }
  }
}

}  // namespace
}  // namespace svcenv::cli
