// The shipped catalogue of variables apps are known to read, and its file
// format. Every entry comes from a public report (user-needs P1).
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "svcenv/check.h"

namespace svcenv {
namespace {

bool IsNameByte(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '-' || c == '.';
}

}  // namespace

const std::vector<CatalogueEntry>& BuiltinCatalogue() {
  static const auto* const kEntries = new std::vector<CatalogueEntry>{
      {"KAFKA_PORT",
       "Confluent and wurstmeister Kafka images read it as the broker port "
       "(confluentinc/cp-docker-images#388, wurstmeister/kafka-docker#122)"},
      {"KAFKA_REST_PORT",
       "Confluent REST proxy and schema-registry images read it "
       "(confluentinc/cp-docker-images#286)"},
      {"REDIS_PORT",
       "Redis images, redis-commander and many apps read it as a port number "
       "(kubernetes/kubernetes#65130, joeferner/redis-commander#267)"},
      {"MYSQL_PORT",
       "MySQL clients and images read it as a port number "
       "(quicklyon/zentao-docker#9)"},
      {"MONGO_PORT",
       "MongoDB sidecars and clients read it (cravall/mongo-k8s-sidecar#72)"},
      {"RABBITMQ_PORT",
       "Spring relaxed binding maps it to rabbitmq.port "
       "(kubernetes/kubernetes#59552)"},
      {"SPARK_MASTER_PORT",
       "Spark master images read it as the master port "
       "(big-data-europe/docker-spark#128)"},
      {"SERVER_PORT",
       "Kibana and Spring Boot read it as the listen port "
       "(elastic/cloud-on-k8s#1987)"},
      {"VLLM_PORT",
       "vLLM reads it and refuses a URI (vllm-project/vllm#34199)"},
      {"COCKROACH_PORT",
       "CockroachDB reads it as its port (cockroachdb/cockroach#8876)"},
      {"FLAGD_PORT",
       "flagd reads it as its port (open-feature/open-feature-operator#431)"},
      {"DIFY_PORT", "Dify reads it as its port (langgenius/dify#539)"},
      {"ATHENS_PORT", "Athens reads it as its port (gomods/athens#1038)"},
      {"MEMOS_PORT", "Memos reads it as its port (usememos/memos#3761)"},
      {"THREADFIN_PORT",
       "Threadfin reads it as its port (Threadfin/Threadfin#33)"},
      {"CEREBRO_PORT", "Cerebro reads it as its port (lmenezes/cerebro#441)"},
      {"PACT_BROKER_PORT",
       "The Pact broker image reads it "
       "(pact-foundation/pact-broker-docker#14)"},
      {"TEMBOARD_PORT", "temBoard reads it as its port (dalibo/temboard#664)"},
      {"REDISINSIGHT_PORT",
       "RedisInsight reads it as its port (RedisLabs/redislabs-docs#676)"},
      {"DISPATCHARR_PORT",
       "Dispatcharr reads it as its port (Dispatcharr/Dispatcharr#760)"},
      {"GETH_PORT", "geth-based images read it (bnb-chain/bsc#2456)"},
      {"*_SERVICE_PORT",
       "by convention the port number of Service <name>; a Service named "
       "<name>-service sets it to a URL instead "
       "(kubernetes-operators-book/chapters#7)"},
  };
  return *kEntries;
}

absl::StatusOr<std::vector<CatalogueEntry>> ParseCatalogue(
    absl::string_view text, absl::string_view file_name) {
  std::vector<CatalogueEntry> entries;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find_first_of(" \t");
    absl::string_view pattern = line.substr(0, space);
    absl::string_view note =
        space == absl::string_view::npos
            ? absl::string_view()
            : absl::StripAsciiWhitespace(line.substr(space));
    absl::string_view name = pattern;
    // At most one `*`, at either end.
    if (!absl::ConsumePrefix(&name, "*")) absl::ConsumeSuffix(&name, "*");
    bool valid = !name.empty();
    for (char c : name) valid &= IsNameByte(c);
    if (!valid) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ":", line_number, ": \"", pattern,
                       "\" is not a variable name, PREFIX* or *SUFFIX"));
    }
    entries.push_back({std::string(pattern), std::string(note)});
  }
  return entries;
}

std::string FormatCatalogue(const std::vector<CatalogueEntry>& entries) {
  std::string out =
      "# svcenv check catalogue: variables apps are known to read.\n"
      "# PATTERN (NAME, PREFIX* or *SUFFIX), then who reads it.\n";
  for (const CatalogueEntry& entry : entries) {
    absl::StrAppend(&out, entry.pattern, entry.note.empty() ? "" : "  ",
                    entry.note, "\n");
  }
  return out;
}

}  // namespace svcenv
