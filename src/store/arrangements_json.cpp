#include "store/arrangements_json.hpp"

#include <set>
#include <string>

#include "load/arrangements_json.hpp"

namespace assure::store {
namespace {

using nlohmann::json;

// A list of records as an object keyed by each record's `key` field, or left a list when the
// keys are not all present, text, and unique.
void Key(json& list, const char* key) {
  if (!list.is_array()) return;
  std::set<std::string> keys;
  for (const json& item : list) {
    auto it = item.find(key);
    if (it == item.end() || !it->is_string() || !keys.insert(it->get<std::string>()).second) {
      return;
    }
  }
  json keyed = json::object();
  for (json& item : list) {
    // The key first: the assignment's right side (a by-value move) is evaluated before its left.
    const std::string name = item[key].get<std::string>();
    keyed[name] = std::move(item);
  }
  list = std::move(keyed);
}

}  // namespace

json ArrangementsToJson(const Arrangements& a) {
  // The file's own JSON form (one definition of the format), with its lists keyed.
  json out = load::ArrangementsJsonSorted(a);
  for (const auto& [list, key] :
       {std::pair{"people", "id"}, std::pair{"posts", "id"}, std::pair{"members", "person"},
        std::pair{"bodies", "id"}, std::pair{"functions_commissioned", "id"}}) {
    if (out.contains(list)) Key(out[list], key);
  }
  if (out.contains("bodies") && out["bodies"].is_object()) {
    for (auto& [id, body] : out["bodies"].items()) {
      if (body.contains("members")) Key(body["members"], "who");
    }
  }
  if (out.contains("assurance")) {
    json& assurance = out["assurance"];
    if (assurance.contains("reviews")) Key(assurance["reviews"], "id");
    if (assurance.contains("departures")) Key(assurance["departures"], "check");
  }
  return out;
}

}  // namespace assure::store
