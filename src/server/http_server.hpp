// HTTP for Assure: a router of our own over Boost.Beast, with the limits that keep the server
// standing (header and body time limits, an idle keep-alive limit, header and body size caps, a
// cap on open connections), a JSON Lines request log, `/healthz`, and a graceful stop.
//
// No Beast or Asio type appears here: handlers see plain `Request` and `Response` values, and
// the server's workings stay in http_server.cpp.
//
// Typical use (the one place that wires the program together):
//
//   server::Router router;
//   router.Add("GET", "/api/v1/authorities/{id}", GetAuthority);
//   server::HttpServer http(options, router, std::cerr);
//   auto port = http.Start();
//   if (!port.ok()) { ...print port.errors()... }
//   return server::ServeUntilSignalled(http);
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace assure::server {

// One HTTP request, as a handler sees it.
struct Request {
  std::string method;  // "GET", "POST", ... as sent
  std::string target;  // as sent: "/api/v1/authorities/x%20y?as_of=2024-01-01"
  std::string path;    // the target's path, still percent-encoded: "/api/v1/authorities/x%20y"
  std::map<std::string, std::string> query;    // decoded; the first of repeated names wins
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined with ", "
  std::string body;
  std::string remote;  // the client's IP address
};

// One HTTP response. The server sets Content-Length and Connection itself and ignores those
// names (and Transfer-Encoding) in `headers`.
struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set by a handler whose answer needs slow work (hashing a password), instead of the fields
  // above: the server calls it once with `answer`, which the work then calls exactly once, from
  // any thread, with the real response. The server's thread serves other connections meanwhile.
  std::function<void(std::function<void(Response)> answer)> later;
  std::string detail;  // for the request log only ("error"), never sent: what went wrong inside
};

// The values of a route's `{name}` segments, percent-decoded.
using Params = std::map<std::string, std::string>;

// A handler answers one request. It may throw: the router turns that into a 500 whose body says
// only that the log has the detail. Handlers run on the server's threads and must be safe to
// call concurrently.
using Handler = std::function<Response(const Request&, const Params&)>;

// The HTTP status for an error code: invalid 400, not_found 404, conflict 409,
// unauthorized 401, forbidden 403, unavailable 503, internal 500. The one table.
int HttpStatus(ErrorCode code);

// The stable name of an error code as clients see it: "invalid", "not_found", "conflict",
// "unauthorized", "forbidden", "unavailable", "internal".
std::string_view ErrorCodeName(ErrorCode code);

// A JSON error response: `{"error":{"code":CODE,"message":MESSAGE,"field":FIELD}}`, "field"
// left out when `field` is empty. For protocol errors that have no ErrorCode
// ("method_not_allowed", "payload_too_large", ...).
Response JsonErrorResponse(int status, std::string_view code, std::string_view message,
                           std::string_view field = {});

// The response for an Error: status from HttpStatus, code from ErrorCodeName, the error's
// message and field. The file, line and column are not shown. An unavailable or internal error's
// message comes from inside (a database's or a library's words): the client gets a plain
// sentence instead, and the message goes to Response::detail, for the log.
Response ErrorResponse(const Error& error);

// Maps (method, path) to handlers.
class Router {
 public:
  // Adds a route. `pattern` starts with '/'; a segment `{name}` matches any one non-empty path
  // segment and is passed to the handler as params["name"]. Literal segments win over `{name}`
  // segments where two routes could both match; otherwise the first route added wins. A GET
  // route also answers HEAD (the server sends no body). Requires: `method` in upper case.
  void Add(std::string method, std::string pattern, Handler handler);

  // Answers `request`: the matching handler's response; a 404 JSON error when no route has the
  // path; a 405 JSON error with an `Allow` header when routes have the path but not the method;
  // a 500 JSON error when the handler throws, with the exception's text stored in `*failure`
  // (when `failure` is not null) for the log.
  Response Handle(const Request& request, std::string* failure = nullptr) const;

  // Whether any route's pattern matches `path` (whatever its method).
  bool HasPath(std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" for a parameter
    Handler handler;
  };
  std::vector<Route> routes_;
};

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // "IPV4:PORT", "[IPV6]:PORT" or "localhost:PORT"
  int threads = 2;                        // threads running the handlers and the I/O
  // Connections beyond this (or beyond what the open-file limit allows) are answered 503 and
  // closed at once.
  size_t max_connections = 10000;
  size_t max_header_bytes = 16 * 1024;       // request line and headers; over it: 431, close
  size_t max_body_bytes = 16 * 1024 * 1024;  // over it: 413, close
  // Lower body limits for some paths (exact, as sent, without the query): a body declared
  // larger is answered 413 before it is read.
  std::map<std::string, size_t, std::less<>> max_body_bytes_at;
  std::chrono::milliseconds header_timeout{10000};  // from connect, or from the first byte of a
                                                    // later request, to the end of the headers
  std::chrono::milliseconds body_timeout{30000};    // to read the whole body; over it: 408
  std::chrono::milliseconds idle_timeout{30000};    // between requests on a kept-alive connection
  std::chrono::milliseconds write_timeout{30000};   // to write one response
  // Connections from one client address beyond this are answered 503 and closed at once, so
  // that one host cannot take the whole of max_connections.
  size_t max_connections_per_address = 512;
  // Addresses of reverse proxies whose `X-Forwarded-For` is believed (IPv4 or IPv6, exactly as
  // the proxy connects). From one of them, a request's client is the last address of that
  // header (the one the proxy saw), and the request log, Request::remote and the per-address
  // cap all use it; the proxy's own connections are not capped per address. From any other
  // address the header is ignored.
  std::vector<std::string> trusted_proxies;
  std::chrono::milliseconds shutdown_timeout{30000};  // after Stop(), connections still open
                                                      // after this are closed
};

// The HTTP server. Start() binds, Run() serves until Stop().
class HttpServer {
 public:
  // `router` and `log` must outlive the server. The log gets one JSON object per line: one per
  // request (ts, method, path, status, bytes, ms, remote, and "error" with the detail when a
  // handler threw), and one per server event (listen, stop, accept errors). Writes to it are
  // serialised by the server.
  HttpServer(ServerOptions options, Router& router, std::ostream& log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Raises the open-file soft limit to the hard limit, binds and listens on options.listen.
  // Returns the port bound (useful with port 0, which picks a free one). Errors: kInvalid with
  // field "listen" when the address cannot be parsed, or field "trusted_proxies" when one of
  // them is not an IP address; kUnavailable when it cannot be bound.
  // Call once, before Run().
  Result<int> Start();

  // Serves on options.threads threads (the caller's among them) until Stop() has taken effect
  // and every connection has closed. Requires: Start() succeeded.
  void Run();

  // Stops gracefully, from any thread, before or during Run(): stops accepting, closes idle
  // connections, lets requests already begun finish (their responses say Connection: close),
  // then Run() returns. Requests still going after options.shutdown_timeout lose their
  // connection. Safe to call more than once.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs `server` (already started) until SIGTERM or SIGINT, then stops it gracefully and returns
// once every in-flight request has been answered. Returns 0, the exit code for the program.
int ServeUntilSignalled(HttpServer& server);

}  // namespace assure::server
