// unknown-field: a field of a container the API does not define, where a
// typo silently changes its environment (`valuefrom:`, `envfrom:`, a
// misspelt selector key). `svcenv env` warns about the same fields in the
// same words (container_analysis.h, DiagnosticKind::kUnknownField).
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/check/internal/context.h"
#include "lib/check/internal/rules.h"
#include "svcenv/check.h"
#include "svcenv/container_analysis.h"
#include "svcenv/objects.h"

namespace svcenv::check_internal {
namespace {

constexpr char kUnknownField[] = "unknown-field";

void CheckUnknownFields(const CheckContext& context, const Pod& pod,
                        const Container& container,
                        std::vector<Finding>* findings);

}  // namespace

extern const RuleRegistration kUnknownFieldRule;
const RuleRegistration kUnknownFieldRule = {
    kUnknownField, Severity::kError,
    "A container field the API does not define",
    "A typo in env, envFrom or valueFrom (`valuefrom:`, `configmapref:`): "
    "kubectl --validate=strict, kubectl apply's default, refuses the "
    "object; with --validate=false the API server drops the field, so the "
    "variable reaches the container empty or the envFrom entry reads "
    "nothing. Fix the spelling the message suggests.",
    /*check_spec=*/&CheckUnknownFields,
    /*check=*/nullptr};

namespace {

void CheckUnknownFields(const CheckContext& context, const Pod& pod,
                        const Container& container,
                        std::vector<Finding>* findings) {
  (void)context;
  for (const UnknownField& field : container.unknown_fields) {
    Finding f = MakeFinding(pod, container, kUnknownField, Severity::kError,
                            field.line);
    f.message = DescribeUnknownField(field, /*with_line=*/false);
    f.hint = field.suggestion.empty()
                 ? "remove the field, or move it where the API defines it"
                 : absl::StrCat("rename it to ", field.suggestion);
    findings->push_back(std::move(f));
  }
}

}  // namespace
}  // namespace svcenv::check_internal
