// The PostgreSQL engine (libpq): a shared installation, several `assure serve` processes on one
// database.
//
// Concurrency: a Store is safe to share between threads. It keeps a small pool of connections
// (the first opened with the Store, the others when first needed, up to kMaxConnections), each
// serving one transaction at a time; a transaction finding them all busy waits for one. So a
// Store's reads and writes run side by side, as those of several processes do. Whichever
// connections they come from, every change locks its authority's row (SELECT ... FOR UPDATE)
// before reading the version it checks, so two changes to one authority run one after the other
// and the second sees the first's version: exactly one of two edits made against the same
// version succeeds, the other is a conflict. Changes to different authorities do not wait for
// each other. Parameterised statements only.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/ledger.hpp"
#include "store/libpq.hpp"
#include "store/pool.hpp"

namespace assure::store {
namespace {

// The schema, one migration per entry: migration N is kPostgresMigrations[N - 1], the same
// schema as the SQLite engine's. Never edit one that has shipped; add the next.
constexpr const char* kPostgresMigrations[] = {
    R"sql(
CREATE TABLE authorities (
  id text NOT NULL PRIMARY KEY,
  name text NOT NULL,
  version bigint NOT NULL CHECK (version >= 0),
  deleted boolean NOT NULL,
  head_hash text NOT NULL,
  updated_at text NOT NULL
);
CREATE TABLE history (
  authority text NOT NULL REFERENCES authorities (id),
  version bigint NOT NULL CHECK (version >= 1),
  at text NOT NULL,
  author text NOT NULL,
  reason text NOT NULL,
  kind text NOT NULL,
  snapshot text NOT NULL,
  snapshot_sha256 text NOT NULL,
  diff text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (authority, version)
);
CREATE INDEX history_by_time ON history (authority, at);
CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'history is append-only';
END
$$;
CREATE TRIGGER history_no_change BEFORE UPDATE OR DELETE ON history
  FOR EACH ROW EXECUTE FUNCTION history_append_only();
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
  FOR EACH STATEMENT EXECUTE FUNCTION history_append_only();
)sql",
    // 2: the accounts (accounts.hpp).
    R"sql(
CREATE TABLE users (
  name text NOT NULL PRIMARY KEY,
  password_hash text NOT NULL,
  site_admin boolean NOT NULL,
  created_at text NOT NULL
);
CREATE TABLE grants (
  user_name text NOT NULL REFERENCES users (name),
  authority text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'editor', 'approver', 'admin')),
  PRIMARY KEY (user_name, authority)
);
CREATE TABLE sessions (
  token_hash text NOT NULL PRIMARY KEY,
  user_name text NOT NULL REFERENCES users (name),
  created_at text NOT NULL,
  expires_at text NOT NULL,
  ended_at text
);
CREATE INDEX sessions_by_user ON sessions (user_name);
CREATE TABLE api_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_name text NOT NULL REFERENCES users (name),
  label text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  created_at text NOT NULL,
  revoked_at text
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_name, id);
CREATE TABLE auth_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at text NOT NULL,
  kind text NOT NULL,
  user_name text NOT NULL,
  remote text NOT NULL,
  detail text NOT NULL
);
CREATE INDEX auth_events_by_time ON auth_events (at);
CREATE INDEX auth_events_failed_by_user ON auth_events (user_name, at)
  WHERE kind = 'sign_in_failed';
CREATE INDEX auth_events_failed_by_remote ON auth_events (remote, at)
  WHERE kind = 'sign_in_failed';
)sql",
    // 3: the log of sign-ins and refusals is append-only, like the history.
    R"sql(
CREATE FUNCTION auth_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'auth_events is append-only';
END
$$;
CREATE TRIGGER auth_events_no_change BEFORE UPDATE OR DELETE ON auth_events
  FOR EACH ROW EXECUTE FUNCTION auth_events_append_only();
CREATE TRIGGER auth_events_no_truncate BEFORE TRUNCATE ON auth_events
  FOR EACH STATEMENT EXECUTE FUNCTION auth_events_append_only();
)sql",
    // 4: users can be disabled; a row of auth_events can stand for several events alike.
    R"sql(
ALTER TABLE users ADD COLUMN disabled_at text;
ALTER TABLE auth_events ADD COLUMN occurrences bigint NOT NULL DEFAULT 1;
)sql",
    // 5: tamper evidence with a key outside the database (audit.hpp); rows leave auth_events
    // only by a prune, which permits their ids in auth_events_prune within its transaction.
    R"sql(
