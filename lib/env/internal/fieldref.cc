#include "lib/env/internal/fieldref.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "lib/base/utf8.h"

namespace svcenv {
namespace internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::optional<IpBytes> ParseIpv4(absl::string_view s) {
  std::vector<absl::string_view> parts = absl::StrSplit(s, '.');
  if (parts.size() != 4) return std::nullopt;
  IpBytes ip{};
  ip[10] = ip[11] = 0xFF;
  for (size_t i = 0; i < 4; ++i) {
    if (parts[i].empty()) return std::nullopt;
    int value = 0;
    for (char c : parts[i]) {
      if (!IsDigit(c)) return std::nullopt;
      value = value * 10 + (c - '0');
      if (value > 255) return std::nullopt;
    }
    if (value > 255) return std::nullopt;
    ip[12 + i] = static_cast<uint8_t>(value);
  }
  return ip;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends the bytes of colon-separated hex groups; the last group may be a
// dotted IPv4 address when `last` is set.
bool ParseGroups(absl::string_view part, bool last, std::vector<uint8_t>* out) {
  if (part.empty()) return true;
  std::vector<absl::string_view> groups = absl::StrSplit(part, ':');
  for (size_t i = 0; i < groups.size(); ++i) {
    const absl::string_view g = groups[i];
    if (last && i + 1 == groups.size() && absl::StrContains(g, '.')) {
      std::optional<IpBytes> v4 = ParseIpv4(g);
      if (!v4) return false;
      out->insert(out->end(), v4->begin() + 12, v4->end());
      continue;
    }
    if (g.empty() || g.size() > 4) return false;
    int value = 0;
    for (char c : g) {
      const int h = HexValue(c);
      if (h < 0) return false;
      value = value * 16 + h;
    }
    out->push_back(static_cast<uint8_t>(value >> 8));
    out->push_back(static_cast<uint8_t>(value & 0xFF));
  }
  return true;
}

std::optional<IpBytes> ParseIpv6(absl::string_view s) {
  const size_t elision = s.find("::");
  const bool elided = elision != absl::string_view::npos;
  absl::string_view head = s, tail;
  if (elided) {
    head = s.substr(0, elision);
    tail = s.substr(elision + 2);
    if (absl::StrContains(tail, "::")) return std::nullopt;
  }
  std::vector<uint8_t> head_bytes, tail_bytes;
  if (!ParseGroups(head, !elided, &head_bytes) ||
      !ParseGroups(tail, elided, &tail_bytes)) {
    return std::nullopt;
  }
  const size_t n = head_bytes.size() + tail_bytes.size();
  if ((!elided && n != 16) || (elided && n > 14)) return std::nullopt;
  IpBytes ip{};
  std::copy(head_bytes.begin(), head_bytes.end(), ip.begin());
  std::copy(tail_bytes.begin(), tail_bytes.end(), ip.end() - tail_bytes.size());
  return ip;
}

// unicode.IsPrint for non-ASCII runes, approximated by the ranges of the
// categories Go treats as not printable (Cc, Cf, Co, Cs, Zl, Zp, Zs other
// than U+0020, noncharacters).
bool IsPrintNonAscii(uint32_t r) {
  static constexpr std::pair<uint32_t, uint32_t> kNotPrint[] = {
      {0x80, 0xA0},       {0xAD, 0xAD},        {0x600, 0x605},
      {0x61C, 0x61C},     {0x6DD, 0x6DD},      {0x70F, 0x70F},
      {0x8E2, 0x8E2},     {0x1680, 0x1680},    {0x180E, 0x180E},
      {0x2000, 0x200F},   {0x2028, 0x202F},    {0x205F, 0x2064},
      {0x2066, 0x206F},   {0x3000, 0x3000},    {0xD800, 0xF8FF},
      {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},    {0xFFFE, 0xFFFF},
      {0x110BD, 0x110BD}, {0x1D173, 0x1D17A},  {0xE0001, 0xE0001},
      {0xE0020, 0xE007F}, {0xF0000, 0x10FFFF},
  };
  for (const auto& [lo, hi] : kNotPrint) {
    if (r >= lo && r <= hi) return false;
  }
  return true;
}

bool MatchesDns1123Label(absl::string_view s) {
  if (s.empty()) return false;
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || IsDigit(c);
  };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return alnum(c) || c == '-'; });
}

bool IsDns1123Subdomain(absl::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (absl::string_view label : absl::StrSplit(s, '.')) {
    if (!MatchesDns1123Label(label)) return false;
  }
  return true;
}

// SplitMaybeSubscriptedPath: "metadata.labels['k']" -> ("metadata.labels",
// "k", true).
bool SplitSubscript(absl::string_view path, absl::string_view* base,
                    absl::string_view* subscript) {
  if (!absl::EndsWith(path, "']")) return false;
  const absl::string_view s = path.substr(0, path.size() - 2);
  const size_t open = s.find("['");
  if (open == absl::string_view::npos || open == 0) return false;
  *base = s.substr(0, open);
  *subscript = s.substr(open + 2);
  return true;
}

