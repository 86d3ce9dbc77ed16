// The storage suite: every test runs against each engine, SQLite (a temporary file) and
// PostgreSQL (a schema of its own in the database named by ASSURE_TEST_POSTGRES_URL). Without
// that variable the PostgreSQL tests are skipped, except under CI=true, where they fail: CI
// must never pass without having tested PostgreSQL.
#include "store/store.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "databases.hpp"
#include "store/accounts.hpp"
#include "test_support.hpp"

namespace assure::store {
namespace {

using nlohmann::json;

// The accounts hash passwords at libsodium's least cost in this suite, which hashes many
// (ASSURE_TEST_FAST_HASH, read once by src/store/accounts.cpp: set before any hash is made).
[[maybe_unused]] const bool kFastHash = [] {
  return setenv("ASSURE_TEST_FAST_HASH", "1", 1) == 0;
}();

// One key for every database this process opens (and the edit_stream it starts), made at the
// first open, removed at exit (ASSURE_KEY_FILE, read by OpenStore).
const std::string kKeyFile = [] {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("assure_store_test_" + std::to_string(getpid()) + ".key"))
                               .string();
  setenv("ASSURE_KEY_FILE", path.c_str(), 1);
  std::atexit([] { std::filesystem::remove(std::getenv("ASSURE_KEY_FILE")); });
  return path;
}();

// A clock the test sets: each reading is one second after the last.
class TestClock {
 public:
  // Moves the clock to `ymd` at 09:00:00 UTC.
  void SetDay(const std::string& ymd) {
    std::tm t{};
    t.tm_year = std::stoi(ymd.substr(0, 4)) - 1900;
    t.tm_mon = std::stoi(ymd.substr(5, 2)) - 1;
    t.tm_mday = std::stoi(ymd.substr(8, 2));
    t.tm_hour = 9;
    std::lock_guard lock(mutex_);
    seconds_ = timegm(&t);
  }
  Clock AsClock() {
    return [this] {
      std::lock_guard lock(mutex_);
      const std::time_t now = seconds_++;
      std::tm t{};
      gmtime_r(&now, &t);
      char text[32];
      std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &t);
      return std::string(text);
    };
  }

 private:
  std::mutex mutex_;
  std::time_t seconds_ = 1767258000;  // 2026-01-01T09:00:00Z
};

Arrangements Example(const std::string& name) {
  return testing::MustLoad(testing::ReadFile(testing::SourceDir() / "examples" / name), name);
}

Arrangements Wexbridge() { return Example("twin-hatter-city.yaml"); }

ChangeInfo By(const std::string& reason, const std::string& author = "alice") {
  return {author, reason, ""};
}

// The documented hash of an entry (src/store/ledger.hpp), written again independently.
std::string DocumentedHash(const std::vector<std::string>& fields) {
  std::string text;
  for (const std::string& f : fields) text += std::to_string(f.size()) + ":" + f + "\n";
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

class StoreTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    db_ = NewDatabase(GetParam());
    if (db_ == nullptr) {
      if (UnderCi()) FAIL() << "CI=true: PostgreSQL must be tested. " << kNoPostgres;
      GTEST_SKIP() << kNoPostgres;
    }
    store_ = Open();
    ASSERT_NE(store_, nullptr);
  }

  std::unique_ptr<Store> Open() {
    Result<std::unique_ptr<Store>> opened = OpenStore(db_->Where(), clock_.AsClock());
    EXPECT_TRUE(opened.ok()) << Messages(opened.errors());
    if (!opened.ok()) return nullptr;
    return std::move(opened).value();
  }

  // Imports `a` and fails the test unless it gives `version`.
  // Wexbridge at version 4 (three edits of its name after the import) and kingsmere at 1.
  void MustImportTwoWithHistory() {
    Arrangements a = Wexbridge();
    MustImport(a);
    for (int v = 1; v <= 3; ++v) {
      a.authority.name = "Version " + std::to_string(v + 1);
      MustUpdate(a, v, "edit " + std::to_string(v));
    }
    MustImport(Example("shared-dcs-unitary.yaml"));
  }
  void MustImport(const Arrangements& a, int64_t version = 1) {
    Result<int64_t> r = store_->Import(a, {"alice", "first import", "import"});
    ASSERT_TRUE(r.ok()) << Messages(r.errors());
    EXPECT_EQ(r.value(), version);
  }

  int64_t MustUpdate(const Arrangements& a, int64_t expected, const std::string& reason = "edit") {
    Result<int64_t> r = store_->Update(a.authority.id, expected, a, By(reason));
    EXPECT_TRUE(r.ok()) << Messages(r.errors());
    return r.ok() ? r.value() : -1;
  }

  Snapshot MustCurrent(const std::string& id) {
    Result<Snapshot> r = store_->Current(id);
    EXPECT_TRUE(r.ok()) << Messages(r.errors());
    return r.ok() ? r.value() : Snapshot{};
  }

  VerifyReport MustVerify() {
    Result<VerifyReport> r = store_->Verify();
    EXPECT_TRUE(r.ok()) << Messages(r.errors());
    if (r.ok()) return r.value();
    VerifyReport failed;
    failed.ok = false;
    failed.problems = {"verify failed"};
    return failed;
  }

  Accounts& accounts() { return store_->accounts(); }

  // Adds a user whose password is `name` + " password", and fails the test unless it can.
  User MustAddUser(const std::string& name, bool site_admin = false) {
    Result<User> r = accounts().AddUser(name, name + " password", site_admin);
    EXPECT_TRUE(r.ok()) << Messages(r.errors());
    return r.ok() ? r.value() : User{};
  }

  // Every row of the account tables as text, for looking for what must not be there.
  std::string AccountTablesText() {
    std::string out;
    for (const std::string table : {"users", "grants", "sessions", "api_tokens", "auth_events"}) {
      if (GetParam() == Kind::kPostgres) {
        out += db_->Sql("SELECT coalesce(string_agg(t::text, '|'), '') FROM " + table + " t");
      } else {
        // SQLite has no row-to-text: concatenate the table's columns, named by the schema.
        const std::string columns = db_->Sql(
            "SELECT group_concat('coalesce(' || name || ', '''')', ' || ''|'' || ') FROM "
            "pragma_table_info('" +
            table + "')");
        out += db_->Sql("SELECT coalesce(group_concat(" + columns + ", '|'), '') FROM " + table);
      }
      out += "\n";
    }
    return out;
  }

  // Lets the test alter the log as an attacker with database access would.
  void DropAppendOnlyGuard() {
    if (GetParam() == Kind::kSqlite) {
      db_->Sql("DROP TRIGGER history_no_update; DROP TRIGGER history_no_delete");
    } else {
      db_->Sql("DROP TRIGGER history_no_change ON history");
    }
  }

  TestClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, ImportsListsAndReadsBack) {
  const std::vector<std::string> files = {
      "twin-hatter-city.yaml", "management-agreement-borough.yaml",
      "interim-chief-executive-county.yaml", "shared-dcs-unitary.yaml"};
  for (const std::string& f : files) MustImport(Example(f));

  Result<std::vector<AuthoritySummary>> list = store_->ListAuthorities();
  ASSERT_TRUE(list.ok());
  std::vector<std::string> ids;
  for (const AuthoritySummary& a : list.value()) {
    ids.push_back(a.id);
    EXPECT_EQ(a.version, 1);
    EXPECT_FALSE(a.updated_at.empty());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"fernleigh", "kingsmere", "wealdshire", "wexbridge"}));
  EXPECT_EQ(list.value()[3].name, "Wexbridge City Council");

  for (const std::string& f : files) {
    const Arrangements a = Example(f);
    const Snapshot s = MustCurrent(a.authority.id);
    EXPECT_EQ(s.arrangements, a) << f;
    EXPECT_EQ(s.version, 1);
  }
  Result<Snapshot> missing = store_->Current("nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.errors()[0].code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, ImportingAgainIsAnOrdinaryChange) {
  Arrangements a = Wexbridge();
  MustImport(a);
  a.posts[0].title = "Chief Executive and Head of Paid Service";
  MustImport(a, 2);
  EXPECT_EQ(MustCurrent("wexbridge").arrangements, a);
  Result<std::vector<HistoryEntry>> history = store_->History("wexbridge");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history.value()[1].kind, "import");
}

TEST_P(StoreTest, ImportingTheCurrentStateRecordsNothing) {
  Arrangements a = Wexbridge();
  bool unchanged = true;
  Result<int64_t> first = store_->Import(a, {"alice", "first import", ""}, &unchanged);
  ASSERT_TRUE(first.ok()) << Messages(first.errors());
  EXPECT_FALSE(unchanged);
  // The same state again, through this store (which knows the state) and through another
  // (which reads it from the database): nothing is recorded either way.
  Result<int64_t> again = store_->Import(a, {"alice", "again", ""}, &unchanged);
  ASSERT_TRUE(again.ok()) << Messages(again.errors());
  EXPECT_EQ(again.value(), 1);
  EXPECT_TRUE(unchanged);
  std::unique_ptr<Store> other = Open();
  ASSERT_TRUE(other);
  unchanged = false;
  Result<int64_t> elsewhere = other->Import(a, {"bob", "again", ""}, &unchanged);
  ASSERT_TRUE(elsewhere.ok()) << Messages(elsewhere.errors());
  EXPECT_EQ(elsewhere.value(), 1);
  EXPECT_TRUE(unchanged);
  Result<std::vector<HistoryEntry>> history = store_->History("wexbridge");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history.value().size(), 1u);
  // One change is a new version again; and after a deletion, the same state is recorded.
  a.authority.name = "Wexbridge (renamed)";
  EXPECT_EQ(store_->Import(a, {"alice", "renamed", ""}, &unchanged).value(), 2);
  EXPECT_FALSE(unchanged);
  ASSERT_TRUE(store_->Delete("wexbridge", 2, By("closed")).ok());
  EXPECT_EQ(store_->Import(a, {"alice", "reopened", ""}, &unchanged).value(), 4);
  EXPECT_FALSE(unchanged);
  Result<VerifyReport> verified = store_->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified.value().ok) << verified.value().problems.size();
}

TEST_P(StoreTest, UpdatesWithTheCurrentVersion) {
  Arrangements a = Wexbridge();
  MustImport(a);
  a.authority.name = "Wexbridge City Council (renamed)";
  EXPECT_EQ(MustUpdate(a, 1), 2);
  const Snapshot s = MustCurrent("wexbridge");
  EXPECT_EQ(s.version, 2);
  EXPECT_EQ(s.arrangements, a);
  Result<std::vector<AuthoritySummary>> list = store_->ListAuthorities();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list.value()[0].name, "Wexbridge City Council (renamed)");
  EXPECT_EQ(list.value()[0].version, 2);
}

TEST_P(StoreTest, StaleVersionIsAConflictNamingTheCurrentVersion) {
  Arrangements a = Wexbridge();
  MustImport(a);
  a.authority.name = "First";
  MustUpdate(a, 1);
  a.authority.name = "Second";
  MustUpdate(a, 2);
  a.authority.name = "Stale";
  Result<int64_t> r = store_->Update("wexbridge", 1, a, By("made against version 1"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].code, ErrorCode::kConflict);
  EXPECT_EQ(r.errors()[0].field, "version");
  EXPECT_NE(r.errors()[0].message.find("version 3"), std::string::npos) << r.errors()[0].message;
  EXPECT_EQ(CurrentVersionOf(r.errors()[0]), 3);
  EXPECT_EQ(MustCurrent("wexbridge").arrangements.authority.name, "Second");

  Result<int64_t> future = store_->Update("wexbridge", 7, a, By("from the future"));
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(CurrentVersionOf(future.errors()[0]), 3);
  EXPECT_EQ(CurrentVersionOf(Error{ErrorCode::kNotFound, "", 0, 0, "", "it is at version 3"}),
            std::nullopt);
}

TEST_P(StoreTest, RefusesABlankReasonOrAuthor) {
  Arrangements a = Wexbridge();
  for (const std::string reason : {"", "   ", "\n\t"}) {
    Result<int64_t> r = store_->Import(a, {"alice", reason, ""});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.errors()[0].code, ErrorCode::kInvalid);
    EXPECT_EQ(r.errors()[0].field, "reason");
  }
  Result<int64_t> no_author = store_->Import(a, {" ", "a reason", ""});
  ASSERT_FALSE(no_author.ok());
  EXPECT_EQ(no_author.errors()[0].field, "author");
  Result<int64_t> wrong_kind = store_->Import(a, {"alice", "a reason", "edit"});
  ASSERT_FALSE(wrong_kind.ok());
  EXPECT_EQ(wrong_kind.errors()[0].field, "kind");
  EXPECT_EQ(store_->Current("wexbridge").errors()[0].code, ErrorCode::kNotFound);

  MustImport(a);
  const ChangeInfo blank{"alice", " ", ""};
  EXPECT_EQ(store_->Update("wexbridge", 1, a, blank).errors()[0].field, "reason");
  EXPECT_EQ(store_->Restore("wexbridge", 1, 1, blank).errors()[0].field, "reason");
  EXPECT_EQ(store_->Delete("wexbridge", 1, blank).errors()[0].field, "reason");
  EXPECT_EQ(store_->History("wexbridge").value().size(), 1u);
}

