// The C API (include/svcenv/c_api.h): C types outside, the C++ library
// inside. Every entry point catches everything (no exception may cross into
// C) and reports through an svcenv_code plus a malloc'ed message.
#include "svcenv/c_api.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "svcenv/container_analysis.h"
#include "svcenv/container_env.h"
#include "svcenv/decode.h"
#include "svcenv/env_json.h"
#include "svcenv/kubelet_version.h"
#include "svcenv/object_lookup.h"
#include "svcenv/objects.h"
#include "svcenv/redaction.h"
#include "svcenv/service_env.h"
#include "svcenv/service_index.h"
#include "svcenv/version.h"

struct svcenv_index {
  svcenv::ServiceIndex index;
};

namespace {

// A malloc'ed copy the caller releases with svcenv_free (free).
char* CopyOut(absl::string_view s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

svcenv_code Fail(svcenv_code code, absl::string_view message, char** error) {
  if (error != nullptr) *error = CopyOut(message);
  return code;
}

svcenv_code CodeFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return SVCENV_OK;
    case absl::StatusCode::kFailedPrecondition:
      return SVCENV_REFUSED;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kResourceExhausted:
      return SVCENV_INVALID_ARGUMENT;
    case absl::StatusCode::kNotFound:
      return SVCENV_NOT_FOUND;
    default:
      return SVCENV_INTERNAL;
  }
}

svcenv_code FromStatus(const absl::Status& status, char** error) {
  if (error != nullptr) *error = nullptr;
  if (status.ok()) return SVCENV_OK;
  return Fail(CodeFor(status), status.message(), error);
}

// Never a null data pointer: the YAML parser asserts on one, even for "".
absl::string_view View(const char* data, size_t len) {
  return data == nullptr ? absl::string_view("", 0)
                         : absl::string_view(data, len);
}

// Decodes `what` (pod JSON, ...) named `name` in messages.
absl::Status Decode(const char* data, size_t len, absl::string_view name,
                    svcenv::Objects* out) {
  if (data == nullptr && len != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": NULL data with a non-zero length"));
  }
  return svcenv::DecodeText(View(data, len), name, {}, out);
}

absl::Status Upsert(svcenv_index* index, const char* json, size_t len) {
  if (index == nullptr) return absl::InvalidArgumentError("index is NULL");
  svcenv::Objects objects;
  absl::Status read = Decode(json, len, "service", &objects);
  if (!read.ok()) return read;
  const size_t others = objects.pods.size() + objects.config_maps.size() +
                        objects.secrets.size() + objects.nodes.size();
  if (objects.services.size() != 1 || others != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "service: want exactly one Service object, got ",
        objects.services.size(), " Service(s) and ", others,
        " other object(s)"));
  }
  index->index.Upsert(std::move(objects.services[0]));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ContainerEnv(const svcenv_index* index,
                                         const char* pod_json, size_t pod_len,
                                         const char* container_name,
                                         const char* objects_json,
                                         size_t objects_len,
                                         const svcenv_env_options* options) {
  svcenv::Objects pods;
  absl::Status read = Decode(pod_json, pod_len, "pod", &pods);
  if (!read.ok()) return read;
  if (pods.pods.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "pod: want exactly one Pod object, got ", pods.pods.size()));
  }
  const svcenv::Pod& pod = pods.pods[0];
  svcenv::Objects objects;
  read = Decode(objects_json, objects_len, "objects", &objects);
  if (!read.ok()) return read;

  const absl::string_view name =
      container_name == nullptr ? absl::string_view() : container_name;
  const svcenv::Container* container = svcenv::FindContainer(pod, name);
  if (container == nullptr) {
    return absl::InvalidArgumentError(
        name.empty()
            ? absl::StrCat("pod ", pod.meta.namespace_name, "/",
                           pod.meta.name, " has no containers")
            : absl::StrCat("pod ", pod.meta.namespace_name, "/",
                           pod.meta.name, " has no container \"", name,
                           "\""));
  }

  svcenv::AnalysisOptions analysis_options;
  if (options != nullptr && options->kubelet_minor_version != 0) {
    absl::StatusOr<svcenv::KubeletVersion> kubelet =
        svcenv::KubeletVersion::FromMinor(options->kubelet_minor_version);
    if (!kubelet.ok()) return kubelet.status();
    analysis_options.environment.kubelet = *kubelet;
  }
  const bool links = pod.enable_service_links.value_or(true);
  svcenv::ServiceIndex::Snapshot services =
      index != nullptr
          ? index->index.Lookup(pod.meta.namespace_name, links)
          : std::make_shared<const svcenv::ServiceEnvironment>(
                svcenv::ComputeServiceEnvironment({}, pod.meta.namespace_name,
                                                  links));
  const svcenv::ObjectsLookup lookup(objects);
  absl::StatusOr<svcenv::ContainerAnalysis> analysis = svcenv::Analyze(
      std::move(services), lookup, pod, *container, analysis_options);
  if (!analysis.ok()) {
    return absl::Status(
        analysis.status().code(),
        absl::StrCat(analysis.status().code() ==
                             absl::StatusCode::kFailedPrecondition
                         ? "the kubelet would refuse container "
                         : "container ",
                     container->name, " of pod ", pod.meta.namespace_name,
                     "/", pod.meta.name, ": ", analysis.status().message()));
  }
  // The warnings `svcenv env` prints, but those about the input files.
  std::vector<std::string> warnings;
  for (const svcenv::Diagnostic& d : analysis->diagnostics) {
    warnings.push_back(d.Describe());
  }
  const svcenv::ContainerEnvironment env = analysis->Explain();
  const svcenv::Redactor redactor(env,
                                  options != nullptr && options->show_secrets);
  return svcenv::DumpJson(svcenv::ContainerEnvironmentJson(
      pod, *container, env, warnings, redactor));
}

}  // namespace

