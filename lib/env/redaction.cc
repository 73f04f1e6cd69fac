#include "svcenv/redaction.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace svcenv {

Redactor::Redactor(const ContainerEnvironment& env, bool show) : show_(show) {
  for (const EnvEntry& e : env.env) {
    bool secret = e.source.IsSecret();
    for (const EnvSource& s : e.shadows) secret |= s.IsSecret();
    if (secret) secret_names_.insert(e.name);
  }
}

bool Redactor::Hides(const EnvEntry& e) const {
  if (show_) return false;
  if (e.source.IsSecret()) return true;
  for (const std::string& ref : e.expanded_references) {
    if (secret_names_.count(ref) != 0) return true;
  }
  return false;
}

std::string SecretPlaceholder(const EnvSource& source) {
  return absl::StrCat("<secret ", source.object_namespace, "/",
                      source.object_name, " key ", source.key, ">");
}

std::string Redactor::Shown(const EnvEntry& e) const {
  if (e.unknown) {
    // Partial result: the kubelet would refuse the container.
    return e.source.kind == SourceKind::kLiteral
               ? "<unknown: expands an unknown variable>"
               : absl::StrCat("<unknown: ", DescribeSource(e.source), ">");
  }
  if (!Hides(e)) return e.value;
  if (e.source.IsSecret()) return SecretPlaceholder(e.source);
  return "<derived from a secret>";
}

std::string Redactor::ShownArg(const std::string& expanded,
                               const std::string& original) const {
  if (show_) return expanded;
  for (const std::string& name : secret_names_) {
    if (absl::StrContains(original, absl::StrCat("$(", name, ")"))) {
      return "<derived from a secret>";
    }
  }
  return expanded;
}

}  // namespace svcenv
