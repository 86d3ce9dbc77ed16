// Tamper evidence: the key, the audit log, the seals, the chain of auth_events, checkpoints and
// prunes (audit.hpp). The SQL is the same text in both engines (Session::Query).
#include "store/audit.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

namespace assure::store {
namespace {

using nlohmann::json;
using Row = Session::Row;

// The columns of auth_events that its chain covers, in order; a new column of the table is
// added here too (and `id` stays first: it orders the chain).
constexpr const char* kAuthEventColumns = "id, at, kind, user_name, remote, detail, occurrences";

// The account tables whose every row is recorded in audit_log: the columns recorded, the first
// `keys` of them naming the row. A boolean is read as 1 or 0, as both engines give that alike.
struct AuditedTable {
  const char* name;
  const char* columns;
  std::size_t keys;
  bool only_present;  // sessions: only the rows that remain are checked (see RecordRow)
};

constexpr AuditedTable kAuditedTables[] = {
    {"users",
     "name, password_hash, CASE WHEN site_admin THEN 1 ELSE 0 END, created_at, disabled_at", 1,
     false},
    {"grants", "user_name, authority, role", 2, false},
    {"api_tokens", "id, user_name, label, secret_hash, created_at, revoked_at", 1, false},
    {"sessions", "token_hash, user_name, created_at, expires_at", 1, true},
};

const AuditedTable* TableNamed(const std::string& name) {
  for (const AuditedTable& t : kAuditedTables) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

std::vector<std::string> Split(const std::string& columns) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (char c : columns) {
    if (c == ',' && depth == 0) {
      out.push_back(current);
      current.clear();
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c != ' ' || !current.empty()) current.push_back(c);
  }
  out.push_back(current);
  return out;
}

void Field(std::string& out, std::string_view value) {
  out.append(std::to_string(value.size())).append(":").append(value).append("\n");
}

std::string Encode(const std::vector<std::string_view>& fields) {
  std::string text;
  for (std::string_view f : fields) Field(text, f);
  return text;
}

// A column's value as a field: "-" for NULL, "+" and the value otherwise.
std::string Nullable(const Session::Param& value) { return value ? "+" + *value : "-"; }

std::string Hex(const unsigned char* bytes, std::size_t size) {
  std::string hex(2 * size + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

// The subject of an account row's records: its table and key, `users ["alice"]`.
std::string Subject(const AuditedTable& table, const Row& row) {
  json key = json::array();
  for (std::size_t i = 0; i < table.keys; ++i) key.push_back(row[i].value_or(""));
  return std::string(table.name) + " " + key.dump();
}

std::string RowDigest(const AuditedTable& table, const Row& row) {
  std::string text;
  Field(text, table.name);
  for (const Session::Param& value : row) Field(text, Nullable(value));
  return Sha256Hex(text);
}

// The chain hash after the auth_events row `row` (kAuthEventColumns), following `prev`.
std::string AuthHash(const std::string& prev, const Row& row) {
  std::string text;
  Field(text, "assure-auth-v1");
  Field(text, prev);
  for (const Session::Param& value : row) Field(text, Nullable(value));
  return Sha256Hex(text);
}

std::string AuditHash(const std::string& prev, int64_t seq, const std::string& at,
                      const std::string& kind, const std::string& subject,
                      const std::string& digest) {
  const std::string n = std::to_string(seq);
  return Sha256Hex(Encode({"assure-audit-v1", prev, n, at, kind, subject, digest}));
}

std::string CheckpointDigest(const std::string& content) {
  return Sha256Hex(Encode({"assure-checkpoint-v1", content}));
}

std::vector<Error> NoKey(const std::string& file, const std::string& why) {
  return Fail(ErrorCode::kUnavailable,
              "cannot write: " + (why.empty() ? "there is no key at '" + file + "'" : why));
}

std::string Text(const Session::Param& p) { return p.value_or(""); }

// Where the last prune left the chain of auth_events: events ever appended before the first
// remaining row, and the hash after the last removed one.
struct ChainBase {
  int64_t position = 0;
  std::string hash = kGenesisHash;
};

Result<ChainBase> LastPrune(Session& s) {
  Result<std::vector<Row>> rows = s.Query(
      "SELECT subject, digest FROM audit_log WHERE kind = 'prune' ORDER BY seq DESC LIMIT 1", {});
  if (!rows.ok()) return rows.errors();
  ChainBase base;
  if (rows.value().empty()) return base;
  json subject = json::parse(Text(rows.value()[0][0]), nullptr, false);
  if (!subject.is_object() || !subject.contains("position") ||
      !subject["position"].is_number_integer()) {
    return Fail(ErrorCode::kInternal, "the last prune's record cannot be read; run verify");
  }
  base.position = subject["position"].get<int64_t>();
  base.hash = Text(rows.value()[0][1]);
  return base;
}

}  // namespace

Result<std::optional<Key>> ReadKey(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return std::optional<Key>();
    return Fail(ErrorCode::kUnavailable,
                "cannot read the key file '" + path + "': " + std::strerror(errno), "key");
  }
  if ((info.st_mode & 077) != 0) {
    return Fail(ErrorCode::kUnavailable,
                "the key file '" + path +
                    "' can be read by others than its owner: make it private (chmod 600 " + path +
                    ")",
                "key");
  }
  std::ifstream in(path);
  std::string hex;
  if (!in || !std::getline(in, hex)) {
    return Fail(ErrorCode::kUnavailable, "cannot read the key file '" + path + "'", "key");
  }
  Key key;
  std::size_t length = 0;
  if (hex.size() != 2 * key.bytes.size() ||
      sodium_hex2bin(key.bytes.data(), key.bytes.size(), hex.data(), hex.size(), nullptr, &length,
                     nullptr) != 0 ||
      length != key.bytes.size()) {
    return Fail(ErrorCode::kUnavailable,
                "the key file '" + path + "' is not a key (64 hex characters on one line)", "key");
  }
  sodium_memzero(hex.data(), hex.size());
  return std::optional<Key>(key);
}

Result<Key> CreateKey(const std::string& path) {
  Key key;
  crypto_auth_keygen(key.bytes.data());
  // Written whole to a file of its own, then linked into place: link() fails rather than replace
  // a key another process made meanwhile, and no one ever reads half a key.
  const std::string temp = path + ".new." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail(ErrorCode::kUnavailable,
                "cannot create the key file '" + path + "': " + std::strerror(errno), "key");
  }
  const std::string text = Hex(key.bytes.data(), key.bytes.size()) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    return Fail(ErrorCode::kUnavailable, "cannot write the key file '" + path + "'", "key");
  }
  const bool linked = ::link(temp.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (!linked) {
    if (link_errno == EEXIST) {
      Result<std::optional<Key>> theirs = ReadKey(path);
      if (!theirs.ok()) return theirs.errors();
      if (theirs.value()) return *theirs.value();
    }
    return Fail(ErrorCode::kUnavailable,
                "cannot create the key file '" + path + "': " + std::strerror(link_errno), "key");
  }
  return key;
}

std::string DefaultKeyFile(const std::string& where) {
  const char* env = std::getenv("ASSURE_KEY_FILE");
  if (env != nullptr && *env != '\0') return env;
  if (where.rfind("postgresql://", 0) == 0 || where.rfind("postgres://", 0) == 0) {
    return "assure.key";
  }
  return (where.rfind("sqlite:", 0) == 0 ? where.substr(7) : where) + ".key";
}

Audit::Audit(std::optional<Key> key, std::string key_file, std::string key_problem,
             const Clock& clock)
    : key_(key),
      key_file_(std::move(key_file)),
      key_problem_(std::move(key_problem)),
      clock_(clock) {}

std::string Audit::Now() const {
  std::string at = clock_();
  return IsTimestamp(at) ? at : std::string("0000-00-00T00:00:00.000Z");
}

Result<Done> Audit::CanWrite() const {
  if (!key_) return NoKey(key_file_, key_problem_);
  return Done{};
}

std::string Audit::Mac(const std::vector<std::string_view>& fields) const {
  if (!key_) return "";
  const std::string text = Encode(fields);
  unsigned char mac[crypto_auth_BYTES];
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
              key_->bytes.data());
  return Hex(mac, sizeof mac);
}

