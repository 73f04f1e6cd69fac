// The PodSpec fields behind kubelet-version-dependent behaviour:
// `spec.resources`, `spec.volumes`, `spec.ephemeralContainers` and
// `valueFrom.fileKeyRef`.
#include <string>

#include "lib/base/testing.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::SizeIs;

constexpr char kPod[] = R"(apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  resources:
    limits: {cpu: 2, memory: 1Gi}
    requests: {cpu: 500m}
  volumes:
  - name: envs
    emptyDir: {}
  - name: cfg
    configMap: {name: c}
  - name: odd
    hostPath: null
  containers:
  - name: app
    image: a
    env:
    - name: F
      valueFrom:
        fileKeyRef: {volumeName: envs, path: dir/app.env, key: K, optional: true}
  ephemeralContainers:
  - name: debugger
    image: busybox
    targetContainerName: app
    env:
    - {name: X, value: "1"}
)";

TEST(DecodePodSpec, ResourcesVolumesEphemeralContainersAndFileKeyRef) {
  Objects objects;
  ASSERT_THAT(DecodeText(kPod, "p.yaml", {}, &objects), IsOk());
  ASSERT_THAT(objects.pods, SizeIs(1));
  const Pod& pod = objects.pods[0];
  EXPECT_THAT(pod.resources.limits,
              ElementsAre(Pair("cpu", "2"), Pair("memory", "1Gi")));
  EXPECT_THAT(pod.resources.requests, ElementsAre(Pair("cpu", "500m")));
  ASSERT_THAT(pod.volumes, SizeIs(3));
  EXPECT_EQ(pod.volumes[0].name, "envs");
  EXPECT_EQ(pod.volumes[0].source, "emptyDir");
  EXPECT_EQ(pod.volumes[1].source, "configMap");
  EXPECT_EQ(pod.volumes[2].source, "");  // A null source is no source.
  ASSERT_THAT(pod.ephemeral_containers, SizeIs(1));
  EXPECT_EQ(pod.ephemeral_containers[0].name, "debugger");
  ASSERT_THAT(pod.ephemeral_containers[0].env, SizeIs(1));
  const auto& f = pod.containers[0].env[0].value_from->file_key_ref;
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->volume_name, "envs");
  EXPECT_EQ(f->path, "dir/app.env");
  EXPECT_EQ(f->key, "K");
  EXPECT_TRUE(f->optional);
}

TEST(DecodePodSpec, TemplatesCarryResourcesAndVolumes) {
  Objects objects;
  ASSERT_THAT(DecodePaths({"testdata/env/versions/env-files.yaml"}, false, {},
                          &objects),
              IsOk());
  ASSERT_THAT(objects.pods, SizeIs(1));
  EXPECT_EQ(objects.pods[0].workload_kind, "Deployment");
  EXPECT_THAT(objects.pods[0].resources.limits, SizeIs(2));
  EXPECT_THAT(objects.pods[0].volumes, SizeIs(2));
}

TEST(DecodePodSpec, WrongTypesNameTheField) {
  Objects objects;
  EXPECT_THAT(
      DecodeText("kind: Pod\nmetadata: {name: p}\nspec:\n  resources:\n"
                 "    limits: [1]\n",
                 "p.yaml", {}, &objects),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("spec.resources.limits")));
  EXPECT_THAT(DecodeText("kind: Pod\nmetadata: {name: p}\nspec:\n"
                         "  volumes: {a: b}\n",
                         "p.yaml", {}, &objects),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("spec.volumes")));
  EXPECT_THAT(DecodeText("kind: Pod\nmetadata: {name: p}\nspec:\n"
                         "  containers:\n  - name: a\n    env:\n"
                         "    - name: F\n      valueFrom:\n"
                         "        fileKeyRef: {optional: maybe}\n",
                         "p.yaml", {}, &objects),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fileKeyRef.optional")));
}

}  // namespace
}  // namespace svcenv
