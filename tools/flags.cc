#include "tools/flags.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "lib/base/status_macros.h"
#include "lib/base/suggest.h"

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

absl::Status ParsedFlags::Take(const FlagSpec& spec, const std::string& shown,
                               const std::optional<std::string>& inline_value,
                               const std::vector<std::string>& args,
                               size_t* i) {
  std::vector<std::string>& values = values_[spec.name];
  if (!spec.takes_value) {
    if (!inline_value.has_value() || *inline_value == "true") {
      values.push_back("true");
      return absl::OkStatus();
    }
    if (*inline_value == "false") {
      values_.erase(spec.name);
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(
        absl::StrCat(shown, " is a switch and takes no value"));
  }
  if (inline_value.has_value()) {
    values.push_back(*inline_value);
  } else if (*i + 1 < args.size()) {
    values.push_back(args[++*i]);
  } else {
    values_.erase(spec.name);
    return absl::InvalidArgumentError(
        absl::StrCat(shown, " needs a value (", spec.value_name, ")"));
  }
  return absl::OkStatus();
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
    if (absl::StartsWith(arg, "--")) {
      absl::string_view body = absl::string_view(arg).substr(2);
      std::optional<std::string> inline_value;
      size_t eq = body.find('=');
      if (eq != absl::string_view::npos) {
        inline_value = std::string(body.substr(eq + 1));
        body = body.substr(0, eq);
      }
      const FlagSpec* spec = FindLong(specs, body);
      if (spec == nullptr) {
        std::vector<std::string> names;
        for (const FlagSpec& s : specs) names.push_back(s.name);
        const std::string match = ClosestMatch(body, names);
        return absl::InvalidArgumentError(absl::StrCat(
            "unknown option --", body,
            match.empty() ? "" : absl::StrCat(" (did you mean --", match, "?)")));
      }
      SVCENV_RETURN_IF_ERROR(parsed.Take(*spec, absl::StrCat("--", body),
                                         inline_value, args, &i));
      continue;
    }
    // Short options cluster as with getopt: `-Rf DIR` is `-R -f DIR`, and
    // the first option that takes a value takes the rest (`-fDIR`) or the
    // next argument. `-R=false` still sets a switch explicitly.
    for (size_t k = 1; k < arg.size(); ++k) {
      const FlagSpec* spec = FindShort(specs, arg[k]);
      const std::string shown = absl::StrCat("-", std::string(1, arg[k]));
      if (spec == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            "unknown option ", shown,
            k > 1 ? absl::StrCat(" (in ", arg, ")") : ""));
      }
      std::optional<std::string> inline_value;
      const bool rest = k + 1 < arg.size();
      if (rest && arg[k + 1] == '=') {
        inline_value = arg.substr(k + 2);
      } else if (rest && spec->takes_value) {
        inline_value = arg.substr(k + 1);
      }
      SVCENV_RETURN_IF_ERROR(parsed.Take(*spec, shown, inline_value, args, &i));
      if (inline_value.has_value()) break;
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

absl::string_view OutputName(Output output) {
  switch (output) {
    case Output::kText:
      return "text";
    case Output::kEnv:
      return "env";
    case Output::kExport:
      return "export";
    case Output::kJson:
      return "json";
    case Output::kYaml:
      return "yaml";
    case Output::kSarif:
      return "sarif";
    case Output::kGithub:
      return "github";
  }
  return "text";
}

FlagSpec OutputFlag(const std::vector<Output>& formats,
                    absl::string_view help) {
  std::vector<std::string> names;
  for (Output f : formats) names.emplace_back(OutputName(f));
  return {"output", 'o', true, absl::StrJoin(names, "|"),
          absl::StrCat(help, " (default ", names.front(), ").")};
}

absl::StatusOr<Output> ParseOutput(const ParsedFlags& flags,
                                   const std::vector<Output>& formats) {
  std::vector<std::string> allowed;
  for (Output f : formats) allowed.emplace_back(OutputName(f));
  const std::string format = flags.Value("output", allowed.front());
  for (size_t i = 0; i < formats.size(); ++i) {
    if (allowed[i] == format) return formats[i];
  }
  std::string choices = allowed.back();
  if (allowed.size() > 1) {
    choices = absl::StrCat(
        absl::StrJoin(allowed.begin(), allowed.end() - 1, ", "), " or ",
        allowed.back());
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "-o must be ", choices, ", got \"", format, "\"",
      DidYouMean(format, allowed)));
}

}  // namespace svcenv::cli
