// environment-size: environment, command and args against the execve limits
// (ARG_MAX, MAX_ARG_STRLEN).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/check/internal/context.h"
#include "lib/check/internal/rules.h"
#include "svcenv/check.h"
#include "svcenv/container_env.h"
#include "svcenv/objects.h"
#include "svcenv/pending_cluster_ip.h"
#include "svcenv/service_env.h"

namespace svcenv::check_internal {
namespace {

// Linux execve: each argv and envp pointer also takes stack space
// (fs/exec.c `bprm_stack_limits`).
constexpr int64_t kPointerBytes = 8;

}  // namespace

extern const RuleRegistration kEnvironmentSizeRule;
const RuleRegistration kEnvironmentSizeRule = {
    kEnvironmentSize, Severity::kError,
    "The environment nears or exceeds the execve limits",
    "Environment, command and args together are limited to ARG_MAX (2 "
    "MiB with an 8 MiB stack) and each string to MAX_ARG_STRLEN (128 "
    "KiB); beyond, exec fails with argument list too long (E2BIG). "
    "Warning from half of a limit, error beyond it.",
    /*check_spec=*/nullptr,
    /*check=*/&CheckSize};

void CheckSize(const CheckContext& context, const ContainerCase& c,
               std::vector<Finding>* findings) {
  const CheckOptions& options = context.options();
  const SharedContainerEnvironment& env = c.analysis.environment;
  int64_t total = 0;
  int64_t strings = 0;
  int64_t largest = 0;
  std::string largest_what;
  auto count = [&](int64_t bytes, absl::string_view what) {
    total += bytes + 1;  // With the terminating NUL.
    ++strings;
    if (bytes + 1 > largest) {
      largest = bytes + 1;
      largest_what = std::string(what);
    }
  };
  // A pending cluster IP counts as the address it will be (AllocatedSize).
  // The Service block's strings are totalled once per namespace; a
  // container adds its own and takes out the few Service variables it hides.
  const std::shared_ptr<const ServiceBlock> block =
      context.Block(c.pod.meta.namespace_name, c.links);
  const std::vector<size_t>& hidden = env.hidden_service_indices();
  const bool largest_hidden = std::binary_search(
      hidden.begin(), hidden.end(), block->exec_size.largest_index);
  if (env.service_block() == block->services && !largest_hidden) {
    for (const SharedContainerEnvironment::OwnVariable& v : env.own())
      count(v.name.size() + 1 + AllocatedSize(v.value), v.name);
    const std::vector<ServiceVariable>& vars = env.services().variables;
    total += block->exec_size.bytes;
    strings += vars.size();
    for (size_t i : hidden) {
      total -= vars[i].name.size() + 1 + AllocatedSize(vars[i].value) + 1;
      --strings;
    }
    if (!vars.empty() && block->exec_size.largest > largest) {
      largest = block->exec_size.largest;
      largest_what = vars[block->exec_size.largest_index].name;
    }
  } else {
    // Iterating the shared form copies nothing.
    for (const SharedContainerEnvironment::Variable& v : env)
      count(v.name.size() + 1 + AllocatedSize(v.value), v.name);
  }
  int argc = 0;
  for (const auto* list : {&env.command(), &env.args()}) {
    for (const std::string& a : *list) {
      count(AllocatedSize(a), "an argument");
      ++argc;
    }
  }
  // argv holds at least one pointer (fs/exec.c).
  total += kPointerBytes * (env.size() + std::max(argc, 1));

  // Headroom: a Service with this namespace's average name length, one
  // TCP port.
  const int average =
      context.Namespace(c.pod.meta.namespace_name).average_service_name;
  Service probe;
  probe.meta.name = std::string(std::max(average, 1), 'x');
  probe.cluster_ip = std::string(kAssumedClusterIp);
  probe.ports.push_back({"", 8080, "TCP"});
  std::vector<ServiceVariable> vars;
  (void)AppendServiceVariables(probe, &vars);
  int64_t per_service = 0;
  for (const ServiceVariable& v : vars)
    per_service += v.name.size() + v.value.size() + 2 + kPointerBytes;

  const int64_t arg_max = options.arg_max;
  const int64_t headroom =
      total >= arg_max ? 0 : (arg_max - total) / per_service;
  if (total > arg_max ||
      total >= static_cast<int64_t>(options.size_warning_ratio * arg_max)) {
    const bool over = total > arg_max;
    Finding f = MakeFinding(c.pod, c.container, kEnvironmentSize,
                            over ? Severity::kError : Severity::kWarning, 0);
    f.message = absl::StrCat(
        "environment, command and args take ", WithThousands(total),
        " bytes in ", WithThousands(strings), " strings, ",
        (total * 100) / arg_max, "% of ARG_MAX (", WithThousands(arg_max), ")",
        over ? "; exec fails with E2BIG (argument list too long)"
             : absl::StrCat("; about ", WithThousands(headroom),
                            " more Services with names of ", average,
                            " characters (this namespace's average) fit "
                            "before E2BIG"));
    f.hint =
        "set enableServiceLinks: false if the app does not read Service "
        "variables (check for $(..._SERVICE_...) references first)";
    findings->push_back(std::move(f));
  }
  const int64_t strlen_max = options.max_arg_strlen;
  if (largest > strlen_max ||
      largest >= static_cast<int64_t>(options.size_warning_ratio * strlen_max)) {
    const bool over = largest > strlen_max;
    Finding f = MakeFinding(c.pod, c.container, kEnvironmentSize,
                            over ? Severity::kError : Severity::kWarning, 0);
    f.message = absl::StrCat(
        largest_what == "an argument" ? "an argument" : largest_what, " takes ",
        WithThousands(largest), " bytes as one exec string, ",
        (largest * 100) / strlen_max, "% of MAX_ARG_STRLEN (",
        WithThousands(strlen_max), ")",
        over ? "; exec fails with E2BIG (argument list too long)" : "");
    f.hint = "move large values into a mounted file";
    if (largest_what != "an argument") f.variable = largest_what;
    findings->push_back(std::move(f));
  }
}

}  // namespace svcenv::check_internal
