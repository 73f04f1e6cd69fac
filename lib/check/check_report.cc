#include "svcenv/check_report.h"

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "svcenv/check.h"

namespace svcenv {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kSarifSchema[] = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr char kSrcRoot[] = "SRCROOT";

// `path` (relative to `cwd`, or absolute) relative to `root`, lexically;
// nullopt when it is not under `root`.
std::optional<std::string> RelativeToRoot(const std::string& path,
                                          const std::string& cwd,
                                          const std::string& root) {
  namespace fs = std::filesystem;
  fs::path absolute = fs::path(path);
  if (absolute.is_relative()) absolute = fs::path(cwd) / absolute;
  absolute = absolute.lexically_normal();
  const fs::path relative =
      absolute.lexically_relative(fs::path(root).lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative.generic_string();
}

std::string RenderedLocation(const Origin& origin) {
  const std::string file = origin.file.empty() ? "<unknown>" : origin.file;
  if (origin.line > 0) return absl::StrCat(file, ":", origin.line);
  return file;
}

// The Helm template first when known (that is what a person edits), the
// rendered file and line after it.
std::string Location(const Origin& origin) {
  if (origin.helm_source.empty()) return RenderedLocation(origin);
  return absl::StrCat(origin.helm_source, " (", RenderedLocation(origin), ")");
}

std::string Subject(const Finding& f) {
  std::string out = absl::StrCat(f.workload_kind, " ", f.namespace_name, "/",
                                 f.workload_name);
  if (!f.container.empty()) absl::StrAppend(&out, ", container ", f.container);
  return out;
}

std::string Dump(const Json& doc) {
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Json OriginJson(const Origin& origin) {
  Json out;
  out["file"] = origin.file;
  out["document"] = origin.document;
  out["line"] = origin.line;
  if (origin.item >= 0) out["item"] = origin.item;
  if (!origin.helm_source.empty()) out["template"] = origin.helm_source;
  return out;
}

// An RFC 3986 relative reference for a file path: unreserved bytes and `/`
// stay, everything else is percent-encoded.
std::string FileUri(absl::string_view path) {
  std::string out;
  for (char c : path) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(u) || c == '/' || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(c);
    } else {
      absl::StrAppendFormat(&out, "%%%02X", u);
    }
  }
  return out;
}

// What to do first: the owners whose pods lack Services created after they
// started (findings grouped by owner, check_grouping.h), one line each.
std::string RestartList(const CheckResult& result) {
  std::vector<const Finding*> late;
  for (const Finding& f : result.findings) {
    if (f.rule_id == "service-after-start" && !f.pods.empty())
      late.push_back(&f);
  }
  if (late.empty()) return "";
  std::string out = absl::StrCat(
      "To do: ", late.size(), late.size() == 1 ? " workload's" : " workloads'",
      " pods started before Services they lack existed; restart or recreate "
      "them:\n");
  for (const Finding* f : late) {
    absl::StrAppend(&out, "  ", absl::AsciiStrToLower(f->workload_kind), "/",
                    f->workload_name, " -n ", f->namespace_name, " (",
                    f->pods.size(), f->pods.size() == 1 ? " pod)\n" : " pods)\n");
  }
  out.push_back('\n');
  return out;
}

}  // namespace

