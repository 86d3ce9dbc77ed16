// The server tests' main: enough file descriptors for a thousand connections, both ends of each
// in this one process, and no SIGPIPE from writing to a closed socket.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  // Passwords hashed at libsodium's least cost: the API tests sign in many times (test-only).
  setenv("ASSURE_TEST_FAST_HASH", "1", 1);
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    rlimit wanted = limit;
    // As root the hard limit can be raised too; otherwise the soft one goes up to it.
    if (wanted.rlim_max != RLIM_INFINITY && wanted.rlim_max < 16384) wanted.rlim_max = 16384;
    wanted.rlim_cur = wanted.rlim_max == RLIM_INFINITY ? 16384 : wanted.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &wanted) != 0) {
      limit.rlim_cur = limit.rlim_max;
      setrlimit(RLIMIT_NOFILE, &limit);
    }
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
