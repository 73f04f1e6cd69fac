#include "svcenv/decode.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/base/testing.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::SizeIs;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

constexpr char kData[] = "testdata/decode/";

std::string ReadTestFile(const std::string& name) {
  std::ifstream in(kData + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << kData << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status Decode(const std::string& text, Objects* out,
                    const std::string& file = "in.yaml") {
  return DecodeText(text, file, {}, out);
}

// The error message `text` produces, or "OK".
std::string ErrorOf(const std::string& text,
                    const std::string& file = "in.yaml") {
  Objects out;
  absl::Status s = Decode(text, &out, file);
  if (s.ok()) return "OK";
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(out.services.size() + out.pods.size() + out.config_maps.size() +
                out.secrets.size() + out.nodes.size(),
            0u)
      << "partial output on error";
  return std::string(s.message());
}

std::vector<std::string> Names(const std::vector<ConfigMap>& v) {
  std::vector<std::string> out;
  for (const ConfigMap& c : v) out.push_back(c.meta.name);
  return out;
}

// A Pod as text, without YAML lines and origin, to compare decodings.
std::string Dump(const Pod& p) {
  std::string s;
  auto map = [&](const std::map<std::string, std::string>& m) {
    for (const auto& [k, v] : m) absl::StrAppend(&s, k, "=", v, ";");
    s += "\n";
  };
  auto ts = [&](const std::optional<Timestamp>& t) {
    if (t) absl::StrAppend(&s, t->text, "@", t->unix_seconds);
    s += "\n";
  };
  absl::StrAppend(&s, p.meta.namespace_name, "/", p.meta.name, " ", p.meta.uid,
                  " ", p.workload_kind, "/", p.workload_name, "\n");
  ts(p.meta.creation_timestamp);
  map(p.meta.labels);
  map(p.meta.annotations);
  absl::StrAppend(&s, p.node_name, " ", p.service_account_name, " ",
                  p.enable_service_links.has_value()
                      ? (*p.enable_service_links ? "links" : "nolinks")
                      : "unset",
                  "\n");
  for (const auto* list : {&p.init_containers, &p.containers}) {
    for (const Container& c : *list) {
      absl::StrAppend(&s, "container ", c.name, " ", c.image, " [",
                      absl::StrJoin(c.command, ","), "] [",
                      absl::StrJoin(c.args, ","), "]\n");
      for (const EnvVar& e : c.env) {
        absl::StrAppend(&s, " env ", e.name, "=", e.value);
        if (e.value_from) {
          const EnvVarSource& f = *e.value_from;
          if (f.field_ref) {
            absl::StrAppend(&s, " field:", f.field_ref->api_version, ":",
                            f.field_ref->field_path);
          }
          if (f.resource_field_ref) {
            absl::StrAppend(&s, " res:", f.resource_field_ref->container_name,
                            ":", f.resource_field_ref->resource, ":",
                            f.resource_field_ref->divisor);
          }
          for (const auto* k : {&f.config_map_key_ref, &f.secret_key_ref}) {
            if (*k) {
              absl::StrAppend(&s, " key:", (*k)->name, ":", (*k)->key, ":",
                              (*k)->optional);
            }
          }
          if (f.file_key_ref) s += " file";
        }
        s += "\n";
      }
      for (const EnvFromSource& e : c.env_from) {
        absl::StrAppend(&s, " from ", e.prefix);
        if (e.config_map_ref) {
          absl::StrAppend(&s, " cm:", e.config_map_ref->name, ":",
                          e.config_map_ref->optional);
        }
        if (e.secret_ref) {
          absl::StrAppend(&s, " secret:", e.secret_ref->name, ":",
                          e.secret_ref->optional);
        }
        s += "\n";
      }
      map(c.resources.limits);
      map(c.resources.requests);
    }
  }
  absl::StrAppend(&s, absl::StrJoin(p.pod_ips, ","), " ",
                  absl::StrJoin(p.host_ips, ","), "\n");
  for (const auto* list : {&p.init_container_statuses, &p.container_statuses}) {
    for (const ContainerStatus& c : *list) {
      absl::StrAppend(&s, "status ", c.name, " ", c.state, " ");
      ts(c.started_at);
    }
  }
  return s;
}

// --- Each kind, JSON and YAML. ---

TEST(DecodeText, ServiceFromJson) {
  Objects out;
  ASSERT_THAT(Decode(ReadTestFile("service.json"), &out, "service.json"),
              IsOk());
  ASSERT_THAT(out.services, SizeIs(1));
  const Service& s = out.services[0];
  EXPECT_EQ(s.meta.namespace_name, "shop");
  EXPECT_EQ(s.meta.name, "redis");
  EXPECT_EQ(s.meta.uid, "a2b9e8c0-1111-4000-8000-000000000002");
  ASSERT_TRUE(s.meta.creation_timestamp.has_value());
  EXPECT_EQ(s.meta.creation_timestamp->text, "2024-05-01T10:00:00Z");
  EXPECT_EQ(s.meta.creation_timestamp->unix_seconds, 1714557600);
  EXPECT_THAT(s.meta.labels, ElementsAre(Pair("app", "redis")));
  EXPECT_THAT(s.meta.annotations, ElementsAre(Pair("owner", "team-a")));
  EXPECT_EQ(s.type, "ClusterIP");
  EXPECT_EQ(s.cluster_ip, "10.0.0.11");
  EXPECT_THAT(s.cluster_ips, ElementsAre("10.0.0.11", "fd00::11"));
  ASSERT_THAT(s.ports, SizeIs(2));
  EXPECT_EQ(s.ports[0].name, "redis");
  EXPECT_EQ(s.ports[0].port, 6379);
  EXPECT_EQ(s.ports[0].protocol, "TCP");
  EXPECT_EQ(s.ports[1].name, "metrics");
  EXPECT_EQ(s.ports[1].port, 9121);
  EXPECT_EQ(s.ports[1].protocol, "");
  EXPECT_EQ(s.origin.file, "service.json");
  EXPECT_EQ(s.origin.document, 0);
  EXPECT_EQ(s.origin.item, -1);
  EXPECT_EQ(s.origin.sequence, 0);
  EXPECT_THAT(out.pods, IsEmpty());
}

// An empty text (whose string_view may hold a null pointer) is an empty
// stream, not a crash in libyaml.
TEST(DecodeText, EmptyTextIsAnEmptyStream) {
  Objects out;
  EXPECT_THAT(DecodeText(absl::string_view(), "empty.yaml", {}, &out), IsOk());
  EXPECT_THAT(DecodeText("", "empty.yaml", {}, &out), IsOk());
  EXPECT_THAT(out.services, IsEmpty());
  EXPECT_THAT(out.pods, IsEmpty());
}

TEST(DecodeText, MultiDocumentYamlStream) {
  Objects out;
  ASSERT_THAT(Decode(ReadTestFile("stream.yaml"), &out, "stream.yaml"), IsOk());

  ASSERT_THAT(out.services, SizeIs(1));
  const Service& s = out.services[0];
  EXPECT_EQ(s.meta.namespace_name, "shop");
  EXPECT_EQ(s.meta.name, "redis");
  EXPECT_THAT(s.cluster_ips, ElementsAre("10.0.0.11", "fd00::11"));
  ASSERT_THAT(s.ports, SizeIs(2));
  EXPECT_EQ(s.ports[1].port, 9121);
  EXPECT_EQ(s.origin.file, "stream.yaml");
  EXPECT_EQ(s.origin.document, 0);
  EXPECT_EQ(s.origin.line, 3);
  EXPECT_EQ(s.origin.sequence, 0);

  // The Ingress counts as a document. The `---` right before it starts its
  // piece, as kubectl's splitter cuts two `---` lines in a row: no empty
  // document between them.
  ASSERT_THAT(out.config_maps, SizeIs(1));
  const ConfigMap& cm = out.config_maps[0];
  EXPECT_EQ(cm.meta.namespace_name, "default");
  // `on` is a YAML 1.1 boolean, so the key reaches Kubernetes as "true".
  EXPECT_THAT(cm.data, ElementsAre(Pair("count", "3"), Pair("mode", "fast"),
                                   Pair("true", "1")));
  EXPECT_THAT(cm.binary_data, ElementsAre(Pair("blob", "hello")));
  EXPECT_EQ(cm.origin.document, 2);
  EXPECT_EQ(cm.origin.line, 29);
  EXPECT_EQ(cm.origin.sequence, 1);

  ASSERT_THAT(out.secrets, SizeIs(1));
  const Secret& secret = out.secrets[0];
  EXPECT_EQ(secret.type, "Opaque");
  // stringData is merged over data.
  EXPECT_THAT(secret.data,
              ElementsAre(Pair("password", "s3cret"), Pair("token", "abc"),
                          Pair("user", "root")));
  EXPECT_EQ(secret.origin.sequence, 2);

  ASSERT_THAT(out.nodes, SizeIs(1));
  const Node& node = out.nodes[0];
  EXPECT_EQ(node.meta.name, "node-a");
  EXPECT_EQ(node.meta.namespace_name, "");  // Cluster-scoped.
  EXPECT_THAT(node.allocatable,
              ElementsAre(Pair("cpu", "4"), Pair("memory", "16Gi"),
                          Pair("pods", "110")));
  ASSERT_THAT(node.addresses, SizeIs(2));
  EXPECT_EQ(node.addresses[0].type, "InternalIP");
  EXPECT_EQ(node.addresses[0].address, "192.168.1.10");
  EXPECT_EQ(node.origin.document, 4);
  EXPECT_EQ(node.origin.sequence, 3);
}

TEST(DecodeText, PodFromYaml) {
  Objects out;
  ASSERT_THAT(Decode(ReadTestFile("pod.yaml"), &out, "pod.yaml"), IsOk());
  ASSERT_THAT(out.pods, SizeIs(1));
  const Pod& p = out.pods[0];
  EXPECT_EQ(p.meta.namespace_name, "shop");
  EXPECT_EQ(p.meta.name, "web-0");
  EXPECT_EQ(p.workload_kind, "Pod");
  EXPECT_EQ(p.workload_name, "web-0");
  EXPECT_THAT(p.meta.labels,
              ElementsAre(Pair("app", "web"),
                          Pair("app.kubernetes.io/part-of", "shop")));
  EXPECT_EQ(p.node_name, "node-a");
  EXPECT_EQ(p.service_account_name, "web");
  EXPECT_THAT(p.enable_service_links, Optional(false));
  EXPECT_EQ(p.origin.line, 2);

  ASSERT_THAT(p.init_containers, SizeIs(1));
  EXPECT_THAT(p.init_containers[0].command, ElementsAre("sh", "-c"));
  EXPECT_THAT(p.init_containers[0].args, ElementsAre("echo hi"));
  EXPECT_EQ(p.init_containers[0].line, 19);

  ASSERT_THAT(p.containers, SizeIs(2));
  const Container& c = p.containers[0];
  EXPECT_EQ(c.name, "app");
  EXPECT_EQ(c.image, "example/web:2");
  EXPECT_EQ(c.line, 25);
  ASSERT_THAT(c.env, SizeIs(7));
  EXPECT_EQ(c.env[0].name, "PLAIN");
  EXPECT_EQ(c.env[0].value, "hello");
  EXPECT_FALSE(c.env[0].value_from.has_value());
  EXPECT_EQ(c.env[0].line, 28);
  ASSERT_TRUE(c.env[1].value_from && c.env[1].value_from->field_ref);
  EXPECT_EQ(c.env[1].value_from->field_ref->api_version, "v1");
  EXPECT_EQ(c.env[1].value_from->field_ref->field_path, "metadata.name");
  EXPECT_EQ(c.env[1].line, 30);
  ASSERT_TRUE(c.env[2].value_from && c.env[2].value_from->resource_field_ref);
  EXPECT_EQ(c.env[2].value_from->resource_field_ref->container_name, "app");
  EXPECT_EQ(c.env[2].value_from->resource_field_ref->resource, "limits.memory");
  EXPECT_EQ(c.env[2].value_from->resource_field_ref->divisor, "1Mi");
  // A numeric divisor keeps its text.
  EXPECT_EQ(c.env[3].value_from->resource_field_ref->divisor, "1");
  ASSERT_TRUE(c.env[4].value_from->config_map_key_ref);
  EXPECT_EQ(c.env[4].value_from->config_map_key_ref->name, "settings");
  EXPECT_EQ(c.env[4].value_from->config_map_key_ref->key, "mode");
  EXPECT_TRUE(c.env[4].value_from->config_map_key_ref->optional);
  ASSERT_TRUE(c.env[5].value_from->secret_key_ref);
  EXPECT_EQ(c.env[5].value_from->secret_key_ref->name, "creds");
  EXPECT_FALSE(c.env[5].value_from->secret_key_ref->optional);
  EXPECT_TRUE(c.env[6].value_from->file_key_ref);
  EXPECT_FALSE(c.env[6].value_from->secret_key_ref);

  ASSERT_THAT(c.env_from, SizeIs(2));
  EXPECT_EQ(c.env_from[0].prefix, "CM_");
  ASSERT_TRUE(c.env_from[0].config_map_ref);
  EXPECT_EQ(c.env_from[0].config_map_ref->name, "settings");
  EXPECT_FALSE(c.env_from[0].secret_ref);
  ASSERT_TRUE(c.env_from[1].secret_ref);
  EXPECT_TRUE(c.env_from[1].secret_ref->optional);

  EXPECT_THAT(c.resources.limits,
              ElementsAre(Pair("cpu", "1"), Pair("memory", "128Mi")));
  EXPECT_THAT(c.resources.requests, ElementsAre(Pair("cpu", "0.5")));

  EXPECT_THAT(p.pod_ips, ElementsAre("10.1.2.3", "fd00:1::3"));
  EXPECT_THAT(p.host_ips, ElementsAre("192.168.1.10", "fd00::10"));
  ASSERT_THAT(p.container_statuses, SizeIs(2));
  EXPECT_EQ(p.container_statuses[0].state, "running");
  ASSERT_TRUE(p.container_statuses[0].started_at.has_value());
  // 10:00:05.250 at +02:00 is 08:00:05 UTC.
  EXPECT_EQ(p.container_statuses[0].started_at->unix_seconds, 1714550405);
  EXPECT_EQ(p.container_statuses[1].state, "waiting");
  EXPECT_FALSE(p.container_statuses[1].started_at.has_value());
  ASSERT_THAT(p.init_container_statuses, SizeIs(1));
  EXPECT_EQ(p.init_container_statuses[0].state, "terminated");
}

TEST(DecodeText, PodFromJsonMatchesYaml) {
  Objects from_yaml, from_json;
  ASSERT_THAT(Decode(ReadTestFile("pod.yaml"), &from_yaml), IsOk());
  ASSERT_THAT(Decode(ReadTestFile("pod.json"), &from_json, "pod.json"), IsOk());
  ASSERT_THAT(from_yaml.pods, SizeIs(1));
  ASSERT_THAT(from_json.pods, SizeIs(1));
  EXPECT_EQ(Dump(from_json.pods[0]), Dump(from_yaml.pods[0]));
  EXPECT_EQ(from_json.pods[0].containers[0].env[0].line, 0);
  EXPECT_EQ(from_json.pods[0].containers[0].resources.requests.at("cpu"),
            "0.5");
}

TEST(DecodeText, PodIpsFallBackToSingularFields) {
  Objects out;
  ASSERT_THAT(Decode(R"({"kind":"Pod","metadata":{"name":"p"},
      "spec":{"host":"legacy-node"},
      "status":{"podIP":"10.0.0.5","hostIP":"192.168.0.2"}})",
                     &out),
              IsOk());
  ASSERT_THAT(out.pods, SizeIs(1));
  EXPECT_EQ(out.pods[0].meta.namespace_name, "default");
  EXPECT_EQ(out.pods[0].node_name, "legacy-node");
  EXPECT_EQ(out.pods[0].enable_service_links, std::nullopt);
  EXPECT_THAT(out.pods[0].pod_ips, ElementsAre("10.0.0.5"));
  EXPECT_THAT(out.pods[0].host_ips, ElementsAre("192.168.0.2"));
}

