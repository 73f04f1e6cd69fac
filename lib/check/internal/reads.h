// lib/check/internal/reads.h
//
// What a container reads itself: the `$(NAME)` references the kubelet sees
// in its env values, command and args, and the `$NAME`/`${NAME}` a shell
// script argument (`sh -c SCRIPT`) reads at run time. The rules use it to
// tell a variable reference from shell syntax (`$(hostname -f)`,
// `$((1 + 2))`, `$(<file)`), and to attribute a variable to a container only
// when that container reads it.
//
// Thread-safety: plain values and pure functions.
#ifndef SVCENV_LIB_CHECK_INTERNAL_READS_H_
#define SVCENV_LIB_CHECK_INTERNAL_READS_H_

#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"

namespace svcenv::check_internal {

// One element of the container's argv (`command` then `args`, as written).
struct ArgumentReferences {
  bool shell_script = false;  // The SCRIPT of `sh -c SCRIPT` (see below).
  // `$(NAME)` the kubelet substitutes from the final environment, and those
  // it leaves literal, each in order, unique (ExpansionTrace).
  std::vector<std::string> expanded;
  std::vector<std::string> unresolved;
};

struct ContainerReads {
  std::vector<ArgumentReferences> arguments;  // command, then args.
  // Every name the container reads itself: `$(NAME)` in env values, command
  // and args (resolved or not), and `$NAME`/`${NAME...}` in shell scripts.
  std::set<std::string> names;
};

// `env` is the container's environment computed with every Service.
ContainerReads ComputeReads(const Container& container,
                            const SharedContainerEnvironment& env);

// Which argv elements are shell scripts: the argument after a `-c` option
// (`-c`, `-ec`, `-xec`, ...) that follows a shell (`sh`, `bash`, `ash`,
// `dash`, `zsh`, `ksh`, `mksh`, by basename) anywhere in argv; or, with no
// `command` (the image's entrypoint runs), the argument after a leading
// `-c` option in `args`.
std::vector<bool> ShellScriptArguments(const std::vector<std::string>& command,
                                       const std::vector<std::string>& args);

// The shape of an environment variable name as Kubernetes validated it
// before relaxed validation (`[-._a-zA-Z][-._a-zA-Z0-9]*`): `$(NAME)` text
// of another shape (spaces, `(`, `<`, `$`, quotes, ...) is not a variable
// reference but shell syntax or literal text the kubelet leaves alone.
bool IsVariableNameShaped(absl::string_view name);

// Inside a shell script, `$(word)` is a command substitution unless the
// word looks like an environment variable: `[A-Z_][A-Z0-9_]*` with at least
// one letter (commands are lower case: `$(hostname)`, `$(date)`).
bool IsShellVariableShaped(absl::string_view name);

}  // namespace svcenv::check_internal

#endif  // SVCENV_LIB_CHECK_INTERNAL_READS_H_
