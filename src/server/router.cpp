// The router, the error table and JSON error bodies.
#include <algorithm>
#include <array>
#include <cassert>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "server/http_server.hpp"
#include "server/target.hpp"

namespace assure::server {
namespace {

struct ErrorCodeRow {
  ErrorCode code;
  std::string_view name;
  int status;
};

// The one table from error codes to what clients see.
constexpr std::array<ErrorCodeRow, 7> kErrorCodes = {{
    {ErrorCode::kInvalid, "invalid", 400},
    {ErrorCode::kNotFound, "not_found", 404},
    {ErrorCode::kConflict, "conflict", 409},
    {ErrorCode::kUnauthorized, "unauthorized", 401},
    {ErrorCode::kForbidden, "forbidden", 403},
    {ErrorCode::kUnavailable, "unavailable", 503},
    {ErrorCode::kInternal, "internal", 500},
}};

const ErrorCodeRow& RowFor(ErrorCode code) {
  for (const auto& row : kErrorCodes) {
    if (row.code == code) return row;
  }
  return kErrorCodes.back();  // an out-of-range value is a defect: say internal
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  size_t start = 1;
  while (true) {
    size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int high = HexValue(text[i + 1]);
      int low = HexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

void SplitTarget(std::string_view target, std::string* path,
                 std::map<std::string, std::string>* query) {
  // The absolute form ("http://host/path") is allowed of clients; only its path matters here.
  if (target.starts_with("http://") || target.starts_with("https://")) {
    size_t authority = target.find("//") + 2;
    size_t slash = target.find_first_of("/?", authority);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    if (target.front() == '?') *path = "/";
  }
  size_t question = target.find('?');
  if (path->empty()) *path = std::string(target.substr(0, question));
  if (question == std::string_view::npos) return;
  std::string_view rest = target.substr(question + 1);
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string name = PercentDecode(pair.substr(0, equals), true);
    std::string value = equals == std::string_view::npos
                            ? std::string()
                            : PercentDecode(pair.substr(equals + 1), true);
    query->emplace(std::move(name), std::move(value));
  }
}

namespace {

// Matches `path` against `route_segments`, filling `params` (when not null). Returns the match's
// specificity, one flag per segment (1 literal, 0 parameter), or nothing when it does not match.
std::optional<std::vector<int>> Match(const std::vector<std::string>& route_segments,
                                      const std::vector<std::string_view>& path_segments,
                                      Params* params) {
  if (route_segments.size() != path_segments.size()) return std::nullopt;
  std::vector<int> specificity;
  specificity.reserve(route_segments.size());
  for (size_t i = 0; i < route_segments.size(); ++i) {
    const std::string& want = route_segments[i];
    std::string_view got = path_segments[i];
    if (IsParam(want)) {
      if (got.empty()) return std::nullopt;
      if (params != nullptr) (*params)[want.substr(1, want.size() - 2)] = PercentDecode(got, false);
      specificity.push_back(0);
    } else {
      if (want != got) return std::nullopt;
      specificity.push_back(1);
    }
  }
  return specificity;
}

}  // namespace

int HttpStatus(ErrorCode code) { return RowFor(code).status; }

std::string_view ErrorCodeName(ErrorCode code) { return RowFor(code).name; }

Response JsonErrorResponse(int status, std::string_view code, std::string_view message,
                           std::string_view field) {
  nlohmann::ordered_json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  Response response;
  response.status = status;
  // Messages may quote what a client sent, which need not be UTF-8.
  response.body = nlohmann::ordered_json{{"error", error}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response ErrorResponse(const Error& error) {
  if (error.code == ErrorCode::kUnavailable || error.code == ErrorCode::kInternal) {
    Response response = JsonErrorResponse(
        HttpStatus(error.code), ErrorCodeName(error.code),
        error.code == ErrorCode::kUnavailable
            ? "the service cannot do this just now; try again later (the server log has the "
              "detail)"
            : "internal error; the server log has the detail");
    response.detail = error.message;
    return response;
  }
  return JsonErrorResponse(HttpStatus(error.code), ErrorCodeName(error.code), error.message,
                           error.field);
}

void Router::Add(std::string method, std::string pattern, Handler handler) {
  assert(!pattern.empty() && pattern.front() == '/');
  std::vector<std::string> segments;
  for (std::string_view segment : SplitPath(pattern)) segments.emplace_back(segment);
  routes_.push_back(Route{std::move(method), std::move(segments), std::move(handler)});
}

bool Router::HasPath(std::string_view path) const {
  auto path_segments = SplitPath(path);
  if (path_segments.empty()) return false;
  return std::any_of(routes_.begin(), routes_.end(), [&](const Route& route) {
    return Match(route.segments, path_segments, nullptr).has_value();
  });
}

Response Router::Handle(const Request& request, std::string* failure) const {
  auto path_segments = SplitPath(request.path);
  const Route* best = nullptr;
  const Route* best_get = nullptr;  // for HEAD without a HEAD route
  std::vector<int> best_specificity, best_get_specificity;
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    auto specificity = Match(route.segments, path_segments, nullptr);
    if (!specificity) continue;
    allowed.insert(route.method);
    if (route.method == "GET") allowed.insert("HEAD");
    if (route.method == request.method && (best == nullptr || *specificity > best_specificity)) {
      best = &route;
      best_specificity = *specificity;
    }
    if (route.method == "GET" && (best_get == nullptr || *specificity > best_get_specificity)) {
      best_get = &route;
      best_get_specificity = *specificity;
    }
  }
  if (best == nullptr && request.method == "HEAD") best = best_get;
  if (best == nullptr) {
    if (allowed.empty()) {
      return JsonErrorResponse(404, "not_found", "no resource at " + request.path, "path");
    }
    std::string allow;
    for (const std::string& method : allowed) {
      if (!allow.empty()) allow += ", ";
      allow += method;
    }
    Response response =
        JsonErrorResponse(405, "method_not_allowed",
                          request.path + " allows " + allow + ", not " + request.method, "method");
    response.headers.emplace_back("Allow", allow);
    return response;
  }

  Params params;
  Match(best->segments, path_segments, &params);
  std::string detail;
  try {
    return best->handler(request, params);
  } catch (const std::exception& e) {
    detail = e.what();
  } catch (...) {
    detail = "an exception that is not a std::exception";
  }
  if (failure != nullptr) *failure = detail;
  return JsonErrorResponse(500, "internal", "internal error; the server log has the detail");
}

}  // namespace assure::server
