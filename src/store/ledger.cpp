// The log's rules, over either engine: validation, versions and conflicts, diffs, hashes,
// reading back past states, and verification.
#include "store/ledger.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/characters.hpp"
#include "core/date.hpp"
#include "load/arrangements_yaml.hpp"
#include "store/accounts.hpp"
#include "store/arrangements_json.hpp"
#include "store/audit.hpp"

namespace assure::store {

namespace {

using nlohmann::json;

constexpr std::string_view kConflictMarker = "it is at version ";

bool Blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

bool Digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::vector<Error> CheckChange(const ChangeInfo& change, std::string_view kind) {
  std::vector<Error> errors = CheckAuthorAndReason(change);
  if (!change.kind.empty() && change.kind != kind) {
    errors.push_back({ErrorCode::kInvalid, "", 0, 0, "kind",
                      "kind: this change is a '" + std::string(kind) + "', not '" + change.kind +
                          "'; leave kind empty or give '" + std::string(kind) + "'"});
  }
  return errors;
}

std::vector<Error> NotFound(const std::string& id) {
  return Fail(ErrorCode::kNotFound, "there is no authority '" + id + "'", "id");
}

std::vector<Error> Conflict(const std::string& id, int64_t current, int64_t expected) {
  return Fail(ErrorCode::kConflict,
              id + " was changed by someone else: " + std::string(kConflictMarker) +
                  std::to_string(current) + ", not " + std::to_string(expected) +
                  ". Reload it and make the change again.",
              "version");
}

// Why a change of `id` made against `expected` cannot be applied to the log whose head is `head`
// (the authority was deleted, or has moved on to another version), or nothing when it can.
std::optional<std::vector<Error>> RefuseChange(const std::string& id, const Head& head,
                                               int64_t expected) {
  if (head.deleted) return NotFound(id);
  if (head.version != expected) return Conflict(id, head.version, expected);
  return std::nullopt;
}

// The JSON document of an entry: null for a deletion.
Result<json> DocumentOf(const EntryRow& row) {
  if (row.kind == "delete") return json(nullptr);
  Result<Arrangements> parsed = load::ParseStoredArrangements(
      row.snapshot, "history of " + row.authority + " version " + std::to_string(row.version));
  if (!parsed.ok()) return parsed.errors();
  return ArrangementsToJson(parsed.value());
}

Result<Snapshot> SnapshotOf(const EntryRow& row) {
  Result<Arrangements> parsed = load::ParseStoredArrangements(
      row.snapshot, "history of " + row.authority + " version " + std::to_string(row.version));
  if (!parsed.ok()) {
    return Fail(ErrorCode::kInternal, "the stored state of " + row.authority + " at version " +
                                          std::to_string(row.version) +
                                          " cannot be read: " + parsed.errors().front().message);
  }
  return Snapshot{std::move(parsed).value(), row.version, row.at, row.hash};
}

class LedgerStore final : public Store {
 public:
  LedgerStore(std::unique_ptr<Engine> engine, Clock clock, std::optional<Key> key,
              std::string key_file, std::string key_problem)
      : engine_(std::move(engine)),
        clock_(std::move(clock)),
        audit_(key, std::move(key_file), std::move(key_problem), clock_),
        accounts_(MakeAccounts(*engine_, clock_, audit_)) {}

  // Seals the database if it is not sealed yet (Audit::Adopt).
  Result<Done> Adopt() { return audit_.Adopt(*engine_); }

  std::string KeyFile() const override { return audit_.key_file(); }

  Accounts& accounts() override { return *accounts_; }

  Result<std::vector<AuthoritySummary>> ListAuthorities() override {
    return Guard<std::vector<AuthoritySummary>>([&]() -> Result<std::vector<AuthoritySummary>> {
      std::vector<AuthoritySummary> out;
      Result<Done> r = engine_->Read([&](Session& s) -> Result<Done> {
        Result<std::vector<Head>> heads = s.Heads();
        if (!heads.ok()) return heads.errors();
        for (const Head& h : heads.value()) {
          if (!h.deleted) out.push_back({h.id, h.name, h.version, h.updated_at});
        }
        return Done{};
      });
      if (!r.ok()) return r.errors();
      return out;
    });
  }

