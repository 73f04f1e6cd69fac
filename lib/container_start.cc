#include "svcenv/container_start.h"

#include <vector>

#include "svcenv/objects.h"

namespace svcenv {

ContainerStart StartOfContainer(const Pod& pod, const Container& container) {
  ContainerStart start;
  if (!pod.meta.creation_timestamp.has_value()) return start;  // kManifest.
  // An init container's status is among the init statuses, an app
  // container's among the others; the container's address says which.
  const bool init = !pod.init_containers.empty() &&
                    &container >= pod.init_containers.data() &&
                    &container < pod.init_containers.data() +
                                     pod.init_containers.size();
  const std::vector<ContainerStatus>& statuses =
      init ? pod.init_container_statuses : pod.container_statuses;
  const ContainerStatus* status = nullptr;
  for (const ContainerStatus& s : statuses) {
    if (s.name == container.name) status = &s;
  }
  if (status != nullptr && status->state == "running" &&
      status->started_at.has_value()) {
    start.kind = ContainerStart::Kind::kRunning;
    start.at = status->started_at;
  } else if (status == nullptr || status->state.empty() ||
             status->state == "running") {
    // Not reported yet (or running without startedAt): no earlier than the
    // pod's creation.
    start.kind = ContainerStart::Kind::kNotStarted;
    start.at = pod.meta.creation_timestamp;
  } else {
    start.kind = ContainerStart::Kind::kNextStart;
  }
  return start;
}

ServicePresence PresenceAtStart(const Service& service,
                                const ContainerStart& start, bool exists) {
  if (!start.at.has_value()) return ServicePresence::kPresent;
  if (!service.meta.creation_timestamp.has_value()) {
    return exists ? ServicePresence::kPresent : ServicePresence::kAbsent;
  }
  const int64_t created = service.meta.creation_timestamp->unix_seconds;
  const int64_t started = start.at->unix_seconds;
  if (created < started) return ServicePresence::kPresent;
  if (created == started) return ServicePresence::kSameSecond;
  return ServicePresence::kAbsent;
}

}  // namespace svcenv
