// Golden files: `assure check --format json` on every example equals tests/golden/<name>.json.
// UPDATE_GOLDEN=1 rewrites them; review the diff.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "cli/cli.hpp"
#include "core/checks.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

using testing::FilesUnder;
using testing::ReadFile;
using testing::SourceDir;

class Golden : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(Golden, CheckJsonMatches) {
  const auto example = GetParam();
  const std::string relative = "examples/" + example.filename().string();
  std::ostringstream out, err;
  std::istringstream in;
  const int code = cli::Run({"check", "--format", "json", relative}, in, out, err, {});
  ASSERT_LT(code, 2) << err.str();
  const auto golden = SourceDir() / "tests/golden" / (example.stem().string() + ".json");
  if (testing::UpdatingGolden()) {
    std::filesystem::create_directories(golden.parent_path());
    testing::WriteFile(golden, out.str());
    GTEST_SKIP() << "rewrote " << golden;
  }
  ASSERT_TRUE(std::filesystem::exists(golden))
      << "missing " << golden << " (run with UPDATE_GOLDEN=1)";
  EXPECT_EQ(out.str(), ReadFile(golden));
}

std::string Name(const ::testing::TestParamInfo<std::filesystem::path>& info) {
  std::string name = info.param.stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Examples, Golden, ::testing::ValuesIn(FilesUnder("examples", ".yaml")),
                         Name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

TEST(Golden, EveryExampleHasAGoldenFile) {
  const auto examples = FilesUnder("examples", ".yaml");
  EXPECT_GE(examples.size(), 4u);
  for (const auto& golden : FilesUnder("tests/golden", ".json")) {
    EXPECT_TRUE(
        std::filesystem::exists(SourceDir() / "examples" / (golden.stem().string() + ".yaml")))
        << golden << " has no example";
  }
}

}  // namespace
}  // namespace assure

namespace assure {
namespace {

// Together the examples make every check pass somewhere and fail somewhere.
TEST(Examples, ExerciseEveryChecksPassAndFail) {
  std::map<std::string, std::set<std::string>> seen;
  for (const auto& example : testing::FilesUnder("examples", ".yaml")) {
    Arrangements a = testing::MustLoad(testing::ReadFile(example), example.string());
    for (const Finding& f : RunChecks(a, a.authority.as_of).findings) {
      seen[f.check].insert(std::string(NameOf(f.status)));
    }
  }
  for (const CheckInfo& c : Checks()) {
    const auto& statuses = seen[std::string(c.id)];
    EXPECT_TRUE(statuses.count("pass")) << c.id << " passes in no example";
    EXPECT_TRUE(statuses.count("fail") || statuses.count("departure"))
        << c.id << " fails in no example";
  }
}

}  // namespace
}  // namespace assure
