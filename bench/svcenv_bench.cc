// bench/svcenv_bench.cc
//
// Benchmarks for svcenv's node-agent path; see bench/README.md for the
// figures and how to reproduce them. Run with optimisation:
//   ./bazelw run -c opt //bench:svcenv_bench -- --benchmark_filter=Lookup
#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/synthetic.h"
#include "benchmark/benchmark.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"
#include "svcenv/service_index.h"

namespace svcenv {
namespace bench {
namespace {

constexpr int kNamespaces = 100;

// Stops the run: a benchmark that measures a wrong answer is worthless.
void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "svcenv_bench: check failed: %s\n", what);
    std::abort();
  }
}

// Cached per Service count, so each benchmark's setup is cheap after the
// first and all of them see identical inputs.
const std::vector<Service>& Cluster(int count) {
  static auto* clusters = new std::map<int, std::vector<Service>>();
  auto it = clusters->find(count);
  if (it == clusters->end()) {
    it = clusters
             ->emplace(count, MakeServices(count, kNamespaces,
                                           /*with_master=*/true))
             .first;
  }
  return it->second;
}

// ---------------------------------------------------------------------------
// The kubelet's algorithm, ported line by line from Go:
// `getServiceEnvVarMap` (pkg/kubelet/kubelet_pods.go) and `FromServices` /
// `makeLinkVariables` (pkg/kubelet/envvars/envvars.go). Go's maps become
// hash maps, slices grow by append, strings are built by concatenation.

struct KubeletEnvVar {
  std::string name;
  std::string value;
};

std::string KubeletMakeEnvVariableName(absl::string_view name) {
  std::string out(name);
  for (char& c : out) c = c == '-' ? '_' : absl::ascii_toupper(c);
  return out;
}

std::string KubeletJoinHostPort(const std::string& host,
                                const std::string& port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + port;
  return host + ":" + port;
}

std::vector<KubeletEnvVar> KubeletMakeLinkVariables(const Service& service) {
  const std::string prefix = KubeletMakeEnvVariableName(service.meta.name);
  std::vector<KubeletEnvVar> all;
  for (size_t i = 0; i < service.ports.size(); ++i) {
    const ServicePort& sp = service.ports[i];
    std::string protocol = "TCP";
    if (!sp.protocol.empty()) protocol = sp.protocol;
    const std::string host_port =
        KubeletJoinHostPort(service.cluster_ip, std::to_string(sp.port));
    if (i == 0) {
      all.push_back({prefix + "_PORT",
                     absl::AsciiStrToLower(protocol) + "://" + host_port});
    }
    const std::string port_prefix = absl::StrCat(
        prefix, "_PORT_", sp.port, "_", absl::AsciiStrToUpper(protocol));
    all.push_back({port_prefix, absl::StrCat(absl::AsciiStrToLower(protocol),
                                             "://", host_port)});
    all.push_back({port_prefix + "_PROTO", absl::AsciiStrToLower(protocol)});
    all.push_back({port_prefix + "_PORT", std::to_string(sp.port)});
    all.push_back({port_prefix + "_ADDR", service.cluster_ip});
  }
  return all;
}

std::vector<KubeletEnvVar> KubeletFromServices(
    const std::vector<const Service*>& services) {
  std::vector<KubeletEnvVar> result;
  for (const Service* service : services) {
    if (!IsServiceIPSet(*service)) continue;
    std::string name =
        KubeletMakeEnvVariableName(service->meta.name) + "_SERVICE_HOST";
    result.push_back({name, service->cluster_ip});
    name = KubeletMakeEnvVariableName(service->meta.name) + "_SERVICE_PORT";
    result.push_back({name, std::to_string(service->ports[0].port)});
    for (const ServicePort& sp : service->ports) {
      if (!sp.name.empty()) {
        result.push_back({name + "_" + KubeletMakeEnvVariableName(sp.name),
                          std::to_string(sp.port)});
      }
    }
    std::vector<KubeletEnvVar> links = KubeletMakeLinkVariables(*service);
    result.insert(result.end(), links.begin(), links.end());
  }
  return result;
}

// `lister` stands for the kubelet's informer cache; `List` copies its
// pointers into a fresh slice, as Go's cache.Indexer does.
std::unordered_map<std::string, std::string> KubeletServiceEnvVarMap(
    const std::vector<Service>& lister, absl::string_view ns,
    bool enable_service_links) {
  std::unordered_map<std::string, std::string> m;
  std::vector<const Service*> services;
  for (const Service& s : lister) services.push_back(&s);

  std::unordered_map<std::string_view, const Service*> service_map;
  for (const Service* service : services) {
    if (!IsServiceIPSet(*service)) continue;
    const std::string_view service_name = service->meta.name;
    if (service->meta.namespace_name == "default" &&
        service_name == "kubernetes") {
      service_map.emplace(service_name, service);  // Only if absent.
    } else if (service->meta.namespace_name == ns && enable_service_links) {
      service_map[service_name] = service;
    }
  }
  std::vector<const Service*> mapped_services;
  mapped_services.reserve(service_map.size());
  for (const auto& [key, service] : service_map) {
    mapped_services.push_back(service);
  }
  for (KubeletEnvVar& e : KubeletFromServices(mapped_services)) {
    m[e.name] = e.value;
  }
  return m;
}