  Result<int64_t> Import(const Arrangements& arrangements, const ChangeInfo& change,
                         bool* unchanged) override {
    return Guard<int64_t>([&]() -> Result<int64_t> {
      std::vector<Error> errors = CheckChange(change, "import");
      if (arrangements.authority.id.empty()) {
        errors.push_back({ErrorCode::kInvalid, "", 0, 0, "authority.id",
                          "authority.id: the arrangements name no authority"});
      }
      if (!errors.empty()) return errors;
      const std::string& id = arrangements.authority.id;
      return Write(
          id, /*create=*/true,
          [&, prepared = Prepare(id, arrangements)](Session&, const Head&) -> Result<Outcome> {
            return Outcome{"import", arrangements.authority.name, &arrangements, prepared};
          },
          change, unchanged);
    });
  }

  Result<Snapshot> Current(const std::string& id) override {
    Result<std::shared_ptr<const Snapshot>> shared = CurrentShared(id);
    if (!shared.ok()) return shared.errors();
    return *shared.value();
  }

  Result<std::shared_ptr<const Snapshot>> CurrentShared(const std::string& id) override {
    using Shared = std::shared_ptr<const Snapshot>;
    return Guard<Shared>([&]() -> Result<Shared> {
      Shared known;
      std::optional<EntryRow> row;
      // Two statements, each right alone: should the authority change between them, the
      // second reads the newer entry, which is then the current state.
      Result<Done> r = engine_->ReadEach([&](Session& s) -> Result<Done> {
        Result<std::vector<Session::Row>> head =
            s.Query("SELECT version, deleted, head_hash FROM authorities WHERE id = $1", {id});
        if (!head.ok()) return head.errors();
        if (head.value().empty()) return NotFound(id);
        const Session::Row& h = head.value().front();
        const int64_t version = std::stoll(h[0].value_or("0"));
        const std::string deleted = h[1].value_or("");
        if (version == 0 || deleted == "1" || deleted == "t") return NotFound(id);
        if (const Decoded d = Known(id); IsAt(d, version, h[2].value_or(""))) known = d.snapshot;
        if (known) return Done{};
        Result<std::optional<EntryRow>> latest = s.LatestAt(id, "");
        if (!latest.ok()) return latest.errors();
        row = latest.value();
        return Done{};
      });
      if (!r.ok()) return r.errors();
      if (known) return known;
      if (!row || row->kind == "delete") return NotFound(id);
      Result<Snapshot> snapshot = SnapshotOf(*row);
      if (!snapshot.ok()) return snapshot.errors();
      auto shared = std::make_shared<const Snapshot>(std::move(snapshot).value());
      Remember(id, shared, nullptr);
      return Shared(shared);
    });
  }

  Result<int64_t> Update(const std::string& id, int64_t expected_version,
                         const Arrangements& arrangements, const ChangeInfo& change) override {
    return Guard<int64_t>([&]() -> Result<int64_t> {
      std::vector<Error> errors = CheckChange(change, "edit");
      if (arrangements.authority.id != id) {
        errors.push_back({ErrorCode::kInvalid, "", 0, 0, "authority.id",
                          "authority.id: these arrangements are for '" + arrangements.authority.id +
                              "', not '" + id + "'"});
      }
      if (!errors.empty()) return errors;
      return Write(
          id, false,
          [&, prepared = Prepare(id, arrangements)](Session&, const Head& head) -> Result<Outcome> {
            if (auto refused = RefuseChange(id, head, expected_version)) return *refused;
            return Outcome{"edit", arrangements.authority.name, &arrangements, prepared};
          },
          change);
    });
  }

  Result<std::vector<HistoryEntry>> History(const std::string& id) override {
    return Guard<std::vector<HistoryEntry>>([&]() -> Result<std::vector<HistoryEntry>> {
      std::vector<HistoryEntry> out;
      // Every column but the snapshots, which a long history would make large to read.
      Result<Done> r = engine_->ReadEach([&](Session& s) -> Result<Done> {
        Result<std::vector<Session::Row>> rows = s.Query(
            "SELECT authority, version, at, author, reason, kind, diff, hash, prev_hash "
            "FROM history WHERE authority = $1 ORDER BY version",
            {id});
        if (!rows.ok()) return rows.errors();
        out.reserve(rows.value().size());
        for (const Session::Row& row : rows.value()) {
          auto text = [&](size_t i) { return row[i].value_or(""); };
          out.push_back(HistoryEntry{text(0), std::stoll(text(1)), text(2), text(3), text(4),
                                     text(5), text(6), text(7), text(8)});
        }
        return Done{};
      });
      if (!r.ok()) return r.errors();
      if (out.empty()) return NotFound(id);
      return out;
    });
  }

