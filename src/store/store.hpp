// Storage of many authorities' arrangements, with a history that is never lost.
//
// One installation holds any number of authorities. Each has its current arrangements and an
// append-only log of every change made to it: an import, an edit, a restore of a past state, a
// deletion. Each entry of the log records who made the change, when, why (a required reason),
// what changed (a structured diff) and the full state after the change, and carries the hash of
// the entry before it, so that `Verify` can tell whether the log was altered and where.
//
// Edits never collide silently: every authority has a version (the number of its latest log
// entry, from 1), every change names the version it was made against, and a stale version is
// refused with ErrorCode::kConflict.
//
// Two engines behind this one interface: SQLite (one file, the embedded default) and PostgreSQL
// (a shared installation, several processes on one database). Both give the same results.
//
// A Store is safe to use from several threads at once. Several Stores (in one process or in
// several) may open the same database at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/arrangements.hpp"
#include "core/error.hpp"

namespace assure::store {

// The value of a Result that has nothing to return.
struct Done {};

// Why a change is made, and by whom. Recorded in the change's log entry.
struct ChangeInfo {
  std::string author;  // who: a user name. Required (not blank)
  std::string reason;  // why, in the author's words. Required (not blank)
  // What kind of change: "import", "edit", "restore" or "delete". Each operation records its
  // own kind (Import "import", Update "edit", Restore "restore", Delete "delete"); leave this
  // empty, or give the operation's own kind. Any other value is refused.
  std::string kind;
};

// The errors of a change's author and reason (blank, or holding a character text may not hold:
// core/characters.hpp), each naming its field; empty when they may be kept. Every change the
// store records is checked so; a caller may ask first, before it does any other work.
std::vector<Error> CheckAuthorAndReason(const ChangeInfo& change);

// An authority in the store, as listed.
struct AuthoritySummary {
  std::string id;
  std::string name;
  int64_t version = 0;     // its latest version
  std::string updated_at;  // when that version was made (UTC, as HistoryEntry::at)
};

// An authority's arrangements as they stood at one version.
struct Snapshot {
  Arrangements arrangements;
  int64_t version = 0;
  std::string at;    // when that version was made (UTC, as HistoryEntry::at)
  std::string hash;  // that version's log entry's hash (HistoryEntry::hash)
};

// One entry of an authority's log.
struct HistoryEntry {
  std::string authority;  // the authority's id
  int64_t version = 0;    // 1, 2, 3... with no gaps
  std::string at;         // UTC, ISO-8601 with milliseconds: 2026-11-24T09:40:00.123Z
  std::string author;
  std::string reason;
  std::string kind;  // "import", "edit", "restore" or "delete"
  // What changed since the previous version: an RFC 6902 JSON Patch over the JSON form of the
  // arrangements, in which posts, people, bodies, reviews... are objects keyed by their ids, so
  // that a path names what changed: [{"op":"replace","path":"/posts/dcs/holder","value":"x"}].
  // The first version (and a re-import after a deletion) replaces the whole document (path "");
  // a deletion replaces it with null.
  std::string diff_json;
  std::string hash;       // SHA-256 (lower-case hex) of this entry: see src/store/ledger.hpp
  std::string prev_hash;  // the previous entry's hash; 64 zeros for version 1
};

// What Verify found.
struct VerifyReport {
  bool ok = true;               // no problem found
  int64_t entries_checked = 0;  // log entries read, across all authorities
  // One sentence per problem, naming the authority and the entry:
  //   "authority wexbridge: entry 7: hash does not match its content (the entry was altered)"
  //   "authority wexbridge: entry 8: prev_hash does not match entry 7"
  std::vector<std::string> problems;
  int64_t audit_records_checked = 0;  // records of the audit log (account changes...) read
  int64_t auth_events_checked = 0;    // events of the log of sign-ins read
  bool keyed = false;  // the key was there and is this database's: its codes were checked
  // Facts worth knowing that are not problems ("its auth events were pruned since").
  std::vector<std::string> notes;
};

// What Verify checks besides the database itself.
struct VerifyOptions {
  // A digest printed by Checkpoint: proves that nothing recorded before it was removed or
  // rewritten since.
  std::string checkpoint;
  // The contents of files written by PruneAuthEvents: each is checked against its prune.
  std::vector<std::string> pruned;
};

// A checkpoint (Store::Checkpoint).
struct Checkpoint {
  std::string digest;  // 64 hex characters, to be kept outside the database
  std::string at;      // when it was made (UTC)
};

// How OpenStore finds the key that authenticates what is written (src/store/audit.hpp).
struct OpenOptions {
  // The key file; empty: the environment variable ASSURE_KEY_FILE, else for an SQLite database
  // PATH the file PATH.key beside it, for PostgreSQL assure.key in the current directory.
  std::string key_file;
  // Make the key when there is none and the database has not been sealed with one (a new
  // database, or one made before keys). When false, a missing key leaves the store able to read
  // and verify (Verify says the codes could not be checked), and every change is refused.
  bool create_key = true;
};

// Returns the current time in UTC as `YYYY-MM-DDTHH:MM:SS.mmmZ`. Injected so that tests can fix
// time; the store never reads the clock any other way.
using Clock = std::function<std::string()>;

// The system clock, in the form Clock describes.
Clock SystemClock();

class Accounts;  // accounts.hpp

class Store {
 public:
  virtual ~Store() = default;

