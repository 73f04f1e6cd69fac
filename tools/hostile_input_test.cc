// Hostile input, one row per class: every row must make svcenv exit 2 with
// a message that says what is wrong and where, and print nothing on stdout.
// Inputs are written to the test's temporary directory so that each row
// shows its input next to its expectation; the few that are files
// (testdata/hostile/) are ones a text editor would mangle.
#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/base/testing.h"
#include "tools/cli.h"

namespace svcenv::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Row {
  std::string name;                     // Also the input file's name.
  std::string command;                  // env, services or check.
  std::string content;                  // The input file's bytes.
  std::vector<std::string> extra_args;  // After `-f FILE`.
  std::vector<std::string> messages;    // Substrings of stderr.
  int exit_code = kExitUsage;
  std::string stdin_text = {};  // Read by `-f -` rows.
};

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, s);
  return out;
}

// An alias bomb: ten aliases to the previous level, `levels` deep.
std::string AliasBomb(int levels, absl::string_view last) {
  std::string out = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= levels; ++level) {
    absl::StrAppend(&out, "a", level, ": &a", level, " [");
    for (int i = 0; i < 10; ++i) {
      absl::StrAppend(&out, i ? ", " : "", "*a", level - 1);
    }
    out += "]\n";
  }
  return absl::StrCat(out, last);
}

constexpr char kSvc[] =
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n";
constexpr char kPod[] =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n";