ALTER TABLE history ADD COLUMN mac text;
ALTER TABLE authorities ADD COLUMN head_mac text NOT NULL DEFAULT '';
CREATE TABLE audit_log (
  seq bigint NOT NULL PRIMARY KEY CHECK (seq >= 1),
  at text NOT NULL,
  kind text NOT NULL,
  subject text NOT NULL,
  digest text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  mac text NOT NULL
);
CREATE INDEX audit_log_by_kind ON audit_log (kind, digest);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TABLE seals (
  name text NOT NULL PRIMARY KEY,
  length bigint NOT NULL,
  head text NOT NULL,
  mac text NOT NULL
);
CREATE TABLE auth_events_prune (upto bigint NOT NULL);
DROP TRIGGER IF EXISTS auth_events_no_change ON auth_events;
CREATE TRIGGER auth_events_no_update BEFORE UPDATE ON auth_events
  FOR EACH ROW EXECUTE FUNCTION auth_events_append_only();
CREATE FUNCTION auth_events_delete_pruned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM auth_events_prune WHERE upto >= OLD.id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'auth_events is append-only';
END
$$;
CREATE TRIGGER auth_events_no_delete BEFORE DELETE ON auth_events
  FOR EACH ROW EXECUTE FUNCTION auth_events_delete_pruned();
)sql",
};

constexpr int kKnownMigrations = sizeof kPostgresMigrations / sizeof kPostgresMigrations[0];

// The advisory lock that serialises migrations between processes starting at once
// ("assure" in ASCII).
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(435778631269)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(435778631269)";

using PgResult = std::unique_ptr<PGresult, decltype(&pq::clear)>;

// The most connections an engine opens; a transaction finding them all busy waits for one.
constexpr int kMaxConnections = 8;

// One connection: the Session of the transactions run on it, one at a time (the engine sees
// to that; the connection itself has no mutex).
class Connection final : public Session {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {
    // Notices ("relation already exists, skipping") are not for the user.
    pq::setNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~Connection() override { pq::finish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `body` between `begin` and COMMIT, or ROLLBACK when it returns errors; with no
  // `begin`, outside a transaction (each statement its own).
  Result<Done> InTransaction(const char* begin, const Engine::Body& body) {
    Result<Done> connected = Connected();
    if (!connected.ok()) return connected;
    if (begin == nullptr) return body(*this);
    Result<PgResult> b = Exec(begin, {});
    if (!b.ok()) return b.errors();
    Result<Done> r = Done{};
    try {
      r = body(*this);
    } catch (...) {
      // A body that throws (a defect; Guard turns it into an error further up) must not leave
      // the transaction open on a connection the next transaction will use.
      Exec("ROLLBACK", {});
      throw;
    }
    if (!r.ok()) {
      Exec("ROLLBACK", {});
      return r;
    }
    Result<PgResult> c = Exec("COMMIT", {});
    if (!c.ok()) {
      Exec("ROLLBACK", {});
      return c.errors();
    }
    return r;
  }

  // Applies the migrations this database lacks, in one transaction, holding an advisory lock
  // so that processes starting at once take turns; the later ones find nothing to do.
  Result<Done> Migrate() {
    Result<PgResult> locked = Exec(kMigrationLock, {});
    if (!locked.ok()) return locked.errors();
    Result<Done> r = MigrateLocked();
    Exec(kMigrationUnlock, {});
    return r;
  }

 private:
  // A connection lost since the last call (a restarted server, a dropped socket) is reopened.
  Result<Done> Connected() {
    if (pq::status(conn_) == CONNECTION_OK) return Done{};
    pq::reset(conn_);
    prepared_.clear();  // a new session has none of them
    if (pq::status(conn_) != CONNECTION_OK) {
      return Fail(ErrorCode::kUnavailable,
                  std::string("cannot reach the database: ") + pq::errorMessage(conn_));
    }
    return Done{};
  }

  // Runs one parameterised statement. Parameters are text; nullopt is NULL.
  Result<PgResult> Exec(const char* sql, const std::vector<Param>& params) {
    // Each statement is prepared once per connection (named s1, s2... as first met), then only
    // executed: the server parses and plans it once, and each call is one round trip.
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      const std::string name = "s" + std::to_string(prepared_.size() + 1);
      Result<PgResult> made =
          Checked(PgResult(pq::prepare(conn_, name.c_str(), sql, 0, nullptr), &pq::clear));
      if (!made.ok()) return made.errors();
      it = prepared_.emplace(sql, name).first;
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
    return Checked(
        PgResult(pq::execPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                                  values.data(), nullptr, nullptr, 0),
                 &pq::clear));
  }

  // `result` when the statement succeeded, else its error.
  Result<PgResult> Checked(PgResult result) {
    const ExecStatusType status = result ? pq::resultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    const char* state = result ? pq::resultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state ? state : "";
    // Connection trouble, a server shutting down, or a transaction the server gave up on is
    // "unavailable" (try again); anything else is a defect.
    const bool unavailable = code.empty() || code.starts_with("08") || code.starts_with("57") ||
                             code.starts_with("53") || code == "40001" || code == "40P01";
    std::string why = pq::errorMessage(conn_);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return Fail(unavailable ? ErrorCode::kUnavailable : ErrorCode::kInternal, "database: " + why);
  }

