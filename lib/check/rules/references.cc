// unfilled-service-reference and unresolved-reference: `$(NAME)` references
// in env values, command and args that the kubelet leaves literal.
#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/check/internal/context.h"
#include "lib/check/internal/reads.h"
#include "lib/check/internal/rules.h"
#include "svcenv/check.h"
#include "svcenv/container_analysis.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"
#include "svcenv/service_absence.h"
#include "svcenv/service_env.h"

namespace svcenv::check_internal {
namespace {

// A Service-shaped name no visible Service fills: why, in the words `svcenv
// why` uses (service_absence.h), each Service named with where it was read.
void ExplainUnfilled(const CheckContext& context, const Pod& pod,
                     const Container& container, const ServiceAbsence& absence,
                     int line, const std::string& what,
                     std::vector<Finding>* findings) {
  Finding f = MakeFinding(pod, container, kUnfilledServiceReference,
                          Severity::kError, line);
  for (const Service* s : absence.services) f.related.push_back(Related(*s));
  std::string reason = absence.Describe(
      [&context](const Service& s) { return context.DescribeService(s); });
  if (absence.kind == ServiceAbsenceKind::kNoSuchService)
    absl::StrAppend(&reason, " (nor in the inventory)");
  f.hint = absence.Hint();
  f.message = absl::StrCat("$(", absence.variable, ") in ", what,
                           " stays literal: ", reason);
  f.variable = absence.variable;
  findings->push_back(std::move(f));
}

}  // namespace

extern const RuleRegistration kUnfilledServiceReferenceRule;
const RuleRegistration kUnfilledServiceReferenceRule = {
    kUnfilledServiceReference, Severity::kError,
    "A $(X_SERVICE_HOST)-shaped reference that no visible Service fills",
    "No Service of that name, a Service in another namespace, a headless "
    "or ExternalName Service, or enableServiceLinks: false: the value "
    "stays the literal text $(X).",
    /*check_spec=*/nullptr,
    /*check=*/&CheckReferences};

extern const RuleRegistration kUnresolvedReferenceRule;
const RuleRegistration kUnresolvedReferenceRule = {
    kUnresolvedReference, Severity::kError,
    "A $(NAME) reference that stays literal",
    "Nothing defines the name where the kubelet expands it: an env value "
    "sees envFrom keys, env entries before it and Service variables; "
    "command and args see the final environment.",
    /*check_spec=*/nullptr,
    /*check=*/&CheckReferences};

void CheckReferences(const CheckContext& context, const ContainerCase& c,
                     std::vector<Finding>* findings) {
  const Pod& pod = c.pod;
  const Container& container = c.container;
  std::map<std::string, int> env_index;  // First env[] position of a name.
  for (size_t i = 0; i < container.env.size(); ++i)
    env_index.emplace(container.env[i].name, static_cast<int>(i));
  auto report = [&](const std::string& name, int line, const std::string& what,
                    int index) {
    const std::optional<ServiceAbsence> absence = WhyNoServiceVariable(
        name, context.services(), pod.meta.namespace_name, c.links);
    if (absence.has_value()) {
      ExplainUnfilled(context, pod, container, *absence, line, what, findings);
      return;
    }
    if (c.partial) return;  // Unknown envFrom keys might define it.
    Finding f = MakeFinding(pod, container, kUnresolvedReference,
                            Severity::kError, line);
    f.variable = name;
    auto later = env_index.find(name);
    if (index >= 0 && later != env_index.end() && later->second > index) {
      const int later_line = container.env[later->second].line;
      f.message = absl::StrCat(
          "$(", name, ") in ", what, " stays literal: ", name,
          " is declared later in env",
          later_line > 0 ? absl::StrCat(" (line ", later_line, ")") : "",
          ", and an env value only sees entries before it");
      f.hint = absl::StrCat("move ", name, " above ", container.env[index].name);
    } else {
      f.message = absl::StrCat("$(", name, ") in ", what,
                               " stays literal: nothing defines ", name,
                               " (env, envFrom or a Service variable)");
      f.hint = absl::StrCat("define ", name, ", or write $$(", name,
                            ") for a literal $(", name, ")");
    }
    findings->push_back(std::move(f));
  };
  // The analysis's literal-reference facts about env values (`svcenv env`
  // warns about the same ones), each reference a finding. Text between `$(`
  // and `)` that is not shaped like a variable name is shell syntax or
  // literal text the kubelet leaves alone on purpose.
  for (const Diagnostic& d : c.analysis.diagnostics) {
    if (d.kind != DiagnosticKind::kLiteralReference || d.variable.empty())
      continue;
    // Only an env `value` is expanded, so `d.index` is its env[] position.
    const int line = d.index >= 0 &&
                             d.index < static_cast<int>(container.env.size()) &&
                             container.env[d.index].line > 0
                         ? container.env[d.index].line
                         : container.line;
    for (const std::string& ref : d.references) {
      if (!IsVariableNameShaped(ref)) continue;
      report(ref, line, absl::StrCat("env ", d.variable), d.index);
    }
  }
  // Command and args: from what the container reads, which knows each
  // argument and whether it is a shell script (the analysis's fact lists
  // the references of all arguments together).
  // In a shell script (`sh -c SCRIPT`), `$(word)` is also a command
  // substitution unless the word looks like an environment variable.
  std::set<std::string> reported;
  for (const ArgumentReferences& argument : c.reads.arguments) {
    for (const std::string& ref : argument.unresolved) {
      if (!IsVariableNameShaped(ref)) continue;
      if (argument.shell_script && !IsShellVariableShaped(ref)) continue;
      if (!reported.insert(ref).second) continue;
      report(ref, container.line, "command/args", -1);
    }
  }
}

}  // namespace svcenv::check_internal
