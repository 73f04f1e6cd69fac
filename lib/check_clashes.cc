// service-clash, known-variable-overwrite and declared-shadows-service: a
// Service variable that collides with another Service's, with a variable
// apps read, or with the container's own declaration.
#include <cstddef>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "lib/internal/check_context.h"
#include "lib/internal/check_rules.h"
#include "svcenv/check.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv::check_internal {

std::vector<CheckRule> ClashRules() {
  return {
      {kServiceClash, Severity::kWarning,
       "Two Services produce one variable name",
       "For example redis and redis-service both make REDIS_SERVICE_PORT. "
       "The kubelet picks one at random, per container start."},
      {kKnownVariableOverwrite, Severity::kWarning,
       "A Service variable overwrites a variable apps are known to read",
       "A Service named kafka makes KAFKA_PORT=tcp://...; images that read "
       "KAFKA_PORT as a port number fail. Names come from a shipped, "
       "extendable catalogue and from *_PORT names other containers of the "
       "namespace declare."},
      {kDeclaredShadowsService, Severity::kInfo,
       "A declared variable hides a Service variable",
       "env and envFrom win over Service variables, so this container is "
       "safe; a container or hook without the declaration is not."},
  };
}

void CheckClashes(const CheckContext& context, const ContainerCase& c,
                  std::vector<Finding>* findings) {
  for (const ServiceClash& clash : c.env.clashes) {
    Finding f =
        MakeFinding(c.pod, c.container, kServiceClash, Severity::kWarning, 0);
    std::vector<std::string> parts;
    for (const ServiceVariable& candidate : clash.candidates) {
      parts.push_back(absl::StrCat(
          context.DescribeService(*candidate.service), " sets \"",
          context.Display(candidate.value, candidate.service), "\""));
      f.related.push_back(Related(*candidate.service));
    }
    f.message = absl::StrCat(clash.name, " is produced by several Services: ",
                             absl::StrJoin(parts, "; "),
                             "; the kubelet picks one at random");
    f.hint = absl::StrCat("rename one of the Services, or declare ",
                          clash.name, " in env");
    f.variable = clash.name;
    findings->push_back(std::move(f));
  }
}

void CheckCatalogue(const CheckContext& context, const ContainerCase& c,
                    std::vector<Finding>* findings) {
  const ContainerEnvironment& env = c.env;
  // The namespace's block knows which of its variables someone reads; this
  // container has those it does not set itself.
  const ServiceBlock& block =
      context.Block(c.pod.meta.namespace_name, c.links);
  if (block.known_readers.empty()) return;
  std::set<absl::string_view> own;
  for (size_t i = 0; i < env.own_count; ++i) own.insert(env.env[i].name);
  for (const auto& [index, reader] : block.known_readers) {
    const ServiceVariable& v = block.services.variables[index];
    if (own.count(v.name) > 0) continue;
    Finding f = MakeFinding(c.pod, c.container, kKnownVariableOverwrite,
                            Severity::kWarning, 0);
    const Service* service = v.service;
    f.message = absl::StrCat(context.DescribeService(*service), " sets ",
                             v.name, "=", context.Display(v.value, service),
                             ", a URL where a port number is "
                             "expected: ",
                             reader);
    f.hint = absl::StrCat("rename the Service, declare ", v.name,
                          " in env, or set enableServiceLinks: false");
    f.variable = v.name;
    f.related.push_back(Related(*service));
    findings->push_back(std::move(f));
  }
}

void CheckShadowing(const CheckContext& context, const ContainerCase& c,
                    std::vector<Finding>* findings) {
  const ContainerEnvironment& env = c.env;
  for (size_t i = 0; i < env.own_count; ++i) {
    const EnvEntry& entry = env.env[i];
    for (const EnvSource& hidden : entry.shadows) {
      if (hidden.kind != SourceKind::kService || hidden.service == nullptr)
        continue;
      Finding f = MakeFinding(c.pod, c.container, kDeclaredShadowsService,
                              Severity::kInfo, EnvLine(c.container, entry));
      f.message = absl::StrCat(
          entry.name, " from ", DescribeSource(entry.source),
          " hides the value ", context.DescribeService(*hidden.service),
          " sets: safe here, but a container without this declaration "
          "gets the Service value");
      f.hint =
          absl::StrCat("keep the declaration in every container that reads ",
                       entry.name, ", or rename the Service");
      f.variable = entry.name;
      f.related.push_back(Related(*hidden.service));
      findings->push_back(std::move(f));
    }
  }
}

}  // namespace svcenv::check_internal