TEST(DecodeText, DefaultNamespaceComesFromOptions) {
  Objects out;
  DecodeOptions options;
  options.default_namespace = "team";
  ASSERT_THAT(DecodeText("kind: Secret\nmetadata: {name: s}\n", "s.yaml",
                         options, &out),
              IsOk());
  ASSERT_THAT(out.secrets, SizeIs(1));
  EXPECT_EQ(out.secrets[0].meta.namespace_name, "team");
}

// --- Lists. ---

TEST(DecodeText, KindListFromJson) {
  Objects out;
  ASSERT_THAT(Decode(ReadTestFile("list.json"), &out, "list.json"), IsOk());
  ASSERT_THAT(out.services, SizeIs(1));
  EXPECT_EQ(out.services[0].meta.name, "kubernetes");
  EXPECT_EQ(out.services[0].origin.item, 0);
  EXPECT_EQ(out.services[0].origin.sequence, 0);
  ASSERT_THAT(out.config_maps, SizeIs(1));
  EXPECT_EQ(out.config_maps[0].origin.item, 2);  // Item 1 was Endpoints.
  EXPECT_EQ(out.config_maps[0].origin.sequence, 1);
  ASSERT_THAT(out.pods, SizeIs(1));
  EXPECT_EQ(out.pods[0].origin.item, 3);
  EXPECT_EQ(out.pods[0].origin.sequence, 2);
  EXPECT_EQ(out.pods[0].containers[0].image, "example/web:2");
}

TEST(DecodeText, TypedListFromYamlWithItemsWithoutKind) {
  Objects out;
  ASSERT_THAT(Decode(ReadTestFile("svc_list.yaml"), &out), IsOk());
  ASSERT_THAT(out.services, SizeIs(2));
  EXPECT_EQ(out.services[0].meta.name, "kubernetes");
  EXPECT_EQ(out.services[0].origin.item, 0);
  EXPECT_EQ(out.services[0].origin.line, 7);
  EXPECT_EQ(out.services[1].meta.namespace_name, "kube-system");
  EXPECT_EQ(out.services[1].ports[0].protocol, "UDP");
  EXPECT_EQ(out.services[1].origin.item, 1);
  EXPECT_EQ(out.services[1].origin.line, 16);
}

// kubectl prints keys sorted, so `items` comes before `kind`; items are
// decoded while the List is still being parsed, and must end up exactly as
// if it had been parsed first.
TEST(DecodeText, JsonListItemsBeforeKind) {
  Objects out;
  ASSERT_THAT(Decode(R"({"apiVersion": "v1", "items": [
      {"kind": "ConfigMap", "metadata": {"name": "a"}},
      {"kind": "Secret", "metadata": {"name": "b"}},
      {"metadata": {"name": "c"}},
      {"kind": "ConfigMap", "metadata": {"name": "d"}}],
    "kind": "ConfigMapList", "metadata": {}})",
                     &out, "l.json"),
              IsOk());
  // `c` has no kind and takes the typed List's.
  EXPECT_THAT(Names(out.config_maps), ElementsAre("a", "c", "d"));
  ASSERT_THAT(out.secrets, SizeIs(1));
  EXPECT_EQ(out.config_maps[0].origin.sequence, 0);
  EXPECT_EQ(out.secrets[0].origin.sequence, 1);
  EXPECT_EQ(out.config_maps[1].origin.sequence, 2);
  EXPECT_EQ(out.config_maps[1].origin.item, 2);
  EXPECT_EQ(out.config_maps[2].origin.sequence, 3);
  EXPECT_EQ(out.config_maps[2].origin.item, 3);
}

TEST(DecodeText, JsonItemsOfAnObjectThatIsNotAListAreIgnored) {
  Objects out;
  ASSERT_THAT(Decode(R"({"items": [{"kind": "Service", "metadata": {}}],
                         "kind": "Inventory"})",
                     &out, "i.json"),
              IsOk());
  EXPECT_THAT(out.services, IsEmpty());
  EXPECT_EQ(
      ErrorOf(R"({"items": [{"kind": "Service", "metadata": {}}]})", "i.json"),
      "i.json: document 1: kind: required");
}

// The error of `text` decoded with --strict-keys.
std::string StrictErrorOf(const std::string& text, const std::string& file) {
  DecodeOptions options;
  options.strict_keys = true;
  Objects out;
  absl::Status s = DecodeText(text, file, options, &out);
  return s.ok() ? "OK" : std::string(s.message());
}

// With strict keys (kubectl's strict decoding) a repeated field is refused,
// even a List's `items` whose first copy was already decoded.
TEST(DecodeErrors, JsonListWithRepeatedItemsKey) {
  const std::string text = R"({"kind": "List",
      "items": [{"kind": "ConfigMap", "metadata": {"name": "first"}}],
      "items": [{"kind": "ConfigMap", "metadata": {"name": "second"}}]})";
  EXPECT_EQ(StrictErrorOf(text, "l.json"),
            "l.json: document 1: duplicate key \"items\"");
  // By default the last `items` wins, as encoding/json decides.
  Objects out;
  ASSERT_THAT(Decode(text, &out, "l.json"), IsOk());
  EXPECT_THAT(Names(out.config_maps), ElementsAre("second"));
  ASSERT_THAT(out.duplicate_keys, SizeIs(1));
  EXPECT_EQ(out.duplicate_keys[0].key, "items");
}

