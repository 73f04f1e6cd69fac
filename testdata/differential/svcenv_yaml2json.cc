// svcenv's side of the kubectl differential test (run.sh in this directory):
// for each file, "== FILE" and then one line per non-empty YAML document with
// the JSON the decoder turns it into, or "ERROR: message" where decoding
// stops. The same steps as DecodeText() (lib/decode/decode.cc) up to the schema:
// UTF-16 and byte-order marks, the text checks, then the YAML-to-JSON layer
// (lib/decode/internal/yaml_json.h) with repeated keys keeping their last value.
// A file kubectl would read as a JSON stream (first non-blank byte `{`)
// prints "SKIP json" (kubectl_yaml2json.go does the same).
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "lib/decode/internal/input.h"
#include "lib/decode/internal/tree.h"
#include "lib/decode/internal/yaml_json.h"
#include "nlohmann/json.hpp"
#include "svcenv/objects.h"

namespace svcenv::decode_internal {
namespace {

// Prints each document as it ends; a top-level `items` stays in the tree.
class Printer : public YamlDocumentHandler {
 public:
  ItemSink* BeginDocument(int) override { return nullptr; }
  absl::Status EndDocument(const nlohmann::json& doc, int, int,
                           const LineTable&, int, absl::string_view) override {
    if (doc.is_null()) return absl::OkStatus();  // kubectl skips it too.
    std::printf("%s\n",
                doc.dump(-1, ' ', false,
                         nlohmann::json::error_handler_t::replace)
                    .c_str());
    return absl::OkStatus();
  }
};

bool KubectlReadsJson(absl::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
        c == '\f') {
      continue;
    }
    return c == '{';
  }
  return false;
}

absl::Status Convert(const std::string& path) {
  std::string bytes;
  absl::Status s = ReadFile(path, size_t{64} << 20, &bytes);
  if (!s.ok()) return s;
  std::string storage;
  absl::string_view text = ConvertToUtf8(bytes, &storage);
  if (KubectlReadsJson(text)) {
    std::printf("SKIP json\n");
    return absl::OkStatus();
  }
  std::vector<std::string> warnings;
  s = CheckText(&text, path, &storage, &warnings,
                /*refuse_control_characters=*/false);
  if (!s.ok()) return s;
  std::vector<DuplicateKey> duplicates;
  YamlLimits limits;
  limits.duplicates = &duplicates;
  Printer printer;
  return ParseYamlStream(text, path, limits, &printer);
}

}  // namespace
}  // namespace svcenv::decode_internal

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::printf("== %s\n", argv[i]);
    absl::Status s = svcenv::decode_internal::Convert(argv[i]);
    if (!s.ok()) std::printf("ERROR: %s\n", std::string(s.message()).c_str());
  }
  return 0;
}