  Result<Snapshot> AtVersion(const std::string& id, int64_t version) override {
    return Guard<Snapshot>([&]() -> Result<Snapshot> {
      Result<std::optional<EntryRow>> row = ReadEntry(id, version);
      if (!row.ok()) return row.errors();
      if (!row.value()) return NoVersion(id, version);
      if (row.value()->kind == "delete") {
        return Fail(ErrorCode::kNotFound, id + " was deleted at version " + std::to_string(version),
                    "version");
      }
      return SnapshotOf(*row.value());
    });
  }

  Result<Snapshot> AtTime(const std::string& id, const std::string& when) override {
    return Guard<Snapshot>([&]() -> Result<Snapshot> {
      const std::optional<std::string> at = NormaliseWhen(when);
      if (!at) {
        return Fail(
            ErrorCode::kInvalid,
            "at: '" + when + "' is not a date (2016-03-15) or a UTC time (2016-03-15T12:00:00Z)",
            "at");
      }
      std::optional<EntryRow> row;
      Result<Done> r = engine_->Read([&](Session& s) -> Result<Done> {
        Result<std::optional<EntryRow>> latest = s.LatestAt(id, *at);
        if (!latest.ok()) return latest.errors();
        row = latest.value();
        return Done{};
      });
      if (!r.ok()) return r.errors();
      if (!row) {
        return Fail(ErrorCode::kNotFound, "there was no authority '" + id + "' at " + when, "at");
      }
      if (row->kind == "delete") {
        return Fail(
            ErrorCode::kNotFound,
            id + " had been deleted at " + when + " (version " + std::to_string(row->version) + ")",
            "at");
      }
      return SnapshotOf(*row);
    });
  }

  Result<std::string> Compare(const std::string& id, int64_t v1, int64_t v2) override {
    return Guard<std::string>([&]() -> Result<std::string> {
      std::optional<EntryRow> a, b;
      Result<Done> r = engine_->Read([&](Session& s) -> Result<Done> {
        Result<std::optional<EntryRow>> ra = s.Entry(id, v1);
        if (!ra.ok()) return ra.errors();
        Result<std::optional<EntryRow>> rb = s.Entry(id, v2);
        if (!rb.ok()) return rb.errors();
        a = ra.value();
        b = rb.value();
        return Done{};
      });
      if (!r.ok()) return r.errors();
      if (!a) return NoVersion(id, v1);
      if (!b) return NoVersion(id, v2);
      Result<json> da = DocumentOf(*a), db = DocumentOf(*b);
      if (!da.ok() || !db.ok()) {
        return Fail(ErrorCode::kInternal, "a stored state of " + id + " cannot be read");
      }
      return json::diff(da.value(), db.value()).dump();
    });
  }

  Result<int64_t> Restore(const std::string& id, int64_t version_to_restore,
                          int64_t expected_version, const ChangeInfo& change) override {
    return Guard<int64_t>([&]() -> Result<int64_t> {
      std::vector<Error> errors = CheckChange(change, "restore");
      if (!errors.empty()) return errors;
      Arrangements restored;
      return Write(
          id, false,
          [&](Session& s, const Head& head) -> Result<Outcome> {
            if (head.version != expected_version)
              return Conflict(id, head.version, expected_version);
            Result<std::optional<EntryRow>> old = s.Entry(id, version_to_restore);
            if (!old.ok()) return old.errors();
            if (!old.value()) return NoVersion(id, version_to_restore);
            if (old.value()->kind == "delete") {
              return Fail(ErrorCode::kInvalid,
                          "version: version " + std::to_string(version_to_restore) +
                              " is the deletion of " + id + "; there is nothing to restore",
                          "version");
            }
            Result<Snapshot> snapshot = SnapshotOf(*old.value());
            if (!snapshot.ok()) return snapshot.errors();
            restored = std::move(snapshot.value().arrangements);
            Prepared prepared{old.value()->snapshot,
                              old.value()->snapshot_sha256,
                              std::make_shared<const json>(ArrangementsToJson(restored)),
                              -1,
                              "",
                              ""};
            return Outcome{"restore", restored.authority.name, &restored, std::move(prepared)};
          },
          change);
    });
  }

  Result<int64_t> Delete(const std::string& id, int64_t expected_version,
                         const ChangeInfo& change) override {
    return Guard<int64_t>([&]() -> Result<int64_t> {
      std::vector<Error> errors = CheckChange(change, "delete");
      if (!errors.empty()) return errors;
      return Write(
          id, false,
          [&](Session&, const Head& head) -> Result<Outcome> {
            if (auto refused = RefuseChange(id, head, expected_version)) return *refused;
            return Outcome{
                "delete", head.name, nullptr,
                Prepared{"", Sha256Hex(""), std::make_shared<const json>(nullptr), -1, "", ""}};
          },
          change);
    });
  }