TEST_P(StoreTest, UpdateRefusesArrangementsOfAnotherAuthority) {
  MustImport(Wexbridge());
  Result<int64_t> r =
      store_->Update("wexbridge", 1, Example("shared-dcs-unitary.yaml"), By("wrong file"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].field, "authority.id");
  Result<int64_t> missing = store_->Update("nowhere", 1, Wexbridge(), By("no such"));
  ASSERT_FALSE(missing.ok());
}

TEST_P(StoreTest, HistoryKeepsEveryChangeInOrder) {
  clock_.SetDay("2016-03-10");
  Arrangements a = Wexbridge();
  MustImport(a);
  a.authority.name = "Renamed once";
  store_->Update("wexbridge", 1, a, By("the council renamed itself", "bob"));
  a.authority.name = "Renamed twice";
  store_->Update("wexbridge", 2, a, By("and again", "carol"));

  Result<std::vector<HistoryEntry>> r = store_->History("wexbridge");
  ASSERT_TRUE(r.ok()) << Messages(r.errors());
  const std::vector<HistoryEntry>& h = r.value();
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].version, 1);
  EXPECT_EQ(h[0].kind, "import");
  EXPECT_EQ(h[0].author, "alice");
  EXPECT_EQ(h[0].reason, "first import");
  EXPECT_EQ(h[0].at, "2016-03-10T09:00:00.000Z");
  EXPECT_EQ(h[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ(h[1].version, 2);
  EXPECT_EQ(h[1].kind, "edit");
  EXPECT_EQ(h[1].author, "bob");
  EXPECT_EQ(h[1].reason, "the council renamed itself");
  EXPECT_EQ(h[2].author, "carol");
  EXPECT_EQ(h[2].at, "2016-03-10T09:00:02.000Z");
  for (std::size_t i = 0; i < h.size(); ++i) {
    EXPECT_EQ(h[i].authority, "wexbridge");
    EXPECT_EQ(h[i].hash.size(), 64u);
    if (i > 0) {
      EXPECT_EQ(h[i].prev_hash, h[i - 1].hash);
      EXPECT_LT(h[i - 1].at, h[i].at);
    }
  }
  const json first = json::parse(h[0].diff_json);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0]["path"], "");
  EXPECT_EQ(first[0]["value"]["authority"]["id"], "wexbridge");
  EXPECT_EQ(store_->History("nowhere").errors()[0].code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, TheHashIsTheDocumentedOne) {
  MustImport(Wexbridge());
  const HistoryEntry e = store_->History("wexbridge").value()[0];
  const std::string snapshot_sha =
      db_->Sql("SELECT snapshot_sha256 FROM history WHERE authority = 'wexbridge' AND version = 1");
  EXPECT_EQ(e.hash, DocumentedHash({"assure-history-v1", e.prev_hash, "wexbridge", "1", e.at,
                                    "alice", "first import", "import", snapshot_sha}));
}

TEST_P(StoreTest, DiffNamesTheFieldThatChanged) {
  Arrangements a = Wexbridge();
  MustImport(a);
  for (Post& p : a.posts) {
    if (p.id == "exec-director-people") {
      p.title = "Executive Director, Children and Adults";
      p.holder.reset();
    }
  }
  MustUpdate(a, 1, "the post is vacant and renamed");
  const HistoryEntry e = store_->History("wexbridge").value()[1];
  const json diff = json::parse(e.diff_json);
  std::set<std::string> paths;
  for (const json& op : diff) paths.insert(op["path"].get<std::string>());
  EXPECT_EQ(paths, (std::set<std::string>{"/posts/exec-director-people/title",
                                          "/posts/exec-director-people/holder"}))
      << e.diff_json;
  for (const json& op : diff) {
    if (op["path"] == "/posts/exec-director-people/holder") {
      EXPECT_EQ(op["op"], "remove");
    }
    if (op["path"] == "/posts/exec-director-people/title") {
      EXPECT_EQ(op["op"], "replace");
      EXPECT_EQ(op["value"], "Executive Director, Children and Adults");
    }
  }
}

TEST_P(StoreTest, ReadsBackAnyPastStateByVersionOrTime) {
  Arrangements a = Wexbridge();
  clock_.SetDay("2016-03-10");
  MustImport(a);
  const Arrangements v1 = a;
  clock_.SetDay("2016-03-15");
  a.authority.name = "On the fifteenth";
  MustUpdate(a, 1);
  const Arrangements v2 = a;
  clock_.SetDay("2016-03-20");
  a.authority.name = "On the twentieth";
  MustUpdate(a, 2);

  Result<Snapshot> at2 = store_->AtVersion("wexbridge", 2);
  ASSERT_TRUE(at2.ok());
  EXPECT_EQ(at2.value().arrangements, v2);
  EXPECT_EQ(at2.value().version, 2);
  EXPECT_EQ(at2.value().at, "2016-03-15T09:00:00.000Z");
  EXPECT_EQ(store_->AtVersion("wexbridge", 4).errors()[0].code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->AtVersion("wexbridge", 0).errors()[0].code, ErrorCode::kNotFound);

  struct Case {
    std::string when;
    int64_t version;
  };
  for (const Case& c : std::vector<Case>{{"2016-03-10", 1},
                                         {"2016-03-14", 1},
                                         {"2016-03-15", 2},
                                         {"2016-03-15T08:59:59Z", 1},
                                         {"2016-03-15T09:00:00Z", 2},
                                         {"2016-03-15T09:00:00.000Z", 2},
                                         {"2016-03-19T23:59:59.999Z", 2},
                                         {"2016-03-20", 3},
                                         {"2030-01-01", 3}}) {
    Result<Snapshot> s = store_->AtTime("wexbridge", c.when);
    ASSERT_TRUE(s.ok()) << c.when << ": " << Messages(s.errors());
    EXPECT_EQ(s.value().version, c.version) << c.when;
  }
  EXPECT_EQ(store_->AtTime("wexbridge", "2016-03-12").value().arrangements, v1);
  Result<Snapshot> before = store_->AtTime("wexbridge", "2016-03-09");
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.errors()[0].code, ErrorCode::kNotFound);
  for (const std::string bad :
       {"yesterday", "2016-02-30", "2016-03-15 09:00", "2016-03-15T25:00:00Z"}) {
    Result<Snapshot> r = store_->AtTime("wexbridge", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.errors()[0].code, ErrorCode::kInvalid) << bad;
    EXPECT_EQ(r.errors()[0].field, "at");
  }
}

TEST_P(StoreTest, ComparesTwoVersions) {
  Arrangements a = Wexbridge();
  MustImport(a);
  a.authority.name = "Renamed";
  MustUpdate(a, 1);
  a.assurance.review_interval_months = 6;
  MustUpdate(a, 2);

  Result<std::string> same = store_->Compare("wexbridge", 2, 2);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same.value(), "[]");
  Result<std::string> one_two = store_->Compare("wexbridge", 1, 2);
  ASSERT_TRUE(one_two.ok());
  EXPECT_EQ(json::parse(one_two.value()),
            json::parse(store_->History("wexbridge").value()[1].diff_json));
  Result<std::string> one_three = store_->Compare("wexbridge", 1, 3);
  ASSERT_TRUE(one_three.ok());
  std::set<std::string> paths;
  for (const json& op : json::parse(one_three.value())) paths.insert(op["path"]);
  EXPECT_EQ(paths, (std::set<std::string>{"/authority/name", "/assurance/review_interval_months"}));
  Result<std::string> back = store_->Compare("wexbridge", 3, 1);
  ASSERT_TRUE(back.ok());
  EXPECT_NE(back.value().find("Wexbridge City Council"), std::string::npos);
  EXPECT_EQ(store_->Compare("wexbridge", 1, 9).errors()[0].code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, RestoreMakesANewEntryEqualToTheOldState) {
  Arrangements a = Wexbridge();
  MustImport(a);
  const Arrangements original = a;
  a.authority.name = "A mistake";
  a.posts.pop_back();
  MustUpdate(a, 1);

  Result<int64_t> stale = store_->Restore("wexbridge", 1, 1, By("undo"));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.errors()[0].code, ErrorCode::kConflict);
  EXPECT_EQ(CurrentVersionOf(stale.errors()[0]), 2);

  Result<int64_t> r = store_->Restore("wexbridge", 1, 2, {"alice", "undo the mistake", "restore"});
  ASSERT_TRUE(r.ok()) << Messages(r.errors());
  EXPECT_EQ(r.value(), 3);
  EXPECT_EQ(MustCurrent("wexbridge").arrangements, original);
  EXPECT_EQ(store_->AtVersion("wexbridge", 3).value().arrangements,
            store_->AtVersion("wexbridge", 1).value().arrangements);
  const std::vector<HistoryEntry> h = store_->History("wexbridge").value();
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[2].kind, "restore");
  EXPECT_EQ(h[2].reason, "undo the mistake");
  EXPECT_EQ(store_->Compare("wexbridge", 1, 3).value(), "[]");
  EXPECT_EQ(store_->Restore("wexbridge", 9, 3, By("no such")).errors()[0].code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(MustVerify().ok);
}

TEST_P(StoreTest, DeleteKeepsTheHistoryAndReimportContinuesIt) {
  Arrangements a = Wexbridge();
  MustImport(a);
  MustImport(Example("shared-dcs-unitary.yaml"));
  a.authority.name = "Before deletion";
  MustUpdate(a, 1);

  EXPECT_EQ(store_->Delete("wexbridge", 1, By("stale")).errors()[0].code, ErrorCode::kConflict);
  Result<int64_t> deleted = store_->Delete("wexbridge", 2, By("merged into another council"));
  ASSERT_TRUE(deleted.ok()) << Messages(deleted.errors());
  EXPECT_EQ(deleted.value(), 3);

  EXPECT_EQ(store_->Current("wexbridge").errors()[0].code, ErrorCode::kNotFound);
  Result<std::vector<AuthoritySummary>> list = store_->ListAuthorities();
  ASSERT_EQ(list.value().size(), 1u);
  EXPECT_EQ(list.value()[0].id, "kingsmere");
  EXPECT_EQ(store_->History("wexbridge").value().size(), 3u);
  EXPECT_EQ(store_->History("wexbridge").value()[2].kind, "delete");
  EXPECT_EQ(store_->AtVersion("wexbridge", 3).errors()[0].code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->AtVersion("wexbridge", 2).value().arrangements, a);
  EXPECT_EQ(store_->Update("wexbridge", 3, a, By("too late")).errors()[0].code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->Delete("wexbridge", 3, By("again")).errors()[0].code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Restore("wexbridge", 3, 3, By("the deletion")).errors()[0].field, "version");

  MustImport(Wexbridge(), 4);
  const std::vector<HistoryEntry> h = store_->History("wexbridge").value();
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[3].kind, "import");
  EXPECT_EQ(h[3].prev_hash, h[2].hash);
  EXPECT_EQ(MustCurrent("wexbridge").version, 4);
  EXPECT_EQ(store_->ListAuthorities().value().size(), 2u);

  const VerifyReport report = MustVerify();
  EXPECT_TRUE(report.ok) << ::testing::PrintToString(report.problems);
  EXPECT_EQ(report.entries_checked, 5);
}

TEST_P(StoreTest, RestoreBringsBackADeletedAuthority) {
  MustImport(Wexbridge());
  ASSERT_TRUE(store_->Delete("wexbridge", 1, By("by mistake")).ok());
  Result<int64_t> r = store_->Restore("wexbridge", 1, 2, By("undo the deletion"));
  ASSERT_TRUE(r.ok()) << Messages(r.errors());
  EXPECT_EQ(MustCurrent("wexbridge").arrangements, Wexbridge());
  EXPECT_TRUE(MustVerify().ok);
}