// fieldpath.FormatMap: sorted `key="quoted value"` lines.
std::string FormatMap(const std::map<std::string, std::string>& m) {
  std::vector<std::string> lines;
  for (const auto& [key, value] : m) {
    lines.push_back(absl::StrCat(key, "=", GoQuote(value)));
  }
  return absl::StrJoin(lines, "\n");
}

absl::Status Refuse(absl::string_view message) {
  return absl::FailedPreconditionError(message);
}

}  // namespace

std::optional<IpBytes> ParseIpSloppy(absl::string_view text) {
  for (char c : text) {
    if (c == '.') return ParseIpv4(text);
    if (c == ':') return ParseIpv6(text);
  }
  return std::nullopt;
}

bool IsIpv4(const IpBytes& ip) {
  for (int i = 0; i < 10; ++i) {
    if (ip[i] != 0) return false;
  }
  return ip[10] == 0xFF && ip[11] == 0xFF;
}

std::string FormatIp(const IpBytes& ip) {
  if (IsIpv4(ip)) {
    return absl::StrCat(ip[12], ".", ip[13], ".", ip[14], ".", ip[15]);
  }
  int groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = (ip[2 * i] << 8) | ip[2 * i + 1];
  // The first longest run of at least two zero groups becomes "::".
  int best_start = -1, best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  const auto hex = [&](int from, int to) {
    std::vector<std::string> parts;
    for (int i = from; i < to; ++i)
      parts.push_back(absl::StrFormat("%x", groups[i]));
    return absl::StrJoin(parts, ":");
  };
  if (best_start < 0) return hex(0, 8);
  return absl::StrCat(hex(0, best_start),
                      "::", hex(best_start + best_length, 8));
}

std::vector<std::string> NodeHostIps(const Node& node) {
  std::vector<IpBytes> all;
  for (const char* type : {"InternalIP", "ExternalIP"}) {
    for (const NodeAddress& address : node.addresses) {
      if (address.type != type) continue;
      if (std::optional<IpBytes> ip = ParseIpSloppy(address.address)) {
        all.push_back(*ip);
      }
    }
  }
  std::vector<std::string> result;
  if (all.empty()) return result;
  result.push_back(FormatIp(all[0]));
  for (const IpBytes& ip : all) {
    if (IsIpv4(ip) != IsIpv4(all[0])) {
      result.push_back(FormatIp(ip));
      break;
    }
  }
  return result;
}

std::vector<std::string> SortPodIps(const std::vector<std::string>& pod_ips,
                                    bool ipv6_primary) {
  std::vector<std::string> sorted;
  for (bool want_v4 : {!ipv6_primary, ipv6_primary}) {
    for (const std::string& text : pod_ips) {
      std::optional<IpBytes> ip = ParseIpSloppy(text);
      if (ip && IsIpv4(*ip) == want_v4) {
        // Re-stringified: "We parse and re-stringify the IPs in case the
        // values from CRI use an irregular format" (sortPodIPs).
        sorted.push_back(FormatIp(*ip));
        break;
      }
    }
  }
  return sorted;
}

std::string GoQuote(absl::string_view s) {
  std::string out = "\"";
  while (!s.empty()) {
    uint32_t r = 0;
    const size_t n = utf8_internal::DecodeRune(s, &r);
    if (n == 0) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<unsigned char>(s[0]));
      s.remove_prefix(1);
      continue;
    }
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
    } else if (r >= 0x20 && r < 0x7F) {
      out.push_back(static_cast<char>(r));
    } else if (r >= 0x80 && IsPrintNonAscii(r)) {
      out.append(s.data(), n);
    } else {
      switch (r) {
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (r < 0x80) {
            absl::StrAppendFormat(&out, "\\x%02x", r);
          } else if (r < 0x10000) {
            absl::StrAppendFormat(&out, "\\u%04x", r);
          } else {
            absl::StrAppendFormat(&out, "\\U%08x", r);
          }
      }
    }
    s.remove_prefix(n);
  }
  out.push_back('"');
  return out;
}

bool IsQualifiedName(absl::string_view s) {
  std::vector<absl::string_view> parts = absl::StrSplit(s, '/');
  absl::string_view name;
  if (parts.size() == 1) {
    name = parts[0];
  } else if (parts.size() == 2) {
    if (!IsDns1123Subdomain(parts[0])) return false;
    name = parts[1];
  } else {
    return false;
  }
  if (name.empty() || name.size() > 63) return false;
  const auto alnum = [](char c) { return absl::ascii_isalnum(c); };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return alnum(c) || c == '-' || c == '_' || c == '.';
  });
}