  Result<VerifyReport> Verify(const VerifyOptions& options) override {
    return Guard<VerifyReport>([&]() -> Result<VerifyReport> {
      VerifyReport report;
      Result<Done> r = engine_->Read([&](Session& s) -> Result<Done> {
        Result<AuditFindings> audit = audit_.Verify(s, report);
        if (!audit.ok()) return audit.errors();
        const AuditFindings& found = audit.value();
        Result<std::vector<Head>> heads = s.Heads();
        if (!heads.ok()) return heads.errors();
        std::set<std::string> seen;
        for (const Head& head : heads.value()) {
          seen.insert(head.id);
          Result<std::vector<EntryRow>> rows = s.Entries(head.id);
          if (!rows.ok()) return rows.errors();
          VerifyAuthority(head, rows.value(), report);
          auto record = found.authorities.find(head.id);
          if (record == found.authorities.end()) {
            if (found.check_macs) {
              report.problems.push_back("authority " + head.id +
                                        ": it is not in the audit log (it was added outside "
                                        "Assure)");
            }
            continue;
          }
          if (found.check_macs) VerifyMacs(head, rows.value(), record->second, report);
        }
        for (const auto& [id, record] : found.authorities) {
          if (!seen.count(id)) {
            report.problems.push_back("authority " + id +
                                      ": the audit log records it, but it is not in the database "
                                      "(it was removed outright)");
          }
        }
        if (!options.checkpoint.empty()) {
          Result<Done> c = audit_.VerifyCheckpoint(s, options.checkpoint, report);
          if (!c.ok()) return c;
        }
        for (const std::string& text : options.pruned) {
          Result<Done> p = audit_.VerifyPruned(s, text, report);
          if (!p.ok()) return p;
        }
        return Done{};
      });
      if (!r.ok()) return r.errors();
      report.ok = report.problems.empty();
      return report;
    });
  }

  Result<Checkpoint> MakeCheckpoint() override {
    return Guard<Checkpoint>([&]() -> Result<Checkpoint> {
      Checkpoint made;
      Result<Done> r = engine_->Write([&](Session& s) -> Result<Done> {
        Result<std::string> digest = audit_.Checkpoint(s, made.at);
        if (!digest.ok()) return digest.errors();
        made.digest = digest.value();
        return Done{};
      });
      if (!r.ok()) return r.errors();
      return made;
    });
  }

  Result<int64_t> PruneAuthEvents(
      const std::string& before,
      const std::function<Result<Done>(const std::string&)>& save) override {
    return Guard<int64_t>([&]() -> Result<int64_t> {
      const std::optional<std::string> at = NormaliseWhen(before);
      if (!at) {
        return Fail(ErrorCode::kInvalid,
                    "before: '" + before +
                        "' is not a date (2016-03-15) or a UTC time (2016-03-15T12:00:00Z)",
                    "before");
      }
      int64_t removed = 0;
      Result<Done> r = engine_->Write([&](Session& s) -> Result<Done> {
        Result<int64_t> n = audit_.PruneAuthEvents(s, *at, save);
        if (!n.ok()) return n.errors();
        removed = n.value();
        return Done{};
      });
      if (!r.ok()) return r.errors();
      return removed;
    });
  }

 private:
  // The part of a change that does not depend on the log's head, worked out before the write
  // transaction, so that the transaction (which every other writer waits for) holds only what
  // must be inside it.
  struct Prepared {
    std::string snapshot;  // canonical YAML; empty for a deletion
    std::string snapshot_sha256;
    std::shared_ptr<const json> document;  // ArrangementsToJson of the new state; null JSON
    // The diff from the state this Store last knew of the authority (base_version and
    // base_hash), used when that state is still the head; base_version -1 when none was known.
    int64_t base_version = -1;
    std::string base_hash;
    std::string diff;
  };

  Prepared Prepare(const std::string& id, const Arrangements& arrangements) {
    Prepared p;
    p.snapshot = load::WriteArrangements(arrangements);
    p.snapshot_sha256 = Sha256Hex(p.snapshot);
    p.document = std::make_shared<const json>(ArrangementsToJson(arrangements));
    if (const Decoded known = Known(id); known.snapshot) {
      p.base_version = known.snapshot->version;
      p.base_hash = known.snapshot->hash;
      p.diff = json::diff(*DocumentFor(id, known), *p.document).dump();
    }
    return p;
  }

