// Private to src/store: the log's rules, shared by both engines, and the small interface each
// engine implements (a transaction and the handful of statements the rules need).
//
// The schema (the same in both engines; see kSqliteMigrations and kPostgresMigrations):
//
//   schema_migrations(version PK, applied_at)        one row per migration applied
//   authorities(id PK, name, version, deleted,       the head of each authority's log: its
//               head_hash, updated_at)               latest version and that entry's hash
//   history(authority FK -> authorities.id,          the log, append-only (triggers refuse
//           version, at, author, reason, kind,       UPDATE and DELETE): one row per change,
//           snapshot, snapshot_sha256, diff,         PK (authority, version)
//           prev_hash, hash)
//
// Migration 2 adds the accounts (accounts.hpp, accounts.cpp):
//
//   users(name PK, password_hash, site_admin,        password_hash: crypto_pwhash_str's Argon2id
//         created_at)                                string, never the password
//   grants(user_name FK -> users.name, authority,    one role per user and authority; authority
//          role, PK (user_name, authority))          is not a foreign key (a grant may come
//                                                    before the authority's first import)
//   sessions(token_hash PK, user_name FK,            token_hash: SHA-256 (lower-case hex) of the
//            created_at, expires_at, ended_at)       token's 32 random bytes; ended_at NULL
//                                                    while the session lasts
//   api_tokens(id PK, user_name FK, label,           secret_hash as token_hash; revoked_at NULL
//              secret_hash UNIQUE, created_at,       while the token may be used
//              revoked_at)
//   auth_events(id PK, at, kind, user_name,          the log of sign-ins and refusals, indexed
//               remote, detail)                      by at, and failed sign-ins by name and by
//                                                    address (partial indexes)
//
// Migration 3 makes auth_events append-only, as history is (triggers refuse UPDATE and DELETE).
//
// Migration 4 adds users.disabled_at (NULL while the user may sign in) and
// auth_events.occurrences (how many events alike the row stands for: a flood of refusals from
// one address is kept as a count, AuthEvent::count).
//
// Migration 5 adds tamper evidence with a key outside the database (audit.hpp): history.mac,
// authorities.head_mac, the append-only audit_log(seq PK, at, kind, subject, digest, prev_hash,
// hash, mac), seals(name PK, length, head, mac), and auth_events_prune(upto): a row there, made
// and removed within the prune's transaction, is the only thing that lets the delete trigger of
// auth_events remove rows (up to that id).
//
// The user columns are `user_name`, not `user`, which PostgreSQL reserves (`SELECT user` there
// is the session's role, silently).
//
// `at` is stored as the text the Clock gave (UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ`): it is hashed, so
// it must read back byte for byte, and its fixed width makes text order time order. Every other
// time (created_at, expires_at, ended_at, revoked_at) is stored in the same form, so that times
// are compared as text, in SQL and in C++.
//
// The hash of an entry: lower-case hex SHA-256 over this byte string, each field written as its
// length in bytes (decimal), a colon, its bytes (UTF-8), and a line feed, in this order:
//
//   "assure-history-v1", prev_hash, authority, version (decimal), at, author, reason, kind,
//   snapshot_sha256
//
// so "7:example\n" is the field `example`. Length prefixes make the encoding unambiguous
// whatever a reason contains. snapshot_sha256 is the lower-case hex SHA-256 of `snapshot`, the
// canonical YAML (load::WriteArrangements) of the state after the change; a deletion's snapshot
// is empty. prev_hash is the previous entry's hash, or 64 zeros for version 1. The chain is per
// authority, so that writes to different authorities do not wait on one chain head.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace assure::store {

// The head of an authority's log (its authorities row).
struct Head {
  std::string id;
  std::string name;
  int64_t version = 0;  // 0: a placeholder row made by LockHead(create) in this transaction
  bool deleted = false;
  std::string hash;
  std::string updated_at;
  std::string mac;  // authorities.head_mac (audit.hpp)
};

// One history row as stored.
struct EntryRow {
  std::string authority;
  int64_t version = 0;
  std::string at;
  std::string author;
  std::string reason;
  std::string kind;
  std::string snapshot;
  std::string snapshot_sha256;
  std::string diff;
  std::string prev_hash;
  std::string hash;
  std::string mac;  // "" for an entry made before the key (audit.hpp)
};

