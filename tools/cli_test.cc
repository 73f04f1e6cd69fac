#include "tools/cli.h"
#include "tools/cli_testing.h"
#include "tools/commands.h"
#include "tools/flags.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "lib/base/testing.h"
#include "svcenv/version.h"

namespace svcenv::cli {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kGuestbook[] = "testdata/examples/guestbook";

TEST(Cli, NoArgumentsIsUsageError) {
  Result r = RunCli({});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("Usage: svcenv COMMAND"));
}

TEST(Cli, HelpListsCommands) {
  Result r = RunCli({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, HasSubstr("services"));
}

TEST(Cli, UnknownCommand) {
  Result r = RunCli({"frobnicate"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("unknown command \"frobnicate\""));
}

TEST(Cli, VersionPrintsTheLibraryVersion) {
  for (const char* arg : {"--version", "version"}) {
    Result r = RunCli({arg});
    EXPECT_EQ(r.code, kExitOk) << arg;
    EXPECT_EQ(r.out, "svcenv " SVCENV_VERSION_STRING "\n") << arg;
    EXPECT_THAT(r.err, IsEmpty()) << arg;
  }
  // The string is the three numbers, so packaging can trust either.
  EXPECT_EQ(std::string(kVersionString), std::to_string(kVersionMajor) + "." +
                                             std::to_string(kVersionMinor) +
                                             "." +
                                             std::to_string(kVersionPatch));
}

TEST(Cli, HelpCommandIsTheCommandsHelp) {
  Result r = RunCli({"help", "env"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, StartsWith("Usage: svcenv env"));
  EXPECT_EQ(r.out, RunCli({"env", "--help"}).out);
  r = RunCli({"help", "evn"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("unknown command \"evn\" (did you mean "
                               "\"env\"?)"));
}

TEST(Cli, UnknownCommandSuggestsTheClosest) {
  Result r = RunCli({"servces", "-f", kGuestbook});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("did you mean \"services\"?"));
  EXPECT_THAT(RunCli({"chekc"}).err, HasSubstr("did you mean \"check\"?"));
}

TEST(Cli, UnknownFlagSuggestsTheClosest) {
  Result r = RunCli({"env", "-f", kGuestbook, "--all-container"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("unknown option --all-container (did you "
                               "mean --all-containers?)"));
}

TEST(Cli, CombinedShortFlags) {
  Result r = RunCli({"services", "-Rf", kGuestbook, "-n", "guestbook"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, RunCli({"services", "-R", "-f", kGuestbook, "-n",
                           "guestbook"}).out);
}

// Generated from the flag tables the parsers read: every flag of every
// command is offered, and nothing else can be.
TEST(Completion, OffersEveryFlagOfEveryCommandsTable) {
  Result r = RunCli({"completion", "bash"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  for (const std::string& name : CommandNames()) {
    const std::vector<FlagSpec>* flags = FlagsOfCommand(name);
    if (name == "help" || name == "completion") continue;
    ASSERT_NE(flags, nullptr) << name;
    const size_t at = r.out.find(absl::StrCat("    ", name, ")\n"));
    ASSERT_NE(at, std::string::npos) << name;
    const size_t opts = r.out.find("opts=\"", at) + 6;
    const std::vector<std::string> offered = absl::StrSplit(
        r.out.substr(opts, r.out.find('"', opts) - opts), ' ');
    for (const FlagSpec& flag : *flags) {
      EXPECT_THAT(offered, Contains(absl::StrCat("--", flag.name)))
          << name << " --" << flag.name;
    }
  }
}

// The script must complete commands, flags and -o values in a real bash.
TEST(Completion, BashCompletesCommandsFlagsAndValues) {
  Result r = RunCli({"completion", "bash"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string script = std::string(tmp != nullptr ? tmp : "/tmp") +
                             "/svcenv_completion_" +
                             std::to_string(::getpid()) + ".bash";
  {
    std::ofstream out(script);
    out << r.out << R"(
complete_words() {
  COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _svcenv
  echo "${COMPREPLY[*]}"
}
complete_words svcenv e
complete_words svcenv env --all
complete_words svcenv env -o j
complete_words svcenv check --fail
complete_words svcenv help se
complete_words svcenv completion z
)";
  }
  FILE* pipe = ::popen(("bash " + script).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string shell_out;
  char buffer[256];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) {
    shell_out.append(buffer, n);
  }
  EXPECT_EQ(::pclose(pipe), 0);
  std::remove(script.c_str());
  EXPECT_EQ(shell_out,
            "env\n--all-containers\njson\n--fail-on\nservices\nzsh\n");
  r = RunCli({"completion", "zsh"});
  EXPECT_THAT(r.out, HasSubstr("bashcompinit"));
  EXPECT_EQ(RunCli({"completion", "fish"}).code, kExitUsage);
}

TEST(Cli, EmptyInputIsExit2NoObjects) {
  for (const char* command : {"env", "services", "check"}) {
    Result r = RunCli({command, "-f", "-"}, "");
    EXPECT_EQ(r.code, kExitUsage) << command;
    EXPECT_THAT(r.out, IsEmpty());
    EXPECT_THAT(r.err, HasSubstr("no objects in the input (-)")) << command;
  }
  // Objects of kinds svcenv skips are still objects: not an empty input.
  Result r = RunCli({"services", "-f", "-"},
                    "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
  EXPECT_EQ(r.code, kExitOk) << r.err;
}

TEST(Services, NamespaceWithoutObjectsWarnsAndListsThem) {
  Result r = RunCli({"services", "-f", kGuestbook, "-n", "guestbok"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: the input has no objects in "
                               "namespace \"guestbok\" (did you mean "
                               "\"guestbook\"?); its namespaces: default, "
                               "guestbook"));
  r = RunCli({"services", "-f", kGuestbook, "-n", "guestbook"});
  EXPECT_THAT(r.err, Not(HasSubstr("no objects in namespace")));
}

TEST(Services, YamlIsTheJsonDocument) {
  Result r = RunCli({"services", "-f", kGuestbook, "-n", "guestbook", "-o",
                     "yaml"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, StartsWith("namespace: guestbook\nenableServiceLinks: "
                                "true\nvariables:\n- name: FRONTEND_PORT\n"
                                "  value: \"tcp://10.96.40.2:80\"\n"));
}

TEST(Env, PendingClusterIpsAreOneWarning) {
  std::string input = "kind: Pod\nmetadata: {name: p, namespace: s}\n"
                      "spec: {containers: [{name: a}]}\n";
  for (int i = 0; i < 20; ++i) {
    input += "---\nkind: Service\nmetadata: {name: svc" + std::to_string(i) +
             ", namespace: s}\nspec: {ports: [{port: 80}]}\n";
  }
  Result r = RunCli({"env", "-f", "-"}, input);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: 20 Services s/svc0, s/svc1, "));
  EXPECT_THAT(r.err, HasSubstr("s/svc9 have no clusterIP yet"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;
}

TEST(Env, UnknownEnvFieldsWarnWithTheFieldMeant) {
  Result r = RunCli({"env", "-f", "-"}, R"(
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: x
    ports: [{containerPort: 80}]
    envfrom: [{configMapRef: {name: cm}}]
    env:
    - name: A
      valuefrom: {fieldRef: {fieldPath: metadata.name}}
    - name: B
      valueFrom: {configMapKeyref: {name: cm, key: k}}
    - name: C
      valueFrom: {secretKeyRef: {name: s, key: k, optinal: true}}
---
kind: Secret
metadata: {name: s}
stringData: {k: v}
)");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "A=\nB=\nC=<secret default/s key k>\n");
  EXPECT_THAT(r.err, HasSubstr("container c: envfrom is not a field (did you "
                               "mean envFrom?) at line 6: kubectl "
                               "--validate=strict refuses the object"));
  EXPECT_THAT(r.err, HasSubstr("container c: env[0].valuefrom is not a field "
                               "(did you mean valueFrom?)"));
  EXPECT_THAT(r.err, HasSubstr("env[1].valueFrom.configMapKeyref is not a "
                               "field (did you mean configMapKeyRef?)"));
  EXPECT_THAT(r.err, HasSubstr("env[2].valueFrom.secretKeyRef.optinal is not "
                               "a field (did you mean optional?)"));
  EXPECT_THAT(r.err, Not(HasSubstr("ports")));
}

TEST(Env, NulSeparatedNeedsOneContainerAndEnvFormat) {
  EXPECT_EQ(RunCli({"env", "-f", kGuestbook, "-n", "guestbook", "-0", "-o",
                    "json"}).code,
            kExitUsage);
  Result r = RunCli({"env", "-f", "-", "-0", "--all-containers"}, R"(
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a}, {name: b}]
)");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("-0 prints one container's environment"));
}

TEST(Env, IdenticalWarningsPrintOnce) {
  // The missing default/kubernetes warning concerns the pod, not each of
  // its containers.
  Result r = RunCli({"env", "-f", "-", "--all-containers"}, R"(
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a}, {name: b}, {name: c}]
)");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(Services, HelpExplainsEveryFlag) {
  Result r = RunCli({"services", "--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (const char* flag : {"--filename", "--recursive", "--namespace",
                           "--no-service-links", "--output", "--help"}) {
    EXPECT_THAT(r.out, HasSubstr(flag));
  }
}

TEST(Services, GuestbookNamespaceSortedWithKubernetes) {
  Result r = RunCli({"services", "-f", kGuestbook, "-n", "guestbook"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  EXPECT_THAT(r.out, StartsWith("FRONTEND_PORT=tcp://10.96.40.2:80\n"));
  EXPECT_THAT(r.out, HasSubstr("\nKUBERNETES_SERVICE_PORT_HTTPS=443\n"));
  EXPECT_THAT(r.out, HasSubstr("\nREDIS_PORT=tcp://10.96.12.7:6379\n"));
  EXPECT_THAT(r.out, HasSubstr("\nSTATSD_PORT=udp://10.96.33.9:8125\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("REDIS_HEADLESS")));
  // frontend: 2 named ports (3 + 5*2), kubernetes 8, redis 7, statsd 13.
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 13 + 8 + 7 + 13);
}

TEST(Services, LinksOffLeavesOnlyKubernetes) {
  Result r = RunCli({"services", "-f", kGuestbook, "-n", "guestbook",
                     "--no-service-links"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 8);
  EXPECT_THAT(r.out, StartsWith("KUBERNETES_PORT=tcp://10.96.0.1:443\n"));
}

TEST(Services, JsonCarriesProvenance) {
  Result r = RunCli({"services", "-f", kGuestbook, "-n", "guestbook", "-o",
                     "json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr(R"("name": "STATSD_PORT_8125_UDP_PROTO",
      "value": "udp",
      "source": {
        "kind": "Service",
        "namespace": "guestbook",
        "name": "statsd",
        "port": {
          "name": "udp",
          "port": 8125,
          "protocol": "UDP")"));
}

TEST(Services, ClashesGoToStderr) {
  const std::string input = R"(
apiVersion: v1
kind: Service
metadata: {name: redis, namespace: shop}
spec: {clusterIP: 10.0.0.8, ports: [{port: 6379}]}
---
apiVersion: v1
kind: Service
metadata: {name: redis-service, namespace: shop}
spec: {clusterIP: 10.0.0.9, ports: [{port: 80}]}
)";
  Result r = RunCli({"services", "-f", "-", "-n", "shop"}, input);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\nREDIS_SERVICE_PORT=tcp://10.0.0.9:80\n"));
  EXPECT_THAT(r.err, HasSubstr("REDIS_SERVICE_PORT is produced by several "
                               "Services: Service shop/redis port 6379/TCP "
                               "sets \"6379\"; Service shop/redis-service"));
}

TEST(Services, BadInputIsExit2WithNothingOnStdout) {
  Result r = RunCli({"services", "-f", "-"},
                    "kind: Service\nmetadata: {name: x}\nspec:\n  ports:\n"
                    "  - port: 70000\n");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("spec.ports[0].port"));

  r = RunCli({"services", "-f", "testdata/no/such/file.yaml"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("testdata/no/such/file.yaml"));
}

TEST(Services, UsageErrors) {
  EXPECT_EQ(RunCli({"services"}).code, kExitUsage);  // No -f.
  Result r = RunCli({"services", "-f", kGuestbook, "-o", "jsno"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("-o must be env, json or yaml, got \"jsno\" "
                               "(did you mean \"json\"?)"));
  EXPECT_EQ(RunCli({"services", "-f", kGuestbook, "--bogus"}).code,
            kExitUsage);
  EXPECT_EQ(RunCli({"services", "stray", "-f", kGuestbook}).code, kExitUsage);
}


TEST(Env, HelpExplainsEveryFlag) {
  Result r = RunCli({"env", "--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (const char* flag :
       {"--filename", "--recursive", "--namespace", "--container",
        "--all-containers", "--output", "--explain", "--show-secrets",
        "--kubelet-version", "--as-running", "--help"}) {
    EXPECT_THAT(r.out, HasSubstr(flag));
  }
}

TEST(Env, ReadsStandardInput) {
  Result r = RunCli({"env", "-f", "-"}, R"(
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  containers:
  - name: c
    env: [{name: A, value: "1"}, {name: B, value: "$(A)-x"}]
)");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "A=1\nB=1-x\n");
}

TEST(Env, UsageErrorsPrintNothingOnStdout) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"env"},
           {"env", "-f", kGuestbook, "-o", "export", "--explain"},
           {"env", "-f", kGuestbook, "-c", "x", "--all-containers"},
           {"env", "a", "b", "-f", kGuestbook},
           {"env", "widget/frontend", "-f", kGuestbook},
       }) {
    Result r = RunCli(args);
    EXPECT_EQ(r.code, kExitUsage) << args.back();
    EXPECT_THAT(r.out, IsEmpty());
    EXPECT_THAT(r.err, StartsWith("svcenv env: "));
  }
}

// `-o export` output must survive `eval` in a POSIX shell for awkward values.
TEST(Env, ExportIsSafeToEval) {
  Result r = RunCli({"env", "-f", "-", "-o", "export"}, R"(
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    env:
    - {name: QUOTES, value: "it's \"$HOME\" `id` $(X) \\ ; exit 3"}
    - {name: LINES, value: "a\nb"}
)");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string script = std::string(tmp != nullptr ? tmp : "/tmp") +
                             "/svcenv_export_test_" +
                             std::to_string(::getpid()) + ".sh";
  {
    std::ofstream(script) << r.out
                          << "printf '%s|%s' \"$QUOTES\" \"$LINES\"\n";
  }
  FILE* pipe = ::popen(("/bin/sh " + script).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string shell_out;
  char buffer[256];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) {
    shell_out.append(buffer, n);
  }
  EXPECT_EQ(::pclose(pipe), 0);
  std::remove(script.c_str());
  EXPECT_EQ(shell_out, "it's \"$HOME\" `id` $(X) \\ ; exit 3|a\nb");
}

}  // namespace
// A repeated key keeps its last value, as kubectl does, with one warning
// naming the file, the key and both lines; --strict-keys refuses it (exit 2)
// on every command that reads inputs.
TEST(Cli, DuplicateKeysWarnOrStrictKeysRefuse) {
  const std::string manifest = R"(apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  containers:
  - name: c
    env: [{name: A, value: "1"}]
    env: [{name: A, value: "2"}]
)";
  Result r = RunCli({"env", "-f", "-"}, manifest);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "A=2\n");
  const std::string warning =
      "svcenv: warning: -: line 8: key \"env\" repeated in "
      "spec.containers[0] (first on line 7); the last value is used, as "
      "kubectl does (--strict-keys refuses it)\n";
  EXPECT_THAT(r.err, StartsWith(warning));
  EXPECT_EQ(r.err.find(warning, 1), std::string::npos) << "warned twice";
  const std::vector<std::vector<std::string>> commands = {
      {"env", "-f", "-", "--strict-keys"},
      {"services", "-f", "-", "--strict-keys"},
      {"check", "-f", "-", "--strict-keys"},
  };
  for (const auto& args : commands) {
    Result strict = RunCli(args, manifest);
    EXPECT_EQ(strict.code, kExitUsage) << args[0] << ": " << strict.err;
    EXPECT_THAT(strict.err, HasSubstr("-: document 1 (line 8): duplicate key "
                                      "\"env\" (first on line 7)"))
        << args[0];
    EXPECT_EQ(strict.out, "") << args[0];
  }
}

}  // namespace svcenv::cli
