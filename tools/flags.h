// tools/flags.h
//
// A small kubectl-style command-line parser for svcenv's subcommands: long
// (`--file X`, `--file=X`) and short (`-f X`, `-fX`) options, short
// switches clustered (`-Rf X` is `-R -f X`), repeatable
// options (`-f a -f b`), boolean switches, `--` to end options, and
// positional arguments anywhere. Absl flags do not fit: they are global,
// shared by every subcommand, and do not repeat.
#ifndef SVCENV_TOOLS_FLAGS_H_
#define SVCENV_TOOLS_FLAGS_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace svcenv::cli {

struct FlagSpec {
  std::string name;        // Long name without dashes, e.g. "file".
  char short_name = 0;     // e.g. 'f'; 0 for none.
  bool takes_value = true;  // false: a boolean switch.
  std::string value_name;  // For help: "FILE".
  std::string help;        // One line.
};

class ParsedFlags {
 public:
  // Values given for option `name`, in order; empty when absent.
  const std::vector<std::string>& Values(absl::string_view name) const;
  // The last value given for `name`, or `fallback` when absent.
  std::string Value(absl::string_view name, absl::string_view fallback) const;
  bool Has(absl::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  // Records one occurrence of `spec` (spelled `shown`), its value inline or
  // taken from `args[*i + 1]`.
  absl::Status Take(const FlagSpec& spec, const std::string& shown,
                    const std::optional<std::string>& inline_value,
                    const std::vector<std::string>& args, size_t* i);

  friend absl::StatusOr<ParsedFlags> ParseFlags(
      const std::vector<std::string>& args, const std::vector<FlagSpec>& specs);
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positional_;
};

// Parses `args` (without the command name) against `specs`. Returns
// InvalidArgumentError naming the option for an unknown option (with a
// "did you mean" for a likely typo of a long name) or a missing value.
absl::StatusOr<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                                       const std::vector<FlagSpec>& specs);

// The "Options:" block of a help text, one aligned line per flag.
std::string FlagsHelp(const std::vector<FlagSpec>& specs);

// An `-o` format. Each command lists the ones it prints, its default first;
// its `-o` flag (help, completion) and the parsing come from that list.
enum class Output { kText, kEnv, kExport, kJson, kYaml, kSarif, kGithub };

// "text", "env", "export", "json", "yaml", "sarif", "github".
absl::string_view OutputName(Output output);

// `-o, --output a|b|c` with `help` (the default, `formats[0]`, is named
// after it).
FlagSpec OutputFlag(const std::vector<Output>& formats, absl::string_view help);

// The value of `-o` (`formats[0]` when absent), which must be one of
// `formats`: InvalidArgumentError `-o must be a, b or c, got "x"` with a
// "did you mean" otherwise.
absl::StatusOr<Output> ParseOutput(const ParsedFlags& flags,
                                   const std::vector<Output>& formats);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_FLAGS_H_
