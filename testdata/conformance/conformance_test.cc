// Replays the conformance vectors (docs/conformance.md): each holds a case
// and what the real kubelet of each release returned (harness/ computed it
// with the kubelet's own makeEnvironmentVariables and
// ExpandContainerCommandAndArgs). Every case is decoded with DecodeText and
// run through ComputeContainerEnvironment with that release's
// `--kubelet-version` profile; the environment is compared as a set of
// names and values (the kubelet's order is Go map order), command and args
// exactly, and an error against the kubelet's error text.
//
// Where the kubelet's answer depends on Go map order (a variable two
// Services of different names produce: the vector's `ambiguous`), svcenv's
// Service value must be one of the candidates, and whatever expands it is
// not compared. No Go, no network: run by `./bazelw test //...`. run.sh
// points SVCENV_CONFORMANCE_VECTORS at a freshly generated batch.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/base/testing.h"
#include "lib/env/internal/kubelet_case.h"
#include "nlohmann/json.hpp"
#include "svcenv/container_env.h"
#include "svcenv/decode.h"
#include "svcenv/env_refusal.h"
#include "svcenv/kubelet_version.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {

using nlohmann::json;

struct Outcome {
  std::string problem;  // Empty: agrees.
  bool loose = false;   // Some value was compared as "any candidate".
};

// True when `text` contains `$(name)` for a name in `names`.
bool MentionsAny(const std::string& text, const std::set<std::string>& names) {
  for (const std::string& name : names) {
    if (text.find(absl::StrCat("$(", name, ")")) != std::string::npos)
      return true;
  }
  return false;
}

SourceKind SourceOf(const ContainerEnvironment& env, const std::string& name) {
  for (const EnvEntry& e : env.env) {
    if (e.name == name) return e.source.kind;
  }
  return SourceKind::kLiteral;
}

