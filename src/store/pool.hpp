// Private to src/store: a small pool of database connections shared by threads, as both engines
// keep one (sqlite_store.cpp: its readers; postgres_store.cpp: all its connections).
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace assure::store {

// Up to `max` connections, each used by one caller at a time: a free one when there is one, else
// a new one (opened by `open`) while fewer than `max` are open, else the first to be given back,
// waited for.
template <typename Connection>
class Pool {
 public:
  using Open = std::function<Result<std::unique_ptr<Connection>>()>;

  Pool(int max, Open open) : max_(max), open_(std::move(open)) {}

  // Adds a connection opened already (it counts towards `max`).
  void Add(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    free_.push_back(connection.get());
    connections_.push_back(std::move(connection));
    ++opened_;
  }

  // Runs `use(Connection&)` on a connection of the pool, given back however `use` ends (even by
  // an exception), and returns what `use` returns, or why no connection could be had.
  template <typename Use>
  auto With(Use use) -> decltype(use(std::declval<Connection&>())) {
    Result<Connection*> taken = Take();
    if (!taken.ok()) return taken.errors();
    struct GiveBackAtEnd {
      Pool& pool;
      Connection* connection;
      ~GiveBackAtEnd() { pool.GiveBack(connection); }
    } give_back{*this, taken.value()};
    return use(*taken.value());
  }

 private:
  Result<Connection*> Take() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return !free_.empty() || opened_ < max_; });
    if (!free_.empty()) {
      Connection* connection = free_.back();
      free_.pop_back();
      return connection;
    }
    // Hold the place while the connection opens, outside the lock.
    ++opened_;
    lock.unlock();
    Result<std::unique_ptr<Connection>> connection = open_();
    lock.lock();
    if (!connection.ok()) {
      --opened_;
      freed_.notify_one();  // a waiter may try to open it instead
      return connection.errors();
    }
    connections_.push_back(std::move(connection).value());
    return connections_.back().get();
  }

  void GiveBack(Connection* connection) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(connection);
    }
    freed_.notify_one();
  }

  const int max_;
  const Open open_;
  std::mutex mutex_;  // guards what follows
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> connections_;  // every connection opened
  std::vector<Connection*> free_;                         // those not in use
  int opened_ = 0;                                        // connections open or being opened
};

}  // namespace assure::store
