// include/svcenv/check_grouping.h
//
// One finding per owning workload instead of one per pod: on a live cluster
// the 10 pods of a Deployment share their Service block and usually their
// start, so they share their findings, and what a person does about them is
// one act on the owner ("restart deployment/app7").
//
// Owners follow controller `ownerReferences` (`controller: true`) within the
// pod's namespace, as far as the inputs tell:
//   Pod -> ReplicaSet -> Deployment   the ReplicaSet's own ownerReferences
//                                     when it is among the inputs; otherwise,
//                                     when the ReplicaSet is named
//                                     `<name>-<the pod's pod-template-hash
//                                     label>`, Deployment <name> (the
//                                     Deployment controller's naming).
//   Pod -> Job -> CronJob             the Job's ownerReferences, when the Job
//                                     is among the inputs.
//   Pod -> StatefulSet, DaemonSet, ReplicationController, or any other
//          controller kind            that owner.
// A pod without a controller owner keeps its own findings. Only Pods are
// grouped; workload templates (Deployment manifests, ...) are already one
// finding per workload.
//
// A group is one owner and one rule, and for rules other than
// `service-after-start` one variable (two different clashes stay two
// findings). The grouped finding names the owner as its workload, counts the
// affected pods and containers, lists every affected pod (`Finding::pods`),
// lists each related object once, and keeps the first pod's own message as
// the example. Its severity is the highest of its members'. Groups sit where
// their first member was; findings that are not grouped keep their place.
//
// Functions here are thread-safe; results are self-contained values.
//
// Example:
//   svcenv::CheckOptions options;
//   options.group_by_owner = false;
//   svcenv::CheckResult per_pod = svcenv::Check(objects, {}, options);
//   svcenv::CheckResult grouped =
//       svcenv::GroupFindingsByOwner(std::move(per_pod), objects);
#ifndef SVCENV_INCLUDE_SVCENV_CHECK_GROUPING_H_
#define SVCENV_INCLUDE_SVCENV_CHECK_GROUPING_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "svcenv/check.h"
#include "svcenv/objects.h"

namespace svcenv {

// The workload that manages a pod, at the top of its controller chain.
struct WorkloadOwner {
  std::string kind;  // "Deployment", "StatefulSet", "CronJob", ...
  std::string namespace_name;
  std::string name;
  // The owners between the pod and this one, nearest first, e.g.
  // {"ReplicaSet app7-5d8f7c9b4"}.
  std::vector<std::string> via;
  // True when a step was inferred from names (a ReplicaSet absent from the
  // inputs), not read from an ownerReference.
  bool inferred = false;
};

// Resolves pods' owners against the ReplicaSets and Jobs among `objects`
// (which must outlive it).
class OwnerResolver {
 public:
  explicit OwnerResolver(const Objects& objects);
  ~OwnerResolver();
  OwnerResolver(const OwnerResolver&) = delete;
  OwnerResolver& operator=(const OwnerResolver&) = delete;

  // The top owner of `pod`, or nullopt when it has no controller owner (or
  // is not a Pod but a workload template).
  std::optional<WorkloadOwner> TopOwner(const Pod& pod) const;

 private:
  struct Index;
  std::unique_ptr<Index> index_;
};

// Groups the findings of `result` about pods of `objects` by owner, as
// described above. Findings about pods not in `objects` stay as they are.
CheckResult GroupFindingsByOwner(CheckResult result, const Objects& objects);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_CHECK_GROUPING_H_
