#include "server/api.hpp"

#include <cctype>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <variant>

#include "core/checks.hpp"
#include "load/arrangements_json.hpp"
#include "load/arrangements_yaml.hpp"
#include "load/findings_json.hpp"
#include "load/json_input.hpp"
#include "server/auth_log.hpp"
#include "server/sign_in_limiter.hpp"
#include "server/work_pool.hpp"
#include "store/change_summary.hpp"

namespace assure::server {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kCookie = "assure_session";

// Sign-ins and new users waiting for the hashing pool at most; more get 503 and Retry-After.
constexpr size_t kMaxWaitingHashes = 64;

// ---- The route table --------------------------------------------------------------------------

const std::vector<RouteInfo> kRoutes = {
    {"GET", "/api/v1/openapi.json", Access::kPublic, "This API, as an OpenAPI document"},
    {"GET", "/api/v1/catalogue", Access::kPublic,
     "The guidance catalogue: every duty of the 2013 guidance"},
    {"GET", "/api/v1/public/{id}", Access::kPublic,
     "Who holds the DCS and LMCS roles, and when the last assurance was approved (para 12)"},
    {"POST", "/api/v1/session", Access::kPublic,
     "Sign in with {name, password}; sets the session cookie"},
    {"DELETE", "/api/v1/session", Access::kSignedIn, "Sign out"},
    {"GET", "/api/v1/me", Access::kSignedIn, "Who you are, and your roles"},
    {"GET", "/api/v1/tokens", Access::kSignedIn, "Your API tokens"},
    {"POST", "/api/v1/tokens", Access::kSignedIn,
     "Create an API token {label}; its secret is shown once"},
    {"DELETE", "/api/v1/tokens/{token}", Access::kSignedIn, "Revoke one of your API tokens"},
    {"POST", "/api/v1/users", Access::kSiteAdmin, "Add a user {name, password, site_admin}"},
    {"GET", "/api/v1/users", Access::kSiteAdmin, "Every user"},
    {"POST", "/api/v1/users/{user}/disable", Access::kSiteAdmin,
     "Disable a user: no more sign-ins; every session and API token of theirs ends at once"},
    {"POST", "/api/v1/users/{user}/enable", Access::kSiteAdmin,
     "Let a disabled user sign in again (their old sessions and tokens stay ended)"},
    {"POST", "/api/v1/users/{user}/sign-out", Access::kSiteAdmin,
     "End every session and revoke every API token of a user"},
    {"DELETE", "/api/v1/users/{user}", Access::kSiteAdmin,
     "Delete a user, their roles, sessions and tokens (?confirm=NAME); the history keeps "
     "their name"},
    {"GET", "/api/v1/authorities", Access::kSignedIn, "The authorities you can see"},
    {"POST", "/api/v1/authorities", Access::kSignedIn,
     "Create an authority {reason, arrangements} (a site administrator, or a role on its id)"},
    {"GET", "/api/v1/authorities/{id}", Access::kViewer,
     "An authority's current arrangements and version"},
    {"PUT", "/api/v1/authorities/{id}", Access::kEditor,
     "Replace the arrangements {version, reason, arrangements}; 409 when version is stale"},
    {"DELETE", "/api/v1/authorities/{id}", Access::kAdmin,
     "Delete (?version=&reason=&confirm=ID); the history is kept"},
    {"PUT", "/api/v1/authorities/{id}/import", Access::kEditor,
     "Import an arrangements file (YAML body; ?reason=, and ?version= when it exists)"},
    {"GET", "/api/v1/authorities/{id}/export", Access::kViewer,
     "The arrangements as a YAML file (?version= or ?at= for a past state)"},
    {"GET", "/api/v1/authorities/{id}/findings", Access::kViewer,
     "The checks' findings (?as_of=YYYY-MM-DD, ?version= or ?at= for a past state)"},
    {"GET", "/api/v1/authorities/{id}/history", Access::kViewer,
     "Every change: who, when, why, what"},
    {"GET", "/api/v1/authorities/{id}/history/{version}", Access::kViewer,
     "One change, with the arrangements as they were after it"},
    {"GET", "/api/v1/authorities/{id}/compare", Access::kViewer,
     "What changed between two versions (?from=&to=)"},
    {"POST", "/api/v1/authorities/{id}/restore", Access::kEditor,
     "Make a past version current again {restore, version, reason}, as a new change"},
    {"GET", "/api/v1/authorities/{id}/grants", Access::kAdmin, "Who has which role"},
    {"PUT", "/api/v1/authorities/{id}/grants/{user}", Access::kAdmin, "Give a user a role {role}"},
    {"DELETE", "/api/v1/authorities/{id}/grants/{user}", Access::kAdmin, "Remove a user's role"},
    {"GET", "/api/v1/authorities/{id}/{part}", Access::kViewer,
     "A part of the arrangements: people, posts, members, bodies, functions_commissioned, "
     "reviews, changes or departures"},
    {"POST", "/api/v1/authorities/{id}/{part}", Access::kEditor,
     "Add an entry to a part {version, reason, entry}"},
    {"GET", "/api/v1/authorities/{id}/{part}/{key}", Access::kViewer,
     "One entry: by id, by person for members, by position for changes and departures"},
    {"PUT", "/api/v1/authorities/{id}/{part}/{key}", Access::kEditor,
     "Replace one entry {version, reason, entry}"},
    {"DELETE", "/api/v1/authorities/{id}/{part}/{key}", Access::kEditor,
     "Remove one entry (?version=&reason=)"},
};

// ---- Small helpers ----------------------------------------------------------------------------

Response Json(const ordered_json& body, int status = 200) {
  Response r;
  r.status = status;
  r.body = body.dump(2) + "\n";
  return r;
}

Response Fail(ErrorCode code, std::string message, std::string field = {}) {
  return ErrorResponse(Error{code, "", 0, 0, std::move(field), std::move(message)});
}

Response FromErrors(const std::vector<Error>& errors) {
  Response r = ErrorResponse(errors.front());
  if (errors.size() > 1) {
    // Every error, not only the first: the body lists them all.
    auto body = ordered_json::parse(r.body);
    ordered_json all = ordered_json::array();
    for (const Error& e : errors) {
      ordered_json one = {{"message", e.message}};
      if (!e.field.empty()) one["field"] = e.field;
      all.push_back(one);
    }
    body["error"]["errors"] = all;
    r.body = body.dump(2) + "\n";
  }
  return r;
}

// Seconds since 1970 of `YYYY-MM-DDTHH:MM:SS[.mmm]Z`.
std::optional<long long> EpochSeconds(std::string_view t) {
  if (t.size() < 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':') return std::nullopt;
  const auto day = Date::Parse(t.substr(0, 10));
  if (!day) return std::nullopt;
  auto two = [&](size_t at) { return (t[at] - '0') * 10 + (t[at + 1] - '0'); };
  return static_cast<long long>(day->DaysSince(Date::FromYmd(1970, 1, 1))) * 86400 +
         two(11) * 3600 + two(14) * 60 + two(17);
}

std::string Timestamp(long long epoch) {
  const Date day = Date::FromYmd(1970, 1, 1).AddDays(static_cast<int>(epoch / 86400));
  const long long s = epoch % 86400;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%sT%02lld:%02lld:%02lld.000Z", day.ToString().c_str(),
                s / 3600, s / 60 % 60, s % 60);
  return buffer;
}

