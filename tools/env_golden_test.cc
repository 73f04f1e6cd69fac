// Golden tests for `svcenv env`: every testdata/env/<case>/<name>.args file
// (one argument per line) is run through the CLI library; stdout, stderr and
// the exit code must equal <name>.out, <name>.err and <name>.code.
//
// To regenerate after an intended change, review the diff afterwards:
//   SVCENV_UPDATE_GOLDEN=1 ./bazelw run //tools:env_golden_test
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/base/testing.h"
#include "tools/cli.h"

namespace svcenv::cli {
namespace {

namespace fs = std::filesystem;

constexpr char kGoldenDir[] = "testdata/env";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<fs::path> ArgsFiles() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(kGoldenDir)) {
    if (entry.path().extension() == ".args") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(EnvGolden, EveryCaseMatches) {
  const char* update = std::getenv("SVCENV_UPDATE_GOLDEN");
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  const bool updating = update != nullptr && workspace != nullptr;
  const std::vector<fs::path> cases = ArgsFiles();
  ASSERT_GE(cases.size(), 10u) << "golden cases not found under " << kGoldenDir;
  for (const fs::path& args_file : cases) {
    SCOPED_TRACE(args_file.string());
    std::vector<std::string> args = absl::StrSplit(
        absl::StripSuffix(ReadFile(args_file), "\n"), '\n');
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    Io io{in, out, err};
    const int code = ::svcenv::cli::Run(args, io);
    fs::path base = args_file;
    base.replace_extension();
    const std::string got_code = std::to_string(code) + "\n";
    if (updating) {
      const fs::path target = fs::path(workspace) / base;
      std::ofstream(target.string() + ".out", std::ios::binary) << out.str();
      std::ofstream(target.string() + ".err", std::ios::binary) << err.str();
      std::ofstream(target.string() + ".code", std::ios::binary) << got_code;
      continue;
    }
    EXPECT_EQ(out.str(), ReadFile(base.string() + ".out"));
    EXPECT_EQ(err.str(), ReadFile(base.string() + ".err"));
    EXPECT_EQ(got_code, ReadFile(base.string() + ".code"));
    if (code == kExitUsage) {
      EXPECT_EQ(out.str(), "") << "stdout must stay empty";
    }
  }
}

}  // namespace
}  // namespace svcenv::cli
