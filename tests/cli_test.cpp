// The `assure` command as a user meets it: exit codes, formats, --as-of, several files, errors.
#include "cli/cli.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

using testing::Assure;
using testing::Outcome;

// A file of this test process's own: ctest runs tests in parallel processes, so a shared name
// would let one test truncate the file another is reading.
std::string TempFile(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("assure-cli-test-" + std::to_string(getpid()) + "-" + name);
  testing::WriteFile(path, text);
  return path.string();
}

constexpr const char* kCompliant = R"(authority:
  id: cli-test
  name: Cli Test Council
  type: unitary
  governance: leader_cabinet
  as_of: 2020-06-01
people:
  - { id: chief, name: Chris Chief, elected_member: false }
  - { id: dee, name: Dee Director, elected_member: false, appointed: 2019-01-01, due_diligence: 2018-12-01, children_involved_in_appointment: true, first_director_role: false, csc_background: strong }
  - { id: sam, name: Sam Second, elected_member: false, csc_background: strong }
  - { id: pat, name: Pat Health, elected_member: false }
  - { id: lee, name: Lee Leader, elected_member: true }
  - { id: cat, name: Cat Councillor, elected_member: true, appointed: 2019-05-01 }
posts:
  - { id: ceo, title: Chief Executive, holder: chief, statutory_roles: [head_of_paid_service] }
  - { id: dcs, title: Director of Children's Services, holder: dee, reports_to: ceo, statutory_roles: [dcs], functions: [education, childrens_social_care] }
  - { id: safeguarding-lead, title: Head of Safeguarding, holder: sam, reports_to: dcs, safeguarding_lead: true }
  - { id: dph, title: Director of Public Health, holder: pat, reports_to: ceo, statutory_roles: [dph], functions: [public_health] }
members:
  - { person: lee, roles: [leader] }
  - { person: cat, roles: [cabinet_member], portfolio: [education, childrens_social_care], designations: [lmcs] }
bodies:
  - id: partnership
    name: Safeguarding Children Partnership
    kind: safeguarding_partnership
    members: [{ who: dee, role: delegated_partner }, { who: cat, role: participating_observer }]
  - { id: hwb, name: Health and Wellbeing Board, kind: health_and_wellbeing_board, members: [{ who: dee, role: member }] }
  - { id: forum, name: Schools Forum, kind: schools_forum }
  - { id: cabinet, name: Cabinet, kind: cabinet }
assurance:
  reviews:
    - id: lat-2020
      date: 2020-01-15
      kind: local_assurance_test
      scope: [dcs, lmcs]
      elements: [senior_management, accountability, breadth_of_role, children_voice, child_protection, partnerships]
      self_assessed: true
      peer_challenged: true
      approved_by: cabinet
      approved_on: 2020-02-01
  published: { url: https://example.gov.uk/roles, on: 2020-02-01 }
)";

TEST(Cli, CompliantFileExitsZeroWithASummaryLine) {
  const Outcome r = Assure({"check", TempFile("ok.yaml", kCompliant)});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Cli Test Council (cli-test), as of 2020-06-01"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("0 fail"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "colour when not on a terminal";
}

TEST(Cli, AsOfJudgesAnotherDay) {
  // A year and a half later the review has lapsed: a should fails, so exit 1.
  const Outcome r = Assure(
      {"check", "--as-of", "2021-07-01", "--format", "json", TempFile("ok.yaml", kCompliant)});
  EXPECT_EQ(r.code, 1) << r.err;
  auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["as_of"], "2021-07-01");
  for (const auto& f : json["findings"]) {
    if (f["check"] == "assurance.review-current") {
      EXPECT_EQ(f["status"], "fail");
    }
  }
  // And before the review happened, the review is unknown.
  const Outcome before = Assure(
      {"check", "--as-of", "2019-12-01", "--format", "json", TempFile("ok.yaml", kCompliant)});
  auto early = nlohmann::json::parse(before.out);
  for (const auto& f : early["findings"]) {
    if (f["check"] == "assurance.agreed-within-council") {
      EXPECT_EQ(f["status"], "not_recorded");
    }
  }
}

TEST(Cli, JsonHasTheContractShapeAndEveryCheckOnce) {
  const Outcome r = Assure({"check", "--format", "json", TempFile("ok.yaml", kCompliant)});
  auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["authority"], "cli-test");
  EXPECT_EQ(json["guidance"], "dcs-lmcs-2013");
  std::set<std::string> checks;
  int total = 0;
  for (const auto& f : json["findings"]) {
    checks.insert(f["check"].get<std::string>());
    for (const char* key : {"check", "status", "modality", "refs", "message", "subjects"}) {
      EXPECT_TRUE(f.contains(key)) << key;
    }
  }
  for (const auto& [status, count] : json["summary"].items()) total += count.get<int>();
  EXPECT_EQ(checks.size(), 28u);
  EXPECT_EQ(total, 28);
}

