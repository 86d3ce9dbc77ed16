#include "load/reader.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/characters.hpp"

namespace assure::load {
namespace {

std::string JoinValues(std::span<const std::string_view> values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += values[i];
  }
  return out;
}

// Edit distance, to suggest the field a misspelt key meant.
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string Suggest(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  size_t best_distance = 3;
  for (std::string_view c : candidates) {
    const size_t d = Distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best.empty() ? std::string() : " (did you mean '" + std::string(best) + "'?)";
}

[[noreturn]] void ProgrammerError(std::string_view what, std::string_view record,
                                  std::string_view field) {
  std::fprintf(stderr, "internal error: %.*s: %.*s.%.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(record.size()), record.data(),
               static_cast<int>(field.size()), field.data());
  std::abort();
}

}  // namespace

std::string_view IdKindName(IdKind kind) {
  switch (kind) {
    case IdKind::kAuthority:
      return "the authority";
    case IdKind::kPerson:
      return "a person";
    case IdKind::kPost:
      return "a post";
    case IdKind::kBody:
      return "a body";
    case IdKind::kCommissioned:
      return "a commissioned function";
    case IdKind::kReview:
      return "a review";
    case IdKind::kDuty:
      return "a duty";
    case IdKind::kTheme:
      return "a theme";
  }
  return "something";
}

std::string Shape(const yaml::Node& node) {
  switch (node.kind()) {
    case yaml::Node::Kind::kSequence:
      return "a list";
    case yaml::Node::Kind::kMapping:
      return "a mapping";
    case yaml::Node::Kind::kScalar:
      break;
  }
  return "'" + std::string(node.value()) + "'";
}

void Context::AddError(const yaml::Node& at, const std::string& field, std::string message) {
  AddError(at.line(), at.column(), field, std::move(message));
}

void Context::AddError(int line, int column, const std::string& field, std::string message) {
  errors_.push_back(Error{ErrorCode::kInvalid, file_, line, column, field,
                          field.empty() ? message : Display(field) + ": " + message});
}

namespace {

// The value of `key` in a mapping, or nullptr.
const yaml::Node* ValueOf(const yaml::Node* mapping, std::string_view key) {
  if (!mapping || mapping->kind() != yaml::Node::Kind::kMapping) return nullptr;
  for (size_t i = 0; i < mapping->MappingSize(); ++i) {
    if (mapping->Key(i).kind() == yaml::Node::Kind::kScalar && mapping->Key(i).value() == key) {
      return &mapping->Value(i);
    }
  }
  return nullptr;
}

}  // namespace

std::string Context::Display(std::string_view field) const {
  // Only on the error path: the path is walked again from the root.
  if (!root_ || field.find('[') == std::string_view::npos) return std::string(field);
  std::string out;
  const yaml::Node* node = root_;
  size_t i = 0;
  while (i < field.size()) {
    if (field[i] == '[') {
      const size_t close = field.find(']', i);
      if (close == std::string_view::npos) return std::string(field);
      const std::string_view digits = field.substr(i + 1, close - i - 1);
      size_t index = 0;
      for (char c : digits) index = index * 10 + static_cast<size_t>(c - '0');
      out += field.substr(i, close - i + 1);
      i = close + 1;
      node = node && node->kind() == yaml::Node::Kind::kSequence && index < node->size()
                 ? &node->child(index)
                 : nullptr;
      // The entry's own name: its id, or what a member or departure entry is keyed by.
      for (std::string_view name : {"id", "person", "check"}) {
        const yaml::Node* id = ValueOf(node, name);
        if (!id) continue;
        const bool word = id->kind() == yaml::Node::Kind::kScalar && !id->value().empty() &&
                          id->value().find_first_of(" \t\n") == std::string_view::npos;
        if (word) out += " (" + std::string(id->value()) + ")";
        break;
      }
      continue;
    }
    if (field[i] == '.') {
      out += '.';
      ++i;
    }
    const size_t end = std::min(field.find_first_of(".[", i), field.size());
    const std::string_view key = field.substr(i, end - i);
    out += key;
    node = ValueOf(node, key);
    i = end;
  }
  return out;
}

void Context::DeclareId(const yaml::Node& at, IdKind kind, const std::string& path,
                        std::string_view field) {
  auto [it, inserted] = ids_.try_emplace(at.value(), Declared{kind, at.line()});
  if (!inserted) {
    // Only now is the field's path worth building.
    AddError(at, path.empty() ? std::string(field) : path + "." + std::string(field),
             "the id '" + std::string(at.value()) + "' is already used by " +
                 std::string(IdKindName(it->second.kind)) + " on line " +
                 std::to_string(it->second.line) + "; every id must be unique in the file");
  }
}

const IdKind* Context::KindOf(std::string_view id) const {
  auto it = ids_.find(id);
  return it == ids_.end() ? nullptr : &it->second.kind;
}

void Context::Refer(const yaml::Node& at, format::Target target, const std::string& path,
                    std::string_view field) {
  references_.push_back(Reference{&at, target, &path, field});
}

const std::string& Context::KeepPath(std::string path) {
  paths_.push_back(std::move(path));
  return paths_.back();
}

void Context::ResolveReferences() {
  for (const Reference& r : references_) {
    const IdKind* kind = KindOf(r.at->value());
    const bool right = kind && ((r.target == format::Target::kPerson && *kind == IdKind::kPerson) ||
                                (r.target == format::Target::kPost && *kind == IdKind::kPost) ||
                                (r.target == format::Target::kBody && *kind == IdKind::kBody));
    if (right) continue;
    const std::string id(r.at->value());  // copied only for the message
    const std::string field =
        r.path->empty() ? std::string(r.field) : *r.path + "." + std::string(r.field);
    const std::string want(format::TargetName(r.target));
    if (!kind) {
      AddError(*r.at, field, "no " + want + " has the id '" + id + "'" + SuggestId(id, r.target));
    } else {
      AddError(
          *r.at, field,
          "'" + id + "' is " + std::string(IdKindName(*kind)) + ", but this must name a " + want);
    }
  }
}

std::string Context::SuggestId(std::string_view id, format::Target target) const {
  // Only on the error path, and bounded so that a huge broken file stays fast.
  constexpr size_t kMaxCandidates = 5000;
  if (ids_.size() > kMaxCandidates) return {};
  std::vector<std::string_view> candidates;
  for (const auto& [candidate, declared] : ids_) {
    const bool right = (target == format::Target::kPerson && declared.kind == IdKind::kPerson) ||
                       (target == format::Target::kPost && declared.kind == IdKind::kPost) ||
                       (target == format::Target::kBody && declared.kind == IdKind::kBody);
    if (right) candidates.push_back(candidate);
  }
  std::sort(candidates.begin(), candidates.end());
  return Suggest(id, candidates);
}

void Context::SortErrors() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const Error& a, const Error& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
}

