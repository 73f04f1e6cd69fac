// The library example of README.md, compiled and run on the bundled
// guestbook, so the README cannot drift from the API.
#include <sstream>
#include <string>

#include "lib/base/testing.h"
#include "svcenv/container_env.h"
#include "svcenv/decode.h"
#include "svcenv/object_lookup.h"
#include "svcenv/service_env.h"
#include "svcenv/service_index.h"

namespace svcenv {
namespace {

using ::testing::HasSubstr;

// Mirrors README.md "The library"; `std::cout` becomes `out`.
absl::Status ReadmeExample(std::ostream& out) {
  svcenv::Objects objects;
  absl::Status read = svcenv::DecodePaths(
      {"testdata/examples/guestbook/"}, /*recursive=*/false, {}, &objects);
  if (!read.ok()) return read;  // Names file, document, line, object, field.
  const svcenv::Pod& pod = objects.pods[0];
  svcenv::ServiceEnvironment services = svcenv::ComputeServiceEnvironment(
      objects.services, pod.meta.namespace_name,
      pod.enable_service_links.value_or(true));
  absl::StatusOr<svcenv::ContainerEnvironment> env =
      svcenv::ComputeContainerEnvironment(pod, pod.containers[0], services,
                                          objects, {});
  if (!env.ok()) return env.status();  // FailedPrecondition: kubelet refuses.
  for (const svcenv::EnvEntry& e : env->env)
    out << e.name << "=" << e.value << "  # "
        << svcenv::DescribeSource(e.source) << "\n";
  return absl::OkStatus();
}

TEST(ReadmeExample, PrintsTheGuestbookEnvironmentWithSources) {
  std::ostringstream out;
  ASSERT_THAT(ReadmeExample(out), IsOk());
  EXPECT_THAT(out.str(),
              HasSubstr("REDIS_ADDR=10.96.12.7:6379  # env value\n"));
  EXPECT_THAT(out.str(),
              HasSubstr("REDIS_PORT_6379_TCP_ADDR=10.96.12.7  # Service "
                        "guestbook/redis port 6379/TCP\n"));
}

// The node-agent variant: a ServiceIndex snapshot shared by the result, the
// objects through a lookup; the same environment as the explained form.
TEST(ReadmeExample, ServiceIndexSnapshotGivesTheSameEnvironment) {
  svcenv::Objects objects;
  ASSERT_THAT(svcenv::DecodePaths({"testdata/examples/guestbook/"}, false, {},
                                  &objects),
              IsOk());
  svcenv::ServiceIndex index;
  for (const svcenv::Service& s : objects.services) index.Upsert(s);
  const svcenv::Pod& pod = objects.pods[0];
  const svcenv::ObjectsLookup caches(objects);
  svcenv::ServiceIndex::Snapshot block = index.Lookup(
      pod.meta.namespace_name, pod.enable_service_links.value_or(true));
  SVCENV_ASSERT_OK_AND_ASSIGN(
      svcenv::SharedContainerEnvironment from_index,
      svcenv::ComputeEnvironment(pod, pod.containers[0], block, caches, {}));
  SVCENV_ASSERT_OK_AND_ASSIGN(
      svcenv::ContainerEnvironment direct,
      svcenv::ComputeContainerEnvironment(
          pod, pod.containers[0],
          svcenv::ComputeServiceEnvironment(objects.services,
                                            pod.meta.namespace_name, true),
          objects, {}));
  ASSERT_EQ(from_index.size(), direct.env.size());
  size_t i = 0;
  for (const svcenv::SharedContainerEnvironment::Variable& v : from_index) {
    EXPECT_EQ(v.name, direct.env[i].name);
    EXPECT_EQ(v.value, direct.env[i].value);
    EXPECT_EQ(from_index.Describe(v), svcenv::DescribeSource(direct.env[i].source));
    ++i;
  }
}

}  // namespace
}  // namespace svcenv
