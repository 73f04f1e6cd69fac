#include "tools/cli.h"

#include <algorithm>
#include <cstddef>
#include <istream>
#include <sstream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "lib/base/status_macros.h"
#include "lib/base/suggest.h"
#include "svcenv/decode.h"
#include "svcenv/version.h"
#include "tools/commands.h"

namespace svcenv::cli {
namespace {

constexpr char kUsage[] =
    R"(svcenv: the environment a Kubernetes container receives, computed exactly
as the kubelet does, from manifests or `kubectl get -o json|yaml` output,
or (without -f) from the cluster through kubectl.

Usage: svcenv COMMAND [options]

Commands:
  check       Lint manifests (CI) or a cluster dump for Service-variable
              problems: ordering, literal $(...) references, clashes, size.
  env         The whole environment of a container, with where each value
              came from (printenv for a pod that never ran).
  diff        Compare it with a running container's `env` output; explain
              every difference (late Services, edited ConfigMaps, image ENV).
  why         Why a container has (or lacks) one variable: every source in
              the kubelet's order, what hid what, late Services.
  services    The Service variables a pod in a namespace receives.
  completion  A bash or zsh completion script: `source <(svcenv completion
              bash)`.

Run `svcenv help COMMAND` (or `svcenv COMMAND --help`) for its options;
`svcenv --version` prints the version.
Exit codes: 0 ok; 1 findings or the kubelet would refuse the container;
2 bad usage or unreadable input.
)";

}  // namespace

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return kExitFindings;
  }
  return kExitUsage;
}

FlagSpec RecursiveFlag() {
  return {"recursive", 'R', false, "",
          "Read directories given with -f recursively."};
}

std::vector<FlagSpec> PodSelectionFlags() {
  return {
      {"filename", 'f', true, "FILE|DIR|-",
       "Objects to read (JSON or YAML; repeatable; - is standard input)."},
      RecursiveFlag(),
      {"namespace", 'n', true, "NS",
       "Namespace of the pod; also the namespace of objects that name none."},
      {"container", 'c', true, "NAME",
       "Container or init container (default: the first app container)."},
  };
}

FlagSpec MaxInputBytesFlag() {
  return {"max-input-bytes", 0, true, "N",
          "Refuse an input file larger than N bytes (default 67108864)."};
}

FlagSpec StrictKeysFlag() {
  return {"strict-keys", 0, false, "",
          "Refuse a map that repeats a key (default: warn and keep the last "
          "value, as kubectl does)."};
}

absl::Status ApplyInputLimits(const ParsedFlags& flags,
                              DecodeOptions* options) {
  options->strict_keys = flags.Has("strict-keys");
  if (!flags.Has("max-input-bytes")) return absl::OkStatus();
  const std::string value = flags.Value("max-input-bytes", "");
  uint64_t n = 0;
  if (!absl::SimpleAtoi(value, &n) || n == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-input-bytes must be a positive number of bytes, got \"", value,
        "\""));
  }
  options->max_input_bytes = static_cast<size_t>(n);
  return absl::OkStatus();
}

namespace {

// Points a user who hit the size cap at the flag that raises it.
absl::Status WithSizeHint(absl::Status status) {
  if (IsInputTooLarge(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat(status.message(), "; raise it with --max-input-bytes"));
  }
  return status;
}

bool IsEmpty(const Objects& objects) {
  return objects.pods.empty() && objects.services.empty() &&
         objects.config_maps.empty() && objects.secrets.empty() &&
         objects.nodes.empty();
}

// Whether `paths` hold any object at all, of any kind: decoding them again
// with a limit of zero objects fails at the first one. Only asked when
// nothing svcenv reads was found, which is cheap to decode twice.
bool HasAnyObject(const std::vector<std::string>& paths, bool recursive,
                  const DecodeOptions& options, const std::string& stdin_text) {
  DecodeOptions none = options;
  none.max_objects = 0;
  for (const std::string& path : paths) {
    Objects scratch;
    const absl::Status status =
        path == "-" ? DecodeText(stdin_text, "-", none, &scratch)
                    : DecodePaths({path}, recursive, none, &scratch);
    if (!status.ok()) return true;
  }
  return false;
}

}  // namespace

