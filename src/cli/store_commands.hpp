// The commands that work on a database of authorities: import, export, history, verify,
// serve, user (add, grant, list, disable, enable, delete, sign-out).
// Private to the cli module.
#pragma once

#include <CLI/CLI.hpp>
#include <istream>
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
  // serve
  std::vector<std::string> trusted_proxies;  // whose X-Forwarded-For is believed
  size_t max_connections_per_address = 512;
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  bool insecure_cookies = false;
  bool secure_cookies = false;  // the default now; the flag is still taken
  // user
  std::string user_name;
  bool site_admin = false;
  bool password_stdin = false;
  bool reset = false;
  bool confirm = false;
  std::string role;
};

struct StoreCommands {
  CLI::App* import = nullptr;
  CLI::App* export_ = nullptr;
  CLI::App* history = nullptr;
  CLI::App* verify = nullptr;
  CLI::App* serve = nullptr;
  CLI::App* user = nullptr;
  CLI::App* user_add = nullptr;
  CLI::App* user_grant = nullptr;
  CLI::App* user_list = nullptr;
  CLI::App* user_disable = nullptr;
  CLI::App* user_enable = nullptr;
  CLI::App* user_delete = nullptr;
  CLI::App* user_sign_out = nullptr;
};

// Adds the commands to `app`, their options bound to `options`.
StoreCommands AddStoreCommands(CLI::App& app, StoreOptions& options);

// Runs whichever of the commands was parsed. Returns its exit code, or -1 when none was.
int RunStoreCommand(const StoreCommands& commands, const StoreOptions& options, std::istream& in,
                    std::ostream& out, std::ostream& err);

}  // namespace assure::cli
