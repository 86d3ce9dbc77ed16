// Rules that hold across checks: departures, districts, the as_of date, one finding per check.
// Per-check scenarios live as data in tests/cases/.
#include "core/checks.hpp"

#include <gtest/gtest.h>

#include <set>

#include "test_support.hpp"

namespace assure {
namespace {

// A small authority with no schools forum (a must) and a DCS outside the chief executive's
// line (a should), with departures to exercise.
constexpr const char* kBase = R"(authority:
  id: rules
  name: Rules Council
  type: county
  governance: leader_cabinet
  as_of: 2020-06-01
people:
  - { id: chief, name: Chris Chief, elected_member: false }
  - { id: dee, name: Dee Director, elected_member: false }
  - { id: ros, name: Ros Resources, elected_member: false }
posts:
  - { id: ceo, title: Chief Executive, holder: chief, statutory_roles: [head_of_paid_service] }
  - { id: resources, title: Director of Resources, holder: ros, reports_to: ceo }
  - { id: dcs, title: Director of Children's Services, holder: dee, reports_to: resources, statutory_roles: [dcs], functions: [education, childrens_social_care] }
bodies:
  - { id: cabinet, name: Cabinet, kind: cabinet }
)";

Finding FindingFor(const std::string& yaml, const std::string& check) {
  Arrangements a = testing::MustLoad(yaml);
  for (const Finding& f : RunChecks(a, a.authority.as_of).findings) {
    if (f.check == check) return f;
  }
  ADD_FAILURE() << "no finding for " << check;
  return {};
}

std::string WithDeparture(const std::string& check, const std::string& extra) {
  return std::string(kBase) + "assurance:\n  departures:\n    - { check: " + check + extra + " }\n";
}

TEST(Checks, EveryCheckOnceInContractOrder) {
  Arrangements a = testing::MustLoad(kBase);
  const CheckReport r = RunChecks(a, a.authority.as_of);
  ASSERT_EQ(r.findings.size(), Checks().size());
  ASSERT_EQ(Checks().size(), 28u);
  std::set<std::string> ids;
  int total = 0;
  for (size_t i = 0; i < r.findings.size(); ++i) {
    EXPECT_EQ(r.findings[i].check, Checks()[i].id);
    ids.insert(r.findings[i].check);
    EXPECT_FALSE(r.findings[i].message.empty()) << r.findings[i].check;
  }
  for (int n : r.summary) total += n;
  EXPECT_EQ(ids.size(), 28u);
  EXPECT_EQ(total, 28);
}

TEST(Checks, FailingShouldWithoutDepartureFails) {
  const Finding f = FindingFor(kBase, "dcs.reports-to-ceo");
  EXPECT_EQ(f.status, Status::kFail);
  EXPECT_NE(f.message.find("Director of Resources"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("Chief Executive"), std::string::npos) << f.message;
}

TEST(Checks, AgreedDepartureExcusesAShould) {
  const Finding f = FindingFor(
      WithDeparture("dcs.reports-to-ceo",
                    ", reason: \"Interim structure\", agreed_by: cabinet, agreed_on: 2020-01-01"),
      "dcs.reports-to-ceo");
  EXPECT_EQ(f.status, Status::kDeparture);
  EXPECT_NE(f.message.find("Interim structure"), std::string::npos) << f.message;
}

TEST(Checks, DepartureNeverExcusesAMust) {
  const Finding f = FindingFor(
      WithDeparture(
          "schools-forum.established",
          ", reason: \"Forum being re-formed\", agreed_by: cabinet, agreed_on: 2020-01-01"),
      "schools-forum.established");
  EXPECT_EQ(f.status, Status::kFail);
  EXPECT_NE(f.message.find("cannot make a legal requirement optional"), std::string::npos);
}

TEST(Checks, ExpiredDepartureDoesNotApplyAndSaysSo) {
  const Finding f = FindingFor(
      WithDeparture("dcs.reports-to-ceo",
                    ", reason: \"Interim\", agreed_on: 2019-01-01, review_by: 2020-05-31"),
      "dcs.reports-to-ceo");
  EXPECT_EQ(f.status, Status::kFail);
  EXPECT_NE(f.message.find("expired"), std::string::npos) << f.message;
  // review_by on as_of itself still applies.
  EXPECT_EQ(FindingFor(WithDeparture("dcs.reports-to-ceo",
                                     ", reason: \"Interim\", agreed_on: 2019-01-01, "
                                     "review_by: 2020-06-01"),
                       "dcs.reports-to-ceo")
                .status,
            Status::kDeparture);
}

TEST(Checks, DepartureAgreedLaterOrWithoutReasonDoesNotApply) {
  EXPECT_EQ(
      FindingFor(WithDeparture("dcs.reports-to-ceo", ", reason: \"Later\", agreed_on: 2020-06-02"),
                 "dcs.reports-to-ceo")
          .status,
      Status::kFail);
  EXPECT_EQ(
      FindingFor(WithDeparture("dcs.reports-to-ceo", ", reason: \"  \", agreed_on: 2020-01-01"),
                 "dcs.reports-to-ceo")
          .status,
      Status::kFail);
  EXPECT_EQ(
      FindingFor(WithDeparture("dcs.reports-to-ceo", ", reason: \"No date\""), "dcs.reports-to-ceo")
          .status,
      Status::kFail);
}

TEST(Checks, DepartureOnAPassingCheckChangesNothing) {
  const Finding f = FindingFor(
      WithDeparture("dcs.politically-restricted", ", reason: \"x\", agreed_on: 2020-01-01"),
      "dcs.politically-restricted");
  EXPECT_EQ(f.status, Status::kPass);
}

TEST(Checks, DistrictCouncilIsNotApplicableThroughout) {
  std::string district = kBase;
  district.replace(district.find("type: county"), 12, "type: district");
  Arrangements a = testing::MustLoad(district);
  for (const Finding& f : RunChecks(a, a.authority.as_of).findings) {
    EXPECT_EQ(f.status, Status::kNotApplicable) << f.check;
  }
}

TEST(Checks, JudgedAtTheDateGivenNotTheFile) {
  Arrangements a = testing::MustLoad(std::string(kBase) + R"(assurance:
  reviews:
    - { id: r1, date: 2020-03-01, kind: local_assurance_test }
)");
  auto status_at = [&](const char* day) {
    for (const Finding& f : RunChecks(a, *Date::Parse(day)).findings) {
      if (f.check == "assurance.review-current") return f.status;
    }
    return Status::kNotApplicable;
  };
  EXPECT_EQ(status_at("2020-06-01"), Status::kPass);
  EXPECT_EQ(status_at("2021-02-28"), Status::kPass);
  EXPECT_EQ(status_at("2021-03-01"), Status::kFail);  // exactly twelve months old: stale
  EXPECT_EQ(status_at("2020-02-29"), Status::kFail);  // before the review: none yet
}

TEST(Checks, KeyRolesAreFoundOnlyWhenEachIsOne) {
  const Arrangements one = testing::MustLoad(std::string(kBase) + R"(members:
  - { person: ros, roles: [cabinet_member], designations: [lmcs] }
)");
  const KeyRoles key = FindKeyRoles(one);
  ASSERT_NE(key.dcs, nullptr);
  EXPECT_EQ(key.dcs->id, "dcs");
  ASSERT_NE(key.dcs_holder, nullptr);
  EXPECT_EQ(key.dcs_holder->name, "Dee Director");
  ASSERT_NE(key.lmcs, nullptr);
  EXPECT_EQ(key.lmcs->id, "ros");

  // Two people designated LMCS, and two DCS posts: neither is "the" one.
  std::string two = kBase;
  two.replace(two.find("statutory_roles: [head_of_paid_service]"),
              std::string("statutory_roles: [head_of_paid_service]").size(),
              "statutory_roles: [head_of_paid_service, dcs]");
  const Arrangements several = testing::MustLoad(two + R"(members:
  - { person: ros, roles: [cabinet_member], designations: [lmcs] }
  - { person: chief, roles: [leader], designations: [lmcs] }
)");
  const KeyRoles none = FindKeyRoles(several);
  EXPECT_EQ(none.dcs_posts.size(), 2u);
  EXPECT_EQ(none.dcs, nullptr);
  EXPECT_EQ(none.dcs_holder, nullptr);
  EXPECT_EQ(none.lmcs_ids.size(), 2u);
  EXPECT_EQ(none.lmcs, nullptr);
}

}  // namespace
}  // namespace assure

namespace assure {
namespace {

// Findings are read by monitoring officers and councillors: every failing or unrecorded finding
// says what to change in the file, apart from its message; values in prose are in words.
TEST(Findings, EveryFailOrNotRecordedSaysWhatToChangeInWords) {
  const std::vector<std::string> kFileSpellings = {
      "adult_social_care", "childrens_social_care",  "public_health", "children_voice",
      "cabinet_member",    "participating_observer", "All 2 "};
  size_t judged = 0;
  for (const auto& file : testing::FilesUnder("tests/cases", ".yaml")) {
    Arrangements a = testing::MustLoad(testing::ReadFile(file), file.string());
    for (const Finding& f : RunChecks(a, a.authority.as_of).findings) {
      EXPECT_FALSE(f.force_source.empty()) << f.check;
      for (const std::string& raw : kFileSpellings) {
        EXPECT_EQ(f.message.find(raw), std::string::npos) << file << ": " << f.message;
      }
      if (f.status != Status::kFail && f.status != Status::kNotRecorded) continue;
      ++judged;
      EXPECT_FALSE(f.fix.empty()) << file << ": " << f.check << ": " << f.message;
    }
  }
  EXPECT_GT(judged, 200u);
}

}  // namespace
}  // namespace assure
