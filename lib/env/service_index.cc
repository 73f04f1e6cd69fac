#include "svcenv/service_index.h"

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {


// A ServiceEnvironment together with the Services its variables point to, so
// that a snapshot stays valid however the index changes afterwards.
struct SnapshotData {
  std::vector<std::shared_ptr<const Service>> services;
  ServiceEnvironment environment;
};

// Builds the block of `visible` (application order, cluster IP set).
ServiceIndex::Snapshot MakeSnapshot(
    std::vector<std::shared_ptr<const Service>> visible) {
  auto data = std::make_shared<SnapshotData>();
  std::vector<const Service*> pointers;
  pointers.reserve(visible.size());
  for (const auto& service : visible) pointers.push_back(service.get());
  data->environment = BuildServiceEnvironment(pointers);
  data->services = std::move(visible);
  // Aliasing constructor: the snapshot points at the environment and owns
  // the whole SnapshotData.
  return ServiceIndex::Snapshot(data, &data->environment);
}

}  // namespace

void ServiceIndex::StripedMutex::Lock() {
  for (Stripe& stripe : stripes_) stripe.mu.lock();
}

void ServiceIndex::StripedMutex::Unlock() {
  for (size_t i = kStripes; i-- > 0;) stripes_[i].mu.unlock();
}

std::shared_mutex* ServiceIndex::StripedMutex::ReaderLock() {
  // Each thread keeps one stripe for life; threads take them in turn.
  static std::atomic<size_t> next_stripe{0};
  thread_local const size_t stripe =
      next_stripe.fetch_add(1, std::memory_order_relaxed);
  std::shared_mutex* mu = &stripes_[stripe % kStripes].mu;
  mu->lock_shared();
  return mu;
}

void ServiceIndex::StripedMutex::ReaderUnlock(std::shared_mutex* stripe) {
  stripe->unlock_shared();
}

class ABSL_SCOPED_LOCKABLE ServiceIndex::ReaderLock {
 public:
  explicit ReaderLock(StripedMutex* mu) ABSL_SHARED_LOCK_FUNCTION(mu)
      : mu_(mu), stripe_(mu->ReaderLock()) {}
  ~ReaderLock() ABSL_UNLOCK_FUNCTION() { mu_->ReaderUnlock(stripe_); }
  ReaderLock(const ReaderLock&) = delete;
  ReaderLock& operator=(const ReaderLock&) = delete;

 private:
  StripedMutex* const mu_;
  std::shared_mutex* const stripe_;
};

class ABSL_SCOPED_LOCKABLE ServiceIndex::WriterLock {
 public:
  explicit WriterLock(StripedMutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu)
      : mu_(mu) {
    mu_->Lock();
  }
  ~WriterLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  StripedMutex* const mu_;
};

struct ServiceIndex::Namespace {
  explicit Namespace(absl::string_view n) : name(n) {}

  const std::string name;
  // Keyed by Service name, owned by the Service; sorted by name, which is the
  // application order inside one namespace.
  std::map<absl::string_view, std::shared_ptr<const Service>> services;

  // The links-on block, built by the first reader that needs it. Readers
  // hold `mu_` shared, so they serialise on this smaller lock to build it
  // once; the writer (holding `mu_` exclusively) only clears it. The three
  // fields below are guarded by `cache_mu`.
  mutable std::mutex cache_mu;
  mutable Snapshot links_on;
  // Whether `links_on` includes (or would include) `default/kubernetes`,
  // and the master generation it was built in.
  mutable bool depends_on_master = false;
  mutable uint64_t master_generation = 0;

  void Invalidate() {
    std::lock_guard<std::mutex> lock(cache_mu);
    links_on = nullptr;
  }
};

ServiceIndex::ServiceIndex() : master_block_(MakeSnapshot({})) {}

ServiceIndex::~ServiceIndex() = default;

void ServiceIndex::Upsert(Service service) {
  Upsert(std::make_shared<const Service>(std::move(service)));
}

void ServiceIndex::Upsert(std::shared_ptr<const Service> service) {
  const absl::string_view ns_name = service->meta.namespace_name;
  const absl::string_view name = service->meta.name;
  const bool is_master =
      ns_name == kMasterServiceNamespace && name == kMasterServiceName;
  WriterLock lock(&mu_);
  auto ns_it = namespaces_.find(ns_name);
  if (ns_it == namespaces_.end()) {
    auto ns = std::make_unique<Namespace>(ns_name);
    const absl::string_view key = ns->name;
    ns_it = namespaces_.emplace(key, std::move(ns)).first;
  }
  Namespace& ns = *ns_it->second;
  auto it = ns.services.find(name);
  if (it == ns.services.end()) {
    ns.services.emplace(name, std::move(service));
    ++size_;
  } else {
    // Re-key: the old key points into the Service being replaced.
    auto node = ns.services.extract(it);
    node.key() = name;
    node.mapped() = std::move(service);
    ns.services.insert(std::move(node));
  }
  ns.Invalidate();
  if (is_master) InvalidateMasterLocked();
}

