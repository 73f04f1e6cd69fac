// include/svcenv/redaction.h
//
// Which values of a computed environment svcenv may print, and the
// placeholders it prints instead: Secret-derived values show as
// `<secret NS/NAME key KEY>`, and literal values or command/args that
// expanded a Secret-derived variable as `<derived from a secret>`, unless the
// user asked for `--show-secrets`. Every front end (the CLI's renderers,
// svcenv/env_json.h, the C API) prints values through a Redactor. In a
// partial result (the kubelet would refuse the container) a value that cannot
// be known shows as `<unknown: SOURCE>`.
//
// A Redactor is immutable after construction: its methods are thread-safe.
// It copies the names it needs; `env` need not outlive it.
//
// Example:
//   svcenv::Redactor redactor(*env, /*show=*/false);
//   for (const svcenv::EnvEntry& e : env->env)
//     std::cout << e.name << "=" << redactor.Shown(e) << "\n";
#ifndef SVCENV_INCLUDE_SVCENV_REDACTION_H_
#define SVCENV_INCLUDE_SVCENV_REDACTION_H_

#include <set>
#include <string>

#include "svcenv/container_env.h"

namespace svcenv {

// `<secret NS/NAME key KEY>`: the placeholder for a value read from
// `source`, a Secret source (`source.IsSecret()`).
std::string SecretPlaceholder(const EnvSource& source);

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

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_REDACTION_H_
