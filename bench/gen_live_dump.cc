// Writes a synthetic live-cluster dump (`kubectl get pods,svc -A -o json`)
// for `svcenv check` measurements (bench/README.md, bench/e2e.sh):
//   ./bazelw run -c opt //bench:gen_live_dump -- /tmp/live10k.json
//       [SERVICES [DEPLOYMENTS [LATE_PER_NAMESPACE]]] [--with-replica-sets]
//       [--references] [--lean]
// Defaults: 10,000 Services over 100 namespaces (two per namespace created
// after the pods), 300 Deployments of 10 running pods with two containers
// (bench/synthetic.h, LiveDumpJson). `--references`: each `app` container
// also reads `$(X_SERVICE_HOST)` of a Service that is not late; `--lean`:
// objects without the fields svcenv does not read.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "bench/synthetic.h"

int main(int argc, char** argv) {
  svcenv::bench::LiveDumpShape shape;
  std::vector<const char*> positional;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--with-replica-sets") == 0) {
      shape.with_replica_sets = true;
    } else if (std::strcmp(argv[i], "--references") == 0) {
      shape.references = true;
    } else if (std::strcmp(argv[i], "--lean") == 0) {
      shape.lean = true;
    } else {
      positional.push_back(argv[i]);
    }
  }
  if (positional.empty() || positional.size() > 4) {
    std::fprintf(stderr,
                 "usage: %s OUTPUT.json [SERVICES [DEPLOYMENTS "
                 "[LATE_PER_NAMESPACE]]] [--with-replica-sets] [--references] "
                 "[--lean]\n",
                 argv[0]);
    return 1;
  }
  int* fields[] = {&shape.services, &shape.deployments,
                   &shape.late_services_per_namespace};
  for (size_t i = 1; i < positional.size(); ++i) {
    *fields[i - 1] = std::atoi(positional[i]);
    if (*fields[i - 1] < (i == 3 ? 0 : 1)) {
      std::fprintf(stderr, "counts must be positive integers\n");
      return 1;
    }
  }
  svcenv::bench::LiveDumpFacts facts;
  const std::string json = svcenv::bench::LiveDumpJson(shape, &facts);
  std::ofstream out(positional[0], std::ios::binary);
  out << json;
  if (!out.flush()) {
    std::fprintf(stderr, "cannot write %s\n", positional[0]);
    return 1;
  }
  std::fprintf(stderr,
               "wrote %d Services (%d late), %d pods (%d containers) of %zu "
               "Deployments, %zu bytes to %s\n",
               shape.services, facts.late_services, facts.pods,
               facts.containers, facts.deployments.size(), json.size(),
               positional[0]);
  return 0;
}
