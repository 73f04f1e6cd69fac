// include/svcenv/env_dependency.h
//
// What a container's environment was computed from: every ConfigMap and
// Secret it read or looked for (optional ones that were missing included),
// the Node, and the Services. A node agent watches these and recomputes the
// environment (at the container's next start) when one of them changes or
// appears.
//
// Value type; thread-safe.
//
// Example:
//   for (const svcenv::Dependency& d : env->dependencies())
//     if (d.kind == svcenv::DependencyKind::kSecret && !d.found)
//       WatchSecret(d.namespace_name, d.name);
#ifndef SVCENV_INCLUDE_SVCENV_ENV_DEPENDENCY_H_
#define SVCENV_INCLUDE_SVCENV_ENV_DEPENDENCY_H_

#include <string>

namespace svcenv {

enum class DependencyKind {
  kConfigMap,  // namespace_name/name.
  kSecret,     // namespace_name/name.
  kNode,       // name (cluster-scoped; namespace_name empty).
  // Every Service of namespace_name (name empty): the pod's own namespace
  // when `enableServiceLinks` is on.
  kServiceNamespace,
  // One Service, namespace_name/name: `default/kubernetes`, which every pod
  // sees whatever its links setting.
  kService,
};

struct Dependency {
  DependencyKind kind = DependencyKind::kConfigMap;
  std::string namespace_name;
  std::string name;
  // Whether the lookup found it. Always true for kServiceNamespace and
  // kService (the Service block is given, not looked up).
  bool found = true;
  // ConfigMap/Secret: every reference to it was optional (a missing one is
  // then skipped rather than refused).
  bool optional = false;

  friend bool operator==(const Dependency& a, const Dependency& b) {
    return a.kind == b.kind && a.namespace_name == b.namespace_name &&
           a.name == b.name && a.found == b.found && a.optional == b.optional;
  }
};

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_ENV_DEPENDENCY_H_
