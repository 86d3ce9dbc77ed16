// The server: an acceptor and one Session per connection, over Boost.Beast.
//
// Each connection runs on its own strand and has one deadline timer, armed for whatever the
// connection is waiting for: the first byte of a request (header_timeout on a new connection,
// idle_timeout on a kept-alive one), the rest of the headers (header_timeout), the body
// (body_timeout), the response's write (write_timeout) or the client's close (a short linger).
// The deadline covers the whole phase, not each read, so a client trickling a byte at a time
// cannot stretch it.
#include "server/http_server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>  // before Asio: GCC 12 in C++20 mode needs it

#include "server/target.hpp"

namespace assure::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// After a response that closes the connection, how long to read and discard what the client
// still sends, so that closing does not reset the connection before the client has read the
// response.
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr size_t kLingerBytes = 1024 * 1024;

// File descriptors kept back from connections, for the log, the database and the like.
constexpr rlim_t kReservedDescriptors = 64;

std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) %
                std::chrono::milliseconds(1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis.count()));
  return text;
}

// Appends `text` to `out` as a JSON string. Plain printable ASCII, the usual case (a method, a
// path, an address), is copied as it is; anything else goes through the JSON library, which
// escapes control characters and replaces bytes that are not UTF-8 (paths come from clients).
void AppendJsonString(std::string& out, std::string_view text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
  if (plain) {
    out.push_back('"');
    out.append(text);
    out.push_back('"');
    return;
  }
  out += nlohmann::json(std::string(text))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Appends `"name":` and the number `value` (the shortest text that reads back as it).
template <typename Number>
void AppendJsonNumber(std::string& out, std::string_view name, Number value) {
  out.append(",\"").append(name).append("\":");
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  out.append(text, end);
}

// Whether `ec` is Beast's verdict on malformed HTTP, rather than a socket's failure.
bool IsHttpError(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::end_of_stream).category();
}

bool HasLineBreak(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

// Beast 1.74 has its own string_view.
std::string_view View(beast::string_view text) { return {text.data(), text.size()}; }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsServerHeader(std::string_view name) {
  std::string lower = Lower(name);
  return lower == "content-length" || lower == "connection" || lower == "transfer-encoding";
}

// Raises the soft open-file limit to the hard one. Returns the soft limit in force.
rlim_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    // Linux refuses an infinite soft limit for files; a million is as many as it allows by
    // default.
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur;
}

// Parses "IPV4:PORT", "[IPV6]:PORT" or "localhost:PORT".
std::optional<tcp::endpoint> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) return std::nullopt;
  std::string host = listen.substr(0, colon);
  std::string port_text = listen.substr(colon + 1);
  if (port_text.size() > 5 || !std::all_of(port_text.begin(), port_text.end(), ::isdigit)) {
    return std::nullopt;
  }
  int port = std::stoi(port_text);
  if (port > 65535) return std::nullopt;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

