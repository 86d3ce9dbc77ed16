// JSON from outside (request bodies, JSON arrangements files) parsed with the bounds every reader
// of untrusted input keeps: at most yaml::kMaxDepth levels of nesting, like the YAML reader, and
// no exception out. The errors are plain sentences with a position; the JSON library's own
// wording stays inside.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace assure::load {

// Parses `text` as one JSON value. Returns it, or one kInvalid error naming `name` (as its file)
// and `field`: malformed JSON, text that is not UTF-8 and JSON cut short at their line and
// column; a number too large for a double; nesting deeper than yaml::kMaxDepth.
Result<nlohmann::ordered_json> ParseJsonInput(std::string_view text, const std::string& name,
                                              const std::string& field = {});

}  // namespace assure::load
