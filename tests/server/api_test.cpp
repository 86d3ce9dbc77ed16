// The JSON API over a real server, a real SQLite database and real sockets: every route refused
// without credentials and to another council's user, roles, stale versions, malformed bodies,
// sessions and the same-origin rule, tokens, history, findings, and the public view.
#include "server/api.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "load/arrangements_yaml.hpp"
#include "load/catalogue_yaml.hpp"
#include "server/http_client.hpp"
#include "store/accounts.hpp"
#include "store/store.hpp"

namespace assure::server {
namespace {

using nlohmann::json;
using testing::Reply;

std::string Header(const Reply& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The clock the API sees, which tests can move.
struct TestClock {
  long long seconds = 1700000000;  // 2023-11-14T22:13:20Z
  std::string Now() const {
    const long long days = seconds / 86400;
    const long long s = seconds % 86400;
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%sT%02lld:%02lld:%02lld.000Z",
                  Date::FromYmd(1970, 1, 1).AddDays(static_cast<int>(days)).ToString().c_str(),
                  s / 3600, s / 60 % 60, s % 60);
    return buffer;
  }
};

class Api : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::filesystem::temp_directory_path() /
          ("assure-api-test-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(db_);
    auto opened = store::OpenStore(db_.string(), [this] { return clock_.Now(); });
    ASSERT_TRUE(opened.ok()) << opened.errors().front().message;
    store_ = std::move(opened).value();
    for (const char* example : {"twin-hatter-city", "shared-dcs-unitary"}) {
      auto a = load::ParseArrangements(ReadFile(std::filesystem::path(ASSURE_SOURCE_DIR) /
                                                "examples" / (std::string(example) + ".yaml")),
                                       example);
      ASSERT_TRUE(a.ok());
      ASSERT_TRUE(store_->Import(a.value(), {"setup", "Initial load", ""}).ok());
    }
    store::Accounts& accounts = store_->accounts();
    ASSERT_TRUE(accounts.AddUser("root", "root-password-long", true).ok());
    for (const auto& [name, authority, role] :
         std::vector<std::tuple<std::string, std::string, Role>>{
             {"viewer", "wexbridge", Role::kViewer},
             {"editor", "wexbridge", Role::kEditor},
             {"owner", "wexbridge", Role::kAdmin},
             {"approver", "wexbridge", Role::kApprover},
             {"outsider", "kingsmere", Role::kAdmin}}) {
      ASSERT_TRUE(accounts.AddUser(name, name + "-password-long", false).ok());
      ASSERT_TRUE(accounts.SetRole(name, authority, role).ok());
      tokens_[name] = accounts.CreateApiToken(name, "tests").value().second;
    }
    tokens_["root"] = accounts.CreateApiToken("root", "tests").value().second;
    catalogue_ = &load::BuiltInCatalogue().value();
    ApiOptions options;
    options.now = [this] { return clock_.Now(); };
    options.max_failed_sign_ins = 3;
    AddApiRoutes(router_, *store_, *catalogue_, options);
    ServerOptions server_options;
    server_options.listen = "127.0.0.1:0";
    server_options.max_body_bytes_at = ApiBodyLimits();
    server_ = std::make_unique<HttpServer>(server_options, router_, log_);
    auto port = server_->Start();
    ASSERT_TRUE(port.ok());
    port_ = port.value();
    thread_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    router_ = Router();  // the API goes before the store it writes to (AddApiRoutes)
    store_.reset();
    std::filesystem::remove(db_);
    std::filesystem::remove(db_.string() + "-wal");
    std::filesystem::remove(db_.string() + "-shm");
    std::filesystem::remove(db_.string() + ".key");
  }

