// include/svcenv/container_start.h
//
// Which Services a container has: the kubelet builds the Service variables
// when it starts a container (every start, restarts included) and never
// updates a running one. So a running container has the Services that existed
// when it started, and a container that is waiting (CrashLoopBackOff,
// ImagePullBackOff, ...) or terminated gets every Service that exists at its
// next start: today's Services, not those of its last run. `svcenv env
// --as-running` and `svcenv check` both decide with these functions.
//
// The rule, from the container's status (`status.containerStatuses` or
// `initContainerStatuses`, matched by name):
//   * running with `startedAt`: the Services created before that second;
//   * no status or no state yet (a pod just created): the pod's
//     `creationTimestamp` stands in for the start, the earliest it can be;
//   * waiting, or terminated and due to start again: every current Service
//     (its next start);
//   * terminated for good: the Services created before its run's
//     `state.terminated.startedAt`, the environment it ran with. A run ends
//     for good when nothing restarts the container (the kubelet's
//     ShouldContainerBeRestarted): the restart policy (the container's own,
//     else the pod's; Always when unset) is Never, or OnFailure with exit
//     code 0; or it is an init container that is not a sidecar and exited
//     0 (init containers run to completion once). Without that `startedAt`
//     the run is not dated (`at` empty);
//   * an ephemeral container (`ephemeralContainerStatuses`) is never
//     restarted and is added long after the pod (`kubectl debug`): running
//     with `startedAt` or terminated as above; without a status, or waiting,
//     it starts next with every current Service;
//   * no `creationTimestamp` on the pod (a manifest, never created): not
//     decided here; `check` orders manifests by how they are applied.
// The previous run of a restarting container (`lastState`) does not matter:
// its environment is gone with it, and the next start is built afresh.
// Container restart rules on exit codes (`restartPolicyRules`, alpha) are
// not modelled: such a container is taken as its restartPolicy says.
//
// A Service created in the same second the container started may or may not
// be there (timestamps have one-second resolution): `kSameSecond`. A Service
// without `creationTimestamp` was never created (a manifest): it is absent
// from any container already started, unless the caller knows it exists
// (`exists` below, e.g. an inventory dump without timestamps).
//
// Thread-safe free functions over value types.
//
// Example:
//   svcenv::ContainerStart start = svcenv::StartOfContainer(pod, container);
//   for (const svcenv::Service& s : objects.services)
//     if (svcenv::PresenceAtStart(s, start) ==
//         svcenv::ServicePresence::kAbsent)
//       std::cout << s.meta.name << " is not in the running container\n";
#ifndef SVCENV_INCLUDE_SVCENV_CONTAINER_START_H_
#define SVCENV_INCLUDE_SVCENV_CONTAINER_START_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv {

struct ContainerStart {
  enum class Kind {
    kRunning,     // `at` is the running state's startedAt.
    kNotStarted,  // No status or state yet (and the pod is not Pending);
                  // `at` is the pod's creation, the earliest it started.
    kNextStart,   // Waiting or terminated, due to start again, or not started
                  // yet in a Pending pod: sees every current Service.
    kFinished,    // Terminated for good; `at` is that run's startedAt.
    kManifest,    // The pod has no creationTimestamp; `at` empty.
  };
  Kind kind = Kind::kManifest;
  std::optional<Timestamp> at;
};

// The start that decides `container`'s Services (an element of `pod`'s
// containers, init containers or ephemeral containers, by address: its
// status is looked up by name in the matching list). Any status shape,
// none included, is a valid input.
ContainerStart StartOfContainer(const Pod& pod, const Container& container);

enum class ServicePresence {
  kPresent,     // The container has the Service's variables.
  kAbsent,      // Created after the container started: it lacks them.
  kSameSecond,  // Created in the second it started: either may be true.
};

// Whether a container that started at `start` has `service` (for kFinished:
// had it). kPresent for kNextStart and kManifest. `exists`: the caller knows the Service existed
// before any container (e.g. from a cluster dump) even without a
// creationTimestamp.
ServicePresence PresenceAtStart(const Service& service,
                                const ContainerStart& start,
                                bool exists = false);

// The one wording of what `presence` (kAbsent or kSameSecond; empty for
// kPresent) means for container `container` ("" for "the container") that
// started at `start`: "Service shop/search (created T) is newer than
// container web (started T0): the running container does not have its
// variables; a restart would add them", and the variants for a finished
// container, a Service never created (no creationTimestamp) and the same
// second. `env`, `why`, `diff` and the analysis diagnostics all say it so.
std::string DescribePresence(const Service& service, ServicePresence presence,
                             const ContainerStart& start,
                             absl::string_view container);

// The Services a container that started at `start` has: `services` less
// those PresenceAtStart calls kAbsent (kSameSecond ones are kept: the
// kubelet may have seen them). What `env --as-running`, `why` and `diff`
// compute the running container's environment from.
std::vector<Service> ServicesAtStart(const std::vector<Service>& services,
                                     const ContainerStart& start);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_CONTAINER_START_H_
