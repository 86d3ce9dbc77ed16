// Scenarios as data: each tests/cases/<check>/<case>.yaml is an arrangements file whose leading
// `# expect: CHECK STATUS` lines say what the checks must conclude. Adding a case means adding a
// file.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "core/checks.hpp"
#include "load/arrangements_yaml.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

using testing::FilesUnder;
using testing::ReadFile;

class CheckCase : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(CheckCase, FindingsAreAsExpected) {
  const std::string text = ReadFile(GetParam());
  const std::regex expect_line(R"(^#\s*expect:\s*(\S+)\s+(\S+)\s*$)");
  std::istringstream lines(text);
  std::string line;
  std::vector<std::pair<std::string, std::string>> expected;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, expect_line)) expected.emplace_back(m[1], m[2]);
  }
  ASSERT_FALSE(expected.empty()) << "no '# expect: CHECK STATUS' line";
  Result<Arrangements> loaded = load::ParseArrangements(text, GetParam().string());
  if (!loaded.ok()) {
    std::string all;
    for (const Error& e : loaded.errors()) all += e.ToString() + "\n";
    FAIL() << "the case does not load:\n" << all;
  }
  const CheckReport report = RunChecks(loaded.value(), loaded.value().authority.as_of);
  for (const auto& [check, status] : expected) {
    ASSERT_NE(FindCheck(check), nullptr) << "unknown check in expectation: " << check;
    for (const Finding& f : report.findings) {
      if (f.check != check) continue;
      EXPECT_EQ(NameOf(f.status), status) << check << ": " << f.message;
    }
  }
}

std::string CaseName(const ::testing::TestParamInfo<std::filesystem::path>& info) {
  std::string name =
      info.param.parent_path().filename().string() + "_" + info.param.stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, CheckCase, ::testing::ValuesIn(FilesUnder("tests/cases", ".yaml")),
                         CaseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CheckCase);

}  // namespace
}  // namespace assure
