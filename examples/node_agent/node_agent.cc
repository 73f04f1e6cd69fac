// examples/node_agent/node_agent.cc
//
// A toy node agent: follows a JSON-lines stream of watch events (what
// `kubectl get --watch -o json` or an informer hands over), keeps Services in
// a svcenv::ServiceIndex and ConfigMaps/Secrets in its own cache, and prints
// the environment of every container of every pod that starts (a Pod ADDED).
//
//   node_agent EVENTS.jsonl
//
// Each line: {"type": "ADDED"|"MODIFIED"|"DELETED", "object": {...}} with a
// Service, Pod, ConfigMap or Secret. Secret-derived values print as
// <secret>. A container the kubelet would refuse prints the reason code, the
// kubelet's event text and what to watch, and the agent goes on.
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "svcenv/container_env.h"
#include "svcenv/decode.h"
#include "svcenv/env_dependency.h"
#include "svcenv/env_refusal.h"
#include "svcenv/object_lookup.h"
#include "svcenv/objects.h"
#include "svcenv/service_index.h"

namespace {

using Key = std::pair<std::string, std::string>;  // namespace, name

// The agent's informer caches, answering svcenv's lookups directly.
class Caches : public svcenv::ObjectLookup {
 public:
  const svcenv::ConfigMap* FindConfigMap(absl::string_view ns,
                                         absl::string_view name) const override {
    auto it = config_maps_.find(Key(ns, name));
    return it == config_maps_.end() ? nullptr : &it->second;
  }
  const svcenv::Secret* FindSecret(absl::string_view ns,
                                   absl::string_view name) const override {
    auto it = secrets_.find(Key(ns, name));
    return it == secrets_.end() ? nullptr : &it->second;
  }
  const svcenv::Node* FindNode(absl::string_view) const override {
    return nullptr;  // This agent does not watch Nodes.
  }

  void Apply(bool deleted, svcenv::ConfigMap cm) {
    Key key(cm.meta.namespace_name, cm.meta.name);
    if (deleted) {
      config_maps_.erase(key);
    } else {
      config_maps_[key] = std::move(cm);
    }
  }
  void Apply(bool deleted, svcenv::Secret s) {
    Key key(s.meta.namespace_name, s.meta.name);
    if (deleted) {
      secrets_.erase(key);
    } else {
      secrets_[key] = std::move(s);
    }
  }

 private:
  std::map<Key, svcenv::ConfigMap> config_maps_;
  std::map<Key, svcenv::Secret> secrets_;
};

std::string DependencyText(const svcenv::Dependency& d) {
  switch (d.kind) {
    case svcenv::DependencyKind::kConfigMap:
      return absl::StrCat("ConfigMap ", d.namespace_name, "/", d.name,
                          d.found ? "" : " (missing)");
    case svcenv::DependencyKind::kSecret:
      return absl::StrCat("Secret ", d.namespace_name, "/", d.name,
                          d.found ? "" : " (missing)");
    case svcenv::DependencyKind::kNode:
      return absl::StrCat("Node ", d.name, d.found ? "" : " (missing)");
    case svcenv::DependencyKind::kServiceNamespace:
      return absl::StrCat("Services of ", d.namespace_name);
    case svcenv::DependencyKind::kService:
      return absl::StrCat("Service ", d.namespace_name, "/", d.name);
  }
  return "";
}

bool FromSecret(const svcenv::SharedContainerEnvironment::OwnVariable& v,
                const std::set<std::string>& secret_names) {
  if (v.source.kind == svcenv::SourceKind::kSecretEnvFrom ||
      v.source.kind == svcenv::SourceKind::kSecretKeyRef) {
    return true;
  }
  for (const std::string& ref : v.expanded_references) {
    if (secret_names.count(ref) > 0) return true;
  }
  return false;
}

void StartContainer(const svcenv::Pod& pod, const svcenv::Container& container,
                    const svcenv::ServiceIndex& index, const Caches& caches) {
  std::cout << "# start " << pod.meta.namespace_name << "/" << pod.meta.name
            << " container " << container.name << "\n";
  // The Service block is a shared snapshot: a cache hit copies one pointer.
  svcenv::ServiceIndex::Snapshot block = index.Lookup(
      pod.meta.namespace_name, pod.enable_service_links.value_or(true));
  absl::StatusOr<svcenv::SharedContainerEnvironment> env =
      svcenv::ComputeEnvironment(pod, container, std::move(block), caches, {});
  if (!env.ok()) {
    std::optional<svcenv::Refusal> refusal =
        svcenv::RefusalFromStatus(env.status());
    if (!refusal.has_value()) {
      std::cout << "# error: " << env.status().message() << "\n";
      return;
    }
    std::cout << "# refused (" << svcenv::RefusalReasonName(refusal->reason)
              << "): Error: " << refusal->kubelet_message << "\n";
    if (!refusal->object_name.empty()) {
      std::cout << "# retry when " << refusal->object_kind << " "
                << refusal->object_namespace << "/" << refusal->object_name
                << " changes\n";
    }
    return;
  }
  std::set<std::string> secret_names;
  for (const auto& v : env->own()) {
    if (FromSecret(v, secret_names)) secret_names.insert(v.name);
  }
  for (const svcenv::SharedContainerEnvironment::Variable& v : *env) {
    const bool hide = v.own != nullptr && secret_names.count(v.own->name) > 0;
    std::cout << v.name << "=" << (hide ? "<secret>" : v.value) << "\n";
  }
  std::cout << "# watch:";
  for (const svcenv::Dependency& d : env->dependencies()) {
    std::cout << " [" << DependencyText(d) << "]";
  }
  std::cout << "\n";
}

absl::Status Run(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  svcenv::ServiceIndex index;
  Caches caches;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const std::string where = absl::StrCat(path, ":", number);
    nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    if (event.is_discarded() || !event.is_object() ||
        !event.contains("type") || !event["type"].is_string() ||
        !event.contains("object")) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": not a watch event {\"type\", \"object\"}"));
    }
    const std::string type = event["type"].get<std::string>();
    if (type != "ADDED" && type != "MODIFIED" && type != "DELETED") {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": unknown event type \"", type, "\""));
    }
    const bool deleted = type == "DELETED";
    svcenv::Objects objects;
    if (absl::Status s = svcenv::DecodeText(event["object"].dump(), where,
                                            svcenv::DecodeOptions(), &objects);
        !s.ok()) {
      return s;
    }
    for (svcenv::Service& s : objects.services) {
      if (deleted) {
        index.Delete(s.meta.namespace_name, s.meta.name);
      } else {
        index.Upsert(std::move(s));
      }
    }
    for (svcenv::ConfigMap& cm : objects.config_maps) {
      caches.Apply(deleted, std::move(cm));
    }
    for (svcenv::Secret& s : objects.secrets) caches.Apply(deleted, std::move(s));
    // A Pod ADDED is a start: init containers, then app containers.
    for (const svcenv::Pod& pod : objects.pods) {
      if (type != "ADDED") continue;
      for (const svcenv::Container& c : pod.init_containers) {
        StartContainer(pod, c, index, caches);
      }
      for (const svcenv::Container& c : pod.containers) {
        StartContainer(pod, c, index, caches);
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: node_agent EVENTS.jsonl\n";
    return 2;
  }
  if (absl::Status s = Run(argv[1]); !s.ok()) {
    std::cerr << "node_agent: " << s.message() << "\n";
    return 2;
  }
  return 0;
}
