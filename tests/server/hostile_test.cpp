// A hostile client against a real `assure serve`: every route gets bodies that are deep, huge,
// truncated, not UTF-8, wrong-typed and `1e400`. Each gets a 4xx (never a 5xx), no answer quotes
// a library's or the database's words, and the process answers /healthz throughout. One address
// cannot take every connection; X-Forwarded-For is believed only from a trusted proxy.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "server/api.hpp"
#include "server/http_client.hpp"
#include "server/serve_process.hpp"

namespace assure::server {
namespace {

using nlohmann::json;
using testing::Reply;

Reply Send(int port, const std::string& method, const std::string& target, const std::string& token,
           const std::string& body,
           const std::string& headers = "Content-Type: application/json\r\n") {
  const std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                              "Origin: http://127.0.0.1\r\nConnection: close\r\n" +
                              (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") +
                              headers + "Content-Length: " + std::to_string(body.size()) +
                              "\r\n\r\n" + body;
  return testing::Exchange(port, request).value_or(Reply{});
}

// The route's pattern with its parameters filled in.
std::string TargetOf(std::string pattern) {
  const std::pair<const char*, const char*> values[] = {{"{id}", "wexbridge"}, {"{part}", "posts"},
                                                        {"{key}", "ceo"},      {"{user}", "nobody"},
                                                        {"{token}", "99999"},  {"{version}", "1"}};
  for (const auto& [name, value] : values) {
    const size_t at = pattern.find(name);
    if (at != std::string::npos) pattern.replace(at, std::string(name).size(), value);
  }
  return pattern;
}

std::string Deep(int depth) {
  return std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']');
}

// Bodies no route may take, by name.
std::vector<std::pair<std::string, std::string>> HostileBodies() {
  const std::string deep = Deep(30000);
  return {
      {"deep", R"({"version":1,"reason":"r","name":"n","arrangements":)" + deep + R"(,"entry":)" +
                   deep + "}"},
      {"deep bare", deep},
      {"deep object", std::string(20000, '{') + "}"},
      {"big", R"({"version":1,"entry":{"id":")" + std::string(4 << 20, 'a') + R"("}})"},
      {"truncated", R"({"version": 1, "reason": "x", "entry": {"id": "a)"},
      {"not UTF-8", "{\"version\":1,\"reason\":\"\xff\xfe\",\"name\":\"\xc0\xaf\",\"entry\":{}}"},
      {"wrong types", R"({"version":"one","reason":5,"arrangements":"text","entry":[1],"name":[],)"
                      R"("password":{},"role":7,"restore":true,"label":null,"site_admin":"yes"})"},
      {"not an object", R"(["version", 1])"},
      {"1e400", R"({"version":1e400,"restore":1e400,"name":1e400,"password":1e400,"entry":1e400})"},
      {"control characters",
       R"({"version":1,"reason":"a\u001b[2J\u202e","role":"viewer\u0007","label":"t\u0000",)"
       R"("entry":{"id":"x","title":"T\u001b]0;t\u0007","holder":"nobody"}})"},
  };
}

// Words from inside that no client should see.
void ExpectPlain(const Reply& reply) {
  for (const char* inside : {"json.exception", "parse_error", "sqlite", "SQLITE", "disk is full",
                             "no such table", "syntax error while"}) {
    EXPECT_EQ(reply.body.find(inside), std::string::npos) << reply.status << " " << reply.body;
  }
}

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::MakeTestDatabase("hostile", {"admin", "nobody-else"}, "admin");
    log_ = db_.path + ".log";
  }
  void TearDown() override {
    std::filesystem::remove(db_.path);
    std::filesystem::remove(log_);
  }
  testing::TestDatabase db_;
  std::string log_;
};

