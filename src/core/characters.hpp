// Which characters text may hold, and text made safe to print. Text from outside (names, titles,
// reasons) may not hold control characters, which can rewrite a terminal (ESC) or cut a string
// short (NUL), nor the Unicode bidirectional overrides and isolates, which make text read in
// another order than it is stored. Whatever reaches a terminal is escaped all the same, for text
// stored before these rules, or that came some other way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace assure {

// The first character `text` may not hold, as words ("the control character U+001B"), or
// nothing when it has none. Refused: the C0 controls (U+0000 to U+001F, tab and line feed
// excepted in `free_text`), DEL and the C1 controls (U+007F to U+009F), the bidirectional
// embeddings and overrides (U+202A to U+202E) and isolates (U+2066 to U+2069). `text` is taken
// as UTF-8; a byte that is not part of a UTF-8 character is refused too.
std::optional<std::string> RefusedCharacter(std::string_view text, bool free_text);

// `text` with every character RefusedCharacter would refuse (tab and line feed included) written
// as an escape: `\t`, `\n`, `\x1b`, `\u{202e}`; a byte that is not UTF-8 as `\xff`; a backslash
// stays as it is. Text with none of these comes back unchanged.
std::string EscapeForTerminal(std::string_view text);

}  // namespace assure
