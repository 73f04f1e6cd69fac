#include "svcenv/service_absence.h"

#include <optional>
#include <string>
#include <vector>

#include "lib/base/testing.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Service MakeService(const std::string& ns, const std::string& name,
                    const std::string& ip) {
  Service s;
  s.meta.namespace_name = ns;
  s.meta.name = name;
  s.cluster_ip = ip;
  s.ports.push_back({"redis", 6379, "TCP"});
  return s;
}

std::vector<const Service*> Pointers(const std::vector<Service>& services) {
  std::vector<const Service*> out;
  for (const Service& s : services) out.push_back(&s);
  return out;
}

ServiceAbsenceKind KindOf(const std::vector<Service>& services,
                          const std::string& name, bool links = true) {
  const std::optional<ServiceAbsence> a =
      WhyNoServiceVariable(name, Pointers(services), "shop", links);
  EXPECT_TRUE(a.has_value()) << name;
  return a.has_value() ? a->kind : ServiceAbsenceKind::kNoSuchService;
}

TEST(WhyNoServiceVariable, EachReasonTheKubeletHas) {
  std::vector<Service> services = {MakeService("shop", "redis", "10.0.0.7")};
  EXPECT_EQ(KindOf(services, "REDIS_SERVICE_HOST", /*links=*/false),
            ServiceAbsenceKind::kLinksDisabled);
  EXPECT_EQ(KindOf(services, "REDIS_SERVICE_PORT_HTTP"),
            ServiceAbsenceKind::kNoSuchVariable);
  services[0].cluster_ip = "None";
  EXPECT_EQ(KindOf(services, "REDIS_SERVICE_HOST"),
            ServiceAbsenceKind::kHeadless);
  services[0].cluster_ip = "";
  EXPECT_EQ(KindOf(services, "REDIS_PORT_6379_TCP"),
            ServiceAbsenceKind::kNoClusterIp);
  services[0].type = "ExternalName";
  EXPECT_EQ(KindOf(services, "REDIS_SERVICE_HOST"),
            ServiceAbsenceKind::kExternalName);
  services[0].meta.namespace_name = "other";
  EXPECT_EQ(KindOf(services, "REDIS_SERVICE_HOST"),
            ServiceAbsenceKind::kOtherNamespace);
  EXPECT_EQ(KindOf(services, "CACHE_SERVICE_HOST"),
            ServiceAbsenceKind::kNoSuchService);
}

TEST(WhyNoServiceVariable, WordsAndHints) {
  std::vector<Service> services = {MakeService("shop", "redis", "10.0.0.7")};
  const std::optional<ServiceAbsence> port =
      WhyNoServiceVariable("REDIS_SERVICE_PORT_HTTP", Pointers(services),
                           "shop", true);
  ASSERT_TRUE(port.has_value());
  EXPECT_EQ(port->Describe(),
            "Service shop/redis produces no such variable (it has "
            "REDIS_SERVICE_HOST, REDIS_SERVICE_PORT, REDIS_SERVICE_PORT_REDIS, "
            "REDIS_PORT, REDIS_PORT_6379_TCP, REDIS_PORT_6379_TCP_PROTO, "
            "REDIS_PORT_6379_TCP_PORT, REDIS_PORT_6379_TCP_ADDR)");
  EXPECT_EQ(port->Describe([](const Service& s) {
              return "the " + s.meta.name + " Service";
            }).substr(0, 17),
            "the redis Service");
  const std::optional<ServiceAbsence> none = WhyNoServiceVariable(
      "REDIS_CACHE_SERVICE_HOST", Pointers(services), "shop", true);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->Describe(),
            "no Service \"redis-cache\" exists in namespace shop");
  EXPECT_THAT(none->Hint(), HasSubstr("create Service redis-cache"));
  services[0].meta.namespace_name = "data";
  const std::optional<ServiceAbsence> elsewhere = WhyNoServiceVariable(
      "REDIS_SERVICE_HOST", Pointers(services), "shop", true);
  ASSERT_TRUE(elsewhere.has_value());
  EXPECT_EQ(elsewhere->Hint(), "use the DNS name redis.data.svc instead");
}

// default/kubernetes is every pod's, in any namespace and with links off:
// its missing port name is not "in another namespace".
TEST(WhyNoServiceVariable, MasterServiceIsEveryPods) {
  std::vector<Service> services = {
      MakeService("default", "kubernetes", "10.96.0.1")};
  services[0].ports = {{"https", 443, "TCP"}};
  EXPECT_EQ(KindOf(services, "KUBERNETES_SERVICE_PORT_HTTP", false),
            ServiceAbsenceKind::kNoSuchVariable);
  // The pod's own `kubernetes` wins while links are on, as in the kubelet.
  services.push_back(MakeService("shop", "kubernetes", "None"));
  EXPECT_EQ(KindOf(services, "KUBERNETES_SERVICE_PORT_HTTP"),
            ServiceAbsenceKind::kHeadless);
}

TEST(WhyNoServiceVariable, OnlyServiceShapedNames) {
  const std::vector<Service> services = {
      MakeService("shop", "redis", "10.0.0.7")};
  for (const char* name : {"PATH", "HTTP_PORT", "SERVICE_HOST", "_PORT"}) {
    EXPECT_FALSE(
        WhyNoServiceVariable(name, Pointers(services), "shop", true)
            .has_value())
        << name;
  }
  // A bare X_PORT counts once a Service is named X.
  const std::optional<ServiceAbsence> bare =
      WhyNoServiceVariable("REDIS_PORT", Pointers(services), "shop", false);
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->kind, ServiceAbsenceKind::kLinksDisabled);
  EXPECT_THAT(bare->services, ElementsAre(&services[0]));
}

}  // namespace
}  // namespace svcenv
