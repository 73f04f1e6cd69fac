// Writes a synthetic `kubectl get svc -A -o json` file for the benchmarks, or
// `-o yaml` when OUTPUT ends in `.yaml`:
//   ./bazelw run -c opt //bench:gen_service_list -- /tmp/svc10k.json [10000]
//   ./bazelw run -c opt //bench:gen_service_list -- /tmp/svc10k.yaml [10000]
// The Services are bench/synthetic.h's: 100 namespaces, `default/kubernetes`
// included in the count.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "bench/synthetic.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s OUTPUT.json|OUTPUT.yaml [SERVICE_COUNT]\n",
                 argv[0]);
    return 1;
  }
  const int count = argc == 3 ? std::atoi(argv[2]) : 10000;
  if (count <= 0) {
    std::fprintf(stderr, "SERVICE_COUNT must be a positive integer\n");
    return 1;
  }
  const auto services = svcenv::bench::MakeServices(count, /*namespaces=*/100,
                                                    /*with_master=*/true);
  const std::string name = argv[1];
  const bool yaml = name.size() > 5 && name.substr(name.size() - 5) == ".yaml";
  const std::string json = yaml ? svcenv::bench::ServiceListYaml(services)
                                : svcenv::bench::ServiceListJson(services);
  std::ofstream out(argv[1], std::ios::binary);
  out << json;
  if (!out.flush()) {
    std::fprintf(stderr, "cannot write %s\n", argv[1]);
    return 1;
  }
  std::fprintf(stderr, "wrote %d Services, %zu bytes to %s\n", count,
               json.size(), argv[1]);
  return 0;
}
