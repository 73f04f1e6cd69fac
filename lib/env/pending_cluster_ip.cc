#include "svcenv/pending_cluster_ip.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv {

bool HasPendingClusterIp(const Service& service) {
  return service.cluster_ip.empty() && service.type != "ExternalName" &&
         !service.meta.creation_timestamp.has_value();
}

std::vector<const Service*> StandInPendingClusterIps(
    std::vector<Service>* services) {
  std::vector<const Service*> pending;
  for (Service& s : *services) {
    if (!HasPendingClusterIp(s)) continue;
    s.cluster_ip = std::string(kPendingClusterIp);
    pending.push_back(&s);
  }
  return pending;
}

int64_t AllocatedSize(absl::string_view value) {
  int64_t size = static_cast<int64_t>(value.size());
  for (size_t pos = value.find(kPendingClusterIp);
       pos != absl::string_view::npos;
       pos = value.find(kPendingClusterIp, pos + kPendingClusterIp.size())) {
    size += static_cast<int64_t>(kAssumedClusterIpBytes) -
            static_cast<int64_t>(kPendingClusterIp.size());
  }
  return size;
}

}  // namespace svcenv
