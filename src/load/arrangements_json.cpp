#include "load/arrangements_json.hpp"

#include <nlohmann/json.hpp>

#include "load/arrangements_yaml.hpp"
#include "load/format.hpp"
#include "load/reader.hpp"
#include "load/yaml_tree.hpp"

namespace assure::load {
namespace {

using nlohmann::ordered_json;

// JSON into the loader's tree. Strings become quoted scalars (so "true" is text, not a
// boolean); booleans, numbers and null become plain scalars, as YAML would have them. JSON has
// no positions here: errors name their field path instead.
void AddNode(const ordered_json& j, yaml::TreeBuilder& b) {
  if (j.is_object()) {
    b.Open(yaml::Node::Kind::kMapping, true, 0, 0);
    for (const auto& [key, value] : j.items()) {
      b.Scalar(key, false, 0, 0);
      AddNode(value, b);
    }
    b.Close();
  } else if (j.is_array()) {
    b.Open(yaml::Node::Kind::kSequence, true, 0, 0);
    for (const auto& item : j) AddNode(item, b);
    b.Close();
  } else if (j.is_string()) {
    b.Scalar(j.get_ref<const std::string&>(), false, 0, 0);
  } else if (j.is_null()) {
    b.Scalar("null", true, 0, 0);
  } else {
    b.Scalar(j.dump(), true, 0, 0);
  }
}

// The loader's tree into JSON, typed by the format description.
ordered_json ToJson(const yaml::Node& n, const format::Field* field, const format::Record* record);

ordered_json Scalar(const yaml::Node& n, const format::Field* field) {
  if (field && field->type == format::Type::kBool) return n.value() == "true";
  if (field && field->type == format::Type::kWholeNumber) {
    return std::stoi(std::string(n.value()));
  }
  return std::string(n.value());
}

ordered_json ToJson(const yaml::Node& n, const format::Field* field, const format::Record* record) {
  switch (n.kind()) {
    case yaml::Node::Kind::kMapping: {
      ordered_json out = ordered_json::object();
      for (size_t i = 0; i < n.MappingSize(); ++i) {
        const format::Field* f = record ? record->Find(n.Key(i).value()) : nullptr;
        out[std::string(n.Key(i).value())] = ToJson(n.Value(i), f, f ? f->record : nullptr);
      }
      return out;
    }
    case yaml::Node::Kind::kSequence: {
      ordered_json out = ordered_json::array();
      for (size_t i = 0; i < n.size(); ++i) out.push_back(ToJson(n.child(i), field, record));
      return out;
    }
    case yaml::Node::Kind::kScalar:
      break;
  }
  return Scalar(n, field);
}

// Line and column of a byte offset, for a JSON syntax error.
std::pair<int, int> Position(std::string_view text, size_t byte) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

Result<Arrangements> ParseArrangementsJson(std::string_view json, const std::string& name) {
  ordered_json document;
  try {
    document = ordered_json::parse(json);
  } catch (const ordered_json::parse_error& e) {
    const auto [line, column] = Position(json, e.byte > 0 ? e.byte - 1 : 0);
    return std::vector<Error>{Error{ErrorCode::kInvalid, name, line, column, "",
                                    "malformed JSON: " + std::string(e.what())}};
  }
  yaml::TreeBuilder builder;
  AddNode(document, builder);
  const yaml::Tree tree = builder.Finish();
  return ParseArrangementsTree(tree.root(), name);
}

std::string ArrangementsToJson(const Arrangements& arrangements) {
  const std::string written = WriteArrangements(arrangements);  // the tree points into it
  const Result<yaml::Tree> tree = yaml::Parse(written, "written");
  // The writer's output always parses; an error here is a defect caught by the tests.
  if (!tree.ok()) return "{}";
  return ToJson(tree.value().root(), nullptr, &format::File()).dump(2) + "\n";
}

}  // namespace assure::load
