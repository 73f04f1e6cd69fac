// lib/check/internal/context.h
//
// The read-only facts every rule of `svcenv::Check` works from: the Services
// (with where they came from and when they are created), the ConfigMaps and
// Secrets references resolve against, the apply/start order, and the facts
// of each namespace. Built once per `Check` call; rules only read it.
//
// Rules live in one file per family (lib/check/rules/ordering.cc,
// lib/check/rules/references.cc, lib/check/rules/clashes.cc, lib/check/rules/size.cc) and
// append `Finding`s for one container at a time (see check_rules.h).
//
// Thread-safety: a built context is immutable except for its cache of
// per-namespace Service blocks, which a mutex guards; concurrent reads are
// safe.
#ifndef SVCENV_LIB_CHECK_INTERNAL_CONTEXT_H_
#define SVCENV_LIB_CHECK_INTERNAL_CONTEXT_H_

#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "lib/check/internal/apply_order.h"
#include "svcenv/check.h"
#include "svcenv/container_analysis.h"
#include "svcenv/container_env.h"
#include "svcenv/object_lookup.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv::check_internal {

// A manifest Service without a cluster IP gets pending_cluster_ip.h's
// stand-in, `<cluster IP>`, as in `svcenv env`; sizes count it as an
// allocated address (AllocatedSize).


// A Service as the check sees it.
struct ServiceFacts {
  bool inventory = false;  // From the inventory: exists already.
  bool assumed = false;    // default/kubernetes, assumed present.
  bool allocated = false;  // Cluster IP stood in for (manifest Service).
  std::optional<int64_t> created;  // creationTimestamp, Unix seconds.
  ApplyPosition position;          // Apply order in manifest mode.
};

// What the rules know about one namespace, computed once when the context is
// built. Every per-namespace fact belongs here.
struct NamespaceFacts {
  // A container that declares a `*_PORT` name in its env.
  struct Declaration {
    std::string who;    // "Deployment ns/name container c".
    std::string image;  // Its image, as written.
  };
  // `*_PORT` name -> the first declaration of each image.
  std::map<std::string, std::vector<Declaration>> declared_ports;
  // Rounded average name length of the namespace's Services (10 without
  // any): the size rule's headroom estimate.
  int average_service_name = 10;
};

// What every container of one namespace with one `enableServiceLinks` value
// shares, computed once per `Check` (on first use), so that a container
// costs only its own entries and a search.
struct ServiceBlock {
  // = ComputeServiceEnvironment's; shared with every container environment
  // of the namespace (SharedContainerEnvironment), never copied per container.
  std::shared_ptr<const ServiceEnvironment> services;
  std::vector<const Service*> visible;  // VisibleServices' order.
  // Per `visible` entry, over every version of its (namespace, name) (the
  // inventory's and the objects'): when it is there.
  struct Presence {
    bool live_always = false;      // Assumed, or inventory without a time.
    bool manifest_always = false;  // Inventory, assumed, or has a time.
    std::optional<int64_t> created;  // The earliest creationTimestamp.
    ApplyPosition position;          // The earliest apply position.
  };
  std::vector<Presence> presence;
  // Live: indices into `visible` of Services not always there, with a
  // creation time, ascending by it; and of those without one (missing at
  // every recorded start).
  std::vector<size_t> by_creation;
  std::vector<size_t> never_created;
  // known-variable-overwrite: indices into `services.variables` whose value
  // is a URL, that no clash involves, and that a catalogue pattern names or
  // a container of the namespace declares (whether a container reads it
  // depends on the container).
  std::vector<size_t> catalogue_candidates;
  // `MakeEnvVariableName` of the namespace's own Services with a cluster IP.
  absl::flat_hash_set<std::string> own_prefixes;
  // environment-size: the block's variables as exec strings
  // (`NAME=value` and its NUL, a pending cluster IP counted as allocated),
  // totalled once so that a container adds only its own entries and
  // subtracts the few it hides.
  struct ExecSize {
    int64_t bytes = 0;
    int64_t largest = 0;      // The longest variable's string.
    size_t largest_index = 0;  // Into `services.variables`.
  };
  ExecSize exec_size;
};