  static std::string Text(const PGresult* r, int row, int column) {
    return std::string(pq::getvalue(r, row, column),
                       static_cast<std::size_t>(pq::getlength(r, row, column)));
  }

  static Head HeadAt(const PGresult* r, int row) {
    return Head{Text(r, row, 0),        Text(r, row, 1), std::stoll(Text(r, row, 2)),
                Text(r, row, 3) == "t", Text(r, row, 4), Text(r, row, 5),
                Text(r, row, 6)};
  }

  static EntryRow EntryAt(const PGresult* r, int i) {
    return EntryRow{Text(r, i, 0),  std::stoll(Text(r, i, 1)),
                    Text(r, i, 2),  Text(r, i, 3),
                    Text(r, i, 4),  Text(r, i, 5),
                    Text(r, i, 6),  Text(r, i, 7),
                    Text(r, i, 8),  Text(r, i, 9),
                    Text(r, i, 10), Text(r, i, 11)};
  }

  Result<Done> MigrateLocked() {
    Result<PgResult> created = Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, "
        "applied_at timestamptz NOT NULL DEFAULT now())",
        {});
    if (!created.ok()) return created.errors();
    return InTransaction("BEGIN", [&](Session&) -> Result<Done> {
      Result<PgResult> have_r = Exec("SELECT coalesce(max(version), 0) FROM schema_migrations", {});
      if (!have_r.ok()) return have_r.errors();
      const int have = std::stoi(Text(have_r.value().get(), 0, 0));
      if (have > kKnownMigrations) {
        return Fail(ErrorCode::kUnavailable,
                    "the database's schema is version " + std::to_string(have) +
                        ", newer than this program knows (" + std::to_string(kKnownMigrations) +
                        "); use a newer Assure");
      }
      for (int v = have + 1; v <= kKnownMigrations; ++v) {
        // A migration is several statements, so it goes without parameters (pq::exec).
        PgResult m(pq::exec(conn_, kPostgresMigrations[v - 1]), &pq::clear);
        if (!m || pq::resultStatus(m.get()) != PGRES_COMMAND_OK) {
          return Fail(ErrorCode::kUnavailable,
                      "migration " + std::to_string(v) + " failed: " + pq::errorMessage(conn_));
        }
        Result<PgResult> recorded =
            Exec("INSERT INTO schema_migrations (version) VALUES ($1)", {std::to_string(v)});
        if (!recorded.ok()) return recorded.errors();
      }
      return Done{};
    });
  }

  Result<std::optional<Head>> LockHead(const std::string& id, bool create) override {
    if (create) {
      // Two first imports of one authority: the second waits here for the first to commit or
      // roll back, then locks the row below.
      Result<PgResult> r = Exec(
          "INSERT INTO authorities (id, name, version, deleted, head_hash, updated_at) "
          "VALUES ($1, '', 0, false, '', '') ON CONFLICT (id) DO NOTHING",
          {id});
      if (!r.ok()) return r.errors();
    }
    Result<PgResult> r = Exec(
        "SELECT id, name, version, deleted, head_hash, updated_at, head_mac FROM authorities "
        "WHERE id = $1 FOR UPDATE",
        {id});
    if (!r.ok()) return r.errors();
    if (pq::ntuples(r.value().get()) == 0) return std::optional<Head>();
    return std::optional<Head>(HeadAt(r.value().get(), 0));
  }

