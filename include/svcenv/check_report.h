// include/svcenv/check_report.h
//
// Renders a `CheckResult` (see check.h) as text for people, JSON for
// scripts, or SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//
//   text   One finding per line,
//            `FILE:LINE: SEVERITY RULE: WORKLOAD, container C: MESSAGE (fix:
//            HINT)`
//          then one summary line.
//   json   {"schemaVersion": 1, "findings": [...], "summary": {...}}; the
//          schema is documented in docs/check.md and only grows.
//   github GitHub Actions annotations (workflow commands), see below.
//   sarif  One run whose driver lists every rule of `CheckRules()`; each
//          result has ruleId, ruleIndex, level (error, warning or note),
//          message.text and a physical location (startLine 1 when the line
//          is unknown).
//
// Objects rendered from a Helm chart (`Origin::helm_source`) point at their
// template: text `TEMPLATE (FILE:LINE): ...`, JSON `location.template`, SARIF
// the template as the location and the rendered file and line as a related
// location.
//
// Suppressed findings (check.h `SuppressionKind`) are not printed by the
// text report but counted in its summary line; baseline findings are
// printed marked "(baseline)". JSON lists them with a `suppression` object.
//
// Functions here are thread-safe.
//
// Example:
//   std::cout << svcenv::RenderCheckText(svcenv::Check(objects, {}, {}));
#ifndef SVCENV_INCLUDE_SVCENV_CHECK_REPORT_H_
#define SVCENV_INCLUDE_SVCENV_CHECK_REPORT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "svcenv/check.h"

namespace svcenv {

// The text report, ending with a newline.
std::string RenderCheckText(const CheckResult& result);

// The JSON report (pretty-printed, ending with a newline). `fail_on` is
// recorded with whether the result fails it; invalid UTF-8 is replaced.
std::string RenderCheckJson(const CheckResult& result, Severity fail_on,
                            bool fail_on_never);

// Where svcenv documents itself: SARIF `informationUri`, and each rule's
// `helpUri` (`kCheckDocsUri#rule-id`).
inline constexpr char kSvcenvInformationUri[] =
    "https://github.com/svcenv/svcenv";
inline constexpr char kCheckDocsUri[] =
    "https://github.com/svcenv/svcenv/blob/main/docs/check.md";

struct SarifOptions {
  std::string tool_version;  // `driver.version` when not empty.
  // When set (absolute), files under it are written relative to it with
  // `uriBaseId` "SRCROOT"; relative file names are taken relative to
  // `working_directory` (absolute). Files elsewhere keep their name.
  std::string repository_root;
  std::string working_directory;
};

// GitHub Actions workflow commands, one a finding:
//   ::error file=PATH,line=N,title=svcenv RULE::WORKLOAD: MESSAGE (fix: HINT)
// (`warning`; `notice` for info), then the text report's summary line.
// Paths as in SARIF but without a base: relative to `repository_root`
// (GitHub's workspace) when under it; a Helm template as the file with no
// line (the message names the rendered line); standard input with no file.
// Suppressed and baseline findings are counted in the summary only. Data is
// escaped as GitHub's toolkit does (`%`, CR, LF; in properties also `:` and
// `,`).
std::string RenderCheckGithub(const CheckResult& result,
                              const SarifOptions& options);

// Helm's `# Source: mychart/templates/web.yaml` names a template by its
// chart's name, not by where the chart is. Rewrites every
// `Origin::helm_source` of `result` (findings, related objects, pods) to the
// first of these that is a file, relative to `working_directory` (absolute)
// when under it: `working_directory/S`, `S` beside the rendered file,
// `repository_root/S`, `repository_root/charts/S`. A source none of them
// holds is left as written. Reads the file system (existence only).
void LocateHelmTemplates(const std::string& working_directory,
                         const std::string& repository_root,
                         CheckResult* result);

// The SARIF 2.1.0 log (pretty-printed, ending with a newline). Standard
// input ("-") is the artifact "stdin", described as such. Suppressed
// findings carry `suppressions` (annotation: inSource; config, disabled:
// external); with a baseline every result has `baselineState`.
std::string RenderCheckSarif(const CheckResult& result,
                             const SarifOptions& options);

// As above with only the tool version.
std::string RenderCheckSarif(const CheckResult& result,
                             absl::string_view tool_version);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_CHECK_REPORT_H_
