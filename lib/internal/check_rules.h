// lib/internal/check_rules.h
//
// The rule families of `svcenv::Check`, one file each, with their rule ids
// and table entries (`CheckRules()` lists them in this order):
//
//   lib/check_ordering.cc    service-after-workload, service-after-start
//   lib/check_references.cc  unfilled-service-reference, unresolved-reference
//   lib/check_clashes.cc     service-clash, known-variable-overwrite,
//                            declared-shadows-service
//   lib/check_size.cc        environment-size
//   lib/check.cc             container-refused (the driver computes the
//                            environment and reports a refusal)
//   lib/check_duplicates.cc  duplicate-env-key (from the decoder's
//                            `Objects::duplicate_keys`)
//
// Each family checks one container against a read-only `CheckContext` and
// appends its findings.
#ifndef SVCENV_LIB_INTERNAL_CHECK_RULES_H_
#define SVCENV_LIB_INTERNAL_CHECK_RULES_H_

#include <vector>

#include "lib/internal/check_context.h"
#include "lib/internal/check_reads.h"
#include "svcenv/check.h"
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

// Table entries, by family, in `CheckRules()` order.
std::vector<CheckRule> OrderingRules();
std::vector<CheckRule> ReferenceRules();
std::vector<CheckRule> ClashRules();
std::vector<CheckRule> SizeRules();
std::vector<CheckRule> DuplicateKeyRules();  // After container-refused.

// One container being checked. `pod`/`container` are as written (findings
// point there); when the kubelet would refuse the container, `subject_pod`/
// `subject_container` are the copy with every ConfigMap and Secret reference
// optional that the rest of the check runs on (`partial`), else the same.
struct ContainerCase {
  const Pod& pod;
  const Container& container;
  const Pod& subject_pod;
  const Container& subject_container;
  bool init;
  bool links;     // enableServiceLinks, default true.
  bool partial;   // Refused: unknown envFrom keys might define names.
  // With every Service (latest start); the namespace's block is shared.
  const SharedContainerEnvironment& env;
  const ContainerReads& reads;      // What `container` reads itself.
};

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

// environment-size.
void CheckSize(const CheckContext& context, const ContainerCase& c,
               std::vector<Finding>* findings);

}  // namespace svcenv::check_internal

#endif  // SVCENV_LIB_INTERNAL_CHECK_RULES_H_
