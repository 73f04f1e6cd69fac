// Suppressions: the `svcenv.io/ignore` annotation, disabled rules, ignore
// rules of the config file, and baselines (previous JSON or SARIF reports).
// Suppressed findings stay in the result, marked, so that reports can count
// them and SARIF can list them as suppressed.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "lib/check/internal/context.h"
#include "lib/check/internal/rules.h"
#include "nlohmann/json.hpp"
#include "svcenv/check.h"
#include "svcenv/objects.h"

namespace svcenv {
namespace {

// Whether an annotation map's `svcenv.io/ignore` lists `rule` (or `*`).
bool IgnoreListed(const std::map<std::string, std::string>& annotations,
                  absl::string_view rule) {
  auto it = annotations.find(kIgnoreAnnotation);
  if (it == annotations.end()) return false;
  for (absl::string_view id : absl::StrSplit(it->second, ',')) {
    id = absl::StripAsciiWhitespace(id);
    if (id == "*" || id == rule) return true;
  }
  return false;
}

bool FieldMatches(const std::string& want, const std::string& got) {
  return want.empty() || want == "*" || want == got;
}

std::string Fingerprint(absl::string_view rule, absl::string_view kind,
                        absl::string_view ns, absl::string_view name,
                        absl::string_view container,
                        absl::string_view variable) {
  return absl::StrCat(rule, ":", kind, "/", ns, "/", name, "/", container, ":",
                      variable);
}

std::string StringAt(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

absl::string_view SuppressionKindName(SuppressionKind kind) {
  switch (kind) {
    case SuppressionKind::kNone:
      return "";
    case SuppressionKind::kAnnotation:
      return "annotation";
    case SuppressionKind::kDisabled:
      return "disabled";
    case SuppressionKind::kConfig:
      return "config";
    case SuppressionKind::kBaseline:
      return "baseline";
  }
  return "";
}

std::string FindingFingerprint(const Finding& f) {
  return Fingerprint(f.rule_id, f.workload_kind, f.namespace_name,
                     f.workload_name, f.container, f.variable);
}

int CheckResult::CountSuppressed(SuppressionKind kind) const {
  int n = 0;
  for (const Finding& f : findings) n += f.suppression == kind;
  return n;
}

absl::StatusOr<std::set<std::string>> ReadBaseline(
    absl::string_view text, absl::string_view file_name) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  std::set<std::string> out;
  if (doc.is_object() && doc.contains("runs") && doc["runs"].is_array()) {
    for (const auto& run : doc["runs"]) {
      if (!run.is_object() || !run.contains("results")) continue;
      for (const auto& result : run["results"]) {
        if (!result.is_object()) continue;
        auto fp = result.find("partialFingerprints");
        if (fp == result.end() || !fp->is_object()) continue;
        const std::string id = StringAt(*fp, "svcenvFinding/v1");
        if (!id.empty()) out.insert(id);
      }
    }
    return out;
  }
  if (doc.is_object() && doc.contains("findings") &&
      doc["findings"].is_array()) {
    for (const auto& f : doc["findings"]) {
      if (!f.is_object()) continue;
      const nlohmann::json workload =
          f.contains("workload") ? f["workload"] : nlohmann::json::object();
      if (!workload.is_object()) continue;
      out.insert(Fingerprint(StringAt(f, "ruleId"), StringAt(workload, "kind"),
                             StringAt(workload, "namespace"),
                             StringAt(workload, "name"),
                             StringAt(f, "container"), StringAt(f, "variable")));
    }
    return out;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      file_name,
      ": not a svcenv check report (want the output of -o json or -o sarif)"));
}

void ApplyBaseline(const std::set<std::string>& baseline,
                   absl::string_view source, CheckResult* result) {
  result->baseline_applied = true;
  for (Finding& f : result->findings) {
    if (f.suppression != SuppressionKind::kNone) continue;
    if (baseline.count(FindingFingerprint(f)) == 0) continue;
    f.suppression = SuppressionKind::kBaseline;
    f.suppression_reason = absl::StrCat("in the baseline ", source);
  }
}

namespace check_internal {

void Suppress(const CheckContext& context, const Pod& pod, Finding* f) {
  const CheckOptions& options = context.options();
  if (options.disabled_rules.count(f->rule_id) > 0) {
    f->suppression = SuppressionKind::kDisabled;
    f->suppression_reason = absl::StrCat("rule ", f->rule_id, " is disabled");
    return;
  }
  const std::string workload =
      absl::StrCat(f->workload_kind, " ", f->namespace_name, "/",
                   f->workload_name);
  if (IgnoreListed(pod.workload_annotations, f->rule_id)) {
    f->suppression = SuppressionKind::kAnnotation;
    f->suppression_reason =
        absl::StrCat(kIgnoreAnnotation, " on ", workload);
    return;
  }
  if (IgnoreListed(pod.meta.annotations, f->rule_id)) {
    f->suppression = SuppressionKind::kAnnotation;
    f->suppression_reason = absl::StrCat(kIgnoreAnnotation,
                                         " on the pod template of ", workload);
    return;
  }
  bool every_service = false;
  std::vector<std::string> names;
  for (const RelatedObject& r : f->related) {
    if (r.kind != "Service") continue;
    const Service* service = context.FindService(r.namespace_name, r.name);
    every_service = service != nullptr &&
                    IgnoreListed(service->meta.annotations, f->rule_id);
    if (!every_service) break;
    names.push_back(absl::StrCat(r.namespace_name, "/", r.name));
  }
  if (every_service) {
    f->suppression = SuppressionKind::kAnnotation;
    f->suppression_reason =
        absl::StrCat(kIgnoreAnnotation, " on Service ",
                     absl::StrJoin(names, ", Service "));
    return;
  }
  for (const IgnoreRule& rule : options.ignores) {
    if (FieldMatches(rule.rule, f->rule_id) &&
        FieldMatches(rule.namespace_name, f->namespace_name) &&
        FieldMatches(rule.workload, f->workload_name) &&
        FieldMatches(rule.container, f->container) &&
        FieldMatches(rule.variable, f->variable)) {
      f->suppression = SuppressionKind::kConfig;
      f->suppression_reason =
          rule.reason.empty()
              ? absl::StrCat("ignored by ", options.ignores_source.empty()
                                                ? std::string("the config")
                                                : options.ignores_source)
              : rule.reason;
      return;
    }
  }
}

}  // namespace check_internal
}  // namespace svcenv