TEST(DecodeErrors, JsonDuplicateKeyNamesItsPath) {
  const std::string text =
      R"({"kind": "Service", "metadata": {"name": "s"}, "spec": {"ports":
      [{"port": 80}, {"port": 81, "name": "a", "port": 82}]}})";
  EXPECT_EQ(StrictErrorOf(text, "s.json"),
            "s.json: document 1: spec.ports[1]: duplicate key \"port\"");
  Objects out;
  ASSERT_THAT(Decode(text, &out, "s.json"), IsOk());
  ASSERT_THAT(out.services, SizeIs(1));
  EXPECT_EQ(out.services[0].ports[1].port, 82);
  ASSERT_THAT(out.duplicate_keys, SizeIs(1));
  EXPECT_EQ(out.duplicate_keys[0].path, "spec.ports[1]");
  EXPECT_EQ(out.duplicate_keys[0].key, "port");
  EXPECT_EQ(out.duplicate_keys[0].line, 0);
}

TEST(DecodeErrors, JsonListItemErrorNamesTheItem) {
  EXPECT_EQ(ErrorOf(R"({"apiVersion": "v1", "items": [
      {"kind": "ConfigMap", "metadata": {"name": "a"}},
      {"kind": "Service", "metadata": {"name": "redis", "namespace": "shop"},
       "spec": {"ports": [{"port": 70000}]}}],
    "kind": "List"})",
                    "svc.json"),
            "svc.json: document 1, item 2: Service shop/redis: "
            "spec.ports[0].port: must be an integer in 1..65535, got 70000");
}

TEST(DecodeText, ListInsideListIsAnError) {
  EXPECT_EQ(
      ErrorOf("{\"kind\":\"List\",\"items\":[{\"kind\":\"List\"}]}", "l.json"),
      "l.json: document 1, item 1: List: a List inside a List is not "
      "supported");
}

TEST(DecodeText, UnknownKindsAreSkipped) {
  Objects out;
  ASSERT_THAT(Decode("kind: Ingress\nmetadata: {name: x}\nspec: 5\n---\n"
                     "kind: Whatever\n",
                     &out),
              IsOk());
  EXPECT_THAT(out.services, IsEmpty());
  EXPECT_THAT(out.pods, IsEmpty());
  EXPECT_THAT(out.config_maps, IsEmpty());
}

// --- Workloads. ---

TEST(DecodeText, WorkloadTemplatesBecomePods) {
  Objects out;
  ASSERT_THAT(Decode(ReadTestFile("workloads.yaml"), &out), IsOk());
  std::vector<std::string> got;
  for (const Pod& p : out.pods) {
    got.push_back(absl::StrCat(
        p.workload_kind, " ", p.workload_name, " ", p.meta.namespace_name, " ",
        p.containers.empty() ? "-" : p.containers[0].name));
  }
  // The Knative Service (another API group) is not a core Service.
  EXPECT_THAT(
      got,
      ElementsAre(
          "Deployment web shop app", "StatefulSet db default db",
          "DaemonSet agent kube-system agent", "ReplicaSet web-5d8f shop app",
          "ReplicationController legacy shop app", "Job migrate shop migrate",
          "CronJob nightly shop report", "PodTemplate tmpl shop worker"));
  EXPECT_THAT(out.services, IsEmpty());
  const Pod& web = out.pods[0];
  EXPECT_EQ(web.meta.name, "");  // The template has no name of its own.
  EXPECT_THAT(web.meta.labels, ElementsAre(Pair("app", "web")));
  EXPECT_FALSE(web.meta.creation_timestamp.has_value());
  ASSERT_THAT(web.containers[0].env, SizeIs(1));
  EXPECT_EQ(web.containers[0].env[0].value, "prod");
  EXPECT_THAT(out.pods[2].enable_service_links, Optional(false));
  EXPECT_THAT(out.pods[7].meta.labels, ElementsAre(Pair("role", "worker")));
  for (size_t i = 0; i < out.pods.size(); ++i) {
    EXPECT_EQ(out.pods[i].origin.document, static_cast<int>(i));
    EXPECT_EQ(out.pods[i].origin.sequence, static_cast<int>(i));
  }
}

TEST(DecodeText, WorkloadWithoutTemplateIsAnError) {
  EXPECT_EQ(ErrorOf("kind: Deployment\napiVersion: apps/v1\nmetadata:\n"
                    "  name: web\n  namespace: shop\nspec:\n  replicas: 1\n"),
            "in.yaml: document 1 (line 7): Deployment shop/web: "
            "spec.template: required");
}

// --- YAML scalars as sigs.k8s.io/yaml converts them. ---

TEST(DecodeText, YamlScalarsFollowYaml11) {
  Objects out;
  ASSERT_THAT(Decode(R"(kind: Pod
metadata:
  name: p
  labels:
    quoted: "yes"
    tagged: !!str 123
    folded: >-
      folded text
spec:
  enableServiceLinks: off
  containers:
  - name: c
    env:
    - name: A
      valueFrom:
        configMapKeyRef: {name: cm, key: k, optional: yes}
    - name: B
      value: ~
    resources:
      limits: {cpu: 250m, memory: 1e3, nvidia.com/gpu: 2.0}
)",
                     &out),
              IsOk());
  ASSERT_THAT(out.pods, SizeIs(1));
  const Pod& p = out.pods[0];
  EXPECT_THAT(p.meta.labels,
              ElementsAre(Pair("folded", "folded text"), Pair("quoted", "yes"),
                          Pair("tagged", "123")));
  EXPECT_THAT(p.enable_service_links, Optional(false));
  EXPECT_TRUE(p.containers[0].env[0].value_from->config_map_key_ref->optional);
  EXPECT_EQ(p.containers[0].env[1].value, "");  // null leaves it unset.
  EXPECT_THAT(p.containers[0].resources.limits,
              ElementsAre(Pair("cpu", "250m"), Pair("memory", "1000"),
                          Pair("nvidia.com/gpu", "2")));
}

// Double-quoted escapes and keep-chomping block scalars as go-yaml v2 reads
// them (testdata/differential checks the same against sigs.k8s.io/yaml).
TEST(DecodeText, YamlScalarEscapesAndChompingFollowGoYaml) {
  Objects out;
  ASSERT_THAT(Decode(R"(kind: ConfigMap
metadata: {name: c}
data:
  "N": "a\Nb"
  _: "a\_b"
  L: "a\Lb"
  P: "a\Pb"
  e: "a\eb"
  a: "a\ab"
  v: "a\vb"
  "0": "a\0b"
  x: "a\x41b"
  u: "a\u00e9b"
  U: "a\U0001F600b"
  keep-folded: >+
    x
    y

  keep-literal: |+
    x


  strip: >-
    x

  last: >+
    z


)",
                     &out),
              IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(1));
  const auto& d = out.config_maps[0].data;
  EXPECT_EQ(d.at("N"), "a\u0085b");
  EXPECT_EQ(d.at("_"), "a\u00a0b");
  EXPECT_EQ(d.at("L"), "a\u2028b");
  EXPECT_EQ(d.at("P"), "a\u2029b");
  EXPECT_EQ(d.at("e"), "a\x1b" "b");
  EXPECT_EQ(d.at("a"), "a\ab");
  EXPECT_EQ(d.at("v"), "a\vb");
  EXPECT_EQ(d.at("0"), std::string("a\0b", 3));
  EXPECT_EQ(d.at("x"), "aAb");
  EXPECT_EQ(d.at("u"), "a\u00e9b");
  EXPECT_EQ(d.at("U"), "a\U0001F600b");
  EXPECT_EQ(d.at("keep-folded"), "x y\n\n");
  EXPECT_EQ(d.at("keep-literal"), "x\n\n\n");
  EXPECT_EQ(d.at("strip"), "x");
  EXPECT_EQ(d.at("last"), "z\n\n\n");
}

// Keys YAML resolves to numbers become the strings sigs.k8s.io/yaml makes of
// them: floats as float32, shortest, %g; `.inf` and `.nan` allowed as keys.
TEST(DecodeText, YamlNumberKeysAsKubectlWritesThem) {
  Objects out;
  ASSERT_THAT(Decode("kind: ConfigMap\nmetadata: {name: c}\ndata:\n"
                     "  60000092.0: a\n  1720476846.5: b\n  0.5: c\n"
                     "  1e3: d\n  0.00001: e\n  -.Inf: f\n  .NaN: g\n"
                     "  12: h\n  1.0: i\n",
                     &out),
              IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(1));
  EXPECT_THAT(out.config_maps[0].data,
              ElementsAre(Pair("-.inf", "f"), Pair(".nan", "g"),
                          Pair("0.5", "c"), Pair("1", "i"),
                          Pair("1.7204768e+09", "b"), Pair("1000", "d"),
                          Pair("12", "h"), Pair("1e-05", "e"),
                          Pair("6.0000092e+07", "a")));
}

// go-yaml v2 knows `\'` in a double-quoted scalar (for `'`); libyaml does
// not. kubernetes.io's envars-file-container.yaml has one.
TEST(DecodeText, SingleQuoteEscapeAsGoYamlReadsIt) {
  Objects out;
  ASSERT_THAT(Decode("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                     "spec:\n  containers:\n  - name: c\n    env:\n"
                     "    - name: Q\n      value: \"it\\'s\"\n",
                     &out),
              IsOk());
  ASSERT_EQ(out.pods.size(), 1u);
  ASSERT_EQ(out.pods[0].containers[0].env.size(), 1u);
  EXPECT_EQ(out.pods[0].containers[0].env[0].value, "it's");

  // Only where the backslash escapes: not after an escaped backslash, not
  // outside double quotes; beside other escapes of `"`, across lines, in a
  // key, in several scalars of one document and in a later document.
  ASSERT_THAT(Decode("kind: ConfigMap\nmetadata: {name: c}\ndata:\n"
                     "  a: \"a\\\\'b\"\n"
                     "  b: \"\\x22\\'\\\"\\u0022\\'\"\n"
                     "  c: \"one \\'\n    two\\' \\\n    \\'three\"\n"
                     "  d: 'C:\\'\n"
                     "  e: plain \\' text\n"
                     "  \"k\\'\": |\n    block \\' \"x\"\n"
                     "---\nkind: ConfigMap\nmetadata: {name: \"d\\'\"}\n",
                     &out),
              IsOk());
  ASSERT_EQ(out.config_maps.size(), 2u);
  EXPECT_THAT(out.config_maps[0].data,
              UnorderedElementsAre(Pair("a", "a\\'b"), Pair("b", "\"'\"\"'"),
                                   Pair("c", "one ' two' 'three"),
                                   Pair("d", "C:\\"),
                                   Pair("e", "plain \\' text"),
                                   Pair("k'", "block \\' \"x\"\n")));
  EXPECT_EQ(out.config_maps[1].meta.name, "d'");

  // Any other unknown escape is still refused, as go-yaml refuses it.
  EXPECT_THAT(ErrorOf("kind: ConfigMap\nmetadata: {name: c}\n"
                      "data: {a: \"it\\'s\", b: \"\\q\"}\n"),
              HasSubstr("line 3, column 24: YAML syntax error: while parsing "
                        "a quoted scalar: found unknown escape character"));
}

