#include "tools/redaction.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace svcenv::cli {

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

std::string Redactor::Shown(const EnvEntry& e) const {
  if (!Hides(e)) return e.value;
  if (e.source.IsSecret()) {
    return absl::StrCat("<secret ", e.source.object_namespace, "/",
                        e.source.object_name, " key ", e.source.key, ">");
  }
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

}  // namespace svcenv::cli
