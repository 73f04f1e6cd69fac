/* The C API (svcenv/c_api.h) from C: compiled as C, so the header is
 * checked to be plain C as well. No test framework: each CHECK prints the
 * failing line and the test exits 1 at the end. */
#include "svcenv/c_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svcenv/version.h"

static int failures = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
              #cond);                                                 \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

static const char kRedis[] =
    "{\"apiVersion\": \"v1\", \"kind\": \"Service\","
    " \"metadata\": {\"namespace\": \"shop\", \"name\": \"redis\"},"
    " \"spec\": {\"clusterIP\": \"10.0.0.1\","
    "  \"ports\": [{\"port\": 6379, \"protocol\": \"TCP\"}]}}";

/* YAML works too, as kubectl reads it. */
static const char kApi[] =
    "apiVersion: v1\nkind: Service\n"
    "metadata: {namespace: shop, name: api}\n"
    "spec:\n  clusterIP: 10.0.0.2\n  ports: [{name: http, port: 80}]\n";

static const char kPod[] =
    "{\"apiVersion\": \"v1\", \"kind\": \"Pod\","
    " \"metadata\": {\"namespace\": \"shop\", \"name\": \"web\"},"
    " \"spec\": {\"containers\": [{\"name\": \"app\", \"image\": \"app\","
    "  \"envFrom\": [{\"configMapRef\": {\"name\": \"settings\"}}],"
    "  \"env\": [{\"name\": \"BACKEND\","
    "            \"value\": \"redis://$(REDIS_SERVICE_HOST)\"},"
    "           {\"name\": \"PASSWORD\", \"valueFrom\": {\"secretKeyRef\":"
    "             {\"name\": \"db\", \"key\": \"password\"}}}]}]}}";

