// A YAML document as a tree of nodes that remember where they came from, built from libyaml's
// event parser. Only what the arrangements and catalogue files need: mappings, sequences and
// scalars. Anchors and aliases, tags, complex keys and several documents are reported as errors.
//
// The tree is compact, because a large file's tree is the loader's main cost: every node sits
// in one array (a collection's children side by side) and every scalar's text in one buffer,
// so building it costs a few allocations in all, not several per node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "load/yaml_errors.hpp"

namespace assure::yaml {

// The deepest nesting of collections read from a file or a request, YAML or JSON: deeper
// documents are refused rather than recursed into.
inline constexpr int kMaxDepth = 64;

class Node {
 public:
  enum class Kind : uint8_t { kScalar, kSequence, kMapping };

  Kind kind() const { return kind_; }
  bool plain() const { return plain_ != 0; }  // a scalar written without quotes
  bool flow() const { return flow_ != 0; }    // a collection written [a, b] or { a: 1 }
  int line() const { return line_; }          // 1-based
  int column() const { return column_; }      // 1-based
  std::string_view value() const { return {text_, text_size_}; }  // a scalar's text

  // A plain scalar that YAML reads as null: empty (`key:`), `~` or `null`.
  bool IsNull() const;

  // A sequence's items; a mapping's keys and values alternately (key 0, value 0, key 1, ...).
  size_t size() const { return child_count_; }
  const Node& child(size_t i) const { return this[first_child_ + static_cast<ptrdiff_t>(i)]; }
  size_t MappingSize() const { return child_count_ / 2; }
  const Node& Key(size_t i) const { return child(2 * i); }
  const Node& Value(size_t i) const { return child(2 * i + 1); }

 private:
  friend class TreeBuilder;
  const char* text_ = nullptr;
  uint32_t text_size_ = 0;
  uint32_t child_count_ = 0;
  // Built: a collection's first child, as an offset from this node. While building: the index
  // of that child in the final array, or, for a scalar, the offset of its text.
  int32_t first_child_ = 0;
  int32_t line_ = 0;
  int32_t column_ = 0;
  Kind kind_ = Kind::kScalar;
  uint8_t plain_ = 1;
  uint8_t flow_ = 0;
};

// Owns a tree's nodes and text. Movable; nodes point into it, so it must outlive their use.
class Tree {
 public:
  Tree() = default;
  Tree(Tree&&) = default;
  Tree& operator=(Tree&&) = default;
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  const Node& root() const { return nodes_.back(); }

 private:
  friend class TreeBuilder;
  std::vector<Node> nodes_;
  std::vector<char> text_;
};

// Builds a Tree from a stream of nodes: scalars, and collections opened and closed around their
// children, as a parser meets them. Used for YAML and for JSON alike.
class TreeBuilder {
 public:
  // Reserves room for a document of `text_size` bytes, so that the arrays are allocated once
  // rather than regrown (each regrowth of a large array touches fresh pages).
  void Reserve(size_t text_size);
  void Scalar(std::string_view value, bool plain, int line, int column);
  // A scalar whose text stays where it is (in the parsed document), so it is not copied.
  // Requires: `value` outlives the Tree.
  void ScalarInPlace(std::string_view value, bool plain, int line, int column);
  void Open(Node::Kind kind, bool flow, int line, int column);
  void Close();
  // The node most recently completed at the current level (a key just read, say).
  const Node& Last() const { return pending_.back(); }
  // The completed nodes at the current level: a mapping's keys and values so far.
  size_t LevelSize() const { return pending_.size() - levels_.back(); }
  const Node& AtLevel(size_t i) const { return pending_[levels_.back() + i]; }
  std::string_view TextOf(const Node& n) const {
    if (n.text_) return {n.text_, n.text_size_};
    return {text_.data() + n.first_child_, n.text_size_};
  }
  // Where the builder is: for each open collection, the key whose value is being read or the
  // index of the item being read (with its id, once read). For messages about a broken document.
  std::vector<PathStep> OpenPath() const;
  // Requires: exactly one root, every collection closed.
  Tree Finish();

 private:
  // Adds a scalar node at the current level; the caller says where its text is.
  Node& PushScalar(size_t size, bool plain, int line, int column);

  std::vector<Node> pending_;      // completed nodes whose parent is still open
  std::vector<size_t> levels_{0};  // where each open collection's children start in pending_
  std::vector<Node> open_;         // the open collections
  std::vector<Node> done_;         // the final array: children blocks, then the root
  std::vector<char> text_;
};

// Parses exactly one YAML document. Returns its tree (which may point into `text`: keep `text`
// alive while the tree is used), or every error found, each with its line
// and column, naming `file`. An empty document is an error. A key given twice in one mapping is
// reported at its second occurrence.
Result<Tree> Parse(std::string_view text, const std::string& file);

}  // namespace assure::yaml
