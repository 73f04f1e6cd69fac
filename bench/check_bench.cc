// bench/check_bench.cc
//
// BM_CheckLiveDump/N: `Check` and the JSON report on a decoded live-cluster
// dump of N Services (bench/synthetic.h's LiveDumpJson: 100 namespaces, two
// late Services in each, 300 Deployments of 10 running pods with two
// containers), i.e. `svcenv check -o json` less reading and decoding.
// BM_CheckLiveDump/N/1: the same with each `app` container reading
// `$(X_SERVICE_HOST)` of a Service that is not late (LiveDumpShape::
// references), the shape that used to cost 4x as much.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "bench/synthetic.h"
#include "benchmark/benchmark.h"
#include "svcenv/check.h"
#include "svcenv/check_report.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace bench {
namespace {

struct LiveDump {
  Objects objects;
  LiveDumpFacts facts;
  size_t bytes = 0;
};

const LiveDump& DecodedLiveDump(int services, bool references) {
  static auto* dumps = new std::map<std::pair<int, bool>, LiveDump>();
  auto it = dumps->find({services, references});
  if (it != dumps->end()) return it->second;
  LiveDump& dump = (*dumps)[{services, references}];
  LiveDumpShape shape;
  shape.services = services;
  shape.references = references;
  const std::string json = LiveDumpJson(shape, &dump.facts);
  dump.bytes = json.size();
  const absl::Status status =
      DecodeText(json, "live.json", DecodeOptions(), &dump.objects);
  if (!status.ok() ||
      dump.objects.pods.size() != static_cast<size_t>(dump.facts.pods)) {
    std::fprintf(stderr, "svcenv_bench: BM_CheckLiveDump setup: %s\n",
                 status.ok() ? "wrong pod count"
                             : std::string(status.message()).c_str());
    std::abort();
  }
  return dump;
}

void BM_CheckLiveDump(benchmark::State& state) {
  const LiveDump& dump = DecodedLiveDump(static_cast<int>(state.range(0)),
                                         state.range(1) != 0);
  size_t report_bytes = 0;
  int late_findings = 0;
  for (auto _ : state) {
    const CheckResult result = Check(dump.objects, Objects(), CheckOptions());
    const std::string report =
        RenderCheckJson(result, Severity::kError, /*fail_on_never=*/false);
    report_bytes = report.size();
    late_findings = 0;
    for (const Finding& f : result.findings)
      late_findings += f.rule_id == "service-after-start";
    benchmark::DoNotOptimize(report.data());
  }
  // Every pod is late for its namespace's two late Services.
  if (late_findings == 0) {
    std::fprintf(stderr, "svcenv_bench: BM_CheckLiveDump found no late "
                         "Service\n");
    std::abort();
  }
  state.counters["dump_bytes"] = static_cast<double>(dump.bytes);
  state.counters["report_bytes"] = static_cast<double>(report_bytes);
  state.counters["late_findings"] = late_findings;
  state.counters["containers"] = dump.facts.containers;
}
BENCHMARK(BM_CheckLiveDump)
    ->Args({10000, 0})
    ->Args({10000, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace bench
}  // namespace svcenv
