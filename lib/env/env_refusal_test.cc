#include "svcenv/env_refusal.h"

#include "lib/base/testing.h"

namespace svcenv {
namespace {

Refusal Missing(const char* kind) {
  Refusal r;
  r.reason = RefusalReason::kObjectNotFound;
  r.object_kind = kind;
  r.object_namespace = "shop";
  r.object_name = "db";
  return r;
}

TEST(IsObjectKeptElsewhere, OnlyAMissingObjectOfAKindKeptElsewhere) {
  EXPECT_TRUE(IsObjectKeptElsewhere(Missing("Secret"), true, false));
  EXPECT_FALSE(IsObjectKeptElsewhere(Missing("Secret"), false, true));
  EXPECT_TRUE(IsObjectKeptElsewhere(Missing("ConfigMap"), false, true));
  EXPECT_FALSE(IsObjectKeptElsewhere(Missing("ConfigMap"), true, false));
  // A key missing from a Secret that is in the input is still a refusal.
  Refusal key = Missing("Secret");
  key.reason = RefusalReason::kKeyNotFound;
  EXPECT_FALSE(IsObjectKeptElsewhere(key, true, true));
}

TEST(RefusalStatus, RoundTripsThroughTheStatus) {
  Refusal r = Missing("ConfigMap");
  r.message = "container app: configmap \"db\" not found";
  const absl::Status status = RefusalStatus(r);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  const std::optional<Refusal> back = RefusalFromStatus(status);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->object_kind, "ConfigMap");
  EXPECT_EQ(back->object_name, "db");
  EXPECT_EQ(back->message, r.message);
  EXPECT_FALSE(RefusalFromStatus(absl::FailedPreconditionError(r.message))
                   .has_value());
}

}  // namespace
}  // namespace svcenv
