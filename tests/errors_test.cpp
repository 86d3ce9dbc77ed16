// One broken file per kind of loader error: tests/errors/<name>.yaml, whose leading
// `# expect-error: LINE:COL WORD` lines list exactly the errors the loader must report (their
// positions, and a word each message contains).
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "load/arrangements_yaml.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

using testing::FilesUnder;
using testing::ReadFile;

class LoaderError : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(LoaderError, ReportsEveryErrorWithItsPosition) {
  const std::string text = ReadFile(GetParam());
  const std::regex expect_line(R"(^#\s*expect-error:\s*(\d+):(\d+)\s+(\S+)\s*$)");
  std::istringstream lines(text);
  std::string line;
  struct Expected {
    int line;
    int column;
    std::string word;
  };
  std::vector<Expected> expected;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, expect_line)) {
      expected.push_back({std::stoi(m[1]), std::stoi(m[2]), m[3]});
    }
  }
  ASSERT_FALSE(expected.empty()) << "no '# expect-error: LINE:COL WORD' line";
  Result<Arrangements> loaded = load::ParseArrangements(text, GetParam().filename().string());
  ASSERT_FALSE(loaded.ok()) << "the file loaded, but should not";
  std::string all;
  for (const Error& e : loaded.errors()) all += e.ToString() + "\n";
  EXPECT_EQ(loaded.errors().size(), expected.size()) << all;
  for (const Expected& x : expected) {
    bool found = false;
    for (const Error& e : loaded.errors()) {
      if (e.line == x.line && e.column == x.column && e.message.find(x.word) != std::string::npos) {
        found = true;
      }
    }
    EXPECT_TRUE(found) << "no error at " << x.line << ":" << x.column << " mentioning '" << x.word
                       << "'; got:\n"
                       << all;
  }
  for (const Error& e : loaded.errors()) {
    EXPECT_EQ(e.file, GetParam().filename().string());
    EXPECT_GT(e.line, 0) << e.message;
  }
}

std::string CaseName(const ::testing::TestParamInfo<std::filesystem::path>& info) {
  std::string name = info.param.stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, LoaderError,
                         ::testing::ValuesIn(FilesUnder("tests/errors", ".yaml")), CaseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(LoaderError);

}  // namespace
}  // namespace assure
