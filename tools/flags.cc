#include "tools/flags.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace svcenv::cli {
namespace {

const FlagSpec* FindLong(const std::vector<FlagSpec>& specs,
                         absl::string_view name) {
  for (const FlagSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const FlagSpec* FindShort(const std::vector<FlagSpec>& specs, char name) {
  for (const FlagSpec& spec : specs) {
    if (spec.short_name != 0 && spec.short_name == name) return &spec;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string>& ParsedFlags::Values(
    absl::string_view name) const {
  static const std::vector<std::string>* const kNone =
      new std::vector<std::string>();
  auto it = values_.find(name);
  return it == values_.end() ? *kNone : it->second;
}

std::string ParsedFlags::Value(absl::string_view name,
                               absl::string_view fallback) const {
  const std::vector<std::string>& values = Values(name);
  return values.empty() ? std::string(fallback) : values.back();
}

bool ParsedFlags::Has(absl::string_view name) const {
  return values_.find(name) != values_.end();
}

absl::StatusOr<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                                       const std::vector<FlagSpec>& specs) {
  ParsedFlags parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      parsed.positional_.insert(parsed.positional_.end(), args.begin() + i + 1,
                                args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {  // Includes "-" (stdin).
      parsed.positional_.push_back(arg);
      continue;
    }
    const FlagSpec* spec = nullptr;
    std::string shown;
    std::optional<std::string> inline_value;
    if (absl::StartsWith(arg, "--")) {
      absl::string_view body = absl::string_view(arg).substr(2);
      size_t eq = body.find('=');
      if (eq != absl::string_view::npos) {
        inline_value = std::string(body.substr(eq + 1));
        body = body.substr(0, eq);
      }
      spec = FindLong(specs, body);
      shown = absl::StrCat("--", body);
    } else {
      spec = FindShort(specs, arg[1]);
      shown = arg.substr(0, 2);
      if (arg.size() > 2) {
        inline_value = arg.substr(arg[2] == '=' ? 3 : 2);
      }
    }
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option ", shown));
    }
    std::vector<std::string>& values = parsed.values_[spec->name];
    if (!spec->takes_value) {
      if (inline_value.has_value()) {
        if (*inline_value == "true") {
          values.push_back("true");
          continue;
        }
        if (*inline_value == "false") {
          parsed.values_.erase(spec->name);
          continue;
        }
        return absl::InvalidArgumentError(
            absl::StrCat(shown, " is a switch and takes no value"));
      }
      values.push_back("true");
      continue;
    }
    if (inline_value.has_value()) {
      values.push_back(*inline_value);
    } else if (i + 1 < args.size()) {
      values.push_back(args[++i]);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(shown, " needs a value (", spec->value_name, ")"));
    }
  }
  return parsed;
}

std::string FlagsHelp(const std::vector<FlagSpec>& specs) {
  std::vector<std::string> left;
  size_t width = 0;
  for (const FlagSpec& spec : specs) {
    std::string text = spec.short_name != 0
                           ? absl::StrFormat("  -%c, --%s", spec.short_name,
                                             spec.name)
                           : absl::StrFormat("      --%s", spec.name);
    if (spec.takes_value) absl::StrAppend(&text, " ", spec.value_name);
    width = std::max(width, text.size());
    left.push_back(std::move(text));
  }
  std::string out = "Options:\n";
  for (size_t i = 0; i < specs.size(); ++i) {
    absl::StrAppendFormat(&out, "%-*s  %s\n", static_cast<int>(width), left[i],
                          specs[i].help);
  }
  return out;
}

}  // namespace svcenv::cli
