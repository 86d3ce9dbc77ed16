// What `assure check` and `assure import` make of hostile input: only regular files of at most
// 64 MB are read (not /dev/zero, a directory or a huge file); control and bidirectional
// characters are refused in text and reasons; whatever reaches the terminal is escaped.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli.hpp"
#include "cli_run.hpp"
#include "core/checks.hpp"
#include "report/text.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

using testing::Assure;
using testing::Outcome;

// A directory of this test process's own.
std::filesystem::path Scratch() {
  const auto dir =
      std::filesystem::temp_directory_path() / ("assure-cli-input-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string Example() { return testing::ReadFile("examples/twin-hatter-city.yaml"); }

bool HasControl(const std::string& text) {
  for (char c : text) {
    if (c == '\033' || c == '\0') return true;
  }
  return text.find("\u202e") != std::string::npos;
}

TEST(CliInput, OnlyRegularFilesAreRead) {
  const auto dir = Scratch();
  const auto huge = dir / "huge.yaml";
  { std::ofstream make(huge); }
  std::filesystem::resize_file(huge, (std::uintmax_t{64} << 20) + 1);  // sparse: no disk used
  const struct {
    std::string path;
    std::string said;
  } cases[] = {
      {"/dev/zero", "not a regular file"},
      {dir.string(), "directory"},
      {huge.string(), "64 MB"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    const auto start = std::chrono::steady_clock::now();
    const Outcome check = Assure({"check", c.path});
    EXPECT_EQ(check.code, 2);
    EXPECT_NE(check.err.find(c.path + ": "), std::string::npos) << check.err;
    EXPECT_NE(check.err.find(c.said), std::string::npos) << check.err;
    EXPECT_EQ(check.err.find("empty"), std::string::npos) << check.err;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    const std::string db = (dir / "import.db").string();
    const Outcome import = Assure({"import", c.path, "--reason", "Load", "--db", db});
    EXPECT_EQ(import.code, 2);
    EXPECT_NE(import.err.find(c.said), std::string::npos) << import.err;
    EXPECT_FALSE(std::filesystem::exists(db));
  }
  std::filesystem::remove_all(dir);
}

TEST(CliInput, ControlCharactersAreRefusedNamingTheField) {
  const auto dir = Scratch();
  std::string text = Example();
  const size_t at = text.find("name: ");
  ASSERT_NE(at, std::string::npos);
  const size_t end = text.find('\n', at);
  text.replace(at, end - at, "name: \"Evil \\e[2J\\u202E Council\"");
  const auto file = dir / "evil.yaml";
  testing::WriteFile(file, text);
  const Outcome check = Assure({"check", file.string()});
  EXPECT_EQ(check.code, 2);
  EXPECT_NE(check.err.find("authority.name: holds the control character U+001B"), std::string::npos)
      << check.err;
  EXPECT_FALSE(HasControl(check.err)) << check.err;

  // An unknown key is quoted in its error: escaped on the terminal.
  std::string key = Example();
  key.insert(key.find("  name: "), "  \"na\\eme\\u202E\": x\n");
  testing::WriteFile(file, key);
  const Outcome quoted = Assure({"check", file.string()});
  EXPECT_EQ(quoted.code, 2);
  EXPECT_NE(quoted.err.find("na\\x1bme\\u{202e}"), std::string::npos) << quoted.err;
  EXPECT_FALSE(HasControl(quoted.err)) << quoted.err;

  const auto good = dir / "good.yaml";
  testing::WriteFile(good, Example());
  const std::string db = (dir / "reason.db").string();
  const Outcome reason = Assure({"import", good.string(), "--reason", "Load\033[2J", "--db", db});
  EXPECT_EQ(reason.code, 2);
  EXPECT_NE(reason.err.find("--reason: holds the control character U+001B"), std::string::npos)
      << reason.err;
  EXPECT_FALSE(std::filesystem::exists(db));
  std::filesystem::remove_all(dir);
}

// Text stored before the rules (or by another way in) is escaped when it is printed.
TEST(CliInput, HistoryAndFindingsEscapeWhatTheyPrint) {
  const auto dir = Scratch();
  const std::string db = (dir / "old.db").string();
  {
    auto store = store::OpenStore(db);
    ASSERT_TRUE(store.ok());
    const Arrangements a = testing::MustLoad(Example());
    ASSERT_TRUE(store.value()->Import(a, {"mallory", "Load", ""}).ok());
  }
  {
    // The store refuses such text now; put it there behind its back, as text stored before the
    // rule would be.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "DROP TRIGGER history_no_update; UPDATE history SET author = "
                           "'mallory' || char(27) || ']0;x' || char(7), reason = 'Load' || "
                           "char(27) || '[2J' || char(8238)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(raw);
    sqlite3_close(raw);
  }
  std::string id;
  {
    auto store = store::OpenStore(db);
    id = store.value()->ListAuthorities().value().front().id;
  }
  const Outcome history = Assure({"history", id, "--db", db});
  EXPECT_EQ(history.code, 0) << history.err;
  EXPECT_NE(history.out.find("mallory\\x1b]0;x\\x07"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("Load\\x1b[2J\\u{202e}"), std::string::npos) << history.out;
  EXPECT_FALSE(HasControl(history.out)) << history.out;

  const Arrangements a = testing::MustLoad(Example());
  report::TextOptions options;
  options.name = "Evil\033[2J\u202e Council";
  const std::string text = report::CheckReportText(RunChecks(a, a.authority.as_of), options);
  EXPECT_NE(text.find("Evil\\x1b[2J\\u{202e} Council"), std::string::npos) << text;
  EXPECT_FALSE(HasControl(text)) << text;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace assure
