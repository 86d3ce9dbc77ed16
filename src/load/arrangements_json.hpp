// Arrangements as JSON, for the API: the same shape as the arrangements file, and the same
// rules. JSON read here is validated by the very reader that validates YAML files, so data is
// judged alike whichever way it arrives.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/arrangements.hpp"
#include "core/error.hpp"

namespace assure::load {

// Parses a JSON document of the arrangements file's shape. Returns the arrangements or every
// error: malformed JSON at its line and column, otherwise each error naming its field path
// (`posts[2].holder`), as for a YAML file. `name` labels the errors (e.g. "request body").
Result<Arrangements> ParseArrangementsJson(std::string_view json, const std::string& name);

// The same, from a JSON value already parsed (errors name their field path only). Requires:
// `document` nested no deeper than yaml::kMaxDepth, as ParseJsonInput (json_input.hpp) makes
// sure of for input from outside.
Result<Arrangements> ParseArrangementsJsonValue(const nlohmann::ordered_json& document,
                                                const std::string& name);

// A change of one entry of one of the arrangements' lists (people, posts, members, bodies,
// functions_commissioned; assurance's reviews, changes, departures).
struct EntryEdit {
  std::string_view list;                          // the list's name: "posts", "reviews"...
  bool in_assurance = false;                      // a list of `assurance`
  long index = -1;                                // the entry replaced or removed; -1: add
  const nlohmann::ordered_json* entry = nullptr;  // the new entry (the file's shape); null: remove
};

// The arrangements with `edit` made, read and validated as a whole by the same reader as files:
// every error names its field path (`posts[2].holder`), the list's positions as after the edit.
// `name` labels the errors. Requires: `edit.entry` nested no deeper than yaml::kMaxDepth. Cheaper
// than writing the whole document to JSON and reading it back.
Result<Arrangements> EditArrangements(const Arrangements& current, const EntryEdit& edit,
                                      const std::string& name);

// The arrangements as a JSON document of the file's shape (booleans, numbers and dates typed as
// the format says: dates as "YYYY-MM-DD" strings), indented by two spaces.
std::string ArrangementsToJson(const Arrangements& arrangements);

// The same document as a JSON value, its fields in the file's order (arrangements_writer.cpp:
// the walk that writes files).
nlohmann::ordered_json ArrangementsJsonValue(const Arrangements& arrangements);

// The same with every object's keys sorted (nlohmann::json), as the history's diffs use.
nlohmann::json ArrangementsJsonSorted(const Arrangements& arrangements);

}  // namespace assure::load
