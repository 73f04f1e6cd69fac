#include "svcenv/service_env.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lib/base/testing.h"

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


std::map<std::string, std::string> AsMap(const ServiceEnvironment& env) {
  std::map<std::string, std::string> out;
  for (const ServiceVariable& v : env.variables) out[v.name] = v.value;
  return out;
}

// The cluster of semantics.md §8: default/kubernetes 1.2.3.1:8081/TCP.
Service DefaultKubernetes() {
  return MakeService("default", "kubernetes", "1.2.3.1", {{"", 8081, "TCP"}});
}

// §8 item 1 (envvars_test): two Services, a multi-port one starting with UDP.
TEST(ComputeServiceEnvironment, Item1TwoServicesFirstPortIsSpecIndexZero) {
  std::vector<Service> services = {
      DefaultKubernetes(),
      MakeService("test1", "foo-bar", "1.2.3.4", {{"", 8080, "TCP"}}),
      MakeService("test1", "abc-123", "5.6.7.8",
                  {{"u-d-p", 8081, "UDP"}, {"t-c-p", 8081, "TCP"}}),
  };
  auto env = AsMap(ComputeServiceEnvironment(services, "test1", true));
  EXPECT_EQ(env.size(), 7u + 7u + 13u);
  EXPECT_EQ(env["FOO_BAR_SERVICE_HOST"], "1.2.3.4");
  EXPECT_EQ(env["FOO_BAR_PORT_8080_TCP_ADDR"], "1.2.3.4");
  EXPECT_EQ(env["ABC_123_SERVICE_PORT"], "8081");
  EXPECT_EQ(env["ABC_123_SERVICE_PORT_U_D_P"], "8081");
  EXPECT_EQ(env["ABC_123_SERVICE_PORT_T_C_P"], "8081");
  EXPECT_EQ(env["ABC_123_PORT"], "udp://5.6.7.8:8081");
  EXPECT_EQ(env["ABC_123_PORT_8081_UDP"], "udp://5.6.7.8:8081");
  EXPECT_EQ(env["ABC_123_PORT_8081_UDP_PROTO"], "udp");
  EXPECT_EQ(env["ABC_123_PORT_8081_TCP"], "tcp://5.6.7.8:8081");
  EXPECT_EQ(env["ABC_123_PORT_8081_TCP_PORT"], "8081");
  EXPECT_EQ(env["KUBERNETES_PORT"], "tcp://1.2.3.1:8081");
}

// §8 item 3: SCTP.
TEST(AppendServiceVariables, Item3Sctp) {
  Service s = MakeService("test1", "sctp-1", "1.2.3.4", {{"", 777, "SCTP"}});
  std::vector<ServiceVariable> vars;
  ASSERT_THAT(AppendServiceVariables(s, &vars), IsOk());
  EXPECT_THAT(Pairs(vars),
              ::testing::IsSupersetOf(
                  {Pair("SCTP_1_PORT", "sctp://1.2.3.4:777"),
                   Pair("SCTP_1_PORT_777_SCTP", "sctp://1.2.3.4:777"),
                   Pair("SCTP_1_PORT_777_SCTP_PROTO", "sctp")}));
}

// §8 item 4: an all-digit port name; no variable for the unnamed first port.
TEST(AppendServiceVariables, Item4AllDigitPortName) {
  Service s = MakeService("test1", "q-u-u-x", "9.8.7.6",
                          {{"", 8082, "TCP"}, {"8083", 8083, "TCP"}});
  std::vector<ServiceVariable> vars;
  ASSERT_THAT(AppendServiceVariables(s, &vars), IsOk());
  EXPECT_THAT(Pairs(vars), ::testing::Contains(
                               Pair("Q_U_U_X_SERVICE_PORT_8083", "8083")));
  EXPECT_EQ(vars.size(), 3u + 1u + 4u * 2u);
}

// §8 item 5: no cluster IP, no variables.
TEST(AppendServiceVariables, Item5HeadlessAndExternalNameProduceNothing) {
  std::vector<ServiceVariable> vars;
  Service none = MakeService("test1", "svrc-clusterip-none", "None",
                             {{"", 8082, "TCP"}});
  Service empty = MakeService("test1", "svrc-clusterip-empty", "",
                              {{"", 8082, "TCP"}});
  empty.type = "ExternalName";
  ASSERT_THAT(AppendServiceVariables(none, &vars), IsOk());
  ASSERT_THAT(AppendServiceVariables(empty, &vars), IsOk());
  EXPECT_THAT(vars, IsEmpty());
}

