// bench/synthetic.h
//
// Deterministic synthetic clusters for the benchmarks: Services shaped like
// those of a real cluster (1-3 ports, names and protocols as people write
// them) and the `kubectl get svc -A -o json` text that lists them.
//
// Functions here are thread-safe and deterministic: the same arguments give
// the same result on every run and machine.
#ifndef SVCENV_BENCH_SYNTHETIC_H_
#define SVCENV_BENCH_SYNTHETIC_H_

#include <string>
#include <vector>

#include "svcenv/objects.h"

namespace svcenv {
namespace bench {

// `count` Services spread evenly over `namespaces` namespaces named
// `team-000`, `team-001`, ...; every one has a cluster IP and 1-3 ports, and
// no two produce the same variable name. When `with_master` the first one is
// `default/kubernetes` (counted in `count`). The order is shuffled, as a
// lister's would be.
std::vector<Service> MakeServices(int count, int namespaces, bool with_master);

// The name of the `index`-th namespace of MakeServices.
std::string NamespaceName(int index);

// `services` as `kubectl get svc -A -o json` prints them: a `List` with the
// fields the API server returns (uid, resourceVersion, creationTimestamp,
// labels, selector, clusterIPs, ipFamilies, targetPort, ...), indented by
// four spaces.
std::string ServiceListJson(const std::vector<Service>& services);

// The same List as `kubectl get svc -A -o yaml` prints it (go-yaml v2's
// block layout: sorted keys, sequences at their key's indentation).
std::string ServiceListYaml(const std::vector<Service>& services);

}  // namespace bench
}  // namespace svcenv

#endif  // SVCENV_BENCH_SYNTHETIC_H_
