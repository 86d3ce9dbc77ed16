// The loader's table of ids agrees with std::unordered_map on random ids, duplicates and misses.
#include "load/id_table.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <unordered_map>

namespace assure::load {
namespace {

TEST(IdTableTest, AnEmptyTableFindsNothing) {
  IdTable<int> table;
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.find("ceo"), table.end());
  EXPECT_EQ(table.begin(), table.end());
  table.reserve(100);
  EXPECT_EQ(table.find("ceo"), table.end());
  EXPECT_EQ(table.begin(), table.end());
}

TEST(IdTableTest, KeepsTheFirstValueOfAnId) {
  IdTable<int> table;
  auto [first, added] = table.try_emplace("ceo", 1);
  EXPECT_TRUE(added);
  EXPECT_EQ(first->second, 1);
  auto [again, added_again] = table.try_emplace("ceo", 2);
  EXPECT_FALSE(added_again);
  EXPECT_EQ(again->second, 1);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.find("ceo")->first, "ceo");
  EXPECT_EQ(table.find("dcs"), table.end());
  EXPECT_EQ(table.find(""), table.end());
}

// Random ids, many of them repeated, some of them prefixes of others, added while the table
// grows: every answer is std::unordered_map's, and iterating visits each id once.
TEST(IdTableTest, AgreesWithUnorderedMapWhileGrowing) {
  for (const size_t reserved : {size_t{0}, size_t{3}, size_t{5000}}) {
    std::mt19937 random(static_cast<unsigned>(reserved) + 7);
    std::deque<std::string> texts;  // the ids' text, which outlives the table
    IdTable<int> table;
    table.reserve(reserved);
    std::unordered_map<std::string_view, int> expected;
    for (int i = 0; i < 20000; ++i) {
      std::string id = "p" + std::to_string(random() % 6000);
      if (random() % 5 == 0) id.pop_back();
      texts.push_back(id);
      const std::string_view view = texts.back();
      if (random() % 2 == 0) {
        auto [it, added] = table.try_emplace(view, i);
        auto [want, want_added] = expected.try_emplace(view, i);
        ASSERT_EQ(added, want_added) << id;
        ASSERT_EQ(it->second, want->second) << id;
      } else {
        auto it = table.find(view);
        auto want = expected.find(view);
        ASSERT_EQ(it == table.end(), want == expected.end()) << id;
        if (want != expected.end()) {
          ASSERT_EQ(it->second, want->second) << id;
        }
      }
      ASSERT_EQ(table.size(), expected.size());
    }
    std::unordered_map<std::string_view, int> seen;
    for (const auto& [id, value] : table) EXPECT_TRUE(seen.try_emplace(id, value).second) << id;
    EXPECT_EQ(seen, expected);
  }
}

}  // namespace
}  // namespace assure::load