  Result<Done> Append(const EntryRow& row, const std::string& name, bool deleted,
                      const std::string& head_mac) override {
    Result<PgResult> r = Exec(
        "INSERT INTO history (authority, version, at, author, reason, kind, snapshot, "
        "snapshot_sha256, diff, prev_hash, hash, mac) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        {row.authority, std::to_string(row.version), row.at, row.author, row.reason, row.kind,
         row.snapshot, row.snapshot_sha256, row.diff, row.prev_hash, row.hash,
         row.mac.empty() ? Param() : Param(row.mac)});
    if (!r.ok()) return r.errors();
    r = Exec(
        "UPDATE authorities SET name = $2, version = $3, deleted = $4, head_hash = $5, "
        "updated_at = $6, head_mac = $7 WHERE id = $1",
        {row.authority, name, std::to_string(row.version), deleted ? "true" : "false", row.hash,
         row.at, head_mac});
    if (!r.ok()) return r.errors();
    return Done{};
  }

  Result<std::optional<EntryRow>> Entry(const std::string& id, int64_t version) override {
    Result<PgResult> r = Exec(
        "SELECT authority, version, at, author, reason, kind, snapshot, snapshot_sha256, diff, "
        "prev_hash, hash, mac FROM history WHERE authority = $1 AND version = $2",
        {id, std::to_string(version)});
    if (!r.ok()) return r.errors();
    if (pq::ntuples(r.value().get()) == 0) return std::optional<EntryRow>();
    return std::optional<EntryRow>(EntryAt(r.value().get(), 0));
  }

  Result<std::optional<EntryRow>> LatestAt(const std::string& id, const std::string& at) override {
    Result<PgResult> r = Exec(
        "SELECT authority, version, at, author, reason, kind, snapshot, snapshot_sha256, diff, "
        "prev_hash, hash, mac FROM history WHERE authority = $1 AND ($2 = '' OR at <= $2) "
        "ORDER BY version DESC LIMIT 1",
        {id, at});
    if (!r.ok()) return r.errors();
    if (pq::ntuples(r.value().get()) == 0) return std::optional<EntryRow>();
    return std::optional<EntryRow>(EntryAt(r.value().get(), 0));
  }

  Result<std::vector<EntryRow>> Entries(const std::string& id) override {
    Result<PgResult> r = Exec(
        "SELECT authority, version, at, author, reason, kind, snapshot, snapshot_sha256, diff, "
        "prev_hash, hash, mac FROM history WHERE authority = $1 ORDER BY version",
        {id});
    if (!r.ok()) return r.errors();
    std::vector<EntryRow> out;
    for (int i = 0; i < pq::ntuples(r.value().get()); ++i)
      out.push_back(EntryAt(r.value().get(), i));
    return out;
  }

  Result<std::vector<Head>> Heads() override {
    Result<PgResult> r = Exec(
        "SELECT id, name, version, deleted, head_hash, updated_at, head_mac FROM authorities "
        "WHERE version > 0 ORDER BY id",
        {});
    if (!r.ok()) return r.errors();
    std::vector<Head> out;
    for (int i = 0; i < pq::ntuples(r.value().get()); ++i)
      out.push_back(HeadAt(r.value().get(), i));
    return out;
  }

  Result<std::vector<Row>> Query(const std::string& sql,
                                 const std::vector<Param>& params) override {
    Result<PgResult> r = Exec(sql.c_str(), params);
    if (!r.ok()) return r.errors();
    const PGresult* result = r.value().get();
    const int columns = pq::nfields(result);
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(pq::ntuples(result)));
    for (int i = 0; i < pq::ntuples(result); ++i) {
      Row row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (pq::getisnull(result, i, c)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(Text(result, i, c));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // statement text -> its name
};

// Opens one connection to `uri`. The error never holds the URI, which may hold a password.
Result<std::unique_ptr<Connection>> Connect(const std::string& uri) {
  PGconn* conn = pq::connectdb(uri.c_str());
  if (!conn || pq::status(conn) != CONNECTION_OK) {
    std::string why = conn ? pq::errorMessage(conn) : "out of memory";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    pq::finish(conn);
    return Fail(ErrorCode::kUnavailable, "cannot connect to the PostgreSQL database: " + why, "db");
  }
  return std::make_unique<Connection>(conn);
}

class PostgresEngine final : public Engine {
 public:
  explicit PostgresEngine(std::string uri)
      : uri_(std::move(uri)), pool_(kMaxConnections, [this] { return Connect(uri_); }) {}

  // Runs the migrations on `first`, which then joins the pool.
  Result<Done> Open(std::unique_ptr<Connection> first) {
    Result<Done> migrated = first->Migrate();
    pool_.Add(std::move(first));
    return migrated;
  }

  Result<Done> Write(const Body& body) override {
    // READ COMMITTED: after waiting for a row lock, a statement sees the newest committed row,
    // which is what the version check needs.
    return InTransaction("BEGIN ISOLATION LEVEL READ COMMITTED", body);
  }

  Result<Done> Read(const Body& body) override {
    // REPEATABLE READ: every statement of `body` sees one snapshot (Verify reads many).
    return InTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body);
  }

  Result<Done> ReadEach(const Body& body) override { return InTransaction(nullptr, body); }

 private:
  Result<Done> InTransaction(const char* begin, const Body& body) {
    return pool_.With([&](Connection& c) { return c.InTransaction(begin, body); });
  }

  const std::string uri_;
  Pool<Connection> pool_;
};

}  // namespace

Result<std::unique_ptr<Engine>> OpenPostgres(const std::string& uri) {
  if (const std::string why = pq::Load(); !why.empty()) {
    return std::vector<Error>{Error{ErrorCode::kUnavailable, "", 0, 0, "db", why}};
  }
  Result<std::unique_ptr<Connection>> first = Connect(uri);
  if (!first.ok()) return first.errors();
  auto engine = std::make_unique<PostgresEngine>(uri);
  Result<Done> opened = engine->Open(std::move(first).value());
  if (!opened.ok()) return opened.errors();
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace assure::store
