#include "lib/check/internal/reads.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "svcenv/container_env.h"
#include "svcenv/expand.h"
#include "svcenv/objects.h"

namespace svcenv::check_internal {
namespace {

bool IsShell(absl::string_view word) {
  const size_t slash = word.rfind('/');
  if (slash != absl::string_view::npos) word.remove_prefix(slash + 1);
  for (absl::string_view shell :
       {"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"}) {
    if (word == shell) return true;
  }
  return false;
}

// `-c`, `-ec`, `-xec`, `-euxc`: a short-option cluster holding `c`.
bool IsCommandOption(absl::string_view arg) {
  if (arg.size() < 2 || arg[0] != '-' || arg[1] == '-') return false;
  bool has_c = false;
  for (char c : arg.substr(1)) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) return false;
    has_c |= c == 'c';
  }
  return has_c;
}

bool IsShellNameByte(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// `$NAME` and `${NAME...}` a shell script reads (not `$$`, `\$`).
void AddShellReads(absl::string_view script, std::set<std::string>* names) {
  for (size_t i = 0; i + 1 < script.size(); ++i) {
    if (script[i] != '$') continue;
    if (i > 0 && script[i - 1] == '\\') continue;
    size_t start = i + 1;
    if (script[start] == '{') ++start;
    if (start >= script.size() ||
        !(absl::ascii_isalpha(static_cast<unsigned char>(script[start])) ||
          script[start] == '_'))
      continue;
    size_t end = start;
    while (end < script.size() && IsShellNameByte(script[end])) ++end;
    names->emplace(script.substr(start, end - start));
    i = end - 1;
  }
}

}  // namespace

std::vector<bool> ShellScriptArguments(const std::vector<std::string>& command,
                                       const std::vector<std::string>& args) {
  std::vector<std::string> argv = command;
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<bool> script(argv.size(), false);
  auto mark_after_options = [&](size_t from) {
    for (size_t i = from; i < argv.size(); ++i) {
      const std::string& arg = argv[i];
      if (arg == "-o" || arg == "+o") {  // `-o pipefail` takes a word.
        ++i;
        continue;
      }
      if (IsCommandOption(arg)) {
        if (i + 1 < argv.size()) script[i + 1] = true;
        return;
      }
      if (arg.empty() || (arg[0] != '-' && arg[0] != '+')) return;
    }
  };
  if (command.empty() && !args.empty() && IsCommandOption(args[0])) {
    mark_after_options(0);
  }
  for (size_t i = 0; i < argv.size(); ++i) {
    if (IsShell(argv[i])) mark_after_options(i + 1);
  }
  return script;
}

bool IsVariableNameShaped(absl::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    const bool ok = absl::ascii_isalpha(c) || c == '-' || c == '.' ||
                    c == '_' || (i > 0 && absl::ascii_isdigit(c));
    if (!ok) return false;
  }
  return true;
}

bool IsShellVariableShaped(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(static_cast<unsigned char>(name[0])))
    return false;
  bool letter = false;
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isupper(u)) {
      letter = true;
    } else if (!absl::ascii_isdigit(u) && c != '_') {
      return false;
    }
  }
  return letter;
}

ContainerReads ComputeReads(const Container& container,
                            const SharedContainerEnvironment& env) {
  ContainerReads reads;
  for (const SharedContainerEnvironment::OwnVariable& entry : env.own()) {
    reads.names.insert(entry.expanded_references.begin(),
                       entry.expanded_references.end());
    reads.names.insert(entry.unresolved_references.begin(),
                       entry.unresolved_references.end());
  }
  const std::vector<bool> script =
      ShellScriptArguments(container.command, container.args);
  size_t index = 0;
  for (const auto* list : {&container.command, &container.args}) {
    for (const std::string& arg : *list) {
      ArgumentReferences refs;
      refs.shell_script = script[index++];
      ExpansionTrace trace;
      (void)ExpandReferences(
          arg, [&env](absl::string_view name) { return env.Find(name); },
          &trace);
      refs.expanded = trace.expanded;
      refs.unresolved = trace.unresolved;
      reads.names.insert(trace.expanded.begin(), trace.expanded.end());
      reads.names.insert(trace.unresolved.begin(), trace.unresolved.end());
      if (refs.shell_script) AddShellReads(arg, &reads.names);
      reads.arguments.push_back(std::move(refs));
    }
  }
  return reads;
}

}  // namespace svcenv::check_internal