  // Sends a request; `auth` is a user name (bearer token), "" for none, or "cookie:..." for a
  // Cookie header.
  Reply Call(const std::string& method, const std::string& target, const std::string& auth = "",
             const std::string& body = "", const std::string& extra_headers = "",
             const std::string& from = "") {
    std::string request = method + " " + target +
                          " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                          "\r\nConnection: close\r\n";
    if (auth.rfind("cookie:", 0) == 0) {
      request += "Cookie: " + auth.substr(7) + "\r\n";
    } else if (!auth.empty()) {
      request += "Authorization: Bearer " + tokens_.at(auth) + "\r\n";
    }
    request += extra_headers;
    if (!body.empty() || method == "POST" || method == "PUT") {
      request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    request += "\r\n" + body;
    auto reply = testing::Exchange(port_, request, from);
    EXPECT_TRUE(reply.has_value()) << method << " " << target;
    return reply.value_or(Reply{});
  }

  std::string SameOrigin() const {
    return "Origin: http://127.0.0.1:" + std::to_string(port_) + "\r\n";
  }

  // Signs in from this site (from the address `from`, when given).
  Reply SignIn(const std::string& name, const std::string& password, const std::string& from = "") {
    return Call("POST", "/api/v1/session", "",
                json({{"name", name}, {"password", password}}).dump(), SameOrigin(), from);
  }

  // The session cookie a sign-in set, as Call takes it.
  static std::string SessionOf(const Reply& signed_in) {
    const std::string cookie = Header(signed_in, "set-cookie");
    return "cookie:" + cookie.substr(0, cookie.find(';'));
  }

  // The events of the log of sign-ins of `kind`, each counted as many times as it stands for,
  // once at least `least` of them are written (refusals alike are written within a second or
  // so: auth_log.hpp), or after 5 s.
  int64_t CountedEvents(const std::string& kind, int64_t least) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int64_t total = 0;
    do {
      total = 0;
      const Result<std::vector<store::AuthEvent>> events = store_->accounts().AuthEvents(100000);
      if (!events.ok()) break;
      for (const store::AuthEvent& e : events.value()) {
        if (e.kind == kind) total += e.count;
      }
      if (total >= least) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < deadline);
    return total;
  }

  json JsonOf(const Reply& r) {
    try {
      return json::parse(r.body);
    } catch (...) {
      ADD_FAILURE() << "not JSON: " << r.body;
      return json();
    }
  }

  long long VersionOf(const std::string& id) { return store_->Current(id).value().version; }

  // A route's pattern with its parameters filled in for `id`.
  static std::string Fill(const std::string& pattern, const std::string& id) {
    std::string out = pattern;
    for (const auto& [name, value] :
         std::vector<std::pair<std::string, std::string>>{{"{id}", id},
                                                          {"{part}", "posts"},
                                                          {"{key}", "ceo"},
                                                          {"{version}", "1"},
                                                          {"{user}", "nobody"},
                                                          {"{token}", "1"}}) {
      size_t at;
      while ((at = out.find(name)) != std::string::npos) out.replace(at, name.size(), value);
    }
    return out;
  }

