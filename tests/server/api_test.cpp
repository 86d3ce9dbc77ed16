// The JSON API over a real server, a real SQLite database and real sockets: every route refused
// without credentials and to another council's user, roles, stale versions, malformed bodies,
// sessions and the same-origin rule, tokens, history, findings, and the public view.
#include "server/api.hpp"

#include <gtest/gtest.h>

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
    store_.reset();
    std::filesystem::remove(db_);
    std::filesystem::remove(db_.string() + "-wal");
    std::filesystem::remove(db_.string() + "-shm");
  }

  // Sends a request; `auth` is a user name (bearer token), "" for none, or "cookie:..." for a
  // Cookie header.
  Reply Call(const std::string& method, const std::string& target, const std::string& auth = "",
             const std::string& body = "", const std::string& extra_headers = "") {
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
    auto reply = testing::Exchange(port_, request);
    EXPECT_TRUE(reply.has_value()) << method << " " << target;
    return reply.value_or(Reply{});
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
                                                          {"{user}", "viewer"},
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
  // Refusals are logged.
  auto events = store_->accounts().AuthEvents(1000).value();
  EXPECT_GE(events.size(), 20u);
  EXPECT_EQ(events.front().kind, "unauthorized");
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
    std::string target = Fill(route.pattern, "wexbridge");
    const size_t user_at = route.pattern.find("{user}");
    if (user_at != std::string::npos)
      target = Fill(route.pattern.substr(0, user_at), "wexbridge") + "nobody";
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
  const Reply signed_in =
      Call("POST", "/api/v1/session", "", R"({"name":"editor","password":"editor-password-long"})");
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string cookie = Header(signed_in, "set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  const std::string session = "cookie:" + cookie.substr(0, cookie.find(';'));
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
  const Reply signed_in =
      Call("POST", "/api/v1/session", "", R"({"name":"viewer","password":"viewer-password-long"})");
  const std::string cookie = Header(signed_in, "set-cookie");
  const std::string session = "cookie:" + cookie.substr(0, cookie.find(';'));
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 200);
  clock_.seconds += 9 * 3600;
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 401);
}

TEST_F(Api, SignInIsLoggedAndRateLimited) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Call("POST", "/api/v1/session", "", R"({"name":"viewer","password":"wrong"})").status,
              401);
  }
  // The limit is reached: even the right password is refused for a while.
  const Reply limited =
      Call("POST", "/api/v1/session", "", R"({"name":"viewer","password":"viewer-password-long"})");
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(Header(limited, "retry-after").empty());
  clock_.seconds += 16 * 60;
  EXPECT_EQ(
      Call("POST", "/api/v1/session", "", R"({"name":"viewer","password":"viewer-password-long"})")
          .status,
      200);
  size_t failed = 0;
  size_t good = 0;
  const auto events = store_->accounts().AuthEvents(100);
  ASSERT_TRUE(events.ok());
  for (const auto& e : events.value()) {
    if (e.kind == "sign_in_failed") ++failed;
    if (e.kind == "sign_in") ++good;
  }
  EXPECT_EQ(failed, 4u);
  EXPECT_EQ(good, 1u);
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