TEST_P(StoreTest, VerifiesAnUntouchedLog) {
  VerifyReport empty = MustVerify();
  EXPECT_TRUE(empty.ok);
  EXPECT_EQ(empty.entries_checked, 0);
  Arrangements a = Wexbridge();
  MustImport(a);
  MustImport(Example("management-agreement-borough.yaml"));
  for (int i = 0; i < 5; ++i) {
    a.authority.name = "Version " + std::to_string(i + 2);
    MustUpdate(a, i + 1);
  }
  const VerifyReport report = MustVerify();
  EXPECT_TRUE(report.ok) << ::testing::PrintToString(report.problems);
  EXPECT_EQ(report.entries_checked, 7);
  EXPECT_TRUE(report.problems.empty());
}

class TamperTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MustImportTwoWithHistory();
    DropAppendOnlyGuard();
  }
};

TEST_P(StoreTest, TheLogIsAppendOnly) {
  MustImport(Wexbridge());
  // A Store never updates or deletes an entry, and the database refuses to.
  ::testing::ScopedTrace trace(__FILE__, __LINE__, "append-only guard");
  // So is the log of sign-ins and refusals.
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in_failed", "alice", "10.0.0.1", ""}).ok());
  const char* const changes[] = {"UPDATE history SET reason = 'x'", "DELETE FROM history",
                                 "UPDATE auth_events SET detail = 'x'", "DELETE FROM auth_events"};
  if (GetParam() == Kind::kSqlite) {
    sqlite3* db = nullptr;
    sqlite3_open(db_->Where().c_str(), &db);
    for (const char* sql : changes) {
      EXPECT_NE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    }
    sqlite3_close(db);
  } else {
    PGconn* conn = PQconnectdb(db_->Where().c_str());
    for (const char* sql : changes) {
      PGresult* r = PQexec(conn, sql);
      EXPECT_EQ(PQresultStatus(r), PGRES_FATAL_ERROR) << sql;
      PQclear(r);
    }
    PQfinish(conn);
  }
  EXPECT_EQ(store_->History("wexbridge").value()[0].reason, "first import");
  EXPECT_EQ(db_->Sql("SELECT count(*) FROM auth_events"), "1");
}

TEST_P(TamperTest, AnAlteredReasonIsFoundAtItsEntry) {
  db_->Sql(
      "UPDATE history SET reason = 'nothing to see' WHERE authority = 'wexbridge' AND "
      "version = 2");
  const VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.entries_checked, 5);
  EXPECT_EQ(report.problems,
            (std::vector<std::string>{
                "authority wexbridge: entry 2: hash does not match its content (the entry was "
                "altered)"}));
}

TEST_P(TamperTest, AnAlteredSnapshotIsFoundAtItsEntry) {
  db_->Sql(
      "UPDATE history SET snapshot = replace(snapshot, 'Version 3', 'Version 9') "
      "WHERE authority = 'wexbridge' AND version = 3");
  const VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  ASSERT_FALSE(report.problems.empty());
  EXPECT_EQ(report.problems[0],
            "authority wexbridge: entry 3: snapshot does not match its snapshot_sha256 (the "
            "snapshot was altered)");
  for (const std::string& p : report.problems) {
    EXPECT_TRUE(p.starts_with("authority wexbridge: entry 3:") ||
                p.starts_with("authority wexbridge: entry 4:"))
        << p;
  }
}

TEST_P(TamperTest, ARehashedEntryBreaksTheChainAtTheNext) {
  // The attacker alters entry 2 and recomputes its hash by the documented rule: the chain then
  // breaks at entry 3, whose prev_hash still names the original.
  const HistoryEntry e = store_->History("wexbridge").value()[1];
  const std::string snapshot_sha =
      db_->Sql("SELECT snapshot_sha256 FROM history WHERE authority = 'wexbridge' AND version = 2");
  const std::string forged = DocumentedHash({"assure-history-v1", e.prev_hash, "wexbridge", "2",
                                             e.at, "mallory", e.reason, e.kind, snapshot_sha});
  db_->Sql("UPDATE history SET author = 'mallory', hash = '" + forged +
           "' WHERE authority = 'wexbridge' AND version = 2");
  const VerifyReport report = MustVerify();
  EXPECT_EQ(report.problems,
            (std::vector<std::string>{
                "authority wexbridge: entry 3: prev_hash does not match entry 2",
                "authority wexbridge: entry 2: its authentication code does not match (the entry "
                "was written or rewritten without the key)"}));
}

TEST_P(TamperTest, ARemovedEntryIsFound) {
  db_->Sql("DELETE FROM history WHERE authority = 'wexbridge' AND version = 4");
  const VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.problems.size(), 1u) << ::testing::PrintToString(report.problems);
  EXPECT_EQ(report.problems[0],
            "authority wexbridge: its current version is 4 but its last entry is 3 (entries were "
            "removed)");
  db_->Sql("DELETE FROM history WHERE authority = 'wexbridge' AND version = 2");
  const VerifyReport again = MustVerify();
  EXPECT_NE(std::find(again.problems.begin(), again.problems.end(),
                      "authority wexbridge: entry 2 is missing"),
            again.problems.end())
      << ::testing::PrintToString(again.problems);
}

TEST_P(TamperTest, AnAlteredDiffIsFound) {
  db_->Sql("UPDATE history SET diff = '[]' WHERE authority = 'wexbridge' AND version = 2");
  EXPECT_EQ(MustVerify().problems,
            (std::vector<std::string>{
                "authority wexbridge: entry 2: diff does not match the change between the "
                "snapshots"}));
}

// Tamper evidence with the key (src/store/audit.hpp): each attack below is made with raw SQL by
// someone who can write to the database (triggers dropped first) but has not the key.
class KeyedTamperTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MustImportTwoWithHistory();
    MustAddUser("alice");
    ASSERT_TRUE(accounts().SetRole("alice", "wexbridge", Role::kEditor).ok());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in_failed", "alice", "10.0.0.1", ""}).ok());
    }
    const VerifyReport clean = MustVerify();
    ASSERT_TRUE(clean.ok) << ::testing::PrintToString(clean.problems);
    ASSERT_TRUE(clean.keyed);
    DropGuards();
  }

  void DropGuards() {
    if (GetParam() == Kind::kSqlite) {
      db_->Sql(
          "DROP TRIGGER history_no_update; DROP TRIGGER history_no_delete; "
          "DROP TRIGGER auth_events_no_delete; DROP TRIGGER audit_log_no_delete");
    } else {
      db_->Sql(
          "DROP TRIGGER history_no_change ON history; DROP TRIGGER auth_events_no_delete ON "
          "auth_events; DROP TRIGGER auth_events_no_truncate ON auth_events; DROP TRIGGER "
          "audit_log_no_change ON audit_log");
    }
  }

  // Recomputes the hashes of `id`'s entries from `from` on by the documented rule, and its head,
  // as an attacker who has read src/store/ledger.hpp would.
  void Rehash(const std::string& id, int64_t from, int64_t to) {
    std::string prev = db_->Sql("SELECT prev_hash FROM history WHERE authority = '" + id +
                                "' AND version = " + std::to_string(from));
    for (int64_t v = from; v <= to; ++v) {
      auto field = [&](const std::string& column) {
        return db_->Sql("SELECT " + column + " FROM history WHERE authority = '" + id +
                        "' AND version = " + std::to_string(v));
      };
      const std::string hash = DocumentedHash({"assure-history-v1", prev, id, std::to_string(v),
                                               field("at"), field("author"), field("reason"),
                                               field("kind"), field("snapshot_sha256")});
      db_->Sql("UPDATE history SET prev_hash = '" + prev + "', hash = '" + hash +
               "' WHERE authority = '" + id + "' AND version = " + std::to_string(v));
      prev = hash;
    }
    db_->Sql("UPDATE authorities SET head_hash = '" + prev + "' WHERE id = '" + id + "'");
  }

  static bool Has(const VerifyReport& report, const std::string& start) {
    return std::any_of(report.problems.begin(), report.problems.end(),
                       [&](const std::string& p) { return p.starts_with(start); });
  }
};

TEST_P(KeyedTamperTest, TheLastEntriesRemovedAndTheHeadResetAreFound) {
  Arrangements a = Wexbridge();
  for (int v = 4; v < 104; ++v) {
    a.authority.name = "Version " + std::to_string(v + 1);
    MustUpdate(a, v);
  }
  ASSERT_TRUE(MustVerify().ok);
  // The last 100 entries go, and the head is put back to the entry before them: every hash and
  // link that remains holds.
  db_->Sql("DELETE FROM history WHERE authority = 'wexbridge' AND version > 4");
  db_->Sql(
      "UPDATE authorities SET version = 4, head_hash = (SELECT hash FROM history WHERE "
      "authority = 'wexbridge' AND version = 4), updated_at = (SELECT at FROM history WHERE "
      "authority = 'wexbridge' AND version = 4) WHERE id = 'wexbridge'");
  const VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.problems,
            (std::vector<std::string>{
                "authority wexbridge: its head (version 4) does not match its authentication "
                "code: entries were removed from its end, or its history was rewritten, without "
                "the key"}));
}

TEST_P(KeyedTamperTest, AReasonChangedWithTheChainRecomputedIsFound) {
  db_->Sql(
      "UPDATE history SET reason = 'nothing to see' WHERE authority = 'wexbridge' AND "
      "version = 2");
  Rehash("wexbridge", 2, 4);
  const VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  // The hashes and links hold; the codes do not.
  EXPECT_FALSE(Has(report, "authority wexbridge: entry 2: hash"));
  for (int v = 2; v <= 4; ++v) {
    EXPECT_TRUE(Has(report, "authority wexbridge: entry " + std::to_string(v) +
                                ": its authentication code does not match"))
        << ::testing::PrintToString(report.problems);
  }
  EXPECT_TRUE(Has(report, "authority wexbridge: its head (version 4) does not match"));
  EXPECT_EQ(report.problems.size(), 4u) << ::testing::PrintToString(report.problems);
}

TEST_P(KeyedTamperTest, AnAuthorityDeletedOutrightIsFound) {
  db_->Sql("DELETE FROM history WHERE authority = 'kingsmere'");
  db_->Sql("DELETE FROM authorities WHERE id = 'kingsmere'");
  const VerifyReport report = MustVerify();
  EXPECT_EQ(report.problems,
            (std::vector<std::string>{
                "authority kingsmere: the audit log records it, but it is not in the database "
                "(it was removed outright)"}));
}

TEST_P(KeyedTamperTest, ASiteAdministratorAddedToUsersIsFound) {
  const std::string admin = GetParam() == Kind::kSqlite ? "1" : "true";
  const std::string hash = db_->Sql("SELECT password_hash FROM users WHERE name = 'alice'");
  db_->Sql("INSERT INTO users (name, password_hash, site_admin, created_at) VALUES ('mallory', '" +
           hash + "', " + admin + ", '2026-01-01T09:00:00.000Z')");
  VerifyReport report = MustVerify();
  EXPECT_EQ(report.problems,
            (std::vector<std::string>{"users [\"mallory\"] is not in the audit log (it was added "
                                      "outside Assure)"}));
  // So are a grant raised and a user made site administrator in place.
  db_->Sql("UPDATE grants SET role = 'admin' WHERE user_name = 'alice'");
  db_->Sql("UPDATE users SET site_admin = " + admin + " WHERE name = 'alice'");
  report = MustVerify();
  EXPECT_TRUE(Has(report, "grants [\"alice\",\"wexbridge\"] differs from its last record"))
      << ::testing::PrintToString(report.problems);
  EXPECT_TRUE(Has(report, "users [\"alice\"] differs from its last record"));
}

TEST_P(KeyedTamperTest, TheLogOfSignInsEmptiedIsFound) {
  db_->Sql("DELETE FROM auth_events");
  const VerifyReport report = MustVerify();
  EXPECT_EQ(report.problems, (std::vector<std::string>{
                                 "auth events: the seal counts 3 events ever recorded, but the "
                                 "log holds 0: events were removed"}));
}

TEST_P(KeyedTamperTest, ARecordOfTheAuditLogAlteredIsFound) {
  if (GetParam() == Kind::kSqlite) {
    db_->Sql("DROP TRIGGER audit_log_no_update");
  }
  db_->Sql("UPDATE audit_log SET digest = '' WHERE kind = 'row' AND subject LIKE 'grants%'");
  const VerifyReport report = MustVerify();
  EXPECT_TRUE(Has(report, "audit log: record ")) << ::testing::PrintToString(report.problems);
}