// §8 item 6: an empty protocol is TCP.
TEST(AppendServiceVariables, Item6EmptyProtocolIsTcp) {
  Service s = MakeService("test1", "web", "10.0.0.1", {{"", 80, ""}});
  std::vector<ServiceVariable> vars;
  ASSERT_THAT(AppendServiceVariables(s, &vars), IsOk());
  EXPECT_THAT(Pairs(vars),
              ::testing::IsSupersetOf({Pair("WEB_PORT", "tcp://10.0.0.1:80"),
                                       Pair("WEB_PORT_80_TCP_PROTO", "tcp")}));
}

// A cluster IP and no ports: the kubelet would crash; svcenv reports it.
TEST(AppendServiceVariables, NoPortsIsAnErrorAndAppendsNothing) {
  Service s = MakeService("shop", "broken", "10.0.0.1", {});
  std::vector<ServiceVariable> vars;
  EXPECT_THAT(AppendServiceVariables(s, &vars),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("Service shop/broken")));
  EXPECT_THAT(vars, IsEmpty());
  ServiceEnvironment env = ComputeServiceEnvironment({s}, "shop", true);
  EXPECT_THAT(env.variables, IsEmpty());
  EXPECT_THAT(env.diagnostics,
              ElementsAre(::testing::HasSubstr("no ports")));
}

// §8 item 8: the pod namespace's own `kubernetes` replaces default's only
// with links on, whatever the input order.
TEST(ComputeServiceEnvironment, Item8OwnKubernetesServiceWithLinksOn) {
  Service own =
      MakeService("test2", "kubernetes", "1.2.3.4", {{"", 8084, "TCP"}});
  for (const auto& services :
       {std::vector<Service>{DefaultKubernetes(), own},
        std::vector<Service>{own, DefaultKubernetes()}}) {
    auto on = AsMap(ComputeServiceEnvironment(services, "test2", true));
    EXPECT_EQ(on["KUBERNETES_SERVICE_HOST"], "1.2.3.4");
    EXPECT_EQ(on["KUBERNETES_SERVICE_PORT"], "8084");
    auto off = AsMap(ComputeServiceEnvironment(services, "test2", false));
    EXPECT_EQ(off["KUBERNETES_SERVICE_HOST"], "1.2.3.1");
    EXPECT_EQ(off["KUBERNETES_SERVICE_PORT"], "8081");
  }
}

// §8 items 9 and 10: a pod in `default` sees all of default's Services; no
// other namespace ever counts.
TEST(ComputeServiceEnvironment, Items9And10NamespaceScope) {
  std::vector<Service> services = {
      DefaultKubernetes(),
      MakeService("default", "not-special", "1.2.3.8", {{"", 8088, "TCP"}}),
      MakeService("other", "elsewhere", "1.2.3.9", {{"", 8089, "TCP"}}),
  };
  auto in_default = AsMap(ComputeServiceEnvironment(services, "default", true));
  EXPECT_EQ(in_default["NOT_SPECIAL_SERVICE_HOST"], "1.2.3.8");
  EXPECT_EQ(in_default.count("ELSEWHERE_SERVICE_HOST"), 0u);
  auto in_test1 = AsMap(ComputeServiceEnvironment(services, "test1", true));
  EXPECT_EQ(in_test1.count("NOT_SPECIAL_SERVICE_HOST"), 0u);
  EXPECT_EQ(in_test1.count("ELSEWHERE_SERVICE_HOST"), 0u);
  EXPECT_EQ(in_test1.size(), 7u);
}

// §8 item 11: `a` and `a-port-80-tcp` both make A_PORT_80_TCP_PORT. svcenv
// applies (namespace, name) order, the later wins, and reports the clash.
TEST(ComputeServiceEnvironment, Item11SuffixClashIsDeterministicAndReported) {
  std::vector<Service> services = {
      MakeService("test1", "a-port-80-tcp", "10.0.0.2", {{"", 9000, "TCP"}}),
      MakeService("test1", "a", "10.0.0.1", {{"", 80, "TCP"}}),
  };
  ServiceEnvironment env = ComputeServiceEnvironment(services, "test1", true);
  auto vars = AsMap(env);
  EXPECT_EQ(vars["A_PORT_80_TCP_PORT"], "tcp://10.0.0.2:9000");
  EXPECT_EQ(vars["A_PORT_80_TCP"], "tcp://10.0.0.1:80");  // Others survive.
  EXPECT_EQ(vars["A_PORT_80_TCP_PORT_9000_TCP_PORT"], "9000");
  ASSERT_EQ(env.clashes.size(), 1u);
  const ServiceClash& clash = env.clashes[0];
  EXPECT_EQ(clash.name, "A_PORT_80_TCP_PORT");
  ASSERT_EQ(clash.candidates.size(), 2u);
  EXPECT_EQ(clash.candidates[0].service->meta.name, "a");
  EXPECT_EQ(clash.candidates[0].value, "80");
  EXPECT_EQ(clash.candidates[1].service->meta.name, "a-port-80-tcp");
  EXPECT_EQ(clash.candidates[1].value, "tcp://10.0.0.2:9000");
}