std::string Audit::KeyId() const { return Mac({"assure-key-id-v1"}); }

std::string Audit::EntryMac(const EntryRow& row) const {
  return Mac({"assure-entry-v1", row.hash});
}

std::string Audit::HeadMac(const std::string& id, int64_t version, const std::string& hash,
                           bool deleted) const {
  const std::string v = std::to_string(version);
  return Mac({"assure-head-v1", id, v, hash, deleted ? "1" : "0"});
}

namespace {

std::string SealMac(const Audit& audit, const std::string& name, int64_t length,
                    const std::string& head) {
  const std::string n = std::to_string(length);
  return audit.Mac({"assure-seal-v1", name, n, head});
}

// Locks the seal `name` (an UPDATE that changes nothing takes the row's lock in PostgreSQL;
// SQLite's writer holds the whole database already), adding `grow` to its length. Returns
// its length after that and its head.
Result<std::pair<int64_t, std::string>> LockSeal(Session& s, const std::string& name,
                                                 int64_t grow) {
  Result<std::vector<Row>> rows = s.Query(
      "UPDATE seals SET length = length + CAST($2 AS bigint) WHERE name = $1 "
      "RETURNING length, head",
      {name, std::to_string(grow)});
  if (!rows.ok()) return rows.errors();
  if (rows.value().empty()) {
    return Fail(ErrorCode::kInternal,
                "the database has no seal '" + name + "' (it was removed); run verify");
  }
  return std::pair<int64_t, std::string>(std::stoll(Text(rows.value()[0][0])),
                                         Text(rows.value()[0][1]));
}

Result<Done> SetSeal(const Audit& audit, Session& s, const std::string& name, int64_t length,
                     const std::string& head) {
  Result<std::vector<Row>> set = s.Query("UPDATE seals SET head = $2, mac = $3 WHERE name = $1",
                                         {name, head, SealMac(audit, name, length, head)});
  if (!set.ok()) return set.errors();
  return Done{};
}

}  // namespace

