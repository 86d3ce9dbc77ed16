// The arrangements file written out, through libyaml's emitter so that every value is quoted
// exactly when YAML needs it.
#include <yaml.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "load/arrangements_json.hpp"
#include "load/arrangements_yaml.hpp"

namespace assure::load {
namespace {

// A text that YAML would read as something other than text unless quoted.
bool NeedsQuotes(const std::string& text) {
  if (text.empty()) return true;
  static const char* const kSpecial[] = {"~",    "null",  "Null",  "NULL",  "true", "True",
                                         "TRUE", "false", "False", "FALSE", "yes",  "Yes",
                                         "no",   "No",    "on",    "On",    "off",  "Off"};
  for (const char* word : kSpecial) {
    if (text == word) return true;
  }
  // Numbers and dates keep their text when quoted.
  return text.find_first_not_of("0123456789-+.:eE") == std::string::npos;
}

class Emitter {
 public:
  Emitter() {
    yaml_emitter_initialize(&emitter_);
    yaml_emitter_set_output(&emitter_, &Emitter::Write, this);
    yaml_emitter_set_unicode(&emitter_, 1);
    yaml_emitter_set_width(&emitter_, 100);
    yaml_emitter_set_indent(&emitter_, 2);
  }
  ~Emitter() { yaml_emitter_delete(&emitter_); }
  Emitter(const Emitter&) = delete;
  Emitter& operator=(const Emitter&) = delete;