// The statements the log needs, run inside one transaction of an Engine.
class Session {
 public:
  virtual ~Session() = default;

  // Returns the authority's head, or nullopt, and in a write transaction locks it until the
  // transaction ends. When `create`, first makes a placeholder row (version 0) if there is none,
  // so that two first imports of one authority serialise on that row.
  virtual Result<std::optional<Head>> LockHead(const std::string& id, bool create) = 0;

  // Appends `row` to the log and makes it the authority's head (its row must exist: LockHead),
  // the head authenticated by `head_mac`.
  virtual Result<Done> Append(const EntryRow& row, const std::string& name, bool deleted,
                              const std::string& head_mac) = 0;

  // The entry at `version`, or nullopt.
  virtual Result<std::optional<EntryRow>> Entry(const std::string& id, int64_t version) = 0;

  // The latest entry made at or before `at` (same form as EntryRow::at); the latest entry of all
  // when `at` is empty. Nullopt when there is none.
  virtual Result<std::optional<EntryRow>> LatestAt(const std::string& id,
                                                   const std::string& at) = 0;

  // Every entry of the authority, by version.
  virtual Result<std::vector<EntryRow>> Entries(const std::string& id) = 0;

  // Every authority's head (placeholders excluded), by id.
  virtual Result<std::vector<Head>> Heads() = 0;

  // A row of a result: each column as text (an integer in decimal; a boolean as PostgreSQL's
  // "t"/"f" or SQLite's "1"/"0"), nullopt for NULL.
  using Row = std::vector<std::optional<std::string>>;
  using Param = std::optional<std::string>;

  // Runs one statement written in the SQL both engines accept, with text parameters $1, $2...
  // (nullopt is NULL), and returns its rows (use RETURNING to learn what a change touched).
  // The accounts use this rather than a method per statement: their statements are the same
  // text in both engines.
  virtual Result<std::vector<Row>> Query(const std::string& sql,
                                         const std::vector<Param>& params) = 0;
};

// A database: runs a body in a transaction. Safe to call from several threads.
class Engine {
 public:
  using Body = std::function<Result<Done>(Session&)>;
  virtual ~Engine() = default;

  // Runs `body` in a write transaction that no other write to the same authority can interleave
  // with (LockHead). Commits when it returns a value, rolls back when it returns errors.
  virtual Result<Done> Write(const Body& body) = 0;

  // Runs `body` in a read-only transaction that sees one consistent state.
  virtual Result<Done> Read(const Body& body) = 0;

  // Runs `body` as Read does, but outside a transaction: each statement sees the newest
  // committed state on its own. Cheaper (no BEGIN and COMMIT: in PostgreSQL two round trips
  // fewer), for a body of one statement, or of statements each right alone.
  virtual Result<Done> ReadEach(const Body& body) = 0;
};

// Engines (sqlite_store.cpp, postgres_store.cpp). Both apply the migrations before returning.
Result<std::unique_ptr<Engine>> OpenSqlite(const std::string& path);
Result<std::unique_ptr<Engine>> OpenPostgres(const std::string& uri);

// The hash of an entry, as described above.
std::string EntryHash(const EntryRow& row);

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(const std::string& bytes);

// The prev_hash of version 1: 64 zeros.
inline const std::string kGenesisHash(64, '0');

// An error with this code and message.
std::vector<Error> Fail(ErrorCode code, std::string message, std::string field = "");

// True for `YYYY-MM-DDTHH:MM:SS.mmmZ` (the Clock's form) naming a real day and time.
bool IsTimestamp(std::string_view s);

// A date or instant in the Clock's form, or nullopt: a Clock time as it is, a UTC instant
// without milliseconds (`2016-03-15T12:00:00Z`) with `.000`, a date (`2016-03-15`) as the end
// of that day.
std::optional<std::string> NormaliseWhen(const std::string& when);

// Runs `body`, turning any exception (a defect: a library that throws, or memory exhausted) into
// kInternal, so that none crosses the module's public header.
template <typename T, typename Body>
Result<T> Guard(Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, std::string("storage failed: ") + e.what());
  }
}

class Accounts;
class Audit;

// The accounts (accounts.cpp) over `engine`, with `clock` giving the time of every change and
// `audit` recording each change of an account row. All three must outlive the Accounts.
std::unique_ptr<Accounts> MakeAccounts(Engine& engine, const Clock& clock, Audit& audit);

}  // namespace assure::store