std::optional<std::string> Header(const Request& r, const std::string& name) {
  auto it = r.headers.find(name);
  if (it == r.headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Query(const Request& r, const std::string& name) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::string> CookieValue(const Request& r, std::string_view name) {
  const auto header = Header(r, "cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const size_t end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

bool IsUnsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

std::optional<long long> ParseVersion(const std::string& text) {
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

// A JSON request body, or the error to answer with. Read with the bounds of every reader of
// input (load/json_input.hpp): nesting, numbers, UTF-8; no exception escapes.
std::variant<ordered_json, Response> JsonBody(const Request& r) {
  Result<ordered_json> body = load::ParseJsonInput(r.body, "request body", "body");
  if (!body.ok()) return FromErrors(body.errors());
  if (!body.value().is_object()) {
    return Fail(ErrorCode::kInvalid, "the request body must be a JSON object", "body");
  }
  return std::move(body).value();
}

std::optional<std::string> TextField(const ordered_json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<long long> VersionField(const ordered_json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<long long>();
}

// ---- The parts of the arrangements ------------------------------------------------------------

struct Part {
  std::string_view name;
  bool in_assurance;     // a list under `assurance`
  std::string_view key;  // the field naming an entry; empty: by position
};

constexpr Part kParts[] = {
    {"people", false, "id"},
    {"posts", false, "id"},
    {"members", false, "person"},
    {"bodies", false, "id"},
    {"functions_commissioned", false, "id"},
    {"reviews", true, "id"},
    {"changes", true, ""},
    {"departures", true, ""},
};

const Part* FindPart(std::string_view name) {
  for (const Part& p : kParts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// The member `name` of `object`, or null when it has none (or is not an object).
const ordered_json* MemberOf(const ordered_json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(name));
  return it == object.end() ? nullptr : &*it;
}

// The key of each entry of `list`, in order, by `key`.
template <typename T, typename Key>
std::vector<std::string_view> KeysOf(const std::vector<T>& list, Key key) {
  std::vector<std::string_view> keys;
  keys.reserve(list.size());
  for (const T& entry : list) keys.push_back(key(entry));
  return keys;
}

// The key of each entry of the part (Part::key; empty for a part addressed by position).
std::vector<std::string_view> KeysOf(const Arrangements& a, const Part& part) {
  auto id = [](const auto& entry) -> std::string_view { return entry.id; };
  if (part.name == "people") return KeysOf(a.people, id);
  if (part.name == "posts") return KeysOf(a.posts, id);
  if (part.name == "members") {
    return KeysOf(a.members, [](const Member& m) -> std::string_view { return m.person; });
  }
  if (part.name == "bodies") return KeysOf(a.bodies, id);
  if (part.name == "functions_commissioned") return KeysOf(a.functions_commissioned, id);
  if (part.name == "reviews") return KeysOf(a.assurance.reviews, id);
  if (part.name == "changes") return std::vector<std::string_view>(a.assurance.changes.size());
  return std::vector<std::string_view>(a.assurance.departures.size());
}

// The position of the entry named `key` (its key, or its position for a part addressed by
// position), or -1.
long FindEntry(const std::vector<std::string_view>& keys, const Part& part,
               const std::string& key) {
  if (part.key.empty()) {
    const auto position = ParseVersion(key);
    if (!position || *position >= static_cast<long long>(keys.size())) return -1;
    return static_cast<long>(*position);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return static_cast<long>(i);
  }
  return -1;
}

// ---- What is derived from an authority's current state -----------------------------------------

// The checks' findings on one state at one date, and their JSON, written when first asked for
// (an edit re-runs the checks and answers with their summary; the JSON waits for a reader).
class Judgement {
 public:
  explicit Judgement(CheckReport report) : report_(std::move(report)) {}

  const CheckReport& report() const { return report_; }

  const std::string& Json() const {
    std::call_once(written_, [this] { json_ = load::ReportToJson(report_); });
    return json_;
  }

 private:
  CheckReport report_;
  mutable std::once_flag written_;
  mutable std::string json_;
};

// The answers derived from an authority's current state (its JSON document, its findings at
// each as_of asked for), kept beside the store's shared state they came from. The store hands
// out the same pointer for as long as a state stays current (Store::CurrentShared), so an
// answer kept with that pointer is right exactly while the pointer is still the one handed out.
class Derived {
 public:
  using State = std::shared_ptr<const store::Snapshot>;

  // The findings of `state` on `as_of`.
  std::shared_ptr<const Judgement> Findings(const std::string& id, const State& state, Date as_of) {
    {
      std::lock_guard lock(mutex_);
      Entry& e = For(id, state);
      auto it = e.findings.find(as_of);
      if (it != e.findings.end()) return it->second;
    }
    auto judged = std::make_shared<const Judgement>(RunChecks(state->arrangements, as_of));
    std::lock_guard lock(mutex_);
    Entry& e = For(id, state);
    // A few dates per state are asked for in practice; many would be a scan of the calendar.
    if (e.findings.size() >= kMaxDatesPerState) e.findings.clear();
    e.findings.emplace(as_of, judged);
    return judged;
  }

  // `state` as the arrangements file's JSON form.
  std::shared_ptr<const ordered_json> Document(const std::string& id, const State& state) {
    {
      std::lock_guard lock(mutex_);
      Entry& e = For(id, state);
      if (e.document) return e.document;
    }
    auto document =
        std::make_shared<const ordered_json>(load::ArrangementsJsonValue(state->arrangements));
    std::lock_guard lock(mutex_);
    For(id, state).document = document;
    return document;
  }

  // Drops what was kept for `id` (deleted: nothing of it is current any more).
  void Forget(const std::string& id) {
    std::lock_guard lock(mutex_);
    by_id_.erase(id);
  }

 private:
  static constexpr std::size_t kMaxDatesPerState = 16;

  struct Entry {
    State state;
    std::shared_ptr<const ordered_json> document;
    std::map<Date, std::shared_ptr<const Judgement>> findings;  // by as_of
  };

  // The entry of `id` for `state`, emptied first when it was for another state. Holds mutex_.
  Entry& For(const std::string& id, const State& state) {
    Entry& e = by_id_[id];
    if (e.state != state) e = Entry{state, nullptr, {}};
    return e;
  }

  std::mutex mutex_;
  std::unordered_map<std::string, Entry> by_id_;
};

// ---- The API ----------------------------------------------------------------------------------

class Api {
 public:
  Api(store::Store& store, const Catalogue& catalogue, ApiOptions options)
      : store_(store),
        accounts_(store.accounts()),
        catalogue_(catalogue),
        options_(std::move(options)),
        limiter_(SignInLimits{options_.max_failed_sign_ins, 1, options_.sign_in_window_seconds,
                              options_.max_failed_sign_ins_per_address,
                              options_.sign_in_window_seconds}),
        log_(accounts_),
        hashing_(options_.hash_threads, kMaxWaitingHashes) {}

  // Runs `handler` for `info` once the caller is known and allowed.
  Response Guarded(
      const RouteInfo& info, const Request& r, const Params& p,
      const std::function<Response(const Request&, const Params&, const store::User*)>& handler) {
    if (info.access == Access::kPublic) return handler(r, p, nullptr);
    bool by_cookie = false;
    std::optional<store::User> user = Caller(r, by_cookie);
    if (!user) {
      log_.Refused({"", "unauthorized", "", r.remote, r.method + " " + r.path});
      Response resp = Fail(ErrorCode::kUnauthorized,
                           "sign in first (POST /api/v1/session), or send an API token as "
                           "Authorization: Bearer");
      resp.headers.emplace_back("WWW-Authenticate", "Bearer");
      return resp;
    }
    if (by_cookie && IsUnsafe(r.method) && !SameOrigin(r)) {
      log_.Refused(
          {"", "forbidden", user->name, r.remote, r.method + " " + r.path + " (cross-origin)"});
      return Fail(ErrorCode::kForbidden,
                  "a request that changes anything must come from this site (its Origin header "
                  "does not name this server); scripts should use an API token");
    }
    if (!Allowed(info.access, *user, p)) {
      log_.Refused({"", "forbidden", user->name, r.remote, r.method + " " + r.path});
      return Fail(ErrorCode::kForbidden, "your role does not allow this");
    }
    return handler(r, p, &*user);
  }

  Response OpenApi(const Request&, const Params&, const store::User*) {
    Response r;
    r.body = OpenApiDocument();
    return r;
  }

  Response Catalogue(const Request&, const Params&, const store::User*) {
    Response r;
    r.body = load::CatalogueToJson(catalogue_);
    return r;
  }

  Response Public(const Request&, const Params& p, const store::User*) {
    auto current = store_.CurrentShared(p.at("id"));
    if (!current.ok()) return FromErrors(current.errors());
    const Arrangements& a = current.value()->arrangements;
    ordered_json out = {{"authority", a.authority.id}, {"name", a.authority.name}};
    // The DCS and the LMCS as the checks find them: null when none, or when several.
    const KeyRoles key = FindKeyRoles(a);
    out["dcs"] = nullptr;
    if (key.dcs) {
      out["dcs"] = {
          {"post", key.dcs->title},
          {"holder", key.dcs_holder ? ordered_json(key.dcs_holder->name) : ordered_json(nullptr)},
          {"interim", key.dcs->interim_until.has_value()}};
    }
    out["lmcs"] = nullptr;
    if (key.lmcs) out["lmcs"] = {{"name", key.lmcs->name}};
    const Review* approved = nullptr;
    for (const Review& review : a.assurance.reviews) {
      if (review.kind == ReviewKind::kOfstedInspection || !review.approved_on) continue;
      if (!approved || *approved->approved_on <= *review.approved_on) approved = &review;
    }
    out["last_assurance_approved"] = nullptr;
    if (approved) {
      std::string body_name = approved->approved_by.value_or("");
      for (const Body& b : a.bodies) {
        if (approved->approved_by && b.id == *approved->approved_by) body_name = b.name;
      }
      out["last_assurance_approved"] = {{"on", approved->approved_on->ToString()},
                                        {"by", body_name}};
    }
    out["published"] = nullptr;
    if (a.assurance.published) {
      out["published"] = {
          {"url", a.assurance.published->url.value_or("")},
          {"on", a.assurance.published->on ? a.assurance.published->on->ToString() : ""}};
    }
    return Json(out);
  }

  // Signing in: the body is small and the request from this site; the try is taken from the
  // limiter before the password is checked; the check (Argon2id) runs on the hashing pool. A
  // sign-in is answered only once it is recorded: a session made, or a failure logged. When
  // neither can be written (a full disk), the answer is the same 503 whatever the password.
  Response SignIn(const Request& r, const Params&, const store::User*) {
    if (r.body.size() > kMaxSignInBodyBytes) {
      return JsonErrorResponse(
          413, "payload_too_large",
          "a sign-in is at most " + std::to_string(kMaxSignInBodyBytes) + " bytes", "body");
    }
    if (!SameOrigin(r)) {
      log_.Refused({"", "forbidden", "", r.remote, "POST /api/v1/session (cross-origin)"});
      return Fail(ErrorCode::kForbidden,
                  "signing in must come from this site (its Origin header does not name this "
                  "server)");
    }
    auto parsed = JsonBody(r);
    if (auto* error = std::get_if<Response>(&parsed)) return *error;
    const ordered_json& body = std::get<ordered_json>(parsed);
    std::string name = TextField(body, "name").value_or("");
    std::string password = TextField(body, "password").value_or("");
    if (name.size() > store::kMaxUserNameBytes) {
      // No one's name (nor kept in the log: it may be a password typed in the wrong box).
      return Fail(ErrorCode::kInvalid,
                  "name: a user name has at most " + std::to_string(store::kMaxUserNameBytes) +
                      " characters",
                  "name");
    }
    const long long now = NowSeconds();
    const SignInLimiter::Try attempt = limiter_.Begin(name, r.remote, now);
    if (!attempt.allowed) {
      log_.Refused({"", "sign_in_refused", name, r.remote,
                    "too many failed sign-ins: refused without checking"});
      Response resp =
          JsonErrorResponse(429, "too_many_requests", "too many failed sign-ins; try again later");
      resp.headers.emplace_back("Retry-After", std::to_string(attempt.retry_after_seconds));
      return resp;
    }
    Response resp;
    resp.later = [this, name = std::move(name), password = std::move(password),
                  remote = r.remote](std::function<void(Response)> answer) mutable {
      auto work = [this, name, password = std::move(password), remote, answer]() {
        answer(Safely([&] { return CheckAndSignIn(name, password, remote); }));
      };
      if (!hashing_.Post(std::move(work))) {
        limiter_.Cancel(name, remote);
        answer(Busy());
      }
    };
    return resp;
  }

  // The rest of a sign-in, on the hashing pool.
  Response CheckAndSignIn(const std::string& name, const std::string& password,
                          const std::string& remote) {
    auto user = accounts_.CheckPassword(name, password);
    if (!user.ok() && user.errors().front().code != ErrorCode::kUnauthorized) {
      limiter_.End(name, remote, false, NowSeconds());
      return Unrecorded();
    }
    if (!user.ok()) {
      const Result<store::Done> logged =
          log_.Record({"", "sign_in_failed", name, remote, "wrong name or password"});
      limiter_.End(name, remote, false, NowSeconds());
      if (!logged.ok()) return Unrecorded();
      return Fail(ErrorCode::kUnauthorized, "wrong name or password");
    }
    const std::string expires = Timestamp(NowSeconds() + options_.session_seconds);
    auto token = accounts_.CreateSession(user.value().name, expires);
    if (!token.ok()) {
      limiter_.End(name, remote, false, NowSeconds());
      return Unrecorded();
    }
    limiter_.End(name, remote, true, NowSeconds());
    log_.Record({"", "sign_in", user.value().name, remote, ""});
    Response resp = Json({{"user", user.value().name}, {"expires_at", expires}});
    resp.headers.emplace_back("Cache-Control", "no-store");
    resp.headers.emplace_back("Set-Cookie", std::string(kCookie) + "=" + token.value() +
                                                "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                                std::to_string(options_.session_seconds) +
                                                (options_.secure_cookies ? "; Secure" : ""));
    return resp;
  }

  // What `work` answers, or a 500 when it throws (a defect): work on the hashing pool has no
  // router around it to catch, and its answer must always be given.
  template <typename Work>
  static Response Safely(Work work) {
    try {
      return work();
    } catch (const std::exception&) {
      return JsonErrorResponse(500, "internal", "internal error; the server log has the detail");
    }
  }

  // A sign-in that could not be recorded: the same answer for a right and a wrong password.
  static Response Unrecorded() {
    Response resp = Fail(ErrorCode::kUnavailable,
                         "signing in is not possible now (it cannot be recorded); try again later");
    resp.headers.emplace_back("Retry-After", "60");
    return resp;
  }

  static Response Busy() {
    Response resp = Fail(ErrorCode::kUnavailable, "too many sign-ins at once; try again shortly");
    resp.headers.emplace_back("Retry-After", "1");
    return resp;
  }

  long long NowSeconds() const { return EpochSeconds(options_.now()).value_or(0); }

  Response SignOut(const Request& r, const Params&, const store::User* user) {
    if (auto token = CookieValue(r, kCookie)) accounts_.EndSession(*token);
    log_.Record({"", "sign_out", user->name, r.remote, ""});
    Response resp = Json({{"signed_out", true}});
    resp.headers.emplace_back("Set-Cookie", std::string(kCookie) +
                                                "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                                (options_.secure_cookies ? "; Secure" : ""));
    return resp;
  }

  Response Me(const Request&, const Params&, const store::User* user) {
    auto grants = accounts_.GrantsOf(user->name);
    if (!grants.ok()) return FromErrors(grants.errors());
    ordered_json roles = ordered_json::object();
    for (const store::Grant& g : grants.value()) roles[g.authority] = NameOf(g.role);
    return Json({{"name", user->name}, {"site_admin", user->site_admin}, {"roles", roles}});
  }

  Response Tokens(const Request&, const Params&, const store::User* user) {
    auto tokens = accounts_.ApiTokensOf(user->name);
    if (!tokens.ok()) return FromErrors(tokens.errors());
    ordered_json out = ordered_json::array();
    for (const store::ApiToken& t : tokens.value()) {
      out.push_back({{"id", t.id},
                     {"label", t.label},
                     {"created_at", t.created_at},
                     {"revoked_at", t.revoked_at ? ordered_json(*t.revoked_at) : nullptr}});
    }
    return Json(out);
  }

  Response CreateToken(const Request& r, const Params&, const store::User* user) {
    auto parsed = JsonBody(r);
    if (auto* error = std::get_if<Response>(&parsed)) return *error;
    auto created = accounts_.CreateApiToken(
        user->name, TextField(std::get<ordered_json>(parsed), "label").value_or(""));
    if (!created.ok()) return FromErrors(created.errors());
    log_.Record({"", "token_created", user->name, r.remote, created.value().first.label});
    Response resp = Json({{"id", created.value().first.id},
                          {"label", created.value().first.label},
                          {"secret", created.value().second},
                          {"note", "the secret is shown this once: keep it safe"}},
                         201);
    resp.headers.emplace_back("Cache-Control", "no-store");
    return resp;
  }

  Response RevokeToken(const Request& r, const Params& p, const store::User* user) {
    const auto id = ParseVersion(p.at("token"));
    if (!id) return Fail(ErrorCode::kNotFound, "no such token", "token");
    auto done = accounts_.RevokeApiToken(user->name, *id);
    if (!done.ok()) return FromErrors(done.errors());
    log_.Record({"", "token_revoked", user->name, r.remote, p.at("token")});
    return Json({{"revoked", *id}});
  }

  // Adding a user hashes their password: on the hashing pool.
  Response AddUser(const Request& r, const Params&, const store::User* by) {
    auto parsed = JsonBody(r);
    if (auto* error = std::get_if<Response>(&parsed)) return *error;
    const ordered_json& body = std::get<ordered_json>(parsed);
    const bool admin = body.contains("site_admin") && body["site_admin"].is_boolean() &&
                       body["site_admin"].get<bool>();
    Response resp;
    resp.later = [this, name = TextField(body, "name").value_or(""),
                  password = TextField(body, "password").value_or(""), admin, by = by->name,
                  remote = r.remote](std::function<void(Response)> answer) mutable {
      auto work = [this, name, password = std::move(password), admin, by, remote, answer]() {
        answer(Safely([&] {
          auto user = accounts_.AddUser(name, password, admin);
          if (!user.ok()) return FromErrors(user.errors());
          log_.Record({"", "user_added", name, remote, "by " + by});
          Response added =
              Json({{"name", user.value().name}, {"site_admin", user.value().site_admin}}, 201);
          added.headers.emplace_back("Cache-Control", "no-store");
          return added;
        }));
      };
      if (!hashing_.Post(std::move(work))) answer(Busy());
    };
    return resp;
  }

  Response Users(const Request&, const Params&, const store::User*) {
    auto users = accounts_.ListUsers();
    if (!users.ok()) return FromErrors(users.errors());
    ordered_json out = ordered_json::array();
    for (const store::User& u : users.value()) {
      out.push_back({{"name", u.name},
                     {"site_admin", u.site_admin},
                     {"created_at", u.created_at},
                     {"disabled_at", u.disabled_at ? ordered_json(*u.disabled_at) : nullptr}});
    }
    return Json(out);
  }

  // Cutting off an account (site administrators): each takes effect at once.
  Response DisableUser(const Request& r, const Params& p, const store::User* by) {
    auto done = accounts_.DisableUser(p.at("user"));
    if (!done.ok()) return FromErrors(done.errors());
    log_.Record({"", "user_disabled", p.at("user"), r.remote, "by " + by->name});
    return Json({{"name", p.at("user")}, {"disabled", true}});
  }

  Response EnableUser(const Request& r, const Params& p, const store::User* by) {
    auto done = accounts_.EnableUser(p.at("user"));
    if (!done.ok()) return FromErrors(done.errors());
    log_.Record({"", "user_enabled", p.at("user"), r.remote, "by " + by->name});
    return Json({{"name", p.at("user")}, {"disabled", false}});
  }

  Response SignOutUser(const Request& r, const Params& p, const store::User* by) {
    auto ended = accounts_.SignOutEverywhere(p.at("user"));
    if (!ended.ok()) return FromErrors(ended.errors());
    log_.Record({"", "user_signed_out", p.at("user"), r.remote, "by " + by->name});
    return Json({{"name", p.at("user")}, {"ended", ended.value()}});
  }

  Response DeleteUser(const Request& r, const Params& p, const store::User* by) {
    const std::string& name = p.at("user");
    if (Query(r, "confirm").value_or("") != name) {
      return Fail(ErrorCode::kInvalid,
                  "deleting a user needs confirmation: add ?confirm=" + name +
                      " (to stop them signing in but keep the account, disable it instead)",
                  "confirm");
    }
    auto done = accounts_.DeleteUser(name);
    if (!done.ok()) return FromErrors(done.errors());
    log_.Record({"", "user_deleted", name, r.remote, "by " + by->name});
    return Json({{"name", name}, {"deleted", true}});
  }

  Response Authorities(const Request&, const Params&, const store::User* user) {
    auto all = store_.ListAuthorities();
    if (!all.ok()) return FromErrors(all.errors());
    // The user's roles, read once (as RoleOf has them: a site administrator is admin of all).
    std::map<std::string, Role, std::less<>> granted;
    if (!user->site_admin) {
      auto grants = accounts_.GrantsOf(user->name);
      if (!grants.ok()) return FromErrors(grants.errors());
      for (const store::Grant& g : grants.value()) granted.emplace(g.authority, g.role);
    }
    ordered_json out = ordered_json::array();
    for (const store::AuthoritySummary& a : all.value()) {
      auto it = granted.find(a.id);
      if (!user->site_admin && it == granted.end()) continue;  // only what they are granted
      out.push_back({{"id", a.id},
                     {"name", a.name},
                     {"version", a.version},
                     {"updated_at", a.updated_at},
                     {"role", NameOf(user->site_admin ? Role::kAdmin : it->second)}});
    }
    return Json(out);
  }

  Response CreateAuthority(const Request& r, const Params&, const store::User* user) {
    // Whether this caller may create anything at all is known before the body is read: the
    // authority's id (in the body) only narrows it.
    if (!MayCreateAny(*user)) {
      log_.Refused({"", "forbidden", user->name, r.remote, "create"});
      return Fail(ErrorCode::kForbidden,
                  "creating an authority needs a site administrator, or a role on its id");
    }
    auto parsed = JsonBody(r);
    if (auto* error = std::get_if<Response>(&parsed)) return *error;
    const ordered_json& body = std::get<ordered_json>(parsed);
    if (!body.contains("arrangements")) {
      return Fail(ErrorCode::kInvalid, "give the arrangements", "arrangements");
    }
    const std::string reason = TextField(body, "reason").value_or("");
    auto a = load::ParseArrangementsJsonValue(body["arrangements"], "arrangements");
    if (!a.ok()) return FromErrors(a.errors());
    const std::string& id = a.value().authority.id;
    if (!MayCreate(*user, id)) {
      log_.Refused({"", "forbidden", user->name, r.remote, "create " + id});
      return Fail(ErrorCode::kForbidden,
                  "creating an authority needs a site administrator, or a role on its id");
    }
    if (store_.Current(id).ok()) {
      return Fail(ErrorCode::kConflict,
                  "the authority '" + id + "' exists: change it with PUT /api/v1/authorities/" + id,
                  "authority.id");
    }
    auto version = store_.Import(a.value(), {user->name, reason, "import"});
    if (!version.ok()) return FromErrors(version.errors());
    return Json({{"id", id}, {"version", version.value()}}, 201);
  }

  Response GetAuthority(const Request&, const Params& p, const store::User*) {
    auto s = store_.CurrentShared(p.at("id"));
    if (!s.ok()) return FromErrors(s.errors());
    return Json({{"id", s.value()->arrangements.authority.id},
                 {"version", s.value()->version},
                 {"updated_at", s.value()->at},
                 {"arrangements", *derived_.Document(p.at("id"), s.value())}});
  }

  Response PutAuthority(const Request& r, const Params& p, const store::User* user) {
    auto parsed = JsonBody(r);
    if (auto* error = std::get_if<Response>(&parsed)) return *error;
    const ordered_json& body = std::get<ordered_json>(parsed);
    const auto version = VersionField(body, "version");
    if (!version) {
      return Fail(ErrorCode::kInvalid,
                  "give the version your change was made against (a whole number)", "version");
    }
    if (!body.contains("arrangements")) {
      return Fail(ErrorCode::kInvalid, "give the arrangements", "arrangements");
    }
    const std::string reason = TextField(body, "reason").value_or("");
    auto a = load::ParseArrangementsJsonValue(body["arrangements"], "arrangements");
    if (!a.ok()) return FromErrors(a.errors());
    return Saved(store_.Update(p.at("id"), *version, a.value(), {user->name, reason, "edit"}),
                 p.at("id"));
  }

  Response DeleteAuthority(const Request& r, const Params& p, const store::User* user) {
    const std::string& id = p.at("id");
    if (Query(r, "confirm").value_or("") != id) {
      return Fail(ErrorCode::kInvalid,
                  "deleting needs confirmation: add ?confirm=" + id +
                      " (the history is kept, and importing it again continues it)",
                  "confirm");
    }
    const auto version = ParseVersion(Query(r, "version").value_or(""));
    if (!version) return Fail(ErrorCode::kInvalid, "give ?version=", "version");
    const std::string reason = Query(r, "reason").value_or("");
    auto done = store_.Delete(id, *version, {user->name, reason, "delete"});
    if (!done.ok()) return FromErrors(done.errors());
    derived_.Forget(id);
    return Json({{"id", id}, {"deleted", true}, {"version", done.value()}});
  }

  Response Import(const Request& r, const Params& p, const store::User* user) {
    const std::string& id = p.at("id");
    const std::string content_type = Header(r, "content-type").value_or("");
    auto a = content_type.find("json") != std::string::npos
                 ? load::ParseArrangementsJson(r.body, "body")
                 : load::ParseArrangements(r.body, "body");
    if (!a.ok()) return FromErrors(a.errors());
    if (a.value().authority.id != id) {
      return Fail(ErrorCode::kInvalid,
                  "the file is for '" + a.value().authority.id + "', not '" + id + "'",
                  "authority.id");
    }
    const store::ChangeInfo change{user->name, Query(r, "reason").value_or(""), ""};
    if (auto current = store_.Current(id); current.ok()) {
      const auto version = ParseVersion(Query(r, "version").value_or(""));
      if (!version) {
        return Fail(ErrorCode::kInvalid,
                    "the authority exists: give ?version= (the version your file replaces)",
                    "version");
      }
      // The current state again: the store's import records nothing, and the answer says so.
      if (*version == current.value().version && current.value().arrangements == a.value()) {
        bool unchanged = false;
        auto same = store_.Import(a.value(), {change.author, change.reason, "import"}, &unchanged);
        if (same.ok() && unchanged) {
          return Json({{"id", id},
                       {"version", same.value()},
                       {"unchanged", true},
                       {"message", "the file is the current state: nothing was recorded"}});
        }
      }
      return Saved(store_.Update(id, *version, a.value(), {change.author, change.reason, "edit"}),
                   id);
    }
    if (!MayCreate(*user, id)) {
      return Fail(ErrorCode::kForbidden,
                  "creating an authority needs a site administrator, or a role on its id");
    }
    return Saved(store_.Import(a.value(), {change.author, change.reason, "import"}), id, 201);
  }

  Response Export(const Request& r, const Params& p, const store::User*) {
    auto s = At(r, p.at("id"));
    if (!s.ok()) return FromErrors(s.errors());
    Response resp;
    resp.content_type = "application/yaml; charset=utf-8";
    resp.headers.emplace_back("Content-Disposition",
                              "attachment; filename=\"" + p.at("id") + ".yaml\"");
    resp.body = load::WriteArrangements(s.value().arrangements);
    return resp;
  }

  Response Findings(const Request& r, const Params& p, const store::User*) {
    std::optional<Date> as_of;
    if (auto text = Query(r, "as_of")) {
      as_of = Date::Parse(*text);
      if (!as_of) {
        return Fail(ErrorCode::kInvalid, "as_of must be a real calendar day, YYYY-MM-DD", "as_of");
      }
    }
    Response resp;
    if (!Query(r, "version") && !Query(r, "at")) {
      // The current state: its findings are kept while it stays current.
      auto s = store_.CurrentShared(p.at("id"));
      if (!s.ok()) return FromErrors(s.errors());
      resp.body = derived_
                      .Findings(p.at("id"), s.value(),
                                as_of.value_or(s.value()->arrangements.authority.as_of))
                      ->Json();
      return resp;
    }
    auto s = At(r, p.at("id"));
    if (!s.ok()) return FromErrors(s.errors());
    resp.body = load::ReportToJson(
        RunChecks(s.value().arrangements, as_of.value_or(s.value().arrangements.authority.as_of)));
    return resp;
  }

  Response History(const Request&, const Params& p, const store::User*) {
    auto h = store_.History(p.at("id"));
    if (!h.ok()) return FromErrors(h.errors());
    ordered_json out = ordered_json::array();
    for (const store::HistoryEntry& e : h.value()) out.push_back(EntryJson(e));
    return Json(out);
  }

  Response HistoryEntry(const Request&, const Params& p, const store::User*) {
    const auto version = ParseVersion(p.at("version"));
    if (!version) return Fail(ErrorCode::kNotFound, "no such version", "version");
    auto h = store_.History(p.at("id"));
    if (!h.ok()) return FromErrors(h.errors());
    for (const store::HistoryEntry& e : h.value()) {
      if (e.version != *version) continue;
      ordered_json out = EntryJson(e);
      auto s = store_.AtVersion(p.at("id"), *version);
      out["arrangements"] =
          s.ok() ? load::ArrangementsJsonValue(s.value().arrangements) : ordered_json(nullptr);
      return Json(out);
    }
    return Fail(ErrorCode::kNotFound, "no such version", "version");
  }

  Response Compare(const Request& r, const Params& p, const store::User*) {
    const auto from = ParseVersion(Query(r, "from").value_or(""));
    const auto to = ParseVersion(Query(r, "to").value_or(""));
    if (!from) return Fail(ErrorCode::kInvalid, "give ?from= (a version)", "from");
    if (!to) return Fail(ErrorCode::kInvalid, "give ?to= (a version)", "to");
    auto diff = store_.Compare(p.at("id"), *from, *to);
    if (!diff.ok()) return FromErrors(diff.errors());
    return Json({{"from", *from}, {"to", *to}, {"changes", ordered_json::parse(diff.value())}});
  }

  Response Restore(const Request& r, const Params& p, const store::User* user) {
    auto parsed = JsonBody(r);
    if (auto* error = std::get_if<Response>(&parsed)) return *error;
    const ordered_json& body = std::get<ordered_json>(parsed);
    const auto target = VersionField(body, "restore");
    const auto version = VersionField(body, "version");
    if (!target) return Fail(ErrorCode::kInvalid, "give the version to restore", "restore");
    if (!version) {
      return Fail(ErrorCode::kInvalid, "give the version your change was made against", "version");
    }
    const std::string reason = TextField(body, "reason").value_or("");
    return Saved(store_.Restore(p.at("id"), *target, *version, {user->name, reason, "restore"}),
                 p.at("id"));
  }

  Response Grants(const Request&, const Params& p, const store::User*) {
    auto users = accounts_.ListUsers();
    if (!users.ok()) return FromErrors(users.errors());
    ordered_json out = ordered_json::array();
    for (const store::User& u : users.value()) {
      auto grants = accounts_.GrantsOf(u.name);
      if (!grants.ok()) return FromErrors(grants.errors());
      for (const store::Grant& g : grants.value()) {
        if (g.authority == p.at("id")) out.push_back({{"user", u.name}, {"role", NameOf(g.role)}});
      }
    }
    return Json(out);
  }

  Response PutGrant(const Request& r, const Params& p, const store::User*) {
    auto parsed = JsonBody(r);
    if (auto* error = std::get_if<Response>(&parsed)) return *error;
    const auto role = Parse<Role>(TextField(std::get<ordered_json>(parsed), "role").value_or(""));
    if (!role) {
      return Fail(ErrorCode::kInvalid, "role must be one of viewer, editor, approver, admin",
                  "role");
    }
    auto done = accounts_.SetRole(p.at("user"), p.at("id"), *role);
    if (!done.ok()) return FromErrors(done.errors());
    return Json({{"user", p.at("user")}, {"authority", p.at("id")}, {"role", NameOf(*role)}});
  }

  Response DeleteGrant(const Request&, const Params& p, const store::User*) {
    auto done = accounts_.RemoveRole(p.at("user"), p.at("id"));
    if (!done.ok()) return FromErrors(done.errors());
    return Json({{"user", p.at("user")}, {"authority", p.at("id")}, {"removed", true}});
  }

  Response GetPart(const Request&, const Params& p, const store::User*) {
    const Part* part = FindPart(p.at("part"));
    if (!part) return NoPart(p.at("part"));
    auto s = store_.CurrentShared(p.at("id"));
    if (!s.ok()) return FromErrors(s.errors());
    const ordered_json& doc = *derived_.Document(p.at("id"), s.value());
    const ordered_json empty = ordered_json::array();
    const ordered_json* parent = part->in_assurance ? MemberOf(doc, "assurance") : &doc;
    const ordered_json* found = parent ? MemberOf(*parent, part->name) : nullptr;
    const ordered_json& list = found ? *found : empty;
    if (!p.count("key")) return Json({{"version", s.value()->version}, {"entries", list}});
    const long at = FindEntry(KeysOf(s.value()->arrangements, *part), *part, p.at("key"));
    if (at < 0) return Fail(ErrorCode::kNotFound, "no such entry", std::string(part->name));
    return Json({{"version", s.value()->version}, {"entry", list[static_cast<size_t>(at)]}});
  }

  // Adds (no key), replaces (PUT with a key) or removes (DELETE) an entry of a part, as one
  // edit validated like any other.
  Response ChangePart(const Request& r, const Params& p, const store::User* user) {
    const Part* part = FindPart(p.at("part"));
    if (!part) return NoPart(p.at("part"));
    std::optional<long long> version;
    std::string reason;
    ordered_json entry;
    if (r.method == "DELETE") {
      version = ParseVersion(Query(r, "version").value_or(""));
      reason = Query(r, "reason").value_or("");
    } else {
      auto parsed = JsonBody(r);
      if (auto* error = std::get_if<Response>(&parsed)) return *error;
      const ordered_json& body = std::get<ordered_json>(parsed);
      version = VersionField(body, "version");
      reason = TextField(body, "reason").value_or("");
      if (!body.contains("entry") || !body["entry"].is_object()) {
        return Fail(ErrorCode::kInvalid, "give the entry, as an object", "entry");
      }
      entry = body["entry"];
    }
    if (!version) {
      return Fail(ErrorCode::kInvalid, "give the version your change was made against", "version");
    }
    auto s = store_.CurrentShared(p.at("id"));
    if (!s.ok()) return FromErrors(s.errors());
    const Arrangements& current = s.value()->arrangements;
    long at = -1;  // adding
    if (p.count("key")) {
      at = FindEntry(KeysOf(current, *part), *part, p.at("key"));
      if (at < 0) return Fail(ErrorCode::kNotFound, "no such entry", std::string(part->name));
    }
    const load::EntryEdit edit{part->name, part->in_assurance, at,
                               r.method == "DELETE" ? nullptr : &entry};
    auto a = load::EditArrangements(current, edit, "arrangements");
    if (!a.ok()) return FromErrors(a.errors());
    return Saved(store_.Update(p.at("id"), *version, a.value(), {user->name, reason, "edit"}),
                 p.at("id"), p.count("key") ? 200 : 201);
  }

 private:
  std::optional<store::User> Caller(const Request& r, bool& by_cookie) {
    if (auto authorization = Header(r, "authorization")) {
      constexpr std::string_view kBearer = "Bearer ";
      if (authorization->rfind(kBearer, 0) == 0) {
        auto user = accounts_.UserOfApiToken(authorization->substr(kBearer.size()));
        if (user.ok()) return user.value();
      }
      return std::nullopt;
    }
    if (auto token = CookieValue(r, kCookie)) {
      auto user = accounts_.UserOfSession(*token, options_.now());
      if (user.ok()) {
        by_cookie = true;
        return user.value();
      }
    }
    return std::nullopt;
  }

  static bool SameOrigin(const Request& r) {
    const auto origin = Header(r, "origin");
    const auto host = Header(r, "host");
    if (!origin || !host) return false;
    return *origin == "http://" + *host || *origin == "https://" + *host;
  }

  bool Allowed(Access access, const store::User& user, const Params& p) {
    if (user.site_admin) return true;
    switch (access) {
      case Access::kPublic:
      case Access::kSignedIn:
        return true;
      case Access::kSiteAdmin:
        return false;
      default:
        break;
    }
    auto it = p.find("id");
    if (it == p.end()) return false;
    auto role = accounts_.RoleOf(user.name, it->second);
    if (!role.ok() || !role.value()) return false;
    const Role needed = access == Access::kViewer     ? Role::kViewer
                        : access == Access::kEditor   ? Role::kEditor
                        : access == Access::kApprover ? Role::kApprover
                                                      : Role::kAdmin;
    return static_cast<int>(*role.value()) >= static_cast<int>(needed);
  }

  // Whether `user` may create some authority: a site administrator, or an editor (or above)
  // of some authority, who may create one with that id (after deleting it).
  bool MayCreateAny(const store::User& user) {
    if (user.site_admin) return true;
    auto grants = accounts_.GrantsOf(user.name);
    if (!grants.ok()) return false;
    for (const store::Grant& g : grants.value()) {
      if (g.role >= Role::kEditor) return true;
    }
    return false;
  }

  bool MayCreate(const store::User& user, const std::string& id) {
    if (user.site_admin) return true;
    auto role = accounts_.RoleOf(user.name, id);
    return role.ok() && role.value() && *role.value() >= Role::kEditor;
  }

  Result<store::Snapshot> At(const Request& r, const std::string& id) {
    if (auto v = Query(r, "version")) {
      const auto version = ParseVersion(*v);
      if (!version) {
        return std::vector<Error>{
            Error{ErrorCode::kInvalid, "", 0, 0, "version", "version must be a whole number"}};
      }
      return store_.AtVersion(id, *version);
    }
    if (auto at = Query(r, "at")) return store_.AtTime(id, *at);
    return store_.Current(id);
  }

  Response Saved(const Result<int64_t>& version, const std::string& id, int status = 200) {
    if (!version.ok()) {
      Response resp = FromErrors(version.errors());
      if (auto current = store::CurrentVersionOf(version.errors().front())) {
        auto body = ordered_json::parse(resp.body);
        body["error"]["current_version"] = *current;
        resp.body = body.dump(2) + "\n";
      }
      return resp;
    }
    // The checks are re-run on every change, and their findings kept for the next reader.
    ordered_json out = {{"id", id}, {"version", version.value()}};
    auto s = store_.CurrentShared(id);
    if (s.ok() && s.value()->version == version.value()) {
      const Date as_of = s.value()->arrangements.authority.as_of;
      out["as_of"] = as_of.ToString();
      out["summary"] = load::SummaryJson(derived_.Findings(id, s.value(), as_of)->report());
    } else if (auto saved = store_.AtVersion(id, version.value()); saved.ok()) {
      // Changed again since (or deleted): the summary is still of the version saved here.
      const Arrangements& a = saved.value().arrangements;
      out["as_of"] = a.authority.as_of.ToString();
      out["summary"] = load::SummaryJson(RunChecks(a, a.authority.as_of));
    }
    return Json(out, status);
  }

  static ordered_json EntryJson(const store::HistoryEntry& e) {
    return {{"version", e.version},
            {"at", e.at},
            {"author", e.author},
            {"reason", e.reason},
            {"kind", e.kind},
            {"changes", ordered_json::parse(e.diff_json)},
            {"summary", store::SummariseChange(e.diff_json)},
            {"hash", e.hash},
            {"prev_hash", e.prev_hash}};
  }

  static Response NoPart(const std::string& name) {
    std::string names;
    for (const Part& p : kParts) names += (names.empty() ? "" : ", ") + std::string(p.name);
    return Fail(ErrorCode::kNotFound, "no part '" + name + "'; the parts are " + names, "part");
  }

  store::Store& store_;
  store::Accounts& accounts_;
  const assure::Catalogue& catalogue_;
  ApiOptions options_;
  Derived derived_;
  SignInLimiter limiter_;
  AuthLog log_;
  // Last: stopped (its work done) before anything that work uses goes.
  WorkPool hashing_;
};

using Method = Response (Api::*)(const Request&, const Params&, const store::User*);

Method MethodFor(const RouteInfo& info) {
  const std::string key = info.method + " " + info.pattern;
  static const std::vector<std::pair<std::string, Method>> kHandlers = {
      {"GET /api/v1/openapi.json", &Api::OpenApi},
      {"GET /api/v1/catalogue", &Api::Catalogue},
      {"GET /api/v1/public/{id}", &Api::Public},
      {"POST /api/v1/session", &Api::SignIn},
      {"DELETE /api/v1/session", &Api::SignOut},
      {"GET /api/v1/me", &Api::Me},
      {"GET /api/v1/tokens", &Api::Tokens},
      {"POST /api/v1/tokens", &Api::CreateToken},
      {"DELETE /api/v1/tokens/{token}", &Api::RevokeToken},
      {"POST /api/v1/users", &Api::AddUser},
      {"GET /api/v1/users", &Api::Users},
      {"POST /api/v1/users/{user}/disable", &Api::DisableUser},
      {"POST /api/v1/users/{user}/enable", &Api::EnableUser},
      {"POST /api/v1/users/{user}/sign-out", &Api::SignOutUser},
      {"DELETE /api/v1/users/{user}", &Api::DeleteUser},
      {"GET /api/v1/authorities", &Api::Authorities},
      {"POST /api/v1/authorities", &Api::CreateAuthority},
      {"GET /api/v1/authorities/{id}", &Api::GetAuthority},
      {"PUT /api/v1/authorities/{id}", &Api::PutAuthority},
      {"DELETE /api/v1/authorities/{id}", &Api::DeleteAuthority},
      {"PUT /api/v1/authorities/{id}/import", &Api::Import},
      {"GET /api/v1/authorities/{id}/export", &Api::Export},
      {"GET /api/v1/authorities/{id}/findings", &Api::Findings},
      {"GET /api/v1/authorities/{id}/history", &Api::History},
      {"GET /api/v1/authorities/{id}/history/{version}", &Api::HistoryEntry},
      {"GET /api/v1/authorities/{id}/compare", &Api::Compare},
      {"POST /api/v1/authorities/{id}/restore", &Api::Restore},
      {"GET /api/v1/authorities/{id}/grants", &Api::Grants},
      {"PUT /api/v1/authorities/{id}/grants/{user}", &Api::PutGrant},
      {"DELETE /api/v1/authorities/{id}/grants/{user}", &Api::DeleteGrant},
      {"GET /api/v1/authorities/{id}/{part}", &Api::GetPart},
      {"POST /api/v1/authorities/{id}/{part}", &Api::ChangePart},
      {"GET /api/v1/authorities/{id}/{part}/{key}", &Api::GetPart},
      {"PUT /api/v1/authorities/{id}/{part}/{key}", &Api::ChangePart},
      {"DELETE /api/v1/authorities/{id}/{part}/{key}", &Api::ChangePart},
  };
  for (const auto& [k, m] : kHandlers) {
    if (k == key) return m;
  }
  return nullptr;
}

std::string_view AccessWords(Access access) {
  switch (access) {
    case Access::kPublic:
      return "anyone";
    case Access::kSignedIn:
      return "any signed-in user";
    case Access::kViewer:
      return "viewer or above on the authority";
    case Access::kEditor:
      return "editor or above on the authority";
    case Access::kApprover:
      return "approver or above on the authority";
    case Access::kAdmin:
      return "admin of the authority";
    case Access::kSiteAdmin:
      return "a site administrator";
  }
  return "";
}

}  // namespace

const std::vector<RouteInfo>& ApiRoutes() { return kRoutes; }

std::map<std::string, size_t, std::less<>> ApiBodyLimits() {
  return {{"/api/v1/session", kMaxSignInBodyBytes},
          {"/api/v1/users", kMaxSignInBodyBytes},
          {"/api/v1/tokens", kMaxSignInBodyBytes}};
}

void AddApiRoutes(Router& router, store::Store& store, const Catalogue& catalogue,
                  ApiOptions options) {
  auto api = std::make_shared<Api>(store, catalogue, std::move(options));
  for (const RouteInfo& info : kRoutes) {
    const Method method = MethodFor(info);
    router.Add(info.method, info.pattern, [api, info, method](const Request& r, const Params& p) {
      return api->Guarded(info, r, p,
                          [&](const Request& rr, const Params& pp, const store::User* u) {
                            return ((*api).*method)(rr, pp, u);
                          });
    });
  }
}

std::string OpenApiDocument() {
  ordered_json paths = ordered_json::object();
  for (const RouteInfo& info : kRoutes) {
    std::string method = info.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ordered_json parameters = ordered_json::array();
    size_t at = 0;
    while ((at = info.pattern.find('{', at)) != std::string::npos) {
      const size_t end = info.pattern.find('}', at);
      parameters.push_back({{"name", info.pattern.substr(at + 1, end - at - 1)},
                            {"in", "path"},
                            {"required", true},
                            {"schema", {{"type", "string"}}}});
      at = end;
    }
    ordered_json operation = {
        {"summary", info.summary},
        {"description", "Who may call it: " + std::string(AccessWords(info.access)) + "."},
        {"parameters", parameters},
        {"responses",
         {{"200", {{"description", "OK"}}},
          {"400", {{"description", "Invalid: the error names the field"}}},
          {"401", {{"description", "Not signed in"}}},
          {"403", {{"description", "Not allowed"}}},
          {"404", {{"description", "Not found"}}},
          {"409", {{"description", "Stale version: the error gives the current one"}}}}}};
    if (info.method == "POST" && info.pattern == "/api/v1/session") {
      operation["responses"]["413"] = {{"description", "The body is over 4 kB"}};
      operation["responses"]["429"] = {
          {"description", "Too many failed sign-ins: wait for Retry-After seconds"}};
      operation["responses"]["503"] = {
          {"description", "The sign-in cannot be recorded now, or too many are waiting"}};
    }
    if (info.access != Access::kPublic) {
      operation["security"] = ordered_json::array(
          {{{"bearer", ordered_json::array()}}, {{"cookie", ordered_json::array()}}});
    }
    paths[info.pattern][method] = operation;
  }
  ordered_json doc = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Assure API"},
        {"version", "1"},
        {"description",
         "Leadership arrangements for children's services: authorities, their arrangements and "
         "parts, findings against the 2013 statutory guidance, history, and access. Errors are "
         "JSON: {\"error\": {\"code\", \"message\", \"field\"}}, with a stable code: invalid, "
         "not_found, conflict, unauthorized, forbidden, unavailable, internal."}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes",
         {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
          {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", std::string(kCookie)}}}}}}}};
  return doc.dump(2) + "\n";
}

}  // namespace assure::server