// What kubectl's reader refuses before or besides go-yaml, svcenv refuses.
TEST(DecodeErrors, YamlInputKubectlRefuses) {
  // `\/` is YAML 1.2 (libyaml 0.2.2+); go-yaml v2 does not know it.
  EXPECT_EQ(ErrorOf("kind: ConfigMap\nmetadata: {name: c}\n"
                    "data: {url: \"http:\\/\\/x\"}\n"),
            "in.yaml: line 3: YAML syntax error: while parsing a quoted "
            "scalar: found unknown escape character `\\/` (kubectl's YAML "
            "reader, go-yaml v2, does not know it; write `/`)");
  // An escaped backslash before a slash, and `\/` outside double quotes,
  // are fine.
  EXPECT_EQ(ErrorOf("kind: ConfigMap\nmetadata: {name: c}\ndata:\n"
                    "  a: \"\\\\/\"\n  b: '\\/'\n  c: \\/\n"),
            "OK");
  // apimachinery's YAMLReader splits at lines starting with `---` and
  // refuses one followed by anything but spaces or a comment.
  EXPECT_EQ(ErrorOf("a: 1\n---foo: 1\n"),
            "in.yaml: line 2: invalid YAML document separator: `---` "
            "followed by `foo: 1` (kubectl allows only spaces or a comment "
            "after it)");
  EXPECT_THAT(ErrorOf("kind: ConfigMap\nmetadata: {name: c}\n--- |\n  x\n"),
              StartsWith("in.yaml: line 3: invalid YAML document separator"));
  EXPECT_EQ(ErrorOf("--- # a comment\nkind: ConfigMap\nmetadata: {name: c}\n"
                    "---   \n"),
            "OK");
  // Go's strings.TrimSpace decides what is blank after `---`: Unicode
  // spaces too (here U+00A0), so this line separates two documents.
  Objects spaced;
  ASSERT_THAT(Decode("kind: ConfigMap\nmetadata: {name: a}\n---\t\xC2\xA0\n"
                     "kind: ConfigMap\nmetadata: {name: b}\n",
                     &spaced),
              IsOk());
  EXPECT_THAT(Names(spaced.config_maps), ElementsAre("a", "b"));
  // The splitter cuts a directive from its `---`: go-yaml then refuses it.
  EXPECT_EQ(ErrorOf("%YAML 1.1\n---\nkind: ConfigMap\nmetadata: {name: c}\n"),
            "in.yaml: line 2, column 1: YAML syntax error: did not find "
            "expected <document start> (kubectl does not read %YAML or %TAG "
            "directives: remove them)");
}

// kubectl hands go-yaml each piece between `---` lines, and go-yaml reads
// the first YAML document of it and nothing after: a second document after
// `...`, or text after a root indented deeper than it, is dropped. svcenv
// reads what kubectl reads and warns about the rest.
TEST(DecodeText, ContentAfterTheFirstDocumentOfAPieceIsIgnored) {
  Objects out;
  ASSERT_THAT(Decode("kind: ConfigMap\nmetadata: {name: a}\n...\n"
                     "kind: ConfigMap\nmetadata: {name: dropped}\n"
                     "---\n"
                     "  kind: ConfigMap\n  metadata: {name: b}\n"
                     "kind: ConfigMap\nmetadata: {name: dropped-too}\n"
                     "---\n"
                     "kind: ConfigMap\nmetadata: {name: c}\n...\n# end\n",
                     &out),
              IsOk());
  EXPECT_THAT(Names(out.config_maps), ElementsAre("a", "b", "c"));
  EXPECT_EQ(out.config_maps[1].origin.document, 1);
  EXPECT_EQ(out.config_maps[1].origin.line, 7);
  EXPECT_THAT(out.decode_warnings,
              ElementsAre("in.yaml: line 4: ignored, as kubectl ignores it: "
                          "go-yaml reads one YAML document between `---` "
                          "lines, and this follows document 1",
                          EndsWith("line 9: ignored, as kubectl ignores it: "
                                   "go-yaml reads one YAML document between "
                                   "`---` lines, and this follows document "
                                   "2")));
  // Never read, so never an error, as in kubectl.
  EXPECT_EQ(ErrorOf("kind: ConfigMap\nmetadata: {name: a}\n...\n[unclosed\n"),
            "OK");
  // A syntax error inside the first document still is one, on its line.
  EXPECT_THAT(ErrorOf("#\n---\nkind: ConfigMap\nmetadata: {name: [a}\n"),
              StartsWith("in.yaml: line 4, column "));
}

// Found by the kubectl differential test on fuzzer output (session 4).
TEST(DecodeText, AnchorsMergesAndKeysAsGoYamlReadsThem) {
  // go-yaml binds an anchor's name when its node starts: a node inside it
  // with the same name takes the name, and keeps it after the outer ends.
  EXPECT_EQ(ErrorOf("base: &base\n  a: 1\n  se: &base\n  app: web\n"
                    "labels:\n  <<: *base\n"),
            "in.yaml: document 1 (line 6): map merge requires map or sequence "
            "of maps");
  Objects out;
  ASSERT_THAT(Decode("kind: ConfigMap\nmetadata: {name: c}\n"
                     "x: &v {k: &v inner}\ndata: {k: *v}\n",
                     &out),
              IsOk());
  EXPECT_THAT(out.config_maps[0].data, ElementsAre(Pair("k", "inner")));
  EXPECT_EQ(ErrorOf("self: &self\n  a: *self\n"),
            "in.yaml: document 1 (line 2): anchor 'self' value contains "
            "itself");
  // An alias of a sequence is no merge value, even of maps.
  EXPECT_EQ(ErrorOf("maps: &maps\n- {a: 1}\nlabels:\n  <<: *maps\n"),
            "in.yaml: document 1 (line 4): map merge requires map or sequence "
            "of maps");
  // `!` leaves `<<` a merge key.
  EXPECT_EQ(ErrorOf("! <<: \n"),
            "in.yaml: document 1 (line 1): map merge requires map or sequence "
            "of maps");
  // Above int64 an integer key is a uint64, which sigs.k8s.io/yaml refuses.
  EXPECT_EQ(ErrorOf("9223372036854775808: a\n"),
            "in.yaml: document 1 (line 1): unsupported map key of type uint64: "
            "9223372036854775808");
  // kubectl's line reader ends the file's last line with a line break, which
  // a block scalar keeps.
  Objects eof;
  ASSERT_THAT(Decode("kind: ConfigMap\nmetadata: {name: c}\ndata:\n  b: |\n"
                     "    no line break at the end",
                     &eof),
              IsOk());
  EXPECT_THAT(eof.config_maps[0].data,
              ElementsAre(Pair("b", "no line break at the end\n")));
}

TEST(DecodeText, YamlShortBooleansAreBooleans) {
  // go-yaml v2 reads `n` and `y` as booleans, so this namespace is false.
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata: {name: p, namespace: n}\n"),
            "in.yaml: document 1 (line 2): Pod: metadata.namespace: must be "
            "a string, got false");
}

TEST(DecodeText, YamlIntegersInOtherBasesAndIntegralFloats) {
  Objects out;
  ASSERT_THAT(Decode("kind: Service\nmetadata: {name: s}\nspec:\n  ports:\n"
                     "  - {port: 0x50}\n  - {port: 8_080}\n"
                     "  - {port: 443.0}\n",
                     &out),
              IsOk());
  ASSERT_THAT(out.services, SizeIs(1));
  ASSERT_THAT(out.services[0].ports, SizeIs(3));
  EXPECT_EQ(out.services[0].ports[0].port, 80);
  EXPECT_EQ(out.services[0].ports[1].port, 8080);
  EXPECT_EQ(out.services[0].ports[2].port, 443);
}

TEST(DecodeText, YamlMergeKeys) {
  Objects out;
  ASSERT_THAT(Decode(R"(kind: ConfigMap
metadata:
  name: m
  labels: &base {a: "1", b: "2"}
  annotations:
    <<: *base
    b: "3"
)",
                     &out),
              IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(1));
  EXPECT_THAT(out.config_maps[0].meta.annotations,
              ElementsAre(Pair("a", "1"), Pair("b", "3")));
}

TEST(DecodeText, YamlNumberWhereStringIsAnError) {
  // kubectl refuses this too ("cannot unmarshal number into ... string").
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n"
                    "  containers:\n  - name: c\n    env:\n    - name: PORT\n"
                    "      value: 8080\n"),
            "in.yaml: document 1 (line 8): Pod ns/p: "
            "spec.containers[0].env[0].value: must be a string, got 8080");
}

// --- Bad input: every class names file, document, line, object, field. ---

TEST(DecodeErrors, YamlSyntaxErrorNamesLine) {
  EXPECT_THAT(ErrorOf("kind: Service\nmetadata:\n  name: [a, b\n"),
              StartsWith("in.yaml: line "));
  EXPECT_THAT(ErrorOf("a: b\n  c: d\n"),
              AllOf(StartsWith("in.yaml: line 2, column "),
                    HasSubstr("YAML syntax error")));
}

// yaml-cpp 0.7's LoadAll() looped forever on these (jbeder/yaml-cpp#1040).
TEST(DecodeErrors, YamlInputThatStalledYamlCpp) {
  EXPECT_EQ(ErrorOf(","),
            "in.yaml: line 1, column 1: YAML syntax error: while parsing a "
            "block node: did not find expected node content");
  EXPECT_EQ(ErrorOf("kind: ConfigMap\nmetadata: {name: a}\n---\n,\n"
                    "  \"a\": 1\n"),
            "in.yaml: line 4, column 1: YAML syntax error: while parsing a "
            "block node: did not find expected node content");
  EXPECT_THAT(ErrorOf("{:"), StartsWith("in.yaml: line 1"));
  EXPECT_THAT(ErrorOf("[:]"), StartsWith("in.yaml: line 1"));
}

TEST(DecodeErrors, JsonSyntaxErrorNamesLine) {
  EXPECT_THAT(
      ErrorOf("{\n  \"kind\": \"Service\",\n  \"metadata\": }\n", "svc.json"),
      AllOf(StartsWith("svc.json: line 3, column 15: JSON syntax "
                       "error while parsing value"),
            HasSubstr("unexpected '}'")));
  EXPECT_THAT(
      ErrorOf("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}} trailing",
              "x.json"),
      StartsWith("x.json: line 1, column "));
}

