// The SQLite engine: one database file, the embedded default.
//
// Concurrency: a Store is safe to share between threads. Its writes take turns on one writer
// connection, guarded by a mutex (SQLite has one writer at a time anyway). Its reads run on a
// small pool of reader connections, opened when first needed (up to kMaxReaders; a read waits
// when all are busy), each with its own prepared statements, so reads run beside each other
// and beside a write: WAL lets readers run beside the one writer, each read transaction seeing
// the state committed as of its first statement. Several Stores and several processes may open one
// file: every write takes the write lock at its start (BEGIN IMMEDIATE, so two writers never
// deadlock upgrading a read lock), and a busy handler (WaitForLock) makes a writer wait for the
// lock rather than fail.
#include <sqlite3.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/ledger.hpp"
#include "store/pool.hpp"

namespace assure::store {
namespace {

// The schema, one migration per entry: migration N is kSqliteMigrations[N - 1]. Applied in
// order, each exactly once, recorded in schema_migrations. Never edit one that has shipped; add
// the next.
constexpr const char* kSqliteMigrations[] = {
    R"sql(
CREATE TABLE authorities (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 0),
  deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
  head_hash TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE history (
  authority TEXT NOT NULL REFERENCES authorities (id),
  version INTEGER NOT NULL CHECK (version >= 1),
  at TEXT NOT NULL,
  author TEXT NOT NULL,
  reason TEXT NOT NULL,
  kind TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  snapshot_sha256 TEXT NOT NULL,
  diff TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (authority, version)
) STRICT;
CREATE INDEX history_by_time ON history (authority, at);
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
)sql",
    // 2: the accounts (accounts.hpp).
    R"sql(
CREATE TABLE users (
  name TEXT NOT NULL PRIMARY KEY,
  password_hash TEXT NOT NULL,
  site_admin INTEGER NOT NULL CHECK (site_admin IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE grants (
  user_name TEXT NOT NULL REFERENCES users (name),
  authority TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'approver', 'admin')),
  PRIMARY KEY (user_name, authority)
) STRICT;
CREATE TABLE sessions (
  token_hash TEXT NOT NULL PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users (name),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ended_at TEXT
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_name);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_name TEXT NOT NULL REFERENCES users (name),
  label TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE INDEX api_tokens_by_user ON api_tokens (user_name, id);
CREATE TABLE auth_events (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  user_name TEXT NOT NULL,
  remote TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;
CREATE INDEX auth_events_by_time ON auth_events (at);
CREATE INDEX auth_events_failed_by_user ON auth_events (user_name, at)
  WHERE kind = 'sign_in_failed';
CREATE INDEX auth_events_failed_by_remote ON auth_events (remote, at)
  WHERE kind = 'sign_in_failed';
)sql",
    // 3: the log of sign-ins and refusals is append-only, like the history.
    R"sql(
CREATE TRIGGER auth_events_no_update BEFORE UPDATE ON auth_events
BEGIN SELECT RAISE(ABORT, 'auth_events is append-only'); END;
CREATE TRIGGER auth_events_no_delete BEFORE DELETE ON auth_events
BEGIN SELECT RAISE(ABORT, 'auth_events is append-only'); END;
)sql",
    // 4: users can be disabled; a row of auth_events can stand for several events alike.
    R"sql(
ALTER TABLE users ADD COLUMN disabled_at TEXT;
ALTER TABLE auth_events ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
)sql",
    // 5: tamper evidence with a key outside the database (audit.hpp); rows leave auth_events
    // only by a prune, which permits their ids in auth_events_prune within its transaction.
    R"sql(
ALTER TABLE history ADD COLUMN mac TEXT;
ALTER TABLE authorities ADD COLUMN head_mac TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_log (
  seq INTEGER NOT NULL PRIMARY KEY CHECK (seq >= 1),
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  digest TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  mac TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_kind ON audit_log (kind, digest);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TABLE seals (
  name TEXT NOT NULL PRIMARY KEY,
  length INTEGER NOT NULL,
  head TEXT NOT NULL,
  mac TEXT NOT NULL
) STRICT;
CREATE TABLE auth_events_prune (upto INTEGER NOT NULL) STRICT;
DROP TRIGGER IF EXISTS auth_events_no_delete;
CREATE TRIGGER auth_events_no_delete BEFORE DELETE ON auth_events
WHEN NOT EXISTS (SELECT 1 FROM auth_events_prune WHERE upto >= OLD.id)
BEGIN SELECT RAISE(ABORT, 'auth_events is append-only'); END;
)sql",
};