  // What a change makes of the authority.
  struct Outcome {
    std::string kind;
    std::string name;
    const Arrangements* arrangements = nullptr;  // the new state; null for a deletion
    Prepared prepared;
  };
  using Decide = std::function<Result<Outcome>(Session&, const Head&)>;

  // In one write transaction: locks the authority's head, asks `decide` for the change (which
  // may refuse it), and appends the entry. Returns the new version. Once committed, the new
  // state is remembered decoded (CurrentShared), with its JSON for the next change's diff.
  // An import of the current state exactly records nothing: it returns the current version and
  // sets `*unchanged` (when given).
  Result<int64_t> Write(const std::string& id, bool create, const Decide& decide,
                        const ChangeInfo& info, bool* unchanged = nullptr) {
    if (unchanged) *unchanged = false;
    bool same = false;
    EntryRow row;
    std::shared_ptr<const json> after_doc;
    const Arrangements* after_state = nullptr;
    if (Result<Done> can = audit_.CanWrite(); !can.ok()) return can.errors();
    Result<Done> r = engine_->Write([&](Session& s) -> Result<Done> {
      Result<std::optional<Head>> locked = s.LockHead(id, create);
      if (!locked.ok()) return locked.errors();
      if (!locked.value()) return NotFound(id);
      const Head& head = *locked.value();
      if (head.version == 0 && !create) return NotFound(id);
      Result<Outcome> change = decide(s, head);
      if (!change.ok()) return change.errors();
      const Prepared& prepared = change.value().prepared;

      if (head.version > 0 && prepared.base_version == head.version &&
          prepared.base_hash == head.hash) {
        row.diff = prepared.diff;
      } else {
        std::shared_ptr<const json> before;
        if (const Decoded d = Known(id); IsAt(d, head.version, head.hash)) {
          before = DocumentFor(id, d);
        }
        if (head.version > 0 && !before) {
          Result<std::optional<EntryRow>> prev = s.Entry(id, head.version);
          if (!prev.ok()) return prev.errors();
          if (!prev.value()) {
            return Fail(ErrorCode::kInternal, "the log of " + id +
                                                  " has no entry for its current version " +
                                                  std::to_string(head.version) + "; run verify");
          }
          Result<json> doc = DocumentOf(*prev.value());
          if (!doc.ok()) {
            return Fail(ErrorCode::kInternal, "the current state of " + id + " cannot be read");
          }
          before = std::make_shared<const json>(std::move(doc).value());
        }
        row.diff = json::diff(before ? *before : json(nullptr), *prepared.document).dump();
      }
      if (change.value().kind == "import" && head.version > 0 && !head.deleted &&
          row.diff == "[]") {
        same = true;
        row.version = head.version;
        return Done{};
      }
      after_state = change.value().arrangements;
      after_doc = prepared.document;

      std::string at = clock_();
      if (!IsTimestamp(at)) {
        return Fail(ErrorCode::kInternal,
                    "the clock gave '" + at + "', not a UTC time like 2026-11-24T09:40:00.123Z");
      }
      // Times never run backwards within an authority's log (the clocks of several servers may
      // disagree a little), so that "the state at time T" is always well defined.
      if (head.version > 0 && at < head.updated_at) at = head.updated_at;

      row.authority = id;
      row.version = head.version + 1;
      row.at = at;
      row.author = info.author;
      row.reason = info.reason;
      row.kind = change.value().kind;
      row.snapshot = prepared.snapshot;
      row.snapshot_sha256 = prepared.snapshot_sha256;
      row.prev_hash = head.version > 0 ? head.hash : kGenesisHash;
      row.hash = EntryHash(row);
      row.mac = audit_.EntryMac(row);
      if (head.version == 0) {
        Result<Done> recorded = audit_.RecordAuthority(s, id, kGenesisHash, row.at);
        if (!recorded.ok()) return recorded;
      }
      const bool deleted = after_state == nullptr;
      return s.Append(row, change.value().name, deleted,
                      audit_.HeadMac(id, row.version, row.hash, deleted));
    });
    if (!r.ok()) return r.errors();
    if (same) {
      if (unchanged) *unchanged = true;
      return row.version;
    }
    if (after_state) {
      Remember(
          id,
          std::make_shared<const Snapshot>(Snapshot{*after_state, row.version, row.at, row.hash}),
          std::move(after_doc));
    } else {
      Forget(id);
    }
    return row.version;
  }