  TestClock clock_;
  std::filesystem::path db_;
  std::unique_ptr<store::Store> store_;
  const Catalogue* catalogue_ = nullptr;
  std::map<std::string, std::string> tokens_;
  Router router_;
  std::ostringstream log_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(Api, EveryRouteButThePublicOnesNeedsSigningIn) {
  for (const RouteInfo& route : ApiRoutes()) {
    if (route.access == Access::kPublic) continue;
    const Reply r = Call(route.method, Fill(route.pattern, "wexbridge"), "", "{}");
    EXPECT_EQ(r.status, 401) << route.method << " " << route.pattern;
    EXPECT_EQ(JsonOf(r)["error"]["code"], "unauthorized") << route.pattern;
  }
  // Refusals are logged (as counts: they all came from one address within a second or two).
  int64_t refused = 0;
  for (const RouteInfo& route : ApiRoutes()) refused += route.access == Access::kPublic ? 0 : 1;
  EXPECT_EQ(CountedEvents("unauthorized", refused), refused);
}

TEST_F(Api, AnotherCouncilsUserIsRefusedEveryAuthorityRoute) {
  for (const RouteInfo& route : ApiRoutes()) {
    if (route.pattern.find("{id}") == std::string::npos || route.access == Access::kPublic) {
      continue;
    }
    const Reply r = Call(route.method, Fill(route.pattern, "wexbridge"), "outsider", "{}");
    EXPECT_EQ(r.status, 403) << route.method << " " << route.pattern << ": " << r.body;
  }
  const json list = JsonOf(Call("GET", "/api/v1/authorities", "outsider"));
  ASSERT_EQ(list.size(), 1u) << "a user sees only the authorities they are granted";
  EXPECT_EQ(list[0]["id"], "kingsmere");
  EXPECT_EQ(list[0]["role"], "admin");
  const json viewers = JsonOf(Call("GET", "/api/v1/authorities", "viewer"));
  ASSERT_EQ(viewers.size(), 1u);
  EXPECT_EQ(viewers[0]["role"], "viewer");
  const json all = JsonOf(Call("GET", "/api/v1/authorities", "root"));  // a site administrator
  ASSERT_EQ(all.size(), 2u);
  for (const json& a : all) EXPECT_EQ(a["role"], "admin") << a["id"];
}

// Every authority route, for every role: refused (403) below the route's role, and not refused
// (neither 401 nor 403) at or above it. The bodies carry no version, so nothing is written.
TEST_F(Api, EveryRouteForEveryRole) {
  const std::vector<std::pair<std::string, int>> users = {
      {"viewer", 0}, {"editor", 1}, {"approver", 2}, {"owner", 3}, {"root", 4}};
  for (const RouteInfo& route : ApiRoutes()) {
    int needed = -1;
    switch (route.access) {
      case Access::kViewer:
        needed = 0;
        break;
      case Access::kEditor:
        needed = 1;
        break;
      case Access::kApprover:
        needed = 2;
        break;
      case Access::kAdmin:
        needed = 3;
        break;
      case Access::kSiteAdmin:
        needed = 4;
        break;
      default:
        continue;
    }
    const std::string target = Fill(route.pattern, "wexbridge");
    for (const auto& [user, level] : users) {
      const Reply r = Call(route.method, target, user, "{}");
      if (level >= needed) {
        EXPECT_NE(r.status, 403) << user << ": " << route.method << " " << route.pattern;
        EXPECT_NE(r.status, 401) << user << ": " << route.method << " " << route.pattern;
      } else {
        EXPECT_EQ(r.status, 403) << user << ": " << route.method << " " << route.pattern;
      }
    }
  }
  EXPECT_EQ(VersionOf("wexbridge"), 1);
}

TEST_F(Api, ViewerReadsButCannotChange) {
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge", "viewer").status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge/posts", "viewer").status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge/findings", "viewer").status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge/history", "viewer").status, 200);
  const Reply put = Call("PUT", "/api/v1/authorities/wexbridge/posts/ceo", "viewer",
                         R"({"version":1,"reason":"x","entry":{"id":"ceo","title":"CEO"}})");
  EXPECT_EQ(put.status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge/grants", "editor").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/users", "owner").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/users", "root").status, 200);
}

TEST_F(Api, EditingAPartNeedsTheCurrentVersion) {
  const json post = JsonOf(Call("GET", "/api/v1/authorities/wexbridge/posts/ceo", "editor"));
  ASSERT_EQ(post["version"], 1);
  json entry = post["entry"];
  entry["title"] = "Chief Executive and Head of Paid Service";
  const json body = {{"version", 1}, {"reason", "Title changed"}, {"entry", entry}};
  const Reply ok = Call("PUT", "/api/v1/authorities/wexbridge/posts/ceo", "editor", body.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(JsonOf(ok)["version"], 2);
  // The same edit made against version 1 again is stale: 409 with the current version.
  const Reply stale = Call("PUT", "/api/v1/authorities/wexbridge/posts/ceo", "editor", body.dump());
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(JsonOf(stale)["error"]["code"], "conflict");
  EXPECT_EQ(JsonOf(stale)["error"]["current_version"], 2);
  // The history records who, why and what.
  const json history = JsonOf(Call("GET", "/api/v1/authorities/wexbridge/history", "viewer"));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1]["author"], "editor");
  EXPECT_EQ(history[1]["reason"], "Title changed");
  EXPECT_NE(history[1]["changes"].dump().find("/posts/ceo/title"), std::string::npos);
}

