#include "server/auth_log.hpp"

#include <chrono>
#include <vector>

namespace assure::server {
namespace {

long long SteadySeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

AuthLog::AuthLog(store::Accounts& accounts) : accounts_(accounts) {
  thread_ = std::thread([this] { Serve(); });
}

AuthLog::~AuthLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  WriteCounted(true);
}

Result<store::Done> AuthLog::Record(const store::AuthEvent& event) {
  return accounts_.RecordAuthEvent(event);
}

void AuthLog::Refused(const store::AuthEvent& event) {
  const long long now = SteadySeconds();
  store::AuthEvent row = event;
  {
    std::lock_guard lock(mutex_);
    std::pair<std::string, std::string> key{event.remote, event.kind};
    if (!floods_.count(key) && floods_.size() >= kMaxFloods) {
      key.first = "(many)";
      row.remote = key.first;
    }
    Flood& flood = floods_[key];
    if (flood.last_write >= now) {
      if (flood.counted == 0) flood.first = row;
      ++flood.counted;
      return;
    }
    // The first this second: written now, with any counted before it.
    row.count = flood.counted + 1;
    flood.counted = 0;
    flood.last_write = now;
  }
  accounts_.RecordAuthEvent(row);
}

void AuthLog::Flush() { WriteCounted(true); }

void AuthLog::WriteCounted(bool all) {
  const long long now = SteadySeconds();
  std::vector<store::AuthEvent> rows;
  {
    std::lock_guard lock(mutex_);
    for (auto it = floods_.begin(); it != floods_.end();) {
      Flood& flood = it->second;
      if (flood.counted > 0 && (all || flood.last_write < now)) {
        store::AuthEvent row = flood.first;
        row.count = flood.counted;
        rows.push_back(std::move(row));
        flood.counted = 0;
        flood.last_write = now;
      }
      // Quiet for a minute: forgotten.
      if (flood.counted == 0 && flood.last_write < now - 60) {
        it = floods_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const store::AuthEvent& row : rows) accounts_.RecordAuthEvent(row);
}

void AuthLog::Serve() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(250));
    if (stopping_) break;
    lock.unlock();
    WriteCounted(false);
    lock.lock();
  }
}

}  // namespace assure::server
