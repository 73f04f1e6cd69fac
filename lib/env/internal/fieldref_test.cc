#include "lib/env/internal/fieldref.h"

#include <optional>
#include <string>

#include "lib/base/testing.h"

namespace svcenv {
namespace internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string Canonical(const std::string& text) {
  std::optional<IpBytes> ip = ParseIpSloppy(text);
  return ip ? FormatIp(*ip) : "<invalid>";
}

TEST(ParseIpSloppy, AsGo116ParseIP) {
  EXPECT_EQ(Canonical("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(Canonical("010.0.0.01"), "10.0.0.1");  // Leading zeros allowed.
  EXPECT_EQ(Canonical("2001:DB8::1"), "2001:db8::1");
  EXPECT_EQ(Canonical("::ffff:10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(Canonical("fd00:0:0:0:0:0:0:5"), "fd00::5");
  EXPECT_EQ(Canonical("1:0:0:2:0:0:0:3"), "1:0:0:2::3");       // Longest run.
  EXPECT_EQ(Canonical("1:0:2:3:4:5:6:7"), "1:0:2:3:4:5:6:7");  // One group.
  EXPECT_EQ(Canonical("::"), "::");
  EXPECT_EQ(Canonical("::1.2.3.4"), "::102:304");
  for (const char* bad :
       {"", "bogus", "192.168.1.1.", "256.0.0.1", "1.2.3", "fe80::1%eth0",
        "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::"}) {
    EXPECT_FALSE(ParseIpSloppy(bad).has_value()) << bad;
  }
}

TEST(SortPodIps, NodeFamilyFirstThenOther) {
  EXPECT_THAT(SortPodIps({"fd00::5", "10.0.0.5"}, false),
              ElementsAre("10.0.0.5", "fd00::5"));
  EXPECT_THAT(SortPodIps({"fd00::5", "10.0.0.5"}, true),
              ElementsAre("fd00::5", "10.0.0.5"));
  EXPECT_THAT(SortPodIps({"bogus", "10.0.0.1", "10.0.0.2"}, false),
              ElementsAre("10.0.0.1"));
  // Found by testdata/conformance: the kubelet re-stringifies each IP.
  EXPECT_THAT(SortPodIps({"FD00::A"}, false), ElementsAre("fd00::a"));
  EXPECT_THAT(SortPodIps({"::ffff:10.1.2.3", "FD00::A"}, true),
              ElementsAre("fd00::a", "10.1.2.3"));
  EXPECT_THAT(SortPodIps({"bogus"}, false), IsEmpty());
}

TEST(NodeHostIps, InternalFirstThenOtherFamily) {
  Node node;
  node.addresses = {{"ExternalIP", "203.0.113.1"},
                    {"Hostname", "n"},
                    {"InternalIP", "fd00::1"},
                    {"InternalIP", "fd00::2"}};
  EXPECT_THAT(NodeHostIps(node), ElementsAre("fd00::1", "203.0.113.1"));
  node.addresses = {{"Hostname", "n"}};
  EXPECT_THAT(NodeHostIps(node), IsEmpty());
}

TEST(GoQuote, AsStrconvQuote) {
  EXPECT_EQ(GoQuote("plain"), "\"plain\"");
  EXPECT_EQ(GoQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(GoQuote("multi\nline\ttab"), "\"multi\\nline\\ttab\"");
  EXPECT_EQ(GoQuote("ctl\x01\x7f"), "\"ctl\\x01\\x7f\"");
  EXPECT_EQ(GoQuote("\xC3\xBCn\xC3\xAF \xF0\x9F\x98\x80"),
            "\"\xC3\xBCn\xC3\xAF \xF0\x9F\x98\x80\"");
  EXPECT_EQ(GoQuote("\xC2\xA0nbsp"), "\"\\u00a0nbsp\"");
  EXPECT_EQ(GoQuote("\xE2\x80\x8B"), "\"\\u200b\"");
  EXPECT_EQ(GoQuote("\xF3\xB0\x80\x80"), "\"\\U000f0000\"");
  EXPECT_EQ(GoQuote("\xFF"), "\"\\xff\"");
}

TEST(IsQualifiedName, ApimachineryRules) {
  EXPECT_TRUE(IsQualifiedName("app"));
  EXPECT_TRUE(IsQualifiedName("app.kubernetes.io/name"));
  EXPECT_TRUE(IsQualifiedName("Upper_Case.x"));
  EXPECT_FALSE(IsQualifiedName(""));
  EXPECT_FALSE(IsQualifiedName("bad key!"));
  EXPECT_FALSE(IsQualifiedName("-lead"));
  EXPECT_FALSE(IsQualifiedName("Upper.Case/Key"));  // Prefix must be lower.
  EXPECT_FALSE(IsQualifiedName("a/b/c"));
  EXPECT_FALSE(IsQualifiedName(std::string(64, 'a')));
  EXPECT_TRUE(IsQualifiedName(std::string(63, 'a')));
}

std::string Resolve(const std::string& path, const Pod& pod,
                    const DownwardApiContext& context,
                    bool* placeholder = nullptr) {
  absl::StatusOr<FieldRefValue> v =
      ResolveFieldRef(ObjectFieldSelector{"v1", path}, pod, context);
  if (!v.ok()) return "<error>";
  if (placeholder != nullptr) *placeholder = v->placeholder;
  return v->value;
}

TEST(ResolveFieldRef, UnscheduledPlaceholdersForAManifest) {
  Pod pod;  // As written: no serviceAccountName, nodeName or status.
  DownwardApiContext context;
  // The kubelet's own reading of the pod as given.
  EXPECT_EQ(Resolve("spec.serviceAccountName", pod, context), "");
  EXPECT_EQ(Resolve("spec.nodeName", pod, context), "");
  EXPECT_EQ(Resolve("status.podIP", pod, context), "");
  context.unscheduled_placeholders = true;
  bool placeholder = true;
  // ServiceAccount admission sets `default`: a real value.
  EXPECT_EQ(Resolve("spec.serviceAccountName", pod, context, &placeholder),
            "default");
  EXPECT_FALSE(placeholder);
  EXPECT_EQ(Resolve("spec.nodeName", pod, context, &placeholder),
            "<node name>");
  EXPECT_TRUE(placeholder);
  EXPECT_EQ(Resolve("spec.host", pod, context), "<node name>");
  EXPECT_EQ(Resolve("status.podIP", pod, context), "<pod IP>");
  EXPECT_EQ(Resolve("status.podIPs", pod, context), "<pod IPs>");
  EXPECT_EQ(Resolve("status.hostIP", pod, context), "<host IP>");
  EXPECT_EQ(Resolve("status.hostIPs", pod, context), "<host IPs>");
  // Known values stay what they are.
  pod.service_account_name = "web";
  pod.node_name = "node-1";
  pod.pod_ips = {"10.0.0.5"};
  context.host_ips = {"192.168.0.7"};
  EXPECT_EQ(Resolve("spec.serviceAccountName", pod, context), "web");
  EXPECT_EQ(Resolve("spec.nodeName", pod, context, &placeholder), "node-1");
  EXPECT_FALSE(placeholder);
  EXPECT_EQ(Resolve("status.podIP", pod, context), "10.0.0.5");
  EXPECT_EQ(Resolve("status.hostIP", pod, context), "192.168.0.7");
}

}  // namespace
}  // namespace internal
}  // namespace svcenv
