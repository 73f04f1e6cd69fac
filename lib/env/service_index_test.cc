#include "svcenv/service_index.h"

#include <atomic>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/base/testing.h"
#include "svcenv/service_env.h"

namespace svcenv {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;

Service MakeService(std::string ns, std::string name, std::string ip,
                    std::vector<ServicePort> ports = {{"", 80, "TCP"}}) {
  Service s;
  s.meta.namespace_name = std::move(ns);
  s.meta.name = std::move(name);
  s.cluster_ip = std::move(ip);
  s.ports = std::move(ports);
  return s;
}

// A variable as text, with the identity of its Service: comparable across
// an index snapshot and a ComputeServiceEnvironment result.
using Flat = std::tuple<std::string, std::string, std::string, int>;

Flat Flatten(const ServiceVariable& v) {
  return {v.name, v.value,
          absl::StrCat(v.service->meta.namespace_name, "/",
                       v.service->meta.name, "@", v.service->cluster_ip),
          v.port_index};
}

std::vector<Flat> Flatten(const std::vector<ServiceVariable>& vars) {
  std::vector<Flat> out;
  for (const ServiceVariable& v : vars) out.push_back(Flatten(v));
  return out;
}

std::vector<std::pair<std::string, std::vector<Flat>>> Flatten(
    const std::vector<ServiceClash>& clashes) {
  std::vector<std::pair<std::string, std::vector<Flat>>> out;
  for (const ServiceClash& c : clashes)
    out.emplace_back(c.name, Flatten(c.candidates));
  return out;
}

// Expects `actual` to equal `expected` in every observable respect.
void ExpectSameEnvironment(const ServiceEnvironment& actual,
                           const ServiceEnvironment& expected,
                           const std::string& context) {
  EXPECT_EQ(Flatten(actual.variables), Flatten(expected.variables)) << context;
  EXPECT_EQ(Flatten(actual.clashes), Flatten(expected.clashes)) << context;
  EXPECT_EQ(actual.diagnostics, expected.diagnostics) << context;
}

std::map<std::string, std::string> Values(const ServiceEnvironment& env) {
  std::map<std::string, std::string> out;
  for (const ServiceVariable& v : env.variables) out[v.name] = v.value;
  return out;
}

TEST(ServiceIndex, EmptyIndexGivesEmptyBlocks) {
  ServiceIndex index;
  for (bool links : {true, false}) {
    ServiceIndex::Snapshot s = index.Lookup("shop", links);
    ASSERT_NE(s, nullptr);
    EXPECT_THAT(s->variables, IsEmpty());
    EXPECT_THAT(s->clashes, IsEmpty());
  }
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.namespace_count(), 0u);
}

TEST(ServiceIndex, UpsertAddsToItsNamespaceOnly) {
  ServiceIndex index;
  index.Upsert(MakeService("default", "kubernetes", "10.0.0.1",
                           {{"https", 443, "TCP"}}));
  index.Upsert(MakeService("shop", "redis", "10.0.0.11", {{"", 6379, "TCP"}}));
  index.Upsert(MakeService("blog", "db", "10.0.0.12", {{"", 5432, "TCP"}}));
  EXPECT_EQ(index.size(), 3u);
  EXPECT_EQ(index.namespace_count(), 3u);

  std::map<std::string, std::string> shop = Values(*index.Lookup("shop", true));
  EXPECT_THAT(shop, Contains(Pair("REDIS_SERVICE_HOST", "10.0.0.11")));
  EXPECT_THAT(shop, Contains(Pair("KUBERNETES_SERVICE_PORT_HTTPS", "443")));
  EXPECT_THAT(shop, Not(Contains(Key("DB_SERVICE_HOST"))));
  EXPECT_EQ(shop.size(), 7u + 8u);
}

TEST(ServiceIndex, UpsertReplacesAndOldSnapshotsKeepTheOldVersion) {
  ServiceIndex index;
  index.Upsert(MakeService("shop", "redis", "10.0.0.11", {{"", 6379, "TCP"}}));
  ServiceIndex::Snapshot before = index.Lookup("shop", true);
  index.Upsert(MakeService("shop", "redis", "10.0.0.99", {{"", 6380, "TCP"}}));
  ServiceIndex::Snapshot after = index.Lookup("shop", true);

  EXPECT_EQ(index.size(), 1u);
  EXPECT_THAT(Values(*after),
              Contains(Pair("REDIS_PORT", "tcp://10.0.0.99:6380")));
  EXPECT_THAT(Values(*before),
              Contains(Pair("REDIS_PORT", "tcp://10.0.0.11:6379")));
  // The old snapshot's Service is still alive and still the old version.
  EXPECT_EQ(before->variables[0].service->cluster_ip, "10.0.0.11");
  EXPECT_EQ(after->variables[0].service->cluster_ip, "10.0.0.99");
  EXPECT_EQ(index.Find("shop", "redis")->cluster_ip, "10.0.0.99");
}

