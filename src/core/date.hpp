// Calendar dates for the domain. A Date is a day in the proleptic Gregorian calendar with no
// time zone: the arrangements speak of days ("approved on 2016-04-01"), never of instants.
// Pure: the current date never enters the core; callers pass `as_of` in.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace assure {

class Date {
 public:
  // Returns the date for year-month-day. Requires a real calendar day (see IsValid).
  static Date FromYmd(int year, int month, int day);

  // Parses exactly `YYYY-MM-DD`. Returns nullopt for any other shape, and for a day that does
  // not exist (2017-02-29, 2016-13-01).
  static std::optional<Date> Parse(std::string_view text);

  // True when year-month-day names a real calendar day.
  static bool IsValid(int year, int month, int day);

  int Year() const;
  int Month() const;
  int Day() const;

  // Returns this date plus `months` calendar months, clamped to the end of the month:
  // 2016-01-31 plus one month is 2016-02-29.
  Date AddMonths(int months) const;

  // Returns this date plus `days` days (minus, when negative).
  Date AddDays(int days) const { return Date(days_ + days); }

  // Whole days from `earlier` to this date (negative when this date is earlier).
  int DaysSince(Date earlier) const { return days_ - earlier.days_; }

  // `YYYY-MM-DD`.
  std::string ToString() const;

  auto operator<=>(const Date&) const = default;

 private:
  explicit Date(int days) : days_(days) {}
  int days_ = 0;  // days since 1970-01-01
};

}  // namespace assure