// An address as text, an IPv4 address mapped into IPv6 (a dual-stack listener's view of an
// IPv4 client) written as IPv4, so that one client has one name.
std::string AddressText(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

// The client named by the last entry of an `X-Forwarded-For` header (the address the proxy
// itself saw; entries before it were sent by the client, and prove nothing), or nothing when it
// is not an IP address.
std::optional<std::string> ForwardedClient(std::string_view header) {
  const size_t comma = header.rfind(',');
  std::string_view last = comma == std::string_view::npos ? header : header.substr(comma + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  beast::error_code ec;
  const auto address = asio::ip::make_address(std::string(last), ec);
  if (ec) return std::nullopt;
  return AddressText(address);
}

class Session;

// The acceptor, the sessions' registry and what they share.
struct ServerCore {
  ServerCore(ServerOptions options, Router& router, std::ostream& log)
      : options_(std::move(options)),
        router_(router),
        log_(log),
        iocs_(MakeContexts(options_.threads)),
        strand_(asio::make_strand(*iocs_.front())),
        acceptor_(std::make_unique<tcp::acceptor>(*strand_)),
        retry_timer_(std::make_unique<asio::steady_timer>(*strand_)),
        stop_timer_(std::make_unique<asio::steady_timer>(*strand_)) {
    builtin_.Add("GET", "/healthz", [](const Request&, const Params&) {
      Response response;
      response.body = R"({"status":"ok"})";
      return response;
    });
  }

  ~ServerCore() {
    // Sessions still queued in the io_context are destroyed with it and call back into this
    // object: tear the io_context down while everything they touch is still alive.
    destroying_ = true;
    acceptor_.reset();
    retry_timer_.reset();
    stop_timer_.reset();
    strand_.reset();
    busy_.clear();
    iocs_.clear();
  }

  // One io_context per thread, each run by its own thread alone: a connection's work all
  // happens on the thread that accepted it was given to, with no handing over between threads
  // (which costs a wake-up of the other thread at every step).
  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int threads) {
    std::vector<std::unique_ptr<asio::io_context>> iocs;
    for (int i = 0; i < std::max(1, threads); ++i) {
      iocs.push_back(std::make_unique<asio::io_context>(1));
    }
    return iocs;
  }

  // The io_context for the next connection: each in turn.
  asio::io_context& NextContext() { return *iocs_[next_context_++ % iocs_.size()]; }

  // Lets every io_context's run() return once it has nothing left to do (at the end of a stop).
  void ReleaseContexts() {
    std::lock_guard lock(busy_mutex_);
    busy_.clear();
  }

  void Log(const nlohmann::ordered_json& line) {
    // Paths come from clients and need not be UTF-8.
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text.push_back('\n');
    Write(text);
  }

  // Writes one whole line (ending in a line feed) to the log.
  void Write(const std::string& line) {
    std::lock_guard lock(log_mutex_);
    log_ << line;
    log_.flush();
  }

  void LogEvent(std::string_view event,
                nlohmann::ordered_json detail = nlohmann::ordered_json::object()) {
    nlohmann::ordered_json line = {{"ts", Timestamp()}, {"event", event}};
    line.update(detail);
    Log(line);
  }

  Response Answer(const Request& request, std::string* failure) {
    if (builtin_.HasPath(request.path)) return builtin_.Handle(request, failure);
    return router_.Handle(request, failure);
  }

  bool IsTrustedProxy(const std::string& address) const {
    return std::find(trusted_.begin(), trusted_.end(), address) != trusted_.end();
  }

  // Counts one more connection from `address`, unless it has max_connections_per_address
  // already: then false. Holds sessions_mutex_.
  bool TakeAddressSlot(const std::string& address) {
    size_t& open = per_address_[address];
    if (open >= options_.max_connections_per_address) {
      if (open == 0) per_address_.erase(address);
      return false;
    }
    ++open;
    return true;
  }
  // Holds sessions_mutex_.
  void ReleaseAddressSlot(const std::string& address) {
    auto it = per_address_.find(address);
    if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
  }
  // Moves a connection's count from `from` ("" for none) to `to`; false, leaving it counted
  // under `from`, when `to` has no room.
  bool MoveAddressSlot(const std::string& from, const std::string& to) {
    std::lock_guard lock(sessions_mutex_);
    if (!TakeAddressSlot(to)) return false;
    if (!from.empty()) ReleaseAddressSlot(from);
    return true;
  }

  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void Reject(tcp::socket socket, std::string_view why);
  void DoStop();
  void OnSessionClosed(Session* session, const std::string& counted);

  ServerOptions options_;
  Router& router_;
  Router builtin_;
  std::ostream& log_;
  std::mutex log_mutex_;

  std::vector<std::unique_ptr<asio::io_context>> iocs_;  // one per thread
  // Keep each io_context's run() going while it has no connection, until the server stops.
  std::mutex busy_mutex_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> busy_;
  size_t next_context_ = 0;  // on the acceptor's strand only
  std::optional<asio::strand<asio::io_context::executor_type>> strand_;  // acceptor's, Stop's
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::steady_timer> retry_timer_;  // accept again after running out of fds
  std::unique_ptr<asio::steady_timer> stop_timer_;   // shutdown_timeout
  size_t connection_cap_ = 0;
  bool started_ = false;
  std::vector<std::string> trusted_;  // options_.trusted_proxies, as AddressText writes them
  std::unordered_map<std::string, size_t> per_address_;  // open connections; sessions_mutex_

  std::atomic<bool> stopping_{false};
  std::atomic<bool> destroying_{false};
  std::mutex sessions_mutex_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
};

// Where a connection is; what its deadline means.
enum class Phase {
  kWaiting,
  kReadingHeader,
  kReadingBody,
  kHandling,
  kWriting,
  kLingering,
  kClosed
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `peer` is the connecting address (AddressText); `counted`, the address its connection is
  // counted under for the per-address cap ("" for a trusted proxy's).
  Session(ServerCore& server, tcp::socket socket, std::string peer, std::string counted)
      : server_(server),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        peer_(std::move(peer)),
        remote_(peer_),
        counted_(std::move(counted)) {}

  ~Session() { server_.OnSessionClosed(this, counted_); }

  void Start() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      // A new connection gets header_timeout from now until its headers are complete.
      self->ArmDeadline(self->server_.options_.header_timeout);
      self->WaitForRequest(/*first=*/true);
    });
  }

  // Called on Stop(): an idle connection closes now, a busy one after its response.
  void Shutdown() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::kWaiting) self->Close();
    });
  }

  void ForceClose() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->Close(); });
  }

 private:
  const ServerOptions& options() const { return server_.options_; }

  void ArmDeadline(std::chrono::milliseconds timeout) {
    uint64_t sequence = ++deadline_sequence_;
    timed_out_ = false;
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this(), sequence](beast::error_code ec) {
      if (ec || sequence != self->deadline_sequence_) return;  // re-armed or disarmed since
      self->OnDeadline();
    });
  }

  void DisarmDeadline() {
    ++deadline_sequence_;
    timer_.cancel();
  }

  void OnDeadline() {
    timed_out_ = true;
    if (phase_ == Phase::kReadingBody) {
      // The read's handler answers 408.
      beast::error_code ignored;
      socket_.cancel(ignored);
      return;
    }
    // Waiting, reading headers (a slow client gets no answer), writing, lingering: close.
    Close();
  }

  void WaitForRequest(bool first) {
    if (server_.stopping_) return Close();
    if (!first) ArmDeadline(options().idle_timeout);
    if (buffer_.size() > 0) {  // the client sent the next request with the last one
      if (!first) ArmDeadline(options().header_timeout);
      return ReadHeader();
    }
    phase_ = Phase::kWaiting;
    socket_.async_wait(tcp::socket::wait_read,
                       [self = shared_from_this(), first](beast::error_code ec) {
                         if (self->phase_ == Phase::kClosed) return;
                         if (ec) return self->Close();
                         if (!first) self->ArmDeadline(self->options().header_timeout);
                         self->ReadHeader();
                       });
  }

  void ReadHeader() {
    phase_ = Phase::kReadingHeader;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<size_t>(options().max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser_->body_limit(options().max_body_bytes);
    body_limit_ = options().max_body_bytes;
    http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (phase_ == Phase::kClosed) return;
    if (ec == http::error::header_limit) {
      return SendError(431, "headers_too_large",
                       "the request line and headers are larger than the limit of " +
                           std::to_string(options().max_header_bytes) + " bytes",
                       "headers");
    }
    if (ec == http::error::body_limit) return SendBodyTooLarge();
    if (timed_out_ || ec == http::error::end_of_stream || ec == http::error::partial_message) {
      return Close();  // too slow, or gone
    }
    if (IsHttpError(ec)) {
      return SendError(400, "bad_request", "the request is not valid HTTP/1.1: " + ec.message(),
                       "request");
    }
    if (ec) return Close();

    received_at_ = Clock::now();
    if (!SmallBodyLimit()) return;
    if (parser_->is_done()) return Dispatch();
    phase_ = Phase::kReadingBody;
    ArmDeadline(options().body_timeout);
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](beast::error_code ec, size_t) {
                          if (self->phase_ == Phase::kClosed) return;
                          if (ec) return self->timed_out_ ? self->SendTimeout() : self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    if (phase_ == Phase::kClosed) return;
    if (timed_out_ && ec) return SendTimeout();
    if (ec == http::error::body_limit) return SendBodyTooLarge();
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return Close();
    if (IsHttpError(ec)) {
      return SendError(400, "bad_request", "the request body is not valid: " + ec.message(),
                       "body");
    }
    if (ec) return Close();
    Dispatch();
  }

  void SendTimeout() {
    SendError(408, "request_timeout",
              "the request body did not arrive within " +
                  std::to_string(options().body_timeout.count()) + " ms",
              "body");
  }

  void SendBodyTooLarge() {
    SendError(
        413, "payload_too_large",
        "the request body is larger than the limit of " + std::to_string(body_limit_) + " bytes",
        "body");
  }

  // Applies a lower body limit for the request's path (ServerOptions::max_body_bytes_at).
  // Returns false when the request was answered 413 for it.
  bool SmallBodyLimit() {
    body_limit_ = options().max_body_bytes;
    if (options().max_body_bytes_at.empty()) return true;
    std::string path;
    std::map<std::string, std::string> ignored;
    SplitTarget(View(parser_->get().target()), &path, &ignored);
    auto it = options().max_body_bytes_at.find(path);
    if (it == options().max_body_bytes_at.end() || it->second >= body_limit_) return true;
    body_limit_ = it->second;
    const auto length = parser_->content_length();
    if (length && *length > body_limit_) {
      SendBodyTooLarge();
      return false;
    }
    parser_->body_limit(body_limit_);  // a chunked body
    return true;
  }

  Request MakeRequest() {
    auto& message = parser_->get();
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    SplitTarget(request.target, &request.path, &request.query);
    for (const auto& field : message) {
      std::string name = Lower(View(field.name_string()));
      auto [it, inserted] = request.headers.emplace(name, std::string(field.value()));
      if (!inserted) {
        it->second.append(name == "cookie" ? "; " : ", ").append(View(field.value()));
      }
    }
    request.body = std::move(message.body());
    request.remote = remote_;
    return request;
  }

  void Dispatch() {
    DisarmDeadline();
    phase_ = Phase::kHandling;
    if (!server_.trusted_.empty() && server_.IsTrustedProxy(peer_) && !ForwardTo()) {
      return SendError(503, "unavailable", "too many open connections from your address", "");
    }
    Request request = MakeRequest();
    std::string failure;
    Response response = server_.Answer(request, &failure);
    if (failure.empty()) failure = std::move(response.detail);
    bool keep_alive = parser_->keep_alive() && !server_.stopping_;
    if (response.later) {
      // The answer comes later, from another thread: it is sent from this connection's own.
      auto later = std::move(response.later);
      auto answer = [self = shared_from_this(), method = request.method, path = request.path,
                     keep_alive](Response answer) mutable {
        asio::post(self->socket_.get_executor(),
                   [self, answer = std::move(answer), method = std::move(method),
                    path = std::move(path), keep_alive]() mutable {
                     if (self->phase_ == Phase::kClosed) return;
                     answer.later = nullptr;
                     self->Send(std::move(answer), std::move(method), std::move(path),
                                keep_alive && !self->server_.stopping_, {});
                   });
      };
      try {
        later(std::move(answer));
      } catch (const std::exception& e) {
        // It threw before handing the work on (out of memory): nothing else will answer.
        Send(JsonErrorResponse(500, "internal", "internal error; the server log has the detail"),
             request.method, request.path, false, e.what());
      }
      return;
    }
    Send(std::move(response), request.method, request.path, keep_alive, std::move(failure));
  }

  // From a trusted proxy: the request's client is the one its X-Forwarded-For names (or the
  // proxy, when it names none), and this connection is counted under that client. False when
  // that client has no room left.
  bool ForwardTo() {
    const auto& message = parser_->get();
    const auto header = message.find("X-Forwarded-For");
    std::optional<std::string> client;
    if (header != message.end()) client = ForwardedClient(View(header->value()));
    remote_ = client.value_or(peer_);
    if (!client || *client == counted_) return true;
    if (!server_.MoveAddressSlot(counted_, *client)) return false;
    counted_ = *client;
    return true;
  }

  // Answers a request that could not be read whole, and closes.
  void SendError(int status, std::string_view code, std::string message, std::string_view field) {
    DisarmDeadline();
    std::string method, path;
    if (parser_ && status != 431 && status != 400) {  // the start line was read
      method = std::string(parser_->get().method_string());
      std::map<std::string, std::string> ignored;
      SplitTarget(View(parser_->get().target()), &path, &ignored);
    }
    if (received_at_ == Clock::time_point{}) received_at_ = Clock::now();
    Send(JsonErrorResponse(status, code, message, field), method, path, /*keep_alive=*/false, {});
  }

  void Send(Response response, std::string method, std::string path, bool keep_alive,
            std::string failure) {
    phase_ = Phase::kWriting;
    if (response.status < 200 || response.status > 599) {  // 1xx are not final answers
      failure = "handler returned HTTP status " + std::to_string(response.status);
      response =
          JsonErrorResponse(500, "internal", "internal error; the server log has the detail");
    }
    response_.emplace();
    auto& message = *response_;
    message.version(parser_ ? parser_->get().version() : 11);
    message.result(static_cast<unsigned>(response.status));
    if (!response.content_type.empty())
      message.set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) {
      if (!IsServerHeader(name) && !name.empty() && !HasLineBreak(name) && !HasLineBreak(value)) {
        message.insert(name, value);
      }
    }
    message.keep_alive(keep_alive);
    body_bytes_ = 0;
    if (response.status == 204 || response.status == 304) {
      message.prepare_payload();  // these never have a body, nor a length
    } else if (method == "HEAD") {
      message.content_length(response.body.size());
    } else {
      body_bytes_ = response.body.size();
      message.body() = std::move(response.body);
      message.prepare_payload();
    }
    keep_alive_ = keep_alive;
    logged_ = {std::move(method), std::move(path), response.status, std::move(failure)};

    ArmDeadline(options().write_timeout);
    http::async_write(socket_, message, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->OnWrite(ec);
    });
  }

  void OnWrite(beast::error_code ec) {
    std::chrono::duration<double, std::milli> elapsed = Clock::now() - received_at_;
    // One line per request, written field by field (this is on every request's path):
    // {"ts":...,"method":...,"path":...,"status":...,"bytes":...,"ms":...,"remote":...}
    std::string line = "{\"ts\":\"" + Timestamp() + "\",\"method\":";
    AppendJsonString(line, logged_.method);
    line += ",\"path\":";
    AppendJsonString(line, logged_.path);
    AppendJsonNumber(line, "status", logged_.status);
    AppendJsonNumber(line, "bytes", body_bytes_);
    AppendJsonNumber(line, "ms", std::round(elapsed.count() * 100) / 100);
    line += ",\"remote\":";
    AppendJsonString(line, remote_);
    if (!logged_.failure.empty()) {
      line += ",\"error\":";
      AppendJsonString(line, logged_.failure);
    }
    if (ec) {
      line += ",\"write_error\":";
      AppendJsonString(line, ec.message());
    }
    line += "}\n";
    server_.Write(line);
    received_at_ = {};
    response_.reset();
    if (phase_ == Phase::kClosed) return;
    if (ec) return Close();
    if (!keep_alive_) return Linger();
    WaitForRequest(/*first=*/false);
  }

  // Half-closes, then reads and discards until the client closes, the linger time passes or
  // enough has been discarded.
  void Linger() {
    phase_ = Phase::kLingering;
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    ArmDeadline(kLingerTime);
    lingered_ = 0;
    Drain();
  }

  void Drain() {
    socket_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (self->phase_ == Phase::kClosed) return;
                              self->lingered_ += n;
                              if (ec || self->lingered_ > kLingerBytes) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    if (phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosed;
    DisarmDeadline();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  ServerCore& server_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::string peer_;     // the address connected from
  std::string remote_;   // the client, for the log and Request::remote: peer_, or as forwarded
  std::string counted_;  // the address this connection is counted under; "" for none
  Phase phase_ = Phase::kWaiting;
  uint64_t deadline_sequence_ = 0;
  bool timed_out_ = false;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  bool keep_alive_ = false;
  size_t body_bytes_ = 0;
  size_t body_limit_ = 0;  // of the request being read
  Clock::time_point received_at_{};
  struct Logged {
    std::string method, path;
    int status = 0;
    std::string failure;  // a handler's exception, for the log only
  } logged_;
  std::array<char, 4096> drain_{};
  size_t lingered_ = 0;
};

void ServerCore::Accept() {
  acceptor_->async_accept(
      asio::make_strand(NextContext()),
      [this](beast::error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void ServerCore::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Out of file descriptors (or another passing failure): wait a little rather than spin.
    LogEvent("accept_error", {{"error", ec.message()}});
    retry_timer_->expires_after(std::chrono::milliseconds(50));
    retry_timer_->async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec && !stopping_) Accept();
    });
    return;
  }
  beast::error_code endpoint_ec;
  const auto endpoint = socket.remote_endpoint(endpoint_ec);
  const std::string peer = endpoint_ec ? std::string() : AddressText(endpoint.address());
  // A trusted proxy's connections are counted under the clients it forwards, once known.
  const std::string counted = IsTrustedProxy(peer) ? std::string() : peer;
  std::shared_ptr<Session> session;
  std::string_view why = "the server has too many open connections";
  {
    std::lock_guard lock(sessions_mutex_);
    if (sessions_.size() >= connection_cap_) {
      // refused: the server is full
    } else if (!counted.empty() && !TakeAddressSlot(counted)) {
      why = "too many open connections from your address";
    } else {
      session = std::make_shared<Session>(*this, std::move(socket), peer, counted);
      sessions_.emplace(session.get(), session);
    }
  }
  if (session) {
    session->Start();
  } else {
    Reject(std::move(socket), why);
  }
  Accept();
}