absl::Status NoObjectsError(const std::vector<std::string>& paths) {
  // A failed `helm template` piped in must not pass for a clean input.
  return absl::InvalidArgumentError(absl::StrCat(
      "no objects in the input (", absl::StrJoin(paths, ", "), ")"));
}

namespace {

// Undoes what a failed LoadInputs appended to `objects`, so that an error
// leaves it as it was without a scratch copy of everything read before
// (a second copy of a large dump at the memory peak).
class AppendRollback {
 public:
  explicit AppendRollback(Objects* objects)
      : objects_(objects),
        services_(objects->services.size()),
        pods_(objects->pods.size()),
        config_maps_(objects->config_maps.size()),
        secrets_(objects->secrets.size()),
        nodes_(objects->nodes.size()),
        duplicate_keys_(objects->duplicate_keys.size()),
        decode_warnings_(objects->decode_warnings.size()) {}
  AppendRollback(const AppendRollback&) = delete;
  AppendRollback& operator=(const AppendRollback&) = delete;
  ~AppendRollback() {
    if (objects_ == nullptr) return;
    Truncate(services_, &objects_->services);
    Truncate(pods_, &objects_->pods);
    Truncate(config_maps_, &objects_->config_maps);
    Truncate(secrets_, &objects_->secrets);
    Truncate(nodes_, &objects_->nodes);
    Truncate(duplicate_keys_, &objects_->duplicate_keys);
    Truncate(decode_warnings_, &objects_->decode_warnings);
  }

  // Keeps what was appended.
  void Commit() { objects_ = nullptr; }

  size_t duplicate_keys_before() const { return duplicate_keys_; }
  size_t decode_warnings_before() const { return decode_warnings_; }

 private:
  template <typename T>
  static void Truncate(size_t size, std::vector<T>* list) {
    list->erase(list->begin() + static_cast<std::ptrdiff_t>(size),
                list->end());
  }

  Objects* objects_;
  size_t services_, pods_, config_maps_, secrets_, nodes_, duplicate_keys_,
      decode_warnings_;
};

}  // namespace

absl::Status LoadInputs(const std::vector<std::string>& paths, bool recursive,
                        const DecodeOptions& options, Io& io,
                        Objects* objects, bool* any_object,
                        bool warn_duplicate_keys) {
  if (paths.empty()) {
    return absl::InvalidArgumentError(
        "no input: give -f FILE, -f DIR or -f - (standard input)");
  }
  // Decode straight into `objects` (numbering goes on from what it holds);
  // an error takes back what this call appended.
  AppendRollback rollback(objects);
  std::string stdin_text;
  for (const std::string& path : paths) {
    if (path == "-") {
      // Read at most one byte past the cap: enough to know it is exceeded.
      std::string text;
      char buf[1 << 16];
      while (text.size() <= options.max_input_bytes &&
             io.in.read(buf, sizeof(buf)).gcount() > 0) {
        text.append(buf, static_cast<size_t>(io.in.gcount()));
      }
      if (text.size() > options.max_input_bytes) {
        return absl::InvalidArgumentError(absl::StrCat(
            "-: input is more than the limit of ", options.max_input_bytes,
            " bytes; raise it with --max-input-bytes"));
      }
      SVCENV_RETURN_IF_ERROR(DecodeText(text, "-", options, objects));
      stdin_text = std::move(text);
    } else {
      SVCENV_RETURN_IF_ERROR(
          WithSizeHint(DecodePaths({path}, recursive, options, objects)));
    }
  }
  for (size_t i = rollback.decode_warnings_before();
       i < objects->decode_warnings.size(); ++i) {
    io.err << "svcenv: warning: " << objects->decode_warnings[i] << "\n";
  }
  for (size_t i = rollback.duplicate_keys_before();
       warn_duplicate_keys && i < objects->duplicate_keys.size(); ++i) {
    io.err << "svcenv: warning: "
           << DescribeDuplicateKey(objects->duplicate_keys[i])
           << " (--strict-keys refuses it)\n";
  }
  const bool found = !IsEmpty(*objects) ||
                     HasAnyObject(paths, recursive, options, stdin_text);
  if (any_object != nullptr) {
    *any_object = found;
  } else if (!found) {
    return NoObjectsError(paths);
  }
  rollback.Commit();
  return absl::OkStatus();
}