TEST_F(Api, MalformedAndInvalidBodiesNameTheField) {
  const Reply malformed =
      Call("PUT", "/api/v1/authorities/wexbridge/posts/ceo", "editor", "{not json");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(JsonOf(malformed)["error"]["field"], "body");
  const Reply dangling = Call(
      "POST", "/api/v1/authorities/wexbridge/posts", "editor",
      R"({"version":1,"reason":"New post","entry":{"id":"new-post","title":"New","holder":"nobody"}})");
  EXPECT_EQ(dangling.status, 400);
  EXPECT_NE(JsonOf(dangling)["error"]["message"].get<std::string>().find("'nobody'"),
            std::string::npos)
      << dangling.body;
  EXPECT_NE(JsonOf(dangling)["error"]["field"].get<std::string>().find(".holder"),
            std::string::npos);
  const Reply no_version = Call("POST", "/api/v1/authorities/wexbridge/posts", "editor",
                                R"({"reason":"x","entry":{"id":"p","title":"P"}})");
  EXPECT_EQ(JsonOf(no_version)["error"]["field"], "version");
  const Reply no_reason = Call("POST", "/api/v1/authorities/wexbridge/posts", "editor",
                               R"({"version":1,"entry":{"id":"p","title":"P"}})");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(JsonOf(no_reason)["error"]["field"], "reason");
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge/widgets", "viewer").status, 404);
  EXPECT_EQ(VersionOf("wexbridge"), 1) << "nothing refused was written";
}

TEST_F(Api, PartsCanBeAddedAndRemoved) {
  const Reply added = Call(
      "POST", "/api/v1/authorities/wexbridge/changes", "editor",
      R"({"version":1,"reason":"Record restructure","entry":{"date":"2017-01-20","kind":"restructure"}})");
  ASSERT_EQ(added.status, 201) << added.body;
  const json changes = JsonOf(Call("GET", "/api/v1/authorities/wexbridge/changes", "viewer"));
  const size_t count = changes["entries"].size();
  const Reply removed = Call("DELETE",
                             "/api/v1/authorities/wexbridge/changes/" + std::to_string(count - 1) +
                                 "?version=2&reason=Entered%20in%20error",
                             "editor");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(
      JsonOf(Call("GET", "/api/v1/authorities/wexbridge/changes", "viewer"))["entries"].size(),
      count - 1);
}

TEST_F(Api, FindingsJudgedAtAnyDate) {
  const json now = JsonOf(Call("GET", "/api/v1/authorities/wexbridge/findings", "viewer"));
  EXPECT_EQ(now["as_of"], "2017-01-24");
  EXPECT_EQ(now["findings"].size(), 28u);
  const json later =
      JsonOf(Call("GET", "/api/v1/authorities/wexbridge/findings?as_of=2019-06-01", "viewer"));
  EXPECT_EQ(later["as_of"], "2019-06-01");
  for (const auto& f : later["findings"]) {
    if (f["check"] == "assurance.review-current") {
      EXPECT_EQ(f["status"], "fail");
    }
  }
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge/findings?as_of=2019-02-30", "viewer").status,
            400);
}

TEST_F(Api, EveryEditReRunsTheChecksAndFindingsFollowChangesByAnotherProcess) {
  const json before = JsonOf(Call("GET", "/api/v1/authorities/wexbridge/findings", "viewer"));
  ASSERT_EQ(before["as_of"], "2017-01-24");
  json entry = JsonOf(Call("GET", "/api/v1/authorities/wexbridge/posts/ceo", "editor"))["entry"];
  entry["title"] = "Chief Executive";
  const Reply edited =
      Call("PUT", "/api/v1/authorities/wexbridge/posts/ceo", "editor",
           json({{"version", 1}, {"reason", "Shorter title"}, {"entry", entry}}).dump());
  ASSERT_EQ(edited.status, 200) << edited.body;
  // The edit's answer carries the checks' summary on the new state, as findings give it.
  const json summary = JsonOf(edited)["summary"];
  int total = 0;
  for (const auto& [status, count] : summary.items()) total += count.get<int>();
  EXPECT_EQ(total, 28) << summary;
  const json after = JsonOf(Call("GET", "/api/v1/authorities/wexbridge/findings", "viewer"));
  EXPECT_EQ(after["summary"], summary);
  EXPECT_EQ(JsonOf(edited)["as_of"], after["as_of"]);

  // Another process (a second Store on the same database) changes the arrangements: the
  // findings served here follow, though this server had kept the previous ones.
  auto other = store::OpenStore(db_.string(), [this] { return clock_.Now(); });
  ASSERT_TRUE(other.ok());
  Arrangements moved = other.value()->Current("wexbridge").value().arrangements;
  moved.authority.as_of = Date::Parse("2019-06-01").value();
  ASSERT_TRUE(other.value()->Update("wexbridge", 2, moved, {"other", "Judge later", ""}).ok());
  const json moved_on = JsonOf(Call("GET", "/api/v1/authorities/wexbridge/findings", "viewer"));
  EXPECT_EQ(moved_on["as_of"], "2019-06-01");
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/authorities/wexbridge", "viewer"))["version"], 3);
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/authorities/wexbridge/posts/ceo", "viewer"))["version"], 3);
  // A past state's findings are judged on that state.
  EXPECT_EQ(
      JsonOf(Call("GET", "/api/v1/authorities/wexbridge/findings?version=1", "viewer"))["as_of"],
      "2017-01-24");
}

