// The commands that work on a database of authorities: import, export, history, verify.
// Private to the cli module.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace assure::cli {

struct StoreOptions {
  std::string db = "assure.db";
  std::string user;  // who runs the command, for the log: the login name
  // import
  std::vector<std::string> files;
  std::string reason;
  std::string author;
  // export / history
  std::string authority;
  long long version = 0;
  std::string at;
  std::string format;
};

struct StoreCommands {
  CLI::App* import = nullptr;
  CLI::App* export_ = nullptr;
  CLI::App* history = nullptr;
  CLI::App* verify = nullptr;
};

// Adds the commands to `app`, their options bound to `options`.
StoreCommands AddStoreCommands(CLI::App& app, StoreOptions& options);

// Runs whichever of the commands was parsed. Returns its exit code, or -1 when none was.
int RunStoreCommand(const StoreCommands& commands, const StoreOptions& options, std::ostream& out,
                    std::ostream& err);

}  // namespace assure::cli