  // The users, roles, sessions and tokens kept in the same database (accounts.hpp).
  virtual Accounts& accounts() = 0;

  // Returns every authority that exists now (not deleted), ordered by id.
  // Errors: kUnavailable when the database cannot be read.
  virtual Result<std::vector<AuthoritySummary>> ListAuthorities() = 0;

  // Records `arrangements` as the authority `arrangements.authority.id`'s new state. Creates
  // the authority at version 1 when it does not exist; otherwise (also after a deletion, whose
  // history it continues) appends a new version. Returns the new version. When the
  // arrangements are the current state exactly, records nothing and returns the current
  // version, setting `*unchanged` (when given) to true; otherwise sets it to false.
  // Errors: kInvalid naming "author", "reason" or "kind" (see ChangeInfo) or "authority.id"
  // (empty); kUnavailable.
  virtual Result<int64_t> Import(const Arrangements& arrangements, const ChangeInfo& change,
                                 bool* unchanged = nullptr) = 0;

  // Returns the authority's current arrangements and version.
  // Errors: kNotFound when there is no such authority or it was deleted; kUnavailable.
  virtual Result<Snapshot> Current(const std::string& id) = 0;

  // The same, shared rather than copied: a Store keeps each authority's latest state decoded in
  // memory, so that when the state is known this costs one small read of the database (the
  // authority's current version and hash, so that a change made by another process is seen).
  // The same state gives the same pointer for as long as it stays current, which lets callers
  // keep what they derive from it (findings, JSON) beside the pointer.
  // Errors: as Current.
  virtual Result<std::shared_ptr<const Snapshot>> CurrentShared(const std::string& id) = 0;

  // Replaces the authority's arrangements, as an edit made against `expected_version`. Returns
  // the new version (expected_version + 1). Requires arrangements.authority.id == id.
  // Errors: kConflict when expected_version is not the current version (CurrentVersionOf gives
  // the current one); kNotFound; kInvalid as Import, or naming "authority.id" when it differs
  // from `id`; kUnavailable.
  virtual Result<int64_t> Update(const std::string& id, int64_t expected_version,
                                 const Arrangements& arrangements, const ChangeInfo& change) = 0;

  // Returns every entry of the authority's log, oldest first, deleted authorities included.
  // Errors: kNotFound when the authority never existed; kUnavailable.
  virtual Result<std::vector<HistoryEntry>> History(const std::string& id) = 0;

  // Returns the arrangements as they were at `version`.
  // Errors: kNotFound when there is no such version, or it is a deletion; kUnavailable.
  virtual Result<Snapshot> AtVersion(const std::string& id, int64_t version) = 0;

  // Returns the arrangements as they stood at `when`: a UTC instant
  // (`2016-03-15T12:00:00Z`, `2016-03-15T12:00:00.250Z`), or a date (`2016-03-15`), meaning the
  // end of that day, UTC. That is the latest version made at or before then.
  // Errors: kInvalid naming "at" for any other form; kNotFound when the authority did not exist
  // yet or was deleted at that time; kUnavailable.
  virtual Result<Snapshot> AtTime(const std::string& id, const std::string& when) = 0;

  // Returns the difference from version v1 to version v2, as HistoryEntry::diff_json ("[]"
  // when they are equal). A deletion counts as null.
  // Errors: kNotFound when either version does not exist; kUnavailable.
  virtual Result<std::string> Compare(const std::string& id, int64_t v1, int64_t v2) = 0;