TEST_F(Api, ExportImportRoundTripAndRestore) {
  const Reply exported = Call("GET", "/api/v1/authorities/wexbridge/export", "viewer");
  ASSERT_EQ(exported.status, 200);
  EXPECT_NE(Header(exported, "content-type").find("yaml"), std::string::npos);
  // Exported and imported again is the identical state: nothing is recorded, and it says so.
  const Reply imported = Call("PUT", "/api/v1/authorities/wexbridge/import?version=1&reason=Same",
                              "editor", exported.body, "Content-Type: application/yaml\r\n");
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(JsonOf(imported)["unchanged"], true) << imported.body;
  EXPECT_EQ(JsonOf(imported)["version"], 1) << imported.body;
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/authorities/wexbridge/history", "viewer")).size(), 1u);
  // A changed file is a new version, and the history says what changed.
  std::string renamed = exported.body;
  renamed.replace(renamed.find("name: "), 6, "name: Renamed ");
  const Reply changed = Call("PUT", "/api/v1/authorities/wexbridge/import?version=1&reason=Renamed",
                             "editor", renamed, "Content-Type: application/yaml\r\n");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/authorities/wexbridge/history/2", "viewer"))["summary"],
            "authority: name changed");
  const Reply restored = Call("POST", "/api/v1/authorities/wexbridge/restore", "editor",
                              R"({"restore":1,"version":2,"reason":"Back to the first"})");
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/authorities/wexbridge/history/3", "viewer"))["kind"],
            "restore");
}

TEST_F(Api, DeleteNeedsConfirmationAndKeepsHistory) {
  EXPECT_EQ(Call("DELETE", "/api/v1/authorities/wexbridge?version=1&reason=Gone", "owner").status,
            400);
  const Reply deleted = Call(
      "DELETE", "/api/v1/authorities/wexbridge?version=1&reason=Gone&confirm=wexbridge", "owner");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge", "owner").status, 404);
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/authorities/wexbridge/history", "owner")).size(), 2u);
}

TEST_F(Api, SessionCookieIsHttpOnlyAndChangesNeedTheSameOrigin) {
  const Reply signed_in = SignIn("editor", "editor-password-long");
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string cookie = Header(signed_in, "set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  const std::string session = SessionOf(signed_in);
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/me", session))["name"], "editor");
  const std::string edit =
      R"({"version":1,"reason":"Via the site","entry":{"date":"2017-01-20","kind":"interim"}})";
  EXPECT_EQ(Call("POST", "/api/v1/authorities/wexbridge/changes", session, edit,
                 "Origin: https://evil.example\r\n")
                .status,
            403);
  EXPECT_EQ(Call("POST", "/api/v1/authorities/wexbridge/changes", session, edit).status, 403)
      << "no Origin at all is refused too";
  EXPECT_EQ(Call("POST", "/api/v1/authorities/wexbridge/changes", session, edit,
                 "Origin: http://127.0.0.1:" + std::to_string(port_) + "\r\n")
                .status,
            201);
  // Signed out, the cookie no longer works; a session also ends when it expires.
  EXPECT_EQ(Call("DELETE", "/api/v1/session", session, "",
                 "Origin: http://127.0.0.1:" + std::to_string(port_) + "\r\n")
                .status,
            200);
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 401);
}

TEST_F(Api, SessionsExpire) {
  const std::string session = SessionOf(SignIn("viewer", "viewer-password-long"));
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 200);
  clock_.seconds += 9 * 3600;
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 401);
}

