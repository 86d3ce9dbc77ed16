#include "load/arrangements_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "load/arrangements_yaml.hpp"
#include "load/format.hpp"
#include "load/yaml_tree.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

// The oracle: the YAML file as written, read back by the YAML parser and typed by the format
// table (a boolean field's scalar as a boolean, a whole number as a number), independently of
// the direct JSON walk.
nlohmann::ordered_json ToJson(const yaml::Node& n, const format::Field* field,
                              const format::Record* record);

nlohmann::ordered_json Scalar(const yaml::Node& n, const format::Field* field) {
  if (field && field->type == format::Type::kBool) return n.value() == "true";
  if (field && field->type == format::Type::kWholeNumber) {
    return std::stoi(std::string(n.value()));
  }
  return std::string(n.value());
}

nlohmann::ordered_json ToJson(const yaml::Node& n, const format::Field* field,
                              const format::Record* record) {
  switch (n.kind()) {
    case yaml::Node::Kind::kMapping: {
      nlohmann::ordered_json out = nlohmann::ordered_json::object();
      for (size_t i = 0; i < n.MappingSize(); ++i) {
        const format::Field* f = record ? record->Find(n.Key(i).value()) : nullptr;
        out[std::string(n.Key(i).value())] = ToJson(n.Value(i), f, f ? f->record : nullptr);
      }
      return out;
    }
    case yaml::Node::Kind::kSequence: {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (size_t i = 0; i < n.size(); ++i) out.push_back(ToJson(n.child(i), field, record));
      return out;
    }
    case yaml::Node::Kind::kScalar:
      break;
  }
  return Scalar(n, field);
}

TEST(ArrangementsJson, DirectJsonEqualsTheWrittenFileTypedByTheFormat) {
  std::vector<std::filesystem::path> files = testing::FilesUnder("examples", ".yaml");
  for (const auto& f : testing::FilesUnder("tests/cases", ".yaml")) files.push_back(f);
  ASSERT_GT(files.size(), 200u);
  for (const auto& path : files) {
    const Arrangements a = testing::MustLoad(testing::ReadFile(path), path.string());
    const std::string written = load::WriteArrangements(a);
    const Result<yaml::Tree> tree = yaml::Parse(written, "written");
    ASSERT_TRUE(tree.ok()) << path;
    const nlohmann::ordered_json expected = ToJson(tree.value().root(), nullptr, &format::File());
    EXPECT_EQ(load::ArrangementsJsonValue(a), expected) << path;
    EXPECT_EQ(nlohmann::json(load::ArrangementsJsonSorted(a)), nlohmann::json(expected)) << path;
    EXPECT_EQ(load::ArrangementsToJson(a), expected.dump(2) + "\n") << path;
  }
}

// The messages of a result's errors, or "ok".
std::string Outcome(const Result<Arrangements>& r) {
  if (r.ok()) return "ok";
  std::string all;
  for (const Error& e : r.errors()) all += e.ToString() + "\n";
  return all;
}

// EditArrangements gives what editing the whole document as JSON and reading it back gives:
// the same arrangements, or the same errors.
void ExpectEditLikeTheDocument(const Arrangements& a, const load::EntryEdit& edit,
                               const std::string& what) {
  nlohmann::ordered_json doc = load::ArrangementsJsonValue(a);
  nlohmann::ordered_json& parent = edit.in_assurance ? doc["assurance"] : doc;
  nlohmann::ordered_json& list = parent[std::string(edit.list)];
  if (!list.is_array()) list = nlohmann::ordered_json::array();
  if (edit.index < 0) {
    list.push_back(*edit.entry);
  } else if (edit.entry) {
    list[static_cast<size_t>(edit.index)] = *edit.entry;
  } else {
    list.erase(static_cast<size_t>(edit.index));
  }
  const Result<Arrangements> expected = load::ParseArrangementsJsonValue(doc, "edit");
  const Result<Arrangements> got = load::EditArrangements(a, edit, "edit");
  ASSERT_EQ(Outcome(got), Outcome(expected)) << what;
  if (got.ok()) {
    EXPECT_TRUE(got.value() == expected.value()) << what;
  }
}

