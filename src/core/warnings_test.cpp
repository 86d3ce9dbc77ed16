#include "core/warnings.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace assure {
namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

// An authority as of 1 June 2020 with one review, one change and one departure, all earlier,
// and a well-formed GSS code for its type: no warnings.
Arrangements Base() {
  Arrangements a;
  a.authority.id = "a";
  a.authority.name = "A";
  a.authority.type = AuthorityType::kCounty;
  a.authority.as_of = D(2020, 6, 1);
  a.authority.gss_code = "E10000014";
  Review r;
  r.id = "review-2020";
  r.date = D(2020, 1, 15);
  r.approved_on = D(2020, 2, 1);
  a.assurance.reviews.push_back(r);
  Change c;
  c.date = D(2020, 3, 1);
  c.kind = ChangeKind::kAppointment;
  a.assurance.changes.push_back(c);
  Departure d;
  d.check = "dcs.mentoring";
  d.agreed_on = D(2020, 4, 1);
  a.assurance.departures.push_back(d);
  return a;
}

struct Case {
  const char* name;
  std::function<void(Arrangements&)> edit;
  Date judged_at;                       // the file's as_of unless a case says otherwise
  std::vector<std::string> codes;       // the warnings expected, in order
  std::vector<std::string> fields;      // their fields
  std::vector<std::string> in_message;  // a phrase each message contains
};

const Date kAsOf = D(2020, 6, 1);

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"nothing to warn of", [](Arrangements&) {}, kAsOf, {}, {}, {}},
      {"review typed a year late",
       [](Arrangements& a) { a.assurance.reviews[0].date = D(2021, 1, 15); },
       kAsOf,
       {"dated-after-as-of", "approved-before-review"},
       {"assurance.reviews[0].date", "assurance.reviews[0].approved_on"},
       {"'review-2020' is dated 2021-01-15", "before its own date (2021-01-15)"}},
      {"review on the as_of itself is no slip",
       [](Arrangements& a) {
         a.assurance.reviews[0].date = a.authority.as_of;
         a.assurance.reviews[0].approved_on = a.authority.as_of;
       },
       kAsOf,
       {},
       {},
       {}},
      {"change after as_of",
       [](Arrangements& a) { a.assurance.changes[0].date = D(2020, 6, 2); },
       kAsOf,
       {"dated-after-as-of"},
       {"assurance.changes[0].date"},
       {"(appointment) is dated 2020-06-02"}},
      {"departure agreed after as_of",
       [](Arrangements& a) { a.assurance.departures[0].agreed_on = D(2020, 7, 1); },
       kAsOf,
       {"dated-after-as-of"},
       {"assurance.departures[0].agreed_on"},
       {"dcs.mentoring was agreed on 2020-07-01"}},
      {"departure after as_of, judged once it is agreed",
       [](Arrangements& a) { a.assurance.departures[0].agreed_on = D(2020, 7, 1); },
       D(2020, 7, 2),
       {},
       {},
       {}},
      {"approved before the review",
       [](Arrangements& a) { a.assurance.reviews[0].approved_on = D(2019, 12, 1); },
       kAsOf,
       {"approved-before-review"},
       {"assurance.reviews[0].approved_on"},
       {"approved on 2019-12-01, before its own date"}},
      {"GSS code one digit short",
       [](Arrangements& a) { a.authority.gss_code = "E1000099"; },
       kAsOf,
       {"not-a-gss-code"},
       {"authority.gss_code"},
       {"'E1000099' is not the GSS code"}},
      {"GSS code of a district",
       [](Arrangements& a) { a.authority.gss_code = "E07000099"; },
       kAsOf,
       {"not-a-gss-code"},
       {"authority.gss_code"},
       {"E06 (unitary)"}},
      {"GSS code in lower case",
       [](Arrangements& a) { a.authority.gss_code = "e10000014"; },
       kAsOf,
       {"not-a-gss-code"},
       {"authority.gss_code"},
       {"six digits"}},
      {"GSS code of a unitary on a county",
       [](Arrangements& a) { a.authority.gss_code = "E06000014"; },
       kAsOf,
       {"gss-code-type"},
       {"authority.gss_code"},
       {"a unitary authority, but the authority's type is county"}},
      {"GSS code of the City of London",
       [](Arrangements& a) {
         a.authority.type = AuthorityType::kCityOfLondon;
         a.authority.gss_code = "E09000001";
       },
       kAsOf,
       {},
       {},
       {}},
      {"no GSS code", [](Arrangements& a) { a.authority.gss_code.reset(); }, kAsOf, {}, {}, {}},
      {"judged before the file's as_of",
       [](Arrangements&) {},
       D(2019, 1, 1),
       {"judged-before-as-of"},
       {"authority.as_of"},
       {"assure export AUTHORITY --at 2019-01-01"}},
      {"judged after the file's as_of", [](Arrangements&) {}, D(2021, 1, 1), {}, {}, {}},
  };
  return cases;
}

TEST(Warnings, EachSlipIsWarnedOfOnce) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    Arrangements a = Base();
    c.edit(a);
    const std::vector<Warning> warnings = FindWarnings(a, c.judged_at);
    std::vector<std::string> codes, fields;
    for (const Warning& w : warnings) {
      codes.push_back(w.code);
      fields.push_back(w.field);
    }
    EXPECT_EQ(codes, c.codes);
    EXPECT_EQ(fields, c.fields);
    for (size_t i = 0; i < std::min(warnings.size(), c.in_message.size()); ++i) {
      EXPECT_NE(warnings[i].message.find(c.in_message[i]), std::string::npos)
          << warnings[i].message;
    }
  }
}

TEST(Warnings, EveryCodeIsListed) {
  for (const Case& c : Cases()) {
    for (const std::string& code : c.codes) {
      EXPECT_NE(std::find(std::begin(kWarningCodes), std::end(kWarningCodes), code),
                std::end(kWarningCodes))
          << code;
    }
  }
}

TEST(Warnings, UpperTierGssCodes) {
  for (const char* good : {"E06000053", "E08000038", "E09000001", "E10000014"}) {
    EXPECT_TRUE(IsUpperTierGssCode(good)) << good;
  }
  for (const char* bad : {"", "E1000099", "E100000140", "E07000099", "W06000001", "E10-00014",
                          "E1000001 ", "S12000033"}) {
    EXPECT_FALSE(IsUpperTierGssCode(bad)) << bad;
  }
}

}  // namespace
}  // namespace assure