absl::StatusOr<FieldRefValue> ResolveFieldRef(
    const ObjectFieldSelector& selector, const Pod& pod,
    const DownwardApiContext& context) {
  const absl::string_view version =
      selector.api_version.empty() ? absl::string_view("v1")
                                   : absl::string_view(selector.api_version);
  if (version != "v1") {
    return Refuse(absl::StrCat("unsupported pod version: ", version));
  }
  // ConvertDownwardAPIFieldLabel.
  absl::string_view path = selector.field_path;
  absl::string_view base, subscript;
  const bool subscripted = SplitSubscript(path, &base, &subscript);
  if (subscripted) {
    if (base != "metadata.annotations" && base != "metadata.labels") {
      return Refuse(
          absl::StrCat("field label does not support subscript: ", path));
    }
  } else if (path == "spec.host") {
    path = "spec.nodeName";  // Legacy v1 clients.
  } else {
    static constexpr absl::string_view kConvertible[] = {
        "metadata.annotations", "metadata.labels",
        "metadata.name",        "metadata.namespace",
        "metadata.uid",         "spec.nodeName",
        "spec.restartPolicy",   "spec.serviceAccountName",
        "spec.schedulerName",   "status.phase",
        "status.hostIP",        "status.hostIPs",
        "status.podIP",         "status.podIPs"};
    if (std::find(std::begin(kConvertible), std::end(kConvertible), path) ==
        std::end(kConvertible)) {
      return Refuse(absl::StrCat("field label not supported: ", path));
    }
  }

  FieldRefValue result;
  // A value only a scheduled (running) pod has, unknown here.
  const auto placeholder = [&](absl::string_view text,
                               absl::string_view why) {
    result.value = std::string(text);
    result.placeholder = true;
    result.warning = absl::StrCat(path, " is unknown here (", why,
                                  "): shown as ", text);
  };
  const bool placeholders = context.unscheduled_placeholders;
  if (path == "spec.nodeName") {
    result.value = pod.node_name;
    if (pod.node_name.empty() && placeholders) {
      placeholder("<node name>",
                  "the pod is not scheduled; the kubelet gives its node's "
                  "name");
    }
  } else if (path == "spec.serviceAccountName") {
    result.value = pod.service_account_name;
    // ServiceAccount admission sets an empty one to `default`.
    if (result.value.empty() && placeholders) result.value = "default";
  } else if (placeholders && context.host_ips.empty() &&
             (path == "status.hostIP" || path == "status.hostIPs")) {
    placeholder(path == "status.hostIP" ? "<host IP>" : "<host IPs>",
                "no Node with addresses and no pod status.hostIPs in the "
                "input; the kubelet uses its node's IPs");
  } else if (placeholders && pod.pod_ips.empty() &&
             (path == "status.podIP" || path == "status.podIPs")) {
    placeholder(path == "status.podIP" ? "<pod IP>" : "<pod IPs>",
                "the pod has no status.podIPs; the kubelet uses the "
                "sandbox's IPs");
  } else if (path == "status.hostIP" || path == "status.hostIPs") {
    if (context.host_ips.empty()) {
      result.warning = absl::StrCat(
          path,
          " is empty here: no Node with addresses and no pod "
          "status.hostIPs were given (the kubelet uses its node's IP)");
    } else if (path == "status.hostIP") {
      result.value = context.host_ips[0];
    } else {
      result.value = absl::StrJoin(context.host_ips, ",");
    }
  } else if (path == "status.podIP" || path == "status.podIPs") {
    const std::vector<std::string> sorted =
        SortPodIps(pod.pod_ips, context.ipv6_primary);
    if (path == "status.podIPs") {
      result.value = absl::StrJoin(sorted, ",");
    } else if (!sorted.empty()) {
      result.value = sorted[0];
    } else if (!pod.pod_ips.empty()) {
      result.value = pod.pod_ips[0];
    }
    if (pod.pod_ips.empty()) {
      result.warning = absl::StrCat(
          path,
          " is empty here: the pod has no status.podIPs (the kubelet uses "
          "the sandbox's IPs)");
    }
  } else if (subscripted && base == "metadata.annotations") {
    if (!IsQualifiedName(absl::AsciiStrToLower(subscript))) {
      return Refuse(absl::StrCat("invalid key subscript in ", path));
    }
    auto it = pod.meta.annotations.find(std::string(subscript));
    if (it != pod.meta.annotations.end()) result.value = it->second;
  } else if (subscripted) {
    if (!IsQualifiedName(subscript)) {
      return Refuse(absl::StrCat("invalid key subscript in ", path));
    }
    auto it = pod.meta.labels.find(std::string(subscript));
    if (it != pod.meta.labels.end()) result.value = it->second;
  } else if (path == "metadata.annotations" || path == "metadata.labels") {
    result.value = FormatMap(path == "metadata.labels" ? pod.meta.labels
                                                       : pod.meta.annotations);
    result.warning = absl::StrCat(
        "fieldRef ", path,
        " without a ['key'] subscript is rejected by API validation for env; "
        "the kubelet would give every entry as key=\"value\" lines");
  } else if (path == "metadata.name") {
    result.value = pod.meta.name;
  } else if (path == "metadata.namespace") {
    result.value = pod.meta.namespace_name;
  } else if (path == "metadata.uid") {
    result.value = pod.meta.uid;
  } else {
    // spec.restartPolicy, spec.schedulerName and status.phase convert but
    // ExtractFieldPathAsString does not know them.
    return Refuse(absl::StrCat("unsupported fieldPath: ", path));
  }
  return result;
}

}  // namespace internal
}  // namespace svcenv
