// lib/env/internal/fieldref.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. The downward API for `env[].valueFrom.
// fieldRef`, as the kubelet answers it (`podFieldSelectorRuntimeValue`,
// `ConvertDownwardAPIFieldLabel`, `ExtractFieldPathAsString`, `sortPodIPs`,
// `GetNodeHostIPs`), and the IP helpers it needs (k8s.io/utils/net
// `ParseIPSloppy`, Go's `net.IP.String`).
#ifndef SVCENV_LIB_ENV_INTERNAL_FIELDREF_H_
#define SVCENV_LIB_ENV_INTERNAL_FIELDREF_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace internal {

using IpBytes = std::array<uint8_t, 16>;  // IPv4 as IPv4-mapped IPv6.

// ParseIPSloppy: Go 1.16 net.ParseIP (IPv4 octets may have leading zeros,
// no zones). Null when `text` is not an IP.
std::optional<IpBytes> ParseIpSloppy(absl::string_view text);
bool IsIpv4(const IpBytes& ip);           // Includes IPv4-mapped IPv6.
std::string FormatIp(const IpBytes& ip);  // net.IP.String().

// nodeutil.GetNodeHostIPs: the first InternalIP (else ExternalIP) address,
// then the first of the other family, canonical. Empty when none parses.
std::vector<std::string> NodeHostIps(const Node& node);

// The kubelet's sortPodIPs: the first IP of the node's primary family, then
// the first of the other family, each as net.IP.String() gives it
// ("FD00::A" is "fd00::a", "::ffff:10.1.2.3" is "10.1.2.3"); unparsable
// entries are dropped.
std::vector<std::string> SortPodIps(const std::vector<std::string>& pod_ips,
                                    bool ipv6_primary);

// Go's strconv.Quote (what `%q` prints). Non-ASCII printability follows
// Unicode general categories for the common non-printable ranges (controls,
// separators, format characters, private use, noncharacters); unassigned code
// points are treated as printable.
std::string GoQuote(absl::string_view s);

// apimachinery IsQualifiedName: `[prefix/]name`, prefix a DNS-1123 subdomain,
// name at most 63 of `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
bool IsQualifiedName(absl::string_view s);

// What the node and the pod's runtime tell the downward API.
struct DownwardApiContext {
  std::vector<std::string> host_ips;  // Canonical; empty when unknown.
  bool ipv6_primary = false;
  // EnvironmentOptions::unscheduled_placeholders: an empty serviceAccountName
  // is `default` (admission); values only a scheduled, running pod has are
  // placeholders when unknown.
  bool unscheduled_placeholders = false;
};

struct FieldRefValue {
  std::string value;
  std::string warning;  // Empty, or one line for the caller's warnings.
  // `value` is an angle-bracket placeholder (`<node name>`, `<pod IP>`,
  // `<host IP>`...) for what only a scheduled pod has.
  bool placeholder = false;
};

// The value of `selector` for `pod`. `FailedPreconditionError` (message
// without a location prefix) where the kubelet returns an error: an
// apiVersion other than v1, a path it does not convert or extract, an
// invalid label or annotation key.
absl::StatusOr<FieldRefValue> ResolveFieldRef(
    const ObjectFieldSelector& selector, const Pod& pod,
    const DownwardApiContext& context);

}  // namespace internal
}  // namespace svcenv

#endif  // SVCENV_LIB_ENV_INTERNAL_FIELDREF_H_