std::vector<Row> Rows() {
  const std::string svc_ports =
      absl::StrCat(kSvc, "spec:\n  clusterIP: 10.0.0.1\n  ports:\n");
  const std::string container =
      absl::StrCat(kPod, "  containers:\n  - name: c\n    image: i\n");
  return {
      // --- Syntax.
      {"truncated.json",
       "services",
       R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a")",
       {},
       {"truncated.json: line 1, column 65: JSON syntax error while parsing "
        "object - unexpected end of input"}},
      {"truncated.yaml",
       "services",
       absl::StrCat(kSvc, "spec:\n  x: \"open"),
       {},
       // kubectl's line reader ends the last line with a line break, so
       // go-yaml (and svcenv) report the end of the stream on line 7.
       {"truncated.yaml: line 7", "YAML syntax error"}},
      {"tabs.yaml",
       "services",
       "kind: Service\nmetadata:\n\t name: a\n",
       {},
       {"tabs.yaml: line 3", "YAML syntax error"}},
      // --- Shape.
      {"array-top.json",
       "services",
       "[1, 2]",
       {},
       {"array-top.json: document 1:", "must be an object, got an array"}},
      {"scalar-top.yaml",
       "services",
       "just words\n",
       {},
       {"scalar-top.yaml: document 1 (line 1):",
        "must be an object, got \"just words\""}},
      {"no-kind.yaml",
       "services",
       "apiVersion: v1\nmetadata: {name: a}\n",
       {},
       {"no-kind.yaml: document 1 (line 1): kind: required"}},
      {"kind-list.yaml",
       "services",
       "kind: [Service]\n",
       {},
       {"kind-list.yaml: document 1 (line 1): kind: must be a string"}},
      {"metadata-list.yaml",
       "services",
       "kind: Service\nmetadata: [a]\n",
       {},
       {"metadata-list.yaml: document 1 (line 2): Service: metadata: must be "
        "an object"}},
      {"no-name.yaml",
       "services",
       "apiVersion: v1\nkind: Service\nmetadata: {namespace: x}\n",
       {},
       {"no-name.yaml: document 1", "metadata.name: required"}},
      {"list-scalar-items.yaml",
       "services",
       "kind: List\nitems: [1]\n",
       {},
       {"list-scalar-items.yaml: document 1, item 1 (line 2):",
        "must be an object, got 1"}},
      {"list-items-map.json",
       "services",
       R"({"kind": "List", "items": {"a": 1}})",
       {},
       {"list-items-map.json: document 1: List: items: must be an array"}},
      {"list-in-list.yaml",
       "services",
       "kind: List\nitems:\n- kind: List\n  items: []\n",
       {},
       {"list-in-list.yaml: document 1, item 1 (line 3):",
        "a List inside a List is not supported"}},
      // --- Fields of the wrong type or range.
      {"port-range.yaml",
       "services",
       absl::StrCat(svc_ports, "  - port: 70000\n"),
       {},
       {"port-range.yaml: document 1 (line 8): Service default/web: "
        "spec.ports[0].port: must be an integer in 1..65535, got 70000"}},
      {"port-string.yaml",
       "services",
       absl::StrCat(svc_ports, "  - port: \"80\"\n"),
       {},
       {"spec.ports[0].port: must be an integer", "\"80\""}},
      {"port-float.yaml",
       "services",
       absl::StrCat(svc_ports, "  - port: 80.5\n"),
       {},
       {"spec.ports[0].port: must be an integer", "80.5"}},
      {"port-negative.yaml",
       "services",
       absl::StrCat(svc_ports, "  - port: -1\n"),
       {},
       {"spec.ports[0].port: must be an integer in 1..65535, got -1"}},
      {"huge-int.yaml",
       "services",
       absl::StrCat(svc_ports, "  - port: 99999999999999999999999\n"),
       {},
       {"huge-int.yaml: document 1 (line 8)", "spec.ports[0].port"}},
      {"huge-number.json",
       "services",
       R"({"kind": "Service", "metadata": {"name": "a"}, "spec": {"ports": [{"port": 1e400}]}})",
       {},
       {"huge-number.json:", "1e400"}},
      {"nan.yaml",
       "services",
       absl::StrCat(svc_ports, "  - port: .nan\n"),
       {},
       {"nan.yaml: document 1 (line 8): unsupported value .nan"}},
      {"infinity.yaml",
       "services",
       absl::StrCat(svc_ports, "  - port: -.inf\n"),
       {},
       {"infinity.yaml: document 1 (line 8): unsupported value -.inf"}},
      {"bad-tag.yaml",
       "services",
       absl::StrCat(svc_ports, "  - port: !!int x\n"),
       {},
       {"bad-tag.yaml: document 1 (line 8): cannot decode `x`"}},
      {"bad-base64.yaml",
       "services",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  k: "
       "\"no!\"\n",
       {},
       {"bad-base64.yaml: document 1 (line 5): Secret default/s: data[k]: "
        "malformed base64"}},
      {"bad-timestamp.yaml",
       "services",
       "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n"
       "  creationTimestamp: yesterday\n",
       {},
       {"bad-timestamp.yaml: document 1 (line 5): Service default/a: "
        "metadata.creationTimestamp:"}},
      {"env-value-int.yaml",
       "env",
       absl::StrCat(container, "    env:\n    - name: A\n      value: 5\n"),
       {},
       {"env-value-int.yaml: document 1 (line 11): Pod default/app: "
        "spec.containers[0].env[0].value: must be a string, got 5"}},
      {"envfrom-map.yaml",
       "env",
       absl::StrCat(container, "    envFrom: {configMapRef: {name: x}}\n"),
       {},
       {"envfrom-map.yaml: document 1 (line 9): Pod default/app: "
        "spec.containers[0].envFrom: must be an array"}},
      {"containers-map.yaml",
       "env",
       absl::StrCat(kPod, "  containers: {name: c}\n"),
       {},
       {"containers-map.yaml: document 1 (line 6): Pod default/app: "
        "spec.containers: must be an array"}},
      {"env-no-name.yaml",
       "env",
       absl::StrCat(container, "    env:\n    - value: x\n"),
       {},
       {"env-no-name.yaml: document 1 (line 10): Pod default/app: "
        "spec.containers[0].env[0].name: required"}},
      // --- Limits.
      {"deep.json",
       "services",
       absl::StrCat(Repeat("[", 200), Repeat("]", 200)),
       {},
       {"deep.json: document 1: nesting deeper than 100 levels"}},
      {"deep.yaml",
       "services",
       absl::StrCat("kind: Service\nx: ", Repeat("[", 200), Repeat("]", 200)),
       {},
       {"deep.yaml: ", "nesting deeper than 100 levels"}},
      {"alias-bomb.yaml",
       "services",
       AliasBomb(5, "kind: Service\n"),
       {},
       {"alias-bomb.yaml: document 1 (line 4): excessive aliasing: 4983 of "
        "5025 YAML nodes come from aliases"}},
      {"alias-bomb-huge.yaml",
       "services",
       AliasBomb(9, "kind: Service\n"),
       {},
       {"alias-bomb-huge.yaml: document 1 (line 4): excessive aliasing"}},
      // Each single-quoted `'C:\'` beside go-yaml's `\'` in double quotes
      // costs one more scan of the document (lib/decode/internal/yaml_escapes.h).
      {"quote-escapes.yaml",
       "services",
       absl::StrCat("kind: ConfigMap\nmetadata: {name: c}\ndata:\n",
                    Repeat("  - 'C:\\'\n  - \"it\\'s\"\n", 20000)),
       {},
       {"quote-escapes.yaml: line 1: too many single-quoted scalars ending "
        "in a backslash"}},
      {"self-alias.yaml",
       "services",
       "kind: Service\na: &a [*a]\n",
       {},
       {"self-alias.yaml: document 1 (line 2): anchor 'a' value contains "
        "itself"}},
      {"undefined-alias.yaml",
       "services",
       "kind: Service\na: *nowhere\n",
       {},
       {"undefined-alias.yaml: document 1 (line 2): unknown anchor 'nowhere' "
        "referenced"}},
      {"many-documents.yaml",
       "services",
       Repeat("#\n---\n", 1'000'001),
       {},
       {"many-documents.yaml: line 2000001, column 1: more than 1000000 "
        "documents"}},
      {"oversized.yaml",
       "services",
       absl::StrCat(kSvc, Repeat("#\n", 100)),
       {"--max-input-bytes=100"},
       {"oversized.yaml: input is more than the limit of 100 bytes; raise it "
        "with --max-input-bytes"}},
      {"stdin-oversized",
       "services",
       "",
       {"--max-input-bytes", "10"},
       {"-: input is more than the limit of 10 bytes; raise it with "
        "--max-input-bytes"},
       kExitUsage,
       absl::StrCat(kSvc, Repeat("#\n", 100))},
      {"bad-cap.yaml",
       "check",
       kSvc,
       {"--max-input-bytes=-5"},
       {"--max-input-bytes must be a positive number of bytes, got \"-5\""}},
      // --- Encoding.
      {"utf8-key.yaml",
       "services",
       absl::StrCat(kSvc, "  lab\xC3\x28: x\n"),
       {},
       // kubectl's file reader replaces invalid UTF-8; so does svcenv.
       {"utf8-key.yaml: line 5, column 6: invalid UTF-8 (byte 0xC3) read as "
        "U+FFFD"},
       0},
      {"utf8-value.json",
       "services",
       "{\"kind\": \"Service\", \"metadata\": {\"name\": \"w\xFF\"}}",
       {},
       {"utf8-value.json: line 1, column 44: invalid UTF-8 (byte 0xFF) read "
        "as U+FFFD"},
       0},
      {"overlong.yaml",
       "services",
       absl::StrCat(kSvc, "x: \"\xC0\xAF\"\n"),
       {},
       {"overlong.yaml: line 5, column 5: invalid UTF-8 (byte 0xC0; 2 bytes in "
        "all) read as U+FFFD"},
       0},
      {"nul.yaml",
       "services",
       std::string("kind: Service\nx: a\0b\n", 20),
       {},
       {"nul.yaml: line 2, column 5: NUL byte"}},
      {"control.json",
       "services",
       "{\"kind\": \"Serv\x1bice\"}",
       {},
       {"control.json: line 1, column 15: control character 0x1B"}},
      {"bom-then-truncated.json",
       "services",
       "\xEF\xBB\xBF{\"kind\": ",
       {},
       {"bom-then-truncated.json: line 1, column 10: JSON syntax error"}},
      // --- Nothing to work on.
      {"empty.yaml", "env", "", {}, {"no objects in the input"}},
      {"comments.yaml", "env", "# only\n# comments\n---\n", {}, {"no Pod"}},
  };
}

