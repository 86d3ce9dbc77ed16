// What the API writes to the log of sign-ins and refusals (store::Accounts::RecordAuthEvent),
// with floods of refusals kept short.
//
// Refusals (Refused) are written at most once a second for each address and kind: the first
// when it happens, and those that follow within the second are counted and written as one event
// carrying their count (AuthEvent::count), with the next refusal alike or, when none comes, by a
// thread of the log's own within a second or so. A flood of 700 refused requests a second from
// one address costs the database one write a second, not 700. Other events (Record) are written
// at once, one row each.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "core/error.hpp"
#include "store/accounts.hpp"

namespace assure::server {

class AuthLog {
 public:
  // `accounts` must outlive the log. Starts the thread that writes counted refusals.
  explicit AuthLog(store::Accounts& accounts);
  // Writes the refusals still counted, and stops the thread.
  ~AuthLog();
  AuthLog(const AuthLog&) = delete;
  AuthLog& operator=(const AuthLog&) = delete;

  // Writes `event` now. Errors: as RecordAuthEvent (kUnavailable when it cannot be written).
  Result<store::Done> Record(const store::AuthEvent& event);

  // A refusal (an unauthorized or forbidden request, a sign-in refused unchecked): written now
  // when it is the first of its kind from its address this second, else counted. A failure to
  // write is not reported: the request log still has every request.
  void Refused(const store::AuthEvent& event);

  // Writes every refusal still counted, now.
  void Flush();

 private:
  struct Flood {
    long long last_write = -1;  // the second (steady clock) of the last row written
    int64_t counted = 0;        // refusals since, not yet written
    store::AuthEvent first;     // the first of those
  };
  // Writes the counted refusals whose second is over (all of them when `all`).
  void WriteCounted(bool all);
  void Serve();

  // The most addresses and kinds tracked at once: beyond it, refusals from somewhere new are
  // counted together, under the address "(many)".
  static constexpr size_t kMaxFloods = 100000;

  store::Accounts& accounts_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::pair<std::string, std::string>, Flood> floods_;  // by address and kind
  std::thread thread_;
};

}  // namespace assure::server
