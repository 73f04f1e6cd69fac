// include/svcenv/kubelet_version.h
//
// Which kubelet svcenv imitates. A `KubeletVersion` is a profile for one
// minor release, 1.29 through 1.38: every behaviour of the container
// environment that changed between those releases is read from it, each
// accessor switching at the release where the upstream default changed
// (feature gates in `pkg/features/kube_features.go`, `VersionedSpecs`).
// svcenv models the defaults; a cluster that flips a gate by hand is out of
// scope. The default profile is the newest.
//
//   accessor                      on from  upstream
//   filters_env_from_keys()       ..1.29   kubelet_pods.go makeEnvironmentVariables
//                                          (envFrom IsEnvVarName filter, removed 1.30)
//   reports_host_ips()            1.29..   PodHostIPs (KEP-2681), beta on in 1.29
//   relaxed_env_var_names()       1.32..   RelaxedEnvironmentVariableValidation
//                                          (KEP-4369), beta on in 1.32
//   pod_level_resources()         1.34..   PodLevelResources (KEP-2837), beta on
//   env_files()                   1.35..   EnvFiles (KEP-3721), beta on in 1.35
//   exact_resource_ratio()        1.38..   pkg/api/v1/resource convertQuantityToString
//
// Thread-safety: a value type; const methods are safe from several threads.
// Errors: `Parse` returns InvalidArgumentError naming the supported versions.
//
// Example:
//   absl::StatusOr<svcenv::KubeletVersion> v = svcenv::KubeletVersion::Parse("1.33");
//   svcenv::EnvironmentOptions options;
//   options.kubelet = *v;  // no PodLevelResources, no fileKeyRef
#ifndef SVCENV_INCLUDE_SVCENV_KUBELET_VERSION_H_
#define SVCENV_INCLUDE_SVCENV_KUBELET_VERSION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace svcenv {

class KubeletVersion {
 public:
  static constexpr int kOldestMinor = 29;
  static constexpr int kNewestMinor = 38;

  // The newest supported kubelet (1.38).
  KubeletVersion() = default;

  // "1.33", "v1.33" or "1.33.4" (the patch is ignored: no behaviour here
  // changed in a patch release). Anything else, or a minor outside
  // 1.29..1.38, is InvalidArgumentError listing the supported versions.
  static absl::StatusOr<KubeletVersion> Parse(absl::string_view text);
  // 1.`minor`; InvalidArgumentError as `Parse` for an unsupported one.
  static absl::StatusOr<KubeletVersion> FromMinor(int minor);

  // "1.29", "1.30", ..., "1.38".
  static std::vector<std::string> Supported();

  int minor() const { return minor_; }
  std::string ToString() const;  // "1.33"

  // Before 1.30 the kubelet skips `envFrom` keys that are not valid variable
  // names (apimachinery IsEnvVarName) and records an event listing them.
  bool filters_env_from_keys() const { return minor_ < 30; }
  // `status.hostIP(s)` in the downward API. PodHostIPs went beta (on) in
  // 1.29 and GA in 1.30: true for every supported profile, kept so that the
  // table in docs/env.md has one row per gated behaviour.
  bool reports_host_ips() const { return minor_ >= 29; }
  // The API server accepts any printable ASCII but '=' in `env[].name` and
  // `envFrom[].prefix` (IsRelaxedEnvVarName) instead of IsEnvVarName.
  bool relaxed_env_var_names() const { return minor_ >= 32; }
  // `spec.resources` limits replace node allocatable as the default cpu and
  // memory limit in `resourceFieldRef` (defaultPodLimitsForDownwardAPI).
  bool pod_level_resources() const { return minor_ >= 34; }
  // `env[].valueFrom.fileKeyRef` is resolved from a file in an emptyDir
  // volume; before 1.35 the gate is off, the API server drops the field and
  // the kubelet treats the entry as having no source.
  bool env_files() const { return minor_ >= 35; }
  // `resourceFieldRef` values are the exact ceiling of value / divisor,
  // zero for non-positive values and saturated at 2^63-1
  // (convertQuantityToString); before, float64 arithmetic on scaled int64s.
  bool exact_resource_ratio() const { return minor_ >= 38; }

  friend bool operator==(KubeletVersion a, KubeletVersion b) {
    return a.minor_ == b.minor_;
  }
  friend bool operator!=(KubeletVersion a, KubeletVersion b) {
    return !(a == b);
  }

 private:
  explicit KubeletVersion(int minor) : minor_(minor) {}
  int minor_ = kNewestMinor;
};

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_KUBELET_VERSION_H_
