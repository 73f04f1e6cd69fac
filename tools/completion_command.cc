// `svcenv completion bash|zsh`: a shell completion script for every command
// and flag. The flags come from each command's own `--help`, so the script
// cannot drift from the parser.
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/internal/status_macros.h"
#include "tools/command.h"
#include "tools/commands.h"
#include "tools/flags.h"

namespace svcenv::cli {
namespace {

const std::vector<FlagSpec>& Specs() {
  static const auto* const kSpecs = new std::vector<FlagSpec>{
      HelpFlag(),
  };
  return *kSpecs;
}

constexpr char kHelp[] =
    R"(Usage: svcenv completion bash|zsh

Prints a shell completion script for svcenv's commands, flags and their
fixed values (-o formats). Load it in the current shell with
  source <(svcenv completion bash)
or, for zsh (which runs it through bashcompinit),
  source <(svcenv completion zsh)

)";

struct CompletedFlag {
  std::vector<std::string> spellings;  // "-f", "--filename".
  std::vector<std::string> values;     // Fixed choices, e.g. env export json.
  bool takes_file = false;
};

// Reads the "Options:" block that FlagsHelp prints.
std::vector<CompletedFlag> FlagsFromHelp(const std::string& help) {
  std::vector<CompletedFlag> flags;
  bool in_options = false;
  for (absl::string_view line : absl::StrSplit(help, '\n')) {
    if (line == "Options:") {
      in_options = true;
      continue;
    }
    if (!in_options) continue;
    line = absl::StripLeadingAsciiWhitespace(line);
    if (!absl::StartsWith(line, "-")) continue;
    CompletedFlag flag;
    std::vector<absl::string_view> words =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    size_t i = 0;
    if (words.size() > 1 && absl::EndsWith(words[0], ",")) {
      flag.spellings.emplace_back(absl::StripSuffix(words[0], ","));
      ++i;
    }
    if (i >= words.size() || !absl::StartsWith(words[i], "--")) continue;
    flag.spellings.emplace_back(words[i]);
    // The value name follows on the left column (upper case or with '|').
    if (i + 1 < words.size()) {
      absl::string_view value = words[i + 1];
      const bool is_value_name =
          !value.empty() && (absl::StrContains(value, '|') ||
                             absl::ascii_isupper(value[0]));
      if (is_value_name) {
        if (absl::StrContains(value, "FILE") || absl::StrContains(value, "DIR")) {
          flag.takes_file = true;
        } else if (absl::StrContains(value, '|')) {
          for (absl::string_view v : absl::StrSplit(value, '|')) {
            flag.values.emplace_back(v);
          }
        }  // Else a free value (NS, NAME, N): nothing to offer.
      }
    }
    flags.push_back(std::move(flag));
  }
  return flags;
}

std::string BashScript(const std::vector<std::string>& commands,
                       const std::vector<std::pair<std::string, std::string>>&
                           help_by_command) {
  std::string cases;
  for (const auto& [name, help] : help_by_command) {
    std::vector<std::string> all;
    std::string value_cases;
    for (const CompletedFlag& flag : FlagsFromHelp(help)) {
      all.insert(all.end(), flag.spellings.begin(), flag.spellings.end());
      const std::string pattern = absl::StrJoin(flag.spellings, "|");
      if (flag.takes_file) {
        absl::StrAppend(&value_cases, "        ", pattern,
                        ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n");
      } else if (!flag.values.empty()) {
        absl::StrAppend(&value_cases, "        ", pattern,
                        ") COMPREPLY=($(compgen -W \"",
                        absl::StrJoin(flag.values, " "),
                        "\" -- \"$cur\")); return ;;\n");
      }
    }
    absl::StrAppend(&cases, "    ", name, ")\n      case \"$prev\" in\n",
                    value_cases, "      esac\n      opts=\"",
                    absl::StrJoin(all, " "), "\" ;;\n");
  }
  return absl::StrCat(
      "# svcenv completion for bash: source <(svcenv completion bash)\n"
      "_svcenv() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
      "  local prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      "  local opts=\"\"\n"
      "  COMPREPLY=()\n"
      "  if [[ $COMP_CWORD -eq 1 ]]; then\n"
      "    COMPREPLY=($(compgen -W \"",
      absl::StrJoin(commands, " "),
      "\" -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  local command=\"${COMP_WORDS[1]}\"\n"
      "  if [[ $command == help ]]; then\n"
      "    [[ $COMP_CWORD -eq 2 ]] && COMPREPLY=($(compgen -W \"",
      absl::StrJoin(commands, " "),
      "\" -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  case \"$command\" in\n",
      cases,
      "    completion) [[ $COMP_CWORD -eq 2 ]] && "
      "COMPREPLY=($(compgen -W \"bash zsh\" -- \"$cur\")); return ;;\n"
      "  esac\n"
      "  if [[ $cur == -* ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
      "  else\n"
      "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      "  fi\n"
      "}\n"
      "complete -o filenames -F _svcenv svcenv\n");
}

absl::Status CompletionCommand(const ParsedFlags& flags, Io& io) {
  if (flags.positional().size() != 1 ||
      (flags.positional()[0] != "bash" && flags.positional()[0] != "zsh")) {
    return absl::InvalidArgumentError(
        "expected one shell: bash or zsh (`svcenv completion bash`)");
  }
  std::vector<std::pair<std::string, std::string>> help_by_command;
  for (const std::string& name : CommandNames()) {
    if (name == "help" || name == "completion") continue;
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    Io help_io{in, out, err};
    SVCENV_RETURN_IF_ERROR(RunCommand(name, {"--help"}, help_io));
    help_by_command.emplace_back(name, out.str());
  }
  const std::string bash = BashScript(CommandNames(), help_by_command);
  if (flags.positional()[0] == "zsh") {
    io.out << "# svcenv completion for zsh: source <(svcenv completion zsh)\n"
              "autoload -U +X bashcompinit && bashcompinit\n"
           << bash;
  } else {
    io.out << bash;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunCompletion(const std::vector<std::string>& args, Io& io) {
  return RunWithFlags(args, Specs(), kHelp, io.out,
                      [&io](const ParsedFlags& flags) {
                        return CompletionCommand(flags, io);
                      });
}

}  // namespace svcenv::cli
