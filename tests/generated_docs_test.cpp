// The format reference (docs/format.md) and the schema copy (schema/arrangements.schema.json)
// are generated from the loader's own format description; these tests keep the committed
// copies in step. UPDATE_GOLDEN=1 rewrites them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "load/format.hpp"
#include "load/schema.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

void ExpectCommitted(const std::string& relative, const std::string& generated) {
  const auto path = testing::SourceDir() / relative;
  if (testing::UpdatingGolden()) {
    std::filesystem::create_directories(path.parent_path());
    testing::WriteFile(path, generated);
    GTEST_SKIP() << "rewrote " << relative;
  }
  EXPECT_EQ(testing::ReadFile(path), generated)
      << relative << " is out of date: run `UPDATE_GOLDEN=1 make test` and review the diff";
}

TEST(GeneratedDocs, FormatReferenceIsCurrent) {
  ExpectCommitted("docs/format.md", load::ArrangementsFormatReference());
}

TEST(GeneratedDocs, SchemaCopyIsCurrent) {
  ExpectCommitted("schema/arrangements.schema.json", load::ArrangementsJsonSchema());
}

TEST(GeneratedDocs, ReferenceAndSchemaNameEveryField) {
  const std::string reference = load::ArrangementsFormatReference();
  const auto schema = nlohmann::json::parse(load::ArrangementsJsonSchema());
  for (const format::Record* r : format::AllRecords()) {
    for (const format::Field& f : r->fields) {
      EXPECT_NE(reference.find("| `" + std::string(f.name) + "` |"), std::string::npos) << f.name;
      for (std::string_view v : f.values) {
        EXPECT_NE(reference.find("`" + std::string(v) + "`"), std::string::npos) << v;
      }
    }
  }
  EXPECT_EQ(schema["$defs"]["post"]["properties"].size(), 10u);
  EXPECT_FALSE(schema["$defs"]["post"]["additionalProperties"].get<bool>());
}

}  // namespace
}  // namespace assure
