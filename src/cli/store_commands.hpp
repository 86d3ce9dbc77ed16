// The commands that work on a database of authorities: import, export, history, verify,
// serve, user (add, grant, list, disable, enable, delete, sign-out).
// Private to the cli module.
#pragma once

#include <CLI/CLI.hpp>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace assure::store {
class Store;
}

namespace assure::cli {

struct StoreOptions {
  std::string db = "assure.db";
  std::string key_file;  // --key; empty: ASSURE_KEY_FILE, else beside the database (store.hpp)
  std::string user;      // who runs the command, for the log: the login name
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
  // verify
  std::string checkpoint;
  std::vector<std::string> pruned_files;
  // prune-auth-log
  int keep_days = 400;
  std::string before;
  // backup, restore, prune-auth-log
  std::string to;
  std::string from;
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

// Opens the database named by `options` (db, key_file), or reports why not on `err` and returns
// null. Only when `create` is a database (and its key) made when missing; otherwise a missing
// key leaves it readable and verifiable, and any change is refused.
std::unique_ptr<store::Store> OpenDatabase(const StoreOptions& options, bool create,
                                           std::ostream& err);

// Adds the option --key (the key file) to `command`.
void AddKeyOption(CLI::App& command, StoreOptions& options);

// Adds the commands to `app`, their options bound to `options`.
StoreCommands AddStoreCommands(CLI::App& app, StoreOptions& options);

// Runs whichever of the commands was parsed. Returns its exit code, or -1 when none was.
int RunStoreCommand(const StoreCommands& commands, const StoreOptions& options, std::istream& in,
                    std::ostream& out, std::ostream& err);

}  // namespace assure::cli