MappingReader::MappingReader(Context& context, const yaml::Node& node, const format::Record& record,
                             std::string path)
    : context_(context), node_(node), record_(record), path_(context.KeepPath(std::move(path))) {
  if (record.fields.size() > kMaxFields) {
    ProgrammerError("record has more fields than a reader holds", record.name, "");
  }
  if (node.kind() != yaml::Node::Kind::kMapping) {
    ok_ = false;
    context_.AddError(node, path_,
                      "expected a mapping (" + std::string(record.name) + "), found " +
                          (node.IsNull() ? std::string("nothing") : Shape(node)));
    return;
  }
  for (size_t i = 0; i < node.MappingSize(); ++i) {
    const yaml::Node& key = node.Key(i);
    const yaml::Node& value = node.Value(i);
    // Files usually give fields in the record's order: try the next one before searching.
    const format::Field* field = FieldNamed(key.value());
    if (!field) {
      std::vector<std::string_view> names;
      for (const format::Field& f : record.fields) names.push_back(f.name);
      context_.AddError(key, path_,
                        "unknown field '" + std::string(key.value()) + "' in " +
                            format::WithArticle(record.name) + Suggest(key.value(), names) +
                            "; allowed fields: " + JoinValues(names));
      continue;
    }
    if (value.IsNull()) {
      context_.AddError(key, PathOf(field->name),
                        "has no value: give it a value, or leave the key out");
      present_ |= 1u << Index(field);
      continue;
    }
    present_ |= 1u << Index(field);
    values_[Index(field)] = &value;
  }
  cursor_ = 0;
  for (const format::Field& f : record.fields) {
    if (f.required && !(present_ & (1u << Index(&f)))) {
      context_.AddError(node, path_,
                        "missing required field '" + std::string(f.name) + "' in this " +
                            std::string(record.name));
    }
  }
}

