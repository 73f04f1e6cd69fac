// include/svcenv/container_analysis.h
//
// One analysis of a container, for every front end: the kubelet's view of
// it (the Service block of its namespace, when it started, which Services
// are newer than that, its environment) and the facts a user should hear
// about (typed diagnostics, each worded once by `Describe()`). `svcenv env`,
// `why`, `diff`, `services`, the C API and `check` all start here, so they
// agree on flags, warnings and wording.
//
// `AnalysisInputs` prepares decoded objects once: Services whose cluster IP
// the API server has not allocated yet get the `<cluster IP>` stand-in
// (pending_cluster_ip.h), and ConfigMaps, Secrets and Nodes are indexed.
// `Analyze` then runs per container; `AnalyzeServices` per namespace.
//
// Errors: `Analyze` returns the environment's status (FailedPrecondition
// with a Refusal payload, env_refusal.h, where the kubelet would refuse the
// container, unless `options.environment.partial`).
//
// Thread safety: AnalysisInputs is immutable after construction; Analyze and
// AnalyzeServices are safe to call concurrently on one AnalysisInputs.
//
// Example:
//   svcenv::AnalysisInputs inputs(&objects);  // Stands in pending IPs.
//   svcenv::AnalysisOptions options;
//   options.as_running = true;  // The running container's environment.
//   absl::StatusOr<svcenv::ContainerAnalysis> a =
//       svcenv::Analyze(inputs, pod, pod.containers[0], options);
//   if (!a.ok()) return a.status();
//   for (const svcenv::Diagnostic& d : a->diagnostics)
//     std::cerr << "warning: " << d.Describe() << "\n";
//   for (const svcenv::EnvEntry& e : a->Explain().env) ...
#ifndef SVCENV_INCLUDE_SVCENV_CONTAINER_ANALYSIS_H_
#define SVCENV_INCLUDE_SVCENV_CONTAINER_ANALYSIS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "svcenv/container_env.h"
#include "svcenv/container_start.h"
#include "svcenv/object_lookup.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {

enum class DiagnosticKind {
  // The inputs have no Service default/kubernetes: in a cluster every
  // container also gets KUBERNETES_*.
  kMissingMasterService,
  // Visible Services without a cluster IP yet (manifests): their variables
  // show `<cluster IP>`. One diagnostic for all of them.
  kPendingClusterIp,
  // A visible Service created after the container started: the running
  // container lacks its variables (a restart adds them).
  kLateService,
  // Created in the second the container started: it may lack them.
  kSameSecondService,
  // A visible Service without creationTimestamp (never created) beside a
  // container that has started: the running container lacks it.
  kNeverCreatedService,
  // A Service with a cluster IP that produces no variables (no ports...):
  // the service block's own sentence.
  kServiceWithoutVariables,
  // Two visible Services produce one name; svcenv's choice is documented
  // in service_env.h, the kubelet's is Go map order.
  kServiceClash,
  // The environment's own warnings (container_env.h), as sentences.
  kEnvironment,
  // A field of the container that the API does not know (kubectl
  // --validate=strict refuses it; the API server drops it).
  kUnknownField,
  // `$(NAME)` in env, command or args that stays literal.
  kLiteralReference,
};

// One fact about the analysis. Which members are set depends on `kind`.
struct Diagnostic {
  DiagnosticKind kind = DiagnosticKind::kEnvironment;
  // The Services concerned (kPendingClusterIp: every one; kLateService,
  // kSameSecondService, kNeverCreatedService: one).
  std::vector<const Service*> services;
  // kServiceClash.
  std::optional<ServiceClash> clash;
  // The container, and its start (kLateService, kSameSecondService).
  std::string container;
  ContainerStart start;
  // kLateService, kNeverCreatedService: left out of the environment
  // (AnalysisOptions::as_running).
  bool left_out = false;
  // kUnknownField: the field; kLiteralReference: the variable (empty for
  // command/args) and the `env` index (-1 if none) with its references.
  UnknownField field;
  std::string variable;
  int index = -1;
  std::vector<std::string> references;
  // kServiceWithoutVariables, kEnvironment: the library's sentence.
  std::string text;

