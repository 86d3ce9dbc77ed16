#include "core/date.hpp"

#include <cstdio>

namespace assure {
namespace {

// Howard Hinnant's days-from-civil and civil-from-days algorithms (public domain), which are
// exact for every date in the proleptic Gregorian calendar.
int DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Ymd {
  int year;
  int month;
  int day;
};

Ymd CivilFromDays(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

bool Date::IsValid(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

Date Date::FromYmd(int year, int month, int day) { return Date(DaysFromCivil(year, month, day)); }

std::optional<Date> Date::Parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t count) -> int {
    int value = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int y = digits(0, 4);
  const int m = digits(5, 2);
  const int d = digits(8, 2);
  if (y < 0 || m < 0 || d < 0 || !IsValid(y, m, d)) return std::nullopt;
  return FromYmd(y, m, d);
}

int Date::Year() const { return CivilFromDays(days_).year; }
int Date::Month() const { return CivilFromDays(days_).month; }
int Date::Day() const { return CivilFromDays(days_).day; }

Date Date::AddMonths(int months) const {
  const Ymd ymd = CivilFromDays(days_);
  const int total = ymd.year * 12 + (ymd.month - 1) + months;
  const int year = total / 12;
  const int month = total % 12 + 1;
  const int day = ymd.day < DaysInMonth(year, month) ? ymd.day : DaysInMonth(year, month);
  return FromYmd(year, month, day);
}

std::string Date::ToString() const {
  const Ymd ymd = CivilFromDays(days_);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", ymd.year, ymd.month, ymd.day);
  return buffer;
}

}  // namespace assure
