#include "store/change_summary.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

namespace assure::store {
namespace {

using nlohmann::json;

// A JSON Pointer's reference tokens, unescaped (RFC 6901: ~1 is '/', ~0 is '~').
std::vector<std::string> Tokens(const std::string& pointer) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < pointer.size() && pointer[at] == '/') {
    const size_t next = pointer.find('/', at + 1);
    std::string token =
        pointer.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
    std::string plain;
    for (size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        plain += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        plain += token[i];
      }
    }
    out.push_back(std::move(plain));
    if (next == std::string::npos) break;
    at = next;
  }
  return out;
}

// What happened in one area.
struct Area {
  std::string name;
  int added = 0;
  int removed = 0;
  std::vector<std::pair<std::string, std::vector<std::string>>> changed;  // entry, its fields

  void Changed(const std::string& entry, const std::string& field) {
    for (auto& [name, fields] : changed) {
      if (name != entry) continue;
      if (!field.empty() && std::find(fields.begin(), fields.end(), field) == fields.end()) {
        fields.push_back(field);
      }
      return;
    }
    changed.push_back(
        {entry, field.empty() ? std::vector<std::string>{} : std::vector<std::string>{field}});
  }

  std::string Words() const {
    constexpr size_t kNamed = 5;  // entries named before the rest are counted
    std::vector<std::string> parts;
    for (size_t i = 0; i < changed.size() && i < kNamed; ++i) {
      const auto& [entry, fields] = changed[i];
      std::string part = entry;
      for (size_t f = 0; f < fields.size(); ++f) {
        part += (f == 0 ? " " : f + 1 == fields.size() ? " and " : ", ") + fields[f];
      }
      parts.push_back(part.empty() ? "changed" : part + " changed");
    }
    if (changed.size() > kNamed) {
      parts.push_back(std::to_string(changed.size() - kNamed) + " more changed");
    }
    if (added > 0) parts.push_back(std::to_string(added) + " added");
    if (removed > 0) parts.push_back(std::to_string(removed) + " removed");
    std::string out = name + ": ";
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
    return out;
  }
};

bool IsEntryList(const std::string& section) {
  return section == "people" || section == "posts" || section == "members" || section == "bodies" ||
         section == "functions_commissioned" || section == "reviews" || section == "changes" ||
         section == "departures";
}

}  // namespace

std::string SummariseChange(std::string_view diff_json) {
  const json patch = json::parse(diff_json, nullptr, /*allow_exceptions=*/false);
  if (patch.is_discarded() || !patch.is_array()) return "a change that cannot be read";
  if (patch.empty()) return "no change";
  std::vector<Area> areas;
  auto area = [&](const std::string& name) -> Area& {
    for (Area& a : areas) {
      if (a.name == name) return a;
    }
    Area& made = areas.emplace_back();
    made.name = name;
    return made;
  };
  for (const json& op : patch) {
    if (!op.is_object() || !op.contains("op") || !op.contains("path") || !op["op"].is_string() ||
        !op["path"].is_string()) {
      return "a change that cannot be read";
    }
    const std::string kind = op["op"].get<std::string>();
    std::vector<std::string> tokens = Tokens(op["path"].get<std::string>());
    if (tokens.empty()) {
      return op.contains("value") && op["value"].is_null() ? "deleted" : "the whole arrangements";
    }
    // The assurance section's parts are areas of their own.
    if (tokens[0] == "assurance" && tokens.size() > 1) tokens.erase(tokens.begin());
    Area& a = area(tokens[0]);
    if (!IsEntryList(tokens[0])) {
      a.Changed(tokens.size() > 1 ? tokens[1] : "", "");
      continue;
    }
    if (tokens.size() == 1) {
      // The whole list: added or removed with all its entries.
      const json* value = op.contains("value") ? &op["value"] : nullptr;
      const int n =
          value && (value->is_array() || value->is_object()) ? static_cast<int>(value->size()) : 1;
      if (kind == "add") a.added += n;
      if (kind == "remove") a.removed += n;
      if (kind == "replace") a.Changed("all", "");
      continue;
    }
    const std::string entry = tokens[0] == "changes" ? "change " + tokens[1] : tokens[1];
    if (tokens.size() == 2) {
      if (kind == "add") ++a.added;
      if (kind == "remove") ++a.removed;
      if (kind == "replace") a.Changed(entry, "");
      continue;
    }
    a.Changed(entry, tokens[2]);
  }
  std::string out;
  for (size_t i = 0; i < areas.size(); ++i) {
    out += (i ? "; " : "") + areas[i].Words();
  }
  return out;
}

}  // namespace assure::store