void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

class HostileInput : public ::testing::TestWithParam<Row> {};

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

TEST_P(HostileInput, ExitsTwoWithAMessageAndNoOutput) {
  const Row& row = GetParam();
  std::vector<std::string> args = {row.command, "-f"};
  if (row.stdin_text.empty()) {
    const std::string path = absl::StrCat(TempDir(), "/", row.name);
    std::ofstream(path, std::ios::binary) << row.content;
    args.push_back(path);
  } else {
    args.push_back("-");
  }
  args.insert(args.end(), row.extra_args.begin(), row.extra_args.end());
  std::istringstream in(row.stdin_text);
  std::ostringstream out, err;
  Io io{in, out, err};
  EXPECT_EQ(cli::Run(args, io), row.exit_code) << err.str();
  EXPECT_THAT(out.str(), IsEmpty());
  for (const std::string& m : row.messages) {
    EXPECT_THAT(err.str(), HasSubstr(m));
  }
}

std::string RowName(const ::testing::TestParamInfo<Row>& info) {
  std::string name;
  for (char c : info.param.name) {
    name += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Table, HostileInput, ::testing::ValuesIn(Rows()),
                         RowName);

// Paths, not contents: what the table cannot write as a file.
TEST(HostileInputPaths, DirectoryWithoutManifests) {
  const std::string dir = TempDir() + "/no-manifests";
  ::mkdir(dir.c_str(), 0755);
  std::ofstream(dir + "/README.txt") << "kind: Pod\n";
  std::istringstream in;
  std::ostringstream out, err;
  Io io{in, out, err};
  EXPECT_EQ(cli::Run({"env", "-f", dir}, io), kExitUsage);
  EXPECT_THAT(out.str(), IsEmpty());
  EXPECT_THAT(err.str(), HasSubstr("no objects in the input"));
}

TEST(HostileInputPaths, MissingFile) {
  std::istringstream in;
  std::ostringstream out, err;
  Io io{in, out, err};
  const std::string path = TempDir() + "/does-not-exist.yaml";
  EXPECT_EQ(cli::Run({"services", "-f", path}, io), kExitUsage);
  EXPECT_THAT(out.str(), IsEmpty());
  EXPECT_THAT(err.str(),
              HasSubstr(absl::StrCat(path, ": No such file or directory")));
}

TEST(HostileInputPaths, FileIsADirectoryEntryOfAFile) {
  // A path through a regular file: ENOTDIR, reported like a missing file.
  const std::string file = TempDir() + "/plain.yaml";
  std::ofstream(file) << "kind: Service\n";
  std::istringstream in;
  std::ostringstream out, err;
  Io io{in, out, err};
  EXPECT_EQ(cli::Run({"check", "-f", file + "/x.yaml"}, io), kExitUsage);
  EXPECT_THAT(out.str(), IsEmpty());
  EXPECT_THAT(err.str(), HasSubstr(file + "/x.yaml: Not a directory"));
}

}  // namespace
}  // namespace svcenv::cli
