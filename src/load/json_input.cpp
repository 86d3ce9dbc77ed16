#include "load/json_input.hpp"

#include <utility>

#include "load/yaml_tree.hpp"

namespace assure::load {
namespace {

using nlohmann::ordered_json;

// Thrown by the parser's callback to stop at once at a collection nested too deeply.
struct TooDeep {};

// Line and column of a byte offset.
std::pair<int, int> Position(std::string_view text, size_t byte) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// What went wrong, in words, from the library's error (whose own text names its internals).
std::string Why(const ordered_json::parse_error& e, std::string_view text) {
  const std::string what = e.what();
  if (what.find("UTF-8") != std::string::npos) return "it holds text that is not valid UTF-8";
  if (e.byte > text.size() || what.find("unexpected end of input") != std::string::npos) {
    return "it ends too early (cut short?)";
  }
  if (what.find("control character") != std::string::npos) {
    return "a string holds a control character that is not escaped";
  }
  return "it is not valid JSON";
}

}  // namespace

Result<ordered_json> ParseJsonInput(std::string_view text, const std::string& name,
                                    const std::string& field) {
  auto fail = [&](int line, int column, std::string message) {
    return std::vector<Error>{
        Error{ErrorCode::kInvalid, name, line, column, field, std::move(message)}};
  };
  // The callback sees each collection as it opens, with the number of collections around it.
  const auto bounded = [](int depth, ordered_json::parse_event_t event, ordered_json&) {
    if ((event == ordered_json::parse_event_t::object_start ||
         event == ordered_json::parse_event_t::array_start) &&
        depth >= yaml::kMaxDepth) {
      throw TooDeep{};
    }
    return true;
  };
  try {
    return ordered_json::parse(text.begin(), text.end(), bounded);
  } catch (const TooDeep&) {
    return fail(0, 0,
                "the JSON is nested more than " + std::to_string(yaml::kMaxDepth) + " levels deep");
  } catch (const ordered_json::parse_error& e) {
    const auto [line, column] = Position(text, e.byte > 0 ? e.byte - 1 : 0);
    return fail(line, column,
                "malformed JSON at line " + std::to_string(line) + ", column " +
                    std::to_string(column) + ": " + Why(e, text));
  } catch (const ordered_json::out_of_range&) {
    // The parser's only range error: a number beyond a double (1e400).
    return fail(0, 0, "the JSON holds a number too large to be read");
  } catch (const ordered_json::exception&) {
    return fail(0, 0, "the JSON cannot be read");
  }
}

}  // namespace assure::load
