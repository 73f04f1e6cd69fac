// fuzz/container_env_fuzzer.cc
//
// Fuzzes the whole container-environment computation on decoded objects:
// decodes the input (JSON or YAML), then computes the environment of every
// container and init container of every Pod against the Services of its
// namespace, as `svcenv env` does. Traps (abort) when a result breaks an
// invariant.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "svcenv/container_env.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace {

void Check(const svcenv::Pod& pod, const svcenv::Container& container,
           const svcenv::ServiceEnvironment& services,
           const svcenv::Objects& objects,
           const svcenv::EnvironmentOptions& options) {
  const absl::StatusOr<svcenv::ContainerEnvironment> env =
      svcenv::ComputeContainerEnvironment(pod, container, services, objects,
                                          options);
  if (!env.ok()) {
    if (env.status().message().empty()) std::abort();
    return;
  }
  // One entry per name; the container's own come first.
  std::set<std::string> names;
  for (const svcenv::EnvEntry& e : env->env) {
    if (!names.insert(e.name).second) std::abort();
  }
  if (env->own_count > env->env.size()) std::abort();
  if (env->command.size() != container.command.size() ||
      env->args.size() != container.args.size()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  svcenv::Objects objects;
  if (!svcenv::DecodeText(text, "fuzz", {}, &objects).ok()) return 0;
  for (const svcenv::Pod& pod : objects.pods) {
    const svcenv::ServiceEnvironment services =
        svcenv::ComputeServiceEnvironment(
            objects.services, pod.meta.namespace_name,
            pod.enable_service_links.value_or(true));
    for (int variant = 0; variant < 2; ++variant) {
      svcenv::EnvironmentOptions options;
      // Also the pre-1.30 kubelet and an IPv6 node.
      options.kubelet = variant == 0 ? svcenv::KubeletVersion()
                                     : svcenv::KubeletVersion::FromMinor(29).value();
      options.node_ipv6_primary = variant == 1;
      options.default_requests_from_limits = variant == 0;
      for (const svcenv::Container& c : pod.containers) {
        Check(pod, c, services, objects, options);
      }
      for (const svcenv::Container& c : pod.init_containers) {
        Check(pod, c, services, objects, options);
      }
    }
  }
  return 0;
}
