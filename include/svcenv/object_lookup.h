// include/svcenv/object_lookup.h
//
// How the environment computation asks for the objects a container reads:
// a ConfigMap or Secret by namespace and name, a Node by name, the way the
// kubelet asks its ConfigMap, Secret and Node managers. A node agent
// implements `ObjectLookup` over the informer caches it already has, so
// nothing is copied into vectors first; `ObjectsLookup` is the adapter over
// an `Objects` (decoded input), indexing it once.
//
// Lifetime: a pointer returned by a `Find*` call must stay valid until the
// call that asked for it (e.g. `ComputeEnvironment`, container_env.h)
// returns; results never keep it. Return null for an object that does not
// exist (the computation then applies the kubelet's not-found rules).
//
// Thread safety: the computation calls the lookup from the calling thread
// only; an implementation shared by several computing threads must be safe
// for concurrent const calls. `ObjectsLookup` is (it is immutable after
// construction).
//
// Example:
//   class InformerLookup : public svcenv::ObjectLookup {
//    public:
//     const svcenv::ConfigMap* FindConfigMap(
//         absl::string_view ns, absl::string_view name) const override {
//       return config_maps_.Get(ns, name);  // The agent's cache.
//     }
//     ...
//   };
//
//   svcenv::ObjectsLookup lookup(objects);  // Indexes once; reuse it.
//   const svcenv::Secret* s = lookup.FindSecret("shop", "db");
#ifndef SVCENV_INCLUDE_SVCENV_OBJECT_LOOKUP_H_
#define SVCENV_INCLUDE_SVCENV_OBJECT_LOOKUP_H_

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv {

class ObjectLookup {
 public:
  virtual ~ObjectLookup() = default;

  // The ConfigMap / Secret `name` in `namespace_name`, or null.
  virtual const ConfigMap* FindConfigMap(absl::string_view namespace_name,
                                         absl::string_view name) const = 0;
  virtual const Secret* FindSecret(absl::string_view namespace_name,
                                   absl::string_view name) const = 0;
  // The Node `name` (cluster-scoped), or null.
  virtual const Node* FindNode(absl::string_view name) const = 0;
};

// An `ObjectLookup` over `Objects`, built once in O(objects). With duplicates
// in the input (the same namespace/name twice) the first one stands for the
// object, as a GET returns one. `objects` must outlive the lookup and stay
// unchanged.
class ObjectsLookup final : public ObjectLookup {
 public:
  explicit ObjectsLookup(const Objects& objects);

  const ConfigMap* FindConfigMap(absl::string_view namespace_name,
                                 absl::string_view name) const override;
  const Secret* FindSecret(absl::string_view namespace_name,
                           absl::string_view name) const override;
  const Node* FindNode(absl::string_view name) const override;

 private:
  // Keys view the objects' own `meta` strings.
  using Key = std::pair<absl::string_view, absl::string_view>;
  absl::flat_hash_map<Key, const ConfigMap*> config_maps_;
  absl::flat_hash_map<Key, const Secret*> secrets_;
  absl::flat_hash_map<absl::string_view, const Node*> nodes_;
};

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_OBJECT_LOOKUP_H_
