#include "store/change_summary.hpp"

#include <gtest/gtest.h>

namespace assure::store {
namespace {

TEST(ChangeSummary, SaysWhatChangedInWords) {
  const struct {
    const char* patch;
    const char* words;
  } cases[] = {
      {R"([{"op":"replace","path":"/posts/dcs-post/reports_to","value":"ceo"},
           {"op":"add","path":"/members/cat","value":{"person":"cat"}}])",
       "posts: dcs-post reports_to changed; members: 1 added"},
      {R"([{"op":"replace","path":"/posts/dcs/holder","value":"x"},
           {"op":"add","path":"/posts/dcs/interim_until","value":"2020-01-01"},
           {"op":"remove","path":"/posts/old"},
           {"op":"add","path":"/posts/new","value":{}}])",
       "posts: dcs holder and interim_until changed, 1 added, 1 removed"},
      {R"([{"op":"replace","path":"/authority/name","value":"B"},
           {"op":"replace","path":"/assurance/reviews/r1/approved_on","value":"2020-01-01"},
           {"op":"add","path":"/assurance/changes/2","value":{}},
           {"op":"replace","path":"/assurance/review_interval_months","value":6}])",
       "authority: name changed; reviews: r1 approved_on changed; changes: 1 added; "
       "review_interval_months: changed"},
      {R"([{"op":"add","path":"/bodies","value":{"a":{},"b":{}}}])", "bodies: 2 added"},
      {R"([{"op":"replace","path":"/posts/a~1b/title","value":"T"}])", "posts: a/b title changed"},
      {R"([{"op":"replace","path":"","value":{"authority":{}}}])", "the whole arrangements"},
      {R"([{"op":"replace","path":"","value":null}])", "deleted"},
      {"[]", "no change"},
      {"not json", "a change that cannot be read"},
      {R"([{"path":"/posts"}])", "a change that cannot be read"},
  };
  for (const auto& c : cases) EXPECT_EQ(SummariseChange(c.patch), c.words) << c.patch;
}

TEST(ChangeSummary, NamesFiveEntriesThenCounts) {
  std::string patch = "[";
  for (int i = 0; i < 8; ++i) {
    patch += std::string(i ? "," : "") + R"({"op":"replace","path":"/people/p)" +
             std::to_string(i) + R"(/name","value":"N"})";
  }
  patch += "]";
  EXPECT_EQ(SummariseChange(patch),
            "people: p0 name changed, p1 name changed, p2 name changed, p3 name changed, p4 "
            "name changed, 3 more changed");
}

}  // namespace
}  // namespace assure::store
