// lib/check/internal/rules.h
//
// The rules of `svcenv::Check`. A rule is one file and one registration:
//   1. its file, lib/check/rules/<rule>.cc (globbed by the BUILD file), has the function that reports it and its
//      `RuleRegistration` (id, severity, summary, description, function);
//   2. one line in lib/check/registry.cc adds it to the registry.
// `CheckRules()` (the SARIF rule table, the config's rule names), the
// driver's call list (lib/check/check.cc), `svcenv check --list-rules` and the
// rule list of `svcenv check --help` come from the registry; a test checks
// that docs/check.md describes every registered rule. docs/contributing.md
// walks through adding one.
//
// Rules that share their work share a function (service-after-workload and
// service-after-start both come from `CheckOrdering`); the driver calls each
// function once per container, in registry order.
#ifndef SVCENV_LIB_CHECK_INTERNAL_RULES_H_
#define SVCENV_LIB_CHECK_INTERNAL_RULES_H_

#include <set>
#include <string>
#include <vector>

#include "lib/check/internal/context.h"
#include "lib/check/internal/reads.h"
#include "svcenv/check.h"
#include "svcenv/container_analysis.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"

namespace svcenv::check_internal {

inline constexpr char kServiceAfterWorkload[] = "service-after-workload";
inline constexpr char kServiceAfterStart[] = "service-after-start";
inline constexpr char kUnfilledServiceReference[] =
    "unfilled-service-reference";
inline constexpr char kUnresolvedReference[] = "unresolved-reference";
inline constexpr char kServiceClash[] = "service-clash";
inline constexpr char kKnownVariableOverwrite[] = "known-variable-overwrite";
inline constexpr char kDeclaredShadowsService[] = "declared-shadows-service";
inline constexpr char kEnvironmentSize[] = "environment-size";
inline constexpr char kContainerRefused[] = "container-refused";
inline constexpr char kDuplicateEnvKey[] = "duplicate-env-key";

// One container being checked. `pod`/`container` are as written (findings
// point there); when the kubelet would refuse the container, `subject_pod`/
// `subject_container` are the copy with every ConfigMap and Secret reference
// optional that the rest of the check runs on (`partial`), else the same.
struct ContainerCase {
  const Pod& pod;
  const Container& container;
  const Pod& subject_pod;
  const Container& subject_container;
  bool links;     // enableServiceLinks, default true.
  bool partial;   // Refused: unknown envFrom keys might define names.
  // `svcenv::Analyze` of the subject with every Service (latest start; the
  // namespace's block is shared): the environment and the container's own
  // diagnostics (clashes, literal references, ...), the facts `svcenv env`
  // warns about, which rules turn into findings.
  const ContainerAnalysis& analysis;
  const ContainerReads& reads;      // What `container` reads itself.
};

// Reports findings about one container as written, before its environment
// is computed (and also when the kubelet would refuse it).
using SpecCheck = void (*)(const CheckContext& context, const Pod& pod,
                           const Container& container,
                           std::vector<Finding>* findings);
// Reports findings about one container's environment.
using EnvironmentCheck = void (*)(const CheckContext& context,
                                  const ContainerCase& c,
                                  std::vector<Finding>* findings);

// One rule: its table entry and what reports it (at most one of the two
// functions; neither for container-refused, which the driver reports where
// it computes the environment).
struct RuleRegistration {
  const char* id;
  Severity severity;  // The highest it reports.
  const char* summary;
  const char* description;
  SpecCheck check_spec;
  EnvironmentCheck check;
};

// Every registered rule, in `CheckRules()` order (stable: the SARIF
// ruleIndex); lib/check/registry.cc.
const std::vector<const RuleRegistration*>& Registry();

// service-after-workload, service-after-start.
void CheckOrdering(const CheckContext& context, const ContainerCase& c,
                   std::vector<Finding>* findings);

// unfilled-service-reference, unresolved-reference.
void CheckReferences(const CheckContext& context, const ContainerCase& c,
                     std::vector<Finding>* findings);

// service-clash.
void CheckClashes(const CheckContext& context, const ContainerCase& c,
                  std::vector<Finding>* findings);

// known-variable-overwrite.
void CheckCatalogue(const CheckContext& context, const ContainerCase& c,
                    std::vector<Finding>* findings);

// declared-shadows-service.
void CheckShadowing(const CheckContext& context, const ContainerCase& c,
                    std::vector<Finding>* findings);

// Marks `finding` (about a container of `pod`) suppressed when a disabled
// rule, a `svcenv.io/ignore` annotation or an ignore rule covers it.
void Suppress(const CheckContext& context, const Pod& pod, Finding* finding);

// duplicate-env-key: the keys `context.objects()` records as written twice
// in `container` of `pod`.
void CheckDuplicateKeys(const CheckContext& context, const Pod& pod,
                        const Container& container,
                        std::vector<Finding>* findings);

// The Service URL variables (`X_PORT`, `X_PORT_N_TCP`) service-url-in-value
// reports for `c`: known-variable-overwrite leaves those to it.
std::set<std::string> ServiceUrlsInValues(const ContainerCase& c);

// environment-size.
void CheckSize(const CheckContext& context, const ContainerCase& c,
               std::vector<Finding>* findings);

}  // namespace svcenv::check_internal

#endif  // SVCENV_LIB_CHECK_INTERNAL_RULES_H_
