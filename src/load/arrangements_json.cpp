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
// boolean); booleans, numbers and null become plain scalars, as YAML would have them.
yaml::Node ToNode(const ordered_json& j) {
  yaml::Node n;
  if (j.is_object()) {
    n.kind = yaml::Node::Kind::kMapping;
    for (const auto& [key, value] : j.items()) {
      yaml::Node k;
      k.value = key;
      n.children.push_back(std::move(k));
      n.children.push_back(ToNode(value));
    }
  } else if (j.is_array()) {
    n.kind = yaml::Node::Kind::kSequence;
    for (const auto& item : j) n.children.push_back(ToNode(item));
  } else if (j.is_string()) {
    n.plain = false;
    n.value = j.get<std::string>();
  } else if (j.is_null()) {
    n.value = "null";
  } else {
    n.value = j.dump();
  }
  return n;
}

// The loader's tree into JSON, typed by the format description.
ordered_json ToJson(const yaml::Node& n, const format::Field* field, const format::Record* record);

ordered_json Scalar(const yaml::Node& n, const format::Field* field) {
  if (field && field->type == format::Type::kBool) return n.value == "true";
  if (field && field->type == format::Type::kWholeNumber) return std::stoi(n.value);
  return n.value;
}

ordered_json ToJson(const yaml::Node& n, const format::Field* field, const format::Record* record) {
  switch (n.kind) {
    case yaml::Node::Kind::kMapping: {
      ordered_json out = ordered_json::object();
      for (size_t i = 0; i < n.MappingSize(); ++i) {
        const format::Field* f = record ? record->Find(n.Key(i).value) : nullptr;
        out[n.Key(i).value] = ToJson(n.Value(i), f, f ? f->record : nullptr);
      }
      return out;
    }
    case yaml::Node::Kind::kSequence: {
      ordered_json out = ordered_json::array();
      for (const yaml::Node& item : n.children) out.push_back(ToJson(item, field, record));
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
  return ParseArrangementsTree(ToNode(document), name);
}

std::string ArrangementsToJson(const Arrangements& arrangements) {
  const Result<yaml::Node> tree = yaml::Parse(WriteArrangements(arrangements), "written");
  // The writer's output always parses; an error here is a defect caught by the tests.
  if (!tree.ok()) return "{}";
  return ToJson(tree.value(), nullptr, &format::File()).dump(2) + "\n";
}

}  // namespace assure::load
