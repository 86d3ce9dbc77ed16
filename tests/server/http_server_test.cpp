// The server in process on 127.0.0.1, port 0, spoken to over plain sockets as clients would.
// Time limits in these tests are generous ceilings for a loaded machine; speed is never asserted.
#include "server/http_server.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/http_client.hpp"

namespace assure::server {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::Exchange;
using testing::Get;
using testing::Reply;

constexpr auto kPatience = 10s;  // the longest any one wait may take before the test fails

Response Json(nlohmann::json body) {
  Response response;
  response.body = body.dump();
  return response;
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    router_.Add("GET", "/api/v1/authorities/{id}/posts/{post}",
                [](const Request& request, const Params& params) {
                  return Json({{"id", params.at("id")},
                               {"post", params.at("post")},
                               {"query", request.query},
                               {"remote", request.remote}});
                });
    router_.Add("POST", "/api/v1/echo", [](const Request& request, const Params&) {
      Response response;
      response.content_type = "text/plain";
      response.body = request.body;
      return response;
    });
    router_.Add("GET", "/throw", [](const Request&, const Params&) -> Response {
      throw std::runtime_error("the detail only the log sees");
    });
    router_.Add("GET", "/slow", [this](const Request&, const Params&) {
      slow_started_.set_value();
      std::this_thread::sleep_for(300ms);
      return Json({{"slept", true}, {"padding", std::string(10000, 'x')}});
    });
  }

  ~ServerTest() override { StopServer(); }

  void StartServer(ServerOptions options = {}) {
    options.listen = "127.0.0.1:0";
    server_ = std::make_unique<HttpServer>(options, router_, log_);
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.errors().front().ToString();
    port_ = port.value();
    running_ = std::thread([this] { server_->Run(); });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    if (running_.joinable()) running_.join();
    server_.reset();
  }

  // The request log, after StopServer().
  std::vector<nlohmann::json> LogLines() {
    std::vector<nlohmann::json> lines;
    std::istringstream in(log_.str());
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  Router router_;
  std::ostringstream log_;
  std::unique_ptr<HttpServer> server_;
  std::thread running_;
  int port_ = 0;
  std::promise<void> slow_started_;
};

TEST_F(ServerTest, RouteWithParamsAndQuery) {
  StartServer();
  auto reply = Get(port_, "/api/v1/authorities/twin-hatter/posts/dcs%201?as_of=2018-04-01&x=a+b");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->headers["content-type"], "application/json");
  auto body = nlohmann::json::parse(reply->body);
  EXPECT_EQ(body["id"], "twin-hatter");
  EXPECT_EQ(body["post"], "dcs 1");
  EXPECT_EQ(body["query"]["as_of"], "2018-04-01");
  EXPECT_EQ(body["query"]["x"], "a b");
  EXPECT_EQ(body["remote"], "127.0.0.1");
}

TEST_F(ServerTest, Healthz) {
  StartServer();
  auto reply = Get(port_, "/healthz");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, R"({"status":"ok"})");
  auto head = Exchange(port_, "HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers["content-length"], "15");
  EXPECT_EQ(head->body, "");
}

TEST_F(ServerTest, UnknownPathIsNotFound) {
  StartServer();
  auto reply = Get(port_, "/nowhere");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 404);
  EXPECT_EQ(nlohmann::json::parse(reply->body)["error"]["code"], "not_found");
}

TEST_F(ServerTest, OtherMethodIsNotAllowedWithAllow) {
  StartServer();
  auto reply = Exchange(port_, "DELETE /api/v1/echo HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 405);
  EXPECT_EQ(reply->headers["allow"], "POST");
  EXPECT_EQ(nlohmann::json::parse(reply->body)["error"]["code"], "method_not_allowed");
}

TEST_F(ServerTest, ThrowingHandlerGivesInternalErrorAndLogsDetail) {
  StartServer();
  auto reply = Get(port_, "/throw");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 500);
  auto body = nlohmann::json::parse(reply->body);
  EXPECT_EQ(body["error"]["code"], "internal");
  EXPECT_EQ(reply->body.find("only the log"), std::string::npos);
  StopServer();
  bool logged = false;
  for (const auto& line : LogLines()) {
    if (line.value("path", "") == "/throw") {
      EXPECT_EQ(line["status"], 500);
      EXPECT_EQ(line["error"], "the detail only the log sees");
      logged = true;
    }
  }
  EXPECT_TRUE(logged);
}