TEST(DecodeErrors, PortOutOfRangeOrNotAnInteger) {
  const std::string head =
      "kind: Service\nmetadata:\n  name: redis\n  namespace: shop\n"
      "spec:\n  ports:\n  - port: 80\n";
  EXPECT_EQ(ErrorOf("---\n" + head + "---\n" + head + "  - port: 70000\n",
                    "svc.yaml"),
            "svc.yaml: document 2 (line 17): Service shop/redis: "
            "spec.ports[1].port: must be an integer in 1..65535, got 70000");
  EXPECT_EQ(ErrorOf(head + "  - port: 0\n"),
            "in.yaml: document 1 (line 8): Service shop/redis: "
            "spec.ports[1].port: must be an integer in 1..65535, got 0");
  EXPECT_EQ(ErrorOf(head + "  - port: \"80\"\n"),
            "in.yaml: document 1 (line 8): Service shop/redis: "
            "spec.ports[1].port: must be an integer in 1..65535, got \"80\"");
  EXPECT_EQ(ErrorOf(head + "  - port: 80.5\n"),
            "in.yaml: document 1 (line 8): Service shop/redis: "
            "spec.ports[1].port: must be an integer in 1..65535, got 80.5");
  EXPECT_EQ(ErrorOf(head + "  - name: x\n"),
            "in.yaml: document 1 (line 8): Service shop/redis: "
            "spec.ports[1].port: required");
  // JSON has no lines; the integral float 80.0 is not an integer there.
  EXPECT_EQ(ErrorOf("{\"kind\":\"Service\",\"metadata\":{\"name\":\"r\"},"
                    "\"spec\":{\"ports\":[{\"port\":80.0}]}}",
                    "svc.json"),
            "svc.json: document 1: Service default/r: spec.ports[0].port: "
            "must be an integer in 1..65535, got 80.0");
}

TEST(DecodeErrors, WrongTypes) {
  const std::string pod =
      "kind: Pod\nmetadata:\n  name: p\n  namespace: ns\nspec:\n";
  // Object expected.
  EXPECT_EQ(ErrorOf("kind: Service\nmetadata: {name: s}\nspec: hello\n"),
            "in.yaml: document 1 (line 3): Service default/s: spec: must be "
            "an object, got \"hello\"");
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata: [a]\n"),
            "in.yaml: document 1 (line 2): Pod: metadata: must be an object, "
            "got an array");
  // Array expected.
  EXPECT_EQ(ErrorOf(pod + "  containers: {name: c}\n"),
            "in.yaml: document 1 (line 6): Pod ns/p: spec.containers: must be "
            "an array, got an object");
  // Array of objects.
  EXPECT_EQ(ErrorOf(pod + "  containers:\n  - c\n"),
            "in.yaml: document 1 (line 7): Pod ns/p: spec.containers[0]: must "
            "be an object, got \"c\"");
  // String expected.
  EXPECT_EQ(ErrorOf(pod + "  containers:\n  - name: [x]\n"),
            "in.yaml: document 1 (line 7): Pod ns/p: spec.containers[0].name: "
            "must be a string, got an array");
  EXPECT_EQ(ErrorOf(pod + "  containers:\n  - name: c\n    command: [ls, 1]\n"),
            "in.yaml: document 1 (line 8): Pod ns/p: "
            "spec.containers[0].command[1]: must be a string, got 1");
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata:\n  name: p\n  labels:\n    a.b/c: "
                    "true\n"),
            "in.yaml: document 1 (line 5): Pod default/p: "
            "metadata.labels[a.b/c]: must be a string, got true");
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata:\n  name: 7\n"),
            "in.yaml: document 1 (line 3): Pod: metadata.name: must be a "
            "string, got 7");
  // Boolean expected.
  EXPECT_EQ(ErrorOf(pod + "  enableServiceLinks: \"false\"\n"),
            "in.yaml: document 1 (line 6): Pod ns/p: spec.enableServiceLinks: "
            "must be a boolean, got \"false\"");
  EXPECT_EQ(
      ErrorOf(pod + "  containers:\n  - envFrom:\n    - secretRef:\n"
                    "        optional: 1\n"),
      "in.yaml: document 1 (line 9): Pod ns/p: "
      "spec.containers[0].envFrom[0].secretRef.optional: must be a boolean, "
      "got 1");
  // Quantity expected.
  EXPECT_EQ(ErrorOf(pod + "  containers:\n  - resources:\n      limits:\n"
                          "        cpu: [1]\n"),
            "in.yaml: document 1 (line 9): Pod ns/p: "
            "spec.containers[0].resources.limits[cpu]: must be a quantity "
            "(string or number), got an array");
  // The same in JSON: no line.
  EXPECT_EQ(ErrorOf("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},"
                    "\"data\":{\"k\":1}}",
                    "cm.json"),
            "cm.json: document 1: ConfigMap default/c: data[k]: must be a "
            "string, got 1");
  EXPECT_EQ(ErrorOf("{\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\"},"
                    "\"status\":{\"addresses\":[{\"address\":{}}]}}",
                    "n.json"),
            "n.json: document 1: Node n1: status.addresses[0].address: must "
            "be a string, got an object");
}

TEST(DecodeErrors, MalformedBase64) {
  EXPECT_EQ(ErrorOf("kind: Secret\nmetadata: {name: s, namespace: ns}\n"
                    "data:\n  ok: aGk=\n  bad: \"a*b=\"\n"),
            "in.yaml: document 1 (line 5): Secret ns/s: data[bad]: malformed "
            "base64: illegal base64 data at input byte 1");
  EXPECT_EQ(ErrorOf("kind: ConfigMap\nmetadata: {name: c}\nbinaryData:\n"
                    "  b: aGk\n"),
            "in.yaml: document 1 (line 4): ConfigMap default/c: "
            "binaryData[b]: malformed base64: illegal base64 data at input "
            "byte 3 (missing padding)");
  EXPECT_EQ(ErrorOf("kind: Secret\nmetadata: {name: s}\ndata: {k: 5}\n"),
            "in.yaml: document 1 (line 3): Secret default/s: data[k]: must "
            "be a base64 string, got 5");
}

TEST(DecodeErrors, BadTimestamps) {
  EXPECT_EQ(ErrorOf("kind: Service\nmetadata:\n  name: s\n"
                    "  creationTimestamp: yesterday\n"),
            "in.yaml: document 1 (line 4): Service default/s: "
            "metadata.creationTimestamp: must be an RFC 3339 timestamp such "
            "as 2024-05-01T10:00:00Z, got \"yesterday\"");
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata: {name: p}\nstatus:\n"
                    "  containerStatuses:\n  - name: c\n    state:\n"
                    "      running:\n        startedAt: 2024-05-01 10:00\n"),
            "in.yaml: document 1 (line 8): Pod default/p: "
            "status.containerStatuses[0].state.running.startedAt: must be an "
            "RFC 3339 timestamp such as 2024-05-01T10:00:00Z, got "
            "\"2024-05-01 10:00\"");
}

TEST(DecodeErrors, MissingKindNonObjectAndMissingName) {
  EXPECT_EQ(ErrorOf("apiVersion: v1\nmetadata: {name: x}\n"),
            "in.yaml: document 1 (line 1): kind: required");
  EXPECT_EQ(ErrorOf("kind: 5\n"),
            "in.yaml: document 1 (line 1): kind: must be a string, got 5");
  EXPECT_EQ(ErrorOf("kind: Service\nmetadata: {name: s}\n---\n- a\n- b\n"),
            "in.yaml: document 2 (line 4): must be an object, got an array");
  EXPECT_EQ(ErrorOf("just text\n"),
            "in.yaml: document 1 (line 1): must be an object, got \"just "
            "text\"");
  EXPECT_EQ(ErrorOf("[1, 2]", "a.json"),
            "a.json: document 1: must be an object, got an array");
  EXPECT_EQ(ErrorOf("kind: ConfigMap\nmetadata:\n  namespace: ns\n"),
            "in.yaml: document 1 (line 3): ConfigMap: metadata.name: "
            "required");
  EXPECT_EQ(ErrorOf("kind: ConfigMap\n"),
            "in.yaml: document 1 (line 1): ConfigMap: metadata: required");
  // Inside a List, the item is named too.
  EXPECT_EQ(ErrorOf("kind: List\nitems:\n- kind: Service\n  metadata: {name: "
                    "a}\n- kind: Service\n  metadata: {namespace: x}\n"),
            "in.yaml: document 1, item 2 (line 6): Service: metadata.name: "
            "required");
  EXPECT_EQ(ErrorOf("kind: List\nitems:\n- apiVersion: v1\n"),
            "in.yaml: document 1, item 1 (line 3): kind: required");
}

TEST(DecodeErrors, OutputUnchangedOnError) {
  Objects out;
  ASSERT_THAT(Decode("kind: ConfigMap\nmetadata: {name: first}\n", &out),
              IsOk());
  absl::Status s = Decode(
      "kind: ConfigMap\nmetadata: {name: second}\n---\nkind: Pod\n", &out);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("document 2 (line 4): Pod: metadata: "
                                    "required")));
  EXPECT_THAT(Names(out.config_maps), ElementsAre("first"));
  EXPECT_THAT(out.pods, IsEmpty());
}

TEST(DecodeText, SequenceContinuesAcrossCalls) {
  Objects out;
  ASSERT_THAT(Decode("kind: ConfigMap\nmetadata: {name: a}\n", &out), IsOk());
  ASSERT_THAT(Decode("kind: Service\nmetadata: {name: s}\n---\n"
                     "kind: ConfigMap\nmetadata: {name: b}\n",
                     &out),
              IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(2));
  EXPECT_EQ(out.config_maps[0].origin.sequence, 0);
  EXPECT_EQ(out.services[0].origin.sequence, 1);
  EXPECT_EQ(out.config_maps[1].origin.sequence, 2);
  EXPECT_EQ(out.config_maps[1].origin.document, 1);
}

// --- Limits. ---

TEST(DecodeLimits, NestingDepth) {
  std::string deep_json = "{\"kind\":\"ConfigMap\",\"x\":";
  for (int i = 0; i < 200; ++i) deep_json += "[";
  for (int i = 0; i < 200; ++i) deep_json += "]";
  deep_json += "}";
  EXPECT_EQ(ErrorOf(deep_json, "d.json"),
            "d.json: document 1: nesting deeper than 100 levels");

  std::string deep_yaml = "kind: ConfigMap\nx: ";
  for (int i = 0; i < 200; ++i) deep_yaml += "[";
  for (int i = 0; i < 200; ++i) deep_yaml += "]";
  EXPECT_THAT(ErrorOf(deep_yaml),
              AllOf(StartsWith("in.yaml: document 1 (line "),
                    HasSubstr("nesting deeper than 100 levels")));

  // Far deeper: refused at level 101, before the rest is read.
  std::string deeper(100000, '[');
  EXPECT_EQ(ErrorOf("x: " + deeper + std::string(100000, ']')),
            "in.yaml: document 1 (line 1): nesting deeper than 100 levels");
}

