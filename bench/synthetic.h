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

// The shape of a live cluster dump (`kubectl get pods,svc -A -o json`, or
// with `with_replica_sets` `kubectl get pods,rs,svc -A -o json`).
struct LiveDumpShape {
  int services = 10000;  // MakeServices' Services, default/kubernetes included.
  int namespaces = 100;
  // Services per namespace created after every pod had started.
  int late_services_per_namespace = 2;
  int deployments = 300;  // Spread round robin over the namespaces.
  int pods_per_deployment = 10;
  bool with_replica_sets = false;
  // Each `app` container also gets `UPSTREAM=http://$(X_SERVICE_HOST):8080`,
  // X a Service of its namespace that is not late (so the reference
  // expands at every start and no finding comes of it).
  bool references = false;
  // Objects with only the fields a hand-trimmed dump keeps (names, times,
  // owners, containers' env and image, statuses' start times, Services'
  // cluster IP and ports): the same findings from about half the bytes.
  bool lean = false;
};

// What `LiveDumpJson` wrote, for callers that check their answer.
struct LiveDumpFacts {
  int pods = 0;
  int containers = 0;
  int late_services = 0;
  // `Deployment namespace/name` of every Deployment, in creation order.
  std::vector<std::string> deployments;
};

// A live dump of `shape`, as the API server and kubectl write it: pods first
// (sorted by namespace and name), then ReplicaSets if asked, then Services.
// Every Deployment `appN` (in namespace N % namespaces) has one ReplicaSet
// `appN-<pod-template-hash>`, owned by the Deployment, whose running pods
// `appN-<hash>-<5 chars>` carry the `pod-template-hash` label and a
// controller ownerReference to it. Each pod has two containers, `app` and
// `proxy`, which started 3 s and 4 s after the pod was created. Ordinary
// Services were created days before the pods; the late ones (the last
// `late_services_per_namespace` of each namespace by MakeServices' order)
// an hour after the last pod. `references` and `lean` as in LiveDumpShape.
std::string LiveDumpJson(const LiveDumpShape& shape, LiveDumpFacts* facts);

}  // namespace bench
}  // namespace svcenv

#endif  // SVCENV_BENCH_SYNTHETIC_H_
