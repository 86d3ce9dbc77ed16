// Private to src/load: the one walk over arrangements in the format's order, shared by the
// YAML writer (arrangements_writer.cpp) and the JSON forms (arrangements_json.cpp), so that a
// file and its JSON can never differ in what they hold.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/arrangements.hpp"

namespace assure::load {

// The arrangements walked in the format's order, into a sink with these calls:
//   Begin(), End()                        around the document
//   MapStart(bool flow), MapEnd()         a mapping (flow: written on one line, in YAML)
//   SeqStart(bool flow), SeqEnd()         a sequence
//   Key(std::string_view)                 the key of the next value in a mapping
//   Plain(std::string_view)               an id, a vocabulary word, a date
//   Text(const std::string&)              free text, as given
//   Bool(bool), Number(int)               a boolean or whole-number field
// Optional facts not recorded, and empty lists, are left out.
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
        if (!c.posts.empty()) {
          Key("posts");
          y_.SeqStart(true);
          for (const std::string& id : c.posts) y_.Plain(id);
          y_.SeqEnd();
        }
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

}  // namespace assure::load