// At a connection cap: answer 503 if the socket takes it at once, and close.
void ServerCore::Reject(tcp::socket socket, std::string_view why) {
  const std::string body =
      R"({"error":{"code":"unavailable","message":")" + std::string(why) + R"("}})";
  const std::string busy =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  beast::error_code ignored;
  socket.non_blocking(true, ignored);
  socket.write_some(asio::buffer(busy.data(), busy.size()), ignored);
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

void ServerCore::DoStop() {
  if (stopping_.exchange(true)) return;
  LogEvent("stop");
  beast::error_code ignored;
  acceptor_->close(ignored);
  retry_timer_->cancel();
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(sessions_mutex_);
    for (auto& [raw, weak] : sessions_) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  if (open.empty()) {
    ReleaseContexts();
    return;
  }
  for (auto& session : open) session->Shutdown();
  stop_timer_->expires_after(options_.shutdown_timeout);
  stop_timer_->async_wait([this](beast::error_code ec) {
    if (ec) return;
    std::vector<std::shared_ptr<Session>> left;
    {
      std::lock_guard lock(sessions_mutex_);
      for (auto& [raw, weak] : sessions_) {
        if (auto session = weak.lock()) left.push_back(std::move(session));
      }
    }
    if (!left.empty()) LogEvent("shutdown_timeout", {{"connections", left.size()}});
    for (auto& session : left) session->ForceClose();
  });
}

void ServerCore::OnSessionClosed(Session* session, const std::string& counted) {
  if (destroying_) return;
  bool last = false;
  {
    std::lock_guard lock(sessions_mutex_);
    sessions_.erase(session);
    if (!counted.empty()) ReleaseAddressSlot(counted);
    last = sessions_.empty();
  }
  // The shutdown timer would keep Run() going: the last connection's close ends it.
  if (last && stopping_) {
    asio::post(*strand_, [this] { stop_timer_->cancel(); });
    ReleaseContexts();
  }
}

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions options, Router& router, std::ostream& log)
      : core(std::move(options), router, log) {}
  ServerCore core;
};

