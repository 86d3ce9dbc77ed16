#include "server/sign_in_limiter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace assure::server {
namespace {

SignInLimits Small() {
  SignInLimits limits;
  limits.free_failures = 2;
  limits.first_delay_seconds = 1;
  limits.max_delay_seconds = 8;
  limits.failures_per_address = 5;
  limits.window_seconds = 60;
  return limits;
}

// Fails `name` from `address` at `now`, and fails the test unless the try was allowed.
void Fail(SignInLimiter& limiter, const std::string& name, const std::string& address,
          long long now) {
  ASSERT_TRUE(limiter.Begin(name, address, now).allowed) << name << " from " << address;
  limiter.End(name, address, false, now);
}

TEST(SignInLimiter, WaitsDoubleAfterTheFreeFailuresUpToTheLongest) {
  SignInLimits limits = Small();
  limits.failures_per_address = 100;
  SignInLimiter limiter(limits);
  long long now = 1000;
  Fail(limiter, "alice", "10.0.0.1", now);
  Fail(limiter, "alice", "10.0.0.1", now);
  const long waits[] = {1, 2, 4, 8, 8};
  for (const long& wait : waits) {
    const SignInLimiter::Try refused = limiter.Begin("alice", "10.0.0.1", now);
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after_seconds, wait);
    now += wait;
    ASSERT_TRUE(limiter.Begin("alice", "10.0.0.1", now).allowed) << "after " << wait << " s";
    // Right at last: the count starts again.
    limiter.End("alice", "10.0.0.1", &wait == &waits[4], now);
  }
  Fail(limiter, "alice", "10.0.0.1", now);
  Fail(limiter, "alice", "10.0.0.1", now);
  EXPECT_FALSE(limiter.Begin("alice", "10.0.0.1", now).allowed);
  // Quiet for the window: forgotten.
  EXPECT_TRUE(limiter.Begin("alice", "10.0.0.1", now + 60).allowed);
}

TEST(SignInLimiter, CountsByNameAndAddressAndByAddress) {
  SignInLimiter limiter(Small());
  Fail(limiter, "alice", "10.0.0.1", 0);
  Fail(limiter, "alice", "10.0.0.1", 0);
  EXPECT_FALSE(limiter.Begin("alice", "10.0.0.1", 0).allowed);
  EXPECT_TRUE(limiter.Begin("alice", "10.0.0.2", 0).allowed) << "another address";
  limiter.End("alice", "10.0.0.2", true, 0);
  // One address trying many names: 5 failures in the window, whatever the names.
  Fail(limiter, "bob", "10.0.0.1", 0);
  Fail(limiter, "carol", "10.0.0.1", 0);
  Fail(limiter, "dave", "10.0.0.1", 0);
  const SignInLimiter::Try spread = limiter.Begin("erin", "10.0.0.1", 10);
  EXPECT_FALSE(spread.allowed);
  EXPECT_EQ(spread.retry_after_seconds, 50);
  EXPECT_TRUE(limiter.Begin("erin", "10.0.0.1", 60).allowed) << "a new window";
}

TEST(SignInLimiter, TriesInFlightCountAndCancelledOnesDoNot) {
  SignInLimiter limiter(Small());
  EXPECT_TRUE(limiter.Begin("alice", "10.0.0.1", 0).allowed);
  EXPECT_TRUE(limiter.Begin("alice", "10.0.0.1", 0).allowed);
  EXPECT_FALSE(limiter.Begin("alice", "10.0.0.1", 0).allowed) << "two in flight: the free ones";
  limiter.Cancel("alice", "10.0.0.1");
  EXPECT_TRUE(limiter.Begin("alice", "10.0.0.1", 0).allowed) << "a cancelled try is not counted";
}

TEST(SignInLimiter, TracksAtMostSoManyAndRefusesNewcomersWhenFull) {
  SignInLimits limits = Small();
  limits.max_tracked = 2;
  SignInLimiter limiter(limits);
  Fail(limiter, "alice", "10.0.0.1", 0);
  Fail(limiter, "alice", "10.0.0.2", 0);
  EXPECT_FALSE(limiter.Begin("alice", "10.0.0.3", 30).allowed) << "full, and nothing is over";
  EXPECT_TRUE(limiter.Begin("alice", "10.0.0.3", 60).allowed) << "the old ones forgotten";
}

}  // namespace
}  // namespace assure::server
