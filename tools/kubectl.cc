#include "tools/kubectl.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

extern char** environ;

namespace svcenv::cli {
namespace {

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int* out() { return &fd_; }

 private:
  int fd_ = -1;
};

absl::Status Errno(absl::string_view what, int error) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(error)));
}

// Reads both pipes until both reach end of file, so that neither can fill
// up and block the child.
void Drain(int out_fd, int err_fd, std::string* out, std::string* err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {out, err};
  int open_count = 2;
  char buf[1 << 16];
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
}

// kubectl's stderr without its klog lines (`E1127 13:50:42.798878 ...`),
// which repeat, for every retry, what its last line says once ("The
// connection to the server ... was refused").
std::string WithoutLogLines(absl::string_view err) {
  std::vector<absl::string_view> kept;
  std::vector<absl::string_view> all = absl::StrSplit(err, '\n');
  for (absl::string_view line : all) {
    const bool klog =
        line.size() > 5 &&
        absl::string_view("IWEF").find(line[0]) != absl::string_view::npos &&
        std::all_of(line.begin() + 1, line.begin() + 5,
                    [](char c) { return c >= '0' && c <= '9'; });
    if (!klog && !absl::StripAsciiWhitespace(line).empty()) {
      kept.push_back(line);
    }
  }
  if (kept.empty()) {
    return std::string(absl::StripTrailingAsciiWhitespace(err));
  }
  return absl::StrJoin(kept, "\n");
}

}  // namespace

absl::StatusOr<ProcessResult> RunProcess(const std::vector<std::string>& argv) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  Fd out_read, out_write, err_read, err_write;
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return Errno("pipe", errno);
  *out_read.out() = out_pipe[0];
  *out_write.out() = out_pipe[1];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return Errno("pipe", errno);
  *err_read.out() = err_pipe[0];
  *err_write.out() = err_pipe[1];

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned =
      posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return Errno(absl::StrCat("cannot run ", argv[0]), spawned);
  }
  out_write.Reset();
  err_write.Reset();
  ProcessResult result;
  Drain(out_read.get(), err_read.get(), &result.out, &result.err);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Errno("waitpid", errno);
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

std::vector<std::string> Kubectl::Argv(
    const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {options_.binary};
  if (options_.context.has_value()) {
    argv.insert(argv.end(), {"--context", *options_.context});
  }
  if (options_.kubeconfig.has_value()) {
    argv.insert(argv.end(), {"--kubeconfig", *options_.kubeconfig});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

absl::StatusOr<std::string> Kubectl::Run(
    const std::vector<std::string>& args) const {
  const std::vector<std::string> argv = Argv(args);
  absl::StatusOr<ProcessResult> result = RunProcess(argv);
  if (!result.ok()) {
    // posix_spawnp reports a missing binary here.
    return absl::UnavailableError(absl::StrCat(
        result.status().message(),
        options_.binary == "kubectl"
            ? " (install kubectl, or give its path with --kubectl PATH)"
            : ""));
  }
  if (result->exit_code == 0) return std::move(result->out);
  if (result->exit_code == 127 && result->err.empty()) {
    return absl::UnavailableError(
        absl::StrCat("cannot run ", options_.binary));
  }
  std::string message = WithoutLogLines(result->err);
  if (message.empty()) {
    message = absl::StrCat("exit code ", result->exit_code);
  }
  message = absl::StrCat("`kubectl ", absl::StrJoin(args, " "), "` failed: ",
                         message);
  if (absl::StrContains(result->err, "(NotFound)")) {
    return absl::NotFoundError(message);
  }
  if (absl::StrContains(result->err, "(Forbidden)")) {
    return absl::PermissionDeniedError(message);
  }
  return absl::UnavailableError(message);
}

absl::StatusOr<std::string> Kubectl::GetJson(
    absl::string_view kind, absl::string_view name,
    const std::optional<std::string>& ns) const {
  std::vector<std::string> args = {"get", std::string(kind)};
  if (!name.empty()) args.emplace_back(name);
  if (ns.has_value()) args.insert(args.end(), {"-n", *ns});
  args.insert(args.end(), {"-o", "json"});
  return Run(args);
}

absl::StatusOr<std::string> Kubectl::ListJson(
    absl::string_view resources, const std::optional<std::string>& ns) const {
  std::vector<std::string> args = {"get", std::string(resources)};
  if (ns.has_value()) {
    args.insert(args.end(), {"-n", *ns});
  } else {
    args.emplace_back("-A");
  }
  args.insert(args.end(), {"-o", "json"});
  return Run(args);
}

absl::StatusOr<std::string> Kubectl::ExecEnv(absl::string_view pod,
                                             absl::string_view ns,
                                             absl::string_view container) const {
  return Run({"exec", std::string(pod), "-n", std::string(ns), "-c",
              std::string(container), "--", "env"});
}

absl::StatusOr<std::string> Kubectl::CurrentNamespace() const {
  absl::StatusOr<std::string> ns = Run(
      {"config", "view", "--minify", "-o", "jsonpath={..namespace}"});
  if (!ns.ok()) return ns.status();
  const absl::string_view trimmed = absl::StripAsciiWhitespace(*ns);
  return trimmed.empty() ? std::string("default") : std::string(trimmed);
}

}  // namespace svcenv::cli
