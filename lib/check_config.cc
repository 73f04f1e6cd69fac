#include "svcenv/check_config.h"

#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "lib/internal/status_macros.h"
#include "svcenv/check.h"
#include "yaml-cpp/yaml.h"

namespace svcenv {
namespace {

absl::Status Bad(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

absl::Status Strings(const YAML::Node& node, const std::string& where,
                     std::vector<std::string>* out) {
  if (!node.IsSequence()) return Bad(where, "want a list of strings");
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) return Bad(where, "want a list of strings");
    out->push_back(item.Scalar());
  }
  return absl::OkStatus();
}

absl::Status String(const YAML::Node& node, const std::string& where,
                    std::string* out) {
  if (!node.IsScalar()) return Bad(where, "want a string");
  *out = node.Scalar();
  return absl::OkStatus();
}

absl::Status Catalogue(const YAML::Node& node, const std::string& where,
                       std::vector<CatalogueEntry>* out) {
  if (!node.IsSequence()) return Bad(where, "want a list of entries");
  int index = 0;
  for (const YAML::Node& item : node) {
    const std::string at = absl::StrCat(where, "[", index++, "]");
    if (!item.IsMap()) return Bad(at, "want a map");
    std::string pattern, note, images_line;
    std::vector<std::string> images;
    bool if_service_exists = false;
    for (const auto& kv : item) {
      const std::string key = kv.first.Scalar();
      const std::string field = absl::StrCat(at, ".", key);
      if (key == "pattern") {
        SVCENV_RETURN_IF_ERROR(String(kv.second, field, &pattern));
      } else if (key == "note") {
        SVCENV_RETURN_IF_ERROR(String(kv.second, field, &note));
      } else if (key == "images") {
        SVCENV_RETURN_IF_ERROR(Strings(kv.second, field, &images));
      } else if (key == "ifServiceExists") {
        if (!kv.second.IsScalar() ||
            (kv.second.Scalar() != "true" && kv.second.Scalar() != "false"))
          return Bad(field, "want true or false");
        if_service_exists = kv.second.Scalar() == "true";
      } else {
        return Bad(field, "unknown key (want pattern, images, "
                          "ifServiceExists, note)");
      }
    }
    // One catalogue line, so that patterns are validated in one place.
    std::string line = pattern;
    if (!images.empty()) absl::StrAppend(&line, " image=", absl::StrJoin(images, ","));
    if (if_service_exists) absl::StrAppend(&line, " if-service-exists");
    SVCENV_ASSIGN_OR_RETURN(std::vector<CatalogueEntry> parsed,
                            ParseCatalogue(line, at));
    if (parsed.size() != 1) return Bad(at, "want a pattern");
    parsed[0].note = note;
    out->push_back(std::move(parsed[0]));
  }
  return absl::OkStatus();
}

absl::Status Ignores(const YAML::Node& node, const std::string& where,
                     std::vector<IgnoreRule>* out) {
  if (!node.IsSequence()) return Bad(where, "want a list of entries");
  int index = 0;
  for (const YAML::Node& item : node) {
    const std::string at = absl::StrCat(where, "[", index++, "]");
    if (!item.IsMap()) return Bad(at, "want a map");
    IgnoreRule rule;
    for (const auto& kv : item) {
      const std::string key = kv.first.Scalar();
      const std::string field = absl::StrCat(at, ".", key);
      std::string* target = key == "rule"        ? &rule.rule
                            : key == "namespace" ? &rule.namespace_name
                            : key == "workload"  ? &rule.workload
                            : key == "container" ? &rule.container
                            : key == "variable"  ? &rule.variable
                            : key == "reason"    ? &rule.reason
                                                 : nullptr;
      if (target == nullptr) {
        return Bad(field, "unknown key (want rule, namespace, workload, "
                          "container, variable, reason)");
      }
      SVCENV_RETURN_IF_ERROR(String(kv.second, field, target));
    }
    if (rule.rule.empty()) return Bad(at, "rule is required (an id or *)");
    if (rule.rule != "*") {
      SVCENV_RETURN_IF_ERROR(ValidateRuleId(rule.rule, at + ".rule"));
    }
    out->push_back(std::move(rule));
  }
  return absl::OkStatus();
}

absl::StatusOr<CheckConfig> Parse(absl::string_view text,
                                  const std::string& file) {
  const YAML::Node root = YAML::Load(std::string(text));
  CheckConfig config;
  if (root.IsNull()) return config;  // An empty file.
  if (!root.IsMap()) return Bad(file, "want a map at the top");
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    const std::string where = absl::StrCat(file, ": ", key);
    if (key == "disable" || key == "enable") {
      std::vector<std::string>* ids =
          key == "disable" ? &config.disable : &config.enable;
      SVCENV_RETURN_IF_ERROR(Strings(kv.second, where, ids));
      for (const std::string& id : *ids)
        SVCENV_RETURN_IF_ERROR(ValidateRuleId(id, where));
    } else if (key == "catalogue") {
      SVCENV_RETURN_IF_ERROR(Catalogue(kv.second, where, &config.catalogue));
    } else if (key == "ignore") {
      SVCENV_RETURN_IF_ERROR(Ignores(kv.second, where, &config.ignore));
    } else {
      return Bad(where,
                 "unknown key (want disable, enable, catalogue, ignore)");
    }
  }
  return config;
}

}  // namespace

absl::Status ValidateRuleId(absl::string_view id, absl::string_view where) {
  std::vector<std::string> ids;
  for (const CheckRule& rule : CheckRules()) {
    if (rule.id == id) return absl::OkStatus();
    ids.push_back(rule.id);
  }
  return Bad(where, absl::StrCat("unknown rule \"", id, "\" (rules: ",
                                 absl::StrJoin(ids, ", "), ")"));
}

absl::StatusOr<CheckConfig> ParseCheckConfig(absl::string_view text,
                                             absl::string_view file_name) {
  const std::string file(file_name);
  try {
    return Parse(text, file);
  } catch (const std::exception& e) {
    // yaml-cpp reports syntax errors by throwing; none crosses this API.
    return Bad(file, absl::StrCat("not valid YAML: ", e.what()));
  }
}

void ApplyCheckConfig(const CheckConfig& config, absl::string_view source,
                      CheckOptions* options) {
  for (const std::string& id : config.disable) options->disabled_rules.insert(id);
  for (const std::string& id : config.enable) options->disabled_rules.erase(id);
  options->extra_catalogue.insert(options->extra_catalogue.end(),
                                  config.catalogue.begin(),
                                  config.catalogue.end());
  options->ignores.insert(options->ignores.end(), config.ignore.begin(),
                          config.ignore.end());
  options->ignores_source = std::string(source);
}

}  // namespace svcenv
