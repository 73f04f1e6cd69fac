// include/svcenv/service_index.h
//
// An incremental index of Services for a long-running process such as a node
// agent that follows the API server with a watch: feed it every `Upsert` and
// `Delete`, and ask it for the Service block of a pod with `Lookup`.
//
// Each namespace's block (its own Services merged with `default/kubernetes`)
// is built on the first lookup after the namespace changed and then reused;
// a lookup that hits the cache copies one `shared_ptr` and nothing else. The
// block for `enableServiceLinks: false` is `default/kubernetes` alone and is
// one object shared by every namespace. A change to `default/kubernetes`
// invalidates every namespace whose block contains it. Results are identical
// to `ComputeServiceEnvironment` (service_env.h) over the same Services:
// same selection, (namespace, name) application order, later wins, clashes
// and diagnostics.
//
// A snapshot is immutable and keeps alive every `Service` its variables point
// to, so it stays valid (describing the Services as they were) after later
// upserts, deletes, or the destruction of the index.
//
// Thread safety: any number of threads may call `Lookup`, `Find`, `size`
// and `namespace_count` while one thread applies `Upsert`/`Delete`. Readers
// share a lock striped per thread, so cached lookups on different cores do
// not contend; the first lookup after a change builds the block while other
// readers of that namespace wait for it. Writers lock every stripe, so
// several writers are also safe, but they serialise. Snapshots may be shared
// across threads freely.
//
// Example:
//   svcenv::ServiceIndex index;
//   for (svcenv::Service& s : objects.services) index.Upsert(std::move(s));
//   svcenv::ServiceIndex::Snapshot services =
//       index.Lookup(pod.meta.namespace_name, /*enable_service_links=*/true);
//   absl::StatusOr<svcenv::ContainerEnvironment> env =
//       svcenv::ComputeContainerEnvironment(pod, pod.containers[0], *services,
//                                           objects, {});
#ifndef SVCENV_INCLUDE_SVCENV_SERVICE_INDEX_H_
#define SVCENV_INCLUDE_SVCENV_SERVICE_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {

class ServiceIndex {
 public:
  // An immutable Service block; never null. It owns (shares) the Services its
  // variables point to.
  using Snapshot = std::shared_ptr<const ServiceEnvironment>;

  ServiceIndex();
  ~ServiceIndex();

  // Not copyable or movable: it owns locks that readers may be holding.
  ServiceIndex(const ServiceIndex&) = delete;
  ServiceIndex& operator=(const ServiceIndex&) = delete;

  // Adds `service`, or replaces the Service with the same
  // (`meta.namespace_name`, `meta.name`). Snapshots already handed out keep
  // the previous version.
  void Upsert(Service service);
  void Upsert(std::shared_ptr<const Service> service);

  // Removes the Service (`namespace_name`, `name`). Returns false, changing
  // nothing, if there is none.
  bool Delete(absl::string_view namespace_name, absl::string_view name);

  // The Service block of a pod in `pod_namespace`, equal to
  // `ComputeServiceEnvironment(<all indexed Services>, pod_namespace,
  // enable_service_links)`. Never null.
  Snapshot Lookup(absl::string_view pod_namespace,
                  bool enable_service_links) const;

  // The indexed Service (`namespace_name`, `name`), or null.
  std::shared_ptr<const Service> Find(absl::string_view namespace_name,
                                      absl::string_view name) const;

  // How many Services are indexed, and in how many namespaces.
  size_t size() const;
  size_t namespace_count() const;

 private:
  struct Namespace;

  // Implementation details follow.

  // A reader-writer lock whose readers spread over stripes on separate cache
  // lines (one per thread, round robin), so that lookups on different cores
  // do not fight over one lock word. A writer takes every stripe.
  class ABSL_LOCKABLE StripedMutex {
   public:
    void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION();
    void Unlock() ABSL_UNLOCK_FUNCTION();
    // Locks the calling thread's stripe shared and returns it for
    // `ReaderUnlock`.
    std::shared_mutex* ReaderLock() ABSL_SHARED_LOCK_FUNCTION();
    void ReaderUnlock(std::shared_mutex* stripe) ABSL_UNLOCK_FUNCTION();

   private:
    static constexpr size_t kStripes = 16;
    struct alignas(64) Stripe {
      std::shared_mutex mu;
    };
    Stripe stripes_[kStripes];
  };
  class ReaderLock;
  class WriterLock;

  void InvalidateMasterLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::shared_ptr<const Service> FindLocked(absl::string_view namespace_name,
                                            absl::string_view name) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  Snapshot BuildLinksOnLocked(absl::string_view pod_namespace,
                              const Namespace& ns) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  mutable StripedMutex mu_;
  // Keyed by namespace name, which is owned by the `Namespace`.
  absl::flat_hash_map<absl::string_view, std::unique_ptr<Namespace>> namespaces_
      ABSL_GUARDED_BY(mu_);
  size_t size_ ABSL_GUARDED_BY(mu_) = 0;
  // Bumped whenever `default/kubernetes` changes; a cached block that
  // contains it is valid only for the generation it was built in.
  uint64_t master_generation_ ABSL_GUARDED_BY(mu_) = 0;
  // The `default/kubernetes` block (what links-off pods see); rebuilt by the
  // writer whenever the master Service changes.
  Snapshot master_block_ ABSL_GUARDED_BY(mu_);
};

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_SERVICE_INDEX_H_
