// The JSON API under /api/v1: authorities and their arrangements, the arrangements' parts,
// findings, history, the catalogue, accounts and access, and a public transparency view.
//
// Every route is described once (RouteInfo): its method, pattern, the least role it needs and a
// summary. The same table registers the handlers and generates the OpenAPI document served at
// /api/v1/openapi.json, so the two cannot drift apart.
//
// Who is asking: a bearer token (`Authorization: Bearer ...`, for scripts) or a session cookie
// (`assure_session`, HttpOnly, SameSite=Strict, from POST /api/v1/session). A request that
// changes anything and is authenticated by cookie must come from the same origin (its `Origin`
// header names this server), or it is refused; so must a sign-in. Every refusal (401, 403) and
// every sign-in, good or bad, is logged (floods of refusals as counts: auth_log.hpp). Sign-in is
// rate-limited in memory by name and address, and by address (sign_in_limiter.hpp); passwords
// are checked on a small pool of threads of their own, so that the server's threads stay free.
// Answers that carry a secret (a sign-in's cookie, a new token) say `Cache-Control: no-store`.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
#include "server/http_server.hpp"
#include "store/accounts.hpp"
#include "store/store.hpp"

namespace assure::server {

struct ApiOptions {
  // The current time, UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ` (injected so that tests can move it).
  std::function<std::string()> now;
  long session_seconds = 8 * 3600;  // how long a sign-in lasts
  // `Secure` on the session cookie: browsers then send it over HTTPS, and to http://localhost,
  // only. Off only for plain HTTP to another host (`assure serve --insecure-cookies`).
  bool secure_cookies = true;
  // Failed sign-ins in a row allowed per name and address; after them each try waits, twice as
  // long after each failure (1 s, 2 s, 4 s... up to sign_in_window_seconds).
  int max_failed_sign_ins = 10;
  long sign_in_window_seconds = 15 * 60;
  // Failed sign-ins allowed per address within sign_in_window_seconds, whatever the names.
  int max_failed_sign_ins_per_address = 100;
  int hash_threads = 1;  // threads checking and hashing passwords
};

// The largest sign-in body taken, in bytes: a name, a password (at most 1,024 bytes) and JSON.
inline constexpr size_t kMaxSignInBodyBytes = 4096;

// The body limits of the API's small requests, by path, for ServerOptions::max_body_bytes_at:
// sign-in, new users and new tokens.
std::map<std::string, size_t, std::less<>> ApiBodyLimits();

// Who may call a route.
enum class Access {
  kPublic,    // anyone, signed in or not
  kSignedIn,  // any signed-in user
  kViewer,    // at least this role on the route's {id} authority
  kEditor,
  kApprover,
  kAdmin,
  kSiteAdmin,  // a site administrator
};

struct RouteInfo {
  std::string method;
  std::string pattern;
  Access access;
  std::string summary;
};

// Every route of the API, in the order of the OpenAPI document.
const std::vector<RouteInfo>& ApiRoutes();

// Adds every route to `router`. `store` and `catalogue` must outlive the router.
void AddApiRoutes(Router& router, store::Store& store, const Catalogue& catalogue,
                  ApiOptions options);

// The OpenAPI 3.1 document of the API, as JSON.
std::string OpenApiDocument();

}  // namespace assure::server
