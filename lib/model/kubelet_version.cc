#include "svcenv/kubelet_version.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace svcenv {
namespace {

absl::Status Unsupported(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("unsupported kubelet version \"", what,
                   "\"; supported: ",
                   absl::StrJoin(KubeletVersion::Supported(), ", ")));
}

// Digits only: SimpleAtoi would also take "+3" or " 3".
bool ParseNumber(absl::string_view s, int* out) {
  if (s.empty() || s.size() > 4) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return absl::SimpleAtoi(s, out);
}

}  // namespace

absl::StatusOr<KubeletVersion> KubeletVersion::FromMinor(int minor) {
  if (minor < kOldestMinor || minor > kNewestMinor) {
    return Unsupported(absl::StrCat("1.", minor));
  }
  return KubeletVersion(minor);
}

absl::StatusOr<KubeletVersion> KubeletVersion::Parse(absl::string_view text) {
  absl::string_view v = text;
  absl::ConsumePrefix(&v, "v");
  std::vector<absl::string_view> parts = absl::StrSplit(v, '.');
  int major = 0, minor = 0, patch = 0;
  if (parts.size() < 2 || parts.size() > 3 || !ParseNumber(parts[0], &major) ||
      !ParseNumber(parts[1], &minor) ||
      (parts.size() == 3 && !ParseNumber(parts[2], &patch)) || major != 1 ||
      minor < kOldestMinor || minor > kNewestMinor) {
    return Unsupported(text);
  }
  return KubeletVersion(minor);
}

std::vector<std::string> KubeletVersion::Supported() {
  std::vector<std::string> out;
  for (int m = kOldestMinor; m <= kNewestMinor; ++m) {
    out.push_back(absl::StrCat("1.", m));
  }
  return out;
}

std::string KubeletVersion::ToString() const {
  return absl::StrCat("1.", minor_);
}

}  // namespace svcenv