// ---------------------------------------------------------------------------

size_t HeapInUse() { return mallinfo2().uordblks; }

std::vector<ServiceVariable> AllVariables(
    const std::vector<Service>& services) {
  std::vector<ServiceVariable> out;
  for (const Service& s : services) {
    Check(AppendServiceVariables(s, &out).ok(), "AppendServiceVariables");
  }
  return out;
}

// Building the variables of N Services (without selection or grouping).
void BM_ServiceVariables(benchmark::State& state) {
  const std::vector<Service>& services = Cluster(state.range(0));
  const size_t expected = AllVariables(services).size();
  for (auto _ : state) {
    std::vector<ServiceVariable> out;
    out.reserve(expected);
    for (const Service& s : services) {
      benchmark::DoNotOptimize(AppendServiceVariables(s, &out));
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.counters["variables"] = benchmark::Counter(
      expected, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ServiceVariables)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// The floor for BM_ServiceVariables: copying its output, i.e. the same
// name and value bytes into the same kind of container (one vector of
// ServiceVariable with its own strings), without computing anything.
void BM_CopyOutputBytes(benchmark::State& state) {
  const std::vector<ServiceVariable> source =
      AllVariables(Cluster(state.range(0)));
  size_t bytes = 0;
  for (const ServiceVariable& v : source)
    bytes += v.name.size() + v.value.size();
  for (auto _ : state) {
    std::vector<ServiceVariable> out;
    out.reserve(source.size());
    for (const ServiceVariable& v : source) out.push_back(v);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["variables"] = benchmark::Counter(
      source.size(), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_CopyOutputBytes)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// For scale only: the same bytes with one memcpy each into one buffer, with
// no per-string allocation (no output of this shape can be that cheap).
void BM_CopyOutputBytesFlat(benchmark::State& state) {
  const std::vector<ServiceVariable> source =
      AllVariables(Cluster(state.range(0)));
  size_t bytes = 0;
  for (const ServiceVariable& v : source)
    bytes += v.name.size() + v.value.size();
  std::string buffer(bytes, '\0');
  for (auto _ : state) {
    char* p = buffer.data();
    for (const ServiceVariable& v : source) {
      std::memcpy(p, v.name.data(), v.name.size());
      p += v.name.size();
      std::memcpy(p, v.value.data(), v.value.size());
      p += v.value.size();
    }
    benchmark::DoNotOptimize(buffer.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_CopyOutputBytesFlat)->Arg(10000);

// Both paths must agree before either is timed (the synthetic cluster has
// no clashes, so a name -> value map is the whole answer).
void CheckKubeletAgreesWithIndex(const std::vector<Service>& cluster,
                                 const ServiceIndex& index) {
  for (int ns = 0; ns < kNamespaces; ns += 17) {
    const std::string name = NamespaceName(ns);
    const auto kubelet = KubeletServiceEnvVarMap(cluster, name, true);
    const ServiceIndex::Snapshot snapshot = index.Lookup(name, true);
    Check(snapshot->clashes.empty(), "synthetic cluster has no clashes");
    Check(kubelet.size() == snapshot->variables.size(), "same variable count");
    for (const ServiceVariable& v : snapshot->variables) {
      auto it = kubelet.find(v.name);
      Check(it != kubelet.end() && it->second == v.value, "same variables");
    }
  }
}

// The Service variables of one container start, the kubelet's way: list all
// Services, select, build every variable, fill a map.
void BM_KubeletAlgorithm(benchmark::State& state) {
  const std::vector<Service>& cluster = Cluster(state.range(0));
  std::vector<std::string> namespaces;
  for (int i = 0; i < kNamespaces; ++i) namespaces.push_back(NamespaceName(i));
  size_t i = 0, variables = 0;
  for (auto _ : state) {
    auto m =
        KubeletServiceEnvVarMap(cluster, namespaces[i++ % kNamespaces], true);
    variables += m.size();
    benchmark::DoNotOptimize(m);
  }
  state.counters["variables_per_start"] =
      static_cast<double>(variables) / state.iterations();
}
BENCHMARK(BM_KubeletAlgorithm)->Arg(10000);

ServiceIndex* IndexOf(const std::vector<Service>& cluster) {
  auto* index = new ServiceIndex();
  for (const Service& s : cluster) index->Upsert(s);
  return index;
}

// The same, from a warm ServiceIndex fed by a watch.
void BM_ServiceIndexLookup(benchmark::State& state) {
  const std::vector<Service>& cluster = Cluster(state.range(0));
  std::unique_ptr<ServiceIndex> index(IndexOf(cluster));
  CheckKubeletAgreesWithIndex(cluster, *index);
  std::vector<std::string> namespaces;
  for (int i = 0; i < kNamespaces; ++i) {
    namespaces.push_back(NamespaceName(i));
    index->Lookup(namespaces.back(), true);  // Warm, as a running agent is.
  }
  size_t i = 0, variables = 0;
  for (auto _ : state) {
    ServiceIndex::Snapshot s =
        index->Lookup(namespaces[i++ % kNamespaces], true);
    variables += s->variables.size();
    benchmark::DoNotOptimize(s);
  }
  state.counters["variables_per_start"] =
      static_cast<double>(variables) / state.iterations();
}
BENCHMARK(BM_ServiceIndexLookup)->Arg(10000);

// Lookups from several threads at once on one shared index (readers only):
// how the reader lock and the shared_ptr count scale across cores.
void BM_ServiceIndexLookupThreads(benchmark::State& state) {
  static ServiceIndex* const index = [] {
    ServiceIndex* index = IndexOf(Cluster(10000));
    for (int i = 0; i < kNamespaces; ++i) index->Lookup(NamespaceName(i), true);
    return index;
  }();
  std::vector<std::string> namespaces;
  for (int i = 0; i < kNamespaces; ++i) namespaces.push_back(NamespaceName(i));
  size_t i = static_cast<size_t>(state.thread_index()) * 37;
  for (auto _ : state) {
    ServiceIndex::Snapshot s =
        index->Lookup(namespaces[i++ % kNamespaces], true);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_ServiceIndexLookupThreads)->Arg(10000)->Threads(1)->Threads(2);

// One Service changes (a watch event), then a container in its namespace
// starts: the namespace's block is rebuilt once.
void BM_ServiceIndexUpsertThenLookup(benchmark::State& state) {
  const std::vector<Service>& cluster = Cluster(state.range(0));
  std::unique_ptr<ServiceIndex> index(IndexOf(cluster));
  // Two versions of every Service, made before timing: the watch decodes a
  // new object anyway, the index only takes it.
  std::vector<std::shared_ptr<const Service>> versions[2];
  for (const Service& s : cluster) {
    if (s.meta.namespace_name == "default") continue;
    Service changed = s;
    changed.ports[0].port = s.ports[0].port == 80 ? 81 : 80;
    versions[0].push_back(std::make_shared<const Service>(std::move(changed)));
    versions[1].push_back(std::make_shared<const Service>(s));
  }
  for (int i = 0; i < kNamespaces; ++i) index->Lookup(NamespaceName(i), true);
  size_t i = 0, variables = 0;
  for (auto _ : state) {
    const auto& service =
        versions[(i / versions[0].size()) % 2][i % versions[0].size()];
    ++i;
    index->Upsert(service);
    ServiceIndex::Snapshot s =
        index->Lookup(service->meta.namespace_name, true);
    variables += s->variables.size();
    benchmark::DoNotOptimize(s);
  }
  state.counters["variables_per_start"] =
      static_cast<double>(variables) / state.iterations();
}
BENCHMARK(BM_ServiceIndexUpsertThenLookup)->Arg(10000);

// Feeding N Services to an empty index and warming every namespace (an
// agent's initial list), with the heap it holds per Service afterwards.
void BM_ServiceIndexBuild(benchmark::State& state) {
  const std::vector<Service>& cluster = Cluster(state.range(0));
  double index_bytes = 0, block_bytes = 0, service_bytes = 0;
  for (auto _ : state) {
    const size_t before = HeapInUse();
    auto index = std::make_unique<ServiceIndex>();
    for (const Service& s : cluster) index->Upsert(s);
    const size_t indexed = HeapInUse();
    std::vector<ServiceIndex::Snapshot> snapshots;
    snapshots.reserve(kNamespaces + 1);
    for (int i = 0; i < kNamespaces; ++i) {
      snapshots.push_back(index->Lookup(NamespaceName(i), true));
    }
    snapshots.push_back(index->Lookup("any", false));
    const size_t warmed = HeapInUse();
    state.PauseTiming();
    // For comparison: the Services alone, as a plain vector holds them.
    const size_t plain_before = HeapInUse();
    auto plain = std::make_unique<std::vector<Service>>(cluster);
    service_bytes = static_cast<double>(HeapInUse() - plain_before);
    plain.reset();
    index_bytes = static_cast<double>(indexed - before);
    // Less the vector of snapshot pointers, which is the benchmark's own.
    block_bytes = static_cast<double>(warmed - indexed) -
                  static_cast<double>(snapshots.capacity() *
                                      sizeof(ServiceIndex::Snapshot));
    snapshots.clear();
    index.reset();
    state.ResumeTiming();
  }
  const double n = static_cast<double>(cluster.size());
  state.counters["index_bytes_per_service"] = index_bytes / n;
  state.counters["service_object_bytes_per_service"] = service_bytes / n;
  state.counters["block_bytes_per_service"] = block_bytes / n;
  state.counters["services"] =
      benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ServiceIndexBuild)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
}  // namespace svcenv
