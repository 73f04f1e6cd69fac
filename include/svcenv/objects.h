// include/svcenv/objects.h
//
// Plain value types for the Kubernetes objects svcenv reads: Service, Pod
// (or a workload's pod template), ConfigMap, Secret and Node. Only the fields
// that shape a container's environment are kept. Values are as stored by the
// API server, with API defaulting not applied: an absent field stays absent
// (`std::optional`, empty string or empty container), so callers can tell
// "unset" from "set to the default".
//
// Every object remembers where it came from (`Origin`), so that findings and
// errors can name the file, the document and the line.
//
// These are value types with no behaviour; const access from several threads
// is safe.
//
// Example:
//   svcenv::Service redis;
//   redis.meta.namespace_name = "shop";
//   redis.meta.name = "redis";
//   redis.cluster_ip = "10.0.0.11";
//   redis.ports.push_back({.name = "", .port = 6379, .protocol = "TCP"});
#ifndef SVCENV_INCLUDE_SVCENV_OBJECTS_H_
#define SVCENV_INCLUDE_SVCENV_OBJECTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace svcenv {

// Where an object was read from.
struct Origin {
  std::string file;   // As given by the user; "-" for standard input.
  int document = 0;   // 0-based index of the document in the file.
  int line = 0;       // 1-based line of the object's start; 0 when unknown.
  int item = -1;      // 0-based index inside a `kind: List`; -1 if not in one.
  int sequence = 0;   // 0-based position among all objects read, any kind.
  // The template a `helm template` document came from, as its
  // `# Source: chart/templates/x.yaml` comment names it; empty otherwise.
  std::string helm_source;
};

// An RFC 3339 timestamp such as `2024-05-01T10:00:00Z`.
struct Timestamp {
  std::string text;          // As written.
  int64_t unix_seconds = 0;  // Seconds since the Unix epoch, UTC.
};

// One entry of `metadata.ownerReferences`: the object that owns this one,
// e.g. the ReplicaSet of a Deployment's pod, or the CronJob of a Job.
struct OwnerReference {
  std::string api_version;  // e.g. "apps/v1".
  std::string kind;         // e.g. "ReplicaSet".
  std::string name;         // In the owned object's namespace.
  std::string uid;
  bool controller = false;  // `controller: true`: the managing controller.
};

// The part of `metadata` svcenv uses.
struct ObjectMeta {
  std::string namespace_name;  // Filled with the caller's default if absent.
  std::string name;
  // `metadata.generateName`: the prefix the API server completes into a name
  // when `name` is empty (Helm hook Jobs, `kubectl create` input).
  std::string generate_name;
  std::string uid;
  std::optional<Timestamp> creation_timestamp;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<OwnerReference> owner_references;  // In the order written.
};

// One entry of `spec.ports` of a Service.
struct ServicePort {
  std::string name;      // May be empty (only legal for a single port).
  int32_t port = 0;      // 1..65535 after decoding.
  std::string protocol;  // As written: "TCP", "UDP", "SCTP" or empty.
};

struct Service {
  ObjectMeta meta;
  std::string type;  // "ClusterIP", "NodePort", "ExternalName", ... or empty.
  std::string cluster_ip;                // Verbatim; "None" for headless.
  std::vector<std::string> cluster_ips;  // Dual-stack list, verbatim.
  std::vector<ServicePort> ports;        // In spec order.
  Origin origin;
};

// `configMapKeyRef` / `secretKeyRef`.
struct KeySelector {
  std::string name;  // The ConfigMap or Secret, in the pod's namespace.
  std::string key;
  bool optional = false;
};

// `fieldRef`.
struct ObjectFieldSelector {
  std::string api_version;  // Empty means "v1".
  std::string field_path;   // e.g. "metadata.labels['app']".
};

// `resourceFieldRef`.
struct ResourceFieldSelector {
  std::string container_name;  // Empty means the container itself.
  std::string resource;        // e.g. "limits.memory".
  std::string divisor;         // Quantity text as written; empty means "1".
};

// `fileKeyRef` (EnvFiles, KEP-3721): a key of an env file that an init
// container writes into one of the pod's volumes.
struct FileKeySelector {
  std::string volume_name;
  std::string path;  // Relative to the volume's root.
  std::string key;
  bool optional = false;
};

// `valueFrom`: exactly one member is set in a valid object.
struct EnvVarSource {
  std::optional<ObjectFieldSelector> field_ref;
  std::optional<ResourceFieldSelector> resource_field_ref;
  std::optional<KeySelector> config_map_key_ref;
  std::optional<KeySelector> secret_key_ref;
  std::optional<FileKeySelector> file_key_ref;
};

// One `env` entry.
struct EnvVar {
  std::string name;
  std::string value;
  std::optional<EnvVarSource> value_from;
  int line = 0;  // 1-based YAML line of the entry; 0 when unknown.
};

// `configMapRef` / `secretRef` inside `envFrom`.
struct EnvFromReference {
  std::string name;
  bool optional = false;
};

// One `envFrom` entry.
struct EnvFromSource {
  std::string prefix;
  std::optional<EnvFromReference> config_map_ref;
  std::optional<EnvFromReference> secret_ref;
};

// `resources`: quantity text as written, keyed by resource name.
struct ResourceRequirements {
  std::map<std::string, std::string> limits;
  std::map<std::string, std::string> requests;
};

