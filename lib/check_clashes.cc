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
  std::set<std::string> clashing;
  for (const ServiceClash& clash : env.clashes) clashing.insert(clash.name);
  const auto& declared =
      context.Namespace(c.pod.meta.namespace_name).declared_ports;
  for (size_t i = env.own_count; i < env.env.size(); ++i) {
    const EnvEntry& entry = env.env[i];
    if (entry.source.kind != SourceKind::kService || !IsUrl(entry.value) ||
        clashing.count(entry.name) > 0)
      continue;
    std::string reader;
    for (const CatalogueEntry& known : context.catalogue()) {
      if (MatchesPattern(known.pattern, entry.name)) {
        reader = known.note.empty() ? std::string("apps are known to read it")
                                    : known.note;
        break;
      }
    }
    if (reader.empty()) {
      auto site = declared.find(entry.name);
      if (site != declared.end()) {
        reader = absl::StrCat(site->second,
                              " declares it, so the app reads it, but this "
                              "container does not");
      }
    }
    if (reader.empty()) continue;
    Finding f = MakeFinding(c.pod, c.container, kKnownVariableOverwrite,
                            Severity::kWarning, 0);
    const Service* service = entry.source.service;
    f.message = absl::StrCat(context.DescribeService(*service), " sets ",
                             entry.name, "=",
                             context.Display(entry.value, service),
                             ", a URL where a port number is "
                             "expected: ",
                             reader);
    f.hint = absl::StrCat("rename the Service, declare ", entry.name,
                          " in env, or set enableServiceLinks: false");
    f.variable = entry.name;
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