TEST_P(StoreTest, AnUntamperedDatabaseVerifiesCleanWithEveryKindOfChange) {
  Arrangements a = Wexbridge();
  MustImport(a);
  a.authority.name = "Renamed";
  MustUpdate(a, 1);
  ASSERT_TRUE(store_->Delete("wexbridge", 2, By("gone")).ok());
  ASSERT_TRUE(store_->Restore("wexbridge", 1, 3, By("back")).ok());
  MustAddUser("alice", true);
  MustAddUser("bob");
  ASSERT_TRUE(accounts().SetPassword("bob", "a new long password").ok());
  ASSERT_TRUE(accounts().SetRole("bob", "wexbridge", Role::kViewer).ok());
  ASSERT_TRUE(accounts().SetRole("bob", "wexbridge", Role::kApprover).ok());
  ASSERT_TRUE(accounts().SetRole("bob", "kingsmere", Role::kEditor).ok());
  ASSERT_TRUE(accounts().RemoveRole("bob", "kingsmere").ok());
  auto token = accounts().CreateApiToken("bob", "script");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(accounts().RevokeApiToken("bob", token.value().first.id).ok());
  auto session = accounts().CreateSession("bob", "2030-01-01");
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(accounts().EndSession(session.value()).ok());
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in", "bob", "10.0.0.2", ""}).ok());
  const VerifyReport report = MustVerify();
  EXPECT_TRUE(report.ok) << ::testing::PrintToString(report.problems);
  EXPECT_TRUE(report.keyed);
  EXPECT_EQ(report.auth_events_checked, 1);
  // authority, 2 users, a password, 3 grants and a removal, a token and its revocation, a
  // session.
  EXPECT_EQ(report.audit_records_checked, 11);
}

TEST_P(StoreTest, TheKeyIsMadeAtFirstStartPrivateAndRequiredOnceSealed) {
  store_.reset();
  std::unique_ptr<Database> fresh = NewDatabase(GetParam());
  const std::filesystem::path key =
      std::filesystem::temp_directory_path() / (UniqueName("assure_key_") + ".key");
  {
    Result<std::unique_ptr<Store>> s = OpenStore(fresh->Where(), clock_.AsClock(), {key});
    ASSERT_TRUE(s.ok()) << Messages(s.errors());
    ASSERT_TRUE(s.value()->Import(Wexbridge(), By("first")).ok());
  }
  ASSERT_TRUE(std::filesystem::exists(key));
  EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(std::filesystem::file_size(key), 65u);
  // Without the key: a sealed database does not get a new one, but can be read and verified.
  const std::string saved = testing::ReadFile(key);
  std::filesystem::remove(key);
  Result<std::unique_ptr<Store>> refused = OpenStore(fresh->Where(), clock_.AsClock(), {key});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.errors()[0].field, "key");
  EXPECT_NE(refused.errors()[0].message.find("sealed with one"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(key));
  Result<std::unique_ptr<Store>> reader =
      OpenStore(fresh->Where(), clock_.AsClock(), {key, /*create_key=*/false});
  ASSERT_TRUE(reader.ok()) << Messages(reader.errors());
  EXPECT_EQ(reader.value()->Current("wexbridge").value().version, 1);
  const VerifyReport report = reader.value()->Verify().value();
  EXPECT_FALSE(report.ok);
  EXPECT_FALSE(report.keyed);
  ASSERT_EQ(report.problems.size(), 1u) << ::testing::PrintToString(report.problems);
  EXPECT_TRUE(report.problems[0].starts_with("no key: there is no key file at"))
      << report.problems[0];
  Result<int64_t> write = reader.value()->Import(Wexbridge(), By("again"));
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.errors()[0].code, ErrorCode::kUnavailable);
  // Another key is not this database's.
  {
    std::ofstream other(key);
    other << std::string(64, 'a') << "\n";
  }
  std::filesystem::permissions(
      key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  Result<std::unique_ptr<Store>> wrong = OpenStore(fresh->Where(), clock_.AsClock(), {key});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.errors()[0].message.find("not the key"), std::string::npos);
  // A key others can read is refused.
  {
    std::ofstream back(key);
    back << saved;
  }
  std::filesystem::permissions(key, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  Result<std::unique_ptr<Store>> open = OpenStore(fresh->Where(), clock_.AsClock(), {key});
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.errors()[0].message.find("chmod 600"), std::string::npos);
  std::filesystem::permissions(key, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::remove);
  Result<std::unique_ptr<Store>> again = OpenStore(fresh->Where(), clock_.AsClock(), {key});
  ASSERT_TRUE(again.ok()) << Messages(again.errors());
  EXPECT_TRUE(again.value()->Verify().value().ok);
  std::filesystem::remove(key);
}

TEST_P(StoreTest, ACheckpointShowsWhatWasRewrittenOrRemovedBeforeIt) {
  Arrangements a = Wexbridge();
  MustImport(a);
  a.authority.name = "Version 2";
  MustUpdate(a, 1);
  MustAddUser("alice");
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in", "alice", "10.0.0.1", ""}).ok());
  Result<Checkpoint> checkpoint = store_->MakeCheckpoint();
  ASSERT_TRUE(checkpoint.ok()) << Messages(checkpoint.errors());
  EXPECT_EQ(checkpoint.value().digest.size(), 64u);
  a.authority.name = "Version 3";
  MustUpdate(a, 2);
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in", "alice", "10.0.0.1", ""}).ok());
  VerifyOptions with;
  with.checkpoint = checkpoint.value().digest;
  VerifyReport report = store_->Verify(with).value();
  EXPECT_TRUE(report.ok) << ::testing::PrintToString(report.problems);
  // A digest the database never gave.
  VerifyOptions unknown;
  unknown.checkpoint = std::string(64, 'f');
  report = store_->Verify(unknown).value();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("it is not in the audit log"), std::string::npos);
}

TEST_P(StoreTest, ACheckpointShowsAnOlderCopyPutBack) {
  if (GetParam() != Kind::kSqlite) GTEST_SKIP() << "copies the SQLite file";
  Arrangements a = Wexbridge();
  MustImport(a);
  const std::string old_copy = db_->Where() + ".old";
  ASSERT_TRUE(BackupSqlite(db_->Where(), old_copy).ok());
  a.authority.name = "Version 2";
  MustUpdate(a, 1);
  const std::string digest = store_->MakeCheckpoint().value().digest;
  store_.reset();
  // The older copy put back: whole and sealed, as it was then.
  std::filesystem::remove(db_->Where() + "-wal");
  std::filesystem::remove(db_->Where() + "-shm");
  std::filesystem::rename(old_copy, db_->Where());
  store_ = Open();
  EXPECT_TRUE(MustVerify().ok);
  VerifyOptions with;
  with.checkpoint = digest;
  const VerifyReport report = store_->Verify(with).value();
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.problems.size(), 1u) << ::testing::PrintToString(report.problems);
  EXPECT_NE(report.problems[0].find("put back to a copy older than the checkpoint"),
            std::string::npos);
}

TEST_P(KeyedTamperTest, ACheckpointShowsHistoryRewrittenBeforeIt) {
  const std::string digest = store_->MakeCheckpoint().value().digest;
  db_->Sql("UPDATE history SET author = 'mallory' WHERE authority = 'wexbridge' AND version = 3");
  Rehash("wexbridge", 3, 4);
  VerifyOptions with;
  with.checkpoint = digest;
  const VerifyReport report = store_->Verify(with).value();
  EXPECT_TRUE(Has(report, "checkpoint " + digest.substr(0, 16) +
                              ": authority wexbridge: its history up to version 4 was rewritten "
                              "since"))
      << ::testing::PrintToString(report.problems);
}

TEST_P(StoreTest, PruningTheLogOfSignInsKeepsItVerifiable) {
  clock_.SetDay("2025-01-10");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in_failed", "bob", "10.0.0.9", ""}).ok());
  }
  clock_.SetDay("2026-03-01");
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in", "bob", "10.0.0.9", ""}).ok());
  const std::string digest = store_->MakeCheckpoint().value().digest;
  std::string saved;
  Result<int64_t> pruned = store_->PruneAuthEvents("2026-01-01", [&](const std::string& text) {
    saved = text;
    return Result<Done>(Done{});
  });
  ASSERT_TRUE(pruned.ok()) << Messages(pruned.errors());
  EXPECT_EQ(pruned.value(), 3);
  EXPECT_EQ(db_->Sql("SELECT count(*) FROM auth_events"), "1");
  EXPECT_EQ(std::count(saved.begin(), saved.end(), '\n'), 4);
  VerifyOptions with;
  with.checkpoint = digest;
  with.pruned = {saved};
  VerifyReport report = store_->Verify(with).value();
  EXPECT_TRUE(report.ok) << ::testing::PrintToString(report.problems);
  EXPECT_EQ(report.auth_events_checked, 1);
  // The file altered: its events no longer hash to the prune's digest.
  std::string altered = saved;
  altered.replace(altered.find("10.0.0.9"), 8, "10.0.0.8");
  with.pruned = {altered};
  report = store_->Verify(with).value();
  ASSERT_EQ(report.problems.size(), 1u) << ::testing::PrintToString(report.problems);
  EXPECT_TRUE(report.problems[0].starts_with("pruned file: its events do not hash"));
  // Nothing before the date: nothing removed, and `save` not asked.
  bool asked = false;
  Result<int64_t> none = store_->PruneAuthEvents("2026-01-01", [&](const std::string&) {
    asked = true;
    return Result<Done>(Done{});
  });
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.value(), 0);
  EXPECT_FALSE(asked);
  // When the file cannot be written, nothing is removed.
  Result<int64_t> failed = store_->PruneAuthEvents("2026-12-31", [&](const std::string&) {
    return Result<Done>(
        std::vector<Error>{Error{ErrorCode::kUnavailable, "", 0, 0, "", "disk full"}});
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(db_->Sql("SELECT count(*) FROM auth_events"), "1");
  EXPECT_TRUE(MustVerify().ok);
}

TEST_P(StoreTest, HoldsManyAuthorities) {
  const Arrangements base = Example("shared-dcs-unitary.yaml");
  constexpr int kCount = 30;
  for (int i = 0; i < kCount; ++i) {
    Arrangements a = base;
    a.authority.id = "council-" + std::to_string(100 + i);
    a.authority.name = "Council " + std::to_string(i);
    MustImport(a);
    if (i % 3 == 0) {
      a.authority.name += " (edited)";
      MustUpdate(a, 1);
    }
  }
  Result<std::vector<AuthoritySummary>> list = store_->ListAuthorities();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list.value().size(), static_cast<std::size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    const AuthoritySummary& s = list.value()[i];
    EXPECT_EQ(s.id, "council-" + std::to_string(100 + i));
    EXPECT_EQ(s.version, i % 3 == 0 ? 2 : 1);
    EXPECT_EQ(MustCurrent(s.id).arrangements.authority.name, s.name);
  }
  const VerifyReport report = MustVerify();
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.entries_checked, kCount + kCount / 3);
}

TEST_P(StoreTest, ConcurrentEditsFromTwoConnectionsGetOneSuccessAndOneConflict) {
  Arrangements a = Wexbridge();
  MustImport(a);
  // Two Stores: two connections, as two server processes would have.
  std::unique_ptr<Store> other = Open();
  ASSERT_NE(other, nullptr);
  Store* stores[2] = {store_.get(), other.get()};

  constexpr int kRounds = 15;
  std::barrier start(2);
  std::vector<Result<int64_t>> results(2, Result<int64_t>(int64_t{0}));
  for (int round = 0; round < kRounds; ++round) {
    const int64_t version = round + 1;
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        Arrangements mine = a;
        mine.authority.name = "Round " + std::to_string(round) + " by " + std::to_string(t);
        start.arrive_and_wait();
        results[t] =
            stores[t]->Update("wexbridge", version, mine, By("round " + std::to_string(round)));
      });
    }
    for (std::thread& th : threads) th.join();
    int successes = 0;
    for (const Result<int64_t>& r : results) {
      if (r.ok()) {
        ++successes;
        EXPECT_EQ(r.value(), version + 1);
      } else {
        EXPECT_EQ(r.errors()[0].code, ErrorCode::kConflict) << Messages(r.errors());
        EXPECT_EQ(CurrentVersionOf(r.errors()[0]), version + 1);
      }
    }
    EXPECT_EQ(successes, 1) << "round " << round;
  }
  EXPECT_EQ(MustCurrent("wexbridge").version, kRounds + 1);
  EXPECT_EQ(store_->History("wexbridge").value().size(), static_cast<std::size_t>(kRounds + 1));
  EXPECT_TRUE(MustVerify().ok);
}

