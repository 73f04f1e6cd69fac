// The registry of `svcenv::Check`'s rules (lib/internal/check_rules.h): one
// line per rule, in the stable order of `CheckRules()` (the SARIF
// ruleIndex: new rules go last). Each registration is defined in its rule's
// file.
#include <vector>

#include "lib/internal/check_rules.h"
#include "svcenv/check.h"

namespace svcenv::check_internal {

extern const RuleRegistration kServiceAfterWorkloadRule;       // check_ordering.cc
extern const RuleRegistration kServiceAfterStartRule;          // check_ordering.cc
extern const RuleRegistration kUnfilledServiceReferenceRule;   // check_references.cc
extern const RuleRegistration kUnresolvedReferenceRule;        // check_references.cc
extern const RuleRegistration kServiceClashRule;               // check_clashes.cc
extern const RuleRegistration kKnownVariableOverwriteRule;     // check_clashes.cc
extern const RuleRegistration kDeclaredShadowsServiceRule;     // check_clashes.cc
extern const RuleRegistration kEnvironmentSizeRule;            // check_size.cc
extern const RuleRegistration kContainerRefusedRule;           // check.cc
extern const RuleRegistration kDuplicateEnvKeyRule;            // check_duplicates.cc
extern const RuleRegistration kUnknownFieldRule;               // check_unknown_fields.cc
extern const RuleRegistration kServiceUrlInValueRule;          // check_service_url.cc

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