TEST_F(Hostile, EveryRouteRefusesBadBodiesAndTheServerStaysUp) {
  testing::ServeProcess server(db_.path, {}, log_);
  ASSERT_GT(server.port(), 0);
  const std::string& admin = db_.tokens[0];
  const std::string& no_role = db_.tokens[1];
  const auto body_limits = ApiBodyLimits();
  int sent = 0;
  for (const auto& [what, body] : HostileBodies()) {
    SCOPED_TRACE(what);
    for (const RouteInfo& route : ApiRoutes()) {
      if (route.method == "GET" || route.method == "DELETE") continue;  // they read no body
      const std::string target = TargetOf(route.pattern);
      SCOPED_TRACE(route.method + " " + target);
      // A body over a route's own lower limit is refused by its declared length (below): the
      // server answers 413 and closes while such a client is still sending.
      const auto limit = body_limits.find(target);
      if (limit != body_limits.end() && body.size() > limit->second) continue;
      for (const char* type : {"application/json", "application/yaml"}) {
        if (std::string(type) != "application/json" &&
            route.pattern.find("import") == std::string::npos) {
          continue;  // only import reads YAML
        }
        const Reply reply = Send(server.port(), route.method, target, admin, body,
                                 std::string("Content-Type: ") + type + "\r\n");
        ++sent;
        EXPECT_GE(reply.status, 400) << reply.body.substr(0, 300);
        EXPECT_LT(reply.status, 500) << reply.body.substr(0, 300);
        ExpectPlain(reply);
      }
    }
    // A user with no role at all is refused before the body is read.
    const Reply create = Send(server.port(), "POST", "/api/v1/authorities", no_role, body);
    EXPECT_EQ(create.status, 403) << create.body.substr(0, 300);
    ASSERT_TRUE(server.Alive());
    const auto health = testing::Get(server.port(), "/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
  }
  // Bodies beyond the size limit are refused as soon as their length is known.
  for (const char* target :
       {"/api/v1/session", "/api/v1/authorities", "/api/v1/authorities/wexbridge/posts"}) {
    const auto reply = testing::Exchange(
        server.port(), std::string("POST ") + target +
                           " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + admin +
                           "\r\nContent-Length: " + std::to_string(17 << 20) + "\r\n\r\n{");
    ASSERT_TRUE(reply) << target;
    EXPECT_EQ(reply->status, 413) << target;
  }
  EXPECT_GT(sent, 100);
  ASSERT_TRUE(server.Alive());
  const auto health = testing::Get(server.port(), "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  // The data is as it was: nothing hostile was saved.
  const Reply history =
      Send(server.port(), "GET", "/api/v1/authorities/wexbridge/history", admin, "");
  EXPECT_EQ(json::parse(history.body).size(), 1u) << history.body;
}

TEST_F(Hostile, ANumberTooLargeIsBadInput) {
  testing::ServeProcess server(db_.path, {}, log_);
  ASSERT_GT(server.port(), 0);
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"PUT", "/api/v1/authorities/wexbridge"},
           {"POST", "/api/v1/session"},
           {"POST", "/api/v1/authorities/wexbridge/changes"}}) {
    const Reply reply = Send(server.port(), method, target, db_.tokens[0],
                             R"({"version": 1e400, "name": "admin", "password": 1e400})");
    EXPECT_EQ(reply.status, 400) << target << " " << reply.body;
    EXPECT_EQ(json::parse(reply.body)["error"]["code"], "invalid");
    EXPECT_NE(reply.body.find("too large"), std::string::npos) << reply.body;
  }
}

