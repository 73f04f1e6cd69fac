// include/svcenv/variable_why.h
//
// Why a container has, or lacks, one variable: every source that set the
// name, in the kubelet's order of precedence (a Service variable, then the
// `envFrom` sources in list order, then the `env` entries in list order; the
// last one wins), with the value each would have given, the `$(...)`
// expansions of the winner, whether a Service source was created after the
// container started, and which other variables (and command/args) refer to
// the name, each expansion's value and source, and the value the running
// container holds when a Service it reads is newer than the container. When
// the container lacks the name, the reasons the pod's spec
// and inputs give: a Service of another namespace, `enableServiceLinks:
// false`, a Service without a cluster IP, a missing ConfigMap, Secret or
// key.
//
// Facts only: front ends word and format them. Values are raw (Secret
// values included); redact with the source's `IsSecret()`.
//
// Thread safety: a pure function of its inputs.
//
// Example:
//   svcenv::VariableWhy why = svcenv::ExplainVariable(
//       "REDIS_SERVICE_HOST", {pod, container, env, services, objects, start});
//   if (!why.present)
//     for (const svcenv::AbsenceReason& r : why.absence) Print(r.message);
#ifndef SVCENV_INCLUDE_SVCENV_VARIABLE_WHY_H_
#define SVCENV_INCLUDE_SVCENV_VARIABLE_WHY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "svcenv/container_env.h"
#include "svcenv/container_start.h"
#include "svcenv/objects.h"
#include "svcenv/service_env.h"

namespace svcenv {

// One source that set the name.
struct WhyCandidate {
  EnvSource source;
  // What it set, when the inputs say: a Service variable's value, an envFrom
  // key's value, an `env` literal as written (before expansion; the
  // winner's expanded value is `VariableWhy::value`). nullopt otherwise
  // (a key reference to an absent object, a downward-API value that was
  // replaced).
  std::optional<std::string> value;
  // The source whose value the container gets (the last candidate).
  bool wins = false;
  // kService: whether the running container has the Service's variables
  // (kAbsent: created after it started; a restart adds them).
  ServicePresence presence = ServicePresence::kPresent;
};

// A variable that refers to the name with `$(NAME)`.
struct WhyReference {
  std::string variable;  // Its name; "command" or "args" for those.
  // True when the reference was substituted; false when it stayed literal
  // (the name was defined only after that entry, or not at all).
  bool expanded = false;
};

// One `$(NAME)` the winning `env` value expanded: what NAME held at that
// entry (the kubelet expands each entry against the variables defined before
// it, so a later entry of the same name does not count) and where that came
// from.
struct WhyExpansion {
  std::string name;
  std::string value;  // Raw: redact with `source.IsSecret()`.
  EnvSource source;
  // kService: whether the running container had the Service (kAbsent: it
  // was created after the container started, and the running container
  // holds the reference as written, `$(NAME)`, unless something else set
  // NAME).
  ServicePresence presence = ServicePresence::kPresent;
  // kService: the value is the Service's Docker-link URL (`X_PORT`,
  // `tcp://IP:PORT`, IsDockerLinkUrl), rarely what a value built around it
  // wants (`redis://host:$(REDIS_PORT)`): `svcenv check` reports it as
  // service-url-in-value.
  bool docker_link_url = false;
};

enum class AbsenceKind {
  kServiceInOtherNamespace,  // Service variables come from the pod's own.
  kServiceLinksDisabled,     // `enableServiceLinks: false`.
  kServiceWithoutClusterIp,  // Headless or ExternalName: no variables.
  kNoSuchServiceVariable,    // The pod's Service makes other names (port
                             // name, number or protocol).
  kObjectMissing,            // An envFrom/keyRef ConfigMap or Secret is
                             // absent (optional: skipped; else refused).
  kKeyMissing,               // An optional keyRef key is absent.
  kNotDefined,               // Nothing the pod reads could set it.
};

struct AbsenceReason {
  AbsenceKind kind = AbsenceKind::kNotDefined;
  std::string message;  // One line naming the object and field.
};

struct VariableWhy {
  std::string name;
  bool present = false;
  // Present: the final value and its flags (see `EnvEntry`).
  std::string value;
  bool unknown = false;
  bool runtime_only = false;
  // Kubelet order; the last one wins. Empty when absent.
  std::vector<WhyCandidate> candidates;
  // The winner's `$(...)` references, substituted and left literal.
  std::vector<std::string> expanded_references;
  std::vector<std::string> unresolved_references;
  // Each substituted reference with its value and source, in order.
  std::vector<WhyExpansion> expansions;
  // The value the running container holds, when it differs from `value`: a
  // Service it reads, directly or through `$(...)`, was created after the
  // container started. Computed from the Services at its start
  // (ServicesAtStart), as `env --as-running` and `diff` do.
  std::optional<std::string> running_value;
  // The running container lacks the name altogether (its only source is a
  // Service created after the container started).
  bool absent_when_running = false;
  // Other variables (and command/args) that refer to the name, in order.
  std::vector<WhyReference> referenced_by;
  // Absent: why, most specific first (never empty: kNotDefined at least).
  std::vector<AbsenceReason> absence;
};

// The inputs `ExplainVariable` reads; every pointer must be non-null and
// outlive the call.
struct WhyInputs {
  const Pod* pod = nullptr;
  const Container* container = nullptr;
  // The container's explained environment, computed (partial mode or not)
  // with `services` as its Service block.
  const ContainerEnvironment* env = nullptr;
  const ServiceEnvironment* services = nullptr;
  // Every input object: all Services (other namespaces too, for absence
  // reasons), the ConfigMaps and Secrets.
  const Objects* objects = nullptr;
  // When the container started (container_start.h).
  ContainerStart start;
  // The options `env` was computed with: the expansions and the running
  // value are computed with them too.
  EnvironmentOptions options;
};

VariableWhy ExplainVariable(absl::string_view name, const WhyInputs& inputs);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_VARIABLE_WHY_H_