  // The decoded state of an authority at its latest version as this Store last saw it. A
  // version's state never changes (the log is append-only) and the hash names it exactly, so
  // an entry is never wrong, only superseded; a caller first learns the current version and
  // hash from the database, so changes made by other processes are seen.
  struct Decoded {
    std::shared_ptr<const Snapshot> snapshot;
    std::shared_ptr<const json> document;  // ArrangementsToJson (keyed), made when first needed
  };

  // What this Store knows of the authority (empty when nothing).
  Decoded Known(const std::string& id) {
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(id);
    return it == cache_.end() ? Decoded{} : it->second;
  }

  // Whether `known` is the state at `version`, whose entry's hash is `hash`.
  static bool IsAt(const Decoded& known, int64_t version, const std::string& hash) {
    return known.snapshot && known.snapshot->version == version && known.snapshot->hash == hash;
  }

  // The JSON document of `known` (a state of `id`), made now, and kept, when it is not yet.
  std::shared_ptr<const json> DocumentFor(const std::string& id, const Decoded& known) {
    if (known.document) return known.document;
    auto document = std::make_shared<const json>(ArrangementsToJson(known.snapshot->arrangements));
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(id);
    if (it != cache_.end() && it->second.snapshot == known.snapshot) {
      it->second.document = document;
    }
    return document;
  }

  // Keeps `snapshot` as the authority's latest decoded state, unless a later one is kept.
  void Remember(const std::string& id, std::shared_ptr<const Snapshot> snapshot,
                std::shared_ptr<const json> document) {
    std::lock_guard lock(cache_mutex_);
    Decoded& d = cache_[id];
    if (d.snapshot && d.snapshot->version > snapshot->version) return;
    d = Decoded{std::move(snapshot), std::move(document)};
  }

  void Forget(const std::string& id) {
    std::lock_guard lock(cache_mutex_);
    cache_.erase(id);
  }

  Result<std::optional<EntryRow>> ReadEntry(const std::string& id, int64_t version) {
    std::optional<EntryRow> row;
    Result<Done> r = engine_->Read([&](Session& s) -> Result<Done> {
      Result<std::optional<EntryRow>> e = s.Entry(id, version);
      if (!e.ok()) return e.errors();
      row = e.value();
      return Done{};
    });
    if (!r.ok()) return r.errors();
    return row;
  }

  std::vector<Error> NoVersion(const std::string& id, int64_t version) {
    return Fail(ErrorCode::kNotFound,
                "there is no version " + std::to_string(version) + " of '" + id + "'", "version");
  }

  static void VerifyAuthority(const Head& head, const std::vector<EntryRow>& rows,
                              VerifyReport& report) {
    const std::string authority = "authority " + head.id + ": ";
    auto problem = [&](const std::string& text) { report.problems.push_back(authority + text); };
    std::string prev_hash = kGenesisHash;
    int64_t prev_version = 0;
    json prev_doc = nullptr;
    for (const EntryRow& row : rows) {
      ++report.entries_checked;
      const std::string entry = "entry " + std::to_string(row.version) + ": ";
      if (row.version != prev_version + 1) {
        problem(prev_version + 1 == row.version - 1
                    ? "entry " + std::to_string(prev_version + 1) + " is missing"
                    : "entries " + std::to_string(prev_version + 1) + " to " +
                          std::to_string(row.version - 1) + " are missing");
      }
      if (Sha256Hex(row.snapshot) != row.snapshot_sha256) {
        problem(entry + "snapshot does not match its snapshot_sha256 (the snapshot was altered)");
      }
      if (EntryHash(row) != row.hash) {
        problem(entry + "hash does not match its content (the entry was altered)");
      }
      if (row.prev_hash != prev_hash) {
        problem(entry + (prev_version == 0
                             ? std::string("prev_hash is not the start of a chain")
                             : "prev_hash does not match entry " + std::to_string(prev_version)));
      }
      json doc = nullptr;
      if (row.kind != "import" && row.kind != "edit" && row.kind != "restore" &&
          row.kind != "delete") {
        problem(entry + "kind '" + row.kind + "' is not one of import, edit, restore, delete");
      } else if (row.kind == "delete" && !row.snapshot.empty()) {
        problem(entry + "a deletion has a snapshot");
      } else {
        Result<json> parsed = DocumentOf(row);
        if (parsed.ok()) {
          doc = std::move(parsed).value();
        } else {
          problem(entry + "snapshot cannot be read: " + parsed.errors().front().ToString());
        }
      }
      json diff = json::parse(row.diff, nullptr, /*allow_exceptions=*/false);
      if (diff.is_discarded() || diff != json::diff(prev_doc, doc)) {
        problem(entry + "diff does not match the change between the snapshots");
      }
      prev_hash = row.hash;
      prev_version = row.version;
      prev_doc = std::move(doc);
    }
    if (rows.empty()) {
      problem("has no history");
      return;
    }
    const EntryRow& last = rows.back();
    if (head.version != last.version) {
      problem("its current version is " + std::to_string(head.version) + " but its last entry is " +
              std::to_string(last.version) + " (entries were removed)");
    } else if (head.hash != last.hash) {
      problem("its current hash does not match entry " + std::to_string(last.version) +
              " (the entry or the authority was altered)");
    }
    if (head.deleted != (last.kind == "delete")) {
      problem("it is marked " + std::string(head.deleted ? "deleted" : "not deleted") +
              " but its last entry is " +
              (last.kind == "delete" ? "a deletion" : "not a deletion"));
    }
  }

