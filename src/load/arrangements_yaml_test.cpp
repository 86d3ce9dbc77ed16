// The loader maps every field of the format into the domain, and refuses a broken file whole.
#include "load/arrangements_yaml.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace assure {
namespace {

// Every field of every record, once.
constexpr const char* kEveryField = R"(authority:
  id: every
  name: Every Field Council
  gss_code: E06000099
  type: london_borough
  governance: mayor_cabinet
  as_of: 2017-01-24
people:
  - id: alex
    name: Alex Example
    elected_member: false
    appointed: 2015-10-01
    interim: true
    first_director_role: true
    csc_background: some
    mentor: "ADCS mentoring scheme"
    due_diligence: 2015-07-14
    children_involved_in_appointment: false
  - { id: chris, name: Chris Chief, elected_member: false }
  - { id: cat, name: Cat Councillor, elected_member: true }
posts:
  - { id: ceo, title: Chief Executive, holder: chris, statutory_roles: [head_of_paid_service] }
  - id: people-director
    title: "Executive Director, People"
    holder: alex
    reports_to: ceo
    statutory_roles: [dcs, dass]
    functions: [education, childrens_social_care, adult_social_care]
    shared_with: [neighbour-city]
    interim_until: 2017-06-30
    recruitment_active: true
    safeguarding_lead: false
members:
  - { person: cat, roles: [cabinet_member, committee_chair], portfolio: [education], designations: [lmcs, lead_member_adults] }
bodies:
  - id: partnership
    name: Safeguarding Partnership
    kind: lscb
    chair: cat
    chair_appointed_by: ceo
    members:
      - { who: alex, role: lead_partner }
functions_commissioned:
  - { id: trust, name: Children's Trust, provider: trust, functions: [childrens_social_care], accountable_post: people-director }
assurance:
  reviews:
    - { id: r1, date: 2016-03-15, kind: peer_review, scope: [dcs, lmcs], elements: [accountability], self_assessed: true, peer_challenged: false, approved_by: partnership, approved_on: 2016-04-01 }
  review_interval_months: 18
  changes:
    - { date: 2016-10-01, kind: interim, description: "Interim appointed" }
  departures:
    - { check: dcs.mentoring, reason: "Arranging", agreed_by: partnership, agreed_on: 2016-11-01, review_by: 2017-04-01 }
  published: { url: "https://example.gov.uk", on: 2016-11-01 }
)";

TEST(ArrangementsYaml, MapsEveryField) {
  const Arrangements a = testing::MustLoad(kEveryField);
  EXPECT_EQ(a.authority.gss_code, "E06000099");
  EXPECT_EQ(a.authority.type, AuthorityType::kLondonBorough);
  EXPECT_EQ(a.authority.governance, Governance::kMayorCabinet);
  EXPECT_EQ(a.authority.as_of.ToString(), "2017-01-24");
  ASSERT_EQ(a.people.size(), 3u);
  const Person& alex = a.people[0];
  EXPECT_EQ(alex.appointed->ToString(), "2015-10-01");
  EXPECT_EQ(alex.interim, true);
  EXPECT_EQ(alex.first_director_role, true);
  EXPECT_EQ(alex.csc_background, CscBackground::kSome);
  EXPECT_EQ(alex.mentor, "ADCS mentoring scheme");
  EXPECT_EQ(alex.due_diligence->ToString(), "2015-07-14");
  EXPECT_EQ(alex.children_involved_in_appointment, false);
  EXPECT_FALSE(a.people[1].appointed);
  const Post& post = a.posts[1];
  EXPECT_EQ(post.holder, "alex");
  EXPECT_EQ(post.reports_to, "ceo");
  EXPECT_EQ(post.statutory_roles, (std::vector{StatutoryRole::kDcs, StatutoryRole::kDass}));
  EXPECT_EQ(post.functions->size(), 3u);
  EXPECT_EQ(post.shared_with, std::vector<std::string>{"neighbour-city"});
  EXPECT_EQ(post.interim_until->ToString(), "2017-06-30");
  EXPECT_EQ(post.recruitment_active, true);
  EXPECT_EQ(post.safeguarding_lead, false);
  EXPECT_FALSE(a.posts[0].functions) << "absent functions are unknown, not empty";
  const Member& m = a.members[0];
  EXPECT_EQ(m.roles, (std::vector{MemberRole::kCabinetMember, MemberRole::kCommitteeChair}));
  EXPECT_EQ(m.portfolio, std::vector{Function::kEducation});
  EXPECT_EQ(m.designations, (std::vector{Designation::kLmcs, Designation::kLeadMemberAdults}));
  const Body& b = a.bodies[0];
  EXPECT_EQ(b.kind, BodyKind::kLscb);
  EXPECT_EQ(b.chair, "cat");
  EXPECT_EQ(b.chair_appointed_by, "ceo");
  ASSERT_EQ(b.members.size(), 1u);
  EXPECT_EQ(b.members[0].role, SeatRole::kLeadPartner);
  const CommissionedFunction& c = a.functions_commissioned[0];
  EXPECT_EQ(c.provider, ProviderKind::kTrust);
  EXPECT_EQ(c.accountable_post, "people-director");
  const Review& r = a.assurance.reviews[0];
  EXPECT_EQ(r.kind, ReviewKind::kPeerReview);
  EXPECT_EQ(r.scope, (std::vector{AssuredRole::kDcs, AssuredRole::kLmcs}));
  EXPECT_EQ(r.elements, std::vector{Element::kAccountability});
  EXPECT_EQ(r.self_assessed, true);
  EXPECT_EQ(r.peer_challenged, false);
  EXPECT_EQ(r.approved_by, "partnership");
  EXPECT_EQ(r.approved_on->ToString(), "2016-04-01");
  EXPECT_EQ(a.assurance.review_interval_months, 18);
  EXPECT_EQ(a.assurance.changes[0].kind, ChangeKind::kInterim);
  EXPECT_EQ(a.assurance.changes[0].description, "Interim appointed");
  const Departure& d = a.assurance.departures[0];
  EXPECT_EQ(d.check, "dcs.mentoring");
  EXPECT_EQ(d.agreed_by, "partnership");
  EXPECT_EQ(d.review_by->ToString(), "2017-04-01");
  EXPECT_EQ(a.assurance.published->url, "https://example.gov.uk");
  EXPECT_EQ(a.assurance.published->on->ToString(), "2016-11-01");
}

TEST(ArrangementsYaml, DefaultsOnlyWhereTheContractSays) {
  const Arrangements a = testing::MustLoad(
      R"(authority: { id: a, name: A, type: county, governance: committee, as_of: 2020-01-01 }
)");
  EXPECT_EQ(a.assurance.review_interval_months, 12);
  EXPECT_TRUE(a.posts.empty());
  EXPECT_FALSE(a.assurance.published);
}

TEST(ArrangementsYaml, BrokenFileYieldsAllErrorsInFileOrderAndNoModel) {
  std::string text = kEveryField;
  text.replace(text.find("holder: alex"), 12, "holder: ceo");                  // wrong kind
  text.replace(text.find("interim: true"), 13, "interim: yes");                // YAML 1.1 boolean
  text.replace(text.find("as_of: 2017-01-24"), 17, "as_of: 2017-02-29");       // no such day
  text.replace(text.find("csc_background: some"), 20, "csc_backgrund: some");  // misspelt
  const Result<Arrangements> r = load::ParseArrangements(text, "f.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors().size(), 4u);
  for (size_t i = 1; i < r.errors().size(); ++i) {
    EXPECT_LE(r.errors()[i - 1].line, r.errors()[i].line);
  }
  EXPECT_NE(r.errors()[0].message.find("authority.as_of"), std::string::npos);
  EXPECT_NE(r.errors()[1].message.find("expected true or false, found 'yes'"), std::string::npos);
  EXPECT_NE(r.errors()[2].message.find("did you mean 'csc_background'"), std::string::npos);
  EXPECT_NE(r.errors()[3].message.find("'ceo' is a post, but this must name a person"),
            std::string::npos)
      << r.errors()[3].message;
}

TEST(ArrangementsYaml, ReportsACycleOnceAtTheFirstPostInFileOrder) {
  const Result<Arrangements> r = load::ParseArrangements(
      R"(authority: { id: a, name: A, type: county, governance: committee, as_of: 2020-01-01 }
posts:
  - { id: top, title: Top }
  - { id: b, title: B, reports_to: c }
  - { id: c, title: C, reports_to: d }
  - { id: d, title: D, reports_to: b }
)",
      "cycle.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].line, 4);
  EXPECT_EQ(r.errors()[0].column, 36);
  EXPECT_NE(r.errors()[0].message.find("b -> c -> d -> b"), std::string::npos);
}

}  // namespace
}  // namespace assure

