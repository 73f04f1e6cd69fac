// Where an object falls in the apply order of `kubectl apply`, Helm or
// Argo CD (manifest mode of `svcenv check`).
//
// Objects of one step (`phase`, `wave`) go to the API server in one batch,
// milliseconds apart: one `kubectl apply`, Helm's main manifest or one hook
// weight, one Argo CD sync wave. A later step starts only after the earlier
// one is applied (Helm waits for its hooks, Argo CD for a wave's health), so
// ordering across steps is real and within a step a race.
//
//   kubectl  every object in one step, in `Origin::sequence` order.
//   helm     `helm.sh/hook` pre-install/pre-upgrade: phase -1,
//            post-install/post-upgrade: phase 1, any other hook (test,
//            rollback, delete): phase 2, not part of an install; hooks by
//            `helm.sh/hook-weight`, then kind; the main manifest (phase 0)
//            by Helm's InstallOrder of kinds.
//   argocd   gitops-engine pkg/sync: phase from `argocd.argoproj.io/hook`
//            (PreSync -1, Sync 0, PostSync 1, SyncFail 2), else from Helm's
//            install/upgrade hooks (pre-: PreSync, post-: PostSync); wave
//            from `argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`
//            (0 when absent or not an integer); then Argo CD's kind order
//            (unknown kinds last). An object in several phases counts at
//            its first.
//
// The kind orders of both tools live in check_apply_order.cc: Helm's
// InstallOrder (public as HelmInstallRank, svcenv/check.h) and Argo CD's
// kindOrder (ArgoCdKindRank below).
//
// Thread-safe: pure functions.
#ifndef SVCENV_LIB_CHECK_INTERNAL_APPLY_ORDER_H_
#define SVCENV_LIB_CHECK_INTERNAL_APPLY_ORDER_H_

#include <map>
#include <string>
#include <tuple>

#include "absl/strings/string_view.h"
#include "svcenv/check.h"
#include "svcenv/objects.h"

namespace svcenv::check_internal {

struct ApplyPosition {
  int phase = 0;  // Hooks before (-1) and after (1, 2) the main manifest.
  int wave = 0;   // Sync wave or hook weight.
  int kind = 0;   // Rank of the kind inside a step (Helm, Argo CD).
  int sequence = 0;

  bool SameStep(const ApplyPosition& other) const {
    return phase == other.phase && wave == other.wave;
  }
  bool operator<(const ApplyPosition& other) const {
    return std::tie(phase, wave, kind, sequence) <
           std::tie(other.phase, other.wave, other.kind, other.sequence);
  }
};

// The position of an object of `kind` with `annotations` (a workload's own
// metadata.annotations, not its pod template's).
ApplyPosition ApplyPositionOf(
    ApplyOrder order, absl::string_view kind,
    const std::map<std::string, std::string>& annotations,
    const Origin& origin);

// The position of `kind` in gitops-engine's kindOrder; unknown kinds come
// after every known one.
int ArgoCdKindRank(absl::string_view kind);

// The position of `kind` in Helm's InstallOrder
// (`helm/helm pkg/release/v1/util/kind_sorter.go`); unknown kinds come after
// every known one.
int HelmInstallRank(absl::string_view kind);

}  // namespace svcenv::check_internal

#endif  // SVCENV_LIB_CHECK_INTERNAL_APPLY_ORDER_H_
