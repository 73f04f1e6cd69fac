// bench/decode_bench.cc
//
// BM_DecodeServiceList: decoding `kubectl get svc -A -o json` output of N
// Services (bench/synthetic.h's, the same text gen_service_list writes).
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

void BM_DecodeServiceList(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  const std::string json =
      ServiceListJson(MakeServices(count, /*namespaces=*/100,
                                   /*with_master=*/true));
  {
    Objects objects;
    absl::Status status =
        DecodeText(json, "svc.json", DecodeOptions(), &objects);
    if (!status.ok() || objects.services.size() != static_cast<size_t>(count)) {
      std::fprintf(stderr, "svcenv_bench: BM_DecodeServiceList setup: %s\n",
                   status.ok() ? "wrong Service count"
                               : std::string(status.message()).c_str());
      std::abort();
    }
  }
  for (auto _ : state) {
    Objects objects;
    absl::Status status =
        DecodeText(json, "svc.json", DecodeOptions(), &objects);
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(objects.services.data());
    // Freeing the result is the caller's business, not decoding.
    state.PauseTiming();
    objects = Objects();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(json.size()));
  state.counters["services"] =
      benchmark::Counter(count, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_bytes"] = static_cast<double>(json.size());
}
BENCHMARK(BM_DecodeServiceList)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
}  // namespace svcenv
