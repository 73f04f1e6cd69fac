#include "lib/env/internal/kubelet_case.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "svcenv/decode.h"

namespace svcenv::testing_internal {
namespace {

using nlohmann::json;

json WithKind(json object, const char* kind) {
  if (!object.contains("kind")) object["kind"] = kind;
  if (!object.contains("apiVersion")) object["apiVersion"] = "v1";
  return object;
}

}  // namespace

absl::StatusOr<KubeletCase> DecodeKubeletCase(const json& in,
                                              absl::string_view file) {
  if (!in.is_object() || !in.contains("pod") || !in["pod"].is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": the case has no pod"));
  }
  const json& pod = in["pod"];
  const json metadata = pod.value("metadata", json::object());
  const auto ns = metadata.find("namespace");
  json list = {
      {"apiVersion", "v1"}, {"kind", "List"}, {"items", json::array()}};
  list["items"].push_back(WithKind(pod, "Pod"));
  KubeletCase out;
  out.has_service_lister = in.contains("services") && !in["services"].is_null();
  if (out.has_service_lister) {
    for (const json& s : in["services"])
      list["items"].push_back(WithKind(s, "Service"));
  }
  for (const char* key : {"configMaps", "secrets"}) {
    if (!in.contains(key) || in[key].is_null()) continue;
    for (const json& o : in[key]) {
      list["items"].push_back(
          WithKind(o, std::string(key) == "secrets" ? "Secret" : "ConfigMap"));
    }
  }
  DecodeOptions options;
  options.default_namespace =
      ns != metadata.end() && ns->is_string() ? ns->get<std::string>()
                                              : "default";
  if (absl::Status s = DecodeText(list.dump(), file, options, &out.objects);
      !s.ok()) {
    return s;
  }
  if (out.objects.pods.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": expected one pod"));
  }
  return out;
}

}  // namespace svcenv::testing_internal
