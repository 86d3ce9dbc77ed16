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
// header names this server), or it is refused. Every refusal (401, 403) and every sign-in, good
// or bad, is logged. Sign-in is rate-limited by name and by address.
#pragma once

#include <functional>
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
  bool secure_cookies = false;      // add `Secure` to cookies (behind HTTPS)
  int max_failed_sign_ins = 10;     // per name or address, within sign_in_window_seconds
  long sign_in_window_seconds = 15 * 60;
};

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