// §8 item 12: `redis` and `redis-service` both make REDIS_SERVICE_PORT.
TEST(ComputeServiceEnvironment, Item12ServiceSuffixClash) {
  std::vector<Service> services = {
      MakeService("test1", "redis", "10.0.0.8", {{"", 6379, "TCP"}}),
      MakeService("test1", "redis-service", "10.0.0.9", {{"", 80, "TCP"}}),
  };
  ServiceEnvironment env = ComputeServiceEnvironment(services, "test1", true);
  EXPECT_EQ(AsMap(env)["REDIS_SERVICE_PORT"], "tcp://10.0.0.9:80");
  ASSERT_EQ(env.clashes.size(), 1u);
  EXPECT_EQ(env.clashes[0].name, "REDIS_SERVICE_PORT");
  EXPECT_EQ(env.clashes[0].candidates[0].value, "6379");
}

// §8 item 40: relaxed Service names keep a leading digit.
TEST(ComputeServiceEnvironment, Item40LeadingDigitIsKept) {
  std::vector<Service> services = {
      MakeService("test1", "1-web", "10.0.0.7", {{"", 80, "TCP"}})};
  auto env = AsMap(ComputeServiceEnvironment(services, "test1", true));
  EXPECT_EQ(env["1_WEB_SERVICE_HOST"], "10.0.0.7");
  EXPECT_EQ(env["1_WEB_PORT"], "tcp://10.0.0.7:80");
}

TEST(MakeEnvVariableName, OnlyDashesAndCase) {
  EXPECT_EQ(MakeEnvVariableName("my-svc.v2"), "MY_SVC.V2");
  EXPECT_EQ(MakeEnvVariableName("9lives"), "9LIVES");
}

// Every variable names its producer; output is sorted by name.
TEST(ComputeServiceEnvironment, ProvenanceAndOrder) {
  std::vector<Service> services = {
      DefaultKubernetes(),
      MakeService("shop", "redis", "10.0.0.8", {{"db", 6379, "TCP"}}),
  };
  ServiceEnvironment env = ComputeServiceEnvironment(services, "shop", true);
  ASSERT_EQ(env.variables.size(), 15u);
  for (size_t i = 1; i < env.variables.size(); ++i) {
    EXPECT_LT(env.variables[i - 1].name, env.variables[i].name);
  }
  for (const ServiceVariable& v : env.variables) {
    const bool is_redis = v.name.rfind("REDIS_", 0) == 0;
    EXPECT_EQ(v.service, is_redis ? &services[1] : &services[0]) << v.name;
    EXPECT_EQ(v.port_index, v.name.find("SERVICE_HOST") != std::string::npos
                                ? -1
                                : 0)
        << v.name;
  }
  EXPECT_EQ(DescribeServiceSource(services[1], 0),
            "Service shop/redis port 6379/TCP (db)");
  EXPECT_EQ(DescribeServiceSource(services[1], -1), "Service shop/redis");
}

}  // namespace
}  // namespace svcenv

namespace svcenv {
namespace {

TEST(ServiceVariablePrefix, TheNamesTheKubeletMakes) {
  for (const char* name :
       {"REDIS_SERVICE_HOST", "REDIS_SERVICE_PORT", "REDIS_SERVICE_PORT_HTTP",
        "REDIS_PORT_6379_TCP", "REDIS_PORT_6379_TCP_PROTO",
        "REDIS_PORT_6379_UDP_PORT", "REDIS_PORT_53_SCTP_ADDR"}) {
    EXPECT_EQ(ServiceVariablePrefix(name, false),
              std::optional<std::string>("REDIS"))
        << name;
  }
  EXPECT_EQ(ServiceVariablePrefix("MY_DB_PORT_5432_TCP_ADDR", false),
            std::optional<std::string>("MY_DB"));
  for (const char* name : {"REDIS_PORT", "REDIS_PORT_6379", "SERVICE_HOST",
                           "REDIS_PORT_6379_TCP_HOST", "REDIS_PORT_X_TCP",
                           "HOME"}) {
    EXPECT_EQ(ServiceVariablePrefix(name, false), std::nullopt) << name;
  }
  EXPECT_EQ(ServiceVariablePrefix("REDIS_PORT", true),
            std::optional<std::string>("REDIS"));
  EXPECT_EQ(ServiceVariablePrefix("_PORT", true), std::nullopt);
}

}  // namespace
}  // namespace svcenv