Result<int64_t> Audit::Record(Session& s, const std::string& kind, const std::string& subject,
                              const std::string& digest, const std::string& when) {
  if (!key_) return NoKey(key_file_, key_problem_);
  Result<std::pair<int64_t, std::string>> locked = LockSeal(s, "audit_log", 1);
  if (!locked.ok()) return locked.errors();
  const auto& [seq, prev] = locked.value();
  const std::string at = IsTimestamp(when) ? when : Now();
  const std::string hash = AuditHash(prev, seq, at, kind, subject, digest);
  Result<std::vector<Row>> added = s.Query(
      "INSERT INTO audit_log (seq, at, kind, subject, digest, prev_hash, hash, mac) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {std::to_string(seq), at, kind, subject, digest, prev, hash, Mac({"assure-audit-v1", hash})});
  if (!added.ok()) return added.errors();
  Result<Done> sealed = SetSeal(*this, s, "audit_log", seq, hash);
  if (!sealed.ok()) return sealed.errors();
  return seq;
}

Result<Done> Audit::RecordAuthority(Session& s, const std::string& id, const std::string& base_hash,
                                    const std::string& at) {
  Result<int64_t> r = Record(s, "authority", id, base_hash, at);
  if (!r.ok()) return r.errors();
  return Done{};
}

Result<Done> Audit::RecordRow(Session& s, const std::string& table_name,
                              const std::vector<std::string>& key, const std::string& at) {
  const AuditedTable* table = TableNamed(table_name);
  if (table == nullptr || key.size() != table->keys) {
    return Fail(ErrorCode::kInternal, "no audited table '" + table_name + "' with that key");
  }
  const std::vector<std::string> columns = Split(table->columns);
  std::string sql = std::string("SELECT ") + table->columns + " FROM " + table->name + " WHERE ";
  std::vector<Session::Param> params;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (i > 0) sql += " AND ";
    sql += columns[i] + " = $" + std::to_string(i + 1);
    params.push_back(key[i]);
  }
  Result<std::vector<Row>> rows = s.Query(sql, params);
  if (!rows.ok()) return rows.errors();
  Row named;
  for (const std::string& k : key) named.push_back(k);
  const std::string subject = Subject(*table, rows.value().empty() ? named : rows.value()[0]);
  const std::string digest = rows.value().empty() ? "" : RowDigest(*table, rows.value()[0]);
  Result<int64_t> r = Record(s, "row", subject, digest, at);
  if (!r.ok()) return r.errors();
  return Done{};
}