void LocateHelmTemplates(const std::string& working_directory,
                         const std::string& repository_root,
                         CheckResult* result) {
  namespace fs = std::filesystem;
  std::map<std::pair<std::string, std::string>, std::string> located;
  auto locate = [&](Origin& origin) {
    if (origin.helm_source.empty()) return;
    const fs::path source(origin.helm_source);
    if (source.is_absolute()) return;
    const fs::path cwd(working_directory);
    fs::path rendered_dir = fs::path(origin.file).parent_path();
    if (origin.file == "-") rendered_dir.clear();
    if (rendered_dir.is_relative()) rendered_dir = cwd / rendered_dir;
    const auto key = std::make_pair(origin.helm_source, rendered_dir.string());
    auto it = located.find(key);
    if (it == located.end()) {
      std::string found = origin.helm_source;
      bool is_file = false;
      std::vector<fs::path> candidates = {cwd / source, rendered_dir / source};
      if (!repository_root.empty()) {
        candidates.push_back(fs::path(repository_root) / source);
        candidates.push_back(fs::path(repository_root) / "charts" / source);
      }
      std::error_code error;
      for (const fs::path& candidate : candidates) {
        if (!fs::is_regular_file(candidate, error)) continue;
        is_file = true;
        const fs::path normal = candidate.lexically_normal();
        const fs::path relative = normal.lexically_relative(cwd);
        found = (!relative.empty() && *relative.begin() != "..")
                    ? relative.generic_string()
                    : normal.generic_string();
        break;
      }
      if (is_file) result->located_helm_templates.insert(found);
      it = located.emplace(key, std::move(found)).first;
    }
    origin.helm_source = it->second;
  };
  for (Finding& f : result->findings) {
    locate(f.origin);
    for (RelatedObject& r : f.related) locate(r.origin);
    for (AffectedPod& p : f.pods) locate(p.origin);
  }
}

namespace {
// The summary line of the text report, without a newline.
std::string SummaryLine(const CheckResult& result);
}  // namespace

