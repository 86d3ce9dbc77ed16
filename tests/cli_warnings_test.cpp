// What a new user meets at the command line beyond the findings: warnings of likely slips (text on
// stderr, JSON in each report), and the help of every command.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.hpp"
#include "cli_run.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

using testing::Assure;
using testing::Outcome;

std::string Example() {
  return testing::ReadFile(testing::SourceDir() / "examples/shared-dcs-unitary.yaml");
}

// The example with `from` replaced by `to` (which must be found), in a file of this process's own.
std::string Edited(const std::string& name, const std::string& from, const std::string& to) {
  std::string text = Example();
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  const auto path = std::filesystem::temp_directory_path() /
                    ("assure-cli-warnings-" + std::to_string(getpid()) + "-" + name);
  testing::WriteFile(path, text);
  return path.string();
}

TEST(CliWarnings, TextOnStandardErrorWithFieldAndCodeExitStatusUnchanged) {
  const std::string clean = Edited("clean.yaml", "as_of: 2021-07-15", "as_of: 2021-07-15");
  const std::string slipped = Edited("slipped.yaml", "gss_code: E06000999", "gss_code: E1000099 ");
  const Outcome before = Assure({"check", clean});
  const Outcome after = Assure({"check", slipped});
  EXPECT_EQ(before.err.find("warning"), std::string::npos) << before.err;
  EXPECT_EQ(after.code, before.code) << "a warning never changes the exit status";
  EXPECT_EQ(after.out, before.out) << "the report on stdout is the findings alone";
  EXPECT_NE(after.err.find(slipped + ": warning: authority.gss_code: 'E1000099' is not the GSS "
                                     "code of an upper-tier authority"),
            std::string::npos)
      << after.err;
  EXPECT_NE(after.err.find("[not-a-gss-code]"), std::string::npos) << after.err;
}

TEST(CliWarnings, JsonCarriesThemInEachReport) {
  const std::string slipped =
      Edited("review.yaml", "date: 2021-06-24", "date: 2027-06-24");  // the year mistyped
  const Outcome r = Assure({"check", "--format", "json", slipped});
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << "JSON keeps them in the report";
  const auto json = nlohmann::json::parse(r.out);
  ASSERT_TRUE(json["warnings"].is_array()) << r.out;
  bool found = false;
  for (const auto& w : json["warnings"]) {
    EXPECT_TRUE(w.contains("code") && w.contains("message") && w.contains("field")) << w;
    if (w["code"] == "dated-after-as-of") {
      found = true;
      EXPECT_EQ(w["field"], "assurance.reviews[1].date");
    }
  }
  EXPECT_TRUE(found) << json["warnings"];
  // A clean file has the array, empty: scripts need not test for it.
  const Outcome clean = Assure({"check", "--format", "json", Edited("c.yaml", "as_of", "as_of")});
  EXPECT_EQ(nlohmann::json::parse(clean.out)["warnings"], nlohmann::json::array());
}

TEST(CliWarnings, AsOfEarlierThanTheFileSaysWhereTheOldArrangementsAre) {
  const std::string file = Edited("early.yaml", "as_of", "as_of");
  const Outcome r = Assure({"check", "--as-of", "2020-01-01", file});
  EXPECT_NE(r.err.find("warning: authority.as_of: judging at 2020-01-01, earlier than the file's "
                       "as_of (2021-07-15)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("assure export AUTHORITY --at 2020-01-01"), std::string::npos) << r.err;
  EXPECT_EQ(Assure({"check", "--as-of", "2022-01-01", file}).err.find("judging at"),
            std::string::npos);
}

TEST(CliHelp, EveryCommandPrintsItsOwnHelp) {
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"check"},
                                             {"history"},
                                             {"user"},
                                             {"user", "add"},
                                             {"user", "grant"},
                                             {"import"},
                                             {"export"},
                                             {"verify"},
                                             {"serve"}}) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    const Outcome r = Assure(args);
    std::string name = "assure";
    for (const std::string& word : command) name += " " + word;
    EXPECT_EQ(r.code, 0) << name << r.err;
    EXPECT_NE(r.out.find("Usage: " + name + " "), std::string::npos) << name << ":\n" << r.out;
    EXPECT_NE(r.out.find("Example"), std::string::npos) << name << ":\n" << r.out;
  }
}

}  // namespace
}  // namespace assure

namespace assure {
namespace {

TEST(CliWords, AnBeforeAVowel) {
  const std::string reference = Assure({"schema", "--format", "markdown"}).out;
  for (const char* wrong : {" a authority", " a assurance", " a id", " a item"}) {
    EXPECT_EQ(reference.find(wrong), std::string::npos) << wrong;
  }
  const std::string file =
      Edited("field.yaml", "  as_of: 2021-07-15", "  as_of: 2021-07-15\n  mayor: x");
  const Outcome r = Assure({"check", file});
  EXPECT_NE(r.err.find("unknown field 'mayor' in an authority"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace assure
