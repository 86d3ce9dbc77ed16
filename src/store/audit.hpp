// Private to src/store: tamper evidence with a key kept outside the database.
//
// The hashes of the history (ledger.hpp) show an entry altered in place, but someone who can
// write to the database can recompute them. So a key that is not in the database (a file of 32
// random bytes, written as 64 hex characters, mode 0600, made at first start) authenticates what
// is written, with libsodium's crypto_auth (HMAC-SHA-512-256), each code written in lower-case
// hex:
//
//   history.mac          of each entry made with the key: Mac("assure-entry-v1", hash)
//   authorities.head_mac of each authority's head: Mac("assure-head-v1", id, version, hash,
//                        deleted "1"/"0")
//   audit_log            one chain for the whole database, append-only (triggers): every change
//                        of an account row (users, grants, api_tokens; sessions as they are
//                        made), each authority's first entry, each prune of the log of sign-ins
//                        and each checkpoint. Each record's hash is SHA-256 over ("assure-audit-
//                        v1", prev_hash, seq, at, kind, subject, digest), its mac
//                        Mac("assure-audit-v1", hash).
//   seals                the head of each chain kept outside the rows: "key" (the key's id,
//                        Mac("assure-key-id-v1")), "audit_log" (records, last hash) and
//                        "auth_events" (events ever appended, the hash of the last), each with
//                        mac Mac("assure-seal-v1", name, length, head).
//
// The events of auth_events form a chain too: h(n) = SHA-256 over ("assure-auth-v1", h(n-1),
// each column of kAuthEventColumns), from 64 zeros, or from the digest of the last prune.
// Fields are written as in ledger.hpp (length, colon, bytes, line feed); a NULL is "-" and a
// value "+" followed by it, where a column may be NULL.
//
// What each detects: an entry rewritten with its hashes recomputed (its mac, and its head's);
// entries removed from the end with the head put back (the head's mac); an authority removed
// outright (its record in audit_log); an account row added, changed or removed outside Assure
// (its last record in audit_log); events removed (the auth_events seal). Removing records from
// the end of audit_log with its seal put back to an older value needs an older value of the
// seal: only a copy of the database made earlier has one, and a checkpoint kept elsewhere
// shows that (Checkpoint).
//
// A database made before the key (schema 1 to 4) is adopted when first opened with a key: its
// entries and rows as they stand are recorded and sealed; entries from then on carry macs.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/ledger.hpp"

namespace assure::store {

// The key: 32 random bytes.
struct Key {
  std::array<unsigned char, crypto_auth_KEYBYTES> bytes{};
};

// Reads the key at `path`. Nullopt when there is no such file.
// Errors: kUnavailable when it cannot be read, is not 64 hex characters, or can be read by
// others than its owner (its mode allows group or others).
Result<std::optional<Key>> ReadKey(const std::string& path);

// Makes a new key at `path` (mode 0600), unless one is there already (made meanwhile by another
// process), which is then read. Errors: kUnavailable.
Result<Key> CreateKey(const std::string& path);

// Where the key of the database `where` is when none is named: the environment variable
// ASSURE_KEY_FILE; else for an SQLite file PATH, PATH.key beside it; for PostgreSQL,
// assure.key in the current directory.
std::string DefaultKeyFile(const std::string& where);

// What the verification of the audit records learned, for the checks of the history.
struct AuthorityRecord {
  std::string base_hash;  // the last entry made before the key (64 zeros: none)
};
struct AuditFindings {
  std::map<std::string, AuthorityRecord> authorities;  // by id
  bool check_macs = false;                             // the key is there and is this database's
};

class Audit {
 public:
  // `key` is nullopt when the key file is missing (reading only: every write is refused);
  // `key_problem` then says why, for Verify.
  Audit(std::optional<Key> key, std::string key_file, std::string key_problem, const Clock& clock);

  bool keyed() const { return key_.has_value(); }
  // Done when there is a key to write with; else why not (kUnavailable).
  Result<Done> CanWrite() const;
  const std::string& key_file() const { return key_file_; }

  // The key's id (kept in the seal "key"); "" without a key.
  std::string KeyId() const;

  // Lower-case hex crypto_auth of the fields (encoded as above); "" without a key.
  std::string Mac(const std::vector<std::string_view>& fields) const;

  std::string EntryMac(const EntryRow& row) const;
  std::string HeadMac(const std::string& id, int64_t version, const std::string& hash,
                      bool deleted) const;

  // In a write transaction: records that `id` was created, its log starting after `base_hash`.
  Result<Done> RecordAuthority(Session& s, const std::string& id, const std::string& base_hash,
                               const std::string& at = "");

  // In a write transaction, after a change of an account row: records the row's state now (or
  // that it is gone). `table` is "users" (key: name), "grants" (user_name, authority),
  // "api_tokens" (id) or "sessions" (token_hash). Every statement that inserts, updates or
  // deletes a row of these tables must be followed by this call for each row it touched
  // (RETURNING gives their keys), or Verify reports the row as changed outside Assure. (Ending
  // or purging sessions need not be recorded: Verify checks only the sessions that remain,
  // against their record, and not their ended_at.)
  // `at` is the change's time (UTC, the Clock's form); empty: read from the clock now.
  Result<Done> RecordRow(Session& s, const std::string& table, const std::vector<std::string>& key,
                         const std::string& at = "");

  // In a write transaction: runs `insert`, which inserts one row into auth_events and returns
  // its id, with the chain's seal locked, and then chains and seals the row. Every insert into
  // auth_events goes through here.
  Result<int64_t> AppendAuthEvent(Session& s,
                                  const std::function<Result<int64_t>(Session&)>& insert);

  // In a write transaction: appends a record to audit_log. Returns its seq.
  Result<int64_t> Record(Session& s, const std::string& kind, const std::string& subject,
                         const std::string& digest, const std::string& at = "");

  // Seals a database not sealed yet (new, or made before the key), in one write transaction;
  // a database sealed already is left as it is. Errors: kUnavailable when it is sealed with
  // another key.
  Result<Done> Adopt(Engine& engine);

  // Checks audit_log, the seals, the account rows and auth_events; appends what it finds to
  // `report`. Returns what the checks of the history need.
  Result<AuditFindings> Verify(Session& s, VerifyReport& report);

  // In a write transaction: the digest of everything so far (see Store::Checkpoint), recorded in
  // audit_log.
  Result<std::string> Checkpoint(Session& s, std::string& at);

  // Checks the checkpoint `digest` against the database (see Store::Verify).
  Result<Done> VerifyCheckpoint(Session& s, const std::string& digest, VerifyReport& report);

  // Removes the events made before `before` (UTC), giving their rows first to `save` (one JSON
  // object a line), and records the prune. Returns how many were removed.
  Result<int64_t> PruneAuthEvents(Session& s, const std::string& before,
                                  const std::function<Result<Done>(const std::string&)>& save);

  // Checks a file written by PruneAuthEvents against the prune records of audit_log.
  Result<Done> VerifyPruned(Session& s, const std::string& text, VerifyReport& report);

 private:
  std::string Now() const;

  std::optional<Key> key_;
  std::string key_file_;
  std::string key_problem_;
  const Clock& clock_;
};

}  // namespace assure::store