Outcome RunCase(const json& in, int minor, const json& want) {
  Outcome outcome;
  absl::StatusOr<testing_internal::KubeletCase> decoded =
      testing_internal::DecodeKubeletCase(in, "vector");
  if (!decoded.ok()) {
    outcome.problem = absl::StrCat("decode: ", decoded.status().ToString());
    return outcome;
  }
  Objects& objects = decoded->objects;
  const bool has_lister = decoded->has_service_lister;
  Pod& pod = objects.pods.at(0);
  // The IPs the runtime reported (the kubelet's podIPs argument).
  pod.pod_ips = in.value("podIPs", std::vector<std::string>());
  pod.host_ips.clear();
  Node node;
  node.meta.name = pod.node_name;
  const json node_in = in.value("node", json::object());
  for (const std::string& ip :
       node_in.value("hostIPs", std::vector<std::string>())) {
    node.addresses.push_back({"InternalIP", ip});
  }
  const json allocatable = node_in.value("allocatable", json::object());
  for (const auto& [k, v] : allocatable.items())
    node.allocatable[k] = v.is_string() ? v.get<std::string>() : v.dump();

  EnvironmentOptions options;
  options.kubelet = KubeletVersion::FromMinor(minor).value();
  options.node = &node;
  // The runtime's IPs: the kubelet orders them itself (sortPodIPs), the
  // family of its first --node-ip first, IPv4 without one.
  options.pod_ips_as_reported = false;
  options.node_ipv6_primary = false;
  const std::vector<std::string> node_ips =
      node_in.value("nodeIPs", std::vector<std::string>());
  if (!node_ips.empty()) {
    // utilnet.IsIPv4 on the first: an IPv4-mapped address counts as IPv4.
    options.node_ipv6_primary =
        node_ips[0].find(':') != std::string::npos &&
        node_ips[0].find('.') == std::string::npos;
  }
  options.default_requests_from_limits = true;
  ServiceEnvironment services;
  if (has_lister) {
    services =
        ComputeServiceEnvironment(objects.services, pod.meta.namespace_name,
                                  pod.enable_service_links.value_or(true));
  }
  const Container* container =
      FindContainer(pod, in.value("container", std::string()));
  if (container == nullptr) {
    outcome.problem = "container not found";
    return outcome;
  }
  absl::StatusOr<ContainerEnvironment> env =
      ComputeContainerEnvironment(pod, *container, services, objects, options);

  const bool want_error = !want["error"].is_null();
  if (want_error || !env.ok()) {
    if (!want_error) {
      outcome.problem =
          absl::StrCat("kubelet ok, svcenv ", env.status().ToString());
    } else if (env.ok()) {
      outcome.problem = absl::StrCat("kubelet error ", want["error"].dump(),
                                     ", svcenv ok");
    } else {
      std::optional<Refusal> refusal = RefusalFromStatus(env.status());
      const std::string got =
          refusal ? refusal->kubelet_message : env.status().ToString();
      const std::string kubelet = want["error"].get<std::string>();
      // Deliberate (docs/conformance.md): for a label or annotation key that
      // is not a qualified name svcenv gives the kubelet's sentence without
      // apimachinery's IsQualifiedName explanation after ": ".
      const bool explained_subscript =
          absl::StartsWith(got, "invalid key subscript in ") &&
          absl::StartsWith(kubelet, absl::StrCat(got, ": "));
      if (got != kubelet && !explained_subscript) {
        outcome.problem = absl::StrCat("error text: kubelet ",
                                       want["error"].dump(),
                                       ", svcenv ", json(got).dump());
      }
    }
    return outcome;
  }

  std::map<std::string, std::vector<std::string>> ambiguous;
  if (want.contains("ambiguous")) {
    for (const auto& [k, v] : want["ambiguous"].items())
      ambiguous[k] = v.get<std::vector<std::string>>();
  }
  // Names whose kubelet value depends on map order, and own variables
  // expanding them (to a fixed point: a literal may expand another one).
  // An expansion may have seen an ambiguous Service variable that a later
  // own variable of the same name replaced: every ambiguous name counts.
  std::set<std::string> loose;
  for (const auto& [name, values] : ambiguous) loose.insert(name);
  for (bool grew = true; grew;) {
    grew = false;
    for (const EnvEntry& e : env->env) {
      if (loose.count(e.name)) continue;
      for (const std::string& ref : e.expanded_references) {
        if (loose.count(ref)) {
          loose.insert(e.name);
          grew = true;
          break;
        }
      }
    }
  }

  std::vector<std::string> problems;
  std::map<std::string, std::string> got;
  for (const EnvEntry& e : env->env) {
    if (!got.emplace(e.name, e.value).second)
      problems.push_back(absl::StrCat("duplicate name ", e.name));
  }
  std::map<std::string, std::string> expected;
  for (const auto& [k, v] : want["env"].items())
    expected[k] = v.get<std::string>();
  for (const auto& [k, v] : expected) {
    auto it = got.find(k);
    if (it == got.end()) {
      problems.push_back(absl::StrCat("missing ", k));
    } else if (loose.count(k) && (!ambiguous.count(k) ||
                                  SourceOf(*env, k) == SourceKind::kService)) {
      outcome.loose = true;
      auto candidates = ambiguous.find(k);
      if (candidates != ambiguous.end() &&
          std::find(candidates->second.begin(), candidates->second.end(),
                    it->second) == candidates->second.end()) {
        problems.push_back(absl::StrCat(k, ": svcenv ", json(it->second).dump(),
                                        " is none of the Services' values"));
      }
    } else if (it->second != v) {
      problems.push_back(absl::StrCat(k, ": kubelet ", json(v).dump(),
                                      ", svcenv ", json(it->second).dump()));
    }
  }
  for (const auto& [k, v] : got) {
    if (!expected.count(k)) problems.push_back(absl::StrCat("extra ", k));
  }
  for (const char* key : {"command", "args"}) {
    const std::vector<std::string> w =
        want[key].get<std::vector<std::string>>();
    const std::vector<std::string>& g =
        std::string(key) == "command" ? env->command : env->args;
    if (w.size() != g.size()) {
      problems.push_back(absl::StrCat(key, " length differs"));
      continue;
    }
    for (size_t i = 0; i < w.size(); ++i) {
      const std::string& raw = std::string(key) == "command"
                                   ? container->command[i]
                                   : container->args[i];
      if (MentionsAny(raw, loose)) {
        outcome.loose = true;
      } else if (w[i] != g[i]) {
        problems.push_back(absl::StrCat(key, "[", i, "]: kubelet ",
                                        json(w[i]).dump(), ", svcenv ",
                                        json(g[i]).dump()));
      }
    }
  }
  outcome.problem = absl::StrJoin(problems, "; ");
  return outcome;
}

TEST(Conformance, AgreesWithTheRealKubelet) {
  const char* override_path = std::getenv("SVCENV_CONFORMANCE_VECTORS");
  const std::string path = override_path != nullptr && *override_path
                               ? override_path
                               : "testdata/conformance/vectors.jsonl";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << path;
  struct Tally {
    int agreed = 0, loose = 0, disagreed = 0;
  };
  std::map<std::string, Tally> tallies;
  int shown = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const json vector = json::parse(line, nullptr, false);
    ASSERT_FALSE(vector.is_discarded()) << path;
    for (const auto& [release, want] : vector["kubelet"].items()) {
      const int minor = std::stoi(release.substr(release.find('.') + 1));
      const Outcome outcome = RunCase(vector["input"], minor, want);
      Tally& tally = tallies[release];
      if (outcome.problem.empty()) {
        ++tally.agreed;
        tally.loose += outcome.loose;
      } else {
        ++tally.disagreed;
        if (shown++ < 40) {
          ADD_FAILURE() << vector["input"].value("name", "?") << " at kubelet "
                        << release << ": " << outcome.problem;
        }
      }
    }
  }
  int disagreed = 0;
  for (const auto& [release, tally] : tallies) {
    std::cout << "kubelet " << release << ": " << tally.agreed + tally.disagreed
              << " cases, " << tally.agreed << " agreed (" << tally.loose
              << " within Go map order), " << tally.disagreed
              << " disagreed\n";
    disagreed += tally.disagreed;
  }
  EXPECT_EQ(disagreed, 0);
  EXPECT_FALSE(tallies.empty());
}

}  // namespace
}  // namespace svcenv
