// The engines' connections (src/store/sqlite_store.cpp, postgres_store.cpp), below the Store:
// one engine shared by several threads runs their transactions side by side, each on a
// connection of its own, rather than one after another. Run against SQLite (a temporary file)
// and PostgreSQL (a schema of its own in the database named by ASSURE_TEST_POSTGRES_URL;
// skipped without it, except under CI=true, where it fails, as in store_test.cpp).
//
// Where a test waits for another thread, the wait is bounded only so that an engine that
// serialises transactions fails the test instead of hanging it: no test measures speed.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <ostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "databases.hpp"
#include "store/ledger.hpp"

namespace assure::store {
namespace {

// Long enough never to end a wait that a working engine would end: only an engine that makes
// one transaction wait for another's end reaches it.
constexpr auto kDeadlockBreaker = std::chrono::seconds(30);

// A flag one thread raises and another waits for.
class Signal {
 public:
  void Raise() {
    {
      std::lock_guard lock(mutex_);
      raised_ = true;
    }
    cv_.notify_all();
  }
  // True when raised before kDeadlockBreaker passed.
  bool Wait() {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, kDeadlockBreaker, [&] { return raised_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool raised_ = false;
};

class StorePoolTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    db_ = NewDatabase(GetParam());
    if (db_ == nullptr) {
      if (UnderCi()) FAIL() << "CI=true: PostgreSQL must be tested. " << kNoPostgres;
      GTEST_SKIP() << kNoPostgres;
    }
    Result<std::unique_ptr<Engine>> opened =
        GetParam() == Kind::kPostgres ? OpenPostgres(db_->Where()) : OpenSqlite(db_->Where());
    ASSERT_TRUE(opened.ok()) << Messages(opened.errors());
    engine_ = std::move(opened).value();
  }

  void TearDown() override { engine_.reset(); }

  // Adds an auth_events row (a table with no foreign keys) whose detail is `detail`.
  static Result<Done> AddEvent(Session& s, const std::string& detail) {
    Result<std::vector<Session::Row>> r = s.Query(
        "INSERT INTO auth_events (at, kind, user_name, remote, detail) "
        "VALUES ('2026-01-01T09:00:00.000Z', 'test', 'pool', 'here', $1)",
        {detail});
    if (!r.ok()) return r.errors();
    return Done{};
  }

  // The number of auth_events rows whose detail is `detail` (every row when empty).
  static Result<int> CountEvents(Session& s, const std::string& detail = "") {
    Result<std::vector<Session::Row>> r =
        s.Query("SELECT count(*) FROM auth_events WHERE $1 = '' OR detail = $1", {detail});
    if (!r.ok()) return r.errors();
    return std::stoi(r.value().at(0).at(0).value_or("-1"));
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<Engine> engine_;  // closed before db_ drops the database
};

TEST_P(StorePoolTest, AReadRunsWhileAWriteIsInProgressAndSeesOnlyWhatWasCommitted) {
  Signal written;    // the write has made its change, not yet committed
  Signal read_done;  // the read has ended
  bool read_ended_while_writing = false;
  std::thread writer([&] {
    Result<Done> w = engine_->Write([&](Session& s) -> Result<Done> {
      Result<Done> added = AddEvent(s, "pending");
      if (!added.ok()) return added;
      written.Raise();
      read_ended_while_writing = read_done.Wait();
      return Done{};
    });
    EXPECT_TRUE(w.ok()) << Messages(w.errors());
    written.Raise();  // in case the write failed before its change
  });
  if (!written.Wait()) {
    read_done.Raise();
    writer.join();
    FAIL() << "the write never started";
  }
  int seen = -1;
  Result<Done> r = engine_->Read([&](Session& s) -> Result<Done> {
    Result<int> count = CountEvents(s, "pending");
    if (!count.ok()) return count.errors();
    seen = count.value();
    return Done{};
  });
  read_done.Raise();
  writer.join();
  ASSERT_TRUE(r.ok()) << Messages(r.errors());
  EXPECT_TRUE(read_ended_while_writing) << "the read waited for the write to end";
  EXPECT_EQ(seen, 0) << "the read saw a change not yet committed";

  // Once committed, the change is seen by the next read, on whichever connection it runs.
  Result<Done> after = engine_->Read([&](Session& s) -> Result<Done> {
    Result<int> count = CountEvents(s, "pending");
    if (!count.ok()) return count.errors();
    seen = count.value();
    return Done{};
  });
  ASSERT_TRUE(after.ok()) << Messages(after.errors());
  EXPECT_EQ(seen, 1);
}

TEST_P(StorePoolTest, SeveralReadsRunAtOnce) {
  // Each read stays open until all are open together.
  constexpr int kReaders = 4;  // within both engines' caps
  std::mutex mutex;
  std::condition_variable cv;
  int inside = 0;
  std::vector<Result<Done>> results(kReaders, Result<Done>(Done{}));
  std::vector<char> all_met(kReaders, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&, t] {
      results[t] = engine_->Read([&](Session& s) -> Result<Done> {
        Result<int> count = CountEvents(s);
        if (!count.ok()) return count.errors();
        std::unique_lock lock(mutex);
        ++inside;
        cv.notify_all();
        all_met[t] = cv.wait_for(lock, kDeadlockBreaker, [&] { return inside == kReaders; });
        return Done{};
      });
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kReaders; ++t) {
    EXPECT_TRUE(results[t].ok()) << Messages(results[t].errors());
    EXPECT_TRUE(all_met[t]) << "read " << t << " never ran beside the other " << kReaders - 1;
  }
}

TEST_P(StorePoolTest, ManyThreadsReadingAndWritingEachSeeTheirOwnWrites) {
  // More threads than either engine has connections: some wait for one to be free.
  constexpr int kThreads = 16;
  constexpr int kRounds = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string mine = "thread " + std::to_string(t);
      for (int round = 1; round <= kRounds; ++round) {
        Result<Done> w = engine_->Write([&](Session& s) { return AddEvent(s, mine); });
        ASSERT_TRUE(w.ok()) << Messages(w.errors());
        int seen = -1;
        Result<Done> r = engine_->Read([&](Session& s) -> Result<Done> {
          Result<int> count = CountEvents(s, mine);
          if (!count.ok()) return count.errors();
          seen = count.value();
          return Done{};
        });
        ASSERT_TRUE(r.ok()) << Messages(r.errors());
        EXPECT_EQ(seen, round) << mine << " does not see its own committed writes";
      }
    });
  }
  for (std::thread& th : threads) th.join();
  int total = -1;
  Result<Done> r = engine_->Read([&](Session& s) -> Result<Done> {
    Result<int> count = CountEvents(s);
    if (!count.ok()) return count.errors();
    total = count.value();
    return Done{};
  });
  ASSERT_TRUE(r.ok()) << Messages(r.errors());
  EXPECT_EQ(total, kThreads * kRounds);
}

TEST_P(StorePoolTest, AReadCannotWrite) {
  Result<Done> r = engine_->Read([&](Session& s) { return AddEvent(s, "from a read"); });
  EXPECT_FALSE(r.ok());
  int seen = -1;
  Result<Done> after = engine_->Read([&](Session& s) -> Result<Done> {
    Result<int> count = CountEvents(s);
    if (!count.ok()) return count.errors();
    seen = count.value();
    return Done{};
  });
  ASSERT_TRUE(after.ok()) << Messages(after.errors());
  EXPECT_EQ(seen, 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, StorePoolTest, ::testing::Values(Kind::kSqlite, Kind::kPostgres),
                         KindName);

}  // namespace
}  // namespace assure::store
