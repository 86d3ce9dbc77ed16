#include "load/yaml_tree.hpp"

#include <yaml.h>

#include <memory>
#include <unordered_set>

namespace assure::yaml {

bool Node::IsNull() const {
  return kind == Kind::kScalar && plain &&
         (value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL");
}

namespace {

// libyaml's parser, released on every path.
class Parser {
 public:
  Parser(std::string_view text) {
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
  const yaml_event_t& operator*() const { return event_; }
  const yaml_event_t* operator->() const { return &event_; }

 private:
  yaml_event_t event_{};
  bool filled_ = false;
};

class Builder {
 public:
  Builder(std::string_view text, const std::string& file) : parser_(text), file_(file) {}

  Result<Node> Build() {
    Event event;
    if (!Expect(event, YAML_STREAM_START_EVENT)) return errors_;
    if (!event.Next(parser_.get())) return SyntaxError();
    if (event->type == YAML_STREAM_END_EVENT) {
      AddError(1, 1, "the file is empty: it should hold one authority's arrangements");
      return errors_;
    }
    // DOCUMENT_START
    Node root;
    if (!event.Next(parser_.get())) return SyntaxError();
    if (!ReadNode(event, root, 0)) return errors_;
    if (!event.Next(parser_.get())) return SyntaxError();  // DOCUMENT_END
    if (!event.Next(parser_.get())) return SyntaxError();
    if (event->type == YAML_DOCUMENT_START_EVENT) {
      AddError(Line(event->start_mark), Column(event->start_mark),
               "a second document starts here: a file holds one document (one authority)");
    }
    if (!errors_.empty()) return errors_;
    if (root.kind == Node::Kind::kScalar && root.IsNull()) {
      AddError(1, 1, "the file is empty: it should hold one authority's arrangements");
      return errors_;
    }
    return root;
  }

 private:
  static int Line(const yaml_mark_t& m) { return static_cast<int>(m.line) + 1; }
  static int Column(const yaml_mark_t& m) { return static_cast<int>(m.column) + 1; }

  void AddError(int line, int column, std::string message) {
    errors_.push_back(Error{ErrorCode::kInvalid, file_, line, column, "", std::move(message)});
  }

  std::vector<Error> SyntaxError() {
    yaml_parser_t* p = parser_.get();
    std::string message = "YAML syntax error: ";
    message += p->problem ? p->problem : "unreadable input";
    if (p->context) message += std::string(" (") + p->context + ")";
    AddError(Line(p->problem_mark), Column(p->problem_mark), message);
    return errors_;
  }

  bool Expect(Event& event, yaml_event_type_t type) {
    if (!event.Next(parser_.get())) {
      SyntaxError();
      return false;
    }
    return event->type == type;
  }

  // Builds the node that starts with `event` (already read); consumes up to its end.
  bool ReadNode(Event& event, Node& node, int depth) {
    if (depth > 64) {
      AddError(Line(event->start_mark), Column(event->start_mark),
               "the document is nested too deeply");
      return false;
    }
    node.line = Line(event->start_mark);
    node.column = Column(event->start_mark);
    switch (event->type) {
      case YAML_ALIAS_EVENT:
        AddError(node.line, node.column,
                 "aliases (*name) are not supported: write the value out in full");
        return true;
      case YAML_SCALAR_EVENT: {
        const auto& s = event->data.scalar;
        if (s.anchor) {
          AddError(node.line, node.column, "anchors (&name) are not supported");
        }
        if (s.tag && !s.plain_implicit && !s.quoted_implicit) {
          AddError(node.line, node.column, "tags (!name) are not supported");
        }
        node.kind = Node::Kind::kScalar;
        node.plain = s.style == YAML_PLAIN_SCALAR_STYLE;
        node.value.assign(reinterpret_cast<const char*>(s.value), s.length);
        return true;
      }
      case YAML_SEQUENCE_START_EVENT: {
        node.kind = Node::Kind::kSequence;
        node.flow = event->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
        if (event->data.sequence_start.anchor) {
          AddError(node.line, node.column, "anchors (&name) are not supported");
        }
        const size_t base = scratch_.size();
        while (true) {
          if (!event.Next(parser_.get())) {
            SyntaxError();
            return false;
          }
          if (event->type == YAML_SEQUENCE_END_EVENT) break;
          if (!ReadChild(event, depth + 1)) return false;
        }
        TakeChildren(node, base);
        return true;
      }
      case YAML_MAPPING_START_EVENT: {
        node.kind = Node::Kind::kMapping;
        node.flow = event->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        if (event->data.mapping_start.anchor) {
          AddError(node.line, node.column, "anchors (&name) are not supported");
        }
        const size_t base = scratch_.size();
        // Small mappings (every record of the format) find a repeated key by looking back;
        // only a large one pays for a set, so that no file makes this quadratic.
        std::unordered_set<std::string> many_keys;
        while (true) {
          if (!event.Next(parser_.get())) {
            SyntaxError();
            return false;
          }
          if (event->type == YAML_MAPPING_END_EVENT) break;
          if (!ReadChild(event, depth + 1)) return false;
          const size_t key_at = scratch_.size() - 1;
          const Node& key = scratch_[key_at];
          if (key.kind != Node::Kind::kScalar) {
            AddError(key.line, key.column, "a key must be a plain name, not a list or mapping");
          } else if (IsRepeatedKey(base, key_at, many_keys)) {
            AddError(key.line, key.column,
                     "the key '" + key.value + "' is given twice in this mapping");
          }
          if (!event.Next(parser_.get())) {
            SyntaxError();
            return false;
          }
          if (!ReadChild(event, depth + 1)) return false;
        }
        TakeChildren(node, base);
        return true;
      }
      default:
        AddError(node.line, node.column, "unexpected YAML structure");
        return false;
    }
  }

  // Reads a node into a local first: reading it may grow the scratch stack, which would move
  // any element a reference pointed at.
  bool ReadChild(Event& event, int depth) {
    Node child;
    if (!ReadNode(event, child, depth)) return false;
    scratch_.push_back(std::move(child));
    return true;
  }

  // Moves the children collected on the scratch stack since `base` into `node`, so that each
  // collection costs one allocation of exactly its size.
  void TakeChildren(Node& node, size_t base) {
    node.children.reserve(scratch_.size() - base);
    for (size_t i = base; i < scratch_.size(); ++i) node.children.push_back(std::move(scratch_[i]));
    scratch_.resize(base);
  }

  bool IsRepeatedKey(size_t base, size_t key_at, std::unordered_set<std::string>& many) {
    constexpr size_t kLookBack = 32;  // keys; every record of the format has fewer
    const std::string& key = scratch_[key_at].value;
    const size_t keys_before = (key_at - base) / 2;
    if (keys_before < kLookBack) {
      for (size_t i = base; i < key_at; i += 2) {
        if (scratch_[i].value == key) return true;
      }
      return false;
    }
    if (many.empty()) {
      for (size_t i = base; i < key_at; i += 2) many.insert(scratch_[i].value);
    }
    return !many.insert(key).second;
  }

  Parser parser_;
  std::vector<Node> scratch_;
  const std::string& file_;
  std::vector<Error> errors_;
};

}  // namespace

Result<Node> Parse(std::string_view text, const std::string& file) {
  return Builder(text, file).Build();
}

}  // namespace assure::yaml
