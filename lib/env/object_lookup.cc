#include "svcenv/object_lookup.h"

#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv {

ObjectsLookup::ObjectsLookup(const Objects& objects) {
  // try_emplace keeps the first of duplicates.
  for (const ConfigMap& cm : objects.config_maps) {
    config_maps_.try_emplace(Key(cm.meta.namespace_name, cm.meta.name), &cm);
  }
  for (const Secret& s : objects.secrets) {
    secrets_.try_emplace(Key(s.meta.namespace_name, s.meta.name), &s);
  }
  for (const Node& node : objects.nodes) {
    nodes_.try_emplace(node.meta.name, &node);
  }
}

const ConfigMap* ObjectsLookup::FindConfigMap(absl::string_view namespace_name,
                                              absl::string_view name) const {
  auto it = config_maps_.find(Key(namespace_name, name));
  return it == config_maps_.end() ? nullptr : it->second;
}

const Secret* ObjectsLookup::FindSecret(absl::string_view namespace_name,
                                        absl::string_view name) const {
  auto it = secrets_.find(Key(namespace_name, name));
  return it == secrets_.end() ? nullptr : it->second;
}

const Node* ObjectsLookup::FindNode(absl::string_view name) const {
  auto it = nodes_.find(name);
  return it == nodes_.end() ? nullptr : it->second;
}

}  // namespace svcenv
