#include "svcenv/container_start.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

// Whether a terminated run is the container's last (the kubelet's
// ShouldContainerBeRestarted, with init containers run once).
bool TerminatedForGood(const Pod& pod, const Container& container, bool init,
                       const ContainerStatus& status) {
  const bool succeeded = status.exit_code.has_value() && *status.exit_code == 0;
  if (init) {
    // A sidecar (restartPolicy Always) restarts whatever its exit; another
    // init container that succeeded is done.
    if (container.restart_policy == "Always") return false;
    if (succeeded) return true;
  }
  const std::string& policy = !init && !container.restart_policy.empty()
                                  ? container.restart_policy
                                  : pod.restart_policy;
  if (policy == "Never") return true;
  if (policy == "OnFailure") return succeeded;
  return false;  // Always, or unset (the API default).
}

}  // namespace

ContainerStart StartOfContainer(const Pod& pod, const Container& container) {
  ContainerStart start;
  if (!pod.meta.creation_timestamp.has_value()) return start;  // kManifest.
  // An init container's status is among the init statuses, an app
  // container's among the others; the container's address says which.
  const bool init = !pod.init_containers.empty() &&
                    &container >= pod.init_containers.data() &&
                    &container < pod.init_containers.data() +
                                     pod.init_containers.size();
  bool ephemeral = false;
  for (const Container& c : pod.ephemeral_containers) {
    ephemeral = ephemeral || &c == &container;
  }
  const std::vector<ContainerStatus>& statuses =
      ephemeral ? pod.ephemeral_container_statuses
      : init    ? pod.init_container_statuses
                : pod.container_statuses;
  const ContainerStatus* status = nullptr;
  for (const ContainerStatus& s : statuses) {
    if (s.name == container.name) status = &s;
  }
  if (status != nullptr && status->state == "running" &&
      status->started_at.has_value()) {
    start.kind = ContainerStart::Kind::kRunning;
    start.at = status->started_at;
  } else if (!ephemeral && pod.phase != "Pending" &&
             (status == nullptr || status->state.empty() ||
              status->state == "running")) {
    // Not reported yet (or running without startedAt): no earlier than the
    // pod's creation. A Pending pod without a container status has not
    // started it (unscheduled, or its sandbox is being made: the kubelet
    // reports `waiting` once it creates the container), and an ephemeral
    // container is added long after the pod (`kubectl debug`): without
    // their own startedAt they start next, with every Service that exists
    // then (the last branch).
    start.kind = ContainerStart::Kind::kNotStarted;
    start.at = pod.meta.creation_timestamp;
  } else if (status != nullptr && status->state == "terminated" &&
             (ephemeral || TerminatedForGood(pod, container, init, *status))) {
    // Ephemeral containers are never restarted.
    start.kind = ContainerStart::Kind::kFinished;
    start.at = status->terminated_started_at;
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

std::string DescribePresence(const Service& service, ServicePresence presence,
                             const ContainerStart& start,
                             absl::string_view container) {
  const std::string label = absl::StrCat("Service ", service.meta.namespace_name,
                                         "/", service.meta.name);
  const std::string who = container.empty()
                              ? std::string("the container")
                              : absl::StrCat("container ", container);
  const std::string started =
      start.at.has_value() ? absl::StrCat(" (started ", start.at->text, ")")
                           : "";
  switch (presence) {
    case ServicePresence::kPresent:
      return "";
    case ServicePresence::kSameSecond:
      return absl::StrCat(label, " (created ",
                          service.meta.creation_timestamp->text,
                          ") was created in the same second ", who,
                          " started: its variables may be missing until a "
                          "restart");
    case ServicePresence::kAbsent:
      break;
  }
  if (!service.meta.creation_timestamp.has_value()) {
    return absl::StrCat(label,
                        " has no creationTimestamp (a manifest, never "
                        "created): the running container does not have its "
                        "variables");
  }
  const bool finished = start.kind == ContainerStart::Kind::kFinished;
  return absl::StrCat(
      label, " (created ", service.meta.creation_timestamp->text,
      ") is newer than ", who, started, ": ",
      finished ? "its run did not have its variables, and it has finished "
                 "and will not start again"
               : "the running container does not have its variables; a "
                 "restart would add them");
}

std::vector<Service> ServicesAtStart(const std::vector<Service>& services,
                                     const ContainerStart& start) {
  std::vector<Service> present;
  present.reserve(services.size());
  for (const Service& s : services) {
    if (PresenceAtStart(s, start) != ServicePresence::kAbsent) {
      present.push_back(s);
    }
  }
  return present;
}

}  // namespace svcenv
