#include "lib/check/internal/apply_order.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "svcenv/check.h"

namespace svcenv::check_internal {
namespace {

constexpr char kArgoHook[] = "argocd.argoproj.io/hook";
constexpr char kArgoWave[] = "argocd.argoproj.io/sync-wave";
constexpr char kHelmHook[] = "helm.sh/hook";
constexpr char kHelmWeight[] = "helm.sh/hook-weight";

// helm/helm pkg/release/v1/util/kind_sorter.go `InstallOrder` (Helm 4; Helm
// 3's pkg/releaseutil list is the same without PriorityClass, IngressClass
// and the webhook configurations, which do not change relative order).
constexpr absl::string_view kHelmInstallOrder[] = {
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
};

// argoproj/gitops-engine pkg/sync/sync_tasks.go `kindOrder` (newest: with
// IngressClass).
constexpr absl::string_view kArgoCdKindOrder[] = {
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
};

// The index of `kind` in `order`; unknown kinds come after every known one.
template <size_t N>
int RankIn(const absl::string_view (&order)[N], absl::string_view kind) {
  for (size_t i = 0; i < N; ++i) {
    if (order[i] == kind) return static_cast<int>(i);
  }
  return static_cast<int>(N);
}

// Go's strconv.Atoi: an optional sign and decimal digits, nothing else.
std::optional<int> Atoi(absl::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)))
      return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

// A comma-separated annotation, each value trimmed (GetAnnotationCSVs).
std::vector<std::string> Csv(
    const std::map<std::string, std::string>& annotations, const char* key) {
  std::vector<std::string> out;
  auto it = annotations.find(key);
  if (it == annotations.end()) return out;
  for (absl::string_view part : absl::StrSplit(it->second, ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (!part.empty()) out.emplace_back(part);
  }
  return out;
}

int Annotation(const std::map<std::string, std::string>& annotations,
               const char* key, int otherwise) {
  auto it = annotations.find(key);
  if (it == annotations.end()) return otherwise;
  return Atoi(it->second).value_or(otherwise);
}

// Helm's install/upgrade hook phase: -1 pre, 1 post, 2 another hook (not
// run by an install), nullopt when not a hook.
std::optional<int> HelmHookPhase(
    const std::map<std::string, std::string>& annotations,
    bool install_hooks_only) {
  const std::vector<std::string> hooks = Csv(annotations, kHelmHook);
  std::optional<int> phase;
  bool other = false;
  for (const std::string& hook : hooks) {
    int p = 0;
    if (hook == "pre-install" || hook == "pre-upgrade") {
      p = -1;
    } else if (hook == "post-install" || hook == "post-upgrade") {
      p = 1;
    } else {
      other = true;
      continue;
    }
    phase = phase.has_value() ? std::min(*phase, p) : p;
  }
  if (!phase.has_value() && other && !install_hooks_only) phase = 2;
  return phase;
}

}  // namespace

int ArgoCdKindRank(absl::string_view kind) {
  return RankIn(kArgoCdKindOrder, kind);
}

ApplyPosition ApplyPositionOf(
    ApplyOrder order, absl::string_view kind,
    const std::map<std::string, std::string>& annotations,
    const Origin& origin) {
  ApplyPosition position;
  position.sequence = origin.sequence;
  switch (order) {
    case ApplyOrder::kKubectl:
      break;
    case ApplyOrder::kHelm: {
      position.kind = HelmInstallRank(kind);
      std::optional<int> hook =
          HelmHookPhase(annotations, /*install_hooks_only=*/false);
      if (hook.has_value()) {
        position.phase = *hook;
        position.wave = Annotation(annotations, kHelmWeight, 0);
      }
      break;
    }
    case ApplyOrder::kArgoCd: {
      position.kind = ArgoCdKindRank(kind);
      // Argo CD's own hooks; Helm's only when there are none.
      std::optional<int> phase;
      for (const std::string& hook : Csv(annotations, kArgoHook)) {
        int p = 0;
        if (hook == "PreSync") {
          p = -1;
        } else if (hook == "Sync") {
          p = 0;
        } else if (hook == "PostSync") {
          p = 1;
        } else if (hook == "SyncFail") {
          p = 2;
        } else {
          continue;  // Skip, PostDelete, unknown.
        }
        phase = phase.has_value() ? std::min(*phase, p) : p;
      }
      if (!phase.has_value())
        phase = HelmHookPhase(annotations, /*install_hooks_only=*/true);
      position.phase = phase.value_or(0);
      position.wave = Annotation(annotations, kArgoWave,
                                 Annotation(annotations, kHelmWeight, 0));
      break;
    }
  }
  return position;
}

int HelmInstallRank(absl::string_view kind) {
  return RankIn(kHelmInstallOrder, kind);
}

}  // namespace svcenv::check_internal
