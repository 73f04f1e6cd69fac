// include/svcenv/pending_cluster_ip.h
//
// A Service in a manifest that has no `clusterIP` gets one from the API server
// when it is created, and pods then receive its variables. To show those
// variables before it exists, svcenv stands the text `<cluster IP>` in for
// the address: `REDIS_SERVICE_HOST=<cluster IP>`,
// `REDIS_PORT=tcp://<cluster IP>:6379`. One rule for every command:
//
//   * which Services: no `clusterIP` (empty), not `type: ExternalName` (it
//     never gets one), and no `creationTimestamp` (a created Service without
//     a cluster IP is headless-like and stays without variables);
//   * what stands in: `kPendingClusterIp`, shown verbatim;
//   * how big it is: byte counts (e.g. `check`'s environment-size limit)
//     count each stand-in as an allocated address of
//     `kAssumedClusterIpBytes` bytes (`10.96.100.100`, the default Service
//     range 10.96.0.0/12), not as the 12 bytes of its text.
//
// Thread-safe free functions.
//
// Example:
//   std::vector<const svcenv::Service*> pending =
//       svcenv::StandInPendingClusterIps(&objects.services);
#ifndef SVCENV_INCLUDE_SVCENV_PENDING_CLUSTER_IP_H_
#define SVCENV_INCLUDE_SVCENV_PENDING_CLUSTER_IP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv {

// The text that stands in for an address not allocated yet.
inline constexpr absl::string_view kPendingClusterIp = "<cluster IP>";

// An address the API server could allocate, for sizes and examples.
inline constexpr absl::string_view kAssumedClusterIp = "10.96.100.100";
inline constexpr size_t kAssumedClusterIpBytes = kAssumedClusterIp.size();

// True for a Service the API server will give a cluster IP when it is
// created (see the rule above).
bool HasPendingClusterIp(const Service& service);

// Sets `cluster_ip` to kPendingClusterIp on every Service with a pending
// cluster IP and returns them (pointers into `services`).
std::vector<const Service*> StandInPendingClusterIps(
    std::vector<Service>* services);

// The bytes `value` takes once every stand-in in it is an allocated address:
// `value.size()` adjusted by (kAssumedClusterIpBytes - kPendingClusterIp.size())
// per occurrence.
int64_t AllocatedSize(absl::string_view value);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_PENDING_CLUSTER_IP_H_