  // Makes the arrangements of `version_to_restore` current again, as a new change ("restore")
  // made against `expected_version`; the log is never rewritten. Restoring a deleted authority
  // brings it back. Returns the new version.
  // Errors: kConflict as Update; kNotFound when the authority or version does not exist;
  // kInvalid naming "version" when that version is a deletion, or as Import; kUnavailable.
  virtual Result<int64_t> Restore(const std::string& id, int64_t version_to_restore,
                                  int64_t expected_version, const ChangeInfo& change) = 0;

  // Deletes the authority, as a change ("delete") made against `expected_version`: it is no
  // longer listed and Current gives kNotFound, but its history stays, and importing it again
  // continues that history. Returns the version of the deletion.
  // Errors: kConflict as Update; kNotFound when it does not exist (or is already deleted);
  // kInvalid as Import; kUnavailable.
  virtual Result<int64_t> Delete(const std::string& id, int64_t expected_version,
                                 const ChangeInfo& change) = 0;

  // Checks every authority's log: each entry's hash against its content, each prev_hash against
  // the entry before, each snapshot against its SHA-256, each diff against the snapshots, that
  // versions run 1, 2, 3... without gaps, and that the authority's current version and hash are
  // its last entry's. Reports every problem found, not just the first.
  // With the key (OpenOptions), also checks what a writer of the database without the key
  // cannot forge: each entry's and each head's authentication code; the audit log of account
  // changes and first imports (its chain and seal), every row of users, grants and api_tokens
  // and every remaining session against its last record; the chain of the log of sign-ins
  // against its seal, from its last prune. Then `options` (VerifyOptions).
  // Errors: kUnavailable (a broken log is a report, not an error).
  virtual Result<VerifyReport> Verify(const VerifyOptions& options = {}) = 0;

  // Records a checkpoint in the audit log and returns its digest: SHA-256 over every
  // authority's latest version and hash, the audit log's and the log of sign-ins' lengths and
  // last hashes. Kept outside the database and given back to Verify, it shows whether anything
  // recorded before it was removed or rewritten since (as putting back an older copy of the
  // database would). Errors: kUnavailable (also without the key).
  virtual Result<Checkpoint> MakeCheckpoint() = 0;

  // Removes the events of the log of sign-ins made before `before` (a date, the end of that day,
  // or a UTC instant, as AtTime), after first giving them to `save` as text (a header line, then
  // one JSON object a line); nothing is removed unless `save` succeeds. The prune is recorded in
  // the audit log with the digest of the chain up to the last event removed, where the chain
  // of what remains starts, so that Verify still checks the whole log, and, given the file,
  // the events removed. Returns how many were removed.
  // Errors: kInvalid naming "before"; kConflict when the log does not match its seal (nothing
  // is removed); what `save` returns; kUnavailable (also without the key).
  virtual Result<int64_t> PruneAuthEvents(
      const std::string& before, const std::function<Result<Done>(const std::string&)>& save) = 0;

  // The path of the key file this store uses.
  virtual std::string KeyFile() const = 0;
};

// Opens the store at `where`, creating it if needed, and brings its schema up to date (the
// migrations are applied in one transaction; several processes may open one database at once).
//   - `postgresql://...` or `postgres://...`: a PostgreSQL database (a libpq connection URI);
//   - `sqlite:PATH` or any other PATH: an SQLite database file.
// `clock` gives the time of every change.
// Errors: kUnavailable when the database cannot be opened or reached, or its schema is newer
// than this program knows.
// With a key (OpenOptions), a database not sealed yet is sealed: a new one, or one made before
// keys, whose history and accounts as they stand are recorded then (src/store/audit.hpp).
// Errors: also kUnavailable naming "key" when the key file cannot be read or made, or is not
// the key the database was sealed with, or is missing (create_key) though the database was
// sealed with one.
Result<std::unique_ptr<Store>> OpenStore(const std::string& where, Clock clock = SystemClock(),
                                         const OpenOptions& options = {});

// Copies the SQLite database `from` to the new file `to` with SQLite's online backup API, while
// other connections and processes go on using it: the copy is one consistent state (a write
// that lands during the copy makes it start again). Errors: kUnavailable; kInvalid naming "to"
// when `to` exists.
Result<Done> BackupSqlite(const std::string& from, const std::string& to);

// The current version named by a kConflict error from a Store, or nullopt for any other error.
std::optional<int64_t> CurrentVersionOf(const Error& error);

}  // namespace assure::store