  // The checks that need the key: each entry's code (an entry without one must be before the
  // key: within the run the audit log recorded when the authority was sealed), and the head's.
  void VerifyMacs(const Head& head, const std::vector<EntryRow>& rows,
                  const AuthorityRecord& record, VerifyReport& report) const {
    const std::string authority = "authority " + head.id + ": ";
    // Entries without a code: those before the key, ending at the entry the audit log names.
    std::size_t keyed_from = 0;
    while (keyed_from < rows.size() && rows[keyed_from].mac.empty()) ++keyed_from;
    const std::string base = keyed_from == 0 ? kGenesisHash : rows[keyed_from - 1].hash;
    if (base != record.base_hash) {
      report.problems.push_back(
          authority + (keyed_from == 0 ? std::string("its entries before the key were removed")
                                       : "entry " + std::to_string(rows[keyed_from - 1].version) +
                                             " has no authentication code but was made after "
                                             "the key (it was written without the key)"));
    }
    for (std::size_t i = keyed_from; i < rows.size(); ++i) {
      if (rows[i].mac != audit_.EntryMac(rows[i])) {
        report.problems.push_back(authority + "entry " + std::to_string(rows[i].version) +
                                  ": its authentication code does not match (the entry was "
                                  "written or rewritten without the key)");
      }
    }
    if (head.mac != audit_.HeadMac(head.id, head.version, head.hash, head.deleted)) {
      report.problems.push_back(
          authority + "its head (version " + std::to_string(head.version) +
          ") does not match its authentication code: entries were removed from its end, or its "
          "history was rewritten, without the key");
    }
  }

  std::unique_ptr<Engine> engine_;
  Clock clock_;
  Audit audit_;
  std::mutex cache_mutex_;
  std::unordered_map<std::string, Decoded> cache_;  // by authority id
  // Shares the engine (its connection and lock) and the clock, so declared after them.
  std::unique_ptr<Accounts> accounts_;
};

// Writes one field of the hashed serialisation: length, colon, bytes, line feed.
void Field(std::string& out, std::string_view value) {
  out.append(std::to_string(value.size())).append(":").append(value).append("\n");
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::vector<Error> CheckAuthorAndReason(const ChangeInfo& change) {
  std::vector<Error> errors;
  if (Blank(change.author)) {
    errors.push_back(
        {ErrorCode::kInvalid, "", 0, 0, "author", "author: say who is making this change"});
  }
  if (Blank(change.reason)) {
    errors.push_back({ErrorCode::kInvalid, "", 0, 0, "reason",
                      "reason: say why this change is made; every change needs a reason"});
  }
  // What the history keeps is refused here, for every way in (the command line and the API).
  if (const auto refused = RefusedCharacter(change.author, /*free_text=*/false)) {
    errors.push_back({ErrorCode::kInvalid, "", 0, 0, "author",
                      "author: holds " + *refused + ", which a name may not hold"});
  }
  if (const auto refused = RefusedCharacter(change.reason, /*free_text=*/true)) {
    errors.push_back({ErrorCode::kInvalid, "", 0, 0, "reason",
                      "reason: holds " + *refused + ", which a reason may not hold"});
  }
  return errors;
}

std::vector<Error> Fail(ErrorCode code, std::string message, std::string field) {
  return {Error{code, "", 0, 0, std::move(field), std::move(message)}};
}

bool IsTimestamp(std::string_view s) {
  if (s.size() != 24 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
      s[23] != 'Z') {
    return false;
  }
  if (!Date::Parse(s.substr(0, 10))) return false;
  const std::string_view hh = s.substr(11, 2), mm = s.substr(14, 2), ss = s.substr(17, 2),
                         ms = s.substr(20, 3);
  if (!Digits(hh) || !Digits(mm) || !Digits(ss) || !Digits(ms)) return false;
  return std::stoi(std::string(hh)) < 24 && std::stoi(std::string(mm)) < 60 &&
         std::stoi(std::string(ss)) < 60;
}

std::optional<std::string> NormaliseWhen(const std::string& when) {
  if (when.size() == 10 && Date::Parse(when)) return when + "T23:59:59.999Z";
  if (when.size() == 20 && when[19] == 'Z') {
    std::string t = when.substr(0, 19) + ".000Z";
    if (IsTimestamp(t)) return t;
  }
  if (IsTimestamp(when)) return when;
  return std::nullopt;
}

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * sizeof digest);
  for (unsigned char b : digest) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0xf]);
  }
  return hex;
}

