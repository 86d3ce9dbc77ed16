#include "load/arrangements_json.hpp"

#include <nlohmann/json.hpp>

#include "load/arrangements_yaml.hpp"
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
  return ParseArrangementsJsonValue(document, name);
}

Result<Arrangements> ParseArrangementsJsonValue(const ordered_json& document,
                                                const std::string& name) {
  yaml::TreeBuilder builder;
  AddNode(document, builder);
  const yaml::Tree tree = builder.Finish();
  return ParseArrangementsTree(tree.root(), name);
}

std::string ArrangementsToJson(const Arrangements& arrangements) {
  return ArrangementsJsonValue(arrangements).dump(2) + "\n";
}

}  // namespace assure::load