MappingReader::~MappingReader() {
  if (!ok_) return;
  for (const format::Field& f : record_.fields) {
    if (!(read_ & (1u << Index(&f)))) {
      ProgrammerError("field declared but never read", record_.name, f.name);
    }
  }
}

std::string MappingReader::PathOf(std::string_view field) const {
  return path_.empty() ? std::string(field) : path_ + "." + std::string(field);
}

const format::Field* MappingReader::FieldNamed(std::string_view name) {
  // The loader reads fields in the order the record declares them: try the next one first.
  const auto& fields = record_.fields;
  if (cursor_ < fields.size() && fields[cursor_].name == name) return &fields[cursor_++];
  const format::Field* f = record_.Find(name);
  if (f) cursor_ = Index(f) + 1;
  return f;
}

const format::Field& MappingReader::Declared(std::string_view field, format::Type type) {
  const format::Field* f = FieldNamed(field);
  if (!f) ProgrammerError("field read but not declared", record_.name, field);
  if (f->type != type) ProgrammerError("field read with another type", record_.name, field);
  read_ |= 1u << Index(f);
  return *f;
}

const yaml::Node* MappingReader::Typed(std::string_view field, format::Type type) {
  const format::Field& f = Declared(field, type);
  return ok_ ? values_[Index(&f)] : nullptr;
}

const yaml::Node* MappingReader::Value(std::string_view field) {
  const format::Field* f = record_.Find(field);
  return f ? values_[Index(f)] : nullptr;
}

std::string MappingReader::Describe(std::string_view field, std::string_view expected,
                                    const yaml::Node& found) const {
  (void)field;
  return "expected " + std::string(expected) + ", found " + Shape(found);
}

bool MappingReader::ScalarText(std::string_view field, const yaml::Node& node, std::string& out) {
  if (node.kind() != yaml::Node::Kind::kScalar) {
    context_.AddError(node, PathOf(field), Describe(field, "text", node));
    return false;
  }
  if (!Printable(field, node)) return false;
  out = node.value();
  return true;
}

bool MappingReader::Printable(std::string_view field, const yaml::Node& node) {
  // A name or a title is one line; other text (a description, a reason) may have several.
  const bool free_text = field != "name" && field != "title";
  if (context_.any_characters() || !RefusedCharacter(node.value(), free_text)) return true;
  const auto refused = RefusedCharacter(node.value(), true);
  context_.AddError(node, PathOf(field),
                    refused ? "holds " + *refused + ", which text may not hold"
                            : "holds a line break or a tab: a name or a title is one line");
  return false;
}

std::optional<std::string> MappingReader::OptText(std::string_view field) {
  const yaml::Node* v = Typed(field, format::Type::kText);
  std::string text;
  if (!v || !ScalarText(field, *v, text)) return std::nullopt;
  return text;
}

std::string MappingReader::Text(std::string_view field) {
  const yaml::Node* v = Typed(field, format::Type::kText);
  std::string text;
  if (!v || !ScalarText(field, *v, text)) return {};
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    context_.AddError(*v, PathOf(field), "must not be blank");
  }
  return text;
}

std::string MappingReader::Id(std::string_view field, IdKind kind) {
  const yaml::Node* v = Typed(field, format::Type::kId);
  std::string id;
  if (!v || !ScalarText(field, *v, id)) return {};
  if (!format::IsValidId(id)) {
    context_.AddError(*v, PathOf(field),
                      "'" + id +
                          "' is not a valid id: use lower-case letters, digits and hyphens, "
                          "starting with a letter or digit");
    return id;
  }
  context_.DeclareId(*v, kind, path_, field);
  return id;
}

