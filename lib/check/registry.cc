// The registry of `svcenv::Check`'s rules (lib/check/internal/rules.h): one
// line per rule, in the stable order of `CheckRules()` (the SARIF
// ruleIndex: new rules go last). Each registration is defined in its rule's
// file.
#include <vector>

#include "lib/check/internal/rules.h"
#include "svcenv/check.h"

namespace svcenv::check_internal {

extern const RuleRegistration kServiceAfterWorkloadRule;       // rules/ordering.cc
extern const RuleRegistration kServiceAfterStartRule;          // rules/ordering.cc
extern const RuleRegistration kUnfilledServiceReferenceRule;   // rules/references.cc
extern const RuleRegistration kUnresolvedReferenceRule;        // rules/references.cc
extern const RuleRegistration kServiceClashRule;               // rules/clashes.cc
extern const RuleRegistration kKnownVariableOverwriteRule;     // rules/clashes.cc
extern const RuleRegistration kDeclaredShadowsServiceRule;     // rules/clashes.cc
extern const RuleRegistration kEnvironmentSizeRule;            // rules/size.cc
extern const RuleRegistration kContainerRefusedRule;           // check.cc
extern const RuleRegistration kDuplicateEnvKeyRule;            // rules/duplicates.cc
extern const RuleRegistration kUnknownFieldRule;               // rules/unknown_fields.cc
extern const RuleRegistration kServiceUrlInValueRule;          // rules/service_url.cc

const std::vector<const RuleRegistration*>& Registry() {
  static const auto* const kRegistry = new std::vector<const RuleRegistration*>{
      &kServiceAfterWorkloadRule,
      &kServiceAfterStartRule,
      &kUnfilledServiceReferenceRule,
      &kUnresolvedReferenceRule,
      &kServiceClashRule,
      &kKnownVariableOverwriteRule,
      &kDeclaredShadowsServiceRule,
      &kEnvironmentSizeRule,
      &kContainerRefusedRule,
      &kDuplicateEnvKeyRule,
      &kUnknownFieldRule,
      &kServiceUrlInValueRule,
  };
  return *kRegistry;
}

}  // namespace svcenv::check_internal

namespace svcenv {

const std::vector<CheckRule>& CheckRules() {
  static const auto* const kRules = [] {
    auto* rules = new std::vector<CheckRule>();
    for (const check_internal::RuleRegistration* r :
         check_internal::Registry()) {
      rules->push_back({r->id, r->severity, r->summary, r->description});
    }
    return rules;
  }();
  return *kRules;
}

}  // namespace svcenv
