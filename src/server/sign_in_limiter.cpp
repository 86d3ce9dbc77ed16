#include "server/sign_in_limiter.hpp"

#include <algorithm>

namespace assure::server {

long SignInLimiter::DelayAfter(int failures) const {
  // failures >= free_failures: the first delay, doubled for each failure beyond the free ones.
  long delay = std::max(1L, limits_.first_delay_seconds);
  for (int i = limits_.free_failures; i < failures && delay < limits_.max_delay_seconds; ++i) {
    delay *= 2;
  }
  return std::min(delay, std::max(1L, limits_.max_delay_seconds));
}

void SignInLimiter::ForgetOld(long long now) {
  std::erase_if(by_name_, [&](const auto& entry) {
    return entry.second.in_flight == 0 && now - entry.second.last_failure >= limits_.window_seconds;
  });
  std::erase_if(by_address_, [&](const auto& entry) {
    return entry.second.in_flight == 0 && now - entry.second.window_start >= limits_.window_seconds;
  });
}

SignInLimiter::Try SignInLimiter::Begin(const std::string& name, const std::string& address,
                                        long long now) {
  std::lock_guard lock(mutex_);
  const std::string key = Key(name, address);
  if ((!by_address_.count(address) && by_address_.size() >= limits_.max_tracked) ||
      (!by_name_.count(key) && by_name_.size() >= limits_.max_tracked)) {
    ForgetOld(now);
    if (by_address_.size() >= limits_.max_tracked || by_name_.size() >= limits_.max_tracked) {
      return Try{false, limits_.window_seconds};
    }
  }
  ByAddress& a = by_address_[address];
  if (a.in_flight == 0 && now - a.window_start >= limits_.window_seconds) {
    a = ByAddress{0, 0, now};
  }
  if (a.failures + a.in_flight >= limits_.failures_per_address) {
    return Try{false, std::max(1LL, a.window_start + limits_.window_seconds - now)};
  }
  ByName& n = by_name_[key];
  if (n.in_flight == 0 && n.failures > 0 && now - n.last_failure >= limits_.window_seconds) {
    n = ByName{};
  }
  const int counted = n.failures + n.in_flight;
  if (counted >= limits_.free_failures) {
    // Beyond the free tries, one at a time, each after its delay.
    const long long until = n.last_failure + DelayAfter(counted);
    if (n.in_flight > 0) return Try{false, std::max(1L, DelayAfter(counted))};
    if (now < until) return Try{false, static_cast<long>(until - now)};
  }
  ++n.in_flight;
  ++a.in_flight;
  return Try{true, 0};
}

void SignInLimiter::End(const std::string& name, const std::string& address, bool signed_in,
                        long long now) {
  std::lock_guard lock(mutex_);
  auto n = by_name_.find(Key(name, address));
  if (n != by_name_.end()) {
    n->second.in_flight = std::max(0, n->second.in_flight - 1);
    if (signed_in) {
      n->second.failures = 0;
      if (n->second.in_flight == 0) by_name_.erase(n);
    } else {
      ++n->second.failures;
      n->second.last_failure = now;
    }
  }
  auto a = by_address_.find(address);
  if (a != by_address_.end()) {
    a->second.in_flight = std::max(0, a->second.in_flight - 1);
    if (!signed_in) ++a->second.failures;
  }
}

void SignInLimiter::Cancel(const std::string& name, const std::string& address) {
  std::lock_guard lock(mutex_);
  auto n = by_name_.find(Key(name, address));
  if (n != by_name_.end()) n->second.in_flight = std::max(0, n->second.in_flight - 1);
  auto a = by_address_.find(address);
  if (a != by_address_.end()) a->second.in_flight = std::max(0, a->second.in_flight - 1);
}

}  // namespace assure::server
