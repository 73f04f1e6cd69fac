/* include/svcenv/c_api.h
 *
 * svcenv for C and every language with a C FFI (the Go bindings in
 * bindings/go/svcenv use it). Only C types cross it: Kubernetes objects go in
 * as JSON or YAML bytes, as `kubectl get -o json|yaml` prints them, and the
 * environment comes out as JSON in the schema of `svcenv env -o json`
 * (docs/env.md): {"pod", "container", "env": [{"name", "value", "source",
 * "shadows"}], "command", "args", "warnings"}.
 *
 * A node agent keeps one svcenv_index, fed from its Service watch
 * (svcenv_index_upsert, svcenv_index_delete), and asks for a container's
 * environment when it starts one (svcenv_container_env).
 *
 * Errors: every function that can fail returns an svcenv_code. On anything
 * but SVCENV_OK, when `error` is not NULL, *error receives a NUL-terminated
 * message naming the input, object and field; otherwise *error is set to
 * NULL. SVCENV_REFUSED means the kubelet would refuse to create the container
 * (a missing ConfigMap, Secret or key, a bad quantity, ...); the message says
 * why.
 *
 * Ownership: strings returned through `char**` (results and messages) are
 * the caller's, released with svcenv_free. Input buffers are only read
 * during the call; the library keeps copies of what it needs.
 *
 * Thread safety: an svcenv_index may be used from any number of threads at
 * once (upserts, deletes and lookups; each lookup sees the index before or
 * after each concurrent upsert, never half of one), except svcenv_index_free,
 * which must be the last call on it. All other functions are thread-safe.
 * No function keeps a pointer to its arguments after it returns.
 *
 * Example:
 *   svcenv_index* index = svcenv_index_create();
 *   char* error = NULL;
 *   if (svcenv_index_upsert(index, svc_json, svc_len, &error) != SVCENV_OK) {
 *     fprintf(stderr, "%s\n", error);
 *     svcenv_free(error);
 *   }
 *   char* env_json = NULL;
 *   svcenv_code code = svcenv_container_env(index, pod_json, pod_len, "app",
 *                                           objects_json, objects_len, NULL,
 *                                           &env_json, &error);
 *   if (code == SVCENV_OK) puts(env_json);
 *   svcenv_free(env_json);
 *   svcenv_free(error);
 *   svcenv_index_free(index);
 */
#ifndef SVCENV_INCLUDE_SVCENV_C_API_H_
#define SVCENV_INCLUDE_SVCENV_C_API_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes; stable, also across releases. */
typedef enum svcenv_code {
  SVCENV_OK = 0,
  /* The kubelet would refuse to create the container. */
  SVCENV_REFUSED = 1,
  /* Unreadable or unusable input: bad JSON/YAML, the wrong kind or number of
   * objects, no such container, a NULL argument that may not be NULL. */
  SVCENV_INVALID_ARGUMENT = 2,
  /* svcenv_index_delete: no such Service in the index. */
  SVCENV_NOT_FOUND = 3,
  /* Anything else (out of memory, a bug): the message says what. */
  SVCENV_INTERNAL = 4
} svcenv_code;

/* The library's version, "MAJOR.MINOR.PATCH" (svcenv/version.h); static
 * storage, never freed. */
const char* svcenv_version(void);

/* Releases a string this API returned; NULL is ignored. */
void svcenv_free(char* s);

/* An incremental index of Services; see svcenv/service_index.h. */
typedef struct svcenv_index svcenv_index;

/* A new, empty index; NULL only when out of memory. */
svcenv_index* svcenv_index_create(void);

/* Frees the index; NULL is ignored. Results already returned stay valid. */
void svcenv_index_free(svcenv_index* index);

/* Adds or replaces (by namespace and name) the Service in `json`: one
 * Service object, JSON or YAML, `len` bytes (no NUL needed). */
svcenv_code svcenv_index_upsert(svcenv_index* index, const char* json,
                                size_t len, char** error);

/* Removes a Service; SVCENV_NOT_FOUND when the index has no such Service. */
svcenv_code svcenv_index_delete(svcenv_index* index, const char* namespace_name,
                                const char* name, char** error);

/* How many Services the index holds. */
size_t svcenv_index_size(const svcenv_index* index);

/* Options for svcenv_container_env; NULL means all zero. */
typedef struct svcenv_env_options {
  /* Follow the kubelet of minor version 1.N where results differ; 0 means
   * the current one. */
  int kubelet_minor_version;
  /* Non-zero: print Secret-derived values instead of "<secret ...>"
   * placeholders, as `svcenv env --show-secrets`. */
  int show_secrets;
} svcenv_env_options;

/* The environment of one container of the pod in `pod_json` (one Pod, JSON
 * or YAML), as `svcenv env -o json` prints it for one container, into
 * *env_json (NUL-terminated, free with svcenv_free).
 *
 * container: its name (an app or init container); NULL or "" means the
 *   first app container.
 * index: the Services; the pod receives those of its namespace and the
 *   master Service `default/kubernetes`, as the kubelet does. NULL: none.
 * objects_json: the ConfigMaps, Secrets and Nodes the pod may refer to, as
 *   one object, a `kind: List` or a multi-document stream, `objects_len`
 *   bytes; NULL (with 0) for none. Other kinds in it are ignored.
 *
 * SVCENV_REFUSED when the kubelet would refuse the container; then
 * *env_json is NULL and *error says why. */
svcenv_code svcenv_container_env(const svcenv_index* index,
                                 const char* pod_json, size_t pod_len,
                                 const char* container,
                                 const char* objects_json, size_t objects_len,
                                 const svcenv_env_options* options,
                                 char** env_json, char** error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SVCENV_INCLUDE_SVCENV_C_API_H_ */
