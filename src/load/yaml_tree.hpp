// A YAML document as a tree of nodes that remember where they came from, built from libyaml's
// event parser. Only what the arrangements and catalogue files need: mappings, sequences and
// scalars. Anchors and aliases, tags, complex keys and several documents are reported as errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace assure::yaml {

struct Node {
  enum class Kind { kScalar, kSequence, kMapping };
  Kind kind = Kind::kScalar;
  bool plain = true;  // a scalar written without quotes or block indicators
  bool flow = false;  // a collection written in flow style: [a, b] or { a: 1 }
  int line = 0;       // 1-based
  int column = 0;     // 1-based
  std::string value;  // a scalar's text
  // A sequence's items; a mapping's keys and values alternately (key 0, value 0, key 1, ...).
  std::vector<Node> children;

  // A plain scalar that YAML reads as null: empty (`key:`), `~` or `null`.
  bool IsNull() const;
  size_t MappingSize() const { return children.size() / 2; }
  const Node& Key(size_t i) const { return children[2 * i]; }
  const Node& Value(size_t i) const { return children[2 * i + 1]; }
};

// Parses exactly one YAML document. Returns its root, or every error found, each with its line
// and column, naming `file`. An empty document is an error. A key given twice in one mapping is
// reported at its second occurrence.
Result<Node> Parse(std::string_view text, const std::string& file);

}  // namespace assure::yaml