TEST(ServiceIndex, DeleteRemovesAndReportsAbsence) {
  ServiceIndex index;
  index.Upsert(MakeService("shop", "redis", "10.0.0.11"));
  index.Upsert(MakeService("shop", "web", "10.0.0.12"));
  ServiceIndex::Snapshot before = index.Lookup("shop", true);

  EXPECT_TRUE(index.Delete("shop", "redis"));
  EXPECT_FALSE(index.Delete("shop", "redis"));
  EXPECT_FALSE(index.Delete("nowhere", "redis"));
  EXPECT_EQ(index.size(), 1u);
  std::map<std::string, std::string> shop = Values(*index.Lookup("shop", true));
  EXPECT_THAT(shop, Not(Contains(Key("REDIS_SERVICE_HOST"))));
  EXPECT_THAT(shop, Contains(Key("WEB_SERVICE_HOST")));
  EXPECT_THAT(Values(*before), Contains(Key("REDIS_SERVICE_HOST")));
  EXPECT_EQ(index.Find("shop", "redis"), nullptr);

  EXPECT_TRUE(index.Delete("shop", "web"));
  EXPECT_EQ(index.namespace_count(), 0u);
  EXPECT_THAT(index.Lookup("shop", true)->variables, IsEmpty());
}

TEST(ServiceIndex, CachedBlockIsReusedUntilItsNamespaceChanges) {
  ServiceIndex index;
  index.Upsert(MakeService("default", "kubernetes", "10.0.0.1"));
  index.Upsert(MakeService("shop", "redis", "10.0.0.11"));
  index.Upsert(MakeService("blog", "db", "10.0.0.12"));

  ServiceIndex::Snapshot shop = index.Lookup("shop", true);
  EXPECT_EQ(index.Lookup("shop", true), shop);  // Same object, no rebuild.

  index.Upsert(MakeService("blog", "cache", "10.0.0.13"));
  EXPECT_TRUE(index.Delete("blog", "db"));
  EXPECT_EQ(index.Lookup("shop", true), shop);

  index.Upsert(MakeService("shop", "web", "10.0.0.14"));
  ServiceIndex::Snapshot changed = index.Lookup("shop", true);
  EXPECT_NE(changed, shop);
  EXPECT_THAT(Values(*changed), Contains(Key("WEB_SERVICE_HOST")));
  EXPECT_THAT(Values(*shop), Not(Contains(Key("WEB_SERVICE_HOST"))));
}

TEST(ServiceIndex, LinksOffSeesOnlyDefaultKubernetesSharedByAllNamespaces) {
  ServiceIndex index;
  index.Upsert(MakeService("default", "kubernetes", "10.0.0.1",
                           {{"https", 443, "TCP"}}));
  index.Upsert(MakeService("default", "other", "10.0.0.2"));
  index.Upsert(MakeService("shop", "redis", "10.0.0.11"));
  index.Upsert(MakeService("shop", "kubernetes", "10.0.0.12"));

  ServiceIndex::Snapshot shop = index.Lookup("shop", false);
  EXPECT_EQ(index.Lookup("default", false), shop);
  EXPECT_EQ(index.Lookup("absent", false), shop);
  EXPECT_THAT(Values(*shop),
              Contains(Pair("KUBERNETES_SERVICE_HOST", "10.0.0.1")));
  EXPECT_EQ(shop->variables.size(), 8u);
  for (const ServiceVariable& v : shop->variables) {
    EXPECT_EQ(v.service->meta.namespace_name, "default");
    EXPECT_EQ(v.service->meta.name, "kubernetes");
  }
  // Changing a namespace does not touch the links-off block.
  index.Upsert(MakeService("shop", "web", "10.0.0.13"));
  EXPECT_EQ(index.Lookup("shop", false), shop);
}

