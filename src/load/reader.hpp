// Reads a YAML mapping field by field against its format::Record, collecting every error with
// its line, column and field path. Private to the load module.
//
// Each read names a field of the record; a read of a field the record does not declare, or of a
// declared field with another type, is a programmer error and aborts: so the loader and the
// format description (and with it the schema and the reference) cannot drift apart.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/arrangements.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "core/vocabulary.hpp"
#include "load/format.hpp"
#include "load/id_table.hpp"
#include "load/yaml_tree.hpp"

namespace assure::load {

// What an id names, for references and duplicate checks.
enum class IdKind { kAuthority, kPerson, kPost, kBody, kCommissioned, kReview, kDuty, kTheme };

std::string_view IdKindName(IdKind kind);

// The shared state of one file's load: its name, its errors, its ids and pending references.
class Context {
 public:
  explicit Context(std::string file) : file_(std::move(file)) {}

  // The document's root, so that messages can name each list entry by its id. Optional; must
  // outlive the Context.
  void SetRoot(const yaml::Node* root) { root_ = root; }
  // A field's path as messages give it: each list entry followed by its id, where it has one
  // ("posts[1] (dcs-post).holder"). Error::field keeps the plain path ("posts[1].holder").
  std::string Display(std::string_view field) const;

  void AddError(const yaml::Node& at, const std::string& field, std::string message);
  void AddError(int line, int column, const std::string& field, std::string message);
  const std::vector<Error>& errors() const { return errors_; }

  // Text is read as it is, whatever characters it holds: for text this program stored itself.
  void AllowAnyCharacters() { any_characters_ = true; }
  bool any_characters() const { return any_characters_; }
  std::vector<Error> TakeErrors() { return std::move(errors_); }

  // Declares an id; reports a duplicate at this (the later) occurrence.
  // `at` is the id's node, which must outlive the Context (the id is kept as a view into it).
  // `path` is the record's path and `field` the id's field, joined only for an error.
  void DeclareId(const yaml::Node& at, IdKind kind, const std::string& path,
                 std::string_view field);
  const IdKind* KindOf(std::string_view id) const;
  // Makes room for `ids` ids and `references` references, so that a large file's tables are
  // allocated once rather than regrown.
  void Reserve(size_t ids, size_t references) {
    ids_.reserve(ids);
    references_.reserve(references);
  }

  // Records a reference (the id is `at`'s value), resolved by ResolveReferences once every id
  // is declared. `at` and `path` must outlive the Context: `path` is a record's path from
  // KeepPath, and the field's path is only built if the reference turns out to be wrong.
  void Refer(const yaml::Node& at, format::Target target, const std::string& path,
             std::string_view field);
  void ResolveReferences();

  // " (did you mean 'x'?)" for the declared id of the right kind nearest to `id`, or "".
  std::string SuggestId(std::string_view id, format::Target target) const;

  // Keeps a record's path for as long as the Context lives, and returns it.
  const std::string& KeepPath(std::string path);

  // Sorts errors by position so they read in file order.
  void SortErrors();

 private:
  struct Declared {
    IdKind kind;
    int line;
  };
  struct Reference {
    const yaml::Node* at;
    format::Target target;
    const std::string* path;
    std::string_view field;
  };
  std::string file_;
  bool any_characters_ = false;
  const yaml::Node* root_ = nullptr;
  std::vector<Error> errors_;
  IdTable<Declared> ids_;
  std::vector<Reference> references_;
  std::deque<std::string> paths_;  // a deque, so kept paths never move
};

class MappingReader {
 public:
  // Checks that `node` is a mapping of `record`: reports unknown fields at their keys, keys with
  // no value, and missing required fields at the start of the mapping.
  MappingReader(Context& context, const yaml::Node& node, const format::Record& record,
                std::string path);
  ~MappingReader();
  MappingReader(const MappingReader&) = delete;
  MappingReader& operator=(const MappingReader&) = delete;

  // False when the node was not a mapping at all (the error is already reported).
  bool ok() const { return ok_; }
  const yaml::Node& node() const { return node_; }
  std::string PathOf(std::string_view field) const;

  // The value node of a field, or nullptr when absent or null (null is reported as an error).
  const yaml::Node* Value(std::string_view field);

