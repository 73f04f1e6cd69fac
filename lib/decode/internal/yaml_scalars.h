// lib/decode/internal/yaml_scalars.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. YAML scalars as kubectl's converter
// reads them: go-yaml v2 resolves plain scalars by YAML 1.1's rules (`yes`,
// `0x1F`, `1_000`, `.inf`) and sigs.k8s.io/yaml turns the result into JSON,
// where map keys must be strings and floats print without a fraction when
// integral.
#ifndef SVCENV_LIB_DECODE_INTERNAL_YAML_SCALARS_H_
#define SVCENV_LIB_DECODE_INTERNAL_YAML_SCALARS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace svcenv {
namespace decode_internal {

// What a plain scalar resolved to. kUnsupported: a value encoding/json
// cannot represent (`.inf`, `.nan`), which Kubernetes therefore rejects.
enum class Resolved { kNull, kBool, kInt, kFloat, kString, kUnsupported };

// Resolves the plain (unquoted, untagged) scalar `in` into `*out` as go-yaml
// v2 does (YAML 1.1). Timestamps stay strings, as go-yaml v2 keeps them for
// interface{} targets.
Resolved ResolvePlain(absl::string_view in, nlohmann::json* out);

// A float map key as sigs.k8s.io/yaml writes it: strconv.FormatFloat(v, 'g',
// -1, 32), with infinities and NaN spelled as YAML spells them.
std::string GoFloatKey(double v);

// The key sigs.k8s.io/yaml makes of `.inf`, `-.inf` or `.nan` (`word`),
// which as values JSON cannot hold.
std::string InfinityOrNanKey(absl::string_view word);

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_YAML_SCALARS_H_
