#include "tools/env_render.h"

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "tools/output.h"

namespace svcenv::cli {

std::string OneLine(absl::string_view value) {
  return absl::StrReplaceAll(value, {{"\\", "\\\\"},
                                     {"\n", "\\n"},
                                     {std::string(1, '\0'), "\\0"}});
}

std::string ShellQuote(absl::string_view value) {
  return absl::StrCat("'", absl::StrReplaceAll(value, {{"'", "'\\''"}}), "'");
}

bool IsShellName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_';
  });
}

nlohmann::ordered_json SourceJson(const EnvSource& s) {
  if (s.kind == SourceKind::kService && s.service != nullptr) {
    return ServiceSourceJson(*s.service, s.port_index);
  }
  nlohmann::ordered_json j;
  switch (s.kind) {
    case SourceKind::kService:
      j["kind"] = "Service";
      break;
    case SourceKind::kConfigMapEnvFrom:
    case SourceKind::kConfigMapKeyRef:
      j["kind"] = "ConfigMap";
      break;
    case SourceKind::kSecretEnvFrom:
    case SourceKind::kSecretKeyRef:
      j["kind"] = "Secret";
      break;
    case SourceKind::kLiteral:
      j["kind"] = "value";
      break;
    case SourceKind::kEmpty:
      j["kind"] = "empty";
      break;
    case SourceKind::kFieldRef:
      j["kind"] = "fieldRef";
      break;
    case SourceKind::kResourceFieldRef:
      j["kind"] = "resourceFieldRef";
      break;
    case SourceKind::kFileKeyRef:
      j["kind"] = "fileKeyRef";
      break;
  }
  if (!s.object_name.empty()) {
    j["namespace"] = s.object_namespace;
    j["name"] = s.object_name;
  }
  if (!s.key.empty()) j["key"] = s.key;
  if (s.kind == SourceKind::kConfigMapEnvFrom ||
      s.kind == SourceKind::kSecretEnvFrom) {
    j["via"] = "envFrom";
    j["prefix"] = s.prefix;
  } else if (s.kind == SourceKind::kConfigMapKeyRef ||
             s.kind == SourceKind::kSecretKeyRef) {
    j["via"] = "env";
  }
  if (!s.field_path.empty()) j["fieldPath"] = s.field_path;
  if (s.kind == SourceKind::kFileKeyRef) {
    j["volumeName"] = s.volume_name;
    j["filePath"] = s.path;
  }
  if (!s.resource.empty()) {
    j["resource"] = s.resource;
    if (!s.divisor.empty()) j["divisor"] = s.divisor;
    if (!s.container_name.empty()) j["containerName"] = s.container_name;
  }
  if (s.index >= 0) {
    const bool env_from = s.kind == SourceKind::kConfigMapEnvFrom ||
                          s.kind == SourceKind::kSecretEnvFrom;
    j["path"] = absl::StrCat(env_from ? "envFrom[" : "env[", s.index, "]");
  }
  return j;
}

void PrintEnv(const Container& container, const ContainerEnvironment& env,
              const Redactor& redactor, bool multi, std::ostream& out) {
  if (multi) out << "# container " << container.name << "\n";
  for (const EnvEntry& e : env.env) {
    out << e.name << "=" << OneLine(redactor.Shown(e)) << "\n";
  }
}

void PrintEnvNul(const ContainerEnvironment& env, const Redactor& redactor,
                 std::ostream& out) {
  for (const EnvEntry& e : env.env) {
    out << e.name << "=" << redactor.Shown(e) << '\0';
  }
}

void PrintExport(const Container& container, const ContainerEnvironment& env,
                 const Redactor& redactor, bool multi, std::ostream& out) {
  if (multi) out << "# container " << container.name << "\n";
  for (const EnvEntry& e : env.env) {
    if (!IsShellName(e.name)) {
      out << "# not a shell variable name, skipped: " << OneLine(e.name)
          << "\n";
      continue;
    }
    const std::string shown = redactor.Shown(e);
    if (shown.find('\0') != std::string::npos) {
      out << "# contains a NUL byte, which no shell variable can hold, "
             "skipped: "
          << e.name << "\n";
      continue;
    }
    out << "export " << e.name << "=" << ShellQuote(shown) << "\n";
  }
}

