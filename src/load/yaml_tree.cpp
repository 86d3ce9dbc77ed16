#include "load/yaml_tree.hpp"

#include <sys/mman.h>
#include <yaml.h>

#include <unordered_set>

namespace assure::yaml {

bool Node::IsNull() const {
  if (kind_ != Kind::kScalar || !plain()) return false;
  const std::string_view v = value();
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

namespace {

// Asks the kernel to back a large array with huge pages: a large file's tree would otherwise
// cost thousands of page faults, which are most of what separates it from a bare parse.
void AdviseHugePages(const void* data, size_t bytes) {
  constexpr size_t kHugePage = size_t{2} << 20;
  if (bytes < 2 * kHugePage) return;
  const auto begin = (reinterpret_cast<uintptr_t>(data) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHugePage - 1);
  // Advice only: where the kernel does not take it, nothing changes.
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace

void TreeBuilder::Reserve(size_t text_size) {
  // A node takes at least three bytes of YAML ("a: " or "- x"). Text is at most the file, but
  // only scalars that differ from their source bytes (escapes, folded lines) are copied there:
  // few, so it starts small, since every page of it touched costs a page fault (or a huge one).
  done_.reserve(text_size / 3 + 16);
  text_.reserve(text_size / 16 + 256);
  AdviseHugePages(done_.data(), done_.capacity() * sizeof(Node));
  AdviseHugePages(text_.data(), text_.capacity());
}

Node& TreeBuilder::PushScalar(size_t size, bool plain, int line, int column) {
  Node& n = pending_.emplace_back();
  n.kind_ = Node::Kind::kScalar;
  n.plain_ = plain ? 1 : 0;
  n.line_ = line;
  n.column_ = column;
  n.text_size_ = static_cast<uint32_t>(size);
  return n;
}

void TreeBuilder::Scalar(std::string_view value, bool plain, int line, int column) {
  // The text is copied into the tree's buffer: until Finish, a scalar holds its offset there.
  PushScalar(value.size(), plain, line, column).first_child_ = static_cast<int32_t>(text_.size());
  text_.insert(text_.end(), value.begin(), value.end());
}

void TreeBuilder::ScalarInPlace(std::string_view value, bool plain, int line, int column) {
  PushScalar(value.size(), plain, line, column).text_ = value.data();
}

void TreeBuilder::Open(Node::Kind kind, bool flow, int line, int column) {
  Node n;
  n.kind_ = kind;
  n.plain_ = 0;
  n.flow_ = flow ? 1 : 0;
  n.line_ = line;
  n.column_ = column;
  open_.push_back(n);
  levels_.push_back(pending_.size());
}

void TreeBuilder::Close() {
  Node n = open_.back();
  open_.pop_back();
  const size_t base = levels_.back();
  levels_.pop_back();
  n.first_child_ = static_cast<int32_t>(done_.size());
  n.child_count_ = static_cast<uint32_t>(pending_.size() - base);
  done_.insert(done_.end(), pending_.begin() + static_cast<ptrdiff_t>(base), pending_.end());
  pending_.resize(base);
  pending_.push_back(n);
}

std::vector<PathStep> TreeBuilder::OpenPath() const {
  std::vector<PathStep> steps;
  for (size_t k = 0; k < open_.size(); ++k) {
    const size_t begin = levels_[k + 1];
    const size_t end = k + 2 < levels_.size() ? levels_[k + 2] : pending_.size();
    const size_t count = end - begin;
    if (open_[k].kind_ == Node::Kind::kMapping) {
      if (count % 2 == 1 && pending_[end - 1].kind_ == Node::Kind::kScalar) {
        steps.push_back(PathStep{std::string(TextOf(pending_[end - 1])), 0, {}});
      }
      continue;
    }
    PathStep item{{}, count, {}};
    // The item being read, when it is a mapping whose `id` has been read.
    if (k + 1 < open_.size() && open_[k + 1].kind_ == Node::Kind::kMapping) {
      const size_t item_end = k + 3 < levels_.size() ? levels_[k + 3] : pending_.size();
      for (size_t i = levels_[k + 2]; i + 1 < item_end; i += 2) {
        // Only a well-formed id: a broken line may have run into the id's value.
        if (pending_[i].kind_ == Node::Kind::kScalar && TextOf(pending_[i]) == "id" &&
            pending_[i + 1].kind_ == Node::Kind::kScalar &&
            TextOf(pending_[i + 1]).find_first_of(" \t:") == std::string_view::npos) {
          item.id = TextOf(pending_[i + 1]);
        }
      }
    }
    steps.push_back(std::move(item));
  }
  return steps;
}

Tree TreeBuilder::Finish() {
  done_.push_back(pending_.back());
  pending_.clear();
  Tree tree;
  tree.text_ = std::move(text_);
  // Indexes become offsets and text positions become pointers, now that nothing moves.
  for (size_t i = 0; i < done_.size(); ++i) {
    Node& n = done_[i];
    if (n.kind_ == Node::Kind::kScalar) {
      if (!n.text_) n.text_ = tree.text_.data() + n.first_child_;
      n.first_child_ = 0;
    } else {
      n.first_child_ -= static_cast<int32_t>(i);
    }
  }
  tree.nodes_ = std::move(done_);
  return tree;
}

namespace {

// libyaml's parser, released on every path.
class Parser {
 public:
  explicit Parser(std::string_view text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~Parser() { yaml_parser_delete(&parser_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  yaml_parser_t* get() { return &parser_; }

 private:
  yaml_parser_t parser_;
};

class Event {
 public:
  Event() = default;
  ~Event() {
    if (filled_) yaml_event_delete(&event_);
  }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  // Reads the next event; false on a parse error.
  bool Next(yaml_parser_t* parser) {
    if (filled_) yaml_event_delete(&event_);
    filled_ = yaml_parser_parse(parser, &event_) == 1;
    return filled_;
  }
  const yaml_event_t* operator->() const { return &event_; }

 private:
  yaml_event_t event_{};
  bool filled_ = false;
};

// The largest file the tree's 32-bit offsets can hold, with room to spare.
constexpr size_t kMaxText = size_t{1} << 30;

class Builder {
 public:
  Builder(std::string_view text, const std::string& file)
      : parser_(text), text_(text), file_(file) {}

  Result<Tree> Build(size_t size) {
    if (size > kMaxText) {
      AddError(1, 1, "the file is too large to be an arrangements file");
      return errors_;
    }
    tree_.Reserve(size);
    Event event;
    if (!event.Next(parser_.get())) return SyntaxError();  // STREAM_START
    if (!event.Next(parser_.get())) return SyntaxError();
    if (event->type == YAML_STREAM_END_EVENT) {
      AddError(1, 1, "the file is empty: it should hold one authority's arrangements");
      return errors_;
    }
    // DOCUMENT_START, then the root node.
    if (!event.Next(parser_.get())) return SyntaxError();
    if (!ReadNode(event, 0)) return errors_;
    if (!event.Next(parser_.get())) return SyntaxError();  // DOCUMENT_END
    if (!event.Next(parser_.get())) return SyntaxError();
    if (event->type == YAML_DOCUMENT_START_EVENT) {
      AddError(Line(event->start_mark), Column(event->start_mark),
               "a second document starts here: a file holds one document (one authority)");
    }
    if (!errors_.empty()) return errors_;
    Tree tree = tree_.Finish();
    if (tree.root().IsNull()) {
      AddError(1, 1, "the file is empty: it should hold one authority's arrangements");
      return errors_;
    }
    return tree;
  }

 private:
  static int Line(const yaml_mark_t& m) { return static_cast<int>(m.line) + 1; }
  static int Column(const yaml_mark_t& m) { return static_cast<int>(m.column) + 1; }

  void AddError(int line, int column, std::string message) {
    errors_.push_back(Error{ErrorCode::kInvalid, file_, line, column, "", std::move(message)});
  }

  std::vector<Error> SyntaxError() {
    const yaml_parser_t* p = parser_.get();
    SyntaxProblem problem;
    problem.problem = p->problem ? p->problem : "unreadable input";
    if (p->context) {
      problem.context = p->context;
      problem.context_line = Line(p->context_mark);
      problem.context_column = Column(p->context_mark);
    }
    problem.line = Line(p->problem_mark);
    problem.column = Column(p->problem_mark);
    SyntaxMessage said = ExplainSyntaxError(problem, text_, tree_.OpenPath());
    errors_.push_back(Error{ErrorCode::kInvalid, file_, problem.line, problem.column,
                            std::move(said.field), std::move(said.message)});
    return errors_;
  }

  // Adds the node that starts with `event` (already read) to the tree; consumes up to its end.
  bool ReadNode(Event& event, int depth) {
    const int line = Line(event->start_mark);
    const int column = Column(event->start_mark);
    if (depth > kMaxDepth) {
      AddError(line, column, "the document is nested too deeply");
      return false;
    }
    switch (event->type) {
      case YAML_ALIAS_EVENT:
        AddError(line, column, "aliases (*name) are not supported: write the value out in full");
        tree_.Scalar("", false, line, column);
        return true;
      case YAML_SCALAR_EVENT: {
        const auto& s = event->data.scalar;
        if (s.anchor) AddError(line, column, "anchors (&name) are not supported");
        if (s.tag && !s.plain_implicit && !s.quoted_implicit) {
          AddError(line, column, "tags (!name) are not supported");
        }
        const std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
        const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
        // Most scalars are their source bytes (no escapes, no folded lines): point at those.
        const size_t quote =
            s.style == YAML_SINGLE_QUOTED_SCALAR_STYLE || s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
                ? 1
                : 0;
        if (const char* source =
                (plain || quote == 1) ? FindInSource(event, quote, value) : nullptr) {
          tree_.ScalarInPlace(std::string_view(source, value.size()), plain, line, column);
        } else {
          tree_.Scalar(value, plain, line, column);
        }
        return true;
      }
      case YAML_SEQUENCE_START_EVENT: {
        if (event->data.sequence_start.anchor) {
          AddError(line, column, "anchors (&name) are not supported");
        }
        if (event->data.sequence_start.tag && !event->data.sequence_start.implicit) {
          AddError(line, column, "tags (!name) are not supported");
        }
        tree_.Open(Node::Kind::kSequence,
                   event->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE, line, column);
        while (true) {
          if (!event.Next(parser_.get())) {
            SyntaxError();
            return false;
          }
          if (event->type == YAML_SEQUENCE_END_EVENT) break;
          if (!ReadNode(event, depth + 1)) return false;
        }
        tree_.Close();
        return true;
      }
      case YAML_MAPPING_START_EVENT: {
        if (event->data.mapping_start.anchor) {
          AddError(line, column, "anchors (&name) are not supported");
        }
        if (event->data.mapping_start.tag && !event->data.mapping_start.implicit) {
          AddError(line, column, "tags (!name) are not supported");
        }
        tree_.Open(Node::Kind::kMapping, event->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE,
                   line, column);
        // Small mappings (every record of the format) find a repeated key by looking back;
        // only a large one pays for a set, so that no file makes this quadratic.
        std::unordered_set<std::string> many_keys;
        while (true) {
          if (!event.Next(parser_.get())) {
            SyntaxError();
            return false;
          }
          if (event->type == YAML_MAPPING_END_EVENT) break;
          if (!ReadNode(event, depth + 1)) return false;
          const Node& key = tree_.Last();
          if (key.kind() != Node::Kind::kScalar) {
            AddError(key.line(), key.column(), "a key must be a plain name, not a list or mapping");
          } else if (IsRepeatedKey(many_keys)) {
            AddError(
                key.line(), key.column(),
                "the key '" + std::string(tree_.TextOf(key)) + "' is given twice in this mapping");
          }
          if (!event.Next(parser_.get())) {
            SyntaxError();
            return false;
          }
          if (!ReadNode(event, depth + 1)) return false;
        }
        tree_.Close();
        return true;
      }
      default:
        AddError(line, column, "unexpected YAML structure");
        return false;
    }
  }

  // Where the scalar's text stands in the source, byte for byte, or nullptr. libyaml's marks
  // count characters, not bytes, so past any non-ASCII text the byte offset runs ahead of the
  // mark: `skew_` tracks by how much (it only grows). Only identical bytes are ever used, so a
  // miss merely costs a copy.
  const char* FindInSource(Event& event, size_t quote, std::string_view value) {
    constexpr size_t kWindow = 64;
    const size_t at = event->start_mark.index + quote + skew_;
    if (at + value.size() > text_.size()) return nullptr;
    if (text_.compare(at, value.size(), value) == 0) return text_.data() + at;
    const size_t found = text_.substr(at, value.size() + kWindow).find(value);
    if (found == std::string_view::npos || value.empty()) return nullptr;
    skew_ += found;
    return text_.data() + at + found;
  }

  // Whether the key just read repeats an earlier key of the mapping being read.
  bool IsRepeatedKey(std::unordered_set<std::string>& many) {
    constexpr size_t kLookBack = 32;  // keys; every record of the format has fewer
    const size_t key_at = tree_.LevelSize() - 1;
    const std::string_view key = tree_.TextOf(tree_.AtLevel(key_at));
    if (key_at / 2 < kLookBack) {
      for (size_t i = 0; i < key_at; i += 2) {
        const Node& other = tree_.AtLevel(i);
        if (other.kind() == Node::Kind::kScalar && tree_.TextOf(other) == key) return true;
      }
      return false;
    }
    if (many.empty()) {
      for (size_t i = 0; i < key_at; i += 2) {
        const Node& other = tree_.AtLevel(i);
        if (other.kind() == Node::Kind::kScalar) many.emplace(tree_.TextOf(other));
      }
    }
    return !many.emplace(key).second;
  }

  Parser parser_;
  std::string_view text_;
  size_t skew_ = 0;  // bytes by which the source runs ahead of libyaml's character marks
  TreeBuilder tree_;
  const std::string& file_;
  std::vector<Error> errors_;
};

}  // namespace

Result<Tree> Parse(std::string_view text, const std::string& file) {
  return Builder(text, file).Build(text.size());
}

}  // namespace assure::yaml