// GitHub's toolkit escaping (actions/toolkit packages/core/src/command.ts):
// a command's data escapes `%`, CR and LF; a property value also `:` and `,`.
std::string EscapeGithubData(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string EscapeGithubProperty(absl::string_view text) {
  std::string out;
  for (char c : EscapeGithubData(text)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string RenderCheckGithub(const CheckResult& result,
                              const SarifOptions& options) {
  std::string out;
  auto path_of = [&](const std::string& file) {
    if (options.repository_root.empty()) return file;
    return RelativeToRoot(file, options.working_directory,
                          options.repository_root)
        .value_or(file);
  };
  for (const Finding& f : result.findings) {
    if (f.suppression != SuppressionKind::kNone) continue;
    const char* command = f.severity == Severity::kError     ? "error"
                          : f.severity == Severity::kWarning ? "warning"
                                                             : "notice";
    std::vector<std::string> properties;
    // A template GitHub can open (found in the repository), else the
    // rendered file and line; the message names both.
    if (!f.origin.helm_source.empty() &&
        result.located_helm_templates.count(f.origin.helm_source) > 0) {
      properties.push_back(
          absl::StrCat("file=", EscapeGithubProperty(path_of(f.origin.helm_source))));
    } else if (!f.origin.file.empty() && f.origin.file != "-") {
      properties.push_back(
          absl::StrCat("file=", EscapeGithubProperty(path_of(f.origin.file))));
      if (f.origin.line > 0)
        properties.push_back(absl::StrCat("line=", f.origin.line));
    }
    properties.push_back(
        absl::StrCat("title=", EscapeGithubProperty(
                                   absl::StrCat("svcenv ", f.rule_id))));
    std::string message = absl::StrCat(Subject(f), ": ", f.message);
    if (!f.hint.empty()) absl::StrAppend(&message, " (fix: ", f.hint, ")");
    if (!f.origin.helm_source.empty() || f.origin.file == "-") {
      absl::StrAppend(&message, " [", RenderedLocation(f.origin), "]");
    }
    absl::StrAppend(&out, "::", command, " ", absl::StrJoin(properties, ","),
                    "::", EscapeGithubData(message), "\n");
  }
  absl::StrAppend(&out, SummaryLine(result), "\n");
  return out;
}

std::string RenderCheckText(const CheckResult& result) {
  std::string out = RestartList(result);
  for (const Finding& f : result.findings) {
    const bool baseline = f.suppression == SuppressionKind::kBaseline;
    if (f.suppression != SuppressionKind::kNone && !baseline) continue;
    absl::StrAppend(&out, Location(f.origin), ": ", SeverityName(f.severity),
                    " ", f.rule_id, baseline ? " (baseline)" : "", ": ",
                    Subject(f), ": ", f.message);
    if (!f.hint.empty()) absl::StrAppend(&out, " (fix: ", f.hint, ")");
    out.push_back('\n');
    if (!f.example_pod.empty()) {
      absl::StrAppend(&out, "  e.g. pod ", f.example_pod, ": ",
                      f.example_message, "\n");
    }
  }
  absl::StrAppend(&out, SummaryLine(result));
  out.push_back('\n');
  return out;
}

namespace {
std::string SummaryLine(const CheckResult& result) {
  std::string out;
  int counts[3] = {0, 0, 0};
  int active = 0;
  for (const Finding& f : result.findings) {
    if (f.suppression != SuppressionKind::kNone) continue;
    ++counts[static_cast<int>(f.severity)];
    ++active;
  }
  const std::string scope = absl::StrCat(
      result.containers, result.containers == 1 ? " container" : " containers",
      " of ", result.workloads,
      result.workloads == 1 ? " workload" : " workloads", ", ", result.services,
      result.services == 1 ? " Service" : " Services");
  if (active == 0) {
    absl::StrAppend(&out, "no findings in ", scope);
  } else {
    absl::StrAppend(&out, active, active == 1 ? " finding" : " findings", " (",
                    counts[2], counts[2] == 1 ? " error, " : " errors, ",
                    counts[1], counts[1] == 1 ? " warning, " : " warnings, ",
                    counts[0], " info) in ", scope);
  }
  // Suppressed findings are counted, never silently dropped.
  std::vector<std::string> suppressed;
  int total = 0;
  for (SuppressionKind kind :
       {SuppressionKind::kAnnotation, SuppressionKind::kConfig,
        SuppressionKind::kDisabled}) {
    const int n = result.CountSuppressed(kind);
    if (n == 0) continue;
    total += n;
    suppressed.push_back(absl::StrCat(
        n, kind == SuppressionKind::kAnnotation ? " by annotation"
           : kind == SuppressionKind::kConfig   ? " by the config"
                                                : " of disabled rules"));
  }
  if (total > 0) {
    absl::StrAppend(&out, "; ", total, " suppressed (",
                    absl::StrJoin(suppressed, ", "), ")");
  }
  const int baseline = result.CountSuppressed(SuppressionKind::kBaseline);
  if (result.baseline_applied) {
    absl::StrAppend(&out, "; ", baseline, " in the baseline");
  }
  if (!result.hidden_severities.empty()) {
    absl::StrAppend(&out, "; ", result.hidden_severities.size(), " below ",
                    SeverityName(result.shown_severity),
                    " not shown (--severity)");
  }
  return out;
}
}  // namespace

std::string RenderCheckJson(const CheckResult& result, Severity fail_on,
                            bool fail_on_never) {
  Json doc;
  doc["schemaVersion"] = 1;
  doc["findings"] = Json::array();
  int counts[3] = {0, 0, 0};
  for (const Finding& f : result.findings) {
    if (f.suppression == SuppressionKind::kNone)
      ++counts[static_cast<int>(f.severity)];
    Json item;
    item["ruleId"] = f.rule_id;
    item["severity"] = std::string(SeverityName(f.severity));
    item["message"] = f.message;
    item["hint"] = f.hint;
    item["location"] = OriginJson(f.origin);
    item["workload"] = {{"kind", f.workload_kind},
                        {"namespace", f.namespace_name},
                        {"name", f.workload_name}};
    item["container"] = f.container;
    item["variable"] = f.variable;
    item["related"] = Json::array();
    for (const RelatedObject& r : f.related) {
      Json related;
      related["kind"] = r.kind;
      related["namespace"] = r.namespace_name;
      related["name"] = r.name;
      related["location"] = OriginJson(r.origin);
      item["related"].push_back(std::move(related));
    }
    if (f.suppression != SuppressionKind::kNone) {
      item["suppression"] = {
          {"kind", std::string(SuppressionKindName(f.suppression))},
          {"reason", f.suppression_reason}};
    }
    if (!f.pods.empty()) {  // Grouped by owner.
      item["affected"] = {{"pods", f.pods.size()},
                          {"containers", f.affected_containers},
                          {"ownerPods", f.owner_pods}};
      item["example"] = {{"pod", f.example_pod},
                         {"message", f.example_message}};
      Json pods = Json::array();
      for (const AffectedPod& p : f.pods) {
        pods.push_back({{"name", p.name},
                        {"containers", p.containers},
                        {"location", OriginJson(p.origin)}});
      }
      item["pods"] = std::move(pods);
    }
    doc["findings"].push_back(std::move(item));
  }
  Json summary;
  summary["errors"] = counts[2];
  summary["warnings"] = counts[1];
  summary["infos"] = counts[0];
  summary["workloads"] = result.workloads;
  summary["containers"] = result.containers;
  summary["services"] = result.services;
  summary["suppressed"] = static_cast<int>(result.findings.size()) -
                          counts[0] - counts[1] - counts[2] -
                          result.CountSuppressed(SuppressionKind::kBaseline);
  summary["baseline"] = result.CountSuppressed(SuppressionKind::kBaseline);
  summary["failOn"] =
      fail_on_never ? std::string("never") : std::string(SeverityName(fail_on));
  // Findings --severity left out (only then): counted here and in `failed`.
  if (!result.hidden_severities.empty())
    summary["hidden"] = result.hidden_severities.size();
  summary["failed"] = !fail_on_never && result.CountAtLeast(fail_on) > 0;
  doc["summary"] = std::move(summary);
  return Dump(doc);
}

std::string RenderCheckSarif(const CheckResult& result,
                             absl::string_view tool_version) {
  SarifOptions options;
  options.tool_version = std::string(tool_version);
  return RenderCheckSarif(result, options);
}

std::string RenderCheckSarif(const CheckResult& result,
                             const SarifOptions& options) {
  const std::vector<CheckRule>& rules = CheckRules();
  Json driver;
  driver["name"] = "svcenv";
  if (!options.tool_version.empty())
    driver["version"] = options.tool_version;
  driver["informationUri"] = kSvcenvInformationUri;
  driver["rules"] = Json::array();
  for (const CheckRule& rule : rules) {
    Json r;
    r["id"] = rule.id;
    r["name"] = rule.id;
    r["shortDescription"] = {{"text", rule.summary}};
    r["fullDescription"] = {{"text", rule.description}};
    r["help"] = {{"text", rule.description}};
    r["helpUri"] = absl::StrCat(kCheckDocsUri, "#", rule.id);
    r["defaultConfiguration"] = {
        {"level", rule.severity == Severity::kInfo
                      ? "note"
                      : std::string(SeverityName(rule.severity))}};
    driver["rules"].push_back(std::move(r));
  }
  const bool rooted = !options.repository_root.empty();
  auto artifact = [&](const std::string& file) {
    Json out;
    if (file == "-") {
      out["uri"] = "stdin";
      out["description"] = {{"text", "standard input"}};
      return out;
    }
    const std::string path = file.empty() ? "unknown" : file;
    if (rooted) {
      std::optional<std::string> relative = RelativeToRoot(
          path, options.working_directory, options.repository_root);
      if (relative.has_value()) {
        out["uri"] = FileUri(*relative);
        out["uriBaseId"] = kSrcRoot;
        return out;
      }
    }
    out["uri"] = FileUri(path);
    return out;
  };
  // The rendered file and line.
  auto rendered_location = [&](const Origin& origin) {
    Json physical;
    physical["artifactLocation"] = artifact(origin.file);
    physical["region"] = {{"startLine", origin.line > 0 ? origin.line : 1}};
    return physical;
  };
  // The Helm template when known (its line is unknown: the template's
  // first), else the rendered file and line.
  // A template is a location only where it was found in the repository:
  // a SARIF viewer opens the path.
  auto template_located = [&](const Origin& origin) {
    return !origin.helm_source.empty() &&
           result.located_helm_templates.count(origin.helm_source) > 0;
  };
  auto physical_location = [&](const Origin& origin) {
    if (!template_located(origin)) return rendered_location(origin);
    Json physical;
    physical["artifactLocation"] = artifact(origin.helm_source);
    physical["region"] = {{"startLine", 1}};
    return physical;
  };
  // For an object rendered from a Helm template: where it was rendered.
  auto add_rendered = [&](const Origin& origin, absl::string_view what,
                          Json* related) {
    if (!template_located(origin) || origin.file.empty()) return;
    Json l;
    l["id"] = static_cast<int>(related->size());
    l["physicalLocation"] = rendered_location(origin);
    l["message"] = {{"text", absl::StrCat(what, " as rendered from ",
                                          origin.helm_source)}};
    related->push_back(std::move(l));
  };
  Json results = Json::array();
  for (const Finding& f : result.findings) {
    Json r;
    r["ruleId"] = f.rule_id;
    for (size_t i = 0; i < rules.size(); ++i) {
      if (rules[i].id == f.rule_id) r["ruleIndex"] = i;
    }
    r["level"] = f.severity == Severity::kInfo
                     ? std::string("note")
                     : std::string(SeverityName(f.severity));
    std::string text = absl::StrCat(Subject(f), ": ", f.message);
    if (!f.hint.empty()) absl::StrAppend(&text, ". Fix: ", f.hint, ".");
    if (!f.origin.helm_source.empty() && !template_located(f.origin)) {
      absl::StrAppend(&text, " (Rendered from the Helm template ",
                      f.origin.helm_source, ".)");
    }
    r["message"] = {{"text", text}};
    Json location;
    location["physicalLocation"] = physical_location(f.origin);
    location["logicalLocations"] = Json::array(
        {{{"kind", "resource"},
          {"fullyQualifiedName",
           absl::StrCat(f.workload_kind, "/", f.namespace_name, "/",
                        f.workload_name,
                        f.container.empty() ? "" : "/" + f.container)}}});
    r["locations"] = Json::array({std::move(location)});
    Json related = Json::array();
    add_rendered(f.origin,
                 absl::StrCat(f.workload_kind, " ", f.namespace_name, "/",
                              f.workload_name),
                 &related);
    for (const RelatedObject& object : f.related) {
      if (object.origin.file.empty()) continue;  // Assumed.
      Json l;
      l["id"] = static_cast<int>(related.size());
      l["physicalLocation"] = physical_location(object.origin);
      l["message"] = {
          {"text", absl::StrCat(object.kind, " ", object.namespace_name,
                                object.namespace_name.empty() ? "" : "/",
                                object.name)}};
      related.push_back(std::move(l));
      add_rendered(object.origin,
                   absl::StrCat(object.kind, " ", object.namespace_name, "/",
                                object.name),
                   &related);
    }
    if (!f.pods.empty()) {  // Grouped by owner: every pod stays reachable.
      for (const AffectedPod& p : f.pods) {
        Json pod;
        pod["id"] = static_cast<int>(related.size());
        pod["physicalLocation"] = physical_location(p.origin);
        pod["logicalLocations"] = Json::array(
            {{{"kind", "resource"},
              {"fullyQualifiedName",
               absl::StrCat("Pod/", f.namespace_name, "/", p.name)}}});
        pod["message"] = {
            {"text", absl::StrCat("pod ", p.name, ", containers ",
                                  absl::StrJoin(p.containers, ", "))}};
        related.push_back(std::move(pod));
      }
      r["properties"] = {{"affectedPods", f.pods.size()},
                         {"affectedContainers", f.affected_containers},
                         {"examplePod", f.example_pod},
                         {"exampleMessage", f.example_message}};
    }
    if (!related.empty()) r["relatedLocations"] = std::move(related);
    // Stable across runs that add unrelated lines.
    r["partialFingerprints"] = {{"svcenvFinding/v1", FindingFingerprint(f)}};
    if (result.baseline_applied) {
      r["baselineState"] =
          f.suppression == SuppressionKind::kBaseline ? "unchanged" : "new";
    }
    if (f.suppression != SuppressionKind::kNone &&
        f.suppression != SuppressionKind::kBaseline) {
      r["suppressions"] = Json::array(
          {{{"kind", f.suppression == SuppressionKind::kAnnotation
                         ? "inSource"
                         : "external"},
            {"justification", f.suppression_reason}}});
    }
    results.push_back(std::move(r));
  }
  Json run;
  run["tool"] = {{"driver", std::move(driver)}};
  if (rooted) {
    run["originalUriBaseIds"] = {
        {kSrcRoot,
         {{"description",
           {{"text", "The root of the repository the manifests are in."}}}}}};
  }
  run["results"] = std::move(results);
  Json doc;
  doc["$schema"] = kSarifSchema;
  doc["version"] = "2.1.0";
  doc["runs"] = Json::array({std::move(run)});
  return Dump(doc);
}

}  // namespace svcenv
