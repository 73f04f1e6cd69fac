// include/svcenv/check.h
//
// A linter for Service variables: given manifests in the order they would be
// applied (CI), or objects dumped from a live cluster with their timestamps,
// it reports what the kubelet will silently do wrong.
//
//   service-after-workload      A Service applied after a workload of its
//                               namespace: the workload's containers may miss
//                               its variables at first start. In a later
//                               apply step (hook, sync wave): error when one
//                               is referenced through `$(...)`, else warning.
//                               Later in the same step it is a race: warning
//                               with a reference, else info.
//   service-after-start         Live: a Service created after a container
//                               started is missing from it until a restart.
//   unfilled-service-reference  `$(X_SERVICE_HOST)`-shaped reference no
//                               visible Service fills (none, another
//                               namespace, headless, ExternalName, links off).
//   unresolved-reference        Any other `$(NAME)` that stays literal and is
//                               a variable reference, not shell syntax
//                               (`$(hostname -f)` in `sh -c` is left alone).
//   service-clash               Two Services produce one name; the kubelet
//                               picks one at random.
//   known-variable-overwrite    A Service variable overwrites a name this
//                               container is known to read (`KAFKA_PORT` in a
//                               Kafka image, ...; catalogue).
//   declared-shadows-service    `env`/`envFrom` hides a Service variable: safe
//                               here, breaks where the declaration is absent.
//   environment-size            Bytes of environment, command and args
//                               against ARG_MAX and MAX_ARG_STRLEN.
//   container-refused           The kubelet would refuse the container
//                               (missing ConfigMap, Secret or key).
//   duplicate-env-key           `env:`/`envFrom:` twice in a container, or a
//                               key twice in one entry: kubectl keeps the
//                               last (`Objects::duplicate_keys`).
//
// Apply order (manifest mode): objects apply in `Origin::sequence` order
// (`kubectl apply -f` order: files as given, directories in lexical order,
// documents in file order) or, with `ApplyOrder::kHelm`, in Helm's install
// order by kind, stable within a kind, its install/upgrade hooks before and
// after by weight; with `ApplyOrder::kArgoCd`, by Argo CD sync phase
// (`argocd.argoproj.io/hook`, or Helm hooks), sync wave
// (`argocd.argoproj.io/sync-wave`, or `helm.sh/hook-weight`), then Argo CD's
// kind order. Each phase, wave or hook weight is a separate apply step:
// ordering across steps is certain, within one step a race. Services of the
// inventory, and any
// Service that has a `creationTimestamp` (it already exists), count as created
// before everything.
//
// Live mode applies to a Pod that has a `creationTimestamp`: a container's
// start is `state.running.startedAt`, or the pod's `creationTimestamp` when
// the pod has no status for it. A Service created after that second is
// missing; one created within that second may be missing. A container that
// is waiting or terminated gets every current Service at its next start and
// is not checked for this.
//
// Functions here are thread-safe; results are self-contained values.
//
// Example:
//   svcenv::CheckOptions options;
//   options.order = svcenv::ApplyOrder::kHelm;
//   svcenv::CheckResult result = svcenv::Check(objects, inventory, options);
//   for (const svcenv::Finding& f : result.findings)
//     std::cout << f.origin.file << ":" << f.origin.line << ": " << f.message;
#ifndef SVCENV_INCLUDE_SVCENV_CHECK_H_
#define SVCENV_INCLUDE_SVCENV_CHECK_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"

