// docs/checks.md, the reference of every check, is generated from the table `assure explain`
// prints and from the built-in catalogue; this keeps the committed copy in step and standing
// alone. UPDATE_GOLDEN=1 rewrites it.
#include "report/checks_reference.hpp"

#include <gtest/gtest.h>

#include "core/checks.hpp"
#include "load/catalogue_yaml.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

TEST(GeneratedDocs, ChecksReferenceIsCurrent) {
  const auto& catalogue = load::BuiltInCatalogue();
  ASSERT_TRUE(catalogue.ok());
  const std::string generated = report::ChecksReference(catalogue.value());
  const auto path = testing::SourceDir() / "docs/checks.md";
  if (testing::UpdatingGolden()) {
    testing::WriteFile(path, generated);
    GTEST_SKIP() << "rewrote docs/checks.md";
  }
  EXPECT_EQ(testing::ReadFile(path), generated)
      << "docs/checks.md is out of date: run `UPDATE_GOLDEN=1 make test` and review the diff";
}

TEST(GeneratedDocs, ChecksReferenceNamesEveryCheckAndStandsAlone) {
  const std::string doc = report::ChecksReference(load::BuiltInCatalogue().value());
  for (const CheckInfo& c : Checks()) {
    EXPECT_NE(doc.find("\n## " + std::string(c.id) + "\n"), std::string::npos) << c.id;
    EXPECT_NE(doc.find(std::string(c.force_source)), std::string::npos) << c.id;
    EXPECT_FALSE(c.otherwise.empty()) << c.id;
  }
  for (const char* outside : {"model.md", "checks.md", "shared/", "seeds/"}) {
    EXPECT_EQ(doc.find(outside), std::string::npos) << outside;
  }
  EXPECT_NE(doc.find("CE = "), std::string::npos);
}

}  // namespace
}  // namespace assure
