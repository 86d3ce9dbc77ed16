// `assure serve` as separate processes: killed with SIGKILL in the middle of a stream of edits,
// it loses no acknowledged edit and leaves a database that opens and verifies; two servers on one
// PostgreSQL database never lose an edit (concurrent edits get one success and one 409).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "load/arrangements_yaml.hpp"
#include "server/http_client.hpp"
#include "store/accounts.hpp"
#include "store/store.hpp"

namespace assure::server {
namespace {

using nlohmann::json;

std::string Unique(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

// A running `assure serve`; killed (SIGKILL) when it goes, unless already reaped.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& db) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, STDERR_FILENO);  // the request log
      close(out[0]);
      execl(ASSURE_BINARY, ASSURE_BINARY, "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0",
            static_cast<char*>(nullptr));
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
  ~ServerProcess() {
    if (pid_ > 0) Kill();
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  void Kill() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// A database for one test: an SQLite file, or a schema of its own in the PostgreSQL named by
// ASSURE_TEST_POSTGRES_URL.
struct Database {
  std::string url;
  std::string token;  // a site administrator's API token
};

Database Prepare(bool postgres) {
  Database db;
  if (postgres) {
    const char* base = std::getenv("ASSURE_TEST_POSTGRES_URL");
    const std::string schema = Unique("p_");
    PGconn* conn = PQconnectdb(base);
    PQclear(PQexec(conn, ("CREATE SCHEMA " + schema).c_str()));
    PQfinish(conn);
    db.url = std::string(base) + (std::string(base).find('?') == std::string::npos ? "?" : "&") +
             "options=-csearch_path%3D" + schema;
  } else {
    db.url =
        (std::filesystem::temp_directory_path() / (Unique("assure_process_") + ".db")).string();
  }
  auto opened = store::OpenStore(db.url);
  EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.errors().front().message);
  if (!opened.ok()) return db;
  auto store = std::move(opened).value();
  std::ifstream in(std::filesystem::path(ASSURE_SOURCE_DIR) / "examples/twin-hatter-city.yaml");
  std::stringstream text;
  text << in.rdbuf();
  auto a = load::ParseArrangements(text.str(), "twin-hatter-city.yaml");
  EXPECT_TRUE(store->Import(a.value(), {"setup", "Initial load", ""}).ok());
  EXPECT_TRUE(store->accounts().AddUser("tester", "tester-password-long", true).ok());
  db.token = store->accounts().CreateApiToken("tester", "process test").value().second;
  return db;
}

testing::Reply Send(int port, const std::string& method, const std::string& target,
                    const std::string& token, const std::string& body) {
  const std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                              "Connection: close\r\nAuthorization: Bearer " + token + "\r\n" +
                              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return testing::Exchange(port, request).value_or(testing::Reply{});
}

class Process : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam() && !std::getenv("ASSURE_TEST_POSTGRES_URL")) {
      if (std::getenv("CI")) FAIL() << "CI=true but ASSURE_TEST_POSTGRES_URL is not set";
      GTEST_SKIP() << "ASSURE_TEST_POSTGRES_URL is not set (make test sets it)";
    }
  }
};

TEST_P(Process, SigkillLosesNoAcknowledgedEdit) {
  const Database db = Prepare(GetParam());
  int acknowledged = 0;
  {
    ServerProcess server(db.url);
    ASSERT_GT(server.port(), 0);
    int version = 1;
    std::thread in_flight;
    for (int i = 0; i < 40; ++i) {
      const json body = {{"version", version},
                         {"reason", "Edit " + std::to_string(i)},
                         {"entry", {{"date", "2017-01-20"}, {"kind", "interim"}}}};
      if (i == 30) {
        // The last edit is still in flight when the server is killed.
        in_flight = std::thread([&, b = body.dump()] {
          Send(server.port(), "POST", "/api/v1/authorities/wexbridge/changes", db.token, b);
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        server.Kill();
        break;
      }
      const auto reply = Send(server.port(), "POST", "/api/v1/authorities/wexbridge/changes",
                              db.token, body.dump());
      ASSERT_EQ(reply.status, 201) << reply.body;
      version = json::parse(reply.body)["version"].get<int>();
      acknowledged = version;
    }
    if (in_flight.joinable()) in_flight.join();
  }
  auto reopened = store::OpenStore(db.url);
  ASSERT_TRUE(reopened.ok());
  auto report = reopened.value()->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report.value().ok);
  auto current = reopened.value()->Current("wexbridge");
  ASSERT_TRUE(current.ok());
  EXPECT_GE(current.value().version, acknowledged) << "an acknowledged edit was lost";
  auto history = reopened.value()->History("wexbridge").value();
  for (int v = 2; v <= acknowledged; ++v) {
    EXPECT_EQ(history[static_cast<size_t>(v - 1)].reason, "Edit " + std::to_string(v - 2));
  }
  if (!GetParam()) {
    std::filesystem::remove(db.url);
    std::filesystem::remove(db.url + ".key");
  }
}

// Two servers share a database through PostgreSQL (SQLite is one process's file).
TEST(TwoServers, OnOnePostgresDatabaseNeverLoseAnEdit) {
  if (!std::getenv("ASSURE_TEST_POSTGRES_URL")) {
    if (std::getenv("CI")) FAIL() << "CI=true but ASSURE_TEST_POSTGRES_URL is not set";
    GTEST_SKIP() << "ASSURE_TEST_POSTGRES_URL is not set (make test sets it)";
  }
  const Database db = Prepare(true);
  ServerProcess a(db.url);
  ServerProcess b(db.url);
  ASSERT_GT(a.port(), 0);
  ASSERT_GT(b.port(), 0);
  constexpr int kRounds = 12;
  for (int round = 0; round < kRounds; ++round) {
    const auto current =
        Send(a.port(), "GET", "/api/v1/authorities/wexbridge/posts/ceo", db.token, "");
    const json post = json::parse(current.body);
    const int version = post["version"].get<int>();
    testing::Reply replies[2];
    std::thread threads[2];
    for (int i = 0; i < 2; ++i) {
      json entry = post["entry"];
      entry["title"] =
          "Chief Executive (" + std::string(i ? "B" : "A") + std::to_string(round) + ")";
      const json body = {{"version", version}, {"reason", "Round"}, {"entry", entry}};
      threads[i] = std::thread([&, i, text = body.dump()] {
        replies[i] = Send(i ? a.port() : b.port(), "PUT", "/api/v1/authorities/wexbridge/posts/ceo",
                          db.token, text);
      });
    }
    for (auto& t : threads) t.join();
    const int ok = (replies[0].status == 200) + (replies[1].status == 200);
    const int conflict = (replies[0].status == 409) + (replies[1].status == 409);
    EXPECT_EQ(ok, 1) << replies[0].body << replies[1].body;
    EXPECT_EQ(conflict, 1) << replies[0].body << replies[1].body;
  }
  auto reopened = store::OpenStore(db.url);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened.value()->Current("wexbridge").value().version, 1 + kRounds)
      << "every successful edit is kept, and only those";
  EXPECT_TRUE(reopened.value()->Verify().value().ok);
}

INSTANTIATE_TEST_SUITE_P(Engines, Process, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Postgres" : "Sqlite";
                         });

}  // namespace
}  // namespace assure::server
