// bench/decode_bench.cc
//
// BM_DecodeServiceList: decoding `kubectl get svc -A -o json` output of N
// Services (bench/synthetic.h's, the same text gen_service_list writes);
// BM_DecodeServiceListYaml: the same List as `kubectl get svc -A -o yaml`.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "bench/synthetic.h"
#include "benchmark/benchmark.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace bench {
namespace {

void DecodeServiceList(benchmark::State& state, const std::string& text,
                       const char* file, int count) {
  {
    Objects objects;
    absl::Status status = DecodeText(text, file, DecodeOptions(), &objects);
    if (!status.ok() || objects.services.size() != static_cast<size_t>(count)) {
      std::fprintf(stderr, "svcenv_bench: %s setup: %s\n", file,
                   status.ok() ? "wrong Service count"
                               : std::string(status.message()).c_str());
      std::abort();
    }
  }
  for (auto _ : state) {
    Objects objects;
    absl::Status status = DecodeText(text, file, DecodeOptions(), &objects);
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(objects.services.data());
    // Freeing the result is the caller's business, not decoding.
    state.PauseTiming();
    objects = Objects();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
  state.counters["services"] =
      benchmark::Counter(count, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_bytes"] = static_cast<double>(text.size());
}

void BM_DecodeServiceList(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  DecodeServiceList(state,
                    ServiceListJson(MakeServices(count, /*namespaces=*/100,
                                                 /*with_master=*/true)),
                    "svc.json", count);
}
BENCHMARK(BM_DecodeServiceList)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_DecodeServiceListYaml(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  DecodeServiceList(state,
                    ServiceListYaml(MakeServices(count, /*namespaces=*/100,
                                                 /*with_master=*/true)),
                    "svc.yaml", count);
}
BENCHMARK(BM_DecodeServiceListYaml)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
}  // namespace svcenv