TEST(DecodeLimits, YamlAliasBomb) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'i'; ++c) {
    absl::StrAppend(&bomb, std::string(1, c), ": &", std::string(1, c), " [");
    for (int i = 0; i < 10; ++i) {
      absl::StrAppend(&bomb, i ? ", " : "", "*", prev);
    }
    bomb += "]\n";
    prev = std::string(1, c);
  }
  bomb += "kind: ConfigMap\n";
  // Refused as soon as the copies outweigh the rest, long before 10^9 nodes.
  EXPECT_THAT(ErrorOf(bomb), AllOf(StartsWith("in.yaml: document 1 (line 4): "),
                                   HasSubstr("excessive aliasing")));
}

TEST(DecodeLimits, YamlNodes) {
  DecodeOptions options;
  options.max_yaml_nodes = 20;
  Objects out;
  EXPECT_THAT(
      DecodeText("kind: ConfigMap\nmetadata: {name: a}\ndata:\n  a: &a x\n"
                 "  b: *a\n",
                 "ok.yaml", options, &out),
      IsOk());
  EXPECT_THAT(DecodeText("kind: ConfigMap\nmetadata: {name: a}\n"
                         "data: {a: x, b: x, c: x, d: x, e: x, f: x}\n",
                         "in.yaml", options, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "in.yaml: document 1 (line 3): more than 20 YAML nodes "
                       "after expanding aliases"));
}

// Below the node limit, a bomb still cannot make 300 bytes cost 400 MB:
// as in go-yaml (kubectl), few of a large document's nodes may be aliased.
TEST(DecodeLimits, YamlAliasRatio) {
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 5; ++level) {
    absl::StrAppend(&bomb, "a", level, ": &a", level, " [");
    for (int i = 0; i < 10; ++i) {
      absl::StrAppend(&bomb, i ? ", " : "", "*a", level - 1);
    }
    bomb += "]\n";
  }
  bomb += "kind: ConfigMap\n";
  EXPECT_EQ(ErrorOf(bomb),
            "in.yaml: document 1 (line 4): excessive aliasing: 4983 of "
            "5025 YAML nodes come from aliases");
  // Aliases that make up most of a small document are fine.
  Objects out;
  EXPECT_THAT(Decode("l: &l {app: web}\nkind: ConfigMap\nmetadata:\n"
                     "  name: a\n  labels: *l\n  annotations: *l\n",
                     &out),
              IsOk());
}

TEST(DecodeLimits, InputSize) {
  Objects out;
  DecodeOptions options;
  options.max_input_bytes = 10;
  EXPECT_THAT(DecodeText("kind: ConfigMap\n", "big.yaml", options, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "big.yaml: input is 16 bytes, more than the limit of "
                       "10 bytes"));
}

// The size error is marked, so front ends need not match its words; other
// limits and errors are not.
TEST(DecodeLimits, InputSizeIsMarked) {
  Objects out;
  DecodeOptions options;
  options.max_input_bytes = 10;
  EXPECT_TRUE(IsInputTooLarge(
      DecodeText("kind: ConfigMap\n", "big.yaml", options, &out)));
  options.max_input_bytes = 1000;
  options.max_depth = 2;
  const absl::Status deep =
      DecodeText("{\"a\": {\"b\": {\"c\": 1}}}", "deep.json", options, &out);
  EXPECT_FALSE(deep.ok());
  EXPECT_FALSE(IsInputTooLarge(deep));
  EXPECT_FALSE(IsInputTooLarge(absl::InvalidArgumentError(
      "x: input is more than the limit of 10 bytes")));
}

// --- Paths. ---

std::vector<std::string> ConfigMapNames(const std::vector<std::string>& paths,
                                        bool recursive) {
  Objects out;
  absl::Status s = DecodePaths(paths, recursive, {}, &out);
  EXPECT_THAT(s, IsOk());
  std::vector<std::string> names = Names(out.config_maps);
  for (const ConfigMap& c : out.config_maps) {
    names.push_back(absl::StrCat(c.origin.file, "#", c.origin.sequence));
  }
  return names;
}

TEST(DecodePaths, DirectoryInLexicalOrder) {
  const std::string dir = std::string(kData) + "dir";
  EXPECT_THAT(
      ConfigMapNames({dir}, false),
      ElementsAre("a", "b", "c", "z", dir + "/a.json#0", dir + "/b.yaml#1",
                  dir + "/c.yml#2", dir + "/z.yaml#3"));
  EXPECT_THAT(
      ConfigMapNames({dir}, true),
      ElementsAre("a", "b", "c", "sub-d", "sub2-e", "z", dir + "/a.json#0",
                  dir + "/b.yaml#1", dir + "/c.yml#2", dir + "/sub/d.yaml#3",
                  dir + "/sub2/e.yaml#4", dir + "/z.yaml#5"));
}

TEST(DecodePaths, FilesInGivenOrderWhateverTheExtension) {
  const std::string dir = std::string(kData) + "dir/";
  Objects out;
  ASSERT_THAT(DecodePaths({dir + "z.yaml", dir + "a.json"}, false, {}, &out),
              IsOk());
  EXPECT_THAT(Names(out.config_maps), ElementsAre("z", "a"));
  // notes.txt is read because it was named, and it is not YAML.
  EXPECT_THAT(DecodePaths({dir + "a.json", dir + "notes.txt"}, false, {}, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith(dir + "notes.txt: line ")));
  EXPECT_THAT(out.config_maps, SizeIs(2));  // Unchanged by the failure.
}

// A file larger than the reader's release steps (decode_input.h
// MappedFile): what is decoded from its pages, and the line an error near
// its end names (counted over pages handed back), are the same as from the
// text in memory.
TEST(DecodePaths, LargeFileReadThroughItsPagesOnce) {
  std::string text = "apiVersion: v1\nkind: List\nitems:\n";
  constexpr int kServices = 20000;  // About 4 MB.
  for (int i = 0; i < kServices; ++i) {
    absl::StrAppend(&text, "- apiVersion: v1\n  kind: Service\n  metadata:\n",
                    "    name: svc-", i, "\n    namespace: ns-", i % 7,
                    "\n    labels: {app: svc-", i,
                    "}\n  spec:\n    clusterIP: 10.96.", i / 250, ".", i % 250,
                    "\n    ports:\n    - {name: http, port: 80}\n");
  }
  const std::string path = ::testing::TempDir() + "/large-list.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  ASSERT_GT(text.size(), size_t{2} << 20);
  Objects from_file, from_text;
  ASSERT_THAT(DecodePaths({path}, false, {}, &from_file), IsOk());
  ASSERT_THAT(DecodeText(text, path, {}, &from_text), IsOk());
  ASSERT_THAT(from_file.services, SizeIs(kServices));
  ASSERT_THAT(from_text.services, SizeIs(kServices));
  for (int i : {0, 31, 32, 33, kServices / 2, kServices - 1}) {
    const Service& a = from_file.services[i];
    const Service& b = from_text.services[i];
    EXPECT_EQ(a.meta.name, absl::StrCat("svc-", i));
    EXPECT_EQ(a.meta.name, b.meta.name);
    EXPECT_EQ(a.cluster_ip, b.cluster_ip);
    EXPECT_EQ(a.meta.labels, b.meta.labels);
    EXPECT_EQ(a.origin.line, b.origin.line);
    EXPECT_EQ(a.origin.item, i);
  }
  // A port the API server refuses, in the last item.
  text.replace(text.rfind("port: 80"), 8, "port: http");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  const absl::Status in_memory = DecodeText(text, path, {}, &from_text);
  EXPECT_THAT(in_memory, StatusIs(absl::StatusCode::kInvalidArgument,
                                  HasSubstr("line ")));
  EXPECT_EQ(DecodePaths({path}, false, {}, &from_file), in_memory);
  std::remove(path.c_str());
}

TEST(DecodePaths, MissingPath) {
  Objects out;
  EXPECT_THAT(DecodePaths({std::string(kData) + "dir/a.json",
                           std::string(kData) + "no/such.yaml"},
                          false, {}, &out),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("testdata/decode/no/such.yaml")));
  EXPECT_THAT(out.config_maps, IsEmpty());
}

TEST(DecodePaths, DashIsStandardInput) {
  ASSERT_NE(
      std::freopen((std::string(kData) + "service.json").c_str(), "rb", stdin),
      nullptr);
  Objects out;
  ASSERT_THAT(DecodePaths({"-"}, false, {}, &out), IsOk());
  ASSERT_THAT(out.services, SizeIs(1));
  EXPECT_EQ(out.services[0].meta.name, "redis");
  EXPECT_EQ(out.services[0].origin.file, "-");
}

TEST(DecodePaths, UnreadableFile) {
  if (geteuid() == 0) GTEST_SKIP() << "root can read a mode-000 file";
  const char* tmp = std::getenv("TEST_TMPDIR");
  ASSERT_NE(tmp, nullptr);
  const std::string path = std::string(tmp) + "/secret.yaml";
  std::ofstream(path) << "kind: ConfigMap\n";
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  Objects out;
  EXPECT_THAT(DecodePaths({path}, false, {}, &out),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr(path)));
}

// --- Listing a directory (ListManifestFiles). ---

// A fresh directory under TEST_TMPDIR holding `files` (paths below it,
// written empty; a trailing `/` makes a directory).
std::string MakeTree(const std::string& name,
                     const std::vector<std::string>& files) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  EXPECT_NE(tmp, nullptr);
  const std::string root = absl::StrCat(tmp, "/", name);
  std::filesystem::remove_all(root);
  for (const std::string& file : files) {
    const std::filesystem::path p = root + "/" + file;
    if (file.back() == '/') {
      std::filesystem::create_directories(p);
    } else {
      std::filesystem::create_directories(p.parent_path());
      std::ofstream(p.string()) << "";
    }
  }
  return root;
}

// ListManifestFiles()' list, or a failure naming its error.
std::vector<std::string> Listed(const std::string& dir, bool recursive,
                                const ManifestFilter& keep = nullptr) {
  absl::StatusOr<std::vector<std::string>> files =
      ListManifestFiles(dir, recursive, keep);
  EXPECT_THAT(files, IsOk());
  return files.ok() ? *files : std::vector<std::string>{};
}

TEST(ListManifestFiles, WalksAsDecodePathsReadsADirectory) {
  const std::string dir = std::string(kData) + "dir";
  EXPECT_THAT(Listed(dir, false),
              ElementsAre(dir + "/a.json", dir + "/b.yaml",
                                       dir + "/c.yml", dir + "/z.yaml"));
  EXPECT_THAT(Listed(dir, true),
              ElementsAre(dir + "/a.json", dir + "/b.yaml",
                                       dir + "/c.yml", dir + "/sub/d.yaml",
                                       dir + "/sub2/e.yaml", dir + "/z.yaml"));
}

