// `svcenv completion bash|zsh`: a shell completion script for every command
// and flag. The flags come from each command's flag table, the one its
// parser reads, so the script cannot drift from the parser.
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
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

// What completion offers for one flag of a command's table.
CompletedFlag Completed(const FlagSpec& spec) {
  CompletedFlag flag;
  if (spec.short_name != 0) {
    flag.spellings.push_back(std::string{'-', spec.short_name});
  }
  flag.spellings.push_back(absl::StrCat("--", spec.name));
  if (!spec.takes_value) return flag;
  const absl::string_view value = spec.value_name;
  if (absl::StrContains(value, "FILE") || absl::StrContains(value, "DIR")) {
    flag.takes_file = true;
  } else if (absl::StrContains(value, '|')) {
    // Fixed choices: "text|json|yaml".
    for (absl::string_view v : absl::StrSplit(value, '|')) {
      flag.values.emplace_back(v);
    }
  }  // Else a free value (NS, NAME, N): nothing to offer.
  return flag;
}

std::string BashScript(const std::vector<std::string>& commands) {
  std::string cases;
  for (const std::string& name : commands) {
    const std::vector<FlagSpec>* specs = FlagsOfCommand(name);
    if (name == "completion" || specs == nullptr) continue;
    std::vector<std::string> all;
    std::string value_cases;
    for (const FlagSpec& spec : *specs) {
      const CompletedFlag flag = Completed(spec);
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
  const std::string bash = BashScript(CommandNames());
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

const std::vector<FlagSpec>& CompletionFlags() { return Specs(); }

absl::Status RunCompletion(const std::vector<std::string>& args, Io& io) {
  return RunWithFlags(args, Specs(), kHelp, io.out,
                      [&io](const ParsedFlags& flags) {
                        return CompletionCommand(flags, io);
                      });
}

}  // namespace svcenv::cli