TEST_F(Api, SignInIsLoggedAndRateLimited) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(SignIn("viewer", "wrong").status, 401);
  // The limit is reached: even the right password is refused for a while, unchecked.
  const Reply limited = SignIn("viewer", "viewer-password-long");
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(Header(limited, "retry-after").empty());
  clock_.seconds += 16 * 60;
  EXPECT_EQ(SignIn("viewer", "viewer-password-long").status, 200);
  EXPECT_EQ(CountedEvents("sign_in_failed", 3), 3);
  EXPECT_EQ(CountedEvents("sign_in_refused", 1), 1);
  EXPECT_EQ(CountedEvents("sign_in", 1), 1);
}

// Beyond the free tries, each try waits twice as long as the last: 1 s, 2 s, 4 s...
TEST_F(Api, EachFailedSignInBeyondTheLimitDoublesTheWait) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(SignIn("viewer", "wrong").status, 401);
  for (long wait : {1, 2, 4, 8}) {
    const Reply refused = SignIn("viewer", "wrong");
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(Header(refused, "retry-after"), std::to_string(wait));
    clock_.seconds += wait;
    EXPECT_EQ(SignIn("viewer", "wrong").status, 401) << "after waiting " << wait << " s";
  }
  clock_.seconds += 16;
  EXPECT_EQ(SignIn("viewer", "viewer-password-long").status, 200);
  // A success starts the count again.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(SignIn("viewer", "wrong").status, 401);
}

// Someone guessing a user's password elsewhere cannot lock the user out: the limit is per name
// and address (127.0.0.2 and 127.0.0.3 stand for two other clients).
TEST_F(Api, AnAttackerElsewhereCannotLockTheOwnerOut) {
  for (int i = 0; i < 20; ++i) {
    const Reply r = SignIn("root", "guess " + std::to_string(i), "127.0.0.2");
    EXPECT_EQ(r.status, i < 3 ? 401 : 429) << i;
  }
  EXPECT_EQ(SignIn("root", "root-password-long", "127.0.0.2").status, 429);
  EXPECT_EQ(SignIn("root", "root-password-long").status, 200) << "the owner, from their address";
  EXPECT_EQ(SignIn("root", "root-password-long", "127.0.0.3").status, 200);
  // One address cannot spread its guesses over many names either.
  ApiOptions defaults;
  EXPECT_GT(defaults.max_failed_sign_ins_per_address, defaults.max_failed_sign_ins);
}

// Parallel tries cannot pass the limit together: each is taken before its password is checked.
TEST_F(Api, ParallelSignInsCannotBeatTheLimit) {
  constexpr int kTries = 30;
  std::vector<int> statuses(kTries);
  std::vector<std::thread> threads;
  for (int i = 0; i < kTries; ++i) {
    threads.emplace_back(
        [&, i] { statuses[i] = SignIn("editor", "wrong " + std::to_string(i)).status; });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 401), 3) << "the limit is 3";
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 429), kTries - 3);
  EXPECT_EQ(CountedEvents("sign_in_failed", 3), 3);
}

// Login CSRF: a cross-site page cannot sign a visitor in as someone else.
TEST_F(Api, SignInMustComeFromThisSite) {
  const std::string body = R"({"name":"editor","password":"editor-password-long"})";
  for (const std::string& origin :
       {std::string("Origin: https://evil.example\r\nContent-Type: text/plain\r\n"),
        std::string("Content-Type: text/plain\r\n"), std::string("Origin: null\r\n")}) {
    const Reply r = Call("POST", "/api/v1/session", "", body, origin);
    EXPECT_EQ(r.status, 403) << origin;
    EXPECT_EQ(Header(r, "set-cookie"), "") << origin;
  }
  EXPECT_EQ(Call("POST", "/api/v1/session", "", body, SameOrigin()).status, 200);
}

TEST_F(Api, SecretsAreNotCachedAndTheCookieIsSecure) {
  const Reply signed_in = SignIn("editor", "editor-password-long");
  ASSERT_EQ(signed_in.status, 200);
  EXPECT_EQ(Header(signed_in, "cache-control"), "no-store");
  EXPECT_NE(Header(signed_in, "set-cookie").find("; Secure"), std::string::npos)
      << "Secure unless turned off";
  const Reply token = Call("POST", "/api/v1/tokens", "viewer", R"({"label":"x"})");
  ASSERT_EQ(token.status, 201);
  EXPECT_EQ(Header(token, "cache-control"), "no-store");
  const Reply user =
      Call("POST", "/api/v1/users", "root", R"({"name":"newcomer","password":"long enough yes"})");
  ASSERT_EQ(user.status, 201) << user.body;
  EXPECT_EQ(Header(user, "cache-control"), "no-store");
}