TEST(Cli, SeveralFilesGiveAJsonArrayInOrder) {
  std::string second = kCompliant;
  second.replace(second.find("id: cli-test"), 12, "id: cli-other");
  const Outcome r = Assure(
      {"check", "--format", "json", TempFile("a.yaml", kCompliant), TempFile("b.yaml", second)});
  auto json = nlohmann::json::parse(r.out);
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["authority"], "cli-test");
  EXPECT_EQ(json[1]["authority"], "cli-other");
}

TEST(Cli, BrokenFileExitsTwoWithEveryErrorOnStandardError) {
  std::string broken = kCompliant;
  broken.replace(broken.find("holder: dee"), 11, "holder: nobody");
  broken.replace(broken.find("type: unitary"), 13, "type: unitery");
  const std::string path = TempFile("broken.yaml", broken);
  const Outcome r = Assure({"check", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path + ":4:9: authority.type: 'unitery' is not allowed"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("'nobody'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 errors"), std::string::npos) << r.err;
}

TEST(Cli, MissingFileAndBadDateExitTwo) {
  EXPECT_EQ(Assure({"check", "/nonexistent/file.yaml"}).code, 2);
  const Outcome r = Assure({"check", "--as-of", "2020-02-30", TempFile("ok.yaml", kCompliant)});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--as-of"), std::string::npos);
}

TEST(Cli, MustFailureExitsOne) {
  std::string text = kCompliant;
  const std::string forum = "  - { id: forum, name: Schools Forum, kind: schools_forum }\n";
  text.replace(text.find(forum), forum.size(), "");
  const Outcome r = Assure({"check", TempFile("noforum.yaml", text)});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("MUST   schools-forum.established"), std::string::npos) << r.out;
}

