#include "tools/command.h"

#include <ostream>
#include <string>
#include <vector>

#include "lib/base/status_macros.h"

namespace svcenv::cli {

FlagSpec HelpFlag() { return {"help", 'h', false, "", "Show this help."}; }

absl::Status RunWithFlags(
    const std::vector<std::string>& args, const std::vector<FlagSpec>& specs,
    absl::string_view help, std::ostream& help_out,
    absl::FunctionRef<absl::Status(const ParsedFlags& flags)> body) {
  SVCENV_ASSIGN_OR_RETURN(const ParsedFlags flags, ParseFlags(args, specs));
  if (flags.Has(HelpFlag().name)) {
    help_out << help << FlagsHelp(specs);
    return absl::OkStatus();
  }
  return body(flags);
}

}  // namespace svcenv::cli
