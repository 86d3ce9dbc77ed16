#include "store/arrangements_json.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/vocabulary.hpp"

namespace assure::store {
namespace {

using nlohmann::json;

json Value(const std::string& s) { return s; }
json Value(bool b) { return b; }
json Value(int i) { return i; }
json Value(Date d) { return d.ToString(); }

template <typename E>
requires std::is_enum_v<E> json Value(E e) { return std::string(NameOf(e)); }

template <typename T>
json Value(const std::vector<T>& list) {
  json out = json::array();
  for (const T& item : list) out.push_back(Value(item));
  return out;
}

// Sets `key` only when the fact is recorded.
template <typename T>
void Put(json& object, const char* key, const std::optional<T>& value) {
  if (value) object[key] = Value(*value);
}

template <typename T>
void Put(json& object, const char* key, const T& value) {
  object[key] = Value(value);
}

// A list as an object keyed by `key_of`, or as a list when the keys are not unique and non-empty.
template <typename T, typename KeyOf, typename ToJson>
json Keyed(const std::vector<T>& list, KeyOf key_of, ToJson to_json) {
  std::set<std::string> keys;
  bool unique = true;
  for (const T& item : list) {
    const std::string key = key_of(item);
    if (key.empty() || !keys.insert(key).second) unique = false;
  }
  json out = unique ? json::object() : json::array();
  for (const T& item : list) {
    if (unique) {
      out[key_of(item)] = to_json(item);
    } else {
      out.push_back(to_json(item));
    }
  }
  return out;
}

json PersonJson(const Person& p) {
  json o = json::object();
  Put(o, "id", p.id);
  Put(o, "name", p.name);
  Put(o, "elected_member", p.elected_member);
  Put(o, "appointed", p.appointed);
  Put(o, "interim", p.interim);
  Put(o, "first_director_role", p.first_director_role);
  Put(o, "csc_background", p.csc_background);
  Put(o, "mentor", p.mentor);
  Put(o, "due_diligence", p.due_diligence);
  Put(o, "children_involved_in_appointment", p.children_involved_in_appointment);
  return o;
}

json PostJson(const Post& p) {
  json o = json::object();
  Put(o, "id", p.id);
  Put(o, "title", p.title);
  Put(o, "holder", p.holder);
  Put(o, "reports_to", p.reports_to);
  Put(o, "statutory_roles", p.statutory_roles);
  Put(o, "functions", p.functions);
  Put(o, "shared_with", p.shared_with);
  Put(o, "interim_until", p.interim_until);
  Put(o, "recruitment_active", p.recruitment_active);
  Put(o, "safeguarding_lead", p.safeguarding_lead);
  return o;
}

json MemberJson(const Member& m) {
  json o = json::object();
  Put(o, "person", m.person);
  Put(o, "roles", m.roles);
  Put(o, "portfolio", m.portfolio);
  Put(o, "designations", m.designations);
  return o;
}

json SeatJson(const Seat& s) {
  json o = json::object();
  Put(o, "who", s.who);
  Put(o, "role", s.role);
  return o;
}

json BodyJson(const Body& b) {
  json o = json::object();
  Put(o, "id", b.id);
  Put(o, "name", b.name);
  Put(o, "kind", b.kind);
  Put(o, "chair", b.chair);
  Put(o, "chair_appointed_by", b.chair_appointed_by);
  o["members"] = Keyed(
      b.members, [](const Seat& s) { return s.who; }, SeatJson);
  return o;
}

json CommissionedJson(const CommissionedFunction& f) {
  json o = json::object();
  Put(o, "id", f.id);
  Put(o, "name", f.name);
  Put(o, "provider", f.provider);
  Put(o, "functions", f.functions);
  Put(o, "accountable_post", f.accountable_post);
  return o;
}

json ReviewJson(const Review& r) {
  json o = json::object();
  Put(o, "id", r.id);
  Put(o, "date", r.date);
  Put(o, "kind", r.kind);
  Put(o, "scope", r.scope);
  Put(o, "elements", r.elements);
  Put(o, "self_assessed", r.self_assessed);
  Put(o, "peer_challenged", r.peer_challenged);
  Put(o, "approved_by", r.approved_by);
  Put(o, "approved_on", r.approved_on);
  return o;
}

json ChangeJson(const Change& c) {
  json o = json::object();
  Put(o, "date", c.date);
  Put(o, "kind", c.kind);
  Put(o, "description", c.description);
  return o;
}

json DepartureJson(const Departure& d) {
  json o = json::object();
  Put(o, "check", d.check);
  Put(o, "reason", d.reason);
  Put(o, "agreed_by", d.agreed_by);
  Put(o, "agreed_on", d.agreed_on);
  Put(o, "review_by", d.review_by);
  return o;
}

}  // namespace

json ArrangementsToJson(const Arrangements& a) {
  json authority = json::object();
  Put(authority, "id", a.authority.id);
  Put(authority, "name", a.authority.name);
  Put(authority, "gss_code", a.authority.gss_code);
  Put(authority, "type", a.authority.type);
  Put(authority, "governance", a.authority.governance);
  Put(authority, "as_of", a.authority.as_of);

  const auto by_id = [](const auto& record) { return record.id; };
  json assurance = json::object();
  assurance["reviews"] = Keyed(a.assurance.reviews, by_id, ReviewJson);
  Put(assurance, "review_interval_months", a.assurance.review_interval_months);
  json changes = json::array();
  for (const Change& c : a.assurance.changes) changes.push_back(ChangeJson(c));
  assurance["changes"] = changes;
  assurance["departures"] = Keyed(
      a.assurance.departures, [](const Departure& d) { return d.check; }, DepartureJson);
  if (a.assurance.published) {
    json published = json::object();
    Put(published, "url", a.assurance.published->url);
    Put(published, "on", a.assurance.published->on);
    assurance["published"] = published;
  }

  json out = json::object();
  out["authority"] = authority;
  out["people"] = Keyed(a.people, by_id, PersonJson);
  out["posts"] = Keyed(a.posts, by_id, PostJson);
  out["members"] = Keyed(
      a.members, [](const Member& m) { return m.person; }, MemberJson);
  out["bodies"] = Keyed(a.bodies, by_id, BodyJson);
  out["functions_commissioned"] = Keyed(a.functions_commissioned, by_id, CommissionedJson);
  out["assurance"] = assurance;
  return out;
}

}  // namespace assure::store
