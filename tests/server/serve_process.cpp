#include "server/serve_process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "load/arrangements_yaml.hpp"
#include "store/accounts.hpp"
#include "store/store.hpp"

namespace assure::server::testing {

ServeProcess::ServeProcess(const std::string& db, const std::vector<std::string>& extra,
                           const std::string& log_path) {
  std::vector<std::string> args = {ASSURE_BINARY, "serve", "--db", db, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe(out) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(log, STDERR_FILENO);
    close(out[0]);
    // A write past RLIMIT_FSIZE (a full disk, as a test may set with prlimit) then fails with
    // EFBIG rather than killing the process; an ignored signal stays ignored across exec.
    signal(SIGXFSZ, SIG_IGN);
    execv(ASSURE_BINARY, argv.data());
    _exit(127);
  }
  close(out[1]);
  // The first line says where it serves: "... serving on http://127.0.0.1:PORT/ ...".
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  const size_t at = line.find("127.0.0.1:");
  if (at != std::string::npos) port_ = std::atoi(line.c_str() + at + 10);
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) Kill();
}

bool ServeProcess::Alive() {
  if (pid_ <= 0) return false;
  return waitpid(pid_, nullptr, WNOHANG) == 0;
}

void ServeProcess::Kill() {
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

TestDatabase MakeTestDatabase(const std::string& name, const std::vector<std::string>& users,
                              const std::string& site_admin) {
  TestDatabase db;
  db.path = (std::filesystem::temp_directory_path() /
             ("assure_" + name + "_" + std::to_string(getpid()) + ".db"))
                .string();
  std::filesystem::remove(db.path);
  auto opened = store::OpenStore(db.path);
  EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.errors().front().message);
  if (!opened.ok()) return db;
  auto store = std::move(opened).value();
  const std::string text =
      ReadWhole((std::filesystem::path(ASSURE_SOURCE_DIR) / "examples/twin-hatter-city.yaml"));
  auto a = load::ParseArrangements(text, "twin-hatter-city.yaml");
  EXPECT_TRUE(store->Import(a.value(), {"setup", "Initial load", ""}).ok());
  for (const std::string& user : users) {
    EXPECT_TRUE(store->accounts().AddUser(user, user + "-password-long", user == site_admin).ok());
    auto token = store->accounts().CreateApiToken(user, "test");
    EXPECT_TRUE(token.ok());
    db.tokens.push_back(token.ok() ? token.value().second : "");
  }
  return db;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace assure::server::testing
