// tools/kubectl.h
//
// DO NOT INCLUDE OUTSIDE tools/. How svcenv's live mode talks to a cluster:
// it runs `kubectl` (the one on PATH, or `--kubectl PATH`) without a shell,
// with an argument vector, and reads what it prints. Only read verbs are
// ever built (`get`, `exec ... -- env`, `config view`): nothing is written.
//
// Errors: a kubectl that cannot be started is UnavailableError; kubectl's
// own failure maps by the reason it prints (`Error from server (NotFound)`
// is NotFoundError, `(Forbidden)` PermissionDeniedError, anything else
// UnavailableError), the message being the command and kubectl's stderr.
#ifndef SVCENV_TOOLS_KUBECTL_H_
#define SVCENV_TOOLS_KUBECTL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace svcenv::cli {

// What a finished process printed and how it ended.
struct ProcessResult {
  int exit_code = 0;  // 128 + N when killed by signal N.
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] looked up on PATH unless it contains a '/') with
// standard input from /dev/null, capturing standard output and error.
// UnavailableError when it cannot be started.
absl::StatusOr<ProcessResult> RunProcess(const std::vector<std::string>& argv);

// The connection flags passed through to every kubectl call.
struct KubectlOptions {
  std::string binary = "kubectl";
  std::optional<std::string> context;     // --context
  std::optional<std::string> kubeconfig;  // --kubeconfig
};

class Kubectl {
 public:
  explicit Kubectl(KubectlOptions options) : options_(std::move(options)) {}

  // `kubectl [--context C] [--kubeconfig K] ARGS...`: the argv run.
  std::vector<std::string> Argv(const std::vector<std::string>& args) const;

  // Runs kubectl with `args` and returns its standard output; the errors
  // described at the top of this file otherwise.
  absl::StatusOr<std::string> Run(const std::vector<std::string>& args) const;

  // `get KIND NAME [-n NS] -o json` (NAME empty: the whole list).
  absl::StatusOr<std::string> GetJson(absl::string_view kind,
                                      absl::string_view name,
                                      const std::optional<std::string>& ns)
      const;

  // `get RESOURCES -n NS -o json`, or with `-A` (every namespace) when `ns`
  // is nullopt; RESOURCES is kubectl's comma list ("pods,services").
  absl::StatusOr<std::string> ListJson(absl::string_view resources,
                                       const std::optional<std::string>& ns)
      const;

  // `exec POD -n NS -c CONTAINER -- env`: the running container's
  // environment as `env` prints it.
  absl::StatusOr<std::string> ExecEnv(absl::string_view pod,
                                      absl::string_view ns,
                                      absl::string_view container) const;

  // The namespace of the current context (`config view --minify`), or
  // "default" when it sets none.
  absl::StatusOr<std::string> CurrentNamespace() const;

 private:
  KubectlOptions options_;
};

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_KUBECTL_H_
