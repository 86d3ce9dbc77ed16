#include "load/json_input.hpp"

#include <gtest/gtest.h>

#include "load/arrangements_json.hpp"
#include "load/yaml_tree.hpp"

namespace assure {
namespace {

std::string Nested(int depth) {
  return std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']');
}

TEST(JsonInput, NestingIsBoundedLikeYaml) {
  EXPECT_TRUE(load::ParseJsonInput(Nested(yaml::kMaxDepth), "body").ok());
  for (int depth : {yaml::kMaxDepth + 1, 30000, 1000000}) {
    const auto r = load::ParseJsonInput(Nested(depth), "body", "body");
    ASSERT_FALSE(r.ok()) << depth;
    EXPECT_NE(r.errors()[0].message.find("nested more than 64 levels"), std::string::npos);
    EXPECT_EQ(r.errors()[0].field, "body");
  }
  // The arrangements reader (a JSON file or body) refuses it before building anything.
  const std::string deep = "{\"arrangements\": " + Nested(30000) + "}";
  const auto a = load::ParseArrangementsJson(deep, "body");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.errors()[0].message.find("nested"), std::string::npos);
}

TEST(JsonInput, BadInputIsOnePlainError) {
  const struct {
    std::string text;
    std::string said;
  } cases[] = {
      {R"({"version": 1e400})", "number too large"},
      {R"({"version": -1e400})", "number too large"},
      {"{\"name\": \"a", "ends too early"},
      {"", "ends too early"},
      {"{\"name\": \"\xff\"}", "not valid UTF-8"},
      {"{\"name\": \"a\x01\"}", "control character"},
      {"{not json", "not valid JSON"},
      {"{\"a\": 1} trailing", "not valid JSON"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto r = load::ParseJsonInput(c.text, "body", "body");
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.errors().size(), 1u);
    EXPECT_EQ(r.errors()[0].code, ErrorCode::kInvalid);
    EXPECT_NE(r.errors()[0].message.find(c.said), std::string::npos) << r.errors()[0].message;
    EXPECT_EQ(r.errors()[0].message.find("json.exception"), std::string::npos);
  }
  const auto r = load::ParseJsonInput("{\n  \"a\": 1,,\n}", "body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].line, 2);
  EXPECT_NE(r.errors()[0].message.find("line 2"), std::string::npos);
}

}  // namespace
}  // namespace assure
