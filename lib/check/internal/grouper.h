// lib/check/internal/grouper.h
//
// `GroupFindingsByOwner` (include/svcenv/check_grouping.h) fed one finding
// at a time, so that `Check` can group a container's findings as soon as
// they are produced: on a live dump the ~6,000 per-container findings then
// never exist together, only the ~300 groups they fold into (each holding
// its affected pods, its related objects once and its first member's
// message). The result is the same as grouping the whole list at the end.
//
// Thread-safety: one grouper per thread; `objects` must outlive it.
#ifndef SVCENV_LIB_CHECK_INTERNAL_GROUPER_H_
#define SVCENV_LIB_CHECK_INTERNAL_GROUPER_H_

#include <memory>
#include <vector>

#include "svcenv/check.h"
#include "svcenv/objects.h"

namespace svcenv::check_internal {

class FindingGrouper {
 public:
  explicit FindingGrouper(const Objects& objects);
  ~FindingGrouper();
  FindingGrouper(const FindingGrouper&) = delete;
  FindingGrouper& operator=(const FindingGrouper&) = delete;

  // The next finding, in report order: folded into its owner's group, or
  // kept as it is.
  void Add(Finding finding);

  // The grouped findings, each group where its first member was. Call once.
  std::vector<Finding> Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace svcenv::check_internal

#endif  // SVCENV_LIB_CHECK_INTERNAL_GROUPER_H_