constexpr int kKnownMigrations = sizeof kSqliteMigrations / sizeof kSqliteMigrations[0];

constexpr const char* kEntryColumns =
    "authority, version, at, author, reason, kind, snapshot, snapshot_sha256, diff, prev_hash, "
    "hash, mac";

std::vector<Error> Unavailable(sqlite3* db, const std::string& what) {
  return Fail(ErrorCode::kUnavailable, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// The most reader connections an engine opens; a read finding them all busy waits for one.
constexpr int kMaxReaders = 8;

// How long a connection waits for another's lock (a writer for the write lock, a reader for
// the moment WAL recovery needs) before giving up.
constexpr int kBusyTimeoutMs = 30000;

// Waits a millisecond and says to try again, until kBusyTimeoutMs have passed. SQLite's own
// busy_timeout sleeps longer and longer (up to 100 ms) between tries, so that a writer of
// another process, whose transactions take about a millisecond, would often find the lock
// free and taken again while it slept: with two processes, some edits waited hundreds of
// milliseconds. Short, even waits take their turn soon after the lock is released.
int WaitForLock(void*, int tries) {
  if (tries >= kBusyTimeoutMs) return 0;  // each try waits about a millisecond
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return 1;
}

// One connection and its prepared statements: the Session of the transactions run on it, one
// at a time (the engine sees to that; the connection itself has no mutex).
class Connection final : public Session {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() const { return db_; }

  // Runs `pragmas` (several statements, no results).
  Result<Done> Set(const char* pragmas) {
    if (sqlite3_exec(db_, pragmas, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Unavailable(db_, "cannot set up the database");
    }
    return Done{};
  }

  // Puts the file in WAL mode (a property of the file: every later connection finds it so).
  Result<Done> UseWal() {
    // Switching a new file to WAL needs a moment alone with it: when several processes open
    // one new database at once, SQLite answers "locked" here without waiting on the busy
    // handler, so wait and try again (for as long as the busy handler would).
    Result<std::string> mode = One("PRAGMA journal_mode = WAL");
    for (int tries = 0; !mode.ok() && IsBusy() && tries < kBusyTimeoutMs / 10; ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      mode = One("PRAGMA journal_mode = WAL");
    }
    if (!mode.ok()) return mode.errors();
    if (mode.value() != "wal") {
      return Fail(ErrorCode::kUnavailable,
                  "the database cannot use WAL mode (it is in '" + mode.value() + "' mode)");
    }
    return Done{};
  }

  // Runs `body` between `begin` and COMMIT, or ROLLBACK when it returns errors; with no
  // `begin`, outside a transaction (each statement its own).
  Result<Done> InTransaction(const char* begin, const Engine::Body& body) {
    if (begin == nullptr) return body(*this);
    if (!Step(begin)) return Unavailable(db_, "cannot start a transaction");
    Result<Done> r = Done{};
    try {
      r = body(*this);
    } catch (...) {
      // A body that throws (a defect; Guard turns it into an error further up) must not leave
      // the transaction open on a connection the next transaction will use.
      Step("ROLLBACK");
      throw;
    }
    if (!r.ok()) {
      Step("ROLLBACK");
      return r;
    }
    if (!Step("COMMIT")) {
      std::vector<Error> e = Unavailable(db_, "cannot commit");
      Step("ROLLBACK");
      return e;
    }
    return r;
  }

  // Applies the migrations this database lacks, all in one transaction. Two processes opening
  // one file at once take turns on the write lock; the second finds nothing to do.
  Result<Done> Migrate() {
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Unavailable(db_, "cannot start the migrations");
    }
    auto fail = [&](const std::string& what) {
      std::vector<Error> e = Unavailable(db_, what);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return e;
    };
    if (sqlite3_exec(db_,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL) STRICT",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
      return fail("cannot create schema_migrations");
    }
    Result<std::string> applied = One("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!applied.ok()) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return applied.errors();
    }
    const int have = std::stoi(applied.value());
    if (have > kKnownMigrations) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return Fail(ErrorCode::kUnavailable,
                  "the database's schema is version " + std::to_string(have) +
                      ", newer than this program knows (" + std::to_string(kKnownMigrations) +
                      "); use a newer Assure");
    }
    for (int v = have + 1; v <= kKnownMigrations; ++v) {
      if (sqlite3_exec(db_, kSqliteMigrations[v - 1], nullptr, nullptr, nullptr) != SQLITE_OK) {
        return fail("migration " + std::to_string(v) + " failed");
      }
      sqlite3_stmt* s = Prepare(
          "INSERT INTO schema_migrations (version, applied_at) "
          "VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
      if (!s) return fail("cannot record migration " + std::to_string(v));
      sqlite3_bind_int(s, 1, v);
      if (sqlite3_step(s) != SQLITE_DONE) return fail("cannot record migration");
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return fail("cannot commit the migrations");
    }
    return Done{};
  }

 private:
  bool IsBusy() const {
    const int code = sqlite3_errcode(db_) & 0xff;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
  }

  // The first column of the first row of `sql`, as text.
  Result<std::string> One(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) {
      sqlite3_finalize(s);
      return Unavailable(db_, "cannot read the database");
    }
    std::string out;
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(s, 0);
      if (text) out = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Unavailable(db_, "cannot read the database");
    return out;
  }

  // A prepared statement for `sql`, reset and with its parameters cleared; cached for the life
  // of the connection. Null on failure (sqlite3_errmsg says why).
  sqlite3_stmt* Prepare(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) !=
          SQLITE_OK) {
        sqlite3_finalize(s);
        return nullptr;
      }
      it = statements_.emplace(sql, s).first;
    }
    sqlite3_reset(it->second);
    sqlite3_clear_bindings(it->second);
    return it->second;
  }

  static void Bind(sqlite3_stmt* s, int i, const std::string& text) {
    sqlite3_bind_text(s, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }

  static std::string Text(sqlite3_stmt* s, int column) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, column)))
                : std::string();
  }

  static Head HeadAt(sqlite3_stmt* s) {
    return Head{Text(s, 0),
                Text(s, 1),
                sqlite3_column_int64(s, 2),
                sqlite3_column_int(s, 3) != 0,
                Text(s, 4),
                Text(s, 5),
                Text(s, 6)};
  }

  static EntryRow EntryAt(sqlite3_stmt* s) {
    return EntryRow{Text(s, 0),  sqlite3_column_int64(s, 1),
                    Text(s, 2),  Text(s, 3),
                    Text(s, 4),  Text(s, 5),
                    Text(s, 6),  Text(s, 7),
                    Text(s, 8),  Text(s, 9),
                    Text(s, 10), Text(s, 11)};
  }

  // Runs one statement that returns no rows (BEGIN, COMMIT...), prepared once, as every
  // statement here is: parsing even "COMMIT" afresh costs more than running it.
  bool Step(const char* sql) {
    sqlite3_stmt* s = Prepare(sql);
    if (!s) return false;
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE;
  }

  // Steps `s` to the end, calling `row` for each row.
  template <typename OnRow>
  Result<Done> Run(sqlite3_stmt* s, OnRow row) {
    if (!s) return Unavailable(db_, "cannot prepare a statement");
    for (;;) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        std::vector<Error> e = Unavailable(db_, "cannot use the database");
        sqlite3_reset(s);
        return e;
      }
      row(s);
    }
    sqlite3_reset(s);
    return Done{};
  }

  Result<std::optional<Head>> LockHead(const std::string& id, bool create) override {
    // BEGIN IMMEDIATE already holds the database's write lock, so the row needs no lock of its
    // own.
    if (create) {
      sqlite3_stmt* s = Prepare(
          "INSERT INTO authorities (id, name, version, deleted, head_hash, updated_at) "
          "VALUES (?1, '', 0, 0, '', '') ON CONFLICT (id) DO NOTHING");
      if (s) Bind(s, 1, id);
      Result<Done> r = Run(s, [](sqlite3_stmt*) {});
      if (!r.ok()) return r.errors();
    }
    sqlite3_stmt* s = Prepare(
        "SELECT id, name, version, deleted, head_hash, updated_at, head_mac FROM authorities "
        "WHERE id = ?1");
    if (s) Bind(s, 1, id);
    std::optional<Head> head;
    Result<Done> r = Run(s, [&](sqlite3_stmt* st) { head = HeadAt(st); });
    if (!r.ok()) return r.errors();
    return head;
  }

  Result<Done> Append(const EntryRow& row, const std::string& name, bool deleted,
                      const std::string& head_mac) override {
    sqlite3_stmt* s = Prepare(std::string("INSERT INTO history (") + kEntryColumns +
                              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (s) {
      Bind(s, 1, row.authority);
      sqlite3_bind_int64(s, 2, row.version);
      Bind(s, 3, row.at);
      Bind(s, 4, row.author);
      Bind(s, 5, row.reason);
      Bind(s, 6, row.kind);
      Bind(s, 7, row.snapshot);
      Bind(s, 8, row.snapshot_sha256);
      Bind(s, 9, row.diff);
      Bind(s, 10, row.prev_hash);
      Bind(s, 11, row.hash);
      if (row.mac.empty()) {
        sqlite3_bind_null(s, 12);
      } else {
        Bind(s, 12, row.mac);
      }
    }
    Result<Done> r = Run(s, [](sqlite3_stmt*) {});
    if (!r.ok()) return r;
    s = Prepare(
        "UPDATE authorities SET name = ?2, version = ?3, deleted = ?4, head_hash = ?5, "
        "updated_at = ?6, head_mac = ?7 WHERE id = ?1");
    if (s) {
      Bind(s, 1, row.authority);
      Bind(s, 2, name);
      sqlite3_bind_int64(s, 3, row.version);
      sqlite3_bind_int(s, 4, deleted ? 1 : 0);
      Bind(s, 5, row.hash);
      Bind(s, 6, row.at);
      Bind(s, 7, head_mac);
    }
    return Run(s, [](sqlite3_stmt*) {});
  }

  Result<std::optional<EntryRow>> Entry(const std::string& id, int64_t version) override {
    sqlite3_stmt* s = Prepare(std::string("SELECT ") + kEntryColumns +
                              " FROM history WHERE authority = ?1 AND version = ?2");
    if (s) {
      Bind(s, 1, id);
      sqlite3_bind_int64(s, 2, version);
    }
    std::optional<EntryRow> out;
    Result<Done> r = Run(s, [&](sqlite3_stmt* st) { out = EntryAt(st); });
    if (!r.ok()) return r.errors();
    return out;
  }

  Result<std::optional<EntryRow>> LatestAt(const std::string& id, const std::string& at) override {
    sqlite3_stmt* s = Prepare(std::string("SELECT ") + kEntryColumns +
                              " FROM history WHERE authority = ?1 AND (?2 = '' OR at <= ?2) "
                              "ORDER BY version DESC LIMIT 1");
    if (s) {
      Bind(s, 1, id);
      Bind(s, 2, at);
    }
    std::optional<EntryRow> out;
    Result<Done> r = Run(s, [&](sqlite3_stmt* st) { out = EntryAt(st); });
    if (!r.ok()) return r.errors();
    return out;
  }

  Result<std::vector<EntryRow>> Entries(const std::string& id) override {
    sqlite3_stmt* s = Prepare(std::string("SELECT ") + kEntryColumns +
                              " FROM history WHERE authority = ?1 ORDER BY version");
    if (s) Bind(s, 1, id);
    std::vector<EntryRow> out;
    Result<Done> r = Run(s, [&](sqlite3_stmt* st) { out.push_back(EntryAt(st)); });
    if (!r.ok()) return r.errors();
    return out;
  }

  Result<std::vector<Head>> Heads() override {
    sqlite3_stmt* s = Prepare(
        "SELECT id, name, version, deleted, head_hash, updated_at, head_mac FROM authorities "
        "WHERE version > 0 ORDER BY id");
    std::vector<Head> out;
    Result<Done> r = Run(s, [&](sqlite3_stmt* st) { out.push_back(HeadAt(st)); });
    if (!r.ok()) return r.errors();
    return out;
  }

  Result<std::vector<Row>> Query(const std::string& sql,
                                 const std::vector<Param>& params) override {
    sqlite3_stmt* s = Prepare(sql);
    if (!s) return Unavailable(db_, "cannot prepare a statement");
    // Parameters are named $1, $2... (PostgreSQL's spelling), so bind them by name: SQLite
    // numbers named parameters in the order they first appear, which need not be theirs.
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = sqlite3_bind_parameter_index(s, ("$" + std::to_string(i + 1)).c_str());
      if (at == 0) continue;
      if (params[i]) {
        Bind(s, at, *params[i]);
      } else {
        sqlite3_bind_null(s, at);
      }
    }
    std::vector<Row> rows;
    Result<Done> r = Run(s, [&](sqlite3_stmt* st) {
      Row row;
      const int columns = sqlite3_column_count(st);
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(Text(st, c));
        }
      }
      rows.push_back(std::move(row));
    });
    if (!r.ok()) return r.errors();
    return rows;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// Opens one connection to `path` with `flags` (sqlite3_open_v2's). NOMUTEX: SQLite's own