// The log of sign-ins cannot be used to fill the disk.
TEST_F(Api, SignInBodiesAreSmallAndLongNamesAreNotKept) {
  // Refused on its declared length, before a byte of it is read.
  const auto huge = testing::Exchange(port_, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n" +
                                                 SameOrigin() + "Content-Length: 8388608\r\n\r\n");
  ASSERT_TRUE(huge.has_value());
  EXPECT_EQ(huge->status, 413);
  // Past the server's limit (a chunked body, or a server without it), the handler refuses it.
  std::string padded = json({{"name", "editor"}, {"password", "editor-password-long"}}).dump();
  padded.insert(1, std::string(kMaxSignInBodyBytes, ' '));
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", padded.size());
  const auto chunked = testing::Exchange(
      port_, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n" + SameOrigin() +
                 "Transfer-Encoding: chunked\r\n\r\n" + size + padded + "\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked.has_value());
  EXPECT_EQ(chunked->status, 413);
  const Reply long_name = SignIn(std::string(500, 'a'), "a password typed in the wrong box");
  EXPECT_EQ(long_name.status, 400);
  EXPECT_EQ(JsonOf(long_name)["error"]["field"], "name");
  EXPECT_TRUE(store_->accounts().AuthEvents(100).value().empty()) << "nothing was kept";
  // A long path refused is kept short.
  EXPECT_EQ(Call("GET", "/api/v1/authorities/" + std::string(8000, 'p')).status, 401);
  ASSERT_EQ(CountedEvents("unauthorized", 1), 1);
  EXPECT_LE(store_->accounts().AuthEvents(1).value()[0].detail.size(),
            store::kMaxLoggedDetailBytes);
}

// A flood of refused requests from one address is kept as counts, not a row each.
TEST_F(Api, AFloodOfRefusalsIsCounted) {
  constexpr int kRequests = 400;
  for (int i = 0; i < kRequests; ++i) ASSERT_EQ(Call("GET", "/api/v1/me").status, 401);
  EXPECT_EQ(CountedEvents("unauthorized", kRequests), kRequests);
  EXPECT_LT(store_->accounts().AuthEvents(1000).value().size(), 30u);
}

// Cutting off an account (site administrators only), effective at once.
TEST_F(Api, ASiteAdministratorCutsOffAnAccountAtOnce) {
  const std::string session = SessionOf(SignIn("editor", "editor-password-long"));
  ASSERT_EQ(Call("GET", "/api/v1/me", "editor").status, 200);  // the token is now remembered
  ASSERT_EQ(Call("GET", "/api/v1/me", session).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/users/editor/disable", "owner").status, 403);
  ASSERT_EQ(Call("POST", "/api/v1/users/editor/disable", "root").status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/me", "editor").status, 401) << "the token, at once";
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 401) << "the session, at once";
  EXPECT_EQ(SignIn("editor", "editor-password-long").status, 401);
  const json users = JsonOf(Call("GET", "/api/v1/users", "root"));
  for (const json& u : users) EXPECT_EQ(u["disabled_at"].is_null(), u["name"] != "editor") << u;

  ASSERT_EQ(Call("POST", "/api/v1/users/editor/enable", "root").status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/me", "editor").status, 401) << "old tokens stay revoked";
  const std::string again = SessionOf(SignIn("editor", "editor-password-long"));
  EXPECT_EQ(Call("GET", "/api/v1/me", again).status, 200);

  ASSERT_EQ(Call("GET", "/api/v1/me", "viewer").status, 200);
  const Reply signed_out = Call("POST", "/api/v1/users/viewer/sign-out", "root");
  ASSERT_EQ(signed_out.status, 200);
  EXPECT_EQ(JsonOf(signed_out)["ended"], 1);
  EXPECT_EQ(Call("GET", "/api/v1/me", "viewer").status, 401);

  EXPECT_EQ(Call("DELETE", "/api/v1/users/editor", "root").status, 400) << "needs ?confirm=";
  ASSERT_EQ(Call("DELETE", "/api/v1/users/editor?confirm=editor", "root").status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/me", again).status, 401);
  EXPECT_EQ(Call("POST", "/api/v1/users/editor/enable", "root").status, 404);
  // The last site administrator stays.
  EXPECT_EQ(Call("POST", "/api/v1/users/root/disable", "root").status, 409);
  EXPECT_EQ(Call("DELETE", "/api/v1/users/root?confirm=root", "root").status, 409);
  EXPECT_EQ(CountedEvents("user_disabled", 1), 1);
  EXPECT_EQ(CountedEvents("user_deleted", 1), 1);
}

TEST_F(Api, TokensCanBeListedAndRevoked) {
  const Reply created = Call("POST", "/api/v1/tokens", "viewer", R"({"label":"nightly export"})");
  ASSERT_EQ(created.status, 201);
  const json token = JsonOf(created);
  tokens_["script"] = token["secret"];
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge", "script").status, 200);
  const json list = JsonOf(Call("GET", "/api/v1/tokens", "viewer"));
  EXPECT_GE(list.size(), 2u);
  EXPECT_EQ(list.dump().find(token["secret"].get<std::string>()), std::string::npos)
      << "a secret is shown once only";
  EXPECT_EQ(
      Call("DELETE", "/api/v1/tokens/" + std::to_string(token["id"].get<long long>()), "viewer")
          .status,
      200);
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge", "script").status, 401);
}

TEST_F(Api, GrantsAreManagedByTheAuthoritysAdmin) {
  EXPECT_EQ(
      Call("PUT", "/api/v1/authorities/wexbridge/grants/outsider", "owner", R"({"role":"viewer"})")
          .status,
      200);
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge", "outsider").status, 200);
  EXPECT_EQ(Call("PUT", "/api/v1/authorities/wexbridge/grants/outsider", "owner",
                 R"({"role":"overlord"})")
                .status,
            400);
  EXPECT_EQ(Call("DELETE", "/api/v1/authorities/wexbridge/grants/outsider", "owner").status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/authorities/wexbridge", "outsider").status, 403);
}

TEST_F(Api, PublicViewNeedsNoSignIn) {
  const Reply r = Call("GET", "/api/v1/public/wexbridge");
  ASSERT_EQ(r.status, 200);
  const json view = JsonOf(r);
  EXPECT_EQ(view["dcs"]["holder"], "Rosalind Achebe");
  EXPECT_FALSE(view["lmcs"].is_null());
  EXPECT_FALSE(view["last_assurance_approved"].is_null());
  EXPECT_EQ(Call("GET", "/api/v1/public/nowhere").status, 404);
}

TEST_F(Api, OpenApiDescribesEveryRoute) {
  const json doc = JsonOf(Call("GET", "/api/v1/openapi.json"));
  EXPECT_EQ(doc["openapi"], "3.1.0");
  for (const RouteInfo& route : ApiRoutes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(doc["paths"][route.pattern].contains(method)) << route.pattern;
  }
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/catalogue"))["id"], "dcs-lmcs-2013");
}

TEST_F(Api, SiteAdministratorCreatesAuthoritiesAndUsers) {
  auto a = load::ParseArrangements(ReadFile(std::filesystem::path(ASSURE_SOURCE_DIR) /
                                            "examples/management-agreement-borough.yaml"),
                                   "x");
  const Reply created =
      Call("PUT", "/api/v1/authorities/fernleigh/import?reason=New%20council", "root",
           load::WriteArrangements(a.value()), "Content-Type: application/yaml\r\n");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Call("PUT", "/api/v1/authorities/fernleigh/import?reason=Again", "editor",
                 load::WriteArrangements(a.value()), "Content-Type: application/yaml\r\n")
                .status,
            403);
  EXPECT_EQ(Call("POST", "/api/v1/users", "root",
                 R"({"name":"newcomer","password":"a-long-enough-password"})")
                .status,
            201);
  EXPECT_EQ(Call("POST", "/api/v1/users", "root", R"({"name":"shorty","password":"short"})").status,
            400);
}

}  // namespace
}  // namespace assure::server