TEST_P(StoreTest, TheSharedCurrentStateIsKeptAndSeesChangesByAnotherProcess) {
  Arrangements a = Wexbridge();
  MustImport(a);
  Result<std::shared_ptr<const Snapshot>> first = store_->CurrentShared("wexbridge");
  Result<std::shared_ptr<const Snapshot>> again = store_->CurrentShared("wexbridge");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first.value().get(), again.value().get()) << "the same state is decoded once";
  EXPECT_TRUE(first.value()->arrangements == a);
  EXPECT_EQ(first.value()->hash, store_->History("wexbridge").value().back().hash);

  // Another Store (another process) changes the authority: this one sees the change.
  std::unique_ptr<Store> other = Open();
  ASSERT_NE(other, nullptr);
  Arrangements renamed = a;
  renamed.authority.name = "Renamed by the other";
  ASSERT_TRUE(other->Update("wexbridge", 1, renamed, By("rename")).ok());
  Result<std::shared_ptr<const Snapshot>> seen = store_->CurrentShared("wexbridge");
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen.value()->version, 2);
  EXPECT_EQ(seen.value()->arrangements.authority.name, "Renamed by the other");
  EXPECT_EQ(first.value()->arrangements.authority.name, a.authority.name)
      << "a state already handed out never changes";

  // An edit here, after the other's: its diff is taken from the other's state, not from the
  // state this Store decoded first.
  Arrangements retitled = renamed;
  retitled.posts.front().title = "Retitled here";
  EXPECT_EQ(MustUpdate(retitled, 2), 3);
  const std::string diff = store_->History("wexbridge").value().back().diff_json;
  EXPECT_EQ(nlohmann::json::parse(diff),
            nlohmann::json::parse(R"([{"op":"replace","path":"/posts/)" + a.posts.front().id +
                                  R"(/title","value":"Retitled here"}])"));

  // A deletion by the other is seen too.
  ASSERT_TRUE(other->Delete("wexbridge", 3, By("gone")).ok());
  Result<std::shared_ptr<const Snapshot>> gone = store_->CurrentShared("wexbridge");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.errors()[0].code, ErrorCode::kNotFound);
  EXPECT_TRUE(MustVerify().ok);
}

TEST_P(StoreTest, AwkwardTextIsStoredAsGivenAndTheLogVerifies) {
  // The diff of an edit is taken from the state in memory; the log is verified against the
  // stored YAML. They agree only if every text reads back exactly as given.
  Arrangements a = Wexbridge();
  MustImport(a);
  const std::vector<std::string> texts = {"  leading and trailing  ",
                                          "line one\nline two",
                                          "tab\there",
                                          "quote \" and ' both",
                                          "null",
                                          "true",
                                          "123",
                                          "2016-03-15",
                                          "- a dash",
                                          "# a hash",
                                          "key: value",
                                          "~",
                                          "",
                                          "caf\u00e9 \u2014 \U0001F600",
                                          "back\\slash",
                                          std::string("nul\0inside", 11),
                                          "\x7f",
                                          "a\r\nb"};
  int64_t version = 1;
  for (const std::string& text : texts) {
    Arrangements edited = a;
    edited.authority.name = "Wexbridge " + text;
    edited.posts.front().title = text.empty() ? "x" : text;
    version = MustUpdate(edited, version, "awkward text");
    std::unique_ptr<Store> fresh = Open();  // reads the stored YAML, not the state in memory
    ASSERT_NE(fresh, nullptr);
    EXPECT_TRUE(fresh->Current("wexbridge").value().arrangements == edited)
        << "'" << text << "' did not read back";
  }
  const VerifyReport report = MustVerify();
  EXPECT_TRUE(report.ok) << (report.problems.empty() ? "" : report.problems.front());
}

TEST_P(StoreTest, NoEditIsLostWhenTwoConnectionsRetryOnConflict) {
  MustImport(Wexbridge());
  std::unique_ptr<Store> other = Open();
  ASSERT_NE(other, nullptr);
  Store* stores[2] = {store_.get(), other.get()};
  constexpr int kEditsEach = 20;
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      int attempts = 0;
      for (int i = 0; i < kEditsEach;) {
        // Bounded, so that a store that keeps failing fails the test rather than spinning.
        if (++attempts > 100 * kEditsEach) {
          ADD_FAILURE() << "thread " << t << " made only " << i << " edits in " << attempts
                        << " attempts";
          return;
        }
        Result<Snapshot> now = stores[t]->Current("wexbridge");
        if (!now.ok()) continue;
        Arrangements mine = now.value().arrangements;
        mine.authority.name = "Edit " + std::to_string(i) + " by " + std::to_string(t);
        Result<int64_t> r =
            stores[t]->Update("wexbridge", now.value().version, mine, By("concurrent"));
        if (r.ok()) {
          ++i;
        } else {
          ASSERT_EQ(r.errors()[0].code, ErrorCode::kConflict) << Messages(r.errors());
          ++conflicts;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(MustCurrent("wexbridge").version, 1 + 2 * kEditsEach);
  const VerifyReport report = MustVerify();
  EXPECT_TRUE(report.ok) << ::testing::PrintToString(report.problems);
  EXPECT_EQ(report.entries_checked, 1 + 2 * kEditsEach);
}

TEST_P(StoreTest, ConcurrentFirstImportsOfOneAuthorityBothSucceed) {
  std::unique_ptr<Store> other = Open();
  ASSERT_NE(other, nullptr);
  Store* stores[2] = {store_.get(), other.get()};
  std::barrier start(2);
  std::vector<Result<int64_t>> results(2, Result<int64_t>(int64_t{0}));
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      // Two different states (the same one twice would be recorded once).
      Arrangements a = Wexbridge();
      a.authority.name += " " + std::to_string(t);
      start.arrive_and_wait();
      results[t] = stores[t]->Import(a, By("import"));
    });
  }
  for (std::thread& th : threads) th.join();
  ASSERT_TRUE(results[0].ok()) << Messages(results[0].errors());
  ASSERT_TRUE(results[1].ok()) << Messages(results[1].errors());
  EXPECT_EQ(std::set<int64_t>({results[0].value(), results[1].value()}), (std::set<int64_t>{1, 2}));
  EXPECT_TRUE(MustVerify().ok);
}

TEST_P(StoreTest, MigrationsAreAppliedOnceAndOpeningAgainChangesNothing) {
  MustImport(Wexbridge());
  EXPECT_EQ(db_->Sql("SELECT count(*) FROM schema_migrations"), "5");
  for (int i = 0; i < 3; ++i) {
    std::unique_ptr<Store> again = Open();
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(again->Current("wexbridge").value().arrangements, Wexbridge());
  }
  EXPECT_EQ(db_->Sql("SELECT count(*) FROM schema_migrations"), "5");
  EXPECT_EQ(db_->Sql("SELECT max(version) FROM schema_migrations"), "5");

  // A schema newer than the program is refused rather than misread.
  db_->Sql("INSERT INTO schema_migrations (version, applied_at) VALUES (99, '2030-01-01')");
  Result<std::unique_ptr<Store>> newer = OpenStore(db_->Where(), clock_.AsClock());
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.errors()[0].code, ErrorCode::kUnavailable);
  EXPECT_NE(newer.errors()[0].message.find("newer"), std::string::npos);
}

TEST_P(StoreTest, StoresOpenedAtOnceMigrateOnce) {
  // A second database, empty, opened by four threads at once (as processes starting together).
  std::unique_ptr<Database> fresh;
  if (GetParam() == Kind::kSqlite) {
    fresh = std::make_unique<SqliteDatabase>();
  } else {
    fresh = std::make_unique<PostgresDatabase>(TestPostgresUrl());
  }
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      Result<std::unique_ptr<Store>> s = OpenStore(fresh->Where(), clock_.AsClock());
      EXPECT_TRUE(s.ok()) << Messages(s.errors());
      if (s.ok()) ++opened;
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(opened, 4);
  EXPECT_EQ(fresh->Sql("SELECT count(*) FROM schema_migrations"), "5");
}

TEST_P(StoreTest, TheSchemaHasItsForeignKeyAndSqliteUsesWal) {
  MustImport(Wexbridge());
  if (GetParam() == Kind::kSqlite) {
    EXPECT_EQ(db_->Sql("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(db_->Sql("SELECT count(*) FROM pragma_foreign_key_list('history')"), "1");
  } else {
    EXPECT_EQ(db_->Sql("SELECT count(*) FROM information_schema.table_constraints WHERE "
                       "table_schema = current_schema() AND table_name = 'history' AND "
                       "constraint_type = 'FOREIGN KEY'"),
              "1");
  }
}

// Accounts (src/store/accounts.hpp).

bool IsSecret(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The documented stored form of a token: SHA-256 (lower-case hex) of its 32 bytes.
std::string StoredHashOf(const std::string& secret) {
  unsigned char bytes[32];
  size_t length = 0;
  EXPECT_EQ(
      sodium_hex2bin(bytes, sizeof bytes, secret.data(), secret.size(), nullptr, &length, nullptr),
      0);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, bytes, sizeof bytes);
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

TEST_P(StoreTest, AccountsAddUsersAndListThem) {
  clock_.SetDay("2026-03-01");
  const User alice = MustAddUser("alice");
  EXPECT_EQ(alice.name, "alice");
  EXPECT_FALSE(alice.site_admin);
  EXPECT_EQ(alice.created_at, "2026-03-01T09:00:00.000Z");
  MustAddUser("admin@example.org", true);
  MustAddUser("bob.smith-2_x");

  Result<User> got = accounts().GetUser("admin@example.org");
  ASSERT_TRUE(got.ok()) << Messages(got.errors());
  EXPECT_TRUE(got.value().site_admin);
  EXPECT_EQ(got.value().created_at, "2026-03-01T09:00:01.000Z");
  Result<User> missing = accounts().GetUser("nobody");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.errors()[0].code, ErrorCode::kNotFound);

  Result<std::vector<User>> users = accounts().ListUsers();
  ASSERT_TRUE(users.ok()) << Messages(users.errors());
  std::vector<std::string> names;
  for (const User& u : users.value()) names.push_back(u.name);
  EXPECT_EQ(names, (std::vector<std::string>{"admin@example.org", "alice", "bob.smith-2_x"}));

  Result<User> again = accounts().AddUser("alice", "another long password", true);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.errors()[0].code, ErrorCode::kConflict);
  EXPECT_EQ(again.errors()[0].field, "name");
  EXPECT_FALSE(accounts().GetUser("alice").value().site_admin);
}

TEST_P(StoreTest, AccountsRefuseABadNameOrAShortPassword) {
  for (const std::string name : {"", "Alice", "-bob", ".bob", "bob smith", "bob/x",
                                 "b\xc3\xb6"
                                 "b",
                                 "bob\n", "_x"}) {
    Result<User> r = accounts().AddUser(name, "a long enough password", false);
    ASSERT_FALSE(r.ok()) << name;
    ASSERT_EQ(r.errors().size(), 1u) << name;
    EXPECT_EQ(r.errors()[0].code, ErrorCode::kInvalid) << name;
    EXPECT_EQ(r.errors()[0].field, "name") << name;
  }
  // Twelve characters, not bytes: eleven two-byte characters are too short.
  std::string eleven_accents;
  for (int i = 0; i < 11; ++i) eleven_accents += "\xc3\xa9";
  for (const std::string& password :
       {std::string(""), std::string("elevenchars"), eleven_accents}) {
    Result<User> r = accounts().AddUser("carol", password, false);
    ASSERT_FALSE(r.ok()) << password;
    EXPECT_EQ(r.errors()[0].code, ErrorCode::kInvalid);
    EXPECT_EQ(r.errors()[0].field, "password");
    EXPECT_NE(r.errors()[0].message.find("12"), std::string::npos) << r.errors()[0].message;
  }
  Result<User> both = accounts().AddUser("Carol", "short", false);
  ASSERT_FALSE(both.ok());
  ASSERT_EQ(both.errors().size(), 2u);
  EXPECT_EQ(both.errors()[0].field, "name");
  EXPECT_EQ(both.errors()[1].field, "password");
  EXPECT_EQ(accounts().ListUsers().value().size(), 0u);
  EXPECT_TRUE(accounts().AddUser("carol", "twelve chars", false).ok());
  EXPECT_TRUE(accounts().AddUser("dave", eleven_accents + "\xc3\xa9", false).ok());
}

TEST_P(StoreTest, AccountsCheckPasswords) {
  MustAddUser("alice");
  MustAddUser("root", true);
  Result<User> right = accounts().CheckPassword("alice", "alice password");
  ASSERT_TRUE(right.ok()) << Messages(right.errors());
  EXPECT_EQ(right.value().name, "alice");
  EXPECT_TRUE(accounts().CheckPassword("root", "root password").value().site_admin);

  Result<User> wrong = accounts().CheckPassword("alice", "root password");
  Result<User> unknown = accounts().CheckPassword("mallory", "alice password");
  Result<User> bad_name = accounts().CheckPassword("Not A Name", "alice password");
  for (const Result<User>* r : {&wrong, &unknown, &bad_name}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->errors()[0].code, ErrorCode::kUnauthorized);
    // The same words whether or not the name exists.
    EXPECT_EQ(r->errors()[0].message, wrong.errors()[0].message);
  }
  EXPECT_FALSE(accounts().CheckPassword("alice", "").ok());
  EXPECT_FALSE(accounts().CheckPassword("alice", "alice passwor").ok());
  EXPECT_FALSE(accounts().CheckPassword("alice", "alice password ").ok());
}

