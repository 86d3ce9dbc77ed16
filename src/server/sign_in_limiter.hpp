// Limits on signing in, kept in memory: they never wait on, nor depend on, a write to the
// database, so that a full disk cannot open them.
//
// By name and address: `free_failures` failed sign-ins in a row are allowed; after them each
// further try waits for a delay after the last failure that doubles with each failure
// (first_delay_seconds, twice that, four times...; at most max_delay_seconds). A sign-in that
// succeeds clears the count of its name and address. The count is per address, so that someone
// elsewhere guessing a user's password cannot lock the user out: the user, from their own
// address, still signs in.
//
// By address: at most `failures_per_address` failed sign-ins within `window_seconds`, whatever
// the names, so that one address cannot try a few passwords on each of many names.
//
// A try is taken (Begin) before its password is checked, atomically: tries in flight count as
// failures until they end, so parallel tries cannot pass the limit together.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace assure::server {

struct SignInLimits {
  int free_failures = 10;
  long first_delay_seconds = 1;
  long max_delay_seconds = 15 * 60;
  int failures_per_address = 100;
  long window_seconds = 15 * 60;  // also how long a count is kept after its last failure
  // The most names-and-addresses (and addresses) tracked at once; beyond it, once those whose
  // time is over are forgotten, a try from somewhere new is refused.
  size_t max_tracked = 100000;
};

class SignInLimiter {
 public:
  explicit SignInLimiter(SignInLimits limits) : limits_(limits) {}

  // A try, allowed or refused with the seconds to wait (at least 1).
  struct Try {
    bool allowed = false;
    long retry_after_seconds = 0;
  };

  // Takes a try for `name` from `address` at `now` (seconds since 1970), or refuses it. An
  // allowed try must be ended by End or Cancel.
  Try Begin(const std::string& name, const std::string& address, long long now);

  // Ends an allowed try: `signed_in` when the password was right and the session made.
  void End(const std::string& name, const std::string& address, bool signed_in, long long now);

  // Ends an allowed try that was never made (its password not checked): as if never begun.
  void Cancel(const std::string& name, const std::string& address);

 private:
  struct ByName {
    int failures = 0;
    int in_flight = 0;
    long long last_failure = 0;
  };
  struct ByAddress {
    int failures = 0;
    int in_flight = 0;
    long long window_start = 0;
  };

  static std::string Key(const std::string& name, const std::string& address) {
    return address + '\n' + name;
  }
  long DelayAfter(int failures) const;
  // Forgets what is over at `now`, when a table is full. Holds mutex_.
  void ForgetOld(long long now);

  const SignInLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, ByName> by_name_;
  std::unordered_map<std::string, ByAddress> by_address_;
};

}  // namespace assure::server
