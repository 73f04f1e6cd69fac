// duplicate-env-key: a key written twice inside a container's environment
// (`env:` or `envFrom:` twice, a key twice in one entry). kubectl's YAML
// converter (go-yaml v2 through sigs.k8s.io/yaml) keeps the last value, so
// the first is dropped without a word; the decoder records each such key in
// `Objects::duplicate_keys` (file, document, the map's path, both lines).
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "lib/check/internal/context.h"
#include "lib/check/internal/rules.h"
#include "svcenv/check.h"
#include "svcenv/objects.h"

namespace svcenv::check_internal {
namespace {

// Where a duplicate key sits relative to a container: `list` and `index`
// name the container (`containers[1]`), `rest` the map inside it holding
// the key ("" for the container itself, `.env[2]`, `.env[0].valueFrom`).
struct ContainerPath {
  std::string list;
  size_t index = 0;
  std::string rest;
  int item = -1;  // `items[N].` of a List, else -1.
};

// Parses `[N]` at the start of `text`.
bool ConsumeIndex(absl::string_view* text, size_t* index) {
  if (!absl::ConsumePrefix(text, "[")) return false;
  const size_t close = text->find(']');
  if (close == absl::string_view::npos ||
      !absl::SimpleAtoi(text->substr(0, close), index))
    return false;
  text->remove_prefix(close + 1);
  return true;
}

bool ParseContainerPath(absl::string_view path, ContainerPath* out) {
  absl::string_view rest = path;
  size_t item = 0;
  if (absl::ConsumePrefix(&rest, "items")) {
    if (!ConsumeIndex(&rest, &item) || !absl::ConsumePrefix(&rest, "."))
      return false;
    out->item = static_cast<int>(item);
  }
  // The pod spec of a Pod, a workload's template or a CronJob's job
  // template: the last `spec.` before the container list.
  for (const char* list : {"containers", "initContainers",
                           "ephemeralContainers"}) {
    const std::string marker = absl::StrCat("spec.", list, "[");
    const size_t at = rest.rfind(marker);
    if (at == absl::string_view::npos) continue;
    const absl::string_view before = rest.substr(0, at);
    // Only template nesting before it (no container inside a container).
    if (before.find('[') != absl::string_view::npos) return false;
    absl::string_view after = rest.substr(at + marker.size() - 1);
    if (!ConsumeIndex(&after, &out->index)) return false;
    out->list = list;
    out->rest = std::string(after);
    return true;
  }
  return false;
}

// Whether a duplicate `key` in the container map at `rest` changes the
// environment.
bool AboutEnvironment(absl::string_view rest, absl::string_view key) {
  if (rest.empty()) return key == "env" || key == "envFrom";
  return absl::StartsWith(rest, ".env[") || absl::StartsWith(rest, ".envFrom[");
}

const std::vector<Container>* ListOf(const Pod& pod, absl::string_view list) {
  if (list == "containers") return &pod.containers;
  if (list == "initContainers") return &pod.init_containers;
  return &pod.ephemeral_containers;
}

std::string Lines(const DuplicateKey& d) {
  if (d.first_line <= 0 || d.line <= 0) return "";
  return absl::StrCat(" (lines ", d.first_line, " and ", d.line, ")");
}

}  // namespace

extern const RuleRegistration kDuplicateEnvKeyRule;
const RuleRegistration kDuplicateEnvKeyRule = {
    kDuplicateEnvKey, Severity::kError,
    "A key is written twice in a container's environment",
    "`env:` or `envFrom:` twice in one container, or a key twice in one "
    "env entry: kubectl keeps the last and silently drops the first, so "
    "the variables or the value written first never reach the container. "
    "Merge the two into one.",
    /*check_spec=*/&CheckDuplicateKeys,
    /*check=*/nullptr};

void CheckDuplicateKeys(const CheckContext& context, const Pod& pod,
                        const Container& container,
                        std::vector<Finding>* findings) {
  for (const DuplicateKey& d : context.objects().duplicate_keys) {
    if (d.file != pod.origin.file || d.document != pod.origin.document)
      continue;
    ContainerPath path;
    if (!ParseContainerPath(d.path, &path) || path.item != pod.origin.item ||
        !AboutEnvironment(path.rest, d.key))
      continue;
    const std::vector<Container>* list = ListOf(pod, path.list);
    if (path.index >= list->size() || &(*list)[path.index] != &container)
      continue;
    Finding f = MakeFinding(pod, container, kDuplicateEnvKey,
                            Severity::kError, d.line);
    const std::string where =
        path.rest.empty() ? "this container"
                          : std::string(absl::StripPrefix(path.rest, "."));
    if (path.rest.empty()) {
      f.message = absl::StrCat(
          "`", d.key, ":` is written twice in ", where, Lines(d),
          ": kubectl keeps the last and drops the first, so none of the "
          "first list's ",
          d.key == "env" ? "variables" : "sources",
          " reach the environment");
      f.hint = absl::StrCat("merge both `", d.key, ":` lists into one");
    } else {
      f.message = absl::StrCat("`", d.key, "` is written twice in ", where,
                               Lines(d),
                               ": kubectl keeps the last value and drops "
                               "the first");
      f.hint = absl::StrCat("keep one `", d.key, "` in ", where);
    }
    f.variable = path.rest.empty()
                     ? d.key
                     : absl::StrCat(absl::StripPrefix(path.rest, "."), ".",
                                    d.key);
    if (d.first_line > 0) {
      RelatedObject first;
      first.kind = "key";
      first.name = absl::StrCat(d.key, " (written first)");
      first.origin = pod.origin;
      first.origin.line = d.first_line;
      f.related.push_back(std::move(first));
    }
    findings->push_back(std::move(f));
  }
}

}  // namespace svcenv::check_internal