bool ServiceIndex::Delete(absl::string_view namespace_name,
                          absl::string_view name) {
  WriterLock lock(&mu_);
  auto ns_it = namespaces_.find(namespace_name);
  if (ns_it == namespaces_.end()) return false;
  Namespace& ns = *ns_it->second;
  auto it = ns.services.find(name);
  if (it == ns.services.end()) return false;
  const bool is_master =
      namespace_name == kMasterServiceNamespace && name == kMasterServiceName;
  ns.services.erase(it);
  --size_;
  if (ns.services.empty()) {
    namespaces_.erase(ns_it);
  } else {
    ns.Invalidate();
  }
  if (is_master) InvalidateMasterLocked();
  return true;
}

void ServiceIndex::InvalidateMasterLocked() {
  ++master_generation_;
  std::vector<std::shared_ptr<const Service>> visible;
  if (std::shared_ptr<const Service> master =
          FindLocked(kMasterServiceNamespace, kMasterServiceName);
      master != nullptr && IsServiceIPSet(*master)) {
    visible.push_back(std::move(master));
  }
  master_block_ = MakeSnapshot(std::move(visible));
}

ServiceIndex::Snapshot ServiceIndex::Lookup(absl::string_view pod_namespace,
                                            bool enable_service_links) const {
  ReaderLock lock(&mu_);
  if (!enable_service_links) return master_block_;
  auto ns_it = namespaces_.find(pod_namespace);
  // A namespace without Services sees exactly what links-off pods see.
  if (ns_it == namespaces_.end()) return master_block_;
  const Namespace& ns = *ns_it->second;
  std::lock_guard<std::mutex> cache_lock(ns.cache_mu);
  if (ns.links_on == nullptr ||
      (ns.depends_on_master && ns.master_generation != master_generation_)) {
    ns.links_on = BuildLinksOnLocked(pod_namespace, ns);
    ns.master_generation = master_generation_;
    auto own = ns.services.find(kMasterServiceName);
    ns.depends_on_master =
        own == ns.services.end() || !IsServiceIPSet(*own->second);
  }
  return ns.links_on;
}

ServiceIndex::Snapshot ServiceIndex::BuildLinksOnLocked(
    absl::string_view pod_namespace, const Namespace& ns) const {
  // The selection of VisibleServices: the namespace's Services with a
  // cluster IP, plus `default/kubernetes` unless the namespace has a
  // `kubernetes` of its own with a cluster IP (in `default` the two are one).
  std::shared_ptr<const Service> master;
  if (pod_namespace != kMasterServiceNamespace) {
    auto own = ns.services.find(kMasterServiceName);
    if (own == ns.services.end() || !IsServiceIPSet(*own->second)) {
      master = FindLocked(kMasterServiceNamespace, kMasterServiceName);
      if (master != nullptr && !IsServiceIPSet(*master)) master = nullptr;
    }
  }
  // Application order is (namespace, name): the master goes before or after
  // the whole namespace.
  const bool master_first = kMasterServiceNamespace < pod_namespace;
  std::vector<std::shared_ptr<const Service>> visible;
  visible.reserve(ns.services.size() + 1);
  if (master != nullptr && master_first) visible.push_back(master);
  for (const auto& [name, service] : ns.services) {
    if (IsServiceIPSet(*service)) visible.push_back(service);
  }
  if (master != nullptr && !master_first) visible.push_back(master);
  return MakeSnapshot(std::move(visible));
}

std::shared_ptr<const Service> ServiceIndex::Find(
    absl::string_view namespace_name, absl::string_view name) const {
  ReaderLock lock(&mu_);
  return FindLocked(namespace_name, name);
}

std::shared_ptr<const Service> ServiceIndex::FindLocked(
    absl::string_view namespace_name, absl::string_view name) const {
  auto ns_it = namespaces_.find(namespace_name);
  if (ns_it == namespaces_.end()) return nullptr;
  auto it = ns_it->second->services.find(name);
  if (it == ns_it->second->services.end()) return nullptr;
  return it->second;
}

size_t ServiceIndex::size() const {
  ReaderLock lock(&mu_);
  return size_;
}

size_t ServiceIndex::namespace_count() const {
  ReaderLock lock(&mu_);
  return namespaces_.size();
}

}  // namespace svcenv
