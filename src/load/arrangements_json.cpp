#include "load/arrangements_json.hpp"

#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "load/arrangements_walk.hpp"
#include "load/arrangements_yaml.hpp"
#include "load/json_input.hpp"
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

// Builds a JSON value (nlohmann::json or ordered_json) from the Writer's calls: texts, ids,
// words and dates as strings, booleans and numbers typed, as the format says.
template <typename Json>
class JsonBuilder {
 public:
  void Begin() {}
  void End() {}
  void MapStart(bool = false) { Open(Json::object()); }
  void MapEnd() { open_.pop_back(); }
  void SeqStart(bool) { Open(Json::array()); }
  void SeqEnd() { open_.pop_back(); }
  void Key(std::string_view key) { key_ = key; }
  void Plain(std::string_view value) { Put(std::string(value)); }
  void Text(const std::string& value) { Put(value); }
  void Bool(bool value) { Put(value); }
  void Number(int value) { Put(value); }

  Json Take() { return std::move(root_); }

 private:
  // Adds `value` to the innermost open mapping (under the last key) or sequence, or makes it
  // the root; returns where it now is. Only the innermost open value grows, so the pointers to
  // the values around it stay valid.
  Json* Put(Json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& top = *open_.back();
    if (top.is_array()) {
      top.push_back(std::move(value));
      return &top.back();
    }
    return &(top[key_] = std::move(value));
  }
  void Open(Json value) { open_.push_back(Put(std::move(value))); }

  Json root_;
  std::vector<Json*> open_;
  std::string key_;
};

// Builds the loader's tree from the Writer's calls, with one entry of one list replaced, removed
// or added (EntryEdit): the tree the reader would get from the arrangements file so changed.
class EditingTreeSink {
 public:
  EditingTreeSink(yaml::TreeBuilder& b, const EntryEdit& edit) : b_(b), edit_(edit) {}

  void Begin() {}
  void End() {}
  void MapStart(bool flow = false) {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return;
    }
    if (in_list_ && open_.size() == list_depth_) {  // an entry of the edited list
      if (element_++ == edit_.index) {
        if (edit_.entry) AddNode(*edit_.entry, b_);
        skip_depth_ = 1;  // the entry as it was is left out
        return;
      }
    }
    Open(yaml::Node::Kind::kMapping, flow);
  }
  void MapEnd() {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return;
    }
    // An empty list is not written: an entry added to one makes it, at the end of the mapping
    // that holds it (the top level, or assurance, which is made too when it was not written).
    if (!seen_ && Adding()) {
      if (edit_.in_assurance ? IsOpen({"", "assurance"}) : IsOpen({""})) {
        AddList();
      } else if (edit_.in_assurance && IsOpen({""})) {
        b_.Scalar("assurance", true, 0, 0);
        b_.Open(yaml::Node::Kind::kMapping, false, 0, 0);
        AddList();
        b_.Close();
      }
    }
    Close();
  }
  void SeqStart(bool flow) {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return;
    }
    Open(yaml::Node::Kind::kSequence, flow);
    const std::string_view list = edit_.list;
    if (edit_.in_assurance ? IsOpen({"", "assurance", list}) : IsOpen({"", list})) {
      seen_ = in_list_ = true;
      list_depth_ = open_.size();
    }
  }
  void SeqEnd() {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return;
    }
    if (in_list_ && open_.size() == list_depth_) {
      if (Adding()) AddNode(*edit_.entry, b_);
      in_list_ = false;
    }
    Close();
  }
  void Key(std::string_view key) {
    if (skip_depth_ > 0) return;
    key_ = key;
    b_.Scalar(key, true, 0, 0);
  }
  void Plain(std::string_view value) { Value(value, true); }
  void Text(const std::string& value) { Value(value, false); }
  void Bool(bool value) { Value(value ? "true" : "false", true); }
  void Number(int value) { Value(std::to_string(value), true); }

 private:
  bool Adding() const { return edit_.index < 0 && edit_.entry; }
  // The collections open are these, named by the keys they were opened under ("" for the top).
  bool IsOpen(std::initializer_list<std::string_view> keys) const {
    return std::equal(open_.begin(), open_.end(), keys.begin(), keys.end());
  }

  void Value(std::string_view value, bool plain) {
    if (skip_depth_ == 0) b_.Scalar(value, plain, 0, 0);
  }
  void Open(yaml::Node::Kind kind, bool flow) {
    // A collection in a mapping is named by its key; one in a sequence by "-".
    open_.push_back(open_.empty() ? "" : in_mapping_.back() ? key_ : "-");
    in_mapping_.push_back(kind == yaml::Node::Kind::kMapping);
    b_.Open(kind, flow, 0, 0);
  }
  void Close() {
    open_.pop_back();
    in_mapping_.pop_back();
    b_.Close();
  }
  void AddList() {
    b_.Scalar(edit_.list, true, 0, 0);
    b_.Open(yaml::Node::Kind::kSequence, false, 0, 0);
    AddNode(*edit_.entry, b_);
    b_.Close();
    seen_ = true;
  }

  yaml::TreeBuilder& b_;
  const EntryEdit& edit_;
  std::vector<std::string> open_;  // the collections open, by the key each was opened under
  std::vector<bool> in_mapping_;   // whether each is a mapping
  std::string key_;                // the last key written
  int skip_depth_ = 0;             // > 0 while leaving out the replaced or removed entry
  bool in_list_ = false;           // inside the edited list
  size_t list_depth_ = 0;          // open_.size() inside it
  long element_ = 0;               // its entries met so far
  bool seen_ = false;              // the edited list was written
};

}  // namespace

Result<Arrangements> ParseArrangementsJson(std::string_view json, const std::string& name) {
  Result<ordered_json> document = ParseJsonInput(json, name);
  if (!document.ok()) return document.errors();
  return ParseArrangementsJsonValue(document.value(), name);
}

Result<Arrangements> ParseArrangementsJsonValue(const ordered_json& document,
                                                const std::string& name) {
  yaml::TreeBuilder builder;
  AddNode(document, builder);
  const yaml::Tree tree = builder.Finish();
  return ParseArrangementsTree(tree.root(), name);
}

Result<Arrangements> EditArrangements(const Arrangements& current, const EntryEdit& edit,
                                      const std::string& name) {
  yaml::TreeBuilder builder;
  EditingTreeSink sink(builder, edit);
  Writer<EditingTreeSink>(sink).Write(current);
  const yaml::Tree tree = builder.Finish();
  return ParseArrangementsTree(tree.root(), name);
}

std::string ArrangementsToJson(const Arrangements& arrangements) {
  return ArrangementsJsonValue(arrangements).dump(2) + "\n";
}

nlohmann::ordered_json ArrangementsJsonValue(const Arrangements& arrangements) {
  JsonBuilder<nlohmann::ordered_json> builder;
  Writer<JsonBuilder<nlohmann::ordered_json>>(builder).Write(arrangements);
  return builder.Take();
}

nlohmann::json ArrangementsJsonSorted(const Arrangements& arrangements) {
  JsonBuilder<nlohmann::json> builder;
  Writer<JsonBuilder<nlohmann::json>>(builder).Write(arrangements);
  return builder.Take();
}

}  // namespace assure::load
