#include "core/characters.hpp"

#include <gtest/gtest.h>

namespace assure {
namespace {

TEST(Characters, RefusedCharacters) {
  const struct {
    std::string text;
    bool free_text;
    std::string refused;  // "" when accepted; else a word of the message
  } cases[] = {
      {"Chris Chief", false, ""},
      {"Zoë Ōkubo-Ñúñez, 主任", false, ""},
      {"", false, ""},
      {"a\tb", true, ""},
      {"line one\nline two", true, ""},
      {"a\tb", false, "U+0009"},
      {"line one\nline two", false, "U+000A"},
      {"carriage\rreturn", true, "U+000D"},
      {std::string("nul\0byte", 8), true, "U+0000"},
      {"esc\033[2J", true, "U+001B"},
      {"del\x7f", true, "U+007F"},
      {"c1\u0085", true, "U+0085"},
      {"rlo\u202e", true, "U+202E"},
      {"lre\u202a", true, "U+202A"},
      {"rli\u2067", true, "U+2067"},
      {"pdi\u2069", true, "U+2069"},
      {"bad\xff", true, "not UTF-8"},
      {"overlong\xc0\xaf", true, "not UTF-8"},
      {"cut\xe2\x80", true, "not UTF-8"},
      {"surrogate\xed\xa0\x80", true, "not UTF-8"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto refused = RefusedCharacter(c.text, c.free_text);
    if (c.refused.empty()) {
      EXPECT_FALSE(refused.has_value()) << *refused;
    } else {
      ASSERT_TRUE(refused.has_value());
      EXPECT_NE(refused->find(c.refused), std::string::npos) << *refused;
    }
  }
}

TEST(Characters, EscapeForTerminal) {
  const struct {
    std::string text;
    std::string escaped;
  } cases[] = {
      {"Chris Chief", "Chris Chief"},
      {"Zoë \\ Ōkubo", "Zoë \\ Ōkubo"},
      {"a\tb\nc", "a\\tb\\nc"},
      {"\033[2J\033]0;title\007", "\\x1b[2J\\x1b]0;title\\x07"},
      {std::string("nul\0", 4), "nul\\x00"},
      {"\u202eevil\u2066", "\\u{202e}evil\\u{2066}"},
      {"c1\u0085", "c1\\u{0085}"},
      {"bad\xff\xfe", "bad\\xff\\xfe"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(EscapeForTerminal(c.text), c.escaped);
    EXPECT_FALSE(RefusedCharacter(EscapeForTerminal(c.text), false).has_value());
  }
}

}  // namespace
}  // namespace assure