Result<int64_t> Audit::AppendAuthEvent(Session& s,
                                       const std::function<Result<int64_t>(Session&)>& insert) {
  if (!key_) return NoKey(key_file_, key_problem_);
  // The seal is locked before the insert, so that rows are numbered in the order they are
  // chained, whichever connection adds them.
  Result<std::pair<int64_t, std::string>> locked = LockSeal(s, "auth_events", 1);
  if (!locked.ok()) return locked.errors();
  Result<int64_t> id = insert(s);
  if (!id.ok()) return id.errors();
  Result<std::vector<Row>> row =
      s.Query(std::string("SELECT ") + kAuthEventColumns + " FROM auth_events WHERE id = $1",
              {std::to_string(id.value())});
  if (!row.ok()) return row.errors();
  if (row.value().empty()) return Fail(ErrorCode::kInternal, "the event was not stored");
  const std::string head = AuthHash(locked.value().second, row.value()[0]);
  Result<Done> sealed = SetSeal(*this, s, "auth_events", locked.value().first, head);
  if (!sealed.ok()) return sealed.errors();
  return id.value();
}

Result<Done> Audit::Adopt(Engine& engine) {
  if (!key_) return Done{};
  return engine.Write([&](Session& s) -> Result<Done> {
    const std::string key_id = KeyId();
    std::string at;  // read from the clock once, when there is something to seal
    // Two processes starting at once: the second waits here for the first to commit, then
    // inserts nothing and finds the first's key.
    Result<std::vector<Row>> claimed = s.Query(
        "INSERT INTO seals (name, length, head, mac) VALUES ('key', 0, $1, $2) "
        "ON CONFLICT (name) DO NOTHING RETURNING name",
        {key_id, SealMac(*this, "key", 0, key_id)});
    if (!claimed.ok()) return claimed.errors();
    if (claimed.value().empty()) {
      Result<std::vector<Row>> found = s.Query("SELECT head FROM seals WHERE name = 'key'", {});
      if (!found.ok()) return found.errors();
      if (found.value().empty() || Text(found.value()[0][0]) != key_id) {
        return Fail(ErrorCode::kUnavailable,
                    "the key at '" + key_file_ +
                        "' is not the key this database was sealed with: give the right one "
                        "(--key, ASSURE_KEY_FILE), restored from its backup",
                    "key");
      }
      return Done{};
    }
    at = Now();
    // The chain of the events kept so far.
    Result<std::vector<Row>> events =
        s.Query(std::string("SELECT ") + kAuthEventColumns + " FROM auth_events ORDER BY id", {});
    if (!events.ok()) return events.errors();
    std::string head = kGenesisHash;
    for (const Row& row : events.value()) head = AuthHash(head, row);
    const auto count = static_cast<int64_t>(events.value().size());
    for (const auto& [name, length, value] :
         {std::tuple<std::string, int64_t, std::string>{"audit_log", 0, kGenesisHash},
          {"auth_events", count, head}}) {
      Result<std::vector<Row>> sealed = s.Query(
          "INSERT INTO seals (name, length, head, mac) VALUES ($1, CAST($2 AS bigint), "
          "$3, $4)",
          {name, std::to_string(length), value, SealMac(*this, name, length, value)});
      if (!sealed.ok()) return sealed.errors();
    }
    // Each authority as it stands, and its head.
    Result<std::vector<Head>> heads = s.Heads();
    if (!heads.ok()) return heads.errors();
    for (const Head& head_row : heads.value()) {
      Result<Done> recorded = RecordAuthority(s, head_row.id, head_row.hash, at);
      if (!recorded.ok()) return recorded;
      Result<std::vector<Row>> set = s.Query(
          "UPDATE authorities SET head_mac = $2 WHERE id = $1",
          {head_row.id, HeadMac(head_row.id, head_row.version, head_row.hash, head_row.deleted)});
      if (!set.ok()) return set.errors();
    }
    // Each account row as it stands.
    for (const AuditedTable& table : kAuditedTables) {
      Result<std::vector<Row>> rows =
          s.Query(std::string("SELECT ") + table.columns + " FROM " + table.name, {});
      if (!rows.ok()) return rows.errors();
      for (const Row& row : rows.value()) {
        Result<int64_t> r = Record(s, "row", Subject(table, row), RowDigest(table, row), at);
        if (!r.ok()) return r.errors();
      }
    }
    return Done{};
  });
}

