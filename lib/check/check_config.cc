#include "svcenv/check_config.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "lib/base/status_macros.h"
#include "nlohmann/json.hpp"
#include "svcenv/check.h"
#include <yaml.h>

namespace svcenv {
namespace {

using Json = nlohmann::json;

absl::Status Bad(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

// The first YAML document of `text` as a JSON tree whose scalars are all
// strings (the config only holds strings and booleans). Anchors and aliases
// are refused: a config file has no use for them.
absl::StatusOr<Json> LoadYaml(absl::string_view text, const std::string& file) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) return Bad(file, "out of memory");
  yaml_parser_set_input_string(
      &parser, reinterpret_cast<const unsigned char*>(text.data()),
      text.size());
  Json root;  // Null for an empty stream.
  std::vector<Json> stack;
  std::vector<std::string> keys;  // Pending key per open mapping.
  std::vector<bool> want_key;
  bool done = false;
  absl::Status status;
  auto add = [&](Json value) {
    if (stack.empty()) {
      root = std::move(value);
      return;
    }
    Json& top = stack.back();
    if (top.is_array()) {
      top.push_back(std::move(value));
    } else if (want_key.back()) {
      keys.back() = value.is_string() ? value.get<std::string>() : value.dump();
      want_key.back() = false;
    } else {
      top[keys.back()] = std::move(value);
      want_key.back() = true;
    }
  };
  while (!done && status.ok()) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      status = Bad(file, absl::StrCat("not valid YAML: line ",
                                      parser.problem_mark.line + 1, ": ",
                                      parser.problem ? parser.problem : "?"));
      break;
    }
    switch (event.type) {
      case YAML_SCALAR_EVENT:
        add(Json(std::string(reinterpret_cast<char*>(event.data.scalar.value),
                             event.data.scalar.length)));
        break;
      case YAML_SEQUENCE_START_EVENT:
        stack.push_back(Json::array());
        keys.emplace_back();
        want_key.push_back(false);
        break;
      case YAML_MAPPING_START_EVENT:
        stack.push_back(Json::object());
        keys.emplace_back();
        want_key.push_back(true);
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Json value = std::move(stack.back());
        stack.pop_back();
        keys.pop_back();
        want_key.pop_back();
        add(std::move(value));
        break;
      }
      case YAML_ALIAS_EVENT:
        status = Bad(file, "aliases are not supported in a config file");
        break;
      case YAML_DOCUMENT_END_EVENT:
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      default:
        break;
    }
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  if (!status.ok()) return status;
  return root;
}

absl::Status Strings(const Json& node, const std::string& where,
                     std::vector<std::string>* out) {
  if (!node.is_array()) return Bad(where, "want a list of strings");
  for (const Json& item : node) {
    if (!item.is_string()) return Bad(where, "want a list of strings");
    out->push_back(item.get<std::string>());
  }
  return absl::OkStatus();
}

absl::Status String(const Json& node, const std::string& where,
                    std::string* out) {
  if (!node.is_string()) return Bad(where, "want a string");
  *out = node.get<std::string>();
  return absl::OkStatus();
}

absl::Status Catalogue(const Json& node, const std::string& where,
                       std::vector<CatalogueEntry>* out) {
  if (!node.is_array()) return Bad(where, "want a list of entries");
  int index = 0;
  for (const Json& item : node) {
    const std::string at = absl::StrCat(where, "[", index++, "]");
    if (!item.is_object()) return Bad(at, "want a map");
    std::string pattern, note;
    std::vector<std::string> images;
    bool if_service_exists = false;
    for (const auto& [key, value] : item.items()) {
      const std::string field = absl::StrCat(at, ".", key);
      if (key == "pattern") {
        SVCENV_RETURN_IF_ERROR(String(value, field, &pattern));
      } else if (key == "note") {
        SVCENV_RETURN_IF_ERROR(String(value, field, &note));
      } else if (key == "images") {
        SVCENV_RETURN_IF_ERROR(Strings(value, field, &images));
      } else if (key == "ifServiceExists") {
        if (!value.is_string() || (value != "true" && value != "false"))
          return Bad(field, "want true or false");
        if_service_exists = value == "true";
      } else {
        return Bad(field, "unknown key (want pattern, images, "
                          "ifServiceExists, note)");
      }
    }
    // One catalogue line, so that patterns are validated in one place.
    std::string line = pattern;
    if (!images.empty())
      absl::StrAppend(&line, " image=", absl::StrJoin(images, ","));
    if (if_service_exists) absl::StrAppend(&line, " if-service-exists");
    SVCENV_ASSIGN_OR_RETURN(std::vector<CatalogueEntry> parsed,
                            ParseCatalogue(line, at));
    if (parsed.size() != 1) return Bad(at, "want a pattern");
    parsed[0].note = note;
    out->push_back(std::move(parsed[0]));
  }
  return absl::OkStatus();
}

absl::Status Ignores(const Json& node, const std::string& where,
                     std::vector<IgnoreRule>* out) {
  if (!node.is_array()) return Bad(where, "want a list of entries");
  int index = 0;
  for (const Json& item : node) {
    const std::string at = absl::StrCat(where, "[", index++, "]");
    if (!item.is_object()) return Bad(at, "want a map");
    IgnoreRule rule;
    for (const auto& [key, value] : item.items()) {
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
      SVCENV_RETURN_IF_ERROR(String(value, field, target));
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
  SVCENV_ASSIGN_OR_RETURN(const Json root, LoadYaml(text, file));
  CheckConfig config;
  if (root.is_null()) return config;  // An empty file.
  if (!root.is_object()) return Bad(file, "want a map at the top");
  for (const auto& [key, value] : root.items()) {
    const std::string where = absl::StrCat(file, ": ", key);
    if (key == "disable" || key == "enable") {
      std::vector<std::string>* ids =
          key == "disable" ? &config.disable : &config.enable;
      SVCENV_RETURN_IF_ERROR(Strings(value, where, ids));
      for (const std::string& id : *ids)
        SVCENV_RETURN_IF_ERROR(ValidateRuleId(id, where));
    } else if (key == "catalogue") {
      SVCENV_RETURN_IF_ERROR(Catalogue(value, where, &config.catalogue));
    } else if (key == "ignore") {
      SVCENV_RETURN_IF_ERROR(Ignores(value, where, &config.ignore));
    } else if (key == "secrets" || key == "configMaps") {
      if (!value.is_string() ||
          (value != "external" && value != "input")) {
        return Bad(where, "want external or input");
      }
      (key == "secrets" ? config.secrets_external
                        : config.config_maps_external) = value == "external";
    } else if (key == "ignoreFiles") {
      SVCENV_RETURN_IF_ERROR(Strings(value, where, &config.ignore_files));
    } else {
      return Bad(where,
                 "unknown key (want disable, enable, catalogue, ignore, "
                 "secrets, configMaps, ignoreFiles)");
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
  return Parse(text, std::string(file_name));
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
  options->secrets_unknown |= config.secrets_external;
  options->config_maps_unknown |= config.config_maps_external;
}

}  // namespace svcenv