namespace svcenv {

// Ordered: a higher severity compares greater.
enum class Severity { kInfo = 0, kWarning = 1, kError = 2 };

// "info", "warning", "error".
absl::string_view SeverityName(Severity severity);

// Parses "info", "warning" or "error"; InvalidArgumentError otherwise.
absl::StatusOr<Severity> ParseSeverity(absl::string_view text);

// One rule: its stable id, the severity it usually has, and what it means.
struct CheckRule {
  std::string id;           // e.g. "service-after-workload".
  Severity severity;        // The highest severity it reports.
  std::string summary;      // One line.
  std::string description;  // A paragraph: why it matters, how to fix it.
};

// Every rule, in a stable order (the SARIF `ruleIndex`).
const std::vector<CheckRule>& CheckRules();

// A related object, such as the late Service.
struct RelatedObject {
  std::string kind;  // "Service", "ConfigMap", ...
  std::string namespace_name;
  std::string name;
  Origin origin;  // `file` empty when svcenv assumed the object.
};

// Why a finding does not count; kNone for an active finding.
enum class SuppressionKind {
  kNone,
  kAnnotation,  // `svcenv.io/ignore` on the workload, its pod template or
                // every Service the finding names.
  kDisabled,    // The rule is disabled (`CheckOptions::disabled_rules`).
  kConfig,      // An `IgnoreRule` (the config file's `ignore` list).
  kBaseline,    // Already in a previous report (`ApplyBaseline`).
};

// "", "annotation", "disabled", "config", "baseline".
absl::string_view SuppressionKindName(SuppressionKind kind);

// The annotation that suppresses findings: a comma-separated list of rule
// ids, or `*` for every rule. Read on a workload's metadata, its pod
// template's metadata (either suppresses the findings about its containers),
// and a Service's metadata (suppresses a finding when every Service the
// finding names carries it for that rule). Unknown ids are ignored.
inline constexpr char kIgnoreAnnotation[] = "svcenv.io/ignore";

// A pod that a finding grouped by owner stands for (see check_grouping.h).
struct AffectedPod {
  std::string name;                     // In the finding's namespace.
  std::vector<std::string> containers;  // The affected ones, unique.
  Origin origin;                        // The Pod object.
};

struct Finding {
  std::string rule_id;  // One of `CheckRules()`.
  Severity severity = Severity::kWarning;
  std::string message;  // One line.
  std::string hint;     // One line: how to fix it.
  // Where to look: the workload's file, document and object start, with
  // `line` narrowed to the container or `env` entry when known.
  Origin origin;
  std::string workload_kind;  // "Deployment", "Pod", ...
  std::string namespace_name;
  std::string workload_name;
  std::string container;  // Empty when not about one container.
  std::string variable;   // The variable concerned, if one.
  std::vector<RelatedObject> related;

  // Grouped by owner (check_grouping.h): `workload_kind`/`workload_name` name
  // the owning workload (e.g. Deployment), `pods` lists every affected pod,
  // `example_pod`/`example_message` the first one's own finding, and
  // `owner_pods` how many pods of that owner the inputs hold. Empty/0 for a
  // finding about one pod or workload.
  std::vector<AffectedPod> pods;
  int affected_containers = 0;
  int owner_pods = 0;
  std::string example_pod;
  std::string example_message;