Result<AuditFindings> Audit::Verify(Session& s, VerifyReport& report) {
  AuditFindings found;
  auto problem = [&](const std::string& text) { report.problems.push_back(text); };

  // The seals, and whether the key is this database's.
  Result<std::vector<Row>> seal_rows = s.Query("SELECT name, length, head, mac FROM seals", {});
  if (!seal_rows.ok()) return seal_rows.errors();
  struct Seal {
    int64_t length = 0;
    std::string head, mac;
  };
  std::map<std::string, Seal> seals;
  for (const Row& row : seal_rows.value()) {
    seals[Text(row[0])] = Seal{std::stoll(Text(row[1])), Text(row[2]), Text(row[3])};
  }
  if (!key_) {
    problem("no key: " +
            (key_problem_.empty() ? "there is no key file at '" + key_file_ + "'" : key_problem_) +
            ", so the authentication codes cannot be checked (the hashes and links were): give "
            "the key with --key or ASSURE_KEY_FILE, restored from its backup");
  } else if (!seals.count("key")) {
    problem("the database has no seals: it was never opened with a key, or they were removed");
  } else if (seals["key"].head != KeyId()) {
    problem("the key at '" + key_file_ +
            "' is not the key this database was sealed with, so the authentication codes cannot "
            "be checked");
  } else {
    found.check_macs = true;
  }
  report.keyed = found.check_macs;
  for (const char* name : {"audit_log", "auth_events"}) {
    if (!seals.count(name)) {
      if (seals.count("key")) problem(std::string("the seal of ") + name + " was removed");
      continue;
    }
    const Seal& seal = seals[name];
    if (found.check_macs && SealMac(*this, name, seal.length, seal.head) != seal.mac) {
      problem(std::string("the seal of ") + name + " was altered (its code does not match)");
    }
  }
  if (found.check_macs && SealMac(*this, "key", 0, seals["key"].head) != seals["key"].mac) {
    problem("the seal of the key was altered");
  }

  // audit_log: its chain, and what it says of the authorities and the account rows.
  Result<std::vector<Row>> records = s.Query(
      "SELECT seq, at, kind, subject, digest, prev_hash, hash, mac FROM audit_log ORDER BY seq",
      {});
  if (!records.ok()) return records.errors();
  std::string prev = kGenesisHash;
  int64_t expected = 1;
  std::map<std::string, std::string> rows_now;  // subject -> digest ("" once removed)
  for (const Row& r : records.value()) {
    ++report.audit_records_checked;
    const int64_t seq = std::stoll(Text(r[0]));
    const std::string at = Text(r[1]), kind = Text(r[2]), subject = Text(r[3]), digest = Text(r[4]),
                      prev_hash = Text(r[5]), hash = Text(r[6]), mac = Text(r[7]);
    const std::string name = "audit log: record " + std::to_string(seq) + ": ";
    if (seq != expected) {
      problem("audit log: records " + std::to_string(expected) + " to " + std::to_string(seq - 1) +
              " are missing");
    }
    if (AuditHash(prev_hash, seq, at, kind, subject, digest) != hash) {
      problem(name + "hash does not match its content (the record was altered)");
    }
    if (prev_hash != prev) problem(name + "prev_hash does not match the record before");
    if (found.check_macs && Mac({"assure-audit-v1", hash}) != mac) {
      problem(name + "its authentication code does not match (written without the key)");
    }
    if (kind == "authority") {
      found.authorities[subject] = AuthorityRecord{digest};
    } else if (kind == "row") {
      rows_now[subject] = digest;
    }
    prev = hash;
    expected = seq + 1;
  }
  if (seals.count("audit_log")) {
    const Seal& seal = seals["audit_log"];
    const int64_t last = records.value().empty() ? 0 : expected - 1;
    if (seal.length != last || seal.head != prev) {
      problem("audit log: its seal says " + std::to_string(seal.length) +
              " records, but it ends at record " + std::to_string(last) +
              (seal.length > last ? " (records were removed)" : " (it was altered)"));
    }
  }

  // Each account row against its last record.
  for (const AuditedTable& table : kAuditedTables) {
    Result<std::vector<Row>> rows =
        s.Query(std::string("SELECT ") + table.columns + " FROM " + table.name, {});
    if (!rows.ok()) return rows.errors();
    std::map<std::string, bool> present;
    for (const Row& row : rows.value()) {
      const std::string subject = Subject(table, row);
      present[subject] = true;
      auto it = rows_now.find(subject);
      if (it == rows_now.end() || it->second.empty()) {
        problem(subject + " is not in the audit log (it was added outside Assure)");
      } else if (it->second != RowDigest(table, row)) {
        problem(subject +
                " differs from its last record in the audit log (it was changed "
                "outside Assure)");
      }
    }
    if (table.only_present) continue;
    const std::string prefix = std::string(table.name) + " ";
    for (auto it = rows_now.lower_bound(prefix);
         it != rows_now.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      if (!it->second.empty() && !present.count(it->first)) {
        problem(it->first +
                " is in the audit log but not in the database (it was removed "
                "outside Assure)");
      }
    }
  }

  // auth_events: its chain from the last prune, against its seal.
  Result<ChainBase> base = LastPrune(s);
  if (!base.ok()) return base.errors();
  Result<std::vector<Row>> events =
      s.Query(std::string("SELECT ") + kAuthEventColumns + " FROM auth_events ORDER BY id", {});
  if (!events.ok()) return events.errors();
  std::string head = base.value().hash;
  for (const Row& row : events.value()) head = AuthHash(head, row);
  report.auth_events_checked = static_cast<int64_t>(events.value().size());
  if (seals.count("auth_events")) {
    const Seal& seal = seals["auth_events"];
    const int64_t have = base.value().position + report.auth_events_checked;
    if (seal.length != have) {
      problem("auth events: the seal counts " + std::to_string(seal.length) +
              " events ever recorded, but the log holds " + std::to_string(have) +
              (base.value().position > 0
                   ? " (" + std::to_string(base.value().position) + " pruned and " +
                         std::to_string(report.auth_events_checked) + " kept)"
                   : "") +
              (seal.length > have ? ": events were removed" : ": events were added"));
    } else if (seal.head != head) {
      problem("auth events: the chain does not end at its seal (events were altered)");
    }
  }
  return found;
}

