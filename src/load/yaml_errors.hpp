// Plain words for YAML syntax errors. libyaml reports what its grammar could not accept ("mapping
// values are not allowed in this context"); a person writing an arrangements file needs to know
// what to change (quote the value, align the key with the one above, indent with spaces). Private
// to the load module; used by yaml_tree.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace assure::yaml {

// One step of the path to where the parser was: a mapping's key, or a list's item (with the
// item's `id` when it was read before the error).
struct PathStep {
  std::string key;  // empty for a list item
  size_t index = 0;
  std::string id;  // a list item's id, or empty
};

// "posts[1].holder", the path as the JSON API's `field` gives it.
std::string FieldOf(const std::vector<PathStep>& steps);
// "posts[1] (dcs-post).holder", the path as messages give it: with each entry's id.
std::string DisplayOf(const std::vector<PathStep>& steps);

// What libyaml said, and where.
struct SyntaxProblem {
  std::string_view problem;  // libyaml's words
  std::string_view context;  // what it was parsing ("while parsing a block mapping"), or empty
  int line = 0;              // 1-based, where the problem was found
  int column = 0;            // 1-based, in characters
  int context_line = 0;      // where the construct it was parsing started; 0 when none
  int context_column = 0;
};

struct SyntaxMessage {
  std::string message;  // what is wrong in plain words and what to change, then libyaml's words
  std::string field;    // the field concerned ("posts[1].title"), or empty when not known
};

// Explains a syntax error. `source` is the whole text (lines are looked up in it), `where` the
// path to the entry the parser was reading (may be empty).
SyntaxMessage ExplainSyntaxError(const SyntaxProblem& problem, std::string_view source,
                                 const std::vector<PathStep>& where);

}  // namespace assure::yaml
