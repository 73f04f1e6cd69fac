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
//   sarif  One run whose driver lists every rule of `CheckRules()`; each
//          result has ruleId, ruleIndex, level (error, warning or note),
//          message.text and a physical location (startLine 1 when the line
//          is unknown).
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

// The SARIF 2.1.0 log (pretty-printed, ending with a newline).
// `tool_version` goes to `runs[0].tool.driver.version` when not empty.
std::string RenderCheckSarif(const CheckResult& result,
                             absl::string_view tool_version);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_CHECK_REPORT_H_
