#include "tools/output.h"

#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace svcenv::cli {

nlohmann::ordered_json ServiceVariableSourceJson(const ServiceVariable& v) {
  return ServiceSourceJson(*v.service, v.port_index);
}

nlohmann::ordered_json ClashesJson(const std::vector<ServiceClash>& clashes) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const ServiceClash& clash : clashes) {
    nlohmann::ordered_json item;
    item["name"] = clash.name;
    item["used"] = clash.candidates.back().value;
    item["candidates"] = nlohmann::ordered_json::array();
    for (const ServiceVariable& c : clash.candidates) {
      item["candidates"].push_back(
          {{"value", c.value}, {"source", ServiceVariableSourceJson(c)}});
    }
    out.push_back(std::move(item));
  }
  return out;
}

namespace {

// True for words YAML 1.1 (go-yaml v2, what kubectl reads) resolves to
// something other than a string, or that need quoting to stay plain text.
bool NeedsQuotes(const std::string& s) {
  if (s.empty()) return true;
  const char first = s[0];
  if (!(absl::ascii_isalpha(first) || first == '_' || first == '/')) {
    return true;  // Digits, signs, dots: maybe numbers; indicators.
  }
  for (char c : s) {
    if (!(absl::ascii_isalnum(c) || c == '_' || c == '-' || c == '.' ||
          c == '/')) {
      return true;
    }
  }
  static const char* const kSpecial[] = {"y", "yes", "n", "no", "true",
                                         "false", "on", "off", "null"};
  const std::string lower = absl::AsciiStrToLower(s);
  for (const char* word : kSpecial) {
    if (lower == word) return true;
  }
  return false;
}

std::string Scalar(const nlohmann::ordered_json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (!NeedsQuotes(s)) return s;
  }
  // A JSON scalar is valid YAML, and JSON string escapes are YAML's.
  return value.dump(-1, ' ', false,
                    nlohmann::ordered_json::error_handler_t::replace);
}

bool IsEmptyContainer(const nlohmann::ordered_json& value) {
  return (value.is_object() || value.is_array()) && value.empty();
}

void EmitYaml(const nlohmann::ordered_json& value, int indent,
              std::string* out);

// `value` after "key:" or "-": inline when scalar or empty, else on the
// following lines.
void EmitValueAfter(const nlohmann::ordered_json& value, int indent,
                    bool in_sequence, std::string* out) {
  if (IsEmptyContainer(value)) {
    absl::StrAppend(out, value.is_object() ? " {}\n" : " []\n");
  } else if (value.is_object() || value.is_array()) {
    if (in_sequence && value.is_object()) {
      // "- key: v" with the other keys aligned under the first.
      std::string nested;
      EmitYaml(value, indent + 2, &nested);
      absl::StrAppend(out, " ", nested.substr(indent + 2));
      return;
    }
    absl::StrAppend(out, "\n");
    // Sequences under a key sit at the key's indentation, as kubectl prints.
    EmitYaml(value, value.is_array() && !in_sequence ? indent : indent + 2,
             out);
  } else {
    absl::StrAppend(out, " ", Scalar(value), "\n");
  }
}

void EmitYaml(const nlohmann::ordered_json& value, int indent,
              std::string* out) {
  const std::string pad(indent, ' ');
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      absl::StrAppend(out, pad, Scalar(nlohmann::ordered_json(key)), ":");
      EmitValueAfter(item, indent, false, out);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      absl::StrAppend(out, pad, "-");
      EmitValueAfter(item, indent, true, out);
    }
  } else {
    absl::StrAppend(out, pad, Scalar(value), "\n");
  }
}

}  // namespace

std::string DumpYaml(const nlohmann::ordered_json& doc) {
  if (IsEmptyContainer(doc)) return doc.is_object() ? "{}\n" : "[]\n";
  std::string out;
  EmitYaml(doc, 0, &out);
  return out;
}

void WarningGroups::AddBatch(const std::vector<std::string>& batch) {
  std::map<std::string, int> counts;
  for (const std::string& w : batch) ++counts[w];
  for (const std::string& w : batch) {
    auto [it, inserted] = index_.emplace(w, groups_.size());
    if (inserted) groups_.emplace_back(w, 0);
    int& count = groups_[it->second].second;
    count = std::max(count, counts[w]);
  }
}

void WarningGroups::Print(absl::string_view prefix, std::ostream& out) const {
  for (const auto& [text, count] : groups_) {
    out << prefix << ": warning: " << text;
    if (count > 1) out << " (" << count << " times)";
    out << "\n";
  }
}

}  // namespace svcenv::cli