TEST(ListManifestFiles, TheFilterIsAskedOfWhatTheWalkWouldTake) {
  const std::string root =
      MakeTree("filter", {"a.yaml", "b/c.yaml", "b/notes.txt", "chart/d.yaml",
                          "e.json", "empty/"});
  std::vector<std::string> asked;
  auto keep = [&](const std::string& path, bool is_directory) {
    asked.push_back(absl::StrCat(path, is_directory ? "/" : ""));
    const bool skip = absl::EndsWith(path, "/chart") ||
                      absl::EndsWith(path, "/e.json");
    return skip ? EntryDecision::kSkip : EntryDecision::kKeep;
  };
  EXPECT_THAT(Listed(root, true, keep),
              ElementsAre(root + "/a.yaml", root + "/b/c.yaml"));
  // Never notes.txt, nor what is under a skipped directory.
  EXPECT_THAT(asked, ElementsAre(root + "/a.yaml", root + "/b/",
                                 root + "/b/c.yaml", root + "/chart/",
                                 root + "/e.json", root + "/empty/"));
  asked.clear();
  EXPECT_THAT(Listed(root, false, keep),
              ElementsAre(root + "/a.yaml"));
  EXPECT_THAT(asked, ElementsAre(root + "/a.yaml", root + "/e.json"));
}

TEST(ListManifestFiles, SymlinkedDirectoriesAreNotWalked) {
  const std::string root = MakeTree("links", {"real/a.yaml", "b.yaml"});
  std::filesystem::create_directory_symlink(root + "/real", root + "/loop");
  std::filesystem::create_directory_symlink(root, root + "/real/up");
  std::filesystem::create_directory_symlink(root + "/real", root + "/dir.yaml");
  std::filesystem::create_symlink(root + "/b.yaml", root + "/c.yaml");
  EXPECT_THAT(Listed(root, true),
              ElementsAre(root + "/b.yaml", root + "/c.yaml",
                                       root + "/real/a.yaml"));
}

TEST(ListManifestFiles, AnUnlistableDirectoryIsAnErrorNamingIt) {
  EXPECT_THAT(ListManifestFiles(std::string(kData) + "no-such-dir", false),
              StatusIs(absl::StatusCode::kNotFound,
                       std::string(kData) + "no-such-dir: No such file or "
                                            "directory"));
  if (geteuid() == 0) GTEST_SKIP() << "root can list a mode-000 directory";
  const std::string root = MakeTree("locked", {"a.yaml", "locked/b.yaml"});
  ASSERT_EQ(chmod((root + "/locked").c_str(), 0), 0);
  EXPECT_THAT(Listed(root, false),
              ElementsAre(root + "/a.yaml"));
  EXPECT_THAT(ListManifestFiles(root, true),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       root + "/locked: Permission denied"));
  Objects out;
  EXPECT_THAT(DecodePaths({root}, true, {}, &out),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       root + "/locked: Permission denied"));
  chmod((root + "/locked").c_str(), 0755);  // So that Bazel can clean up.
}

// --- Odds and ends of real-world input. ---

TEST(DecodeText, CommentsDocumentMarkersAndByteOrderMark) {
  Objects out;
  ASSERT_THAT(Decode("\xEF\xBB\xBF# only a comment\n---\n# another\n---\n"
                     "kind: ConfigMap\nmetadata:\n  name: a\n...\n---\n"
                     "kind: ConfigMap\nmetadata:\n  name: b\n",
                     &out),
              IsOk());
  EXPECT_THAT(Names(out.config_maps), ElementsAre("a", "b"));
  ASSERT_THAT(
      Decode(
          "\xEF\xBB\xBF{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"j\"}}",
          &out, "bom.json"),
      IsOk());
  EXPECT_THAT(Names(out.config_maps), ElementsAre("a", "b", "j"));
}

TEST(DecodeText, SecretDataBase64MayBeWrapped) {
  Objects out;
  // Go's base64 decoder skips line breaks, as in `kubectl create secret`
  // output wrapped by an editor.
  ASSERT_THAT(Decode(R"({"kind": "Secret", "metadata": {"name": "s"},
      "type": "kubernetes.io/basic-auth",
      "data": {"long": "aGVsbG8g\nd29ybGQ=", "empty": ""}})",
                     &out, "s.json"),
              IsOk());
  ASSERT_THAT(out.secrets, SizeIs(1));
  EXPECT_EQ(out.secrets[0].type, "kubernetes.io/basic-auth");
  EXPECT_THAT(out.secrets[0].data,
              ElementsAre(Pair("empty", ""), Pair("long", "hello world")));
}

TEST(DecodeText, TimestampForms) {
  Objects out;
  ASSERT_THAT(Decode("kind: ConfigMap\nmetadata:\n  name: a\n"
                     "  creationTimestamp: 2024-05-01T10:00:00.999999999Z\n"
                     "---\nkind: ConfigMap\nmetadata:\n  name: b\n"
                     "  creationTimestamp: \"2024-05-01T12:00:00+02:00\"\n"
                     "---\nkind: ConfigMap\nmetadata:\n  name: c\n"
                     "  creationTimestamp: null\n",
                     &out),
              IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(3));
  EXPECT_EQ(out.config_maps[0].meta.creation_timestamp->unix_seconds,
            1714557600);
  EXPECT_EQ(out.config_maps[0].meta.creation_timestamp->text,
            "2024-05-01T10:00:00.999999999Z");
  EXPECT_EQ(out.config_maps[1].meta.creation_timestamp->unix_seconds,
            1714557600);
  EXPECT_FALSE(out.config_maps[2].meta.creation_timestamp.has_value());
}

TEST(DecodeErrors, YamlDuplicateKey) {
  const std::string text =
      "kind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: one\n  k: two\n";
  EXPECT_EQ(
      StrictErrorOf(text, "in.yaml"),
      "in.yaml: document 1 (line 5): duplicate key \"k\" (first on line 4)");
  // kubectl's converter keeps the last value.
  Objects out;
  ASSERT_THAT(Decode(text, &out), IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(1));
  EXPECT_THAT(out.config_maps[0].data, ElementsAre(Pair("k", "two")));
  ASSERT_THAT(out.duplicate_keys, SizeIs(1));
  const DuplicateKey& d = out.duplicate_keys[0];
  EXPECT_EQ(d.file, "in.yaml");
  EXPECT_EQ(d.path, "data");
  EXPECT_EQ(d.key, "k");
  EXPECT_EQ(d.first_line, 4);
  EXPECT_EQ(d.line, 5);
  // Inside a container, with its path.
  Objects pods;
  ASSERT_THAT(Decode("kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                     "  - name: c\n    env:\n    - {name: A, value: x}\n"
                     "    image: i\n    image: j\n",
                     &pods),
              IsOk());
  ASSERT_THAT(pods.duplicate_keys, SizeIs(1));
  EXPECT_EQ(pods.duplicate_keys[0].path, "spec.containers[0]");
  EXPECT_EQ(pods.duplicate_keys[0].first_line, 8);
  EXPECT_EQ(pods.pods[0].containers[0].image, "j");
  EXPECT_EQ(DescribeDuplicateKey(pods.duplicate_keys[0]),
            "in.yaml: line 9: key \"image\" repeated in spec.containers[0] "
            "(first on line 8); the last value is used, as kubectl does");
  EXPECT_EQ(DescribeDuplicateKey(d),
            "in.yaml: line 5: key \"k\" repeated in data (first on line 4); "
            "the last value is used, as kubectl does");
}

// A key a `<<` merge supplied may be overridden: only the map's own keys
// must be unique.
TEST(DecodeText, YamlMapOverridesMergedKey) {
  Objects out;
  ASSERT_THAT(Decode("base: &b {k: one, j: x}\nkind: ConfigMap\n"
                     "metadata: {name: a}\ndata:\n  <<: *b\n  k: two\n",
                     &out),
              IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(1));
  EXPECT_THAT(out.config_maps[0].data,
              ElementsAre(Pair("j", "x"), Pair("k", "two")));
}

// kubectl's file reader decodes UTF-8 before parsing: each byte that starts
// no valid sequence becomes U+FFFD, and the object is read.
TEST(DecodeInputs, InvalidUtf8IsReadAsKubectlReadsIt) {
  Objects out;
  ASSERT_THAT(DecodeText("kind: ConfigMap\nmetadata: {name: c}\ndata:\n"
                         "  k: a\xFF\xC0\xAF"
                         "b\n",
                         "in.yaml", {}, &out),
              IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(1));
  // An overlong encoding is invalid too: one U+FFFD per byte, as Go does.
  EXPECT_EQ(out.config_maps[0].data.at("k"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");
  EXPECT_THAT(out.decode_warnings,
              ElementsAre("in.yaml: line 4, column 7: invalid UTF-8 (byte "
                          "0xFF; 3 bytes in all) read as U+FFFD, as kubectl "
                          "reads it"));
  Objects json;
  ASSERT_THAT(DecodeText("{\"kind\": \"ConfigMap\", \"metadata\": "
                         "{\"name\": \"w\xC3\"}}",
                         "in.json", {}, &json),
              IsOk());
  ASSERT_THAT(json.config_maps, SizeIs(1));
  EXPECT_EQ(json.config_maps[0].meta.name, "w\xEF\xBF\xBD");
  EXPECT_THAT(json.decode_warnings, SizeIs(1));
}

TEST(DecodeErrors, TextMustBeFreeOfControlCharacters) {
  EXPECT_EQ(ErrorOf(std::string("kind: Pod\nx: a\0b\n", 17), "in.yaml"),
            "in.yaml: line 2, column 5: NUL byte (binary data belongs "
            "base64-encoded in a Secret's data)");
  EXPECT_EQ(ErrorOf("kind: Pod\nx: a\x01"
                    "b\n",
                    "in.yaml"),
            "in.yaml: line 2, column 5: control character 0x01 (write it "
            "escaped in a quoted string)");
  // In YAML only where go-yaml reads: it takes 512 bytes at a time and stops
  // after a piece's first document, so a NUL far enough after it is never
  // seen, as in kubectl.
  const std::string doc = "kind: ConfigMap\nmetadata: {name: a}\n...\n#";
  EXPECT_EQ(ErrorOf(doc + std::string(600, 'x') + std::string("\n\0\n", 3)),
            "OK");
  EXPECT_EQ(ErrorOf(doc + std::string(100, 'x') + std::string("\n\0\n", 3)),
            "in.yaml: line 5, column 1: NUL byte (binary data belongs "
            "base64-encoded in a Secret's data)");
  // JSON allows them nowhere: kubectl's JSON decoder reads to the end.
  EXPECT_THAT(ErrorOf(std::string("{\"kind\": \"ConfigMap\"}\n\0", 23),
                      "in.json"),
              StartsWith("in.json: line 2, column 1: NUL byte"));
  // Escaped, the same characters are fine; so is any valid UTF-8.
  Objects out;
  ASSERT_THAT(Decode("kind: ConfigMap\nmetadata: {name: \"\xC3\xA9\"}\n"
                     "data: {k: \"a\\x01\\0b\xF0\x9F\x98\x80\"}\n",
                     &out),
              IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(1));
  EXPECT_EQ(out.config_maps[0].data.at("k"),
            std::string("a\x01\0b\xF0\x9F\x98\x80", 8));
}

TEST(DecodeLimits, Objects) {
  DecodeOptions options;
  options.max_objects = 2;
  Objects out;
  EXPECT_THAT(DecodeText("kind: A\n---\nkind: B\n", "two.yaml", options, &out),
              IsOk());
  EXPECT_THAT(DecodeText("kind: List\nitems:\n- kind: A\n- kind: B\n",
                         "in.yaml", options, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "in.yaml: document 1 (line 1): more than 2 objects "
                       "(documents and List items)"));
  EXPECT_THAT(DecodeText("kind: A\n---\nkind: B\n---\nkind: C\n", "in.yaml",
                         options, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "in.yaml: line 5, column 1: more than 2 documents"));
  // What kubectl hands go-yaml counts: a comment between `---` lines is an
  // (empty) document, and so is each pair of `---` lines in a row.
  EXPECT_THAT(DecodeText("#\n---\n#\n---\n#\n", "in.yaml", options, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "in.yaml: line 5, column 1: more than 2 documents"));
  EXPECT_THAT(DecodeText("---\n---\n---\n---\n", "in.yaml", options, &out),
              IsOk());
  EXPECT_THAT(DecodeText("---\n---\n---\n---\n---\n", "in.yaml", options,
                         &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "in.yaml: line 5, column 1: more than 2 documents"));
  // A List counts itself and each item, also when the items are streamed.
  EXPECT_THAT(
      DecodeText(R"({"kind": "List", "items": [{"kind": "A"}, {"kind": "B"}]})",
                 "l.json", options, &out),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "l.json: document 1: more than 2 objects (documents and List "
               "items)"));
  EXPECT_THAT(out.config_maps, IsEmpty());
}

TEST(DecodeErrors, UnsupportedYamlValues) {
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata:\n  name: p\n  labels:\n"
                    "    x: .inf\n"),
            "in.yaml: document 1 (line 5): unsupported value .inf");
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata:\n  name: p\n  labels:\n"
                    "    ? [a]\n    : b\n"),
            "in.yaml: document 1 (line 5): unsupported map key: not a "
            "scalar");
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata:\n  name: !!int abc\n"),
            "in.yaml: document 1 (line 3): cannot decode `abc` as "
            "tag:yaml.org,2002:int");
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata:\n  <<: 5\n"),
            "in.yaml: document 1 (line 3): map merge requires map or "
            "sequence of maps");
}

