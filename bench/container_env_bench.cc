// bench/container_env_bench.cc
//
// The whole environment of one container as a node agent computes it at
// container start, with the Service block taken from a warm ServiceIndex
// (BM_ContainerEnvironment: the shared form; ...Materialized: as a flat
// name/value list; ...Explained: every source spelled out; ...Memory: heap
// per live result; BM_ContainerStartChurn: starts across 100 namespaces while
// Services change). The pod is bench/pod.yaml's, built here in code.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bench/synthetic.h"
#include "benchmark/benchmark.h"
#include "svcenv/container_env.h"
#include "svcenv/object_lookup.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"
#include "svcenv/service_index.h"

namespace svcenv {
namespace bench {
namespace {

EnvVar Literal(std::string name, std::string value) {
  EnvVar v;
  v.name = std::move(name);
  v.value = std::move(value);
  return v;
}

EnvVar FieldRef(std::string name, std::string path) {
  EnvVar v;
  v.name = std::move(name);
  v.value_from.emplace().field_ref = ObjectFieldSelector{"v1", std::move(path)};
  return v;
}

EnvVar ResourceRef(std::string name, std::string resource,
                   std::string divisor) {
  EnvVar v;
  v.name = std::move(name);
  v.value_from.emplace().resource_field_ref =
      ResourceFieldSelector{"", std::move(resource), std::move(divisor)};
  return v;
}

EnvVar KeyRef(std::string name, bool secret, std::string object,
              std::string key) {
  EnvVar v;
  v.name = std::move(name);
  KeySelector selector{std::move(object), std::move(key), false};
  if (secret) {
    v.value_from.emplace().secret_key_ref = std::move(selector);
  } else {
    v.value_from.emplace().config_map_key_ref = std::move(selector);
  }
  return v;
}

// The objects of bench/pod.yaml: a pod in `team-000` whose one container has
// 20 env entries (field, resource and key references; literals with
// `$(...)` references to Services, envFrom keys and earlier entries) and two
// envFrom sources, with its ConfigMaps and Secrets.
Objects MakeWorkload() {
  Objects objects;
  const std::string ns = NamespaceName(0);

  ConfigMap config;
  config.meta.namespace_name = ns;
  config.meta.name = "app-config";
  config.data = {{"log-level", "info"}, {"features", "a,b,c"}};
  objects.config_maps.push_back(config);

  ConfigMap env;
  env.meta.namespace_name = ns;
  env.meta.name = "app-env";
  for (int i = 0; i < 18; ++i) {
    env.data[absl::StrCat("SETTING_", i)] = absl::StrCat("value-", i);
  }
  env.data["TIMEOUT"] = "30s";
  env.data["REGION"] = "eu-west-1";
  objects.config_maps.push_back(env);

  Secret secrets;
  secrets.meta.namespace_name = ns;
  secrets.meta.name = "app-secrets";
  secrets.type = "Opaque";
  secrets.data = {{"db-password", "s3cr3t"}, {"api-token", "t0k3n"}};
  objects.secrets.push_back(secrets);

  Secret secret_env;
  secret_env.meta.namespace_name = ns;
  secret_env.meta.name = "app-secret-env";
  secret_env.type = "Opaque";
  for (int i = 0; i < 5; ++i) {
    secret_env.data[absl::StrCat("KEY_", i)] = absl::StrCat("secret-", i);
  }
  objects.secrets.push_back(secret_env);

  Pod pod;
  pod.meta.namespace_name = ns;
  pod.meta.name = "bench-pod";
  pod.workload_kind = "Pod";
  pod.workload_name = "bench-pod";
  pod.node_name = "node-1";
  pod.pod_ips = {"10.244.1.7"};
  pod.host_ips = {"192.168.1.10"};
  Container c;
  c.name = "app";
  c.image = "registry.example/app:1.0";
  c.resources.limits = {{"memory", "512Mi"}, {"cpu", "1"}};
  c.resources.requests = {{"memory", "256Mi"}, {"cpu", "250m"}};
  c.env_from.push_back(
      EnvFromSource{"CFG_", EnvFromReference{"app-env", false}, {}});
  c.env_from.push_back(
      EnvFromSource{"", {}, EnvFromReference{"app-secret-env", false}});
  c.env = {
      FieldRef("POD_NAME", "metadata.name"),
      FieldRef("POD_NAMESPACE", "metadata.namespace"),
      FieldRef("POD_IP", "status.podIP"),
      FieldRef("NODE_NAME", "spec.nodeName"),
      ResourceRef("MEMORY_LIMIT", "limits.memory", "1Mi"),
      ResourceRef("CPU_REQUEST", "requests.cpu", "1m"),
      KeyRef("DB_PASSWORD", true, "app-secrets", "db-password"),
      KeyRef("API_TOKEN", true, "app-secrets", "api-token"),
      KeyRef("LOG_LEVEL", false, "app-config", "log-level"),
      KeyRef("FEATURES", false, "app-config", "features"),
      Literal(
          "CART_URL",
          "http://$(CART_API_1_SERVICE_HOST):$(CART_API_1_SERVICE_PORT)/v1"),
      Literal("CATALOG_URL", "http://$(CATALOG_API_2_SERVICE_HOST)/items"),
      Literal("DSN",
              "postgres://app:$(DB_PASSWORD)@$(USERS_DB_38_SERVICE_HOST):"
              "$(USERS_DB_38_SERVICE_PORT)/app"),
      Literal("GREETING", "hello $(POD_NAME) in $(POD_NAMESPACE)"),
      Literal("ESCAPED", "$$(NOT_EXPANDED) and $(UNDEFINED_VAR)"),
      Literal("JAVA_OPTS", "-Xmx$(MEMORY_LIMIT)m -Dlog=$(LOG_LEVEL)"),
      Literal("REQUEST_TIMEOUT", "$(CFG_TIMEOUT)"),
      Literal("CFG_REGION", "us-east-1"),  // Shadows the envFrom key.
      Literal("EMPTY", ""),
      Literal("PLAIN", "plain value"),
  };
  pod.containers.push_back(std::move(c));
  objects.pods.push_back(std::move(pod));
  return objects;
}

// The pod's namespace holding all `count` Services plus default/kubernetes,
// in a warm index.
struct OneNamespace {
  explicit OneNamespace(int count) : lookup(objects) {
    for (Service& s : MakeServices(count + 1, /*namespaces=*/1,
                                   /*with_master=*/true)) {
      index.Upsert(std::move(s));
    }
  }
  ServiceIndex index;
  const Objects objects = MakeWorkload();
  const ObjectsLookup lookup;  // Indexed once, as an agent's caches are.
  const Pod& pod() const { return objects.pods[0]; }
  const Container& container() const { return pod().containers[0]; }
};

// Checks the answer before timing: 44 own entries, the shared form, the
// materialized list and the explained form agreeing entry for entry.
void CheckWorkload(const OneNamespace& w) {
  absl::StatusOr<SharedContainerEnvironment> env = ComputeEnvironment(
      w.pod(), w.container(), w.index.Lookup(w.pod().meta.namespace_name, true),
      w.lookup, EnvironmentOptions());
  if (!env.ok() || env->own().size() != 20 + 18 + 5 + 2 - 1) {
    std::fprintf(stderr, "svcenv_bench: container environment setup: %s\n",
                 env.ok() ? "unexpected own variable count"
                          : std::string(env.status().message()).c_str());
    std::abort();
  }
  const std::vector<EnvironmentVariable> flat = env->Materialize();
  const ContainerEnvironment explained = env->Explain();
  size_t i = 0;
  bool same = flat.size() == env->size() && explained.env.size() == env->size();
  for (const SharedContainerEnvironment::Variable& v : *env) {
    if (!same) break;
    same = flat[i].name == v.name && flat[i].value == v.value &&
           explained.env[i].name == v.name && explained.env[i].value == v.value;
    ++i;
  }
  if (!same) {
    std::fprintf(stderr, "svcenv_bench: the three forms disagree\n");
    std::abort();
  }
}

// The node agent's container start: the snapshot from the warm index, then
// the environment sharing it (own variables only are built).
void BM_ContainerEnvironment(benchmark::State& state) {
  const OneNamespace w(static_cast<int>(state.range(0)));
  CheckWorkload(w);
  size_t entries = 0;
  for (auto _ : state) {
    ServiceIndex::Snapshot block = w.index.Lookup(w.pod().meta.namespace_name, true);
    absl::StatusOr<SharedContainerEnvironment> env = ComputeEnvironment(
        w.pod(), w.container(), std::move(block), w.lookup,
        EnvironmentOptions());
    entries = env->size();
    benchmark::DoNotOptimize(env);
  }
  state.counters["env_entries"] = static_cast<double>(entries);
}
BENCHMARK(BM_ContainerEnvironment)->Arg(1000);

// The same, then every entry as its own name and value strings.
void BM_ContainerEnvironmentMaterialized(benchmark::State& state) {
  const OneNamespace w(static_cast<int>(state.range(0)));
  CheckWorkload(w);
  for (auto _ : state) {
    absl::StatusOr<SharedContainerEnvironment> env = ComputeEnvironment(
        w.pod(), w.container(), w.index.Lookup(w.pod().meta.namespace_name, true),
        w.lookup, EnvironmentOptions());
    std::vector<EnvironmentVariable> flat = env->Materialize();
    benchmark::DoNotOptimize(flat.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_ContainerEnvironmentMaterialized)->Arg(1000);

// The explained form (every entry with its source spelled out), as `svcenv
// env --explain` and `check` use it; for scale.
void BM_ContainerEnvironmentExplained(benchmark::State& state) {
  const OneNamespace w(static_cast<int>(state.range(0)));
  CheckWorkload(w);
  for (auto _ : state) {
    absl::StatusOr<SharedContainerEnvironment> env = ComputeEnvironment(
        w.pod(), w.container(), w.index.Lookup(w.pod().meta.namespace_name, true),
        w.lookup, EnvironmentOptions());
    ContainerEnvironment explained = env->Explain();
    benchmark::DoNotOptimize(explained);
  }
}
BENCHMARK(BM_ContainerEnvironmentExplained)->Arg(1000);

// Memory held by each additional live result: 1,000 results of the same
// container kept alive at once, heap growth (glibc mallinfo2) per result.
void BM_ContainerEnvironmentMemory(benchmark::State& state) {
  const OneNamespace w(static_cast<int>(state.range(0)));
  CheckWorkload(w);
  constexpr int kResults = 1000;
  double per_result = 0;
  for (auto _ : state) {
    std::vector<SharedContainerEnvironment> live;
    live.reserve(kResults);
    const size_t before = mallinfo2().uordblks;
    for (int i = 0; i < kResults; ++i) {
      live.push_back(*ComputeEnvironment(
          w.pod(), w.container(),
          w.index.Lookup(w.pod().meta.namespace_name, true), w.lookup,
          EnvironmentOptions()));
    }
    const size_t after = mallinfo2().uordblks;
    per_result = (static_cast<double>(after) - static_cast<double>(before) +
                  sizeof(SharedContainerEnvironment) * kResults) /
                 kResults;
    benchmark::DoNotOptimize(live.data());
  }
  state.counters["bytes_per_result"] = per_result;
  state.counters["service_block_bytes_shared"] = static_cast<double>(
      w.index.Lookup(w.pod().meta.namespace_name, true)->variables.size() *
      sizeof(ServiceVariable));
}
BENCHMARK(BM_ContainerEnvironmentMemory)->Arg(1000)->Iterations(3);

// An agent's steady state: 10,000 Services over 100 namespaces, a pod per
// namespace starting in turn, and one Service changing (a new cluster IP)
// every 100 starts, which invalidates that namespace's cached block. Time is
// per start, the rebuilds included.
void BM_ContainerStartChurn(benchmark::State& state) {
  constexpr int kNamespaceCount = 100;
  ServiceIndex index;
  std::vector<Service> services = MakeServices(
      static_cast<int>(state.range(0)), kNamespaceCount, /*with_master=*/true);
  for (const Service& s : services) index.Upsert(s);
  const Objects base = MakeWorkload();
  Objects objects;
  for (int n = 0; n < kNamespaceCount; ++n) {
    const std::string ns = NamespaceName(n);
    for (ConfigMap cm : base.config_maps) {
      cm.meta.namespace_name = ns;
      objects.config_maps.push_back(std::move(cm));
    }
    for (Secret s : base.secrets) {
      s.meta.namespace_name = ns;
      objects.secrets.push_back(std::move(s));
    }
    Pod pod = base.pods[0];
    pod.meta.namespace_name = ns;
    objects.pods.push_back(std::move(pod));
  }
  const ObjectsLookup lookup(objects);
  size_t start = 0, changed = 0, rebuilt_entries = 0;
  for (auto _ : state) {
    if (start % 100 == 99) {
      // Skip default/kubernetes (index 0), which would invalidate all.
      Service s = services[1 + changed % (services.size() - 1)];
      s.cluster_ip = absl::StrCat("10.200.", changed / 250 % 250, ".",
                                  changed % 250 + 1);
      index.Upsert(std::move(s));
      ++changed;
    }
    const Pod& pod = objects.pods[start % kNamespaceCount];
    absl::StatusOr<SharedContainerEnvironment> env = ComputeEnvironment(
        pod, pod.containers[0], index.Lookup(pod.meta.namespace_name, true),
        lookup, EnvironmentOptions());
    if (!env.ok()) {
      state.SkipWithError("refused");
      break;
    }
    rebuilt_entries += env->size();
    benchmark::DoNotOptimize(env);
    ++start;
  }
  state.counters["service_changes"] = static_cast<double>(changed);
  state.counters["env_entries_per_start"] =
      start == 0 ? 0 : static_cast<double>(rebuilt_entries) / start;
}
BENCHMARK(BM_ContainerStartChurn)->Arg(10000);

}  // namespace
}  // namespace bench
}  // namespace svcenv
