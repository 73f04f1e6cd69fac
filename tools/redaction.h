// tools/redaction.h
//
// DO NOT INCLUDE OUTSIDE tools/. Which values of a computed environment
// svcenv may print, and the placeholders it prints instead: Secret-derived
// values show as `<secret NS/NAME key KEY>`, and literal values or
// command/args that expanded a Secret-derived variable as
// `<derived from a secret>`, unless the user asked for `--show-secrets`.
#ifndef SVCENV_TOOLS_REDACTION_H_
#define SVCENV_TOOLS_REDACTION_H_

#include <set>
#include <string>

#include "svcenv/container_env.h"

namespace svcenv::cli {

class Redactor {
 public:
  // `show`: print everything (`--show-secrets`).
  Redactor(const ContainerEnvironment& env, bool show);

  // True when `e`'s value must not be printed.
  bool Hides(const EnvEntry& e) const;

  // `e`'s value, or its placeholder.
  std::string Shown(const EnvEntry& e) const;

  // A command/args entry (`expanded` from `original`), or a placeholder when
  // `original` mentions a Secret-derived `$(NAME)`.
  std::string ShownArg(const std::string& expanded,
                       const std::string& original) const;

 private:
  bool show_;
  std::set<std::string> secret_names_;  // Names any Secret source set.
};

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_REDACTION_H_
