// tools/pod_selection.h
//
// DO NOT INCLUDE OUTSIDE tools/. Which pod and which containers a command
// means: `POD` or `KIND/NAME` as kubectl spells them, `-n`, `-c` and
// `--all-containers`. Errors are InvalidArgumentError (exit 2) whose message
// names what was asked for and what the input holds.
#ifndef SVCENV_TOOLS_POD_SELECTION_H_
#define SVCENV_TOOLS_POD_SELECTION_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "svcenv/objects.h"

namespace svcenv::cli {

// The kind a kubectl spelling names ("deploy", "pods", "sts"...), among the
// kinds that carry a pod template; nullopt for any other word.
std::optional<std::string> CanonicalKind(absl::string_view text);

// `Deployment shop/web`: how messages name a pod or workload.
std::string PodLabel(const Pod& pod);

// The one pod or workload `positional` (empty, or one `POD`/`KIND/NAME`)
// selects in `objects`, restricted to namespace `ns` when given. A bare name
// means a Pod first, as kubectl does, and a workload only when no Pod has it.
absl::StatusOr<const Pod*> SelectPod(const Objects& objects,
                                     const std::vector<std::string>& positional,
                                     const std::optional<std::string>& ns);

// The containers to show: every init, app and ephemeral container with
// `all_containers`, else the one named `name` (absent or empty: the first
// app container). `-c` and `--all-containers` exclude each other.
absl::StatusOr<std::vector<const Container*>> SelectContainers(
    const Pod& pod, const std::optional<std::string>& name,
    bool all_containers);

// `deploy.yaml line 12` (or `document 2`, `item 3` inside a List).
std::string DescribeOrigin(const Origin& origin);

// The namespaces of the input's namespaced objects (Nodes have none).
std::set<std::string> NamespacesInInput(const Objects& objects);

// Empty when the input has an object in `ns`; else a sentence saying it has
// none, with the closest namespace it has and the list of them.
std::string MissingNamespaceNote(const Objects& objects, absl::string_view ns);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_POD_SELECTION_H_