std::string EntryHash(const EntryRow& row) {
  std::string text;
  Field(text, "assure-history-v1");
  Field(text, row.prev_hash);
  Field(text, row.authority);
  Field(text, std::to_string(row.version));
  Field(text, row.at);
  Field(text, row.author);
  Field(text, row.reason);
  Field(text, row.kind);
  Field(text, row.snapshot_sha256);
  return Sha256Hex(text);
}

Clock SystemClock() {
  return [] {
    const auto now = std::chrono::system_clock::now();
    const int64_t ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&secs, &utc);
    char text[96];  // room for any int the compiler can imagine, not just real dates
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(ms % 1000));
    return std::string(text);
  };
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& where, Clock clock,
                                         const OpenOptions& options) {
  if (sodium_init() < 0) return Fail(ErrorCode::kInternal, "libsodium cannot start");
  const std::string key_file = options.key_file.empty() ? DefaultKeyFile(where) : options.key_file;
  Result<std::optional<Key>> key = ReadKey(key_file);
  if (!key.ok() && options.create_key) return key.errors();
  Result<std::unique_ptr<Engine>> engine = [&]() -> Result<std::unique_ptr<Engine>> {
    if (StartsWith(where, "postgresql://") || StartsWith(where, "postgres://")) {
      return OpenPostgres(where);
    }
    std::string path = StartsWith(where, "sqlite:") ? where.substr(7) : where;
    if (path.empty()) return Fail(ErrorCode::kUnavailable, "no database file given", "db");
    return OpenSqlite(path);
  }();
  if (!engine.ok()) return engine.errors();
  std::optional<Key> the_key = key.ok() ? key.value() : std::nullopt;
  std::string key_problem = key.ok() ? "" : key.errors().front().message;
  if (!the_key && options.create_key) {
    // A new key only for a database never sealed: a sealed one needs the key it was sealed with.
    bool sealed = false;
    Result<Done> looked = engine.value()->ReadEach([&](Session& s) -> Result<Done> {
      Result<std::vector<Session::Row>> rows =
          s.Query("SELECT 1 FROM seals WHERE name = 'key'", {});
      if (!rows.ok()) return rows.errors();
      sealed = !rows.value().empty();
      return Done{};
    });
    if (!looked.ok()) return looked.errors();
    if (sealed) {
      return Fail(ErrorCode::kUnavailable,
                  "there is no key at '" + key_file +
                      "', but this database was sealed with one: restore the key file from its "
                      "backup, or name it with --key or ASSURE_KEY_FILE",
                  "key");
    }
    Result<Key> made = CreateKey(key_file);
    if (!made.ok()) return made.errors();
    the_key = made.value();
  }
  auto store = std::make_unique<LedgerStore>(std::move(engine).value(), std::move(clock), the_key,
                                             key_file, key_problem);
  if (options.create_key) {
    Result<Done> adopted = store->Adopt();
    if (!adopted.ok()) return adopted.errors();
  }
  return std::unique_ptr<Store>(std::move(store));
}

std::optional<int64_t> CurrentVersionOf(const Error& error) {
  if (error.code != ErrorCode::kConflict) return std::nullopt;
  const std::size_t at = error.message.find(kConflictMarker);
  if (at == std::string::npos) return std::nullopt;
  std::size_t end = at + kConflictMarker.size();
  int64_t version = 0;
  bool any = false;
  while (end < error.message.size() &&
         std::isdigit(static_cast<unsigned char>(error.message[end]))) {
    version = version * 10 + (error.message[end] - '0');
    ++end;
    any = true;
  }
  if (!any) return std::nullopt;
  return version;
}

}  // namespace assure::store