// The Services that exist when a container (re)starts, as copies.
struct StartSet {
  std::vector<const Service*> services;  // Into the context's Services.
  bool live = false;
  std::string start_text;  // Live: when the container started.
  int64_t start = 0;
};

// ConfigMaps, Secrets and Nodes from the inventory, else from the checked
// objects: two indexes built once, no merged copy of either.
class InventoryFirstLookup final : public ObjectLookup {
 public:
  InventoryFirstLookup(const Objects& inventory, const Objects& objects)
      : inventory_(inventory), objects_(objects) {}

  const ConfigMap* FindConfigMap(absl::string_view namespace_name,
                                 absl::string_view name) const override {
    const ConfigMap* found = inventory_.FindConfigMap(namespace_name, name);
    return found != nullptr ? found
                            : objects_.FindConfigMap(namespace_name, name);
  }
  const Secret* FindSecret(absl::string_view namespace_name,
                           absl::string_view name) const override {
    const Secret* found = inventory_.FindSecret(namespace_name, name);
    return found != nullptr ? found : objects_.FindSecret(namespace_name, name);
  }
  const Node* FindNode(absl::string_view name) const override {
    const Node* found = inventory_.FindNode(name);
    return found != nullptr ? found : objects_.FindNode(name);
  }

 private:
  ObjectsLookup inventory_;
  ObjectsLookup objects_;
};


class CheckContext {
 public:
  CheckContext(const Objects& objects, const Objects& inventory,
               const CheckOptions& options);

  CheckContext(const CheckContext&) = delete;
  CheckContext& operator=(const CheckContext&) = delete;

  const Objects& objects() const { return objects_; }
  const CheckOptions& options() const { return options_; }
  // The shipped catalogue, then `options.extra_catalogue`.
  const std::vector<CatalogueEntry>& catalogue() const { return catalogue_; }
  // Inventory Services, then the objects' ones, then the assumed
  // default/kubernetes. Never resized after construction.
  const std::vector<const Service*>& services() const { return services_; }
  // Services that are not assumed.
  int real_service_count() const;

  // `service` must point into `services()`.
  const ServiceFacts& FactsOf(const Service* service) const;

  // The facts of `namespace_name`; an empty default for a namespace with no
  // Service and no declaration.
  const NamespaceFacts& Namespace(const std::string& namespace_name) const;

  // The Service variables a container of `namespace_name` sees at its
  // latest start (every Service).
  std::shared_ptr<const ServiceEnvironment> ServicesFor(
      const std::string& namespace_name, bool links) const;

  // The shared facts of a container of `namespace_name`; built on first
  // use, then reused while it is among the most recently used few
  // (thread-safe). A cluster dump lists pods by namespace, so each block is
  // built about once, and only a few are alive at a time: a hundred
  // namespaces' blocks at once took more memory than the dump itself.
  std::shared_ptr<const ServiceBlock> Block(const std::string& namespace_name,
                                            bool links) const;

  // The Service block a container of `pod` saw at its first start (as
  // `StartOf` and `AddFirstStartServices` decide), or null where `StartOf`
  // is nullopt. Cached by namespace, links setting and start (second, or
  // apply position), since the containers of a workload share it.
  std::shared_ptr<const ServiceEnvironment> FirstStartServices(
      const Pod& pod, const Container& container, bool links) const;

  // The Service named `name` in `namespace_name` as the rules see it (the
  // last version: a manifest's over the inventory's), or null.
  const Service* FindService(absl::string_view namespace_name,
                             absl::string_view name) const;

  // The Services a container of `pod` sees at its latest start but not at
  // `start` (as `StartOf` returns it), in application order:
  // a binary search in creation order for live pods.
  std::vector<const Service*> LateServices(const Pod& pod, bool links,
                                           const StartSet& start) const;

  // When the container starts as far as the Services it got go (`services`
  // left empty: AddFirstStartServices fills them); nullopt for a live
  // container that is waiting or terminated (its next start sees every
  // current Service) or that ran for good.
  std::optional<StartSet> StartOf(const Pod& pod,
                                  const Container& container) const;

