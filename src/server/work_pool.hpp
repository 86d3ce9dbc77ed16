// A few threads of their own for slow work that must not hold up the server's threads (hashing
// a password takes a tenth of a second of one core), with a bounded queue.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace assure::server {

class WorkPool {
 public:
  // Starts `threads` threads (at least one); at most `max_waiting` pieces of work wait at once.
  WorkPool(int threads, size_t max_waiting);
  // Does the work still waiting, then stops the threads.
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Queues `work`, to run on one of the pool's threads. Returns false, and drops it, when
  // max_waiting pieces are already waiting. `work` must not throw.
  bool Post(std::function<void()> work);

 private:
  void Serve();

  const size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> waiting_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace assure::server