  // The one wording of this fact: a sentence without a trailing period.
  std::string Describe() const;
};

// kUnknownField's words without the container: "`field.path` is not a field
// (did you mean ...?)[ at line N]: kubectl --validate=strict refuses ...".
// `svcenv check` says it at the field's line, so it leaves the line out.
std::string DescribeUnknownField(const UnknownField& field, bool with_line);

struct AnalysisOptions {
  // Kubelet version, partial (placeholders instead of a refusal),
  // unscheduled placeholders...: see container_env.h.
  EnvironmentOptions environment;
  // Compute the environment the running container holds: Services created
  // after it started left out (ServicesAtStart). Otherwise the environment
  // of its next start, with every current Service.
  bool as_running = false;
  // With a given Service block (the second `Analyze`): whether the
  // diagnostics start with the block's Services without variables. A caller
  // analysing many containers of one block (`svcenv check`) says them once
  // per block, not once per container.
  bool block_diagnostics = true;
};

// Decoded objects prepared for analyses (see the file comment). Holds
// pointers into `*objects`, which must outlive it and not change.
class AnalysisInputs {
 public:
  explicit AnalysisInputs(Objects* objects);
  AnalysisInputs(const AnalysisInputs&) = delete;
  AnalysisInputs& operator=(const AnalysisInputs&) = delete;

  const Objects& objects() const { return *objects_; }
  const ObjectLookup& lookup() const { return lookup_; }
  // Services that got the `<cluster IP>` stand-in.
  const std::vector<const Service*>& pending() const { return pending_; }

 private:
  const Objects* objects_;
  std::vector<const Service*> pending_;
  ObjectsLookup lookup_;
};

// The Service variables a pod in `namespace_name` receives, and the
// diagnostics about them (missing default/kubernetes, pending cluster IPs,
// Services without variables, clashes), in that order.
struct ServiceAnalysis {
  std::shared_ptr<const ServiceEnvironment> services;
  std::vector<Diagnostic> diagnostics;
};
ServiceAnalysis AnalyzeServices(const AnalysisInputs& inputs,
                                const std::string& namespace_name,
                                bool enable_service_links);

struct ContainerAnalysis {
  ContainerStart start;
  // Every current visible Service's variables: the next start's block.
  std::shared_ptr<const ServiceEnvironment> services;
  // Visible Services the running container lacks (created after its
  // start, or never created), in VisibleServices' order.
  std::vector<const Service*> late_services;
  // The environment: with `services`, or with `as_running` with the
  // Services at the container's start.
  SharedContainerEnvironment environment;
  // The Service analysis's diagnostics, then late Services, then the
  // environment's warnings, unknown fields and literal references.
  std::vector<Diagnostic> diagnostics;

  // `environment.Explain()`: every variable with its source.
  ContainerEnvironment Explain() const { return environment.Explain(); }
};

// Analyzes `container`, an element of `pod`'s containers, init containers
// or ephemeral containers (by address, see container_start.h), `pod` one of
// `inputs.objects()`'s pods or any pod of the same namespace.
absl::StatusOr<ContainerAnalysis> Analyze(const AnalysisInputs& inputs,
                                          const Pod& pod,
                                          const Container& container,
                                          const AnalysisOptions& options);

// For node agents: the same analysis with the Service block given (a
// ServiceIndex snapshot, service_index.h) and ConfigMaps, Secrets and Nodes
// from the agent's caches. The block carries no creation history, so there
// are no late-Service facts, nor input facts (default/kubernetes, pending
// cluster IPs): the diagnostics are the block's Services without
// variables, then the container's. `options.as_running` is ignored.
absl::StatusOr<ContainerAnalysis> Analyze(
    std::shared_ptr<const ServiceEnvironment> services,
    const ObjectLookup& lookup, const Pod& pod, const Container& container,
    const AnalysisOptions& options);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_CONTAINER_ANALYSIS_H_
