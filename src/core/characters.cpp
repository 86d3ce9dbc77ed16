#include "core/characters.hpp"

#include <cstdint>
#include <cstdio>

namespace assure {
namespace {

// The code point that starts at `text[at]` and its length in bytes, or a length of 0 when the
// bytes there are not a well-formed UTF-8 character (overlong forms and surrogates included).
struct Decoded {
  char32_t code = 0;
  size_t length = 0;
};

Decoded Decode(std::string_view text, size_t at) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char first = byte(0);
  if (first < 0x80) return {first, 1};
  size_t length = 0;
  char32_t code = 0;
  char32_t least = 0;
  if ((first & 0xE0) == 0xC0) {
    length = 2, code = first & 0x1F, least = 0x80;
  } else if ((first & 0xF0) == 0xE0) {
    length = 3, code = first & 0x0F, least = 0x800;
  } else if ((first & 0xF8) == 0xF0) {
    length = 4, code = first & 0x07, least = 0x10000;
  } else {
    return {};
  }
  if (at + length > text.size()) return {};
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return {};
    code = (code << 6) | (byte(i) & 0x3F);
  }
  if (code < least || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
  return {code, length};
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

bool IsBidiControl(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string CodePoint(char32_t c) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(c));
  return text;
}

}  // namespace

std::optional<std::string> RefusedCharacter(std::string_view text, bool free_text) {
  for (size_t at = 0; at < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[at]);
    if (b >= 0x20 && b < 0x7F) {  // printable ASCII, the usual case
      ++at;
      continue;
    }
    const Decoded d = Decode(text, at);
    if (d.length == 0) return std::string("a byte that is not UTF-8 text");
    if (IsControl(d.code)) {
      if (!(free_text && (d.code == '\t' || d.code == '\n'))) {
        return "the control character " + CodePoint(d.code);
      }
    } else if (IsBidiControl(d.code)) {
      return "the bidirectional control character " + CodePoint(d.code) +
             " (it makes text show in another order than it is written)";
    }
    at += d.length;
  }
  return std::nullopt;
}

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[at]);
    if (b >= 0x20 && b < 0x7F) {
      out.push_back(static_cast<char>(b));
      ++at;
      continue;
    }
    const Decoded d = Decode(text, at);
    char escape[16];
    if (d.length == 0) {
      std::snprintf(escape, sizeof escape, "\\x%02x", b);
      out += escape;
      ++at;
      continue;
    }
    if (d.code == '\t') {
      out += "\\t";
    } else if (d.code == '\n') {
      out += "\\n";
    } else if (d.code < 0x80 && IsControl(d.code)) {
      std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned>(d.code));
      out += escape;
    } else if (IsControl(d.code) || IsBidiControl(d.code)) {
      std::snprintf(escape, sizeof escape, "\\u{%04x}", static_cast<unsigned>(d.code));
      out += escape;
    } else {
      out.append(text.substr(at, d.length));
    }
    at += d.length;
  }
  return out;
}

}  // namespace assure
