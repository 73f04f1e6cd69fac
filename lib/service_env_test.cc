#include "svcenv/service_env.h"

#include <string>
#include <utility>
#include <vector>

#include "lib/internal/testing.h"

namespace svcenv {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

Service MakeService(std::string ns, std::string name, std::string ip,
                    std::vector<ServicePort> ports) {
  Service s;
  s.meta.namespace_name = std::move(ns);
  s.meta.name = std::move(name);
  s.cluster_ip = std::move(ip);
  s.ports = std::move(ports);
  return s;
}

std::vector<std::pair<std::string, std::string>> Pairs(
    const std::vector<ServiceVariable>& vars) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const ServiceVariable& v : vars) out.emplace_back(v.name, v.value);
  return out;
}

TEST(AppendServiceVariables, OneUnnamedPortInKubeletOrder) {
  Service s = MakeService("test1", "foo-bar", "1.2.3.4", {{"", 8080, "TCP"}});
  std::vector<ServiceVariable> vars;
  ASSERT_TRUE(AppendServiceVariables(s, &vars).ok());
  EXPECT_THAT(Pairs(vars),
              ElementsAre(Pair("FOO_BAR_SERVICE_HOST", "1.2.3.4"),
                          Pair("FOO_BAR_SERVICE_PORT", "8080"),
                          Pair("FOO_BAR_PORT", "tcp://1.2.3.4:8080"),
                          Pair("FOO_BAR_PORT_8080_TCP", "tcp://1.2.3.4:8080"),
                          Pair("FOO_BAR_PORT_8080_TCP_PROTO", "tcp"),
                          Pair("FOO_BAR_PORT_8080_TCP_PORT", "8080"),
                          Pair("FOO_BAR_PORT_8080_TCP_ADDR", "1.2.3.4")));
  for (const ServiceVariable& v : vars) EXPECT_EQ(v.service, &s);
  EXPECT_EQ(vars[0].port_index, -1);
  EXPECT_EQ(vars[1].port_index, 0);
}

TEST(AppendServiceVariables, IPv6IsBracketedOnlyInUrls) {
  Service s = MakeService("test1", "super-ipv6", "2001:DB8::",
                          {{"u-d-p", 8084, "UDP"}, {"t-c-p", 8084, "TCP"}});
  std::vector<ServiceVariable> vars;
  ASSERT_TRUE(AppendServiceVariables(s, &vars).ok());
  EXPECT_THAT(
      Pairs(vars),
      ElementsAre(Pair("SUPER_IPV6_SERVICE_HOST", "2001:DB8::"),
                  Pair("SUPER_IPV6_SERVICE_PORT", "8084"),
                  Pair("SUPER_IPV6_SERVICE_PORT_U_D_P", "8084"),
                  Pair("SUPER_IPV6_SERVICE_PORT_T_C_P", "8084"),
                  Pair("SUPER_IPV6_PORT", "udp://[2001:DB8::]:8084"),
                  Pair("SUPER_IPV6_PORT_8084_UDP", "udp://[2001:DB8::]:8084"),
                  Pair("SUPER_IPV6_PORT_8084_UDP_PROTO", "udp"),
                  Pair("SUPER_IPV6_PORT_8084_UDP_PORT", "8084"),
                  Pair("SUPER_IPV6_PORT_8084_UDP_ADDR", "2001:DB8::"),
                  Pair("SUPER_IPV6_PORT_8084_TCP", "tcp://[2001:DB8::]:8084"),
                  Pair("SUPER_IPV6_PORT_8084_TCP_PROTO", "tcp"),
                  Pair("SUPER_IPV6_PORT_8084_TCP_PORT", "8084"),
                  Pair("SUPER_IPV6_PORT_8084_TCP_ADDR", "2001:DB8::")));
}

TEST(ComputeServiceEnvironment, LinksOffKeepsOnlyDefaultKubernetes) {
  std::vector<Service> services = {
      MakeService("default", "kubernetes", "1.2.3.1", {{"", 8081, "TCP"}}),
      MakeService("test1", "test", "1.2.3.3", {{"", 8083, "TCP"}}),
  };
  ServiceEnvironment env = ComputeServiceEnvironment(services, "test1", false);
  EXPECT_EQ(env.variables.size(), 7u);
  for (const ServiceVariable& v : env.variables) {
    EXPECT_THAT(v.name, ::testing::StartsWith("KUBERNETES_"));
  }
  EXPECT_THAT(env.clashes, IsEmpty());
}

}  // namespace
}  // namespace svcenv
