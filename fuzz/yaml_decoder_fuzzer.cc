// fuzz/yaml_decoder_fuzzer.cc
//
// Fuzzes the YAML decoder (DecodeText on text that does not look like JSON;
// JSON-looking inputs belong to json_decoder_fuzzer and are rejected).
// Traps (abort) when an error leaves objects behind or has no message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != absl::string_view::npos &&
      (text[first] == '{' || text[first] == '[')) {
    return -1;  // JSON to the decoder: keep it out of the corpus.
  }
  svcenv::Objects objects;
  const absl::Status status =
      svcenv::DecodeText(text, "fuzz.yaml", {}, &objects);
  if (!status.ok()) {
    if (status.message().empty()) std::abort();
    if (!objects.services.empty() || !objects.pods.empty() ||
        !objects.config_maps.empty() || !objects.secrets.empty() ||
        !objects.nodes.empty()) {
      std::abort();  // Errors never leave partial output.
    }
  }
  return 0;
}