TEST(DecodeLimits, RecursiveAliasFailsCleanly) {
  // go-yaml's message.
  EXPECT_EQ(ErrorOf("kind: ConfigMap\nx: &a [*a]\n"),
            "in.yaml: document 1 (line 2): anchor 'a' value contains itself");
  EXPECT_EQ(ErrorOf("kind: ConfigMap\nx: *b\n"),
            "in.yaml: document 1 (line 2): unknown anchor 'b' referenced");
}

TEST(DecodeText, GenerateNameIsRead) {
  Objects out;
  ASSERT_THAT(
      Decode("kind: ConfigMap\nmetadata: {name: a, generateName: a-}\n", &out),
      IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(1));
  EXPECT_EQ(out.config_maps[0].meta.generate_name, "a-");
}

// What PowerShell's `>` writes: kubectl's file reader converts it.
TEST(DecodeText, Utf16WithByteOrderMark) {
  const std::string utf8 =
      "kind: ConfigMap\nmetadata: {name: a}\ndata: {k: "
      "\"\xC3\xA9\xF0\x9F\x98\x80\"}\n";
  std::u16string u16 =
      u"kind: ConfigMap\nmetadata: {name: a}\ndata: {k: "
      u"\"\u00E9\U0001F600\"}\n";
  std::string le = "\xFF\xFE", be = "\xFE\xFF";
  for (char16_t c : u16) {
    le.push_back(static_cast<char>(c & 0xFF));
    le.push_back(static_cast<char>(c >> 8));
    be.push_back(static_cast<char>(c >> 8));
    be.push_back(static_cast<char>(c & 0xFF));
  }
  for (const std::string& text : {le, be}) {
    Objects out;
    ASSERT_THAT(Decode(text, &out), IsOk());
    ASSERT_THAT(out.config_maps, SizeIs(1));
    EXPECT_EQ(out.config_maps[0].data.at("k"), "\xC3\xA9\xF0\x9F\x98\x80");
  }
  // Line numbers are those of the text.
  std::string bad = "\xFF\xFE";
  for (char c : std::string("kind: Pod\nmetadata: {name: 5}\n")) {
    bad.push_back(c);
    bad.push_back('\0');
  }
  EXPECT_EQ(ErrorOf(bad),
            "in.yaml: document 1 (line 2): Pod: metadata.name: "
            "must be a string, got 5");
  (void)utf8;
}

// Helm hook Jobs and `kubectl create` input: the API server names them.
TEST(DecodeText, GenerateNameOnlyObjects) {
  Objects out;
  ASSERT_THAT(Decode("apiVersion: batch/v1\nkind: Job\nmetadata:\n"
                     "  generateName: migrate-\nspec:\n  template:\n"
                     "    spec:\n      containers: [{name: c}]\n"
                     "---\nkind: ConfigMap\nmetadata: {generateName: cm-}\n",
                     &out),
              IsOk());
  ASSERT_THAT(out.pods, SizeIs(1));
  EXPECT_EQ(out.pods[0].workload_name, "migrate-*");
  ASSERT_THAT(out.config_maps, SizeIs(1));
  EXPECT_EQ(out.config_maps[0].meta.name, "");
  EXPECT_EQ(out.config_maps[0].meta.generate_name, "cm-");
  EXPECT_EQ(ErrorOf("kind: ConfigMap\nmetadata: {generateName: cm-}\n"
                    "data: {k: 5}\n"),
            "in.yaml: document 1 (line 3): ConfigMap default/cm-*: data[k]: "
            "must be a string, got 5");
}

// `jq '.items[]'` output: kubectl's JSON stream decoder reads one value
// after another.
TEST(DecodeText, ConcatenatedJsonValues) {
  Objects out;
  ASSERT_THAT(
      Decode("{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n"
             "{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"b\"}}"
             "{\"kind\": \"List\", \"items\": [{\"kind\": \"ConfigMap\", "
             "\"metadata\": {\"name\": \"c}\"}}]}\n",
             &out, "s.json"),
      IsOk());
  EXPECT_THAT(Names(out.config_maps), ElementsAre("a", "b", "c}"));
  EXPECT_EQ(out.config_maps[2].origin.document, 2);
  EXPECT_EQ(
      ErrorOf("{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n"
              "{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": 5}}\n",
              "s.json"),
      "s.json: document 2: ConfigMap: metadata.name: must be a string, "
      "got 5");
  EXPECT_THAT(ErrorOf("{\"kind\": \"Namespace\"}\n  {\"kind\": }\n", "s.json"),
              StartsWith("s.json: line 2, column 12: JSON syntax error"));
}

// The first value of a JSON text is parsed as if it were the only one; when
// another follows, it is parsed again alone. What the first attempt did
// (List items taken early, repeated keys, objects counted against the
// limit) must not count twice.
TEST(DecodeText, JsonStreamStartingWithAList) {
  const std::string list =
      "{\"kind\": \"List\", \"items\": ["
      "{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\", "
      "\"name\": \"a2\"}},"
      "{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"b\"}}]}";
  const std::string next =
      "\n{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\"}}\n";
  Objects out;
  DecodeOptions options;
  options.max_objects = 4;  // The List, its two items and the last value.
  ASSERT_THAT(DecodeText(list + next, "s.json", options, &out), IsOk());
  EXPECT_THAT(Names(out.config_maps), ElementsAre("a2", "b", "c"));
  EXPECT_EQ(out.config_maps[2].origin.document, 1);
  ASSERT_THAT(out.duplicate_keys, SizeIs(1));
  EXPECT_EQ(out.duplicate_keys[0].key, "name");
  // Junk after a complete value is an error where the junk is.
  EXPECT_THAT(ErrorOf(list + "\n  ]\n", "s.json"),
              StartsWith("s.json: line 2, column 3: JSON syntax error"));
  // One value with a syntax error inside it keeps its position.
  EXPECT_THAT(ErrorOf("{\"kind\": \"List\",\n \"items\": [}\n", "s.json"),
              StartsWith("s.json: line 2, column 12: JSON syntax error"));
}

// `helm template` names each document's template in a `# Source:` comment
// after its `---`; every object of the document gets it, List items too.
TEST(DecodeText, HelmSourceComments) {
  Objects out;
  ASSERT_THAT(DecodeText(ReadTestFile("helm/helm_template.yaml"),
                         "rendered.yaml", {}, &out),
              IsOk());
  ASSERT_THAT(out.config_maps, SizeIs(2));
  EXPECT_EQ(out.config_maps[0].origin.helm_source,
            "mychart/templates/configmaps.yaml");
  EXPECT_EQ(out.config_maps[1].origin.helm_source,
            "mychart/templates/configmaps.yaml");
  ASSERT_THAT(out.services, SizeIs(1));
  EXPECT_EQ(out.services[0].origin.helm_source,
            "mychart/templates/service.yaml");
  ASSERT_THAT(out.pods, SizeIs(2));
  EXPECT_EQ(out.pods[0].origin.helm_source,
            "mychart/templates/deployment.yaml");
  EXPECT_EQ(out.pods[0].workload_kind, "Deployment");
  EXPECT_EQ(out.pods[1].origin.helm_source,
            "mychart/templates/tests/test-connection.yaml");

  // Only a comment line before the content counts, the first one wins, and
  // a document without one has none.
  Objects other;
  ASSERT_THAT(Decode("# Source: c/templates/a.yaml\n# Source: c/x.yaml\n"
                     "kind: ConfigMap\nmetadata:\n  name: a\n"
                     "  # Source: c/templates/inside.yaml\n"
                     "---\nkind: ConfigMap\nmetadata: {name: b}\n"
                     "data: {k: \"# Source: no\"}\n"
                     "--- # Source: c/templates/c.yaml\n"
                     "kind: ConfigMap\nmetadata: {name: c}\n",
                     &other),
              IsOk());
  ASSERT_THAT(other.config_maps, SizeIs(3));
  EXPECT_EQ(other.config_maps[0].origin.helm_source, "c/templates/a.yaml");
  EXPECT_EQ(other.config_maps[1].origin.helm_source, "");
  EXPECT_EQ(other.config_maps[2].origin.helm_source, "");
  // JSON has no comments.
  Objects json;
  ASSERT_THAT(Decode("{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": "
                     "\"a\"}}\n",
                     &json, "in.json"),
              IsOk());
  EXPECT_EQ(json.config_maps[0].origin.helm_source, "");
}

}  // namespace
}  // namespace svcenv