  void Begin() {
    yaml_event_t e;
    yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
    Emit(e);
    yaml_document_start_event_initialize(&e, nullptr, nullptr, nullptr, 1);
    Emit(e);
  }
  void End() {
    yaml_event_t e;
    yaml_document_end_event_initialize(&e, 1);
    Emit(e);
    yaml_stream_end_event_initialize(&e);
    Emit(e);
  }
  void MapStart(bool flow = false) {
    yaml_event_t e;
    yaml_mapping_start_event_initialize(&e, nullptr, nullptr, 1,
                                        flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
    Emit(e);
  }
  void MapEnd() {
    yaml_event_t e;
    yaml_mapping_end_event_initialize(&e);
    Emit(e);
  }
  void SeqStart(bool flow) {
    yaml_event_t e;
    yaml_sequence_start_event_initialize(
        &e, nullptr, nullptr, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    Emit(e);
  }
  void SeqEnd() {
    yaml_event_t e;
    yaml_sequence_end_event_initialize(&e);
    Emit(e);
  }
  void Key(std::string_view key) { Plain(key); }
  // A value YAML reads as itself: a key, an id, a vocabulary word, a boolean, a number, a date.
  void Plain(std::string_view value) { Scalar(value, YAML_PLAIN_SCALAR_STYLE); }
  // Free text: plain where YAML allows it, quoted where it would read as something else.
  void Text(const std::string& value) {
    Scalar(value, NeedsQuotes(value) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
  }

  void Bool(bool value) { Plain(value ? "true" : "false"); }
  void Number(int value) { Plain(std::to_string(value)); }

  std::string Take() { return std::move(out_); }

 private:
  static int Write(void* self, unsigned char* buffer, size_t size) {
    static_cast<Emitter*>(self)->out_.append(reinterpret_cast<char*>(buffer), size);
    return 1;
  }
  void Scalar(std::string_view value, yaml_scalar_style_t style) {
    yaml_event_t e;
    yaml_scalar_event_initialize(&e, nullptr, nullptr,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), 1, 1, style);
    Emit(e);
  }
  void Emit(yaml_event_t& e) {
    // The emitter only fails on a malformed event sequence, which would be a defect here.
    if (!yaml_emitter_emit(&emitter_, &e)) {
      std::fprintf(stderr, "internal error: YAML emitter: %s\n",
                   emitter_.problem ? emitter_.problem : "unknown");
      std::abort();
    }
  }

  yaml_emitter_t emitter_;
  std::string out_;
};

// The arrangements walked in the format's order, into any sink with the Emitter's calls: the
// YAML emitter for files, a JSON builder for the API. One walk, so the two cannot differ.
template <typename Sink>
class Writer {
 public:
  explicit Writer(Sink& sink) : y_(sink) {}

  void Write(const Arrangements& a) {
    y_.Begin();
    y_.MapStart();
    Key("authority");
    y_.MapStart();
    Field("id", a.authority.id);
    TextField("name", a.authority.name);
    OptText("gss_code", a.authority.gss_code);
    Word("type", a.authority.type);
    Word("governance", a.authority.governance);
    DateField("as_of", a.authority.as_of);
    y_.MapEnd();
    if (!a.people.empty()) {
      Key("people");
      y_.SeqStart(false);
      for (const Person& p : a.people) WritePerson(p);
      y_.SeqEnd();
    }
    if (!a.posts.empty()) {
      Key("posts");
      y_.SeqStart(false);
      for (const Post& p : a.posts) WritePost(p);
      y_.SeqEnd();
    }
    if (!a.members.empty()) {
      Key("members");
      y_.SeqStart(false);
      for (const Member& m : a.members) {
        y_.MapStart();
        Field("person", m.person);
        Key("roles");
        Words(m.roles);
        if (m.portfolio) {
          Key("portfolio");
          Words(*m.portfolio);
        }
        if (!m.designations.empty()) {
          Key("designations");
          Words(m.designations);
        }
        y_.MapEnd();
      }
      y_.SeqEnd();
    }
    if (!a.bodies.empty()) {
      Key("bodies");
      y_.SeqStart(false);
      for (const Body& b : a.bodies) WriteBody(b);
      y_.SeqEnd();
    }
    if (!a.functions_commissioned.empty()) {
      Key("functions_commissioned");
      y_.SeqStart(false);
      for (const CommissionedFunction& c : a.functions_commissioned) {
        y_.MapStart();
        Field("id", c.id);
        TextField("name", c.name);
        Word("provider", c.provider);
        Key("functions");
        Words(c.functions);
        OptField("accountable_post", c.accountable_post);
        y_.MapEnd();
      }
      y_.SeqEnd();
    }
    WriteAssurance(a.assurance);
    y_.MapEnd();
    y_.End();
  }

 private:
  void Key(std::string_view key) { y_.Key(key); }
  void Field(std::string_view key, std::string_view value) {
    Key(key);
    y_.Plain(value);
  }
  void TextField(std::string_view key, const std::string& value) {
    Key(key);
    y_.Text(value);
  }
  void OptText(std::string_view key, const std::optional<std::string>& value) {
    if (value) TextField(key, *value);
  }
  void OptField(std::string_view key, const std::optional<std::string>& value) {
    if (value) Field(key, *value);
  }
  void Bool(std::string_view key, bool value) {
    Key(key);
    y_.Bool(value);
  }
  void OptBool(std::string_view key, const std::optional<bool>& value) {
    if (value) Bool(key, *value);
  }
  void DateField(std::string_view key, Date value) { Field(key, value.ToString()); }
  void OptDate(std::string_view key, const std::optional<Date>& value) {
    if (value) DateField(key, *value);
  }
  template <typename E>
  void Word(std::string_view key, E value) {
    Field(key, NameOf(value));
  }

  void WritePerson(const Person& p) {
    y_.MapStart();
    Field("id", p.id);
    TextField("name", p.name);
    Bool("elected_member", p.elected_member);
    OptDate("appointed", p.appointed);
    OptBool("interim", p.interim);
    OptBool("first_director_role", p.first_director_role);
    if (p.csc_background) Word("csc_background", *p.csc_background);
    OptText("mentor", p.mentor);
    OptDate("due_diligence", p.due_diligence);
    OptBool("children_involved_in_appointment", p.children_involved_in_appointment);
    y_.MapEnd();
  }

  void WritePost(const Post& p) {
    y_.MapStart();
    Field("id", p.id);
    TextField("title", p.title);
    OptField("holder", p.holder);
    OptField("reports_to", p.reports_to);
    if (!p.statutory_roles.empty()) {
      Key("statutory_roles");
      Words(p.statutory_roles);
    }
    if (p.functions) {
      Key("functions");
      Words(*p.functions);
    }
    if (!p.shared_with.empty()) {
      Key("shared_with");
      y_.SeqStart(true);
      for (const std::string& id : p.shared_with) y_.Plain(id);
      y_.SeqEnd();
    }
    OptDate("interim_until", p.interim_until);
    OptBool("recruitment_active", p.recruitment_active);
    OptBool("safeguarding_lead", p.safeguarding_lead);
    y_.MapEnd();
  }

  void WriteBody(const Body& b) {
    y_.MapStart();
    Field("id", b.id);
    TextField("name", b.name);
    Word("kind", b.kind);
    OptField("chair", b.chair);
    OptField("chair_appointed_by", b.chair_appointed_by);
    if (!b.members.empty()) {
      Key("members");
      y_.SeqStart(false);
      for (const Seat& s : b.members) {
        y_.MapStart(true);
        Field("who", s.who);
        Word("role", s.role);
        y_.MapEnd();
      }
      y_.SeqEnd();
    }
    y_.MapEnd();
  }

  void WriteAssurance(const Assurance& a) {
    const bool any = !a.reviews.empty() || !a.changes.empty() || !a.departures.empty() ||
                     a.published || a.review_interval_months != kDefaultReviewIntervalMonths;
    if (!any) return;
    Key("assurance");
    y_.MapStart();
    if (!a.reviews.empty()) {
      Key("reviews");
      y_.SeqStart(false);
      for (const Review& r : a.reviews) {
        y_.MapStart();
        Field("id", r.id);
        DateField("date", r.date);
        Word("kind", r.kind);
        if (!r.scope.empty()) {
          Key("scope");
          Words(r.scope);
        }
        if (!r.elements.empty()) {
          Key("elements");
          Words(r.elements);
        }
        OptBool("self_assessed", r.self_assessed);
        OptBool("peer_challenged", r.peer_challenged);
        OptField("approved_by", r.approved_by);
        OptDate("approved_on", r.approved_on);
        y_.MapEnd();
      }
      y_.SeqEnd();
    }
    if (a.review_interval_months != kDefaultReviewIntervalMonths) {
      Key("review_interval_months");
      y_.Number(a.review_interval_months);
    }
    if (!a.changes.empty()) {
      Key("changes");
      y_.SeqStart(false);
      for (const Change& c : a.changes) {
        y_.MapStart();
        DateField("date", c.date);
        Word("kind", c.kind);
        OptText("description", c.description);
        y_.MapEnd();
      }
      y_.SeqEnd();
    }
    if (!a.departures.empty()) {
      Key("departures");
      y_.SeqStart(false);
      for (const Departure& d : a.departures) {
        y_.MapStart();
        Field("check", d.check);
        OptText("reason", d.reason);
        OptField("agreed_by", d.agreed_by);
        OptDate("agreed_on", d.agreed_on);
        OptDate("review_by", d.review_by);
        y_.MapEnd();
      }
      y_.SeqEnd();
    }
    if (a.published) {
      Key("published");
      y_.MapStart();
      OptText("url", a.published->url);
      OptDate("on", a.published->on);
      y_.MapEnd();
    }
    y_.MapEnd();
  }

  template <typename E>
  void Words(const std::vector<E>& values) {
    y_.SeqStart(true);
    for (E v : values) y_.Plain(NameOf(v));
    y_.SeqEnd();
  }

  Sink& y_;
};

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

}  // namespace

std::string WriteArrangements(const Arrangements& arrangements) {
  Emitter emitter;
  Writer<Emitter>(emitter).Write(arrangements);
  return emitter.Take();
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