Result<std::string> Audit::Checkpoint(Session& s, std::string& at) {
  if (!key_) return NoKey(key_file_, key_problem_);
  Result<std::pair<int64_t, std::string>> audit_log = LockSeal(s, "audit_log", 0);
  if (!audit_log.ok()) return audit_log.errors();
  Result<std::pair<int64_t, std::string>> events = LockSeal(s, "auth_events", 0);
  if (!events.ok()) return events.errors();
  json content;
  content["audit_log"] = {audit_log.value().first, audit_log.value().second};
  content["auth_events"] = {events.value().first, events.value().second};
  content["authorities"] = json::object();
  Result<std::vector<Head>> heads = s.Heads();
  if (!heads.ok()) return heads.errors();
  for (const Head& h : heads.value()) content["authorities"][h.id] = {h.version, h.hash};
  at = Now();
  content["at"] = at;
  const std::string text = content.dump();
  const std::string digest = CheckpointDigest(text);
  Result<int64_t> r = Record(s, "checkpoint", text, digest);
  if (!r.ok()) return r.errors();
  return digest;
}

Result<Done> Audit::VerifyCheckpoint(Session& s, const std::string& digest, VerifyReport& report) {
  auto problem = [&](const std::string& text) { report.problems.push_back(text); };
  const std::string name = "checkpoint " + digest.substr(0, 16) + ": ";
  Result<std::vector<Row>> found =
      s.Query("SELECT subject FROM audit_log WHERE kind = 'checkpoint' AND digest = $1", {digest});
  if (!found.ok()) return found.errors();
  if (found.value().empty()) {
    problem(name +
            "it is not in the audit log: the database was put back to a copy older than the "
            "checkpoint, or records were removed (or the digest is another database's)");
    return Done{};
  }
  const std::string text = Text(found.value()[0][0]);
  json content = json::parse(text, nullptr, false);
  if (CheckpointDigest(text) != digest || !content.is_object()) {
    problem(name + "its record was altered");
    return Done{};
  }
  try {
    // audit_log then held records 1..n, the last with this hash.
    const int64_t n = content["audit_log"][0].get<int64_t>();
    const std::string head = content["audit_log"][1].get<std::string>();
    if (n > 0) {
      Result<std::vector<Row>> r =
          s.Query("SELECT hash FROM audit_log WHERE seq = CAST($1 AS bigint)", {std::to_string(n)});
      if (!r.ok()) return r.errors();
      if (r.value().empty() || Text(r.value()[0][0]) != head) {
        problem(name + "the audit log up to its record " + std::to_string(n) +
                " was removed or rewritten since");
      }
    }
    // Each authority then stood at a version with this hash.
    for (const auto& [id, at] : content["authorities"].items()) {
      const int64_t version = at[0].get<int64_t>();
      Result<std::vector<Row>> r =
          s.Query("SELECT hash FROM history WHERE authority = $1 AND version = CAST($2 AS bigint)",
                  {id, std::to_string(version)});
      if (!r.ok()) return r.errors();
      if (r.value().empty()) {
        problem(name + "authority " + id + ": its version " + std::to_string(version) +
                " was removed since");
      } else if (Text(r.value()[0][0]) != at[1].get<std::string>()) {
        problem(name + "authority " + id + ": its history up to version " +
                std::to_string(version) + " was rewritten since");
      }
    }
    // auth_events then held events 1..n, the chain at this hash: found in what remains, or at a
    // prune since.
    const int64_t events = content["auth_events"][0].get<int64_t>();
    const std::string events_head = content["auth_events"][1].get<std::string>();
    Result<ChainBase> base = LastPrune(s);
    if (!base.ok()) return base.errors();
    bool checked = false;
    if (events >= base.value().position) {
      Result<std::vector<Row>> rows =
          s.Query(std::string("SELECT ") + kAuthEventColumns + " FROM auth_events ORDER BY id", {});
      if (!rows.ok()) return rows.errors();
      std::string h = base.value().hash;
      int64_t position = base.value().position;
      for (const Row& row : rows.value()) {
        if (position == events) break;
        h = AuthHash(h, row);
        ++position;
      }
      checked = position == events && h == events_head;
    } else {
      Result<std::vector<Row>> prunes =
          s.Query("SELECT subject, digest FROM audit_log WHERE kind = 'prune'", {});
      if (!prunes.ok()) return prunes.errors();
      for (const Row& row : prunes.value()) {
        json subject = json::parse(Text(row[0]), nullptr, false);
        if (subject.is_object() && subject.value("position", int64_t{-1}) == events &&
            Text(row[1]) == events_head) {
          checked = true;
        }
      }
      if (!checked) {
        report.notes.push_back(name +
                               "its auth events were pruned since; check them with the "
                               "files the prunes wrote (--pruned FILE)");
        checked = true;
      }
    }
    if (!checked) problem(name + "the auth events up to it were removed or rewritten since");
  } catch (const json::exception&) {
    problem(name + "its record cannot be read (it was altered)");
  }
  return Done{};
}

