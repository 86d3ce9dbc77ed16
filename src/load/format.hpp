// The arrangements file's format (docs/format.md) as data: every record, every field, its type,
// whether it is required, its allowed values and what it means. One description serves three
// readers: the loader (unknown and missing fields, types), the JSON Schema (`assure schema`) and
// the format reference for people (docs/format.md), so the three cannot drift apart.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace assure::format {

enum class Type {
  kText,         // any non-empty scalar
  kId,           // an id: [a-z0-9][a-z0-9-]*, unique in the file
  kBool,         // true | false
  kWholeNumber,  // a whole number, at least 1
  kDate,         // YYYY-MM-DD, a real calendar day
  kChoice,       // one of `values`
  kChoices,      // a list of `values`
  kReference,    // the id of something of kind `target`
  kIds,          // a list of ids (of other authorities: not resolved in the file)
  kTexts,        // a list of texts
  kRecord,       // a mapping described by `record`
  kRecords,      // a list of mappings described by `record`
  kReferences,   // a list of ids, each of something of kind `target`
};

// What a reference must name.
enum class Target { kNone, kPerson, kPost, kBody };

struct Record;

struct Field {
  std::string_view name;
  Type type;
  bool required;
  std::string_view meaning;
  std::string_view example;  // a YAML value, as it would follow `name: `
  std::span<const std::string_view> values = {};
  Target target = Target::kNone;
  const Record* record = nullptr;
};

struct Record {
  std::string_view name;  // "post", "review", ...
  std::string_view meaning;
  std::vector<Field> fields;

  // Returns the field called `name`, or nullptr.
  const Field* Find(std::string_view name) const;
};

// "a post", "an authority", "an assurance": the noun with its indefinite article.
inline std::string WithArticle(std::string_view noun) {
  const bool vowel =
      !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(noun);
}

// The whole file: the top-level mapping.
const Record& File();

// Every record of the format, the file first, each once, in the order a reference lists them.
std::vector<const Record*> AllRecords();

// Returns the word a message uses for a target kind: "person", "post", "body".
std::string_view TargetName(Target target);

// The ids of every check the program knows, in the order of docs/checks.md.
std::span<const std::string_view> CheckIds();

// The pattern every id matches.
inline constexpr std::string_view kIdPattern = "^[a-z0-9][a-z0-9-]*$";

// True when `id` matches kIdPattern.
bool IsValidId(std::string_view id);

}  // namespace assure::format