TEST_F(ServerTest, LogsOneJsonLinePerRequest) {
  StartServer();
  ASSERT_TRUE(Get(port_, "/healthz"));
  ASSERT_TRUE(Get(port_, "/nowhere"));
  StopServer();
  std::vector<nlohmann::json> requests;
  for (auto& line : LogLines()) {
    if (line.contains("status")) requests.push_back(line);
  }
  ASSERT_EQ(requests.size(), 2u);
  // A line is written once its response is sent, on whichever thread served it: the second
  // request's line may come first, so each is found by its path.
  if (requests[0].value("path", "") != "/healthz") std::swap(requests[0], requests[1]);
  const auto& first = requests[0];
  EXPECT_EQ(first["method"], "GET");
  EXPECT_EQ(first["path"], "/healthz");
  EXPECT_EQ(first["status"], 200);
  EXPECT_EQ(first["bytes"], 15);
  EXPECT_TRUE(first["ms"].is_number());
  EXPECT_EQ(first["remote"], "127.0.0.1");
  EXPECT_TRUE(first["ts"].get<std::string>().ends_with("Z"));
  EXPECT_EQ(requests[1]["path"], "/nowhere");
  EXPECT_EQ(requests[1]["status"], 404);
}

TEST_F(ServerTest, LogLinesStayJsonWhateverThePath) {
  StartServer();
  // A quote, a backslash, a control character and a byte that is not UTF-8, once decoded.
  ASSERT_TRUE(Get(port_, "/odd%22%5C%01%FF-path"));
  StopServer();
  int found = 0;
  for (auto& line : LogLines()) {  // each line parses as JSON, or this throws
    if (!line.contains("path")) continue;
    const std::string path = line["path"];
    EXPECT_NE(path.find("odd"), std::string::npos) << path;
    EXPECT_NE(path.find("-path"), std::string::npos) << path;
    ++found;
  }
  EXPECT_EQ(found, 1);
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  StartServer();
  Client client(port_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto first = client.Read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  ASSERT_TRUE(client.Send("GET /api/v1/authorities/a/posts/b HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto second = client.Read();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
  // Pipelined: two requests in one write, two responses in order.
  ASSERT_TRUE(client.Send(
      "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto third = client.Read();
  auto fourth = client.Read();
  ASSERT_TRUE(third && fourth);
  EXPECT_EQ(third->status, 200);
  EXPECT_EQ(fourth->status, 404);
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  Client client(port_);
  ASSERT_TRUE(client.Send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  auto reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->headers["connection"], "close");
  EXPECT_TRUE(client.WaitClosed(kPatience));
}

TEST_F(ServerTest, BodyIsDelivered) {
  StartServer();
  std::string body(100000, 'b');
  auto reply = Exchange(port_, "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, body);
  auto chunked = Exchange(port_,
                          "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                          "\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->body, "hello world");
}

TEST_F(ServerTest, ExpectContinueGetsContinue) {
  StartServer();
  Client client(port_);
  ASSERT_TRUE(
      client.Send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: "
                  "100-continue\r\n\r\n"));
  auto interim = client.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("hello"));
  auto reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "hello");
}

TEST_F(ServerTest, MalformedRequestIsBadRequest) {
  StartServer();
  auto reply = Exchange(port_, "GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400);
  EXPECT_EQ(nlohmann::json::parse(reply->body)["error"]["code"], "bad_request");
}

TEST_F(ServerTest, HugeHeadersAreRefusedWith431) {
  StartServer();  // max_header_bytes 16 KiB
  auto reply = Exchange(
      port_, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 431);
  auto body = nlohmann::json::parse(reply->body);
  EXPECT_EQ(body["error"]["code"], "headers_too_large");
  EXPECT_EQ(body["error"]["field"], "headers");
  EXPECT_EQ(reply->headers["connection"], "close");
}

TEST_F(ServerTest, BodyOverTheCapIsRefusedWith413) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  // Refused on the Content-Length alone, before any of the body is read.
  auto reply =
      Exchange(port_, "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n\r\n");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
  auto body = nlohmann::json::parse(reply->body);
  EXPECT_EQ(body["error"]["code"], "payload_too_large");
  EXPECT_EQ(body["error"]["field"], "body");
  // A chunked body is refused once it passes the cap.
  std::string chunk(800, 'c');
  auto chunked = Exchange(port_,
                          "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                          "\r\n320\r\n" +
                              chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 413);
  // At the cap is fine.
  auto fits =
      Exchange(port_, "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" +
                          std::string(1024, 'f'));
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 200);
}

TEST_F(ServerTest, SlowHeadersAreCutOffAfterHeaderTimeout) {
  ServerOptions options;
  options.header_timeout = 300ms;
  options.idle_timeout = 60s;
  StartServer(options);
  Client client(port_);
  ASSERT_TRUE(client.Send("GET /healthz HTTP/1.1\r\n"));
  bool closed = false;
  auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (!closed && std::chrono::steady_clock::now() < give_up) {
    // One byte every 50 ms: each read makes progress, but the headers never finish in time.
    if (!client.Send("a")) {
      closed = true;
      break;
    }
    closed = client.WaitClosed(50ms);
  }
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, NewConnectionThatSendsNothingIsClosedAfterHeaderTimeout) {
  ServerOptions options;
  options.header_timeout = 300ms;
  options.idle_timeout = 60s;
  StartServer(options);
  Client client(port_);
  EXPECT_TRUE(client.WaitClosed(kPatience));
}

TEST_F(ServerTest, IdleKeptAliveConnectionIsClosedAfterIdleTimeout) {
  ServerOptions options;
  options.header_timeout = 60s;
  options.idle_timeout = 300ms;
  StartServer(options);
  Client client(port_);
  ASSERT_TRUE(client.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(client.Read());
  EXPECT_TRUE(client.WaitClosed(kPatience));
}

TEST_F(ServerTest, SlowBodyGets408) {
  ServerOptions options;
  options.body_timeout = 300ms;
  StartServer(options);
  Client client(port_);
  ASSERT_TRUE(client.Send(
      "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789"));
  auto reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 408);
  EXPECT_EQ(nlohmann::json::parse(reply->body)["error"]["code"], "request_timeout");
  EXPECT_TRUE(client.WaitClosed(kPatience));
}

// A thousand idle connections and five clients trickling their headers a byte at a time do not
// stop ordinary requests from being answered.
TEST_F(ServerTest, KeepsServingUnderIdleAndSlowClients) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < 2300) GTEST_SKIP() << "needs 2,300 open files, has " << limit.rlim_cur;
  ServerOptions options;  // the default limits, but for one address's (all come from one here)
  options.max_connections_per_address = 2000;
  StartServer(options);

  std::vector<Client> idle;
  idle.reserve(1000);
  for (int i = 0; i < 1000; ++i) {
    idle.emplace_back(port_);
    ASSERT_TRUE(idle.back().connected()) << "connection " << i;
  }

  std::vector<Client> slow;
  for (int i = 0; i < 5; ++i) {
    slow.emplace_back(port_);
    ASSERT_TRUE(slow.back().Send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: "));
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    while (!done) {
      for (auto& client : slow) client.Send("s");
      std::this_thread::sleep_for(100ms);
    }
  });

  // Spread over two seconds or so, so that the slow clients trickle all the while.
  int answered = 0;
  for (int i = 0; i < 200; ++i) {
    auto reply = i % 2 == 0 ? Get(port_, "/healthz") : Get(port_, "/api/v1/authorities/a/posts/b");
    if (reply && reply->status == 200) ++answered;
    std::this_thread::sleep_for(10ms);
  }
  done = true;
  trickle.join();
  EXPECT_EQ(answered, 200);
  // Within their header time limit, the slow clients were not cut off either.
  for (auto& client : slow) EXPECT_FALSE(client.PeerClosed());

  // The idle connections were held open, not dropped: the first and the last still answer.
  for (Client* client : {&idle.front(), &idle.back()}) {
    ASSERT_TRUE(client->Send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto reply = client->Read();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
  }
}

TEST_F(ServerTest, ConnectionCapRefusesTheRestAndRecovers) {
  ServerOptions options;
  options.max_connections = 50;
  StartServer(options);
  std::vector<Client> clients;
  for (int i = 0; i < 100; ++i) {
    clients.emplace_back(port_);
    ASSERT_TRUE(clients.back().connected());
  }
  // Fifty are held; the other fifty are closed by the server.
  int closed = 0;
  std::vector<bool> seen(clients.size(), false);
  auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (closed < 50 && std::chrono::steady_clock::now() < give_up) {
    for (size_t i = 0; i < clients.size(); ++i) {
      if (!seen[i] && clients[i].PeerClosed()) {
        seen[i] = true;
        ++closed;
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(closed, 50);

  // At the cap a new client is told so.
  Client extra(port_);
  ASSERT_TRUE(extra.connected());
  auto refused = extra.Read();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(nlohmann::json::parse(refused->body)["error"]["code"], "unavailable");

  clients.clear();
  bool answered = false;
  give_up = std::chrono::steady_clock::now() + kPatience;
  while (!answered && std::chrono::steady_clock::now() < give_up) {
    auto reply = Get(port_, "/healthz");
    answered = reply && reply->status == 200;
    if (!answered) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(answered);
}

TEST_F(ServerTest, StopLetsTheRequestInFlightFinish) {
  StartServer();
  Client idle(port_);
  ASSERT_TRUE(idle.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(idle.Read());

  Client busy(port_);
  ASSERT_TRUE(busy.Send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_EQ(slow_started_.get_future().wait_for(kPatience), std::future_status::ready);
  server_->Stop();

  auto reply = busy.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  auto body = nlohmann::json::parse(reply->body);  // whole: it parses
  EXPECT_EQ(body["slept"], true);
  EXPECT_EQ(reply->headers["connection"], "close");
  EXPECT_TRUE(busy.WaitClosed(kPatience));
  EXPECT_TRUE(idle.WaitClosed(kPatience));

  running_.join();  // Run() returns once every connection has closed
  EXPECT_FALSE(Client(port_).connected());
}

TEST_F(ServerTest, StopWithNothingOpenReturnsAtOnce) {
  StartServer();
  StopServer();
  SUCCEED();
}

TEST(ServerStartTest, BadListenAddressIsAnInvalidListenError) {
  Router router;
  std::ostringstream log;
  ServerOptions options;
  options.listen = "nowhere";
  HttpServer server(options, router, log);
  auto port = server.Start();
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.errors().front().code, ErrorCode::kInvalid);
  EXPECT_EQ(port.errors().front().field, "listen");
}

TEST(ServerStartTest, PortInUseIsUnavailable) {
  Router router;
  std::ostringstream log;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  HttpServer first(options, router, log);
  auto port = first.Start();
  ASSERT_TRUE(port.ok());
  options.listen = "127.0.0.1:" + std::to_string(port.value());
  HttpServer second(options, router, log);
  auto again = second.Start();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.errors().front().code, ErrorCode::kUnavailable);
}

TEST(ServeUntilSignalledTest, SigtermStopsGracefully) {
  Router router;
  std::ostringstream log;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  HttpServer server(options, router, log);
  auto port = server.Start();
  ASSERT_TRUE(port.ok());
  std::future<int> exit_code =
      std::async(std::launch::async, [&server] { return ServeUntilSignalled(server); });
  // Once the server answers, its signal handling is in place.
  std::optional<Reply> reply;
  auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (!reply && std::chrono::steady_clock::now() < give_up)
    reply = Get(port.value(), "/healthz");
  ASSERT_TRUE(reply);
  ::kill(::getpid(), SIGTERM);
  ASSERT_EQ(exit_code.wait_for(kPatience), std::future_status::ready);
  EXPECT_EQ(exit_code.get(), 0);
}

}  // namespace
}  // namespace assure::server