TEST(ArrangementsJson, EditingOneEntryIsEditingTheDocument) {
  std::vector<std::filesystem::path> files = testing::FilesUnder("examples", ".yaml");
  for (const auto& f : testing::FilesUnder("tests/cases", ".yaml")) files.push_back(f);
  int edits = 0;
  for (const auto& path : files) {
    const Arrangements a = testing::MustLoad(testing::ReadFile(path), path.string());
    const nlohmann::ordered_json doc = load::ArrangementsJsonValue(a);
    for (const auto& [name, in_assurance] :
         std::vector<std::pair<std::string, bool>>{{"people", false},
                                                   {"posts", false},
                                                   {"members", false},
                                                   {"bodies", false},
                                                   {"functions_commissioned", false},
                                                   {"reviews", true},
                                                   {"changes", true},
                                                   {"departures", true}}) {
      const nlohmann::ordered_json* parent = in_assurance ? nullptr : &doc;
      if (in_assurance && doc.contains("assurance")) parent = &doc["assurance"];
      const nlohmann::ordered_json empty = nlohmann::ordered_json::array();
      const nlohmann::ordered_json& list =
          parent && parent->contains(name) ? (*parent)[name] : empty;
      const std::string what = path.string() + " " + name;
      // Each entry replaced by itself, by a changed copy, and removed.
      for (size_t i = 0; i < list.size(); ++i) {
        const long at = static_cast<long>(i);
        ExpectEditLikeTheDocument(a, {name, in_assurance, at, &list[i]}, what + " same");
        nlohmann::ordered_json changed = list[i];
        changed["added-field"] = "x";
        ExpectEditLikeTheDocument(a, {name, in_assurance, at, &changed}, what + " changed");
        ExpectEditLikeTheDocument(a, {name, in_assurance, at, nullptr}, what + " removed");
        edits += 3;
      }
      // An entry added: a copy of the first (a duplicate id, so refused, where ids are kept)
      // or of another list's, to an empty list.
      const nlohmann::ordered_json added =
          list.empty() ? nlohmann::ordered_json{{"date", "2016-01-01"}, {"kind", "restructure"}}
                       : list[0];
      ExpectEditLikeTheDocument(a, {name, in_assurance, -1, &added}, what + " added");
      ++edits;
    }
  }
  EXPECT_GT(edits, 5000);
}

TEST(ArrangementsJson, RoundTripsEveryExampleAndCase) {
  std::vector<std::filesystem::path> files = testing::FilesUnder("examples", ".yaml");
  for (const auto& f : testing::FilesUnder("tests/cases", ".yaml")) files.push_back(f);
  ASSERT_GT(files.size(), 200u);
  for (const auto& path : files) {
    const Arrangements original = testing::MustLoad(testing::ReadFile(path), path.string());
    const std::string json = load::ArrangementsToJson(original);
    const Result<Arrangements> again = load::ParseArrangementsJson(json, "body");
    ASSERT_TRUE(again.ok()) << path << ": " << again.errors().front().ToString() << "\n" << json;
    EXPECT_TRUE(again.value() == original) << path;
  }
}

TEST(ArrangementsJson, TypesFollowTheFormat) {
  const Arrangements a =
      testing::MustLoad(testing::ReadFile(testing::SourceDir() / "examples/twin-hatter-city.yaml"));
  const auto json = nlohmann::json::parse(load::ArrangementsToJson(a));
  EXPECT_TRUE(json["people"][0]["elected_member"].is_boolean());
  EXPECT_TRUE(json["authority"]["as_of"].is_string());
  EXPECT_TRUE(json["posts"].is_array());
}

TEST(ArrangementsJson, SameRulesAsTheFileWithFieldPaths) {
  const Result<Arrangements> r = load::ParseArrangementsJson(R"({
    "authority": {"id": "a", "name": "A", "type": "county", "governance": "committee",
                  "as_of": "2020-02-30"},
    "people": [{"id": "p", "name": "P", "elected_member": "yes"}],
    "posts": [{"id": "x", "title": "X", "holder": "nobody", "colour": "red"}]
  })",
                                                             "request body");
  ASSERT_FALSE(r.ok());
  std::string all;
  for (const Error& e : r.errors()) all += e.ToString() + "\n";
  EXPECT_EQ(r.errors().size(), 4u) << all;
  EXPECT_NE(all.find("request body: authority.as_of: '2020-02-30' is not a date"),
            std::string::npos)
      << all;
  // Messages name each entry by its id; the field stays a plain path, for programs.
  EXPECT_NE(all.find("people[0] (p).elected_member: expected true or false"), std::string::npos)
      << all;
  EXPECT_NE(all.find("posts[0] (x).holder: no person has the id 'nobody'"), std::string::npos)
      << all;
  bool plain_field = false;
  for (const Error& e : r.errors()) plain_field |= e.field == "posts[0].holder";
  EXPECT_TRUE(plain_field) << all;
  EXPECT_NE(all.find("unknown field 'colour'"), std::string::npos) << all;
}

TEST(ArrangementsJson, MalformedJsonHasItsPosition) {
  const Result<Arrangements> r =
      load::ParseArrangementsJson("{\n  \"authority\": {\n    \"id\": \"a\",,\n", "body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].line, 3);
  EXPECT_NE(r.errors()[0].message.find("malformed JSON"), std::string::npos);
}

}  // namespace
}  // namespace assure
