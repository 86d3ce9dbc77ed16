#include "load/yaml_errors.hpp"

namespace assure::yaml {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

// The text of 1-based line `n`, without its line break; empty past the end.
std::string_view LineAt(std::string_view source, int n) {
  size_t begin = 0;
  for (int i = 1; i < n; ++i) {
    const size_t nl = source.find('\n', begin);
    if (nl == std::string_view::npos) return {};
    begin = nl + 1;
  }
  std::string_view line = source.substr(begin, source.find('\n', begin) - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// The byte offset of 1-based character column `column` in `line` (libyaml counts characters).
size_t ByteOf(std::string_view line, int column) {
  size_t at = 0;
  for (int c = 1; c < column && at < line.size(); ++c) {
    ++at;
    while (at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80) ++at;
  }
  return at;
}

// The key a line starts with (after its indent and any "- "), where it starts (0-based byte),
// and where its ':' is; found only for a plain key followed by ": " or ":" at the end.
struct LineKey {
  std::string_view key;
  size_t column = 0;
  size_t colon = std::string_view::npos;
  bool found() const { return colon != std::string_view::npos; }
};

LineKey KeyOf(std::string_view line) {
  LineKey out;
  size_t at = 0;
  while (at < line.size()) {
    if (line[at] == ' ' || line[at] == '\t') {
      ++at;
    } else if (line[at] == '-' && (at + 1 == line.size() || line[at + 1] == ' ')) {
      ++at;
    } else {
      break;
    }
  }
  out.column = at;
  if (at >= line.size() || line[at] == '#' || line[at] == '"' || line[at] == '\'' ||
      line[at] == '[' || line[at] == '{') {
    return out;
  }
  for (size_t i = at; i < line.size(); ++i) {
    if (line[i] == ':' && (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t')) {
      out.key = line.substr(at, i - at);
      out.colon = i;
      return out;
    }
  }
  return out;
}

bool IsContent(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && line[first] != '#';
}

// The nearest line above `line` with content (not blank, not only a comment), or 0.
int ContentLineAbove(std::string_view source, int line) {
  for (int n = line - 1; n >= 1; --n) {
    if (IsContent(LineAt(source, n))) return n;
  }
  return 0;
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// The value written after a key on its line, without surrounding spaces or a trailing comment.
std::string_view ValueAfter(std::string_view line, size_t colon) {
  std::string_view v = line.substr(colon + 1);
  const size_t comment = v.find(" #");
  if (comment != std::string_view::npos) v = v.substr(0, comment);
  const size_t first = v.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  v = v.substr(first);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// A value in quotes, as the user should write it.
std::string InQuotes(std::string_view value) {
  constexpr size_t kShown = 60;
  std::string shown(value.substr(0, kShown));
  if (value.size() > kShown) shown += "...";
  if (value.find('"') == std::string_view::npos) return "\"" + shown + "\"";
  if (value.find('\'') == std::string_view::npos) return "'" + shown + "'";
  return "\"" + shown + "\" (with each \" inside written \\\")";
}

// The first line from `from` to `to` (excluded) whose value opens a quote it does not close.
int UnclosedQuote(std::string_view source, int from, int to) {
  for (int n = std::max(from, 1); n < to; ++n) {
    const std::string_view line = LineAt(source, n);
    const LineKey k = KeyOf(line);
    std::string_view value;
    if (k.found()) {
      value = ValueAfter(line, k.colon);
    } else {
      value = line.substr(k.column);
    }
    if (value.empty() || (value[0] != '"' && value[0] != '\'')) continue;
    const char quote = value[0];
    size_t i = 1;
    bool closed = false;
    while (i < value.size()) {
      if (quote == '"' && value[i] == '\\') {
        i += 2;
        continue;
      }
      if (value[i] == quote) {
        if (quote == '\'' && i + 1 < value.size() && value[i + 1] == '\'') {
          i += 2;
          continue;
        }
        closed = true;
        break;
      }
      ++i;
    }
    if (!closed) return n;
  }
  return 0;
}

struct Explained {
  std::string words;
  std::vector<PathStep> where;
};

// `where` with `key` as its last step: in place of `above` (the key whose value the parser was
// reading when the line with `key` broke it), or after the steps to the entry.
std::vector<PathStep> WithKey(std::vector<PathStep> where, std::string_view key,
                              std::string_view above = {}) {
  if (!where.empty() && !above.empty() && where.back().key == above) where.pop_back();
  if (!key.empty() && (where.empty() || where.back().key != key)) {
    where.push_back(PathStep{std::string(key), 0, {}});
  }
  return where;
}

// `in_mapping`: the parser was reading a mapping (not a list), so a key further out than the one
// above may belong beside a key further up.
std::string NotAligned(std::string_view source, int line_number, const LineKey& key,
                       bool in_mapping) {
  const int above = ContentLineAbove(source, line_number);
  const LineKey above_key = (above > 0 ? KeyOf(LineAt(source, above)) : LineKey{});
  if (in_mapping && key.found() && above_key.found() && key.column < above_key.column) {
    for (int n = ContentLineAbove(source, above); n > 0; n = ContentLineAbove(source, n)) {
      const LineKey outer = KeyOf(LineAt(source, n));
      if (!outer.found() || outer.column > key.column) continue;
      return Quoted(key.key) + " on line " + std::to_string(line_number) +
             " is between two levels: align it with " + Quoted(outer.key) + " on line " +
             std::to_string(n) + " (column " + std::to_string(outer.column + 1) + ", not " +
             std::to_string(key.column + 1) + ") if it belongs beside it, or with " +
             Quoted(above_key.key) + " on line " + std::to_string(above) + " (column " +
             std::to_string(above_key.column + 1) + ") if it belongs inside it";
    }
  }
  std::string out;
  if (key.found() && above_key.found()) {
    out = Quoted(key.key) + " on line " + std::to_string(line_number) + " is not aligned with " +
          Quoted(above_key.key) + " on line " + std::to_string(above) + ": ";
  } else {
    out = "line " + std::to_string(line_number) + " is not aligned with the lines above it: ";
  }
  out +=
      "the keys of one entry start in the same column, and so do the '-' of one list's items; "
      "align the key with the one above";
  if (above_key.found() && key.found() && above_key.column != key.column) {
    out += " (column " + std::to_string(above_key.column + 1) + ", not " +
           std::to_string(key.column + 1) + ")";
  }
  return out;
}

Explained Explain(const SyntaxProblem& p, std::string_view source,
                  const std::vector<PathStep>& where) {
  const std::string_view line = LineAt(source, p.line);
  const size_t at = ByteOf(line, p.column);
  const char found = at < line.size() ? line[at] : '\0';
  const std::string line_name = "line " + std::to_string(p.line);

  const LineKey key = KeyOf(line);
  const int above = ContentLineAbove(source, p.line);
  const LineKey above_key = (above > 0 ? KeyOf(LineAt(source, above)) : LineKey{});
  if (Contains(p.problem, "tab character") ||
      (Contains(p.problem, "cannot start any token") && found == '\t')) {
    return {line_name + " is indented with a tab: indent with spaces, not tabs",
            WithKey(where, key.key, above_key.key)};
  }
  if (StartsWith(p.problem, "mapping values are not allowed")) {
    if (key.found() && key.colon < at) {
      const std::string_view value = ValueAfter(line, key.colon);
      return {"the value of " + Quoted(key.key) +
                  " contains ': ', which YAML reads as the start of another key: put the whole "
                  "value in quotes, as in " +
                  std::string(key.key) + ": " + InQuotes(value),
              WithKey(where, key.key)};
    }
    if (key.found() && above_key.found() && key.column > above_key.column) {
      return {Quoted(key.key) + " is indented more than " + Quoted(above_key.key) + " on line " +
                  std::to_string(above) + ", so YAML reads it as part of the value of " +
                  Quoted(above_key.key) + ": align " + Quoted(key.key) + " with " +
                  Quoted(above_key.key) + " (column " + std::to_string(above_key.column + 1) +
                  ", not " + std::to_string(key.column + 1) + ")",
              WithKey(where, key.key, above_key.key)};
    }
    return {
        "a ':' followed by a space is not allowed here: if it is part of a value, put the "
        "value in quotes; if it ends a key, align the key with the one above",
        where};
  }
  if (StartsWith(p.problem, "did not find expected key") ||
      StartsWith(p.problem, "did not find expected '-' indicator")) {
    if (const int open = UnclosedQuote(source, p.context_line, p.line)) {
      return {"the quoted value on line " + std::to_string(open) +
                  " is not closed on its line: add the closing quote",
              where};
    }
    // A block list that wanted its next '-' has closed the entry the line belongs to.
    std::vector<PathStep> entry = where;
    if (StartsWith(p.problem, "did not find expected '-'") && !entry.empty() &&
        entry.back().key.empty() && entry.back().index > 0) {
      --entry.back().index;
      entry.back().id.clear();
    }
    return {NotAligned(source, p.line, key, StartsWith(p.problem, "did not find expected key")),
            WithKey(entry, key.key, above_key.key)};
  }
  if (Contains(p.problem, "unexpected end of stream") && Contains(p.context, "quoted scalar")) {
    return {"the quoted value that starts on line " + std::to_string(p.context_line) +
                " is never closed: add the closing quote",
            where};
  }
  if (StartsWith(p.problem, "could not find expected ':'")) {
    const int start = p.context_line > 0 ? p.context_line : p.line;
    return {"line " + std::to_string(start) +
                " is neither 'key: value' nor a list item ('- ...'): add the key and its ':', "
                "or, if it continues the value above, indent it more than that value's key",
            where};
  }
  if (StartsWith(p.problem, "did not find expected ',' or ']'") ||
      StartsWith(p.problem, "did not find expected ',' or '}'")) {
    const bool list = Contains(p.problem, "']'");
    return {std::string(list ? "the list in [ ]" : "the mapping in { }") + " that starts on line " +
                std::to_string(p.context_line) + " is not closed: end it with " +
                (list ? "']'" : "'}'") + ", and put in quotes any value in it that contains ',' " +
                "or starts with " + (list ? "'['" : "'{'"),
            where};
  }
  if (Contains(p.problem, "cannot start any token") && found != '\0') {
    return {"a value cannot start with '" + std::string(1, found) +
                "' unless it is in quotes: put the value in quotes",
            where};
  }
  if (StartsWith(p.problem, "block sequence entries are not allowed")) {
    return {
        "a list item ('- ') cannot follow a key on the same line: put each item on its own "
        "line under the key, indented, or write the list as [a, b]",
        where};
  }
  if (Contains(p.problem, "unknown escape character")) {
    return {
        "inside double quotes a backslash starts an escape: write \\\\ for a backslash, or "
        "put the value in single quotes",
        where};
  }
  if (Contains(p.problem, "expected <document start>")) {
    return {line_name +
                " is not aligned with the top-level keys above it: start each top-level key "
                "(authority, people, posts, ...) in the first column, and indent what belongs to "
                "it",
            where};
  }
  return {"the text is not valid YAML here", where};
}

}  // namespace

std::string FieldOf(const std::vector<PathStep>& steps) {
  std::string out;
  for (const PathStep& s : steps) {
    if (s.key.empty()) {
      out += "[" + std::to_string(s.index) + "]";
    } else {
      if (!out.empty()) out += '.';
      out += s.key;
    }
  }
  return out;
}

std::string DisplayOf(const std::vector<PathStep>& steps) {
  std::string out;
  for (const PathStep& s : steps) {
    if (s.key.empty()) {
      out += "[" + std::to_string(s.index) + "]";
      if (!s.id.empty()) out += " (" + s.id + ")";
    } else {
      if (!out.empty()) out += '.';
      out += s.key;
    }
  }
  return out;
}

SyntaxMessage ExplainSyntaxError(const SyntaxProblem& problem, std::string_view source,
                                 const std::vector<PathStep>& where) {
  const Explained e = Explain(problem, source, where);
  std::string out = "YAML syntax error";
  if (!e.where.empty()) out += " in " + DisplayOf(e.where);
  out += ": " + e.words + " (the YAML parser says: " + std::string(problem.problem);
  if (!problem.context.empty()) out += ", " + std::string(problem.context);
  out += ")";
  return {out, FieldOf(e.where)};
}

}  // namespace assure::yaml
