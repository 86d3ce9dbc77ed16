// `assure serve` run as a separate process for tests that must see what a client sees (and
// whether the process survives): started on a free port with any extra options, its request log
// kept in a file. Killed (SIGKILL) when it goes.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace assure::server::testing {

class ServeProcess {
 public:
  // Starts `assure serve --db DB --listen 127.0.0.1:0 EXTRA...`; port() is 0 when it did not
  // start. The request log (standard error) goes to `log_path`.
  ServeProcess(const std::string& db, const std::vector<std::string>& extra,
               const std::string& log_path);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Whether the process is still running (not exited, not killed).
  bool Alive();
  void Kill();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// A fresh SQLite database for one test (its path under the temporary directory) holding the
// twin-hatter-city example (authority "wexbridge") and the users named, each with an API token.
// `site_admin` names the one site administrator; the others have no role. Returns the tokens in
// the order of `users`.
struct TestDatabase {
  std::string path;
  std::vector<std::string> tokens;
};
TestDatabase MakeTestDatabase(const std::string& name, const std::vector<std::string>& users,
                              const std::string& site_admin);

// The whole of a file (a request log).
std::string ReadWhole(const std::string& path);

}  // namespace assure::server::testing
