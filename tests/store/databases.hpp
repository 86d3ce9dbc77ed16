// The databases the storage tests run against, shared by the store's test files: a temporary
// SQLite file, or a schema of its own in the PostgreSQL database named by
// ASSURE_TEST_POSTGRES_URL (which `make test`, through scripts/with-postgres.sh, sets).
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "test_support.hpp"

namespace assure::store {

enum class Kind { kSqlite, kPostgres };

inline std::string KindName(const ::testing::TestParamInfo<Kind>& info) {
  return info.param == Kind::kSqlite ? "Sqlite" : "Postgres";
}

inline void PrintTo(Kind kind, std::ostream* os) {
  *os << (kind == Kind::kSqlite ? "SQLite" : "PostgreSQL");
}

// A fresh database for one test, and a raw connection to it for what a Store never does
// (tampering, looking at the schema).
class Database {
 public:
  virtual ~Database() = default;
  virtual std::string Where() const = 0;
  // Runs SQL directly; returns the first column of the first row ("" if none).
  virtual std::string Sql(const std::string& sql) = 0;
};

inline std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return prefix + std::to_string(getpid()) + "_" + std::to_string(rd() % 1000000) + "_" +
         std::to_string(counter++);
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase()
      : path_(std::filesystem::temp_directory_path() / (UniqueName("assure_store_") + ".db")) {}
  ~SqliteDatabase() override {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  std::string Where() const override { return path_.string(); }
  std::string Sql(const std::string& sql) override {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    std::string out;
    char* message = nullptr;
    const int rc = sqlite3_exec(
        db, sql.c_str(),
        [](void* out, int, char** values, char**) {
          auto* first = static_cast<std::string*>(out);
          if (first->empty() && values[0]) *first = values[0];
          return 0;
        },
        &out, &message);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
    return out;
  }

 private:
  std::filesystem::path path_;
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(std::string base) : base_(std::move(base)), schema_(UniqueName("t_")) {
    Sql("CREATE SCHEMA " + schema_);
  }
  ~PostgresDatabase() override { Sql("DROP SCHEMA " + schema_ + " CASCADE"); }
  std::string Where() const override {
    return base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema_;
  }
  std::string Sql(const std::string& sql) override {
    PGconn* conn = PQconnectdb(base_.c_str());
    EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PQclear(PQexec(conn, ("SET search_path TO " + schema_).c_str()));
    PGresult* r = PQexec(conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(r);
    EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        << sql << ": " << PQerrorMessage(conn);
    std::string out;
    if (status == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    PQclear(r);
    PQfinish(conn);
    return out;
  }

 private:
  std::string base_;
  std::string schema_;
};

// The URL of the PostgreSQL server to test against, or null when none is given.
inline const char* TestPostgresUrl() {
  const char* url = std::getenv("ASSURE_TEST_POSTGRES_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

// True under CI (CI=true), where PostgreSQL must be tested, never skipped.
inline bool UnderCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// A fresh database of `kind`, or null for PostgreSQL when TestPostgresUrl() is null (the test
// is then skipped, or fails under CI: see SetUp in the tests).
inline std::unique_ptr<Database> NewDatabase(Kind kind) {
  if (kind == Kind::kSqlite) return std::make_unique<SqliteDatabase>();
  const char* url = TestPostgresUrl();
  if (url == nullptr) return nullptr;
  return std::make_unique<PostgresDatabase>(url);
}

// Why PostgreSQL is not tested, when TestPostgresUrl() is null.
constexpr const char* kNoPostgres =
    "ASSURE_TEST_POSTGRES_URL is not set, so PostgreSQL is not tested here; `make test` "
    "(scripts/with-postgres.sh) starts a server and sets it.";

inline std::string Messages(const std::vector<Error>& errors) {
  std::string out;
  for (const Error& e : errors) out += e.message + "\n";
  return out;
}

// Starts tests/store/edit_stream, editing the twin-hatter-city example in `where` one version
// after another, and sets `*acknowledged` to its standard output: one line for each version it
// saw committed. Returns its pid, or -1 (with `*acknowledged` null) when it could not start.
inline pid_t StartEditStream(const std::string& where, FILE** acknowledged) {
  *acknowledged = nullptr;
  int out[2];
  if (pipe(out) != 0) return -1;
  const std::string example =
      (testing::SourceDir() / "examples" / "twin-hatter-city.yaml").string();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl(ASSURE_EDIT_STREAM, "edit_stream", where.c_str(), example.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return -1;
  }
  *acknowledged = fdopen(out[0], "r");
  return pid;
}

}  // namespace assure::store