void PrintExplain(const Container& container, const ContainerEnvironment& env,
                  const Redactor& redactor, bool multi, std::ostream& out) {
  constexpr size_t kMaxValue = 48;
  struct Row {
    std::string name, value, source, shadows, unresolved;
  };
  std::vector<Row> rows = {{"NAME", "VALUE", "SOURCE", "SHADOWS", "UNRESOLVED"}};
  for (const EnvEntry& e : env.env) {
    Row row;
    row.name = OneLine(e.name);
    row.value = OneLine(redactor.Shown(e));
    if (row.value.size() > kMaxValue) {
      row.value = absl::StrCat(row.value.substr(0, kMaxValue - 3), "...");
    }
    row.source = DescribeSource(e.source);
    std::vector<std::string> shadows;
    for (const EnvSource& s : e.shadows) shadows.push_back(DescribeSource(s));
    row.shadows = shadows.empty() ? "-" : absl::StrJoin(shadows, "; ");
    row.unresolved =
        e.unresolved_references.empty()
            ? "-"
            : absl::StrJoin(e.unresolved_references, " ",
                            [](std::string* o, const std::string& n) {
                              absl::StrAppend(o, "$(", n, ")");
                            });
    rows.push_back(std::move(row));
  }
  size_t w[4] = {0, 0, 0, 0};
  for (const Row& row : rows) {
    w[0] = std::max(w[0], row.name.size());
    w[1] = std::max(w[1], row.value.size());
    w[2] = std::max(w[2], row.source.size());
    w[3] = std::max(w[3], row.shadows.size());
  }
  if (multi) out << "# container " << container.name << "\n";
  for (const Row& row : rows) {
    std::string line = absl::StrCat(
        row.name, std::string(w[0] - row.name.size() + 2, ' '), row.value,
        std::string(w[1] - row.value.size() + 2, ' '), row.source,
        std::string(w[2] - row.source.size() + 2, ' '), row.shadows,
        std::string(w[3] - row.shadows.size() + 2, ' '), row.unresolved);
    out << line << "\n";
  }
}

nlohmann::ordered_json ResultJson(const Pod& pod, const Container& container,
                                  const ContainerEnvironment& env,
                                  const std::vector<std::string>& warnings,
                                  const Redactor& redactor) {
  nlohmann::ordered_json doc;
  doc["pod"] = {{"namespace", pod.meta.namespace_name},
                {"name", pod.workload_name}};
  doc["container"] = container.name;
  doc["env"] = nlohmann::ordered_json::array();
  for (const EnvEntry& e : env.env) {
    nlohmann::ordered_json item;
    item["name"] = e.name;
    item["value"] = redactor.Shown(e);
    item["source"] = SourceJson(e.source);
    // A literal value's `$(...)` references, inside `source` so that each
    // entry keeps exactly the documented keys.
    if (!e.expanded_references.empty()) {
      item["source"]["references"] = e.expanded_references;
    }
    if (!e.unresolved_references.empty()) {
      item["source"]["unresolved"] = e.unresolved_references;
    }
    // The value is a placeholder: the kubelet reads it at container start.
    if (e.runtime_only) item["source"]["runtimeOnly"] = true;
    item["shadows"] = nlohmann::ordered_json::array();
    for (const EnvSource& s : e.shadows) item["shadows"].push_back(SourceJson(s));
    doc["env"].push_back(std::move(item));
  }
  doc["command"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < env.command.size(); ++i) {
    doc["command"].push_back(
        redactor.ShownArg(env.command[i], container.command[i]));
  }
  doc["args"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < env.args.size(); ++i) {
    doc["args"].push_back(redactor.ShownArg(env.args[i], container.args[i]));
  }
  doc["warnings"] = warnings;
  return doc;
}

std::vector<std::string> LiteralReferenceWarnings(
    const Container& container, const ContainerEnvironment& env) {
  auto refs = [](const std::vector<std::string>& names) {
    return absl::StrJoin(names, ", ", [](std::string* o, const std::string& n) {
      absl::StrAppend(o, "$(", n, ")");
    });
  };
  std::vector<std::string> out;
  for (const EnvEntry& e : env.env) {
    if (e.unresolved_references.empty()) continue;
    const bool one = e.unresolved_references.size() == 1;
    out.push_back(absl::StrCat(
        e.source.index >= 0 ? absl::StrCat("env[", e.source.index, "] ") : "",
        e.name, ": ", refs(e.unresolved_references),
        one ? " stays" : " stay",
        " literal: nothing defines ", one ? "it" : "them",
        " before this entry (the kubelet expands against envFrom, earlier env "
        "entries and Service variables), so the container gets the text as "
        "written"));
  }
  if (!env.unresolved_command_references.empty()) {
    const bool one = env.unresolved_command_references.size() == 1;
    out.push_back(absl::StrCat(
        "command/args of container ", container.name, ": ",
        refs(env.unresolved_command_references), one ? " stays" : " stay",
        " literal: the container's environment does not define ",
        one ? "it" : "them"));
  }
  return out;
}

}  // namespace svcenv::cli