// A field the API does not define, found where a typo silently changes a
// container's environment: in `env`, `envFrom`, `valueFrom` and their
// selectors, and container keys that look like `env`/`envFrom`. `kubectl
// --validate=strict` refuses the object; with `--validate=false` the API
// server drops the field, and so does svcenv.
struct UnknownField {
  std::string path;        // From the container: `env[1].valuefrom`.
  std::string suggestion;  // The closest defined field, or empty.
  int line = 0;            // 1-based YAML line of its object; 0 if unknown.
};

struct Container {
  std::string name;
  std::string image;
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::vector<EnvVar> env;
  std::vector<EnvFromSource> env_from;
  ResourceRequirements resources;
  int line = 0;  // 1-based YAML line of the container; 0 when unknown.
  std::vector<UnknownField> unknown_fields;  // In input order.
  // The container's own `restartPolicy`: "Always" makes an init container a
  // sidecar; on an app container (ContainerRestartRules) it overrides the
  // pod's. Empty when not set.
  std::string restart_policy;
};

// One entry of `spec.volumes`, reduced to its name and the kind of its source.
struct Volume {
  std::string name;
  // The volume source member that is set, as written ("emptyDir",
  // "configMap", "persistentVolumeClaim", ...); empty when none is.
  std::string source;
};

// `status.containerStatuses[]` reduced to what ordering checks need.
struct ContainerStatus {
  std::string name;
  std::string state;  // "running", "waiting", "terminated" or empty.
  std::optional<Timestamp> started_at;  // `state.running.startedAt`.
  // `state.terminated`: when that run started, and how it ended.
  std::optional<Timestamp> terminated_started_at;
  std::optional<int64_t> exit_code;
};

// A Pod, or the pod template of a workload. For a template, `meta` is the
// template's metadata with the workload's namespace, and `workload_kind` /
// `workload_name` name the workload.
struct Pod {
  ObjectMeta meta;
  std::string workload_kind;  // "Pod", "Deployment", "StatefulSet", ...
  std::string workload_name;  // metadata.name of the Pod or the workload.
  // metadata.annotations of the workload (of the Pod for a Pod; `meta`
  // holds the template's).
  std::map<std::string, std::string> workload_annotations;
  // A workload's own `metadata.uid` and `metadata.ownerReferences` (a
  // ReplicaSet's Deployment, a Job's CronJob); `meta` holds the template's.
  // Empty for a Pod, whose own are in `meta`.
  std::string workload_uid;
  std::vector<OwnerReference> workload_owner_references;

  // spec
  std::string node_name;
  std::string service_account_name;
  std::string restart_policy;  // `spec.restartPolicy`; empty means Always.
  std::optional<bool> enable_service_links;  // Absent means true (API default).
  std::vector<Container> containers;
  std::vector<Container> init_containers;
  // `spec.ephemeralContainers` (`kubectl debug`); their fields are a subset
  // of a container's. Never present in a workload template.
  std::vector<Container> ephemeral_containers;
  // `spec.resources` (PodLevelResources, KEP-2837): pod-level limits and
  // requests; empty maps when absent.
  ResourceRequirements resources;
  std::vector<Volume> volumes;  // `spec.volumes`, in spec order.

  // status
  // `status.phase` ("Pending", "Running", ...); empty when absent (a
  // manifest, or a dump trimmed of its status).
  std::string phase;
  std::vector<std::string> pod_ips;   // status.podIPs, else [status.podIP].
  std::vector<std::string> host_ips;  // status.hostIPs, else [status.hostIP].
  std::vector<ContainerStatus> container_statuses;
  std::vector<ContainerStatus> init_container_statuses;
  std::vector<ContainerStatus> ephemeral_container_statuses;

  Origin origin;
};

struct ConfigMap {
  ObjectMeta meta;
  std::map<std::string, std::string> data;
  std::map<std::string, std::string> binary_data;  // Base64-decoded bytes.
  Origin origin;
};

struct Secret {
  ObjectMeta meta;
  std::string type;
  // `data` base64-decoded, with `stringData` merged over it as the API
  // server does on write.
  std::map<std::string, std::string> data;
  Origin origin;
};

struct NodeAddress {
  std::string type;  // "InternalIP", "ExternalIP", "Hostname", ...
  std::string address;
};

struct Node {
  ObjectMeta meta;
  std::map<std::string, std::string> allocatable;  // Quantity text.
  std::vector<NodeAddress> addresses;
  Origin origin;
};

// Everything read from the inputs, each kind in input order.
// A map key written twice. The last value is kept, as kubectl's converter
// (sigs.k8s.io/yaml, go-yaml v2) and encoding/json keep it; callers warn,
// and `svcenv check` turns those inside containers into findings.
struct DuplicateKey {
  std::string file;
  int document = 0;    // 0-based, as in Origin.
  std::string path;    // The map holding the key, as `spec.containers[0]`;
                       // empty for a document's top level.
  std::string key;
  int first_line = 0;  // 1-based YAML lines of both; 0 for JSON.
  int line = 0;
};

struct Objects {
  std::vector<Service> services;
  std::vector<Pod> pods;
  std::vector<ConfigMap> config_maps;
  std::vector<Secret> secrets;
  std::vector<Node> nodes;
  // Keys repeated in the input, in input order (none with
  // DecodeOptions::strict_keys, which refuses them instead).
  std::vector<DuplicateKey> duplicate_keys;
  // Input read otherwise than written, as kubectl reads it (e.g. invalid
  // UTF-8 replaced by U+FFFD), one line each naming file, line and column.
  std::vector<std::string> decode_warnings;
};

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_OBJECTS_H_
