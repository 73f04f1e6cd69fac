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
#include "lib/check/internal/context.h"
#include "lib/check/internal/rules.h"
#include "svcenv/check.h"
#include "svcenv/container_analysis.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv::check_internal {

extern const RuleRegistration kServiceClashRule;
const RuleRegistration kServiceClashRule = {
    kServiceClash, Severity::kWarning,
    "Two Services produce one variable name",
    "For example redis and redis-service both make REDIS_SERVICE_PORT. "
    "The kubelet picks one at random, per container start.",
    /*check_spec=*/nullptr,
    /*check=*/&CheckClashes};

extern const RuleRegistration kKnownVariableOverwriteRule;
const RuleRegistration kKnownVariableOverwriteRule = {
    kKnownVariableOverwrite, Severity::kWarning,
    "A Service variable overwrites a variable apps are known to read",
    "A Service named kafka makes KAFKA_PORT=tcp://...; images that read "
    "KAFKA_PORT as a port number fail. Names come from a shipped, "
    "extendable catalogue (each entry names the images that read it) and "
    "from *_PORT names other containers of the namespace declare; a "
    "finding needs evidence that this container reads the name: its "
    "image, the same image as the declaring container, or its own "
    "$(NAME) or $NAME.",
    /*check_spec=*/nullptr,
    /*check=*/&CheckCatalogue};

extern const RuleRegistration kDeclaredShadowsServiceRule;
const RuleRegistration kDeclaredShadowsServiceRule = {
    kDeclaredShadowsService, Severity::kInfo,
    "A declared variable hides a Service variable",
    "env and envFrom win over Service variables, so this container is "
    "safe; a container or hook without the declaration is not.",
    /*check_spec=*/nullptr,
    /*check=*/&CheckShadowing};

void CheckClashes(const CheckContext& context, const ContainerCase& c,
                  std::vector<Finding>* findings) {
  // The analysis's clash facts (the names the container does not set
  // itself), each a finding.
  for (const Diagnostic& d : c.analysis.diagnostics) {
    if (d.kind != DiagnosticKind::kServiceClash || !d.clash.has_value())
      continue;
    const ServiceClash& clash = *d.clash;
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

namespace {

// For an `if-service-exists` entry `*SUFFIX`: whether a Service of the
// namespace that has variables (a cluster IP) makes the rest of `name` (`X`
// of `X_SERVICE_PORT`). A headless or ExternalName `x` never provided
// X_SERVICE_PORT, so no app can have come to read it from there.
bool ImpliedServiceExists(const CheckContext& context,
                          const CatalogueEntry& entry, absl::string_view name,
                          const std::string& namespace_name) {
  const absl::string_view prefix =
      name.substr(0, name.size() - (entry.pattern.size() - 1));
  return context.Block(namespace_name, /*links=*/true)
      ->own_prefixes.contains(prefix);
}

// Why `container` reads `name` according to the catalogue; empty when no
// entry applies to it.
std::string CatalogueReader(const CheckContext& context, const ContainerCase& c,
                            const std::string& name, bool reads_itself) {
  for (const CatalogueEntry& known : context.catalogue()) {
    if (!MatchesPattern(known.pattern, name)) continue;
    std::string why;
    if (reads_itself) {
      why = "this container reads it itself";
    } else {
      for (const std::string& glob : known.images) {
        if (ImageMatches(glob, c.container.image)) {
          why = absl::StrCat("its image ", c.container.image, " matches ",
                             glob);
          break;
        }
      }
      if (why.empty() && known.if_service_exists &&
          ImpliedServiceExists(context, known, name,
                               c.pod.meta.namespace_name)) {
        why = "that Service exists in this namespace";
      }
      if (why.empty()) continue;
    }
    std::string out = known.note.empty()
                          ? std::string("apps are known to read it")
                          : known.note;
    if (!why.empty()) absl::StrAppend(&out, "; ", why);
    return out;
  }
  return "";
}

}  // namespace

void CheckCatalogue(const CheckContext& context, const ContainerCase& c,
                    std::vector<Finding>* findings) {
  const SharedContainerEnvironment& env = c.analysis.environment;
  // The namespace's block lists the variables that can concern this rule
  // (URL-valued, in no clash, named by the catalogue or declared in the
  // namespace); this container has those it does not set itself.
  const std::shared_ptr<const ServiceBlock> kept =
      context.Block(c.pod.meta.namespace_name, c.links);
  const ServiceBlock& block = *kept;
  if (block.catalogue_candidates.empty()) return;
  std::set<absl::string_view> own;
  for (const SharedContainerEnvironment::OwnVariable& v : env.own())
    own.insert(v.name);
  const auto& declared =
      context.Namespace(c.pod.meta.namespace_name).declared_ports;
  // A URL the container expands into a value is service-url-in-value's
  // error; the overwrite would be the same fact again.
  const std::set<std::string> in_values = ServiceUrlsInValues(c);
  for (size_t index : block.catalogue_candidates) {
    const ServiceVariable& entry = block.services->variables[index];
    if (own.count(entry.name) > 0 || in_values.count(entry.name) > 0) continue;
    const bool reads_itself = c.reads.names.count(entry.name) > 0;
    std::string reader = CatalogueReader(context, c, entry.name, reads_itself);
    if (reader.empty()) {
      // Another container declares the name as a port: its app reads it.
      // That says something about this container only when it runs the
      // same image, or reads the name itself.
      auto site = declared.find(entry.name);
      if (site != declared.end()) {
        for (const auto& declaration : site->second) {
          if (declaration.image == c.container.image) {
            reader = absl::StrCat(
                declaration.who,
                " declares it, so the app reads it; this container runs the "
                "same image (",
                c.container.image, ") without declaring it");
            break;
          }
          if (reads_itself && reader.empty()) {
            reader = absl::StrCat(declaration.who,
                                  " declares it as a port, and this "
                                  "container reads it itself");
          }
        }
      }
    }
    if (reader.empty()) continue;
    Finding f = MakeFinding(c.pod, c.container, kKnownVariableOverwrite,
                            Severity::kWarning, 0);
    const Service* service = entry.service;
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
  const SharedContainerEnvironment& env = c.analysis.environment;
  for (const SharedContainerEnvironment::OwnVariable& entry : env.own()) {
    // Only a Service variable can be hidden; the provenance is spelled out
    // for those alone.
    if (entry.hidden_service == nullptr ||
        entry.hidden_service->service == nullptr) {
      continue;
    }
    {
      const Service* hidden = entry.hidden_service->service;
      Finding f = MakeFinding(c.pod, c.container, kDeclaredShadowsService,
                              Severity::kInfo, EnvLine(c.container, entry));
      f.message = absl::StrCat(
          entry.name, " from ", DescribeSource(env.Source(entry)),
          " hides the value ", context.DescribeService(*hidden),
          " sets: safe here, but a container without this declaration "
          "gets the Service value");
      f.hint =
          absl::StrCat("keep the declaration in every container that reads ",
                       entry.name, ", or rename the Service");
      f.variable = entry.name;
      f.related.push_back(Related(*hidden));
      findings->push_back(std::move(f));
    }
  }
}

}  // namespace svcenv::check_internal