Result<int64_t> Audit::PruneAuthEvents(
    Session& s, const std::string& before,
    const std::function<Result<Done>(const std::string&)>& save) {
  if (!key_) return NoKey(key_file_, key_problem_);
  Result<std::pair<int64_t, std::string>> seal = LockSeal(s, "auth_events", 0);
  if (!seal.ok()) return seal.errors();
  Result<ChainBase> base = LastPrune(s);
  if (!base.ok()) return base.errors();
  Result<std::vector<Row>> rows =
      s.Query(std::string("SELECT ") + kAuthEventColumns + " FROM auth_events ORDER BY id", {});
  if (!rows.ok()) return rows.errors();
  // Only a log that is whole is pruned: what is removed is sealed by the prune's record.
  std::string head = base.value().hash;
  for (const Row& row : rows.value()) head = AuthHash(head, row);
  if (base.value().position + static_cast<int64_t>(rows.value().size()) != seal.value().first ||
      head != seal.value().second) {
    return Fail(ErrorCode::kConflict,
                "the log of sign-ins does not match its seal, so nothing was pruned: run "
                "'assure verify'");
  }
  // The events before `before`, as a run from the start (ids follow the chain; a later event
  // with an earlier time, from a server whose clock was behind, ends the run).
  const std::vector<std::string> columns = Split(kAuthEventColumns);
  std::size_t cut = 0;
  while (cut < rows.value().size() && Text(rows.value()[cut][1]) < before) ++cut;
  if (cut == 0) return int64_t{0};
  std::string cut_hash = base.value().hash;
  std::string lines;
  for (std::size_t i = 0; i < cut; ++i) {
    const Row& row = rows.value()[i];
    cut_hash = AuthHash(cut_hash, row);
    json line;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      line[columns[c]] = row[c] ? json(*row[c]) : json(nullptr);
    }
    lines += line.dump() + "\n";
  }
  const int64_t position = base.value().position + static_cast<int64_t>(cut);
  json header;
  header["assure_pruned_auth_events"] = 1;
  header["before"] = before;
  header["from_position"] = base.value().position;
  header["from_hash"] = base.value().hash;
  header["position"] = position;
  header["hash"] = cut_hash;
  Result<Done> saved = save(header.dump() + "\n" + lines);
  if (!saved.ok()) return saved.errors();
  // The one way rows leave auth_events: a permit, in this transaction only, lets the delete
  // trigger allow these ids (migration 5).
  const std::string last_id = Text(rows.value()[cut - 1][0]);
  for (const char* sql : {"INSERT INTO auth_events_prune (upto) VALUES (CAST($1 AS bigint))",
                          "DELETE FROM auth_events WHERE id <= CAST($1 AS bigint)",
                          "DELETE FROM auth_events_prune WHERE upto = CAST($1 AS bigint)"}) {
    Result<std::vector<Row>> r = s.Query(sql, {last_id});
    if (!r.ok()) return r.errors();
  }
  json subject;
  subject["before"] = before;
  subject["removed"] = cut;
  subject["from_position"] = base.value().position;
  subject["from_hash"] = base.value().hash;
  subject["position"] = position;
  Result<int64_t> recorded = Record(s, "prune", subject.dump(), cut_hash);
  if (!recorded.ok()) return recorded.errors();
  return static_cast<int64_t>(cut);
}

