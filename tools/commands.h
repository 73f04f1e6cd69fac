// tools/commands.h
//
// DO NOT INCLUDE OUTSIDE tools/. One function per subcommand; each parses
// its own flags and answers --help through RunWithFlags (command.h), writes
// results to `io.out` only when it succeeds, and returns a Status that `Run`
// maps to the exit code (see cli.h).
#ifndef SVCENV_TOOLS_COMMANDS_H_
#define SVCENV_TOOLS_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"
#include "tools/cli.h"
#include "tools/flags.h"

namespace svcenv::cli {

// `svcenv services`: the Service variables a pod in a namespace receives.
absl::Status RunServices(const std::vector<std::string>& args, Io& io);

// `svcenv check`: lints manifests or a cluster dump (svcenv/check.h). The
// one command that writes its report to `io.out` and still fails: with a
// finding at or above --fail-on it returns FailedPreconditionError whose
// message is a one-line summary.
absl::Status RunCheck(const std::vector<std::string>& args, Io& io);

// `svcenv env`: the whole environment of a container, with provenance.
absl::Status RunEnv(const std::vector<std::string>& args, Io& io);

// `svcenv diff`: the computed environment against a running container's
// `env` output, each difference explained (svcenv/env_diff.h). Like
// `check`, writes its report to `io.out` and returns FailedPreconditionError
// when some difference is not explained.
absl::Status RunDiff(const std::vector<std::string>& args, Io& io);

// `svcenv why NAME`: every source of one variable of a container, or why
// it lacks it (svcenv/variable_why.h). Returns FailedPreconditionError
// after writing its report when the container lacks NAME.
absl::Status RunWhy(const std::vector<std::string>& args, Io& io);

// `svcenv completion bash|zsh`: a completion script for every command.
absl::Status RunCompletion(const std::vector<std::string>& args, Io& io);

// Each command's flag table: what its parser accepts and its --help lists
// (completion is generated from these).
const std::vector<FlagSpec>& CheckFlags();
const std::vector<FlagSpec>& CompletionFlags();
const std::vector<FlagSpec>& DiffFlags();
const std::vector<FlagSpec>& EnvFlags();
const std::vector<FlagSpec>& ServicesFlags();
const std::vector<FlagSpec>& WhyFlags();

// Every command name, `help` included, for completion and "did you mean".
std::vector<std::string> CommandNames();

// The flag table of command `name`; null for `help` or an unknown name.
const std::vector<FlagSpec>* FlagsOfCommand(absl::string_view name);

// Runs command `name` (one of CommandNames() but `help`) with `args`.
absl::Status RunCommand(absl::string_view name,
                        const std::vector<std::string>& args, Io& io);

// `-R, --recursive`, taken by every command that reads `-f DIR`.
FlagSpec RecursiveFlag();

// `-f`, `-R`, `-n`, `-c`: how the commands about one pod's container
// (`env`, `diff`) select it.
std::vector<FlagSpec> PodSelectionFlags();

// `--max-input-bytes N`, taken by every command that reads inputs: the
// decoder's per-file size cap (default 64 MiB), for dumps larger than that.
FlagSpec MaxInputBytesFlag();

// `--strict-keys`, taken by every command that reads inputs: a repeated map
// key is an error (exit 2) instead of a warning on stderr.
FlagSpec StrictKeysFlag();

// Sets `options` from the input flags above (--max-input-bytes,
// --strict-keys). InvalidArgumentError for
// a value that is not a positive integer.
absl::Status ApplyInputLimits(const ParsedFlags& flags, DecodeOptions* options);

// Reads every `-f` input in order ("-" is `io.in`) into `objects`. A file
// over the size cap fails with a message that names --max-input-bytes.
// Inputs without a single object (of any kind, read or skipped) fail with
// NoObjectsError, as kubectl refuses them, unless `any_object` is given: it
// is then set and the caller decides (after reading several paths).
// Repeated map keys are one warning each on `io.err` unless
// `warn_duplicate_keys` is false (`check` reports those inside a container
// as findings, and the others change nothing it checks).
absl::Status LoadInputs(const std::vector<std::string>& paths, bool recursive,
                        const DecodeOptions& options, Io& io, Objects* objects,
                        bool* any_object = nullptr,
                        bool warn_duplicate_keys = true);

// "no objects in the input (PATHS)": exit 2.
absl::Status NoObjectsError(const std::vector<std::string>& paths);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_COMMANDS_H_
