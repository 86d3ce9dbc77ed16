#include "core/date.hpp"

#include <gtest/gtest.h>

namespace assure {
namespace {

TEST(Date, ParsesIsoDays) {
  auto d = Date::Parse("2017-01-24");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->Year(), 2017);
  EXPECT_EQ(d->Month(), 1);
  EXPECT_EQ(d->Day(), 24);
  EXPECT_EQ(d->ToString(), "2017-01-24");
}

TEST(Date, RejectsOtherShapesAndImpossibleDays) {
  for (const char* bad : {"2017-1-24", "24/01/2017", "2017-02-29", "2016-13-01", "2016-00-10",
                          "2016-04-31", "20170124", "2017-01-24T00:00", "", "2017-01-2x"}) {
    EXPECT_FALSE(Date::Parse(bad)) << bad;
  }
  EXPECT_TRUE(Date::Parse("2016-02-29"));
  EXPECT_TRUE(Date::Parse("2000-02-29"));
  EXPECT_FALSE(Date::Parse("1900-02-29"));
}

TEST(Date, AddsCalendarMonthsClampingToMonthEnd) {
  struct Case {
    const char* from;
    int months;
    const char* to;
  };
  for (const Case& c :
       {Case{"2016-01-31", 1, "2016-02-29"}, Case{"2017-01-31", 1, "2017-02-28"},
        Case{"2016-03-15", 12, "2017-03-15"}, Case{"2016-11-30", 3, "2017-02-28"},
        Case{"2016-12-31", 1, "2017-01-31"}, Case{"2016-05-31", 18, "2017-11-30"}}) {
    EXPECT_EQ(Date::Parse(c.from)->AddMonths(c.months).ToString(), c.to) << c.from;
  }
}

TEST(Date, OrdersAndCountsDays) {
  const Date a = *Date::Parse("2016-12-31");
  const Date b = *Date::Parse("2017-01-01");
  EXPECT_LT(a, b);
  EXPECT_EQ(b.DaysSince(a), 1);
  EXPECT_EQ(Date::Parse("1970-01-01")->DaysSince(*Date::Parse("1969-12-31")), 1);
}

}  // namespace
}  // namespace assure