TEST(ServiceIndex, MasterServiceMovingUpdatesEveryNamespace) {
  ServiceIndex index;
  index.Upsert(MakeService("shop", "redis", "10.0.0.11"));
  index.Upsert(MakeService("blog", "db", "10.0.0.12"));
  // No master yet: nobody sees KUBERNETES_*.
  EXPECT_THAT(Values(*index.Lookup("shop", true)),
              Not(Contains(Key("KUBERNETES_SERVICE_HOST"))));

  index.Upsert(MakeService("default", "kubernetes", "10.0.0.1"));
  for (const char* ns : {"shop", "blog", "default", "absent"}) {
    for (bool links : {true, false}) {
      EXPECT_THAT(Values(*index.Lookup(ns, links)),
                  Contains(Pair("KUBERNETES_SERVICE_HOST", "10.0.0.1")))
          << ns << " links=" << links;
    }
  }

  index.Upsert(MakeService("default", "kubernetes", "10.0.0.2"));
  for (const char* ns : {"shop", "blog", "default", "absent"}) {
    for (bool links : {true, false}) {
      EXPECT_THAT(Values(*index.Lookup(ns, links)),
                  Contains(Pair("KUBERNETES_SERVICE_HOST", "10.0.0.2")))
          << ns << " links=" << links;
    }
  }

  // Headless master: it contributes nothing anywhere.
  index.Upsert(MakeService("default", "kubernetes", "None"));
  EXPECT_THAT(Values(*index.Lookup("blog", true)),
              Not(Contains(Key("KUBERNETES_SERVICE_HOST"))));
  EXPECT_THAT(index.Lookup("blog", false)->variables, IsEmpty());

  index.Upsert(MakeService("default", "kubernetes", "10.0.0.3"));
  EXPECT_TRUE(index.Delete("default", "kubernetes"));
  EXPECT_THAT(Values(*index.Lookup("shop", true)),
              Not(Contains(Key("KUBERNETES_SERVICE_HOST"))));
  EXPECT_THAT(index.Lookup("shop", false)->variables, IsEmpty());
}

TEST(ServiceIndex, OwnKubernetesReplacesMasterOnlyWithLinksOn) {
  ServiceIndex index;
  index.Upsert(MakeService("default", "kubernetes", "10.0.0.1"));
  index.Upsert(MakeService("shop", "kubernetes", "10.0.0.50"));

  EXPECT_THAT(Values(*index.Lookup("shop", true)),
              Contains(Pair("KUBERNETES_SERVICE_HOST", "10.0.0.50")));
  EXPECT_THAT(Values(*index.Lookup("shop", false)),
              Contains(Pair("KUBERNETES_SERVICE_HOST", "10.0.0.1")));

  // The shop block no longer depends on the master: a master change leaves
  // it alone.
  ServiceIndex::Snapshot shop = index.Lookup("shop", true);
  index.Upsert(MakeService("default", "kubernetes", "10.0.0.2"));
  EXPECT_EQ(index.Lookup("shop", true), shop);

  // A headless own `kubernetes` does not hide the master.
  index.Upsert(MakeService("shop", "kubernetes", ""));
  EXPECT_THAT(Values(*index.Lookup("shop", true)),
              Contains(Pair("KUBERNETES_SERVICE_HOST", "10.0.0.2")));

  index.Upsert(MakeService("shop", "kubernetes", "10.0.0.51"));
  EXPECT_TRUE(index.Delete("shop", "kubernetes"));
  index.Upsert(MakeService("shop", "web", "10.0.0.52"));
  EXPECT_THAT(Values(*index.Lookup("shop", true)),
              Contains(Pair("KUBERNETES_SERVICE_HOST", "10.0.0.2")));
}

TEST(ServiceIndex, ClashesAreReportedAsComputeServiceEnvironmentDoes) {
  ServiceIndex index;
  std::vector<Service> services = {
      MakeService("shop", "redis", "10.0.0.11", {{"", 6379, "TCP"}}),
      MakeService("shop", "redis-service", "10.0.0.12", {{"", 6380, "TCP"}}),
      // `kubernetes-port-443-tcp` produces KUBERNETES_PORT_443_TCP_PORT, as
      // the master does; "aaa" sorts before "default", "zzz" after it.
      MakeService("aaa", "kubernetes-port-443-tcp", "10.0.0.13"),
      MakeService("zzz", "kubernetes-port-443-tcp", "10.0.0.14"),
      MakeService("default", "kubernetes", "10.0.0.1", {{"", 443, "TCP"}}),
  };
  for (const Service& s : services) index.Upsert(s);
  for (const char* ns : {"shop", "aaa", "zzz"}) {
    ServiceIndex::Snapshot got = index.Lookup(ns, true);
    EXPECT_THAT(got->clashes, Not(IsEmpty())) << ns;
    ExpectSameEnvironment(*got, ComputeServiceEnvironment(services, ns, true),
                          ns);
  }
}

TEST(ServiceIndex, ServiceWithoutPortsGivesTheSameDiagnostic) {
  ServiceIndex index;
  std::vector<Service> services = {
      MakeService("shop", "broken", "10.0.0.9", {})};
  index.Upsert(services[0]);
  ServiceIndex::Snapshot got = index.Lookup("shop", true);
  ASSERT_EQ(got->diagnostics.size(), 1u);
  ExpectSameEnvironment(*got, ComputeServiceEnvironment(services, "shop", true),
                        "shop");
}