  std::string Text(std::string_view field);
  std::optional<std::string> OptText(std::string_view field);
  std::string Id(std::string_view field, IdKind kind);
  bool Bool(std::string_view field);
  std::optional<bool> OptBool(std::string_view field);
  std::optional<int> OptWholeNumber(std::string_view field);
  Date DateField(std::string_view field);
  std::optional<Date> OptDate(std::string_view field);
  std::optional<std::string> OptReference(std::string_view field);
  std::string Reference(std::string_view field);
  std::vector<std::string> Ids(std::string_view field);
  std::vector<std::string> Texts(std::string_view field);
  // A list of references, each resolved like OptReference's.
  std::vector<std::string> References(std::string_view field);
  // A choice field's index into the field's values; -1 when absent or invalid.
  int Choice(std::string_view field);
  // A list-of-choices field's indexes; nullopt when absent.
  std::optional<std::vector<int>> Choices(std::string_view field);

  template <typename E>
  E Enum(std::string_view field) {
    const int i = Choice(field);
    return static_cast<E>(i < 0 ? 0 : i);
  }
  template <typename E>
  std::optional<E> OptEnum(std::string_view field) {
    const int i = Choice(field);
    if (i < 0) return std::nullopt;
    return static_cast<E>(i);
  }
  template <typename E>
  std::optional<std::vector<E>> OptEnums(std::string_view field) {
    auto indexes = Choices(field);
    if (!indexes) return std::nullopt;
    std::vector<E> out;
    for (int i : *indexes) out.push_back(static_cast<E>(i));
    return out;
  }
  template <typename E>
  std::vector<E> Enums(std::string_view field) {
    auto values = OptEnums<E>(field);
    return values ? *values : std::vector<E>{};
  }

  // Calls read(node, path) for each item of a list-of-records field.
  template <typename F>
  void ForEach(std::string_view field, F read) {
    const yaml::Node* list = Typed(field, format::Type::kRecords);
    if (!list) return;
    if (list->kind() != yaml::Node::Kind::kSequence) {
      context_.AddError(*list, PathOf(field), Describe(field, "a list", *list));
      return;
    }
    for (size_t i = 0; i < list->size(); ++i) {
      read(list->child(i), PathOf(field) + "[" + std::to_string(i) + "]");
    }
  }

  // The value node of a record field, or nullptr when absent.
  const yaml::Node* Sub(std::string_view field);

 private:
  const yaml::Node* Typed(std::string_view field, format::Type type);
  const format::Field& Declared(std::string_view field, format::Type type);
  // The field called `name`, or nullptr; looks at the field after the last one found first.
  const format::Field* FieldNamed(std::string_view name);
  std::string Describe(std::string_view field, std::string_view expected,
                       const yaml::Node& found) const;
  bool ScalarText(std::string_view field, const yaml::Node& node, std::string& out);
  // Whether a scalar's text holds only characters text may hold (core/characters.hpp); reports
  // the first that it may not.
  bool Printable(std::string_view field, const yaml::Node& node);
  // For a value that is not one of `self`'s but is one of another choice field of the record
  // (`roles: [lmcs]`, where lmcs is a designation): words saying where it belongs; else "".
  std::string BelongsElsewhere(const format::Field& self, const yaml::Node& value) const;

  Context& context_;
  const yaml::Node& node_;
  const format::Record& record_;
  // A field's position in its record: the index of its value and its bit in the masks.
  size_t Index(const format::Field* f) const {
    return static_cast<size_t>(f - record_.fields.data());
  }

  static constexpr size_t kMaxFields = 32;
  const std::string& path_;
  bool ok_ = true;
  std::array<const yaml::Node*, kMaxFields> values_{};  // null when absent or null in the file
  uint32_t present_ = 0;                                // fields given, even with no value
  uint32_t read_ = 0;                                   // fields the loader has read
  size_t cursor_ = 0;                                   // where FieldNamed looks first
};

// Validates a parsed tree (from YAML or JSON) as an arrangements file: the one set of rules,
// whichever way the data arrived. Defined in arrangements_yaml.cpp.
Result<Arrangements> ParseArrangementsTree(const yaml::Node& root, const std::string& file);

// A word for what a node is, for messages: "a list", "a mapping", "'text'".
std::string Shape(const yaml::Node& node);

}  // namespace assure::load
