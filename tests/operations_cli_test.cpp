// The commands for running a database for years, as a user meets them: checkpoint, verify with
// a checkpoint and without the key, prune-auth-log, backup and restore.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli_run.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

using testing::Assure;
using testing::Outcome;

class OperationsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("assure-operations-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "council.db").string();
    const Outcome imported =
        Assure({"import", (testing::SourceDir() / "examples" / "twin-hatter-city.yaml").string(),
                "--reason", "Initial load", "--db", db_});
    ASSERT_EQ(imported.code, 0) << imported.err;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(OperationsCli, TheKeyIsMadeBesideTheDatabaseAndVerifyNeedsIt) {
  const std::string key = db_ + ".key";
  ASSERT_TRUE(std::filesystem::exists(key));
  const Outcome verified = Assure({"verify", "--db", db_});
  EXPECT_EQ(verified.code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("every hash, link and authentication code holds"), std::string::npos);
  std::filesystem::rename(key, dir_ / "elsewhere.key");
  const Outcome without = Assure({"verify", "--db", db_});
  EXPECT_EQ(without.code, 1);
  EXPECT_NE(without.out.find("no key: there is no key file at '" + key + "'"), std::string::npos)
      << without.out;
  const Outcome refused =
      Assure({"import", (testing::SourceDir() / "examples" / "twin-hatter-city.yaml").string(),
              "--reason", "Again", "--db", db_});
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find("sealed with one"), std::string::npos) << refused.err;
  const Outcome named = Assure({"verify", "--db", db_, "--key", (dir_ / "elsewhere.key").string()});
  EXPECT_EQ(named.code, 0) << named.out << named.err;
}

TEST_F(OperationsCli, ACheckpointIsPrintedAndVerified) {
  const Outcome checkpoint = Assure({"checkpoint", "--db", db_});
  ASSERT_EQ(checkpoint.code, 0) << checkpoint.err;
  const std::string digest = checkpoint.out.substr(0, 64);
  EXPECT_EQ(digest.find_first_not_of("0123456789abcdef"), std::string::npos) << checkpoint.out;
  const Outcome verified = Assure({"verify", "--db", db_, "--checkpoint", digest});
  EXPECT_EQ(verified.code, 0) << verified.out;
  EXPECT_NE(verified.out.find("and the checkpoint"), std::string::npos);
  const Outcome unknown = Assure({"verify", "--db", db_, "--checkpoint", std::string(64, '0')});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.out.find("is not in the audit log"), std::string::npos) << unknown.out;
}

TEST_F(OperationsCli, PruningWritesNothingWhenThereIsNothingOldAndTeachesItsRule) {
  const std::string to = (dir_ / "pruned.jsonl").string();
  const Outcome pruned = Assure({"prune-auth-log", "--db", db_, "--to", to});
  EXPECT_EQ(pruned.code, 0) << pruned.err;
  EXPECT_NE(pruned.out.find("nothing removed"), std::string::npos) << pruned.out;
  EXPECT_FALSE(std::filesystem::exists(to));
  const Outcome help = Assure({"prune-auth-log", "--help"});
  EXPECT_NE(help.out.find("400 days"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("--pruned FILE"), std::string::npos);
  EXPECT_EQ(Assure({"prune-auth-log", "--db", db_}).code, 2) << "--to is required";
}

TEST_F(OperationsCli, ABackupIsRestoredAndVerified) {
  const std::string copy = (dir_ / "copy.db").string();
  const Outcome backup = Assure({"backup", "--db", db_, "--to", copy});
  ASSERT_EQ(backup.code, 0) << backup.err;
  EXPECT_EQ(Assure({"backup", "--db", db_, "--to", copy}).code, 2) << "never overwrites";
  const std::string restored = (dir_ / "restored.db").string();
  const Outcome restore =
      Assure({"restore", "--from", copy, "--db", restored, "--key", db_ + ".key"});
  EXPECT_EQ(restore.code, 0) << restore.out << restore.err;
  EXPECT_NE(restore.out.find("verified: 1 history entries"), std::string::npos) << restore.out;
  EXPECT_EQ(Assure({"restore", "--from", copy, "--db", restored}).code, 2)
      << "never overwrites a database";
}

}  // namespace
}  // namespace assure
