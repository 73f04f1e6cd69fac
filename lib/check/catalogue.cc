// The shipped catalogue of variables apps are known to read, and its file
// format. Every entry comes from a public report (user-needs P1).
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
       "(confluentinc/cp-docker-images#388, wurstmeister/kafka-docker#122)",
       {"*confluentinc/cp-kafka*", "*confluentinc/cp-server*",
        "*confluentinc/cp-enterprise-kafka*", "*wurstmeister/kafka*"}},
      {"KAFKA_REST_PORT",
       "Confluent REST proxy and schema-registry images read it "
       "(confluentinc/cp-docker-images#286)",
       {"*confluentinc/cp-kafka-rest*", "*confluentinc/cp-schema-registry*"}},
      {"REDIS_PORT",
       "Redis images, redis-commander and many apps read it as a port number "
       "(kubernetes/kubernetes#65130, joeferner/redis-commander#267)",
       {"*redis-commander*"}},
      {"MYSQL_PORT",
       "MySQL clients and images read it as a port number "
       "(quicklyon/zentao-docker#9)",
       {"*zentao*"}},
      {"MONGO_PORT",
       "MongoDB sidecars and clients read it (cravall/mongo-k8s-sidecar#72)",
       {"*mongo-k8s-sidecar*"}},
      {"RABBITMQ_PORT",
       "Spring relaxed binding maps it to rabbitmq.port "
       "(kubernetes/kubernetes#59552)",
       {}},
      {"SPARK_MASTER_PORT",
       "Spark master images read it as the master port "
       "(big-data-europe/docker-spark#128)",
       {"*/spark", "*/spark:*", "*/spark-master*", "*/spark-worker*"}},
      {"SERVER_PORT",
       "Kibana and Spring Boot read it as the listen port "
       "(elastic/cloud-on-k8s#1987)",
       {"*kibana*"}},
      {"VLLM_PORT",
       "vLLM reads it and refuses a URI (vllm-project/vllm#34199)",
       {"*vllm*"}},
      {"COCKROACH_PORT",
       "CockroachDB reads it as its port (cockroachdb/cockroach#8876)",
       {"*cockroach*"}},
      {"FLAGD_PORT",
       "flagd reads it as its port (open-feature/open-feature-operator#431)",
       {"*/flagd", "*/flagd:*"}},
      {"DIFY_PORT", "Dify reads it as its port (langgenius/dify#539)",
       {"*dify*"}},
      {"ATHENS_PORT", "Athens reads it as its port (gomods/athens#1038)",
       {"*athens*"}},
      {"MEMOS_PORT", "Memos reads it as its port (usememos/memos#3761)",
       {"*memos*"}},
      {"THREADFIN_PORT",
       "Threadfin reads it as its port (Threadfin/Threadfin#33)",
       {"*threadfin*"}},
      {"CEREBRO_PORT", "Cerebro reads it as its port (lmenezes/cerebro#441)",
       {"*cerebro*"}},
      {"PACT_BROKER_PORT",
       "The Pact broker image reads it "
       "(pact-foundation/pact-broker-docker#14)",
       {"*pact-broker*", "*pact_broker*"}},
      {"TEMBOARD_PORT", "temBoard reads it as its port (dalibo/temboard#664)",
       {"*temboard*"}},
      {"REDISINSIGHT_PORT",
       "RedisInsight reads it as its port (RedisLabs/redislabs-docs#676)",
       {"*redisinsight*"}},
      {"DISPATCHARR_PORT",
       "Dispatcharr reads it as its port (Dispatcharr/Dispatcharr#760)",
       {"*dispatcharr*"}},
      {"GETH_PORT", "geth-based images read it (bnb-chain/bsc#2456)",
       {"*geth*", "*go-ethereum*", "*bnb-chain/bsc*"}},
      {"*_SERVICE_PORT",
       "by convention the port number of Service <name>; a Service named "
       "<name>-service sets it to a URL instead "
       "(kubernetes-operators-book/chapters#7)",
       {},
       /*if_service_exists=*/true},
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
    const bool suffix_pattern = absl::ConsumePrefix(&name, "*");
    if (!suffix_pattern) absl::ConsumeSuffix(&name, "*");
    bool valid = !name.empty();
    for (char c : name) valid &= IsNameByte(c);
    if (!valid) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ":", line_number, ": \"", pattern,
                       "\" is not a variable name, PREFIX* or *SUFFIX"));
    }
    CatalogueEntry entry;
    entry.pattern = std::string(pattern);
    // Options before the note.
    while (!note.empty()) {
      const size_t end = note.find_first_of(" \t");
      absl::string_view word = note.substr(0, end);
      absl::string_view globs = word;
      if (absl::ConsumePrefix(&globs, "image=")) {
        for (absl::string_view glob : absl::StrSplit(globs, ',')) {
          if (glob.empty()) {
            return absl::InvalidArgumentError(
                absl::StrCat(file_name, ":", line_number,
                             ": empty image glob in \"", word, "\""));
          }
          entry.images.emplace_back(glob);
        }
      } else if (word == "if-service-exists") {
        if (!suffix_pattern) {
          return absl::InvalidArgumentError(absl::StrCat(
              file_name, ":", line_number,
              ": if-service-exists needs a *SUFFIX pattern, got \"", pattern,
              "\""));
        }
        entry.if_service_exists = true;
      } else {
        break;
      }
      note = end == absl::string_view::npos
                 ? absl::string_view()
                 : absl::StripLeadingAsciiWhitespace(note.substr(end));
    }
    entry.note = std::string(note);
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string FormatCatalogue(const std::vector<CatalogueEntry>& entries) {
  std::string out =
      "# svcenv check catalogue: variables apps are known to read.\n"
      "# PATTERN (NAME, PREFIX* or *SUFFIX), [image=GLOB,...] (images that\n"
      "# read it), [if-service-exists] (*SUFFIX: only when the Service the\n"
      "# rest of the name implies exists), then who reads it.\n";
  for (const CatalogueEntry& entry : entries) {
    absl::StrAppend(&out, entry.pattern);
    if (!entry.images.empty())
      absl::StrAppend(&out, "  image=", absl::StrJoin(entry.images, ","));
    if (entry.if_service_exists) absl::StrAppend(&out, "  if-service-exists");
    if (!entry.note.empty()) absl::StrAppend(&out, "  ", entry.note);
    out.push_back('\n');
  }
  return out;
}

}  // namespace svcenv
