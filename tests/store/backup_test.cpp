// Backups taken with `assure backup` while another process streams edits into the database, then
// put back with `assure restore`, which verifies them: SQLite (the online backup API) and
// PostgreSQL (pg_dump and pg_restore, on a database of the test's own).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "databases.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

extern char** environ;

namespace assure::store {
namespace {

struct Outcome {
  int code = -1;
  std::string out;
};

// Runs the assure program with `args`, its output captured.
Outcome Assure(const std::vector<std::string>& args) {
  std::vector<std::string> all{ASSURE_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::string command;
  for (const std::string& a : all) command += "'" + a + "' ";
  command += "2>&1";
  Outcome run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  const int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// A stream of edits into `where` (tests/store/edit_stream.cpp), started now, killed by Stop.
class EditStream {
 public:
  explicit EditStream(const std::string& where) { pid_ = StartEditStream(where, &in_); }
  ~EditStream() { Stop(); }

  // Waits until `count` more edits were acknowledged; returns the last version acknowledged.
  long long Await(int count) {
    char line[64];
    for (int i = 0; i < count && in_ != nullptr && std::fgets(line, sizeof line, in_); ++i) {
      last_ = std::atoll(line);
    }
    return last_;
  }

  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (in_ != nullptr) {
      std::fclose(in_);
      in_ = nullptr;
    }
  }

 private:
  pid_t pid_ = -1;
  FILE* in_ = nullptr;
  long long last_ = 0;
};

class BackupTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueName("assure_backup_");
    std::filesystem::create_directories(dir_);
    key_ = (dir_ / "assure.key").string();
    setenv("ASSURE_KEY_FILE", key_.c_str(), 1);
    if (GetParam() == Kind::kSqlite) {
      source_ = (dir_ / "council.db").string();
      target_ = (dir_ / "restored.db").string();
      return;
    }
    const char* url = TestPostgresUrl();
    if (url == nullptr) {
      if (UnderCi()) FAIL() << "CI=true: PostgreSQL must be tested. " << kNoPostgres;
      GTEST_SKIP() << kNoPostgres;
    }
    // Two databases of the test's own: pg_dump copies a whole database.
    base_ = url;
    source_name_ = UniqueName("backup_src_");
    target_name_ = UniqueName("backup_dst_");
    PostgresDatabase admin(base_);
    admin.Sql("CREATE DATABASE " + source_name_);
    admin.Sql("CREATE DATABASE " + target_name_);
    source_ = WithDatabase(source_name_);
    target_ = WithDatabase(target_name_);
  }

  void TearDown() override {
    if (!source_name_.empty()) {
      PostgresDatabase admin(base_);
      admin.Sql("DROP DATABASE IF EXISTS " + source_name_ + " WITH (FORCE)");
      admin.Sql("DROP DATABASE IF EXISTS " + target_name_ + " WITH (FORCE)");
    }
    std::filesystem::remove_all(dir_);
  }

  // The test server's URL, naming the database `name`.
  std::string WithDatabase(const std::string& name) const {
    const std::size_t slash = base_.rfind('/');
    const std::size_t query = base_.find('?', slash);
    return base_.substr(0, slash + 1) + name +
           (query == std::string::npos ? "" : base_.substr(query));
  }

  std::filesystem::path dir_;
  std::string key_, base_, source_name_, target_name_, source_, target_;
};

TEST_P(BackupTest, ABackupTakenDuringAStreamOfEditsRestoresAndVerifies) {
  EditStream stream(source_);
  const long long before = stream.Await(20);
  ASSERT_GT(before, 0) << "the stream of edits did not start";
  const std::string file = (dir_ / "council.backup").string();
  const Outcome backup = Assure({"backup", "--db", source_, "--to", file});
  ASSERT_EQ(backup.code, 0) << backup.out;
  EXPECT_NE(backup.out.find("the key is not in the backup"), std::string::npos) << backup.out;
  const long long after = stream.Await(20);
  EXPECT_GT(after, before) << "the edits went on during and after the backup";
  stream.Stop();

  const Outcome restore = Assure({"restore", "--from", file, "--db", target_});
  ASSERT_EQ(restore.code, 0) << restore.out;
  EXPECT_NE(restore.out.find("verified: "), std::string::npos) << restore.out;
  Result<std::unique_ptr<Store>> restored = OpenStore(target_);
  ASSERT_TRUE(restored.ok()) << Messages(restored.errors());
  const Result<Snapshot> current = restored.value()->Current("wexbridge");
  ASSERT_TRUE(current.ok());
  EXPECT_GE(current.value().version, before);
  EXPECT_TRUE(restored.value()->Verify().value().ok);
  // A restore never overwrites an SQLite database.
  if (GetParam() == Kind::kSqlite) {
    EXPECT_EQ(Assure({"restore", "--from", file, "--db", target_}).code, 2);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, BackupTest, ::testing::Values(Kind::kSqlite, Kind::kPostgres),
                         KindName);

}  // namespace
}  // namespace assure::store
