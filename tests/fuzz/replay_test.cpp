// Replays the fuzz corpus (seeds and every crashing input ever found, tests/fuzz/corpus) and a
// fixed-seed stream of mutations of the examples through the fuzz target's function, so that
// `make test` exercises hostile input on every run, with or without a fuzzer.
#include <gtest/gtest.h>

#include <random>

#include "test_support.hpp"

namespace assure::fuzz {
void OneInput(std::string_view bytes);
}

namespace assure {
namespace {

TEST(Fuzz, CorpusReplays) {
  const auto files = testing::FilesUnder("tests/fuzz/corpus", "*");
  for (const auto& path : files) {
    if (path.filename() == "README.md") continue;
    SCOPED_TRACE(path.string());
    fuzz::OneInput(testing::ReadFile(path));
  }
  EXPECT_GE(files.size(), 5u);
}

// Byte-level mutations (flip, delete, duplicate, splice) of every example, from a fixed seed.
TEST(Fuzz, MutatedExamplesNeverCrashTheLoaders) {
  std::mt19937 random(20261124);
  const auto examples = testing::FilesUnder("examples", ".yaml");
  ASSERT_FALSE(examples.empty());
  const std::string tokens[] = {":",   "- ",   "{",    "}",          "[",  "]",   "\n",
                                "  ",  "~",    "&a",   "*a",         "'",  "\"",  "#",
                                "---", "null", "true", "2017-02-30", "\t", "\xff"};
  int loaded = 0;
  for (const auto& path : examples) {
    const std::string original = testing::ReadFile(path);
    for (int round = 0; round < 300; ++round) {
      std::string text = original;
      const int edits = 1 + static_cast<int>(random() % 4);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        const size_t at = random() % text.size();
        switch (random() % 4) {
          case 0:
            text[at] = static_cast<char>(random() % 256);
            break;
          case 1:
            text.erase(at, 1 + random() % 16);
            break;
          case 2:
            text.insert(at, text.substr(random() % text.size(), 1 + random() % 32));
            break;
          default:
            text.insert(at, tokens[random() % std::size(tokens)]);
            break;
        }
      }
      fuzz::OneInput(text);
      ++loaded;
    }
  }
  EXPECT_EQ(loaded, static_cast<int>(examples.size()) * 300);
}

}  // namespace
}  // namespace assure