TEST_P(StoreTest, AccountsChangePasswords) {
  MustAddUser("alice");
  ASSERT_TRUE(accounts().SetPassword("alice", "a brand new password").ok());
  EXPECT_EQ(accounts().CheckPassword("alice", "alice password").errors()[0].code,
            ErrorCode::kUnauthorized);
  EXPECT_TRUE(accounts().CheckPassword("alice", "a brand new password").ok());

  Result<Done> short_one = accounts().SetPassword("alice", "too short");
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.errors()[0].code, ErrorCode::kInvalid);
  EXPECT_EQ(short_one.errors()[0].field, "password");
  EXPECT_TRUE(accounts().CheckPassword("alice", "a brand new password").ok());
  EXPECT_EQ(accounts().SetPassword("nobody", "a long enough password").errors()[0].code,
            ErrorCode::kNotFound);

  // A password has at most kMaxPasswordBytes bytes; a longer one is wrong without being hashed.
  const std::string longest(kMaxPasswordBytes, 'p');
  EXPECT_TRUE(accounts().SetPassword("alice", longest).ok());
  EXPECT_TRUE(accounts().CheckPassword("alice", longest).ok());
  Result<Done> too_long = accounts().SetPassword("alice", longest + "p");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.errors()[0].field, "password");
  EXPECT_NE(too_long.errors()[0].message.find("at most 1024 bytes"), std::string::npos);
  EXPECT_EQ(accounts().AddUser("bob", longest + "p", false).errors()[0].field, "password");
  EXPECT_EQ(accounts().CheckPassword("alice", longest + "p").errors()[0].code,
            ErrorCode::kUnauthorized);
}

TEST_P(StoreTest, AccountsChangingAPasswordEndsThatUsersSessions) {
  clock_.SetDay("2026-03-01");
  MustAddUser("alice");
  MustAddUser("bob");
  const std::string expires = "2026-03-01T17:00:00.000Z", noon = "2026-03-01T12:00:00.000Z";
  const std::string alices = accounts().CreateSession("alice", expires).value();
  const std::string bobs = accounts().CreateSession("bob", expires).value();
  const std::string token = accounts().CreateApiToken("alice", "script").value().second;
  ASSERT_TRUE(accounts().SetPassword("alice", "a brand new password").ok());
  EXPECT_EQ(accounts().UserOfSession(alices, noon).errors()[0].code, ErrorCode::kUnauthorized);
  EXPECT_TRUE(accounts().UserOfSession(bobs, noon).ok()) << "another user's session ended too";
  EXPECT_TRUE(accounts().UserOfApiToken(token).ok()) << "API tokens are kept";
}

TEST_P(StoreTest, AccountsKeepOnlyLiveSessions) {
  clock_.SetDay("2026-03-01");  // the store's clock: 09:00 and a second more at each reading
  MustAddUser("alice");
  const std::string ended = accounts().CreateSession("alice", "2026-03-01T17:00:00.000Z").value();
  ASSERT_TRUE(accounts().EndSession(ended).ok());
  accounts().CreateSession("alice", "2026-03-01T09:00:03.000Z").value();  // expires at once
  const std::string live = accounts().CreateSession("alice", "2026-03-02T09:00:00.000Z").value();
  const std::string newest = accounts().CreateSession("alice", "2026-03-02T09:00:00.000Z").value();
  // Each sign-in removes the sessions no longer usable: the ended one and the expired one.
  EXPECT_EQ(db_->Sql("SELECT count(*) FROM sessions"), "2");
  EXPECT_TRUE(accounts().UserOfSession(live, "2026-03-01T12:00:00.000Z").ok());
  EXPECT_TRUE(accounts().UserOfSession(newest, "2026-03-01T12:00:00.000Z").ok());
}

TEST_P(StoreTest, AccountsGiveRolesPerAuthority) {
  MustAddUser("alice");
  MustAddUser("root", true);
  // No authority exists yet: a grant may come before the authority's first import.
  for (const std::string authority : {"wexbridge", "kingsmere", "anywhere"}) {
    Result<std::optional<Role>> r = accounts().RoleOf("root", authority);
    ASSERT_TRUE(r.ok()) << Messages(r.errors());
    EXPECT_EQ(r.value(), Role::kAdmin) << authority;
    EXPECT_EQ(accounts().RoleOf("alice", authority).value(), std::nullopt);
  }

  ASSERT_TRUE(accounts().SetRole("alice", "wexbridge", Role::kViewer).ok());
  ASSERT_TRUE(accounts().SetRole("alice", "kingsmere", Role::kApprover).ok());
  EXPECT_EQ(accounts().RoleOf("alice", "wexbridge").value(), Role::kViewer);
  ASSERT_TRUE(accounts().SetRole("alice", "wexbridge", Role::kEditor).ok());
  EXPECT_EQ(accounts().RoleOf("alice", "wexbridge").value(), Role::kEditor);
  EXPECT_EQ(accounts().RoleOf("alice", "kingsmere").value(), Role::kApprover);
  EXPECT_EQ(accounts().RoleOf("alice", "fernleigh").value(), std::nullopt);
  EXPECT_EQ(accounts().RoleOf("nobody", "wexbridge").value(), std::nullopt);
  ASSERT_TRUE(accounts().SetRole("root", "fernleigh", Role::kViewer).ok());
  EXPECT_EQ(accounts().RoleOf("root", "fernleigh").value(), Role::kAdmin);

  Result<std::vector<Grant>> grants = accounts().GrantsOf("alice");
  ASSERT_TRUE(grants.ok()) << Messages(grants.errors());
  ASSERT_EQ(grants.value().size(), 2u);
  EXPECT_EQ(grants.value()[0].user, "alice");
  EXPECT_EQ(grants.value()[0].authority, "kingsmere");
  EXPECT_EQ(grants.value()[0].role, Role::kApprover);
  EXPECT_EQ(grants.value()[1].authority, "wexbridge");
  EXPECT_EQ(grants.value()[1].role, Role::kEditor);
  EXPECT_TRUE(accounts().GrantsOf("root").value().size() == 1u);

  ASSERT_TRUE(accounts().RemoveRole("alice", "kingsmere").ok());
  EXPECT_EQ(accounts().RoleOf("alice", "kingsmere").value(), std::nullopt);
  EXPECT_EQ(accounts().GrantsOf("alice").value().size(), 1u);
  EXPECT_EQ(accounts().RemoveRole("alice", "kingsmere").errors()[0].code, ErrorCode::kNotFound);
  EXPECT_EQ(accounts().SetRole("nobody", "wexbridge", Role::kAdmin).errors()[0].code,
            ErrorCode::kNotFound);
  EXPECT_EQ(accounts().GrantsOf("nobody").errors()[0].code, ErrorCode::kNotFound);

  // Every role is stored and read back under its own name.
  for (Role role : {Role::kViewer, Role::kEditor, Role::kApprover, Role::kAdmin}) {
    ASSERT_TRUE(accounts().SetRole("alice", "wexbridge", role).ok());
    EXPECT_EQ(accounts().RoleOf("alice", "wexbridge").value(), role);
  }
  EXPECT_EQ(db_->Sql("SELECT role FROM grants WHERE user_name = 'alice'"), "admin");
}

TEST_P(StoreTest, AccountsKeepSessionsUntilTheyExpireOrEnd) {
  clock_.SetDay("2026-03-01");
  MustAddUser("alice");
  const std::string expires = "2026-03-01T17:00:00.000Z";
  Result<std::string> token = accounts().CreateSession("alice", expires);
  ASSERT_TRUE(token.ok()) << Messages(token.errors());
  EXPECT_TRUE(IsSecret(token.value())) << token.value();
  const std::string other = accounts().CreateSession("alice", expires).value();
  EXPECT_NE(token.value(), other);

  Result<User> user = accounts().UserOfSession(token.value(), "2026-03-01T12:00:00.000Z");
  ASSERT_TRUE(user.ok()) << Messages(user.errors());
  EXPECT_EQ(user.value().name, "alice");
  EXPECT_TRUE(accounts().UserOfSession(token.value(), "2026-03-01T16:59:59.999Z").ok());
  for (const std::string now : {"2026-03-01T17:00:00.000Z", "2026-03-01T17:00:00.001Z",
                                "2026-03-02T09:00:00.000Z", "2027-01-01T00:00:00.000Z"}) {
    Result<User> expired = accounts().UserOfSession(token.value(), now);
    ASSERT_FALSE(expired.ok()) << now;
    EXPECT_EQ(expired.errors()[0].code, ErrorCode::kUnauthorized) << now;
  }
  for (const std::string& bad :
       {std::string(""), std::string("x"), std::string(64, '0'), token.value().substr(1) + "0",
        token.value() + "0", std::string(64, 'g')}) {
    Result<User> r = accounts().UserOfSession(bad, "2026-03-01T12:00:00.000Z");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.errors()[0].code, ErrorCode::kUnauthorized) << bad;
  }

  ASSERT_TRUE(accounts().EndSession(token.value()).ok());
  Result<User> ended = accounts().UserOfSession(token.value(), "2026-03-01T12:00:00.000Z");
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.errors()[0].code, ErrorCode::kUnauthorized);
  EXPECT_TRUE(accounts().EndSession(token.value()).ok());
  EXPECT_TRUE(accounts().EndSession(std::string(64, 'a')).ok());
  EXPECT_TRUE(accounts().EndSession("not a token").ok());
  EXPECT_TRUE(accounts().UserOfSession(other, "2026-03-01T12:00:00.000Z").ok());
  EXPECT_EQ(db_->Sql("SELECT count(*) FROM sessions WHERE ended_at IS NOT NULL"), "1");

  EXPECT_EQ(accounts().CreateSession("nobody", expires).errors()[0].code, ErrorCode::kNotFound);
  // A session is not an API token.
  EXPECT_EQ(accounts().UserOfApiToken(other).errors()[0].code, ErrorCode::kUnauthorized);
  // Another Store on the same database (another server process) knows the session.
  std::unique_ptr<Store> second = Open();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->accounts().UserOfSession(other, "2026-03-01T12:00:00.000Z").value().name,
            "alice");
}

TEST_P(StoreTest, AccountsTakeTimesInTheClocksForm) {
  MustAddUser("alice");
  // Without milliseconds, and a date (the end of that day), as AtTime takes them.
  const std::string whole = accounts().CreateSession("alice", "2026-03-01T17:00:00Z").value();
  const std::string day = accounts().CreateSession("alice", "2026-03-01").value();
  EXPECT_TRUE(accounts().UserOfSession(whole, "2026-03-01T16:59:59Z").ok());
  EXPECT_FALSE(accounts().UserOfSession(whole, "2026-03-01T17:00:00Z").ok());
  EXPECT_TRUE(accounts().UserOfSession(day, "2026-03-01T23:59:59.998Z").ok());
  EXPECT_FALSE(accounts().UserOfSession(day, "2026-03-02T00:00:00.000Z").ok());
  EXPECT_EQ(db_->Sql("SELECT max(expires_at) FROM sessions"), "2026-03-01T23:59:59.999Z");
  // Any other form is the caller's defect, never a session that lasts for ever.
  EXPECT_EQ(accounts().CreateSession("alice", "9999").errors()[0].code, ErrorCode::kInternal);
  EXPECT_EQ(accounts().UserOfSession(whole, "2026-03-01 12:00").errors()[0].code,
            ErrorCode::kInternal);
  EXPECT_EQ(accounts().FailedSignInsSince("alice", "", "yesterday").errors()[0].code,
            ErrorCode::kInternal);
}