std::optional<bool> MappingReader::OptBool(std::string_view field) {
  const yaml::Node* v = Typed(field, format::Type::kBool);
  if (!v) return std::nullopt;
  if (v->kind() == yaml::Node::Kind::kScalar && v->plain()) {
    if (v->value() == "true") return true;
    if (v->value() == "false") return false;
  }
  const bool yaml11 =
      v->kind() == yaml::Node::Kind::kScalar &&
      (v->value() == "yes" || v->value() == "no" || v->value() == "on" || v->value() == "off" ||
       v->value() == "True" || v->value() == "False" || v->value() == "Yes" || v->value() == "No" ||
       v->value() == "TRUE" || v->value() == "FALSE");
  context_.AddError(*v, PathOf(field),
                    "expected true or false, found " + Shape(*v) +
                        (yaml11 ? ": booleans are written true or false, in lower case" : ""));
  return std::nullopt;
}

bool MappingReader::Bool(std::string_view field) { return OptBool(field).value_or(false); }

std::optional<int> MappingReader::OptWholeNumber(std::string_view field) {
  const yaml::Node* v = Typed(field, format::Type::kWholeNumber);
  if (!v) return std::nullopt;
  if (v->kind() == yaml::Node::Kind::kScalar && v->plain() && !v->value().empty() &&
      v->value().size() <= 6 && v->value().find_first_not_of("0123456789") == std::string::npos) {
    const int n = std::stoi(std::string(v->value()));
    if (n >= 1) return n;
  }
  context_.AddError(*v, PathOf(field), "expected a whole number of at least 1, found " + Shape(*v));
  return std::nullopt;
}

std::optional<Date> MappingReader::OptDate(std::string_view field) {
  const yaml::Node* v = Typed(field, format::Type::kDate);
  if (!v) return std::nullopt;
  if (v->kind() == yaml::Node::Kind::kScalar) {
    if (auto d = Date::Parse(v->value())) return d;
  }
  context_.AddError(*v, PathOf(field),
                    Shape(*v) + " is not a date: write a real calendar day as YYYY-MM-DD");
  return std::nullopt;
}

Date MappingReader::DateField(std::string_view field) {
  return OptDate(field).value_or(Date::FromYmd(1970, 1, 1));
}

std::optional<std::string> MappingReader::OptReference(std::string_view field) {
  const format::Field& spec = Declared(field, format::Type::kReference);
  const yaml::Node* v = Typed(field, format::Type::kReference);
  std::string id;
  if (!v || !ScalarText(field, *v, id)) return std::nullopt;
  context_.Refer(*v, spec.target, path_, spec.name);
  return id;
}

std::string MappingReader::Reference(std::string_view field) {
  return OptReference(field).value_or(std::string());
}

std::vector<std::string> MappingReader::Ids(std::string_view field) {
  const yaml::Node* v = Typed(field, format::Type::kIds);
  std::vector<std::string> out;
  if (!v) return out;
  if (v->kind() != yaml::Node::Kind::kSequence) {
    context_.AddError(*v, PathOf(field), Describe(field, "a list of ids", *v));
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const yaml::Node& item = v->child(i);
    const std::string path = PathOf(field) + "[" + std::to_string(i) + "]";
    if (item.kind() != yaml::Node::Kind::kScalar || !format::IsValidId(item.value())) {
      context_.AddError(
          item, path,
          Shape(item) + " is not a valid id: use lower-case letters, digits and hyphens");
      continue;
    }
    out.emplace_back(item.value());
  }
  return out;
}

std::vector<std::string> MappingReader::References(std::string_view field) {
  const format::Field& spec = Declared(field, format::Type::kReferences);
  const yaml::Node* v = Typed(field, format::Type::kReferences);
  std::vector<std::string> out;
  if (!v) return out;
  if (v->kind() != yaml::Node::Kind::kSequence) {
    context_.AddError(
        *v, PathOf(field),
        Describe(field, "a list of " + std::string(format::TargetName(spec.target)) + " ids", *v));
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const yaml::Node& item = v->child(i);
    const std::string& item_field =
        context_.KeepPath(std::string(field) + "[" + std::to_string(i) + "]");
    std::string id;
    if (!ScalarText(item_field, item, id)) continue;
    context_.Refer(item, spec.target, path_, item_field);
    out.push_back(std::move(id));
  }
  return out;
}

