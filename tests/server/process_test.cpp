// `assure serve` as separate processes: killed with SIGKILL in the middle of a stream of edits,
// it loses no acknowledged edit and leaves a database that opens and verifies; two servers on one
// PostgreSQL database never lose an edit (concurrent edits get one success and one 409). When
// its disk is full, a sign-in gets the same answer whatever the password, and the sign-in limit
// still holds; floods of huge names and paths do not grow the database; an account cut off from
// the command line is cut off in the running server.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "load/arrangements_yaml.hpp"
#include "server/http_client.hpp"
#include "server/serve_process.hpp"
#include "store/accounts.hpp"
#include "store/store.hpp"

namespace assure::server {
namespace {

using nlohmann::json;
using testing::ServeProcess;

std::string Unique(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

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

// Signs in as a browser on this site would (from the address `from`, when given).
testing::Reply SignIn(int port, const std::string& name, const std::string& password,
                      const std::string& from = "") {
  const std::string body = json({{"name", name}, {"password", password}}).dump();
  const std::string request =
      "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\n"
      "Connection: close\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  return testing::Exchange(port, request, from).value_or(testing::Reply{});
}

// The bytes of an SQLite database: the file and its write-ahead log.
uintmax_t DatabaseBytes(const std::string& path) {
  uintmax_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ignored;
    const uintmax_t size = std::filesystem::file_size(path + suffix, ignored);
    if (!ignored) total += size;
  }
  return total;
}

// The status and body of a reply, for messages.
std::string Shown(const testing::Reply& r) { return std::to_string(r.status) + " " + r.body; }

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
    ServeProcess server(db.url, {}, "/dev/null");
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
  ServeProcess a(db.url, {}, "/dev/null");
  ServeProcess b(db.url, {}, "/dev/null");
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

// A full disk must neither open the sign-in limit nor tell a right password from a wrong one.
// The server's writes are made to fail as on a full disk: its largest file size (RLIMIT_FSIZE)
// is set to one byte, so every write to the database fails (EFBIG) while reads go on.
TEST(SignInProcess, OnAFullDiskTheAnswerIsTheSameWhateverThePasswordAndTheLimitHolds) {
  const Database db = Prepare(false);
  ServeProcess server(db.url, {}, "/dev/null");
  ASSERT_GT(server.port(), 0);
  ASSERT_EQ(SignIn(server.port(), "tester", "tester-password-long").status, 200);
  rlimit full{1, RLIM_INFINITY};
  ASSERT_EQ(prlimit(server.pid(), RLIMIT_FSIZE, &full, nullptr), 0) << std::strerror(errno);
  // Writes fail now: an edit is refused.
  const json edit = {{"version", 1},
                     {"reason", "On a full disk"},
                     {"entry", {{"date", "2017-01-20"}, {"kind", "interim"}}}};
  EXPECT_EQ(
      Send(server.port(), "POST", "/api/v1/authorities/wexbridge/changes", db.token, edit.dump())
          .status,
      503);

  std::set<int> wrong, right;
  bool limited = false;
  for (int i = 0; i < 12; ++i) {
    const testing::Reply w =
        SignIn(server.port(), "tester", "a wrong password " + std::to_string(i));
    const testing::Reply r = SignIn(server.port(), "tester", "tester-password-long");
    wrong.insert(w.status);
    right.insert(r.status);
    EXPECT_TRUE(w.status == 503 || w.status == 429) << Shown(w);
    EXPECT_TRUE(r.status == 503 || r.status == 429) << Shown(r);
    limited = limited || (w.status == 429 && r.status == 429);
  }
  EXPECT_EQ(wrong, right) << "the answers tell the passwords apart";
  EXPECT_TRUE(limited) << "the limit (10 tries) was not kept on a full disk";

  // The disk has room again: the same password signs in (from another address: this one must
  // wait), and nothing was lost.
  rlimit room{RLIM_INFINITY, RLIM_INFINITY};
  ASSERT_EQ(prlimit(server.pid(), RLIMIT_FSIZE, &room, nullptr), 0);
  EXPECT_EQ(SignIn(server.port(), "tester", "tester-password-long", "127.0.0.2").status, 200);
  EXPECT_EQ(SignIn(server.port(), "tester", "tester-password-long").status, 429);
  server.Kill();
  auto reopened = store::OpenStore(db.url);
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE(reopened.value()->Verify().value().ok);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.url + suffix);
}

// The log of sign-ins and refusals cannot be used to fill the disk.
TEST(SignInProcess, FloodsOfHugeNamesAndPathsDoNotGrowTheDatabase) {
  const Database db = Prepare(false);
  ServeProcess server(db.url, {}, "/dev/null");
  ASSERT_GT(server.port(), 0);
  ASSERT_EQ(SignIn(server.port(), "tester", "tester-password-long").status, 200);
  const uintmax_t before = DatabaseBytes(db.url);
  const std::string eight_mb(8 << 20, 'n');
  for (int i = 0; i < 6; ++i) {
    // Answered 413 on its declared length, and the connection closed while the client may still
    // be sending: a client that sends it all may see the connection closed instead.
    const testing::Reply r = SignIn(server.port(), eight_mb, "x");
    EXPECT_TRUE(r.status == 413 || r.status == 0) << Shown(r);
  }
  const auto declared = testing::Exchange(
      server.port(),
      "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\n"
      "Content-Length: 8388608\r\n\r\n");
  ASSERT_TRUE(declared.has_value());
  EXPECT_EQ(declared->status, 413);
  for (int i = 0; i < 20; ++i) {
    const testing::Reply r = SignIn(server.port(), std::string(3000, 'a' + i % 26), "password");
    EXPECT_EQ(r.status, 400) << Shown(r);
  }
  const std::string long_path = "/api/v1/authorities/" + std::string(15000, 'p');
  for (int i = 0; i < 2000; ++i) {
    const testing::Reply r = Send(server.port(), "GET", long_path, "no-such-token", "");
    ASSERT_EQ(r.status, 401) << Shown(r);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the counts are written
  const uintmax_t after = DatabaseBytes(db.url);
  EXPECT_LT(after, before + 1024 * 1024) << before << " bytes before, " << after << " after";
  server.Kill();
  auto reopened = store::OpenStore(db.url);
  ASSERT_TRUE(reopened.ok());
  int64_t refused = 0;
  const std::vector<store::AuthEvent> events =
      reopened.value()->accounts().AuthEvents(100000).value();
  for (const store::AuthEvent& e : events) {
    if (e.kind == "unauthorized") refused += e.count;
    EXPECT_LE(e.user.size(), store::kMaxUserNameBytes);
    EXPECT_LE(e.detail.size(), store::kMaxLoggedDetailBytes);
  }
  EXPECT_GE(refused, 1990) << "each refusal is counted (the last second's may be unwritten)";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.url + suffix);
}

// `assure user disable` on the database cuts the user off in the running server: sessions at
// once, API tokens within the second a server may remember one for.
TEST(SignInProcess, AnAccountDisabledFromTheCommandLineIsCutOffInTheRunningServer) {
  const Database db = Prepare(false);
  {
    auto store = store::OpenStore(db.url);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store.value()->accounts().AddUser("alice", "alice-password-long", false).ok());
    ASSERT_TRUE(store.value()->accounts().SetRole("alice", "wexbridge", Role::kViewer).ok());
  }
  ServeProcess server(db.url, {}, "/dev/null");
  ASSERT_GT(server.port(), 0);
  const testing::Reply signed_in = SignIn(server.port(), "alice", "alice-password-long");
  ASSERT_EQ(signed_in.status, 200);
  const std::string cookie = signed_in.headers.at("set-cookie");
  EXPECT_NE(cookie.find("; Secure"), std::string::npos);
  const std::string request =
      "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: " +
      cookie.substr(0, cookie.find(';')) + "\r\n\r\n";
  ASSERT_EQ(testing::Exchange(server.port(), request)->status, 200);
  const std::string command =
      std::string(ASSURE_BINARY) + " user disable alice --db '" + db.url + "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(testing::Exchange(server.port(), request)->status, 401);
  EXPECT_EQ(SignIn(server.port(), "alice", "alice-password-long").status, 401);
  const std::string enable =
      std::string(ASSURE_BINARY) + " user enable alice --db '" + db.url + "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(enable.c_str()), 0);
  EXPECT_EQ(SignIn(server.port(), "alice", "alice-password-long").status, 200);
  // The last site administrator cannot be disabled.
  const std::string last =
      std::string(ASSURE_BINARY) + " user disable tester --db '" + db.url + "' > /dev/null 2>&1";
  EXPECT_NE(std::system(last.c_str()), 0);
  server.Kill();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.url + suffix);
}

INSTANTIATE_TEST_SUITE_P(Engines, Process, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Postgres" : "Sqlite";
                         });

}  // namespace
}  // namespace assure::server