TEST(Cli, ExplainQuotesTheParagraphs) {
  const Outcome r = Assure({"explain", "dcs.not-ceo"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("it is not appropriate for the Chief Executive also to hold the statutory "
                       "role of DCS"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Assure({"explain", "dcs.nope"}).code, 2);
  const Outcome all = Assure({"explain"});
  EXPECT_NE(all.out.find("safeguarding.second-tier-credentials"), std::string::npos);
}

TEST(Cli, CatalogueFormats) {
  const Outcome text = Assure({"catalogue"});
  EXPECT_EQ(text.code, 0);
  const Outcome csv = Assure({"catalogue", "--format", "csv"});
  EXPECT_EQ(csv.out.rfind("\xEF\xBB\xBF\"Id\",\"Paragraph\"", 0), 0u);
  const size_t rows = std::count(csv.out.begin(), csv.out.end(), '\n');
  auto json = nlohmann::json::parse(Assure({"catalogue", "--format", "json"}).out);
  EXPECT_EQ(rows, json["duties"].size() + 1);
  const std::string first = json["duties"][0]["id"];
  const Outcome show = Assure({"catalogue", "show", first});
  EXPECT_EQ(show.code, 0);
  EXPECT_NE(show.out.find(json["duties"][0]["text"].get<std::string>()), std::string::npos);
  EXPECT_EQ(Assure({"catalogue", "show", "no-such-duty"}).code, 2);
}

TEST(Cli, HelpTeachesAndUsageErrorsExitTwo) {
  const Outcome help = Assure({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("assure check"), std::string::npos) << help.out;
  EXPECT_EQ(Assure({"frobnicate"}).code, 2);
  EXPECT_EQ(Assure({"check"}).code, 2);
  EXPECT_EQ(Assure({"check", "--format", "xml", "x.yaml"}).code, 2);
}

}  // namespace
}  // namespace assure

namespace assure {
namespace {

TEST(CliStore, ImportExportHistoryVerify) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("assure-cli-store-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "council.db").string();
  const std::string file = TempFile("store.yaml", kCompliant);

  EXPECT_EQ(Assure({"export", "cli-test", "--db", db}).code, 2) << "no database yet";
  const Outcome missing_reason = Assure({"import", file, "--db", db});
  EXPECT_EQ(missing_reason.code, 2);
  EXPECT_NE(missing_reason.err.find("--reason"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(db)) << "nothing written without a reason";

  const Outcome imported =
      Assure({"import", file, "--reason", "Initial load", "--author", "tester", "--db", db});
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_NE(imported.out.find("cli-test is now at version 1"), std::string::npos);
  // The same file again records nothing, and says so.
  EXPECT_NE(Assure({"import", file, "--reason", "Again", "--db", db})
                .out.find("cli-test is unchanged (the same as version 1): nothing recorded"),
            std::string::npos);
  std::string renamed = kCompliant;
  renamed.replace(renamed.find("Cli Test Council"), 16, "Cli Test Borough");
  EXPECT_NE(Assure({"import", TempFile("renamed.yaml", renamed), "--reason", "Renamed", "--db", db})
                .out.find("version 2"),
            std::string::npos);

  const Outcome exported = Assure({"export", "cli-test", "--db", db});
  ASSERT_EQ(exported.code, 0) << exported.err;
  EXPECT_TRUE(testing::MustLoad(exported.out) == testing::MustLoad(renamed));
  const Outcome as_json =
      Assure({"export", "cli-test", "--version", "1", "--format", "json", "--db", db});
  EXPECT_EQ(nlohmann::json::parse(as_json.out)["authority"]["id"], "cli-test");

  const Outcome history = Assure({"history", "cli-test", "--db", db});
  EXPECT_NE(history.out.find("version 1"), std::string::npos);
  EXPECT_NE(history.out.find("import by tester"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("Initial load"), std::string::npos);
  // What each version changed, in words.
  EXPECT_NE(history.out.find("  the whole arrangements\n"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("  authority: name changed\n"), std::string::npos) << history.out;

  const Outcome verified = Assure({"verify", "--db", db});
  EXPECT_EQ(verified.code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("ok: 2 history entries checked"), std::string::npos);

  // A broken file among several: nothing is imported.
  std::string broken = kCompliant;
  broken.replace(broken.find("type: unitary"), 13, "type: unitery");
  const Outcome refused =
      Assure({"import", file, TempFile("broken2.yaml", broken), "--reason", "Both", "--db", db});
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find("nothing was imported"), std::string::npos);
  EXPECT_EQ(Assure({"history", "cli-test", "--db", db}).out.find("Both"), std::string::npos);
  EXPECT_EQ(Assure({"export", "no-such-authority", "--db", db}).code, 2);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace assure

namespace assure {
namespace {

TEST(CliStore, UsersAreListedDisabledEnabledSignedOutAndDeleted) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("assure-cli-users-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "council.db").string();
  ASSERT_EQ(
      Assure({"import", TempFile("users.yaml", kCompliant), "--reason", "x", "--db", db}).code, 0);
  ASSERT_EQ(Assure({"user", "add", "root", "--admin", "--db", db}).code, 0);
  ASSERT_EQ(Assure({"user", "add", "alice", "--db", db}).code, 0);

  const Outcome help = Assure({"user", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("compromised"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("disable"), std::string::npos) << help.out;

  const Outcome disabled = Assure({"user", "disable", "alice", "--db", db});
  EXPECT_EQ(disabled.code, 0) << disabled.err;
  const Outcome listed = Assure({"user", "list", "--db", db});
  EXPECT_NE(listed.out.find("alice  disabled since "), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("root  site administrator\n"), std::string::npos) << listed.out;
  const Outcome last = Assure({"user", "disable", "root", "--db", db});
  EXPECT_EQ(last.code, 2);
  EXPECT_NE(last.err.find("last site administrator"), std::string::npos) << last.err;
  EXPECT_EQ(Assure({"user", "enable", "alice", "--db", db}).code, 0);
  EXPECT_EQ(Assure({"user", "list", "--db", db}).out.find("disabled"), std::string::npos);
  const Outcome signed_out = Assure({"user", "sign-out", "alice", "--db", db});
  EXPECT_EQ(signed_out.code, 0);
  EXPECT_NE(signed_out.out.find("0 sessions and API tokens ended"), std::string::npos)
      << signed_out.out;
  EXPECT_EQ(Assure({"user", "sign-out", "nobody", "--db", db}).code, 2);
  const Outcome unconfirmed = Assure({"user", "delete", "alice", "--db", db});
  EXPECT_EQ(unconfirmed.code, 2);
  EXPECT_NE(unconfirmed.err.find("--yes"), std::string::npos);
  EXPECT_EQ(Assure({"user", "delete", "alice", "--yes", "--db", db}).code, 0);
  EXPECT_EQ(Assure({"user", "list", "--db", db}).out, "root  site administrator\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace assure