HttpServer::HttpServer(ServerOptions options, Router& router, std::ostream& log)
    : impl_(std::make_unique<Impl>(std::move(options), router, log)) {}

HttpServer::~HttpServer() = default;

namespace {

std::vector<Error> ListenError(ErrorCode code, std::string message) {
  Error error;
  error.code = code;
  error.field = "listen";
  error.message = std::move(message);
  return {error};
}

}  // namespace

Result<int> HttpServer::Start() {
  ServerCore& impl = impl_->core;
  auto endpoint = ParseListen(impl.options_.listen);
  if (!endpoint) {
    return ListenError(ErrorCode::kInvalid, "'" + impl.options_.listen +
                                                "' is not an address to listen on; expected "
                                                "IPV4:PORT, [IPV6]:PORT or localhost:PORT");
  }
  for (const std::string& proxy : impl.options_.trusted_proxies) {
    beast::error_code proxy_ec;
    const auto address = asio::ip::make_address(proxy, proxy_ec);
    if (proxy_ec) {
      std::vector<Error> errors = ListenError(
          ErrorCode::kInvalid, "'" + proxy + "' is not an IP address (a trusted proxy's)");
      errors.front().field = "trusted_proxies";
      return errors;
    }
    impl.trusted_.push_back(AddressText(address));
  }
  rlim_t files = RaiseOpenFileLimit();
  impl.connection_cap_ =
      std::min<size_t>(impl.options_.max_connections,
                       files > kReservedDescriptors * 2 ? files - kReservedDescriptors : files / 2);

  beast::error_code ec;
  auto& acceptor = *impl.acceptor_;
  acceptor.open(endpoint->protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(*endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return ListenError(ErrorCode::kUnavailable,
                       "cannot listen on " + impl.options_.listen + ": " + ec.message());
  }
  int port = acceptor.local_endpoint().port();
  impl.LogEvent("listen",
                {{"address", endpoint->address().to_string()},
                 {"port", port},
                 {"max_connections", impl.connection_cap_},
                 {"max_connections_per_address", impl.options_.max_connections_per_address},
                 {"trusted_proxies", impl.trusted_}});
  impl.started_ = true;
  for (auto& ioc : impl.iocs_) impl.busy_.push_back(asio::make_work_guard(*ioc));
  asio::dispatch(*impl.strand_, [&impl] { impl.Accept(); });
  return port;
}

void HttpServer::Run() {
  ServerCore& impl = impl_->core;
  if (!impl.started_) return;
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl.iocs_.size(); ++i) {
    threads.emplace_back([&impl, i] { impl.iocs_[i]->run(); });
  }
  impl.iocs_.front()->run();
  for (auto& thread : threads) thread.join();
}

void HttpServer::Stop() {
  ServerCore& impl = impl_->core;
  asio::post(*impl.strand_, [&impl] { impl.DoStop(); });
}

int ServeUntilSignalled(HttpServer& server) {
  asio::io_context signals_context;
  asio::signal_set signals(signals_context, SIGTERM, SIGINT);
  signals.async_wait([&server](beast::error_code ec, int) {
    if (!ec) server.Stop();
  });
  std::thread serving([&] {
    server.Run();
    // Stopped some other way: stop waiting for a signal.
    asio::post(signals_context, [&signals] { signals.cancel(); });
  });
  signals_context.run();
  serving.join();
  return 0;
}

}  // namespace assure::server
