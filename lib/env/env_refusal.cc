#include "svcenv/env_refusal.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace svcenv {
namespace {

constexpr absl::string_view kPayloadUrl = "type.svcenv.dev/svcenv.Refusal";
constexpr int kReasonCount = 7;

// The string fields in payload order.
std::vector<std::string*> Fields(Refusal& r) {
  return {&r.object_kind, &r.object_namespace, &r.object_name, &r.key,
          &r.container,   &r.field,            &r.variable,    &r.kubelet_message,
          &r.message};
}

// Length-prefixed: `<reason>;<len>:<bytes><len>:<bytes>...`.
std::string Encode(const Refusal& refusal) {
  Refusal copy = refusal;
  std::string out = absl::StrCat(static_cast<int>(refusal.reason), ";");
  for (const std::string* field : Fields(copy)) {
    absl::StrAppend(&out, field->size(), ":", *field);
  }
  return out;
}

std::optional<Refusal> Decode(absl::string_view text) {
  Refusal r;
  const size_t semi = text.find(';');
  int reason = 0;
  if (semi == absl::string_view::npos ||
      !absl::SimpleAtoi(text.substr(0, semi), &reason) || reason < 0 ||
      reason >= kReasonCount) {
    return std::nullopt;
  }
  r.reason = static_cast<RefusalReason>(reason);
  text.remove_prefix(semi + 1);
  for (std::string* field : Fields(r)) {
    const size_t colon = text.find(':');
    size_t size = 0;
    if (colon == absl::string_view::npos ||
        !absl::SimpleAtoi(text.substr(0, colon), &size) ||
        size > text.size() - colon - 1) {
      return std::nullopt;
    }
    *field = std::string(text.substr(colon + 1, size));
    text.remove_prefix(colon + 1 + size);
  }
  if (!text.empty()) return std::nullopt;
  return r;
}

}  // namespace

absl::string_view RefusalReasonName(RefusalReason reason) {
  switch (reason) {
    case RefusalReason::kObjectNotFound:
      return "ObjectNotFound";
    case RefusalReason::kKeyNotFound:
      return "KeyNotFound";
    case RefusalReason::kBadFieldPath:
      return "BadFieldPath";
    case RefusalReason::kBadResourceField:
      return "BadResourceField";
    case RefusalReason::kBadQuantity:
      return "BadQuantity";
    case RefusalReason::kNilEnableServiceLinks:
      return "NilEnableServiceLinks";
    case RefusalReason::kServicesNotSynced:
      return "ServicesNotSynced";
  }
  return "";
}

absl::Status RefusalStatus(const Refusal& refusal) {
  absl::Status status = absl::FailedPreconditionError(refusal.message);
  status.SetPayload(kPayloadUrl, absl::Cord(Encode(refusal)));
  return status;
}

bool IsObjectKeptElsewhere(const Refusal& refusal, bool secrets_elsewhere,
                           bool config_maps_elsewhere) {
  if (refusal.reason != RefusalReason::kObjectNotFound) return false;
  return (secrets_elsewhere && refusal.object_kind == "Secret") ||
         (config_maps_elsewhere && refusal.object_kind == "ConfigMap");
}

std::optional<Refusal> RefusalFromStatus(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kFailedPrecondition) {
    return std::nullopt;
  }
  const auto payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  return Decode(std::string(*payload));
}

}  // namespace svcenv
