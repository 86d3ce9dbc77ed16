// The commands for running a database for years: checkpoint, prune-auth-log, backup, restore.
// Private to the cli module.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/store_commands.hpp"

namespace assure::cli {

struct OperationsCommands {
  CLI::App* checkpoint = nullptr;
  CLI::App* prune = nullptr;
  CLI::App* backup = nullptr;
  CLI::App* restore = nullptr;
};

// Adds the commands to `app`, their options bound to `options`.
OperationsCommands AddOperationsCommands(CLI::App& app, StoreOptions& options);

// Runs whichever of the commands was parsed. Returns its exit code, or -1 when none was.
int RunOperationsCommand(const OperationsCommands& commands, const StoreOptions& options,
                         std::ostream& out, std::ostream& err);

}  // namespace assure::cli
