// lib/decode/internal/kinds.h
//
// DO NOT INCLUDE FROM PUBLIC HEADERS. The Kubernetes schema: which kinds and
// API groups svcenv reads and, for each, which fields become which members of
// `svcenv::Objects` (include/svcenv/objects.h).
//
// TO READ A NEW FIELD: add the member to objects.h, then read it in the
// matching function of lib/decode/kinds.cc (Meta for metadata, PodSpec /
// Containers / Env / EnvFrom for pods and their templates, ...) with the typed
// readers of FieldReader (lib/decode/internal/fields.h). Nothing else in the
// decoder knows field names.
#ifndef SVCENV_LIB_DECODE_INTERNAL_KINDS_H_
#define SVCENV_LIB_DECODE_INTERNAL_KINDS_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lib/decode/internal/fields.h"
#include "nlohmann/json.hpp"
#include "svcenv/objects.h"

namespace svcenv {
namespace decode_internal {

// Decodes one top-level object (or List item) whose kind was given with
// SetKind().
class KindDecoder : public FieldReader {
 public:
  using FieldReader::FieldReader;

  // Decodes `obj` (of `kind()`, in `api_version`) into `out`, its Origin
  // numbered `sequence`. Sets `*decoded` false, and leaves `out` alone, for a
  // kind svcenv does not read.
  absl::Status Decode(const json& obj, absl::string_view api_version,
                      int sequence, Objects* out, bool* decoded);

 private:
  // Decodes `obj.metadata` into `*meta`. The object's own metadata
  // (`template_meta` false) must name the object; a pod template's need not.
  // `namespaced` objects without a namespace get the default one.
  absl::Status Meta(const json& obj, const Path* at, bool namespaced,
                    bool template_meta, ObjectMeta* meta);

  // --- Kinds.
  absl::Status DecodeService(const json& obj, Service* svc);
  absl::Status DecodeConfigMap(const json& obj, ConfigMap* cm);
  absl::Status DecodeSecret(const json& obj, Secret* secret);
  absl::Status DecodeNode(const json& obj, Node* node);
  absl::Status DecodePod(const json& obj, Pod* pod);
  // A workload: its pod template, found at `path` (field names from the
  // object down to the template), becomes a Pod.
  absl::Status DecodeWorkload(const json& obj,
                              std::initializer_list<absl::string_view> path,
                              Pod* pod);

  // --- Parts.
  absl::Status Port(const json& e, const Path* at, int32_t* out) const;
  // `podIPs: [{ip}]`, else `[podIP]`.
  absl::Status Ips(const json& status, absl::string_view single,
                   absl::string_view plural, const Path* at,
                   std::vector<std::string>* out) const;
  absl::Status Statuses(const json& status, absl::string_view key,
                        const Path* at,
                        std::vector<ContainerStatus>* out) const;
  absl::Status PodSpec(const json& obj, const Path* at, Pod* pod) const;
  absl::Status Containers(const json& spec, absl::string_view key,
                          const Path* at, std::vector<Container>* out) const;
  absl::Status Env(const json& e, const Path* at, EnvVar* var) const;
  absl::Status KeyRef(const json& v, const Path* at, KeySelector* out) const;
  absl::Status EnvFrom(const json& e, const Path* at, EnvFromSource* out) const;

  // Appends to `out` the fields of `container`'s env and envFrom entries,
  // valueFrom and selectors that the API does not define, and container keys
  // that are near-misses of `env`/`envFrom` (see UnknownField).
  void UnknownEnvFields(const json& container,
                        std::vector<UnknownField>* out) const;
  // The keys of `obj` (at path `at`) not among `fields`.
  void UnknownKeys(const json& obj, const std::string& at,
                   std::initializer_list<absl::string_view> fields,
                   std::vector<UnknownField>* out) const;
};

}  // namespace decode_internal
}  // namespace svcenv

#endif  // SVCENV_LIB_DECODE_INTERNAL_KINDS_H_