  // The analysis of the container (container_analysis.h, the one every
  // command makes) against `services` (shared, not copied), with ConfigMaps,
  // Secrets and Nodes asked from the inventory, then the objects, through
  // lookups indexed once. Its diagnostics are the container's own: the
  // block's are the rules' business. `partial`: in partial mode
  // (container_env.h), refusals listed instead of failing.
  absl::StatusOr<ContainerAnalysis> Analyze(
      const Pod& pod, const Container& container,
      std::shared_ptr<const ServiceEnvironment> services,
      bool partial = false) const;

  // Apply order of an object of `kind` in manifest mode
  // (check_apply_order.h).
  ApplyPosition Position(
      absl::string_view kind,
      const std::map<std::string, std::string>& annotations,
      const Origin& origin) const;
  // The position of a pod or pod template.
  ApplyPosition PodPosition(const Pod& pod) const;

  // Fills `start` (as `StartOf` returned it for a container of `pod`) with
  // the Services present at the container's first start (manifests) or at
  // its recorded start (live).
  void AddFirstStartServices(const Pod& pod, StartSet* start) const;

  // Replaces the stand-in cluster IP in a value for display.
  std::string Display(absl::string_view value, const Service* service) const;

  // "Service ns/name (file:line)", "(inventory ...)" or "(assumed)".
  std::string DescribeService(const Service& service) const;

 private:
  const Objects& objects_;
  const CheckOptions& options_;
  std::vector<CatalogueEntry> catalogue_;
  // The inventory's Services, then the objects', then the assumed
  // default/kubernetes: pointers to the callers' objects, or into
  // `adjusted_` for the few that differ (a pending cluster IP's stand-in, the
  // assumed one). Copying every Service doubled the memory of a cluster dump.
  std::vector<const Service*> services_;
  std::deque<Service> adjusted_;
  std::vector<ServiceFacts> facts_;  // Parallel to services_.
  absl::flat_hash_map<const Service*, size_t> index_;  // Into services_.
  // The inventory's objects win over the checked ones of the same name.
  InventoryFirstLookup lookup_;
  std::map<std::string, NamespaceFacts> namespaces_;
  // Key(service) -> indices into services_ of its versions.
  absl::flat_hash_map<std::string, std::vector<size_t>> versions_;
  ServiceBlock BuildBlock(const std::string& namespace_name, bool links) const;

  // Most recently used first.
  struct RecentBlock {
    std::string namespace_name;
    bool links;
    std::shared_ptr<const ServiceBlock> block;
  };
  static constexpr size_t kRecentBlocks = 4;
  mutable absl::Mutex blocks_mu_;
  mutable std::list<RecentBlock> recent_blocks_ ABSL_GUARDED_BY(blocks_mu_);
  // FirstStartServices' cache, most recently used first.
  struct RecentFirstStart {
    std::string key;
    std::shared_ptr<const ServiceEnvironment> services;
  };
  static constexpr size_t kRecentFirstStarts = 8;
  mutable std::list<RecentFirstStart> recent_first_starts_
      ABSL_GUARDED_BY(blocks_mu_);
};

// "ns/name".
std::string Key(const Service& service);

// `file:line`, or `file document N[ item M]` (1-based) without a line.
std::string Where(const Origin& origin);

// 1234567 -> "1,234,567".
std::string WithThousands(int64_t n);

bool IsUrl(absl::string_view value);

// `pattern` is a name, `PREFIX*` or `*SUFFIX`.
bool MatchesPattern(absl::string_view pattern, absl::string_view name);

// `glob` with `*` matching any run of bytes, against the image reference
// without its digest.
bool ImageMatches(absl::string_view glob, absl::string_view image);

RelatedObject Related(const Service& service);

// A finding about `container` of `pod`, located at `line` when positive,
// else at the container.
Finding MakeFinding(const Pod& pod, const Container& container,
                    const char* rule, Severity severity, int line);

// The line of the `env` entry an environment entry comes from, else the
// container's.
int EnvLine(const Container& container, const EnvEntry& entry);
int EnvLine(const Container& container,
            const SharedContainerEnvironment::OwnVariable& variable);

}  // namespace svcenv::check_internal

#endif  // SVCENV_LIB_CHECK_INTERNAL_CONTEXT_H_
