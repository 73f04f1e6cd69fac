// include/svcenv/check_config.h
//
// The `svcenv check` config file (`.svcenv.yaml`): rules to disable or
// enable, catalogue additions and findings to ignore, kept in the
// repository beside the manifests.
//
//   disable: [known-variable-overwrite]        # rule ids
//   enable: [service-after-workload]           # wins over disable
//   catalogue:
//   - pattern: ORDERS_PORT                     # NAME, PREFIX* or *SUFFIX
//     images: ["registry.example.com/orders*"] # optional
//     ifServiceExists: false                   # optional, *SUFFIX only
//     note: the orders client reads it as a port number
//   ignore:
//   - rule: service-after-workload             # or "*"
//     namespace: shop                          # each field optional
//     workload: web
//     container: app
//     variable: CACHE_SERVICE_HOST
//     reason: the cache is created by another team's release first
//   secrets: external       # or input (default): Secrets exist, not in git
//   configMaps: external    # the same for ConfigMaps
//   ignoreFiles: ["charts/*/templates/*"]  # globs on input paths
//
// Errors: InvalidArgumentError naming the file (and the entry) for YAML that
// does not parse (read with libyaml; only the first document; anchors and
// aliases refused), an unknown key, an unknown rule id or a bad pattern.
// Functions here are thread-safe.
//
// Example:
//   SVCENV_ASSIGN_OR_RETURN(svcenv::CheckConfig config,
//                           svcenv::ParseCheckConfig(text, ".svcenv.yaml"));
//   svcenv::CheckOptions options;
//   svcenv::ApplyCheckConfig(config, ".svcenv.yaml", &options);
#ifndef SVCENV_INCLUDE_SVCENV_CHECK_CONFIG_H_
#define SVCENV_INCLUDE_SVCENV_CHECK_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "svcenv/check.h"

namespace svcenv {

struct CheckConfig {
  std::vector<std::string> disable;  // Known rule ids.
  std::vector<std::string> enable;   // Known rule ids.
  std::vector<CatalogueEntry> catalogue;
  std::vector<IgnoreRule> ignore;
  // `secrets: external` / `configMaps: external`: the objects exist but are
  // kept outside the input (SealedSecret, ExternalSecret, Vault); sets
  // CheckOptions::secrets_unknown / config_maps_unknown.
  bool secrets_external = false;
  bool config_maps_external = false;
  // `ignoreFiles`: path globs of input files to skip (`--ignore`).
  std::vector<std::string> ignore_files;
};

// The name looked for from the working directory up to the repository root.
inline constexpr char kCheckConfigFileName[] = ".svcenv.yaml";

absl::StatusOr<CheckConfig> ParseCheckConfig(absl::string_view text,
                                             absl::string_view file_name);

// Adds the config to `options`: `disable` minus `enable` to
// `disabled_rules`, `catalogue` to `extra_catalogue`, `ignore` to `ignores`
// (with `source` as `ignores_source`), `secrets`/`configMaps: external` to
// `secrets_unknown`/`config_maps_unknown`. `ignore_files` is the caller's.
void ApplyCheckConfig(const CheckConfig& config, absl::string_view source,
                      CheckOptions* options);

// InvalidArgumentError unless `id` is one of `CheckRules()`.
absl::Status ValidateRuleId(absl::string_view id, absl::string_view where);

}  // namespace svcenv

#endif  // SVCENV_INCLUDE_SVCENV_CHECK_CONFIG_H_