namespace assure {
namespace {

// Written out and read back, arrangements are unchanged: for the every-field file, every
// example and every check case.
TEST(ArrangementsYaml, WriteThenReadGivesEqualArrangements) {
  std::vector<std::pair<std::string, std::string>> inputs = {{"every-field", kEveryField}};
  for (const char* dir : {"examples", "tests/cases"}) {
    for (const auto& path : testing::FilesUnder(dir, ".yaml")) {
      inputs.emplace_back(path.string(), testing::ReadFile(path));
    }
  }
  ASSERT_GT(inputs.size(), 200u);
  for (const auto& [name, text] : inputs) {
    const Arrangements original = testing::MustLoad(text, name);
    const std::string written = load::WriteArrangements(original);
    const Result<Arrangements> again = load::ParseArrangements(written, name + " (written)");
    ASSERT_TRUE(again.ok()) << name << ": " << again.errors().front().ToString() << "\n" << written;
    EXPECT_TRUE(again.value() == original) << name << "\n" << written;
    EXPECT_EQ(load::WriteArrangements(again.value()), written) << name << ": not stable";
  }
}

TEST(ArrangementsYaml, WriterQuotesTextThatWouldReadAsSomethingElse) {
  Arrangements a = testing::MustLoad(
      R"(authority: { id: a, name: "true", type: county, governance: committee, as_of: 2020-01-01 }
people:
  - { id: p, name: "2020-01-01", elected_member: false, mentor: "~" }
assurance:
  changes: [{ date: 2020-01-01, kind: restructure, description: "null" }]
)");
  const std::string written = load::WriteArrangements(a);
  EXPECT_NE(written.find("name: \"true\""), std::string::npos) << written;
  EXPECT_NE(written.find("mentor: \"~\""), std::string::npos) << written;
  const Result<Arrangements> again = load::ParseArrangements(written, "w.yaml");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.value() == a);
}

}  // namespace
}  // namespace assure

namespace assure {
namespace {

TEST(ArrangementsYaml, RepeatedKeyFoundInALargeMappingToo) {
  std::string text = "authority:\n";
  for (int i = 0; i < 40; ++i) text += "  k" + std::to_string(i) + ": x\n";
  text += "  k3: again\n";
  const Result<Arrangements> r = load::ParseArrangements(text, "big.yaml");
  ASSERT_FALSE(r.ok());
  bool found = false;
  for (const Error& e : r.errors()) {
    if (e.message.find("the key 'k3' is given twice") != std::string::npos) {
      found = true;
      EXPECT_EQ(e.line, 42);
      EXPECT_EQ(e.column, 3);
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace assure