Result<Done> Audit::VerifyPruned(Session& s, const std::string& text, VerifyReport& report) {
  auto problem = [&](const std::string& t) { report.problems.push_back("pruned file: " + t); };
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line)) {
    problem("it is empty");
    return Done{};
  }
  json header = json::parse(line, nullptr, false);
  if (!header.is_object() || !header.contains("assure_pruned_auth_events")) {
    problem("its first line is not the header of pruned auth events");
    return Done{};
  }
  try {
    const std::vector<std::string> columns = Split(kAuthEventColumns);
    std::string h = header["from_hash"].get<std::string>();
    int64_t count = 0;
    int line_number = 1;
    while (std::getline(in, line)) {
      ++line_number;
      json event = json::parse(line, nullptr, false);
      if (!event.is_object()) {
        problem("line " + std::to_string(line_number) + " is not a JSON object");
        return Done{};
      }
      Row row;
      for (const std::string& c : columns) {
        if (!event.contains(c) || event[c].is_null()) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(event[c].get<std::string>());
        }
      }
      h = AuthHash(h, row);
      ++count;
    }
    const int64_t position = header["position"].get<int64_t>();
    if (header["from_position"].get<int64_t>() + count != position ||
        h != header["hash"].get<std::string>()) {
      problem("its events do not hash to the digest in its header (the file was altered)");
      return Done{};
    }
    Result<std::vector<Row>> prunes =
        s.Query("SELECT subject FROM audit_log WHERE kind = 'prune' AND digest = $1", {h});
    if (!prunes.ok()) return prunes.errors();
    bool recorded = false;
    for (const Row& row : prunes.value()) {
      json subject = json::parse(Text(row[0]), nullptr, false);
      if (subject.is_object() && subject.value("position", int64_t{-1}) == position &&
          subject.value("from_hash", std::string()) == header["from_hash"].get<std::string>()) {
        recorded = true;
      }
    }
    if (!recorded) {
      problem(
          "no prune recorded in the audit log removed these events (the file is another "
          "database's, or the record was removed)");
    } else {
      report.notes.push_back("pruned file: its " + std::to_string(count) +
                             " events are the ones the prune removed");
    }
  } catch (const json::exception&) {
    problem("its header cannot be read");
  }
  return Done{};
}

}  // namespace assure::store
