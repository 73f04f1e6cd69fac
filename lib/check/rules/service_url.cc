// service-url-in-value: a `$(X_PORT)` (or `$(X_PORT_N_TCP)`) reference that
// the kubelet fills with a Service's Docker-link URL, `tcp://IP:PORT`,
// inside another value or as an argument: `REDIS_URL=redis://$(REDIS_HOST):
// $(REDIS_PORT)` with a Service `redis` becomes `redis://redis:tcp://
// 10.96.0.7:6379`. The premise is certain (the value holds the URL where the
// author wrote a port), and so is the consequence (the app cannot parse it).
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "lib/check/internal/context.h"
#include "lib/check/internal/rules.h"
#include "svcenv/check.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv::check_internal {
namespace {

constexpr char kServiceUrlInValue[] = "service-url-in-value";

void CheckServiceUrls(const CheckContext& context, const ContainerCase& c,
                      std::vector<Finding>* findings);

}  // namespace

extern const RuleRegistration kServiceUrlInValueRule;
const RuleRegistration kServiceUrlInValueRule = {
    kServiceUrlInValue, Severity::kError,
    "A $(X_PORT) reference expands to a Service's tcp:// URL inside a value",
    "With a Service x in the namespace (and enableServiceLinks on), "
    "X_PORT is tcp://IP:PORT, the Docker-link form, not a port: "
    "redis://$(REDIS_HOST):$(REDIS_PORT) becomes "
    "redis://redis:tcp://10.96.0.7:6379, and a $(REDIS_PORT) argument "
    "tcp://10.96.0.7:6379. Use $(X_SERVICE_PORT), define X_PORT in env "
    "before the value, rename the Service, or set enableServiceLinks: "
    "false.",
    /*check_spec=*/nullptr,
    /*check=*/&CheckServiceUrls};

namespace {

// The Service variable `name` of the container's block, if its value is a
// Docker-link URL (`tcp://`, `udp://`, `sctp://`).
const ServiceVariable* ServiceUrl(const SharedContainerEnvironment& env,
                                  absl::string_view name) {
  const std::vector<ServiceVariable>& vars = env.services().variables;
  auto it = std::lower_bound(
      vars.begin(), vars.end(), name,
      [](const ServiceVariable& v, absl::string_view n) { return v.name < n; });
  if (it == vars.end() || it->name != name || !IsDockerLinkUrl(it->value))
    return nullptr;
  return &*it;
}

// `$(NAME)` appears in `text`, and `text` is more than it.
bool EmbedsReference(absl::string_view text, absl::string_view name) {
  const std::string reference = absl::StrCat("$(", name, ")");
  return absl::StrContains(text, reference) && text != reference;
}

Finding UrlFinding(const CheckContext& context, const ContainerCase& c,
                   int line, const std::string& what, const std::string& text,
                   const ServiceVariable& url, const std::string& before) {
  Finding f = MakeFinding(c.pod, c.container, kServiceUrlInValue,
                          Severity::kError, line);
  const Service& service = *url.service;
  const std::string shown = context.Display(url.value, &service);
  // The text as written, not as expanded: other references in it may be
  // Secrets.
  f.message = absl::StrCat(
      "$(", url.name, ") in ", what, " is the Docker-link URL of ",
      context.DescribeService(service), ", ", shown, ", not a port: ",
      text, " becomes ",
      absl::StrReplaceAll(text, {{absl::StrCat("$(", url.name, ")"), shown}}));
  std::string port;
  if (url.port_index >= 0 &&
      url.port_index < static_cast<int>(service.ports.size()))
    port = std::to_string(service.ports[url.port_index].port);
  f.hint = absl::StrCat(
      "write $(", ServicePortVariable(service.meta.name), ")",
      port.empty() ? "" : absl::StrCat(" or ", port), ", define ", url.name,
      " in env", before.empty() ? "" : absl::StrCat(" before ", before),
      ", rename the Service, or set enableServiceLinks: false");
  f.variable = url.name;
  f.related.push_back(Related(service));
  return f;
}

// Where the container gets a Service URL in place of a port.
struct UrlSite {
  int line;
  std::string what;  // "env REDIS_URL", "args".
  std::string text;  // As written.
  const ServiceVariable* url;
  // The env entry a declaration of the name must precede; empty for
  // command/args (they expand against the final environment).
  std::string before;
};

std::vector<UrlSite> UrlSites(const ContainerCase& c) {
  std::vector<UrlSite> sites;
  const SharedContainerEnvironment& env = c.analysis.environment;
  const Container& container = c.container;
  for (const SharedContainerEnvironment::OwnVariable& own : env.own()) {
    if (own.source.kind != SourceKind::kLiteral || own.source.index < 0 ||
        own.source.index >= static_cast<int>(container.env.size()))
      continue;
    const std::string& text = container.env[own.source.index].value;
    for (const std::string& name : own.expanded_references) {
      const ServiceVariable* url = ServiceUrl(env, name);
      // Filled by the Service variable, not by an own one set earlier.
      if (url == nullptr || !EmbedsReference(text, name) ||
          !absl::StrContains(own.value, url->value))
        continue;
      sites.push_back({EnvLine(container, own), absl::StrCat("env ", own.name),
                       text, url, own.name});
    }
  }
  // An argument is read whole by the program: `--port $(REDIS_PORT)` is as
  // wrong as `--port=$(REDIS_PORT)`. Which references each argument
  // substitutes, ComputeReads has traced (command, then args).
  const std::vector<std::string>* written[] = {&container.command,
                                               &container.args};
  const std::vector<std::string>* expanded[] = {&env.command(), &env.args()};
  size_t argument = 0;
  for (int list = 0; list < 2; ++list) {
    for (size_t i = 0; i < written[list]->size(); ++i, ++argument) {
      if (i >= expanded[list]->size() || argument >= c.reads.arguments.size())
        continue;
      for (const std::string& name : c.reads.arguments[argument].expanded) {
        const ServiceVariable* url = ServiceUrl(env, name);
        if (url == nullptr ||
            !absl::StrContains((*expanded[list])[i], url->value))
          continue;
        sites.push_back({container.line, list == 0 ? "command" : "args",
                         (*written[list])[i], url, ""});
      }
    }
  }
  return sites;
}

void CheckServiceUrls(const CheckContext& context, const ContainerCase& c,
                      std::vector<Finding>* findings) {
  for (const UrlSite& site : UrlSites(c)) {
    findings->push_back(UrlFinding(context, c, site.line, site.what, site.text,
                                   *site.url, site.before));
  }
}

}  // namespace

std::set<std::string> ServiceUrlsInValues(const ContainerCase& c) {
  std::set<std::string> names;
  for (const UrlSite& site : UrlSites(c)) names.insert(site.url->name);
  return names;
}

}  // namespace svcenv::check_internal