static const char kObjects[] =
    "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": ["
    " {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\","
    "  \"metadata\": {\"namespace\": \"shop\", \"name\": \"settings\"},"
    "  \"data\": {\"LOG_LEVEL\": \"debug\"}},"
    " {\"apiVersion\": \"v1\", \"kind\": \"Secret\","
    "  \"metadata\": {\"namespace\": \"shop\", \"name\": \"db\"},"
    "  \"data\": {\"password\": \"aHVudGVyMg==\"}}]}";

static int Contains(const char* haystack, const char* needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

static void TestVersion(void) {
  CHECK(strcmp(svcenv_version(), SVCENV_VERSION_STRING) == 0);
  svcenv_free(NULL); /* Allowed. */
}

static void TestIndex(void) {
  svcenv_index* index = svcenv_index_create();
  char* error = (char*)"not reset";
  CHECK(index != NULL);
  CHECK(svcenv_index_upsert(index, kRedis, strlen(kRedis), &error) ==
        SVCENV_OK);
  CHECK(error == NULL);
  CHECK(svcenv_index_upsert(index, kApi, strlen(kApi), NULL) == SVCENV_OK);
  CHECK(svcenv_index_upsert(index, kRedis, strlen(kRedis), NULL) ==
        SVCENV_OK); /* Replaces. */
  CHECK(svcenv_index_size(index) == 2);

  /* Not JSON: an error naming the input, nothing added. */
  CHECK(svcenv_index_upsert(index, "{\"kind\": ", 9, &error) ==
        SVCENV_INVALID_ARGUMENT);
  CHECK(error != NULL && error[0] != '\0');
  svcenv_free(error);
  /* A ConfigMap is not a Service. */
  CHECK(svcenv_index_upsert(index, kObjects, strlen(kObjects), &error) ==
        SVCENV_INVALID_ARGUMENT);
  CHECK(Contains(error, "exactly one Service"));
  svcenv_free(error);
  CHECK(svcenv_index_size(index) == 2);

  CHECK(svcenv_index_delete(index, "shop", "api", &error) == SVCENV_OK);
  CHECK(error == NULL);
  CHECK(svcenv_index_delete(index, "shop", "api", &error) ==
        SVCENV_NOT_FOUND);
  CHECK(Contains(error, "shop/api"));
  svcenv_free(error);
  CHECK(svcenv_index_size(index) == 1);
  svcenv_index_free(index);
  svcenv_index_free(NULL); /* Allowed. */
}

static void TestContainerEnvironment(void) {
  svcenv_index* index = svcenv_index_create();
  char* env = NULL;
  char* error = NULL;
  svcenv_env_options show = {0, 1};
  CHECK(svcenv_index_upsert(index, kRedis, strlen(kRedis), NULL) == SVCENV_OK);
  CHECK(svcenv_container_env(index, kPod, strlen(kPod), "app", kObjects,
                             strlen(kObjects), NULL, &env,
                             &error) == SVCENV_OK);
  CHECK(error == NULL);
  /* The schema of `svcenv env -o json`. */
  CHECK(Contains(env, "\"container\": \"app\""));
  CHECK(Contains(env, "\"name\": \"LOG_LEVEL\",\n      \"value\": \"debug\""));
  CHECK(Contains(env, "\"name\": \"BACKEND\",\n      \"value\": "
                      "\"redis://10.0.0.1\""));
  CHECK(Contains(env, "\"name\": \"REDIS_SERVICE_HOST\",\n      \"value\": "
                      "\"10.0.0.1\""));
  CHECK(Contains(env, "\"value\": \"<secret shop/db key password>\""));
  CHECK(!Contains(env, "hunter2"));
  svcenv_free(env);

  /* --show-secrets; NULL container is the first one. */
  CHECK(svcenv_container_env(index, kPod, strlen(kPod), NULL, kObjects,
                             strlen(kObjects), &show, &env,
                             &error) == SVCENV_OK);
  CHECK(Contains(env, "\"value\": \"hunter2\""));
  svcenv_free(env);

  /* No index: no Service variables. */
  CHECK(svcenv_container_env(NULL, kPod, strlen(kPod), "app", kObjects,
                             strlen(kObjects), NULL, &env,
                             &error) == SVCENV_OK);
  CHECK(Contains(env, "redis://$(REDIS_SERVICE_HOST)"));
  CHECK(!Contains(env, "\"name\": \"REDIS_SERVICE_HOST\""));
  svcenv_free(env);
  svcenv_index_free(index);
}

static void TestRefusalsAndErrors(void) {
  char* env = (char*)"not reset";
  char* error = NULL;
  /* Without the ConfigMap the kubelet refuses the container. */
  CHECK(svcenv_container_env(NULL, kPod, strlen(kPod), "app", NULL, 0, NULL,
                             &env, &error) == SVCENV_REFUSED);
  CHECK(env == NULL);
  CHECK(Contains(error, "settings"));
  svcenv_free(error);

  CHECK(svcenv_container_env(NULL, kPod, strlen(kPod), "sidecar", kObjects,
                             strlen(kObjects), NULL, &env,
                             &error) == SVCENV_INVALID_ARGUMENT);
  CHECK(Contains(error, "sidecar"));
  svcenv_free(error);

  CHECK(svcenv_container_env(NULL, kRedis, strlen(kRedis), "app", NULL, 0,
                             NULL, &env, &error) == SVCENV_INVALID_ARGUMENT);
  CHECK(Contains(error, "Pod"));
  svcenv_free(error);

  {
    svcenv_env_options ancient = {3, 0};
    CHECK(svcenv_container_env(NULL, kPod, strlen(kPod), "app", kObjects,
                               strlen(kObjects), &ancient, &env,
                               &error) == SVCENV_INVALID_ARGUMENT);
    CHECK(error != NULL);
    svcenv_free(error);
  }
  CHECK(svcenv_container_env(NULL, kPod, strlen(kPod), "app", NULL, 0, NULL,
                             NULL, &error) == SVCENV_INVALID_ARGUMENT);
  svcenv_free(error);
}

int main(void) {
  TestVersion();
  TestIndex();
  TestContainerEnvironment();
  TestRefusalsAndErrors();
  if (failures != 0) {
    fprintf(stderr, "c_api_test: %d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
