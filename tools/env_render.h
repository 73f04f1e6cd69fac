// tools/env_render.h
//
// DO NOT INCLUDE OUTSIDE tools/. The output formats of `svcenv env` for one
// computed container environment: `-o env` (NAME=value lines), `-o export`
// (shell-quoted, safe to `eval`), `--explain` (an aligned table) and the
// `-o json` document whose schema docs/env.md describes. Every renderer
// prints values through a Redactor, never raw.
#ifndef SVCENV_TOOLS_ENV_RENDER_H_
#define SVCENV_TOOLS_ENV_RENDER_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "svcenv/container_env.h"
#include "svcenv/env_json.h"
#include "svcenv/objects.h"
#include "svcenv/redaction.h"

namespace svcenv::cli {

// A value as one display line, unambiguously: a backslash as \\, a newline
// as \n and a NUL byte as \0 (so a real newline and a literal backslash-n
// differ). What `-o env` and `--explain` print.
std::string OneLine(absl::string_view value);

// POSIX shell single quoting, safe to `eval` for any bytes but NUL.
std::string ShellQuote(absl::string_view value);

// True for a POSIX shell variable name: [A-Za-z_][A-Za-z0-9_]*.
bool IsShellName(absl::string_view name);

// With `multi`, each renderer first prints a `# container NAME` line.
void PrintEnv(const Container& container, const ContainerEnvironment& env,
              const Redactor& redactor, bool multi, std::ostream& out);
// `-o env -0`: NAME=value entries ending in a NUL byte, values raw (as
// `env -0` prints them).
void PrintEnvNul(const ContainerEnvironment& env, const Redactor& redactor,
                 std::ostream& out);
void PrintExport(const Container& container, const ContainerEnvironment& env,
                 const Redactor& redactor, bool multi, std::ostream& out);
void PrintExplain(const Container& container, const ContainerEnvironment& env,
                  const Redactor& redactor, bool multi, bool wide,
                  std::ostream& out);


// The `-o json` document of one container is svcenv::ContainerEnvironmentJson
// (svcenv/env_json.h), shared with the C API.

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_ENV_RENDER_H_