namespace {

struct Command {
  const char* name;
  absl::Status (*run)(const std::vector<std::string>& args, Io& io);
  const std::vector<FlagSpec>& (*flags)();
};

constexpr Command kCommands[] = {
    {"check", RunCheck, CheckFlags},
    {"completion", RunCompletion, CompletionFlags},
    {"diff", RunDiff, DiffFlags},
    {"env", RunEnv, EnvFlags},
    {"services", RunServices, ServicesFlags},
    {"why", RunWhy, WhyFlags},
};

const Command* FindCommand(absl::string_view name) {
  for (const Command& command : kCommands) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> CommandNames() {
  std::vector<std::string> names;
  for (const Command& command : kCommands) names.push_back(command.name);
  names.push_back("help");
  return names;
}

const std::vector<FlagSpec>* FlagsOfCommand(absl::string_view name) {
  const Command* command = FindCommand(name);
  return command == nullptr ? nullptr : &command->flags();
}

absl::Status RunCommand(absl::string_view name,
                        const std::vector<std::string>& args, Io& io) {
  const Command* command = FindCommand(name);
  if (command == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown command \"", name, "\""));
  }
  return command->run(args, io);
}

std::string ProgramName(const std::string& argv0) {
  const size_t slash = argv0.rfind('/');
  const std::string base =
      slash == std::string::npos ? argv0 : argv0.substr(slash + 1);
  // kubectl finds plugins as `kubectl-NAME` on PATH and runs them by that
  // file name.
  if (absl::StartsWith(base, "kubectl-svcenv")) return "kubectl svcenv";
  return "svcenv";
}

std::string ForProgram(const std::string& text, const Io& io) {
  if (io.program == "svcenv") return text;
  return absl::StrReplaceAll(text, {{"svcenv ", io.program + " "}});
}

int Run(const std::vector<std::string>& args, Io& io) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      (args[0] == "help" && args.size() == 1)) {
    (args.empty() ? io.err : io.out) << ForProgram(kUsage, io);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version" || args[0] == "version") {
    io.out << "svcenv " << kVersionString << "\n";
    return kExitOk;
  }
  // `svcenv help CMD` is `svcenv CMD --help`.
  const bool help = args[0] == "help";
  const std::string& command = help ? args[1] : args[0];
  const Command* found = FindCommand(command);
  if (found == nullptr) {
    io.err << io.program << ": unknown command \"" << command << "\""
           << DidYouMean(command, CommandNames()) << "; run `" << io.program
           << " --help` for the list\n";
    return kExitUsage;
  }
  std::vector<std::string> rest(args.begin() + (help ? 2 : 1), args.end());
  if (help) rest = {"--help"};
  const bool wants_help =
      std::find_if(rest.begin(), rest.end(), [](const std::string& a) {
        return a == "--help" || a == "-h";
      }) != rest.end();
  absl::Status status;
  if (wants_help && io.program != "svcenv") {
    // Every command's help is written for `svcenv`; say it as invoked.
    std::ostringstream help_text;
    Io help_io{io.in, help_text, io.err, io.program};
    status = found->run(rest, help_io);
    io.out << ForProgram(help_text.str(), io);
  } else {
    status = found->run(rest, io);
  }
  if (!status.ok()) {
    io.err << io.program << " " << command << ": " << status.message()
           << "\n";
  }
  return ExitCodeFor(status);
}

}  // namespace svcenv::cli
