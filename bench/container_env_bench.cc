// bench/container_env_bench.cc
//
// BM_ContainerEnvironment: the whole environment of one container as a node
// agent computes it at container start, with the Service block taken from a
// warm ServiceIndex. The pod is bench/pod.yaml's, built here in code.
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

void BM_ContainerEnvironment(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  // All `count` Services in the pod's namespace, plus default/kubernetes.
  ServiceIndex index;
  for (Service& s : MakeServices(count + 1, /*namespaces=*/1,
                                 /*with_master=*/true)) {
    index.Upsert(std::move(s));
  }
  const Objects objects = MakeWorkload();
  const Pod& pod = objects.pods[0];
  const Container& container = pod.containers[0];
  const ServiceIndex::Snapshot services =
      index.Lookup(pod.meta.namespace_name, true);
  absl::StatusOr<ContainerEnvironment> first = ComputeContainerEnvironment(
      pod, container, *services, objects, EnvironmentOptions());
  if (!first.ok() || first->own_count != 20 + 18 + 5 + 2 - 1) {
    std::fprintf(stderr, "svcenv_bench: BM_ContainerEnvironment setup: %s\n",
                 first.ok() ? "unexpected own_count"
                            : std::string(first.status().message()).c_str());
    std::abort();
  }
  for (auto _ : state) {
    // As at a container start: the snapshot, then the environment.
    ServiceIndex::Snapshot block = index.Lookup(pod.meta.namespace_name, true);
    absl::StatusOr<ContainerEnvironment> env = ComputeContainerEnvironment(
        pod, container, *block, objects, EnvironmentOptions());
    benchmark::DoNotOptimize(env);
  }
  state.counters["env_entries"] = static_cast<double>(first->env.size());
  state.counters["service_variables"] =
      static_cast<double>(services->variables.size());
}
BENCHMARK(BM_ContainerEnvironment)->Arg(1000);

}  // namespace
}  // namespace bench
}  // namespace svcenv
