// An authority's leadership arrangements for children's services: the domain form of the
// arrangements file (docs/format.md). Plain values: the loader guarantees the file's rules (unique
// ids, references that resolve to the right kind, no reporting cycle), so code reading an
// Arrangements may rely on them.
//
// `std::optional` marks a fact the file may leave out. An absent optional is *unknown*, never a
// default: checks say "not recorded" rather than guess.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/vocabulary.hpp"

namespace assure {

struct Authority {
  std::string id;
  std::string name;
  std::optional<std::string> gss_code;
  AuthorityType type = AuthorityType::kUnitary;
  Governance governance = Governance::kLeaderCabinet;
  Date as_of = Date::FromYmd(1970, 1, 1);

  bool operator==(const Authority&) const = default;
};

struct Person {
  std::string id;
  std::string name;
  bool elected_member = false;
  std::optional<Date> appointed;
  std::optional<bool> interim;
  std::optional<bool> first_director_role;
  std::optional<CscBackground> csc_background;
  std::optional<std::string> mentor;
  std::optional<Date> due_diligence;
  std::optional<bool> children_involved_in_appointment;

  bool operator==(const Person&) const = default;
};

struct Post {
  std::string id;
  std::string title;
  std::optional<std::string> holder;      // a person id; absent = vacant
  std::optional<std::string> reports_to;  // a post id; absent for the head of paid service
  std::vector<StatutoryRole> statutory_roles;
  std::optional<std::vector<Function>> functions;  // unknown when absent
  std::vector<std::string> shared_with;            // ids of other authorities
  std::optional<Date> interim_until;
  std::optional<bool> recruitment_active;
  std::optional<bool> safeguarding_lead;

  bool operator==(const Post&) const = default;
};

struct Member {
  std::string person;
  std::vector<MemberRole> roles;
  std::optional<std::vector<Function>> portfolio;  // unknown when absent
  std::vector<Designation> designations;

  bool operator==(const Member&) const = default;
};

struct Seat {
  std::string who;  // a person id
  SeatRole role = SeatRole::kMember;

  bool operator==(const Seat&) const = default;
};

struct Body {
  std::string id;
  std::string name;
  BodyKind kind = BodyKind::kOther;
  std::optional<std::string> chair;               // a person id
  std::optional<std::string> chair_appointed_by;  // a post id
  std::vector<Seat> members;

  bool operator==(const Body&) const = default;
};

struct CommissionedFunction {
  std::string id;
  std::string name;
  ProviderKind provider = ProviderKind::kExternal;
  std::vector<Function> functions;
  std::optional<std::string> accountable_post;  // a post id

  bool operator==(const CommissionedFunction&) const = default;
};

struct Review {
  std::string id;
  Date date = Date::FromYmd(1970, 1, 1);
  ReviewKind kind = ReviewKind::kLocalAssuranceTest;
  std::vector<AssuredRole> scope;
  std::vector<Element> elements;
  std::optional<bool> self_assessed;
  std::optional<bool> peer_challenged;
  std::optional<std::string> approved_by;  // a body id
  std::optional<Date> approved_on;

  bool operator==(const Review&) const = default;
};

struct Change {
  Date date = Date::FromYmd(1970, 1, 1);
  ChangeKind kind = ChangeKind::kRestructure;
  std::optional<std::string> description;
  std::vector<std::string> posts;  // ids of the posts it concerns; empty when not listed

  bool operator==(const Change&) const = default;
};

struct Departure {
  std::string check;  // a check id
  std::optional<std::string> reason;
  std::optional<std::string> agreed_by;  // a body id
  std::optional<Date> agreed_on;
  std::optional<Date> review_by;

  bool operator==(const Departure&) const = default;
};

struct Publication {
  std::optional<std::string> url;
  std::optional<Date> on;

  bool operator==(const Publication&) const = default;
};

inline constexpr int kDefaultReviewIntervalMonths = 12;

struct Assurance {
  std::vector<Review> reviews;
  int review_interval_months = kDefaultReviewIntervalMonths;
  std::vector<Change> changes;
  std::vector<Departure> departures;
  std::optional<Publication> published;

  bool operator==(const Assurance&) const = default;
};

struct Arrangements {
  Authority authority;
  std::vector<Person> people;
  std::vector<Post> posts;
  std::vector<Member> members;
  std::vector<Body> bodies;
  std::vector<CommissionedFunction> functions_commissioned;
  Assurance assurance;

  bool operator==(const Arrangements&) const = default;
};

}  // namespace assure
