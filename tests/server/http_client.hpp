// A small blocking HTTP/1.1 client over POSIX sockets, for testing the server as a client sees
// it. Every wait has a generous time limit, so a broken server fails a test rather than hangs it.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace assure::server::testing {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class Client {
 public:
  // Connects to 127.0.0.1:`port`, from the address `from` when given (another loopback
  // address, such as 127.0.0.2, stands for another client); connected() says whether it did.
  explicit Client(int port, std::chrono::milliseconds timeout = std::chrono::seconds(10),
                  const std::string& from = "");
  ~Client();
  Client(Client&& other) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }

  // Sends all of `data`; false when the connection is closed or the send times out.
  bool Send(std::string_view data);

  // Reads one response. Nothing when the connection closes or times out first, or the response
  // is not one this client understands. `head`: the request was HEAD, so no body follows.
  std::optional<Reply> Read(bool head = false);

  // Waits up to `limit` for the server to close the connection, discarding what it sends.
  bool WaitClosed(std::chrono::milliseconds limit);

  // Whether the server has closed the connection already, without waiting.
  bool PeerClosed();

  void Close();

 private:
  int fd_ = -1;
  std::string buffer_;
};

// GET `target` on a new connection; nothing when that fails.
std::optional<Reply> Get(int port, std::string_view target);

// Sends `request` on a new connection (from the address `from`, when given) and reads one
// response.
std::optional<Reply> Exchange(int port, std::string_view request, const std::string& from = "");

}  // namespace assure::server::testing