TEST_P(StoreTest, AccountsATokenRevokedByAnotherProcessStopsWorkingWithinASecond) {
  MustAddUser("alice");
  const auto made = accounts().CreateApiToken("alice", "script").value();
  ASSERT_TRUE(accounts().UserOfApiToken(made.second).ok());  // now remembered here
  std::unique_ptr<Store> other = Open();                     // another process on the same database
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->accounts().RevokeApiToken("alice", made.first.id).ok());
  EXPECT_FALSE(other->accounts().UserOfApiToken(made.second).ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool refused = false;
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    refused = !accounts().UserOfApiToken(made.second).ok();
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(refused) << "the revoked token still works here";
}

TEST_P(StoreTest, AccountsIssueUseListAndRevokeApiTokens) {
  clock_.SetDay("2026-03-01");
  MustAddUser("alice");
  MustAddUser("bob");
  Result<std::pair<ApiToken, std::string>> first = accounts().CreateApiToken("alice", "nightly");
  ASSERT_TRUE(first.ok()) << Messages(first.errors());
  const ApiToken& token = first.value().first;
  const std::string& secret = first.value().second;
  EXPECT_TRUE(IsSecret(secret)) << secret;
  EXPECT_GT(token.id, 0);
  EXPECT_EQ(token.user, "alice");
  EXPECT_EQ(token.label, "nightly");
  EXPECT_EQ(token.created_at, "2026-03-01T09:00:02.000Z");
  EXPECT_EQ(token.revoked_at, std::nullopt);
  const auto second = accounts().CreateApiToken("alice", "the dashboard").value();
  const auto bobs = accounts().CreateApiToken("bob", "bob's script").value();
  EXPECT_NE(second.second, secret);

  Result<User> user = accounts().UserOfApiToken(secret);
  ASSERT_TRUE(user.ok()) << Messages(user.errors());
  EXPECT_EQ(user.value().name, "alice");
  EXPECT_EQ(accounts().UserOfApiToken(bobs.second).value().name, "bob");
  for (const std::string& bad : {std::string(""), std::string(64, '0'), secret.substr(2)}) {
    EXPECT_EQ(accounts().UserOfApiToken(bad).errors()[0].code, ErrorCode::kUnauthorized) << bad;
  }

  Result<std::vector<ApiToken>> list = accounts().ApiTokensOf("alice");
  ASSERT_TRUE(list.ok()) << Messages(list.errors());
  ASSERT_EQ(list.value().size(), 2u);
  EXPECT_EQ(list.value()[0].id, second.first.id);
  EXPECT_EQ(list.value()[0].label, "the dashboard");
  EXPECT_EQ(list.value()[1].id, token.id);
  EXPECT_EQ(list.value()[1].created_at, token.created_at);

  // Only the token's owner can revoke it.
  EXPECT_EQ(accounts().RevokeApiToken("bob", token.id).errors()[0].code, ErrorCode::kNotFound);
  EXPECT_EQ(accounts().RevokeApiToken("alice", 9999).errors()[0].code, ErrorCode::kNotFound);
  ASSERT_TRUE(accounts().RevokeApiToken("alice", token.id).ok());
  Result<User> revoked = accounts().UserOfApiToken(secret);
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.errors()[0].code, ErrorCode::kUnauthorized);
  EXPECT_TRUE(accounts().UserOfApiToken(second.second).ok());
  const std::vector<ApiToken> after = accounts().ApiTokensOf("alice").value();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].revoked_at, std::nullopt);
  ASSERT_TRUE(after[1].revoked_at.has_value());
  const std::string revoked_at = *after[1].revoked_at;
  EXPECT_GT(revoked_at, token.created_at);
  // Revoking again changes nothing.
  EXPECT_TRUE(accounts().RevokeApiToken("alice", token.id).ok());
  EXPECT_EQ(accounts().ApiTokensOf("alice").value()[1].revoked_at, revoked_at);

  for (const std::string blank : {"", "  ", "\t\n"}) {
    Result<std::pair<ApiToken, std::string>> r = accounts().CreateApiToken("alice", blank);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.errors()[0].code, ErrorCode::kInvalid);
    EXPECT_EQ(r.errors()[0].field, "label");
  }
  EXPECT_EQ(accounts().CreateApiToken("nobody", "x").errors()[0].code, ErrorCode::kNotFound);
  EXPECT_EQ(accounts().ApiTokensOf("nobody").errors()[0].code, ErrorCode::kNotFound);
  EXPECT_EQ(accounts().ApiTokensOf("bob").value().size(), 1u);
  // An API token is not a session.
  EXPECT_EQ(accounts().UserOfSession(second.second, "2026-03-01T12:00:00.000Z").errors()[0].code,
            ErrorCode::kUnauthorized);
}

TEST_P(StoreTest, AccountsLogAuthEventsNewestFirst) {
  clock_.SetDay("2026-03-01");
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in", "alice", "10.0.0.1", ""}).ok());
  ASSERT_TRUE(accounts()
                  .RecordAuthEvent({"1999-01-01T00:00:00.000Z", "sign_in_failed", "bob", "10.0.0.2",
                                    "wrong password"})
                  .ok());
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "forbidden", "alice", "::1", "PUT /api/x"}).ok());

  Result<std::vector<AuthEvent>> events = accounts().AuthEvents(10);
  ASSERT_TRUE(events.ok()) << Messages(events.errors());
  ASSERT_EQ(events.value().size(), 3u);
  const AuthEvent& newest = events.value()[0];
  EXPECT_EQ(newest.kind, "forbidden");
  EXPECT_EQ(newest.user, "alice");
  EXPECT_EQ(newest.remote, "::1");
  EXPECT_EQ(newest.detail, "PUT /api/x");
  EXPECT_EQ(newest.at, "2026-03-01T09:00:02.000Z");
  // The store's clock sets `at`, whatever the caller gave.
  EXPECT_EQ(events.value()[1].at, "2026-03-01T09:00:01.000Z");
  EXPECT_EQ(events.value()[1].detail, "wrong password");
  EXPECT_EQ(events.value()[2].kind, "sign_in");
  const std::vector<AuthEvent> two = accounts().AuthEvents(2).value();
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].kind, "sign_in_failed");
  EXPECT_EQ(accounts().AuthEvents(0).value().size(), 0u);
  EXPECT_EQ(accounts().AuthEvents(std::numeric_limits<size_t>::max()).value().size(), 3u);
}

TEST_P(StoreTest, AccountsCountFailedSignInsByNameAndByAddress) {
  auto failed = [&](const std::string& user, const std::string& remote) {
    ASSERT_TRUE(
        accounts().RecordAuthEvent({"", "sign_in_failed", user, remote, "wrong password"}).ok());
  };
  clock_.SetDay("2026-03-01");
  failed("bob", "10.0.0.1");  // before `since`: not counted
  clock_.SetDay("2026-03-02");
  failed("bob", "10.0.0.1");
  failed("bob", "10.0.0.1");
  failed("carol", "10.0.0.1");
  failed("bob", "10.0.0.2");
  failed("", "10.0.0.3");
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in", "bob", "10.0.0.1", ""}).ok());
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "unauthorized", "bob", "10.0.0.1", ""}).ok());

  struct Case {
    std::string user, remote;
    int64_t count;
  };
  const std::string since = "2026-03-02T00:00:00.000Z";
  for (const Case& c : std::vector<Case>{{"bob", "", 3},
                                         {"", "10.0.0.1", 3},
                                         {"bob", "10.0.0.1", 4},
                                         {"carol", "10.0.0.2", 2},
                                         {"carol", "", 1},
                                         {"", "10.0.0.3", 1},
                                         {"dave", "10.0.0.9", 0},
                                         {"", "", 0}}) {
    Result<int64_t> n = accounts().FailedSignInsSince(c.user, c.remote, since);
    ASSERT_TRUE(n.ok()) << Messages(n.errors());
    EXPECT_EQ(n.value(), c.count) << "'" << c.user << "' from '" << c.remote << "'";
  }
  EXPECT_EQ(accounts().FailedSignInsSince("bob", "", "2026-03-01T00:00:00.000Z").value(), 4);
  // The third of bob's failures today was at 09:00:03.
  EXPECT_EQ(accounts().FailedSignInsSince("bob", "", "2026-03-02T09:00:03.000Z").value(), 1);
  EXPECT_EQ(accounts().FailedSignInsSince("bob", "", "2026-03-02T09:00:03.001Z").value(), 0);
}

TEST_P(StoreTest, AccountsDisableEnableDeleteAndSignOutEverywhere) {
  clock_.SetDay("2026-03-01");
  MustAddUser("root", true);
  MustAddUser("alice");
  MustAddUser("bob");
  const std::string noon = "2026-03-01T12:00:00.000Z";
  const std::string expires = "2026-03-02T09:00:00.000Z";
  ASSERT_TRUE(accounts().SetRole("alice", "wexbridge", Role::kEditor).ok());
  const std::string session = accounts().CreateSession("alice", expires).value();
  const auto token = accounts().CreateApiToken("alice", "script").value();
  const std::string bobs = accounts().CreateSession("bob", expires).value();
  ASSERT_TRUE(accounts().UserOfApiToken(token.second).ok());  // remembered for a second here

  // Disabled: no sign-in (the same answer as a wrong password), no session, no token, at once.
  ASSERT_TRUE(accounts().DisableUser("alice").ok());
  const User disabled = accounts().GetUser("alice").value();
  ASSERT_TRUE(disabled.disabled_at.has_value());
  EXPECT_EQ(accounts().CheckPassword("alice", "alice password").errors()[0].code,
            ErrorCode::kUnauthorized);
  EXPECT_EQ(accounts().UserOfSession(session, noon).errors()[0].code, ErrorCode::kUnauthorized);
  EXPECT_EQ(accounts().UserOfApiToken(token.second).errors()[0].code, ErrorCode::kUnauthorized);
  EXPECT_TRUE(accounts().UserOfSession(bobs, noon).ok()) << "another user is untouched";
  EXPECT_TRUE(accounts().ApiTokensOf("alice").value()[0].revoked_at.has_value());
  ASSERT_TRUE(accounts().DisableUser("alice").ok());  // again: nothing changes
  EXPECT_EQ(accounts().GetUser("alice").value().disabled_at, disabled.disabled_at);

  // Enabled again: the password works, and nothing of before comes back.
  ASSERT_TRUE(accounts().EnableUser("alice").ok());
  EXPECT_EQ(accounts().GetUser("alice").value().disabled_at, std::nullopt);
  EXPECT_TRUE(accounts().CheckPassword("alice", "alice password").ok());
  EXPECT_FALSE(accounts().UserOfSession(session, noon).ok());
  EXPECT_FALSE(accounts().UserOfApiToken(token.second).ok());

  // Signed out everywhere: every session and token ends; the password still works.
  const std::string again = accounts().CreateSession("alice", expires).value();
  const auto second = accounts().CreateApiToken("alice", "another").value();
  ASSERT_TRUE(accounts().UserOfApiToken(second.second).ok());
  Result<int64_t> ended = accounts().SignOutEverywhere("alice");
  ASSERT_TRUE(ended.ok()) << Messages(ended.errors());
  EXPECT_EQ(ended.value(), 2);
  EXPECT_FALSE(accounts().UserOfSession(again, noon).ok());
  EXPECT_FALSE(accounts().UserOfApiToken(second.second).ok());
  EXPECT_TRUE(accounts().CheckPassword("alice", "alice password").ok());
  EXPECT_EQ(accounts().SignOutEverywhere("alice").value(), 0);

  // Deleted: gone with roles, sessions and tokens; the name can be used again.
  ASSERT_TRUE(accounts().DeleteUser("alice").ok());
  EXPECT_EQ(accounts().GetUser("alice").errors()[0].code, ErrorCode::kNotFound);
  EXPECT_EQ(db_->Sql("SELECT count(*) FROM grants WHERE user_name = 'alice'"), "0");
  EXPECT_EQ(db_->Sql("SELECT count(*) FROM api_tokens WHERE user_name = 'alice'"), "0");
  EXPECT_FALSE(accounts().CheckPassword("alice", "alice password").ok());
  MustAddUser("alice");
  EXPECT_EQ(accounts().RoleOf("alice", "wexbridge").value(), std::nullopt);

  for (const std::string unknown : {"nobody", ""}) {
    EXPECT_EQ(accounts().DisableUser(unknown).errors()[0].code, ErrorCode::kNotFound);
    EXPECT_EQ(accounts().EnableUser(unknown).errors()[0].code, ErrorCode::kNotFound);
    EXPECT_EQ(accounts().DeleteUser(unknown).errors()[0].code, ErrorCode::kNotFound);
    EXPECT_EQ(accounts().SignOutEverywhere(unknown).errors()[0].code, ErrorCode::kNotFound);
  }
}