  SuppressionKind suppression = SuppressionKind::kNone;
  std::string suppression_reason;  // Who suppressed it, for people.
};

// A stable identity of a finding across runs that add or move lines:
// `rule:Kind/namespace/name/container:variable` (SARIF
// `partialFingerprints`, baselines).
std::string FindingFingerprint(const Finding& finding);

// Suppresses the findings it matches; an empty field matches anything, `*`
// in `rule` every rule.
struct IgnoreRule {
  std::string rule;
  std::string namespace_name;
  std::string workload;  // The workload's name.
  std::string container;
  std::string variable;
  std::string reason;  // Shown as the suppression's justification.
};

// One entry of the catalogue of variables apps are known to read. `pattern`
// is a name, `PREFIX*` or `*SUFFIX`; `note` says who reads it and why a
// `tcp://` URL there breaks it.
//
// An entry only applies to a container that is known to read the name: one
// whose image matches a glob of `images` (`*` matches any run of bytes; the
// glob `*` alone makes the entry apply to every container), or one that
// reads the name itself (`$(NAME)` in env, command or args, `$NAME` or
// `${NAME}` in a shell script). Image globs are matched against the image
// reference as written, tag included, digest dropped
// (`ghcr.io/x/demo:1.0-kafka` matches `*kafka*`). `if_service_exists` (only
// for `*SUFFIX`) makes the entry also apply when a Service with a cluster IP
// named by the rest of the name exists in the namespace (`*_SERVICE_PORT`:
// `X_SERVICE_PORT` counts when Service `x` exists).
struct CatalogueEntry {
  std::string pattern;
  std::string note;
  std::vector<std::string> images;
  bool if_service_exists = false;
};

// The shipped catalogue (see docs/check.md).
const std::vector<CatalogueEntry>& BuiltinCatalogue();

// Parses a catalogue file: one entry per line,
// `PATTERN [image=GLOB[,GLOB...]] [if-service-exists] note...`; blank lines
// and lines starting with `#` are skipped. InvalidArgumentError naming
// `file_name` and the line for a pattern that is not a variable name with at
// most one leading or trailing `*`, an empty image glob, or
// `if-service-exists` on a pattern that is not `*SUFFIX`.
absl::StatusOr<std::vector<CatalogueEntry>> ParseCatalogue(
    absl::string_view text, absl::string_view file_name);

// The catalogue in the format `ParseCatalogue` reads.
std::string FormatCatalogue(const std::vector<CatalogueEntry>& entries);

enum class ApplyOrder {
  kKubectl,  // `Origin::sequence`: as read.
  kHelm,     // Helm's InstallOrder by kind, stable within a kind; hooks
             // (`helm.sh/hook`, `helm.sh/hook-weight`) as separate steps.
  kArgoCd,   // Argo CD: sync phase (hooks), sync wave, then kind.
};

struct CheckOptions {
  ApplyOrder order = ApplyOrder::kKubectl;
  // Added to `BuiltinCatalogue()`.
  std::vector<CatalogueEntry> extra_catalogue;
  // Linux execve limits: ARG_MAX is a quarter of an 8 MiB stack; one string
  // may hold at most 32 pages. Reached or exceeded: error; above
  // `size_warning_ratio` of either: warning.
  int64_t arg_max = 2 * 1024 * 1024;
  int64_t max_arg_strlen = 128 * 1024;
  double size_warning_ratio = 0.5;
  // Every cluster has `default/kubernetes`; assume it (10.96.0.1:443) when
  // neither the objects nor the inventory hold it.
  bool assume_kubernetes_service = true;
  EnvironmentOptions environment;
  // Rule ids whose findings are suppressed (kDisabled). Unknown ids are the
  // caller's to reject (`CheckRules()`).
  std::set<std::string> disabled_rules;
  // Findings to suppress from outside the manifests (kConfig), with where
  // the rules came from (e.g. ".svcenv.yaml").
  std::vector<IgnoreRule> ignores;
  std::string ignores_source;
  // Report findings about pods with a controller owner once per owning
  // workload and rule (check_grouping.h); false keeps one per container.
  bool group_by_owner = true;
  // The caller could not read the Secrets (or ConfigMaps) of the cluster,
  // e.g. `kubectl get secrets` was Forbidden: a reference to one that is not
  // in the inputs is then not known to be missing. Such a reference is no
  // container-refused finding; the rest of the check runs on the
  // environment with its variables as unknown placeholders and its envFrom
  // keys unknown (EnvironmentOptions::partial), so that no finding rests on
  // the object being absent. A missing key of an object that is present is
  // still a refusal.
  bool secrets_unknown = false;
  bool config_maps_unknown = false;
};

struct CheckResult {
  // In input order of the workloads, then container, then line.
  std::vector<Finding> findings;
  int workloads = 0;   // Pods and pod templates checked.
  int containers = 0;  // Containers and init containers checked.
  int services = 0;    // Services seen (objects and inventory).

  bool baseline_applied = false;  // `ApplyBaseline` ran.
  // Helm templates `LocateHelmTemplates` found as files (as rewritten
  // there). SARIF points only at these; a template found nowhere is named
  // in the message, and the location stays the rendered file.
  std::set<std::string> located_helm_templates;

  // `HideBelow`: the severities of the active findings left out of
  // `findings` for being below `shown_severity`, one each (the reports
  // count them in their summary).
  Severity shown_severity = Severity::kInfo;
  std::vector<Severity> hidden_severities;

  // How many active (not suppressed) findings have at least `severity`,
  // hidden ones included.
  int CountAtLeast(Severity severity) const;
  // How many findings are suppressed this way.
  int CountSuppressed(SuppressionKind kind) const;
};

// Leaves the active findings below `shown` out of `result->findings`
// (`svcenv check --severity`), keeping their severities in
// `hidden_severities`: the summary says how many, and the exit code
// (CountAtLeast) still counts them.
void HideBelow(Severity shown, CheckResult* result);

// Reads a previous report, `-o json` or `-o sarif`, into the fingerprints
// of its findings (suppressed ones included). InvalidArgumentError naming
// `file_name` for anything else.
absl::StatusOr<std::set<std::string>> ReadBaseline(absl::string_view text,
                                                   absl::string_view file_name);

// Marks the active findings whose fingerprint is in `baseline` as
// kBaseline, citing `source`, and sets `baseline_applied`.
void ApplyBaseline(const std::set<std::string>& baseline,
                   absl::string_view source, CheckResult* result);

// Checks every pod and pod template of `objects`. `inventory` holds objects
// that already exist in the cluster (Services, ConfigMaps, Secrets; its
// Pods are ignored).
CheckResult Check(const Objects& objects, const Objects& inventory,
                  const CheckOptions& options);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_CHECK_H_
