#include "tools/env_render.h"

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "tools/output.h"

namespace svcenv::cli {

std::string OneLine(absl::string_view value) {
  return absl::StrReplaceAll(value, {{"\\", "\\\\"},
                                     {"\n", "\\n"},
                                     {std::string(1, '\0'), "\\0"}});
}

std::string ShellQuote(absl::string_view value) {
  return absl::StrCat("'", absl::StrReplaceAll(value, {{"'", "'\\''"}}), "'");
}

bool IsShellName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_';
  });
}

void PrintEnv(const Container& container, const ContainerEnvironment& env,
              const Redactor& redactor, bool multi, std::ostream& out) {
  if (multi) out << "# container " << container.name << "\n";
  for (const EnvEntry& e : env.env) {
    out << e.name << "=" << OneLine(redactor.Shown(e)) << "\n";
  }
}

void PrintEnvNul(const ContainerEnvironment& env, const Redactor& redactor,
                 std::ostream& out) {
  for (const EnvEntry& e : env.env) {
    out << e.name << "=" << redactor.Shown(e) << '\0';
  }
}

void PrintExport(const Container& container, const ContainerEnvironment& env,
                 const Redactor& redactor, bool multi, std::ostream& out) {
  if (multi) out << "# container " << container.name << "\n";
  for (const EnvEntry& e : env.env) {
    if (!IsShellName(e.name)) {
      out << "# not a shell variable name, skipped: " << OneLine(e.name)
          << "\n";
      continue;
    }
    const std::string shown = redactor.Shown(e);
    if (shown.find('\0') != std::string::npos) {
      out << "# contains a NUL byte, which no shell variable can hold, "
             "skipped: "
          << e.name << "\n";
      continue;
    }
    out << "export " << e.name << "=" << ShellQuote(shown) << "\n";
  }
}

void PrintExplain(const Container& container, const ContainerEnvironment& env,
                  const Redactor& redactor, bool multi, bool wide,
                  std::ostream& out) {
  // Keeps the table within a terminal; --wide prints whole values.
  constexpr size_t kMaxValue = 48;
  struct Row {
    std::string name, value, source, shadows, unresolved;
  };
  std::vector<Row> rows = {{"NAME", "VALUE", "SOURCE", "SHADOWS", "UNRESOLVED"}};
  for (const EnvEntry& e : env.env) {
    Row row;
    row.name = OneLine(e.name);
    row.value = OneLine(redactor.Shown(e));
    if (!wide && row.value.size() > kMaxValue) {
      row.value = absl::StrCat(row.value.substr(0, kMaxValue - 3), "...");
    }
    row.source = DescribeSource(e.source);
    std::vector<std::string> shadows;
    for (const EnvSource& s : e.shadows) shadows.push_back(DescribeSource(s));
    row.shadows = shadows.empty() ? "-" : absl::StrJoin(shadows, "; ");
    row.unresolved =
        e.unresolved_references.empty()
            ? "-"
            : absl::StrJoin(e.unresolved_references, " ",
                            [](std::string* o, const std::string& n) {
                              absl::StrAppend(o, "$(", n, ")");
                            });
    rows.push_back(std::move(row));
  }
  size_t w[4] = {0, 0, 0, 0};
  for (const Row& row : rows) {
    w[0] = std::max(w[0], row.name.size());
    w[1] = std::max(w[1], row.value.size());
    w[2] = std::max(w[2], row.source.size());
    w[3] = std::max(w[3], row.shadows.size());
  }
  if (multi) out << "# container " << container.name << "\n";
  for (const Row& row : rows) {
    std::string line = absl::StrCat(
        row.name, std::string(w[0] - row.name.size() + 2, ' '), row.value,
        std::string(w[1] - row.value.size() + 2, ' '), row.source,
        std::string(w[2] - row.source.size() + 2, ' '), row.shadows,
        std::string(w[3] - row.shadows.size() + 2, ' '), row.unresolved);
    out << line << "\n";
  }
}

}  // namespace svcenv::cli
