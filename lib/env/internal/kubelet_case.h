// lib/env/internal/kubelet_case.h
//
// Exposed for testing only. The objects of a kubelet test case, the JSON
// input both the reference oracle (lib/env/container_env_oracle_test.cc) and
// the conformance harness (testdata/conformance) write: `pod`, and
// `services`, `configMaps`, `secrets` as the API returns them (kind and
// apiVersion may be left out). Decoded as kubectl reads objects, so the
// tests exercise the real decoder.
#ifndef SVCENV_LIB_ENV_INTERNAL_KUBELET_CASE_H_
#define SVCENV_LIB_ENV_INTERNAL_KUBELET_CASE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "svcenv/objects.h"

namespace svcenv::testing_internal {

struct KubeletCase {
  Objects objects;  // Exactly one pod, first.
  // `services` was given (null or absent: the kubelet has no Service lister
  // yet, and a pod gets no Service variables at all).
  bool has_service_lister = false;
};

// `file` names the case in errors. A ConfigMap or Secret without a
// namespace is the pod's (both harnesses match such objects in any).
absl::StatusOr<KubeletCase> DecodeKubeletCase(const nlohmann::json& input,
                                              absl::string_view file);

}  // namespace svcenv::testing_internal

#endif  // SVCENV_LIB_ENV_INTERNAL_KUBELET_CASE_H_