extern "C" {

const char* svcenv_version(void) { return SVCENV_VERSION_STRING; }

void svcenv_free(char* s) { std::free(s); }

svcenv_index* svcenv_index_create(void) {
  try {
    return new svcenv_index;
  } catch (...) {
    return nullptr;
  }
}

void svcenv_index_free(svcenv_index* index) { delete index; }

svcenv_code svcenv_index_upsert(svcenv_index* index, const char* json,
                                size_t len, char** error) {
  try {
    return FromStatus(Upsert(index, json, len), error);
  } catch (const std::bad_alloc&) {
    return Fail(SVCENV_INTERNAL, "out of memory", error);
  } catch (const std::exception& e) {
    return Fail(SVCENV_INTERNAL, e.what(), error);
  } catch (...) {
    return Fail(SVCENV_INTERNAL, "unknown exception", error);
  }
}

svcenv_code svcenv_index_delete(svcenv_index* index, const char* namespace_name,
                                const char* name, char** error) {
  try {
    if (error != nullptr) *error = nullptr;
    if (index == nullptr || namespace_name == nullptr || name == nullptr) {
      return Fail(SVCENV_INVALID_ARGUMENT,
                  "svcenv_index_delete: index, namespace and name must not be "
                  "NULL",
                  error);
    }
    if (!index->index.Delete(namespace_name, name)) {
      return Fail(SVCENV_NOT_FOUND,
                  absl::StrCat("no Service ", namespace_name, "/", name,
                               " in the index"),
                  error);
    }
    return SVCENV_OK;
  } catch (...) {
    return Fail(SVCENV_INTERNAL, "svcenv_index_delete failed", error);
  }
}

size_t svcenv_index_size(const svcenv_index* index) {
  return index == nullptr ? 0 : index->index.size();
}

svcenv_code svcenv_container_env(const svcenv_index* index,
                                 const char* pod_json, size_t pod_len,
                                 const char* container,
                                 const char* objects_json, size_t objects_len,
                                 const svcenv_env_options* options,
                                 char** env_json, char** error) {
  try {
    if (error != nullptr) *error = nullptr;
    if (env_json == nullptr) {
      return Fail(SVCENV_INVALID_ARGUMENT,
                  "svcenv_container_env: env_json must not be NULL", error);
    }
    *env_json = nullptr;
    absl::StatusOr<std::string> json =
        ContainerEnv(index, pod_json, pod_len, container, objects_json,
                     objects_len, options);
    if (!json.ok()) return FromStatus(json.status(), error);
    *env_json = CopyOut(*json);
    if (*env_json == nullptr) return Fail(SVCENV_INTERNAL, "out of memory", error);
    return SVCENV_OK;
  } catch (const std::bad_alloc&) {
    return Fail(SVCENV_INTERNAL, "out of memory", error);
  } catch (const std::exception& e) {
    return Fail(SVCENV_INTERNAL, e.what(), error);
  } catch (...) {
    return Fail(SVCENV_INTERNAL, "unknown exception", error);
  }
}

}  // extern "C"