// locking is not needed, as each connection serves one transaction at a time.
Result<std::unique_ptr<Connection>> Connect(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::vector<Error> e = Fail(ErrorCode::kUnavailable,
                                "cannot open the database '" + path +
                                    "': " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)),
                                "db");
    sqlite3_close_v2(db);
    return e;
  }
  sqlite3_busy_handler(db, &WaitForLock, nullptr);
  return std::make_unique<Connection>(db);
}

class SqliteEngine final : public Engine {
 public:
  explicit SqliteEngine(std::unique_ptr<Connection> writer) : writer_(std::move(writer)) {}

  Result<Done> Open() {
    // WAL: readers never block the writer, nor it them, and a commit is one append to the log.
    Result<Done> wal = writer_->UseWal();
    if (!wal.ok()) return wal;
    // synchronous=FULL: every commit is fsynced to the WAL before COMMIT returns, so an edit we
    // have acknowledged survives power loss, not only a killed process (NORMAL, WAL's usual
    // setting, may lose the last commits on power loss). The log's whole purpose is not to lose
    // history, and edits are few, so the fsync per edit is cheap.
    Result<Done> set = writer_->Set("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
    if (!set.ok()) return set;
    Result<Done> migrated = writer_->Migrate();
    if (!migrated.ok()) return migrated;
    // The file's full name, for the readers, so that they open the same file whatever the
    // working directory is by then. Empty for a database that lives only in this connection
    // (":memory:", a memory URI, or "" for a private temporary one): another connection would
    // see another, empty, database, so reads use the writer. (UseWal refuses those today, but
    // the readers must not depend on it.)
    const char* file = sqlite3_db_filename(writer_->db(), "main");
    file_ = file ? file : "";
    return Done{};
  }

  Result<Done> Write(const Body& body) override {
    std::lock_guard lock(write_mutex_);
    return writer_->InTransaction("BEGIN IMMEDIATE", body);
  }

  // A read transaction (deferred: it takes no lock until its first statement): every
  // statement of `body` sees the same committed state, the one as of that first statement.
  Result<Done> Read(const Body& body) override { return ReadOn("BEGIN", body); }

  Result<Done> ReadEach(const Body& body) override { return ReadOn(nullptr, body); }

 private:
  Result<Done> ReadOn(const char* begin, const Body& body) {
    if (file_.empty()) {
      std::lock_guard lock(write_mutex_);
      return writer_->InTransaction(begin, body);
    }
    return readers_.With([&](Connection& c) { return c.InTransaction(begin, body); });
  }

  // A reader needs the busy handler (Connect sets it: a read can wait briefly on WAL recovery) and
  // foreign_keys like every connection; synchronous only matters to writers. query_only: a
  // Read body that tried to write would fail, as it does in PostgreSQL's READ ONLY.
  Result<std::unique_ptr<Connection>> OpenReader() {
    Result<std::unique_ptr<Connection>> reader = Connect(file_, SQLITE_OPEN_READWRITE);
    if (!reader.ok()) return reader;
    Result<Done> set = reader.value()->Set("PRAGMA foreign_keys = ON; PRAGMA query_only = ON;");
    if (!set.ok()) return set.errors();
    return reader;
  }

  std::unique_ptr<Connection> writer_;
  std::mutex write_mutex_;  // one Write (or, for an in-memory database, Read) at a time
  std::string file_;

  Pool<Connection> readers_{kMaxReaders, [this] { return OpenReader(); }};
};

}  // namespace

Result<std::unique_ptr<Engine>> OpenSqlite(const std::string& path) {
  Result<std::unique_ptr<Connection>> writer =
      Connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!writer.ok()) return writer.errors();
  auto engine = std::make_unique<SqliteEngine>(std::move(writer).value());
  Result<Done> opened = engine->Open();
  if (!opened.ok()) {
    std::vector<Error> e = opened.errors();
    for (Error& error : e) error.message = path + ": " + error.message;
    return e;
  }
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace assure::store