TEST_P(StoreTest, AccountsKeepTheLastSiteAdministratorWhoCanSignIn) {
  MustAddUser("root", true);
  MustAddUser("alice");
  for (Result<Done> r : {accounts().DisableUser("root"), accounts().DeleteUser("root")}) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.errors()[0].code, ErrorCode::kConflict);
  }
  EXPECT_TRUE(accounts().CheckPassword("root", "root password").ok());
  MustAddUser("second", true);
  ASSERT_TRUE(accounts().DisableUser("root").ok());
  EXPECT_EQ(accounts().DisableUser("second").errors()[0].code, ErrorCode::kConflict);
  ASSERT_TRUE(accounts().DeleteUser("root").ok()) << "a disabled administrator can go";
  EXPECT_EQ(accounts().DeleteUser("second").errors()[0].code, ErrorCode::kConflict);
}

TEST_P(StoreTest, AccountsRefuseANameLongerThanAnyUsersWithoutLookingForIt) {
  const std::string longest(kMaxUserNameBytes, 'a');
  EXPECT_TRUE(accounts().AddUser(longest, "a long enough password", false).ok());
  Result<User> too_long = accounts().AddUser(longest + "a", "a long enough password", false);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.errors()[0].field, "name");
  EXPECT_EQ(too_long.errors()[0].message.find(longest), std::string::npos)
      << "the message does not repeat the name";
  // A name longer than any user's is no one's, whatever it starts with.
  EXPECT_EQ(accounts().CheckPassword(longest + "a", "a long enough password").errors()[0].code,
            ErrorCode::kUnauthorized);
  EXPECT_TRUE(accounts().CheckPassword(longest, "a long enough password").ok());
}

TEST_P(StoreTest, AccountsLogKeepsWhatClientsSendShortAndCountsFloods) {
  const std::string huge_name(8 * 1024 * 1024, 'n');
  const std::string huge_path = "GET /" + std::string(16 * 1024, 'p');
  const std::string accents(2000, 'a');
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in_failed", huge_name, "10.0.0.1", "x"}).ok());
  ASSERT_TRUE(
      accounts().RecordAuthEvent({"", "unauthorized", "", "10.0.0.1", huge_path, 700}).ok());
  // Cut at a character boundary: "é" is two bytes.
  std::string e_acute;
  for (int i = 0; i < 200; ++i) e_acute += "\xc3\xa9";
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "forbidden", "x", "10.0.0.1", e_acute, 0}).ok());
  const std::vector<AuthEvent> events = accounts().AuthEvents(10).value();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_LE(events[2].user.size(), kMaxUserNameBytes);
  EXPECT_TRUE(events[2].user.ends_with("...")) << events[2].user;
  EXPECT_LE(events[1].detail.size(), kMaxLoggedDetailBytes);
  EXPECT_TRUE(events[1].detail.starts_with("GET /ppp"));
  EXPECT_EQ(events[1].count, 700);
  EXPECT_EQ(events[0].count, 1) << "a count below 1 is kept as 1";
  EXPECT_LE(events[0].detail.size(), kMaxLoggedDetailBytes);
  EXPECT_TRUE(events[0].detail.ends_with("\xc3\xa9...")) << events[0].detail;
  // The counts are what failed sign-ins add up to.
  ASSERT_TRUE(
      accounts().RecordAuthEvent({"", "sign_in_failed", "bob", "10.0.0.2", "refused", 41}).ok());
  EXPECT_EQ(accounts().FailedSignInsSince("", "10.0.0.2", "2000-01-01").value(), 41);
}

TEST_P(StoreTest, AccountsHashAPasswordAgainWhenItWasHashedAtAnotherCost) {
  MustAddUser("alice");
  char old[crypto_pwhash_STRBYTES];
  const std::string password = "alice password";
  ASSERT_EQ(crypto_pwhash_str(old, password.data(), password.size(), crypto_pwhash_OPSLIMIT_MIN + 2,
                              crypto_pwhash_MEMLIMIT_MIN),
            0);
  db_->Sql("UPDATE users SET password_hash = '" + std::string(old) + "' WHERE name = 'alice'");
  const std::string session = accounts().CreateSession("alice", "2030-01-01").value();
  EXPECT_FALSE(accounts().CheckPassword("alice", "wrong password!").ok());
  EXPECT_EQ(db_->Sql("SELECT password_hash FROM users WHERE name = 'alice'"), old)
      << "a wrong password changes nothing";
  ASSERT_TRUE(accounts().CheckPassword("alice", password).ok()) << "the old cost still verifies";
  const std::string now = db_->Sql("SELECT password_hash FROM users WHERE name = 'alice'");
  EXPECT_NE(now, old);
  EXPECT_TRUE(now.starts_with("$argon2id$v=19$m=8,t=1,")) << now << ": this suite's cost";
  EXPECT_TRUE(accounts().CheckPassword("alice", password).ok());
  EXPECT_TRUE(accounts().UserOfSession(session, "2026-06-01").ok()) << "no session ends";
}

TEST_P(StoreTest, AccountsKeepNoSecretInClear) {
  const std::string password = "correct horse battery staple";
  ASSERT_TRUE(accounts().AddUser("alice", password, false).ok());
  ASSERT_TRUE(accounts().AddUser("bob", password, false).ok());
  const std::string session = accounts().CreateSession("alice", "2030-01-01T00:00:00.000Z").value();
  const std::string api = accounts().CreateApiToken("alice", "script").value().second;
  ASSERT_TRUE(accounts().RecordAuthEvent({"", "sign_in", "alice", "10.0.0.1", "ok"}).ok());

  const std::string text = AccountTablesText();
  EXPECT_NE(text.find("alice"), std::string::npos) << text;  // the scan does see the tables
  for (const std::string& secret : {password, session, api}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " is stored in clear";
  }
  if (GetParam() == Kind::kSqlite) {
    // Every byte SQLite wrote: the database file and its write-ahead log.
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
      const std::filesystem::path file = db_->Where() + suffix;
      if (std::filesystem::exists(file)) bytes += testing::ReadFile(file);
    }
    ASSERT_FALSE(bytes.empty());
    for (const std::string& secret : {password, session, api}) {
      EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " is in the file";
    }
  }

  // What is stored instead: Argon2id hashes, salted (one password, two hashes), at the cheap
  // cost this suite chose; and the documented hashes of the tokens.
  const std::string alice_hash = db_->Sql("SELECT password_hash FROM users WHERE name = 'alice'");
  const std::string bob_hash = db_->Sql("SELECT password_hash FROM users WHERE name = 'bob'");
  EXPECT_TRUE(alice_hash.starts_with("$argon2id$v=19$m=8,t=1,")) << alice_hash;
  EXPECT_NE(alice_hash, bob_hash);
  EXPECT_EQ(db_->Sql("SELECT token_hash FROM sessions"), StoredHashOf(session));
  EXPECT_EQ(db_->Sql("SELECT secret_hash FROM api_tokens"), StoredHashOf(api));
}

TEST_P(StoreTest, AccountTablesReferToUsersNotToAuthorities) {
  for (const std::string table : {"grants", "sessions", "api_tokens"}) {
    if (GetParam() == Kind::kSqlite) {
      EXPECT_EQ(
          db_->Sql("SELECT group_concat(\"table\") FROM pragma_foreign_key_list('" + table + "')"),
          "users")
          << table;
    } else {
      EXPECT_EQ(db_->Sql("SELECT string_agg(ccu.table_name, ',') FROM "
                         "information_schema.table_constraints tc JOIN "
                         "information_schema.constraint_column_usage ccu USING "
                         "(constraint_schema, constraint_name) WHERE tc.table_schema = "
                         "current_schema() AND tc.table_name = '" +
                         table + "' AND tc.constraint_type = 'FOREIGN KEY'"),
                "users")
          << table;
    }
  }
}

TEST_P(StoreTest, ADatabaseOfTheFirstSchemaIsUpgraded) {
  // A database as the first version left it: migration 1 only, with history in it. Made by
  // taking away what migrations 2 and 3 add.
  MustImport(Wexbridge());
  store_.reset();
  db_->Sql(
      "DROP TABLE auth_events; DROP TABLE api_tokens; DROP TABLE sessions; DROP TABLE grants; "
      "DROP TABLE users; DROP TABLE audit_log; DROP TABLE seals; DROP TABLE auth_events_prune; "
      "ALTER TABLE history DROP COLUMN mac; ALTER TABLE authorities DROP COLUMN head_mac; "
      "DELETE FROM schema_migrations WHERE version >= 2");
  if (GetParam() == Kind::kPostgres) {
    db_->Sql(
        "DROP FUNCTION auth_events_append_only(); DROP FUNCTION auth_events_delete_pruned(); "
        "DROP FUNCTION audit_log_append_only()");
  }
  const std::string tables =
      GetParam() == Kind::kSqlite
          ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('users', "
            "'grants', 'sessions', 'api_tokens', 'auth_events')"
          : "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_name IN ('users', 'grants', 'sessions', 'api_tokens', "
            "'auth_events')";
  ASSERT_EQ(db_->Sql(tables), "0");
  ASSERT_EQ(db_->Sql("SELECT max(version) FROM schema_migrations"), "1");

  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(db_->Sql("SELECT max(version) FROM schema_migrations"), "5");
  EXPECT_EQ(db_->Sql(tables), "5");
  EXPECT_EQ(MustCurrent("wexbridge").arrangements, Wexbridge());
  EXPECT_TRUE(MustVerify().ok);
  MustAddUser("alice");
  ASSERT_TRUE(accounts().SetRole("alice", "wexbridge", Role::kEditor).ok());
  EXPECT_EQ(accounts().RoleOf("alice", "wexbridge").value(), Role::kEditor);
}

TEST(OpenStoreTest, AnUnreachableDatabaseIsUnavailable) {
  Result<std::unique_ptr<Store>> pg =
      OpenStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.errors()[0].code, ErrorCode::kUnavailable);
  Result<std::unique_ptr<Store>> file = OpenStore("sqlite:/nonexistent-dir/assure.db");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.errors()[0].code, ErrorCode::kUnavailable);
}

// Runs edit_stream against the database, kills it with SIGKILL after `acks` acknowledged
// versions, and returns every version it acknowledged (including any read after the kill).
std::vector<int64_t> KillEditStreamAfter(const std::string& where, int acks) {
  FILE* in = nullptr;
  const pid_t pid = StartEditStream(where, &in);
  if (pid < 0) return {};
  std::vector<int64_t> acked;
  char line[64];
  bool killed = false;
  while (std::fgets(line, sizeof line, in) != nullptr) {
    acked.push_back(std::atoll(line));
    if (!killed && static_cast<int>(acked.size()) >= acks) {
      kill(pid, SIGKILL);
      killed = true;
    }
  }
  std::fclose(in);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(killed) << "edit_stream ended before " << acks << " edits";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  return acked;
}

TEST_P(StoreTest, SigkillDuringAStreamOfEditsLosesNoAcknowledgedEdit) {
  store_.reset();
  for (int run = 0; run < 2; ++run) {
    // The second run starts on the database the first was killed on: it imports again and
    // carries on from there.
    const std::vector<int64_t> acked = KillEditStreamAfter(db_->Where(), 40 + 17 * run);
    ASSERT_FALSE(acked.empty());

    std::unique_ptr<Store> reopened = Open();
    ASSERT_NE(reopened, nullptr);
    const VerifyReport report = reopened->Verify().value();
    EXPECT_TRUE(report.ok) << ::testing::PrintToString(report.problems);
    const Snapshot current = reopened->Current("wexbridge").value();
    EXPECT_GE(current.version, acked.back());
    for (std::size_t i = 1; i < acked.size(); ++i) {
      const int64_t v = acked[i];
      EXPECT_EQ(v, acked[i - 1] + 1);
      Result<Snapshot> s = reopened->AtVersion("wexbridge", v);
      ASSERT_TRUE(s.ok()) << "acknowledged version " << v << " is lost";
      EXPECT_EQ(s.value().arrangements.authority.name,
                "Wexbridge City Council #" + std::to_string(v));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::Values(Kind::kSqlite, Kind::kPostgres),
                         KindName);
INSTANTIATE_TEST_SUITE_P(Engines, KeyedTamperTest,
                         ::testing::Values(Kind::kSqlite, Kind::kPostgres), KindName);
INSTANTIATE_TEST_SUITE_P(Engines, TamperTest, ::testing::Values(Kind::kSqlite, Kind::kPostgres),
                         KindName);

}  // namespace
}  // namespace assure::store