std::vector<std::string> MappingReader::Texts(std::string_view field) {
  const yaml::Node* v = Typed(field, format::Type::kTexts);
  std::vector<std::string> out;
  if (!v) return out;
  if (v->kind() != yaml::Node::Kind::kSequence) {
    context_.AddError(*v, PathOf(field), Describe(field, "a list of texts", *v));
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const yaml::Node& item = v->child(i);
    if (item.kind() != yaml::Node::Kind::kScalar || item.IsNull()) {
      context_.AddError(item, PathOf(field) + "[" + std::to_string(i) + "]",
                        "expected text, found " + Shape(item));
      continue;
    }
    if (!Printable(field, item)) continue;
    out.emplace_back(item.value());
  }
  return out;
}

std::string MappingReader::BelongsElsewhere(const format::Field& self,
                                            const yaml::Node& value) const {
  if (value.kind() != yaml::Node::Kind::kScalar) return {};
  for (const format::Field& other : record_.fields) {
    if (&other == &self ||
        (other.type != format::Type::kChoice && other.type != format::Type::kChoices)) {
      continue;
    }
    for (std::string_view v : other.values) {
      if (v != value.value()) continue;
      const std::string word(v);
      return ": '" + word + "' is a value of " + std::string(other.name) + ", not of " +
             std::string(self.name) + "; write " + std::string(other.name) + ": " +
             (other.type == format::Type::kChoices ? "[" + word + "]" : word);
    }
  }
  return {};
}

int MappingReader::Choice(std::string_view field) {
  const format::Field& spec = Declared(field, format::Type::kChoice);
  const yaml::Node* v = Typed(field, format::Type::kChoice);
  if (!v) return -1;
  if (v->kind() == yaml::Node::Kind::kScalar) {
    for (size_t i = 0; i < spec.values.size(); ++i) {
      if (spec.values[i] == v->value()) return static_cast<int>(i);
    }
  }
  if (std::string elsewhere = BelongsElsewhere(spec, *v); !elsewhere.empty()) {
    context_.AddError(*v, PathOf(field), Shape(*v) + " is not allowed here" + elsewhere);
    return -1;
  }
  context_.AddError(*v, PathOf(field),
                    Shape(*v) + " is not allowed" + Suggest(v->value(), spec.values) +
                        "; allowed values: " + JoinValues(spec.values));
  return -1;
}

std::optional<std::vector<int>> MappingReader::Choices(std::string_view field) {
  const format::Field& spec = Declared(field, format::Type::kChoices);
  const yaml::Node* v = Typed(field, format::Type::kChoices);
  if (!v) return std::nullopt;
  if (v->kind() != yaml::Node::Kind::kSequence) {
    context_.AddError(*v, PathOf(field),
                      Describe(field, "a list such as [" + std::string(spec.values[0]) + "]", *v));
    return std::nullopt;
  }
  std::vector<int> out;
  for (size_t i = 0; i < v->size(); ++i) {
    const yaml::Node& item = v->child(i);
    int found = -1;
    if (item.kind() == yaml::Node::Kind::kScalar) {
      for (size_t j = 0; j < spec.values.size(); ++j) {
        if (spec.values[j] == item.value()) found = static_cast<int>(j);
      }
    }
    if (found < 0) {
      if (std::string elsewhere = BelongsElsewhere(spec, item); !elsewhere.empty()) {
        context_.AddError(item, PathOf(field) + "[" + std::to_string(i) + "]",
                          Shape(item) + " is not allowed here" + elsewhere);
        continue;
      }
      context_.AddError(item, PathOf(field) + "[" + std::to_string(i) + "]",
                        Shape(item) + " is not allowed" + Suggest(item.value(), spec.values) +
                            "; allowed values: " + JoinValues(spec.values));
      continue;
    }
    out.push_back(found);
  }
  return out;
}

const yaml::Node* MappingReader::Sub(std::string_view field) {
  const format::Field* f = record_.Find(field);
  if (!f) ProgrammerError("field read but not declared", record_.name, field);
  if (f->type != format::Type::kRecord) {
    ProgrammerError("field read with another type", record_.name, field);
  }
  read_ |= 1u << Index(f);
  return ok_ ? values_[Index(f)] : nullptr;
}

}  // namespace assure::load