TEST(ServiceIndex, SnapshotOutlivesTheIndex) {
  ServiceIndex::Snapshot snapshot;
  {
    ServiceIndex index;
    index.Upsert(MakeService("shop", "redis", "10.0.0.11"));
    snapshot = index.Lookup("shop", true);
    EXPECT_TRUE(index.Delete("shop", "redis"));
  }
  ASSERT_FALSE(snapshot->variables.empty());
  EXPECT_EQ(snapshot->variables[0].service->meta.name, "redis");
}

// Random upserts and deletes over a few namespaces and names chosen to make
// clashes, headless Services, port-less Services and own `kubernetes`
// Services common; after every step each lookup must equal
// ComputeServiceEnvironment over the same Services.
TEST(ServiceIndex, RandomisedAgainstComputeServiceEnvironment) {
  const std::vector<std::string> namespaces = {"default", "aaa", "shop", "zzz"};
  const std::vector<std::string> names = {"kubernetes",
                                          "redis",
                                          "redis-service",
                                          "kubernetes-service",
                                          "kubernetes-port-443-tcp",
                                          "web",
                                          "a.b"};
  const std::vector<std::string> ips = {"10.0.0.1", "10.0.0.2", "fd00::1", "",
                                        "None"};
  std::mt19937 rng(20240501);
  auto pick = [&rng](const auto& v) -> const auto& {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
  };
  auto random_ports = [&]() {
    std::vector<ServicePort> ports;
    const int n = std::uniform_int_distribution<int>(0, 3)(rng);
    for (int i = 0; i < n; ++i) {
      ports.push_back(ServicePort{
          n == 1 && rng() % 2
              ? ""
              : pick(std::vector<std::string>{"http", "https", "p-1", "tcp"}),
          static_cast<int32_t>(pick(std::vector<int>{80, 443, 6379})),
          pick(std::vector<std::string>{"TCP", "UDP", "", "SCTP"})});
    }
    if (ports.empty() && rng() % 4 != 0) ports.push_back({"", 80, "TCP"});
    return ports;
  };

  ServiceIndex index;
  std::map<std::pair<std::string, std::string>, Service> model;
  for (int step = 0; step < 400; ++step) {
    const std::string& ns = pick(namespaces);
    const std::string& name = pick(names);
    if (rng() % 4 == 0) {
      const bool existed = model.erase({ns, name}) > 0;
      EXPECT_EQ(index.Delete(ns, name), existed);
    } else {
      Service s = MakeService(ns, name, pick(ips), random_ports());
      model[{ns, name}] = s;
      index.Upsert(std::move(s));
    }
    ASSERT_EQ(index.size(), model.size());

    std::vector<Service> all;
    for (const auto& [key, s] : model) all.push_back(s);
    // Input order must not matter to the reference either.
    std::shuffle(all.begin(), all.end(), rng);
    for (const std::string& pod_ns :
         {namespaces[0], namespaces[1], namespaces[2], namespaces[3],
          std::string("absent")}) {
      for (bool links : {true, false}) {
        ExpectSameEnvironment(
            *index.Lookup(pod_ns, links),
            ComputeServiceEnvironment(all, pod_ns, links),
            absl::StrCat("step ", step, " ns ", pod_ns, " links ", links));
      }
    }
    if (HasFailure()) return;
  }
}

// One writer and two readers at once: every snapshot a reader sees is
// complete and consistent (each Service contributes its whole group).
TEST(ServiceIndex, ReadersAlongsideOneWriter) {
  ServiceIndex index;
  index.Upsert(MakeService("default", "kubernetes", "10.0.0.1"));
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  auto reader = [&]() {
    while (!done.load()) {
      for (bool links : {true, false}) {
        ServiceIndex::Snapshot s = index.Lookup("shop", links);
        // Every Service here has one unnamed port: 7 variables each.
        if (s->variables.size() % 7 != 0) ++bad;
        for (const ServiceVariable& v : s->variables) {
          if (v.service == nullptr || v.service->ports.size() != 1) ++bad;
        }
      }
    }
  };
  std::thread r1(reader), r2(reader);
  for (int i = 0; i < 2000; ++i) {
    const std::string name = absl::StrCat("svc", i % 37);
    if (i % 3 == 2) {
      index.Delete("shop", name);
    } else {
      index.Upsert(MakeService("shop", name, absl::StrCat("10.1.0.", i % 250)));
    }
    if (i % 100 == 0) {
      index.Upsert(
          MakeService("default", "kubernetes", absl::StrCat("10.0.0.", i % 7)));
    }
  }
  done = true;
  r1.join();
  r2.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace svcenv
