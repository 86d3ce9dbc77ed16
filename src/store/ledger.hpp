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
// `at` is stored as the text the Clock gave (UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ`): it is hashed, so
// it must read back byte for byte, and its fixed width makes text order time order.
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
#include <functional>
#include <memory>
#include <optional>
#include <string>
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
};

// The statements the log needs, run inside one transaction of an Engine.
class Session {
 public:
  virtual ~Session() = default;

  // Returns the authority's head, or nullopt, and in a write transaction locks it until the
  // transaction ends. When `create`, first makes a placeholder row (version 0) if there is none,
  // so that two first imports of one authority serialise on that row.
  virtual Result<std::optional<Head>> LockHead(const std::string& id, bool create) = 0;

  // Appends `row` to the log and makes it the authority's head (its row must exist: LockHead).
  virtual Result<Done> Append(const EntryRow& row, const std::string& name, bool deleted) = 0;

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

}  // namespace assure::store
