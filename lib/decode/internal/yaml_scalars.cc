// YAML 1.1 scalars as go-yaml v2 resolves them (see yaml_scalars.h).
#include "lib/decode/internal/yaml_scalars.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace svcenv {
namespace decode_internal {
namespace {

using json = nlohmann::json;

// Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) after go-yaml has
// removed every '_'. Returns false when `s` is not an integer that fits.
bool ParseGoInt(absl::string_view s, json* out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    const char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2;
      s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return false;
  uint64_t magnitude = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, magnitude, base);
  if (ec != std::errc() || ptr != end) return false;
  if (negative) {
    if (magnitude > uint64_t{1} << 63) return false;
    *out = static_cast<int64_t>(0 - magnitude);
  } else if (magnitude <= static_cast<uint64_t>(INT64_MAX)) {
    *out = static_cast<int64_t>(magnitude);
  } else {
    *out = magnitude;  // ParseUint succeeds where ParseInt overflowed.
  }
  return true;
}

// go-yaml's yamlStyleFloat:
// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool IsYamlStyleFloat(absl::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  } else {
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// A float as it reaches Kubernetes: sigs.k8s.io/yaml hands it to
// encoding/json, which prints integral values without a fraction, so
// `port: 80.0` decodes like `port: 80`.
json FloatValue(double v) {
  if (std::trunc(v) == v && std::fabs(v) < 9.2e18) {
    return static_cast<int64_t>(v);
  }
  return v;
}

// The YAML 1.1 words go-yaml v2 resolves, by their exact spelling.
Resolved ResolveWord(absl::string_view in, json* out) {
  switch (in.size()) {
    case 1:
      switch (in[0]) {
        case '~':
          *out = nullptr;
          return Resolved::kNull;
        case 'y':
        case 'Y':
          *out = true;
          return Resolved::kBool;
        case 'n':
        case 'N':
          *out = false;
          return Resolved::kBool;
      }
      break;
    case 2:
      if (in == "on" || in == "On" || in == "ON") {
        *out = true;
        return Resolved::kBool;
      }
      if (in == "no" || in == "No" || in == "NO") {
        *out = false;
        return Resolved::kBool;
      }
      break;
    case 3:
      if (in == "yes" || in == "Yes" || in == "YES") {
        *out = true;
        return Resolved::kBool;
      }
      if (in == "off" || in == "Off" || in == "OFF") {
        *out = false;
        return Resolved::kBool;
      }
      break;
    case 4:
      if (in == "null" || in == "Null" || in == "NULL") {
        *out = nullptr;
        return Resolved::kNull;
      }
      if (in == "true" || in == "True" || in == "TRUE") {
        *out = true;
        return Resolved::kBool;
      }
      if (in == ".nan" || in == ".NaN" || in == ".NAN" || in == ".inf" ||
          in == ".Inf" || in == ".INF") {
        return Resolved::kUnsupported;
      }
      break;
    case 5:
      if (in == "false" || in == "False" || in == "FALSE") {
        *out = false;
        return Resolved::kBool;
      }
      if (in == "+.inf" || in == "+.Inf" || in == "+.INF" || in == "-.inf" ||
          in == "-.Inf" || in == "-.INF") {
        // encoding/json cannot represent these, so Kubernetes rejects them.
        return Resolved::kUnsupported;
      }
      break;
  }
  return Resolved::kString;
}

}  // namespace

// Resolves a plain scalar as go-yaml v2 does (YAML 1.1). Timestamps stay
// strings, as go-yaml v2 keeps them for interface{} targets.
Resolved ResolvePlain(absl::string_view in, json* out) {
  if (in.empty()) {
    *out = nullptr;
    return Resolved::kNull;
  }
  const char c = in[0];
  if (in.size() <= 5) {
    if (Resolved r = ResolveWord(in, out); r != Resolved::kString) return r;
  }
  if ((c >= '0' && c <= '9') || c == '+' || c == '-') {
    std::string plain;
    plain.reserve(in.size());
    for (char ch : in) {
      if (ch != '_') plain.push_back(ch);
    }
    if (ParseGoInt(plain, out)) return Resolved::kInt;
    if (IsYamlStyleFloat(plain)) {
      errno = 0;
      const double v = std::strtod(plain.c_str(), nullptr);
      if (!(errno == ERANGE && std::isinf(v))) {
        *out = FloatValue(v);
        return Resolved::kFloat;
      }
    }
  } else if (c == '.' && IsYamlStyleFloat(in)) {
    *out = FloatValue(std::strtod(std::string(in).c_str(), nullptr));
    return Resolved::kFloat;
  }
  *out = std::string(in);
  return Resolved::kString;
}

// A float map key as sigs.k8s.io/yaml writes it: strconv.FormatFloat(v, 'g',
// -1, 32) (shortest float32 digits; exponent form below 1e-4 and from 1e6),
// with infinities and NaN spelled as YAML spells them.
std::string GoFloatKey(double v) {
  const float f = static_cast<float>(v);
  if (std::isnan(f)) return ".nan";
  if (std::isinf(f)) return f > 0 ? ".inf" : "-.inf";
  char buf[64];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof(buf), f, std::chars_format::scientific);
  if (ec != std::errc()) return "0";
  const absl::string_view sci(buf, static_cast<size_t>(end - buf));
  const size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exp = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1),
                  sci.data() + sci.size(), exp);
  std::string out = sci[0] == '-' ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits[0];
    if (digits.size() > 1) absl::StrAppend(&out, ".", digits.substr(1));
    const int a = exp < 0 ? -exp : exp;
    absl::StrAppend(&out, exp < 0 ? "e-" : "e+", a < 10 ? "0" : "", a);
  } else if (exp < 0) {
    absl::StrAppend(&out, "0.", std::string(-exp - 1, '0'), digits);
  } else if (static_cast<int>(digits.size()) <= exp + 1) {
    absl::StrAppend(&out, digits, std::string(exp + 1 - digits.size(), '0'));
  } else {
    absl::StrAppend(&out, digits.substr(0, exp + 1), ".",
                    digits.substr(exp + 1));
  }
  return out;
}

// The key sigs.k8s.io/yaml makes of `.inf`, `-.inf` or `.nan`, which as
// values JSON cannot hold.
std::string InfinityOrNanKey(absl::string_view word) {
  if (word[0] == '-') return "-.inf";
  return word.size() == 4 && (word[1] == 'n' || word[1] == 'N') ? ".nan"
                                                                : ".inf";
}

}  // namespace decode_internal
}  // namespace svcenv