// The database's own words go to the log; the client gets a plain message and a stable code.
TEST_F(Hostile, InternalDetailGoesToTheLogNotTheClient) {
  testing::ServeProcess server(db_.path, {}, log_);
  ASSERT_GT(server.port(), 0);
  const Reply malformed =
      Send(server.port(), "PUT", "/api/v1/authorities/wexbridge", db_.tokens[0], "{\"version\":");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(json::parse(malformed.body)["error"]["field"], "body");
  ExpectPlain(malformed);

  // Someone with the file removes a table under the running server.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_.path.c_str(), &raw), SQLITE_OK);
  sqlite3_busy_timeout(raw, 5000);
  EXPECT_EQ(sqlite3_exec(raw, "DROP TABLE grants", nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(raw);
  sqlite3_close(raw);
  const Reply broken = Send(server.port(), "GET", "/api/v1/me", db_.tokens[0], "");
  EXPECT_GE(broken.status, 500) << broken.body;
  const std::string code = json::parse(broken.body)["error"]["code"];
  EXPECT_TRUE(code == "unavailable" || code == "internal") << broken.body;
  ExpectPlain(broken);
  EXPECT_NE(broken.body.find("server log has the detail"), std::string::npos) << broken.body;
  ASSERT_TRUE(server.Alive());
  // The log has the detail, on the request's line (written once the answer is sent).
  std::string log;
  size_t line = std::string::npos;
  for (int tries = 0; tries < 100 && line == std::string::npos; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    log = testing::ReadWhole(log_);
    line = log.find("\"path\":\"/api/v1/me\"");
  }
  ASSERT_NE(line, std::string::npos) << log;
  EXPECT_NE(log.find("grants", line), std::string::npos) << log.substr(line);
}

// A connection from `source` (any 127.x.y.z: loopback takes them all) to 127.0.0.1:`port`, or -1.
int ConnectFrom(const char* source, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  timeval limit{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends a GET /healthz (kept alive) with `forwarded` as X-Forwarded-For, when not empty, and
// returns the status of the answer (0 when none).
int Healthz(int fd, const std::string& forwarded) {
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: t\r\n" +
                              (forwarded.empty() ? "" : "X-Forwarded-For: " + forwarded + "\r\n") +
                              "\r\n";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return 0;
  }
  std::string got;
  char buffer[4096];
  while (got.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return 0;
    got.append(buffer, static_cast<size_t>(n));
  }
  return got.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(got.c_str() + 9) : 0;
}

// The "remote" of each line of the request log for /healthz, in order.
std::vector<std::string> HealthzRemotes(const std::string& log) {
  std::vector<std::string> remotes;
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    const json entry = json::parse(line, nullptr, false);
    if (entry.is_object() && entry.value("path", "") == "/healthz") {
      remotes.push_back(entry.value("remote", ""));
    }
  }
  return remotes;
}

// One address's connections are capped: a flood of idle connections from it is refused while a
// client at another address is answered at once.
TEST_F(Hostile, OneAddressCannotTakeEveryConnection) {
  testing::ServeProcess server(db_.path, {"--max-connections-per-address", "20"}, log_);
  ASSERT_GT(server.port(), 0);
  std::vector<testing::Client> flood;
  for (int i = 0; i < 60; ++i) flood.emplace_back(server.port());
  // Twenty are held; the other forty are closed by the server.
  int closed = 0;
  std::vector<bool> seen(flood.size(), false);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (closed < 40 && std::chrono::steady_clock::now() < give_up) {
    for (size_t i = 0; i < flood.size(); ++i) {
      if (!seen[i] && flood[i].PeerClosed()) {
        seen[i] = true;
        ++closed;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(closed, 40);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int held = 0;
  for (size_t i = 0; i < flood.size(); ++i) held += flood[i].PeerClosed() ? 0 : 1;
  EXPECT_EQ(held, 20);

  // The same address is told why; a client at another address is answered.
  testing::Client extra(server.port());
  auto told = extra.Read();
  ASSERT_TRUE(told);
  EXPECT_EQ(told->status, 503);
  EXPECT_NE(told->body.find("from your address"), std::string::npos) << told->body;
  const int other = ConnectFrom("127.0.0.3", server.port());
  ASSERT_GE(other, 0);
  EXPECT_EQ(Healthz(other, ""), 200);
  close(other);
}

// X-Forwarded-For is believed from the trusted proxy alone: its last address is the client, for
// the log and the per-address cap.
TEST_F(Hostile, ForwardedForIsBelievedOnlyFromTheTrustedProxy) {
  testing::ServeProcess server(
      db_.path, {"--max-connections-per-address", "5", "--trusted-proxy", "127.0.0.2"}, log_);
  ASSERT_GT(server.port(), 0);
  // Not the proxy: the header is ignored.
  const int direct = ConnectFrom("127.0.0.4", server.port());
  EXPECT_EQ(Healthz(direct, "10.9.9.9"), 200);
  close(direct);
  // The proxy: five connections for one client fill that client's cap, not the proxy's.
  std::vector<int> proxied;
  for (int i = 0; i < 5; ++i) {
    proxied.push_back(ConnectFrom("127.0.0.2", server.port()));
    EXPECT_EQ(Healthz(proxied.back(), "6.6.6.6, 10.1.2.3"), 200) << i;
  }
  const int sixth = ConnectFrom("127.0.0.2", server.port());
  EXPECT_EQ(Healthz(sixth, "10.1.2.3"), 503);
  close(sixth);
  const int another = ConnectFrom("127.0.0.2", server.port());
  EXPECT_EQ(Healthz(another, "10.7.7.7"), 200) << "another client behind the proxy";
  const int bare = ConnectFrom("127.0.0.2", server.port());
  EXPECT_EQ(Healthz(bare, ""), 200) << "no header: the proxy is the client";
  for (int fd : proxied) close(fd);
  close(another);
  close(bare);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // Lines are written as responses finish, so two connections' may come in either order.
  std::vector<std::string> remotes = HealthzRemotes(testing::ReadWhole(log_));
  std::sort(remotes.begin(), remotes.end());
  const std::vector<std::string> expected = {"10.1.2.3", "10.1.2.3",  "10.1.2.3",
                                             "10.1.2.3", "10.1.2.3",  "10.1.2.3",
                                             "10.7.7.7", "127.0.0.2", "127.0.0.4"};
  EXPECT_EQ(remotes, expected);
}

}  // namespace
}  // namespace assure::server
