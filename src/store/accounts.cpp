// The accounts' rules, over either engine: names and passwords, Argon2id hashing, random tokens
// kept only as their hashes, roles, and the log of sign-ins. The SQL is the same text in both
// engines (Session::Query); the schema is migration 2 (ledger.hpp).
//
// Password hashing is slow on purpose (about a tenth of a second, 19 MiB), so it is never done
// inside a transaction: the engine's connection and lock stay free for everyone else meanwhile.
//
// Every change to an account has one function here (AddUser, SetPassword, ReplaceHash, SetRole,
// RemoveRole, CreateSession, EndSession, CreateApiToken, RevokeApiToken, DisableUser,
// EnableUser, DeleteUser, SignOutEverywhere), and the log of sign-ins one writer
// (RecordAuthEvent).
#include "store/accounts.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "core/characters.hpp"
#include "store/audit.hpp"
#include "store/ledger.hpp"

namespace assure::store {
namespace {

using Row = Session::Row;
using Param = Session::Param;

// The cost of Argon2id for new hashes: kHashPasses and kHashMemoryBytes (accounts.hpp), unless
// the environment variable ASSURE_TEST_FAST_HASH is "1", read once per process, when it is
// libsodium's least (MIN).
// That is for tests only, which hash hundreds of passwords: a password hashed so is easily
// guessed from its hash. Verifying uses the cost written in each hash, whichever it was.
struct HashCost {
  unsigned long long ops;
  std::size_t mem;
};

HashCost Cost() {
  static const HashCost cost = [] {
    const char* fast = std::getenv("ASSURE_TEST_FAST_HASH");
    if (fast != nullptr && std::string_view(fast) == "1") {
      return HashCost{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    }
    return HashCost{kHashPasses, kHashMemoryBytes};
  }();
  return cost;
}

// The Argon2id string of `password` (algorithm, cost, salt and hash), or nullopt when libsodium
// cannot (out of memory).
std::optional<std::string> HashPassword(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  const HashCost cost = Cost();
  if (crypto_pwhash_str(out, password.data(), password.size(), cost.ops, cost.mem) != 0) {
    return std::nullopt;
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// Whether `hash` was made at another cost than new hashes are.
bool NeedsRehash(const std::string& hash) {
  const HashCost cost = Cost();
  return crypto_pwhash_str_needs_rehash(hash.c_str(), cost.ops, cost.mem) != 0;
}

// A hash of no one's password, at the current cost, computed once: an unknown name is checked
// against it, so that it costs what a wrong password costs and the time taken does not tell
// whether a name exists.
const std::string& DummyHash() {
  static const std::string hash =
      HashPassword("no user has this password; it only makes work").value_or("");
  return hash;
}

std::vector<Error> Unavailable(const std::string& why) {
  return Fail(ErrorCode::kUnavailable, why);
}

// [a-z0-9][a-z0-9._@-]*, at most kMaxUserNameBytes
bool IsUserName(const std::string& name) {
  if (name.empty() || name.size() > kMaxUserNameBytes) return false;
  auto plain = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!plain(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return plain(c) || c == '.' || c == '_' || c == '@' || c == '-';
  });
}

std::optional<Error> CheckName(const std::string& name) {
  if (IsUserName(name)) return std::nullopt;
  if (name.size() > kMaxUserNameBytes) {
    return Error{
        ErrorCode::kInvalid,
        "",
        0,
        0,
        "name",
        "name: a user name may have at most " + std::to_string(kMaxUserNameBytes) + " characters"};
  }
  return Error{ErrorCode::kInvalid,
               "",
               0,
               0,
               "name",
               "name: '" + name +
                   "' is not a user name: use lower-case letters, digits and . _ @ -, starting "
                   "with a letter or digit"};
}

// A password's length in characters (UTF-8 code points), not bytes: "at least 12 characters"
// means what a person counts.
std::size_t Characters(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::optional<Error> CheckNewPassword(const std::string& password) {
  if (password.size() > kMaxPasswordBytes) {
    return Error{
        ErrorCode::kInvalid,
        "",
        0,
        0,
        "password",
        "password: a password may have at most " + std::to_string(kMaxPasswordBytes) + " bytes"};
  }
  if (Characters(password) >= kMinPasswordLength) return std::nullopt;
  return Error{
      ErrorCode::kInvalid,
      "",
      0,
      0,
      "password",
      "password: a password needs at least " + std::to_string(kMinPasswordLength) + " characters"};
}

std::vector<Error> NoUser(const std::string& name) {
  return Fail(ErrorCode::kNotFound, "there is no user '" + name + "'", "name");
}

std::vector<Error> Unauthorized(const std::string& why) {
  return Fail(ErrorCode::kUnauthorized, why);
}

// A new secret: 32 random bytes, as 64 lower-case hex characters.
std::string NewSecret() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[2 * sizeof bytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(hex, 2 * sizeof bytes);
}

// What is stored of a secret: the SHA-256 (lower-case hex) of its 32 bytes. Nullopt when
// `secret` is not 64 hex characters, so that it cannot be any token.
std::optional<std::string> SecretHash(const std::string& secret) {
  if (secret.size() != 64) return std::nullopt;
  unsigned char bytes[32];
  std::size_t length = 0;
  if (sodium_hex2bin(bytes, sizeof bytes, secret.data(), secret.size(), nullptr, &length,
                     nullptr) != 0 ||
      length != sizeof bytes) {
    return std::nullopt;
  }
  std::string hash = Sha256Hex(std::string(reinterpret_cast<const char*>(bytes), sizeof bytes));
  sodium_memzero(bytes, sizeof bytes);
  return hash;
}

bool Blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

bool Truth(const Param& value) { return value && (*value == "t" || *value == "1"); }

std::string TextOf(const Param& value) { return value.value_or(""); }

// Columns: name, site_admin, created_at, disabled_at.
constexpr const char* kUserColumns = "u.name, u.site_admin, u.created_at, u.disabled_at";

User UserAt(const Row& row) { return User{TextOf(row[0]), Truth(row[1]), TextOf(row[2]), row[3]}; }

// At most `most` bytes of `text` (most >= 3), cut at a character boundary and ending in "..."
// when cut: what the log of sign-ins keeps of text a client chose.
std::string Clipped(const std::string& text, std::size_t most) {
  if (text.size() <= most) return text;
  std::size_t end = most - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

Result<Role> RoleNamed(const Param& text) {
  const std::optional<Role> role = Parse<Role>(TextOf(text));
  if (!role) {
    return Fail(ErrorCode::kInternal, "the database holds an unknown role '" + TextOf(text) + "'");
  }
  return *role;
}

class LedgerAccounts final : public Accounts {
 public:
  LedgerAccounts(Engine& engine, const Clock& clock, Audit& audit)
      : engine_(engine), clock_(clock), audit_(audit) {}

  Result<User> AddUser(const std::string& name, const std::string& password,
                       bool site_admin) override {
    return Guard<User>([&]() -> Result<User> {
      std::vector<Error> errors;
      if (std::optional<Error> e = CheckName(name)) errors.push_back(*e);
      if (std::optional<Error> e = CheckNewPassword(password)) errors.push_back(*e);
      if (!errors.empty()) return errors;
      const std::optional<std::string> hash = HashPassword(password);
      if (!hash) return Fail(ErrorCode::kInternal, "the password cannot be hashed (no memory)");
      Result<std::string> now = Now();
      if (!now.ok()) return now.errors();
      Result<std::vector<Row>> added = WriteOne(
          "INSERT INTO users (name, password_hash, site_admin, created_at) "
          "VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING name",
          {name, *hash, site_admin ? "1" : "0", now.value()}, RecordRows("users", now.value()));
      if (!added.ok()) return added.errors();
      if (added.value().empty()) {
        return Fail(ErrorCode::kConflict, "name: there is already a user '" + name + "'", "name");
      }
      return User{name, site_admin, now.value(), std::nullopt};
    });
  }

  Result<Done> SetPassword(const std::string& name, const std::string& password) override {
    return Guard<Done>([&]() -> Result<Done> {
      if (std::optional<Error> e = CheckNewPassword(password)) return std::vector<Error>{*e};
      const std::optional<std::string> hash = HashPassword(password);
      if (!hash) return Fail(ErrorCode::kInternal, "the password cannot be hashed (no memory)");
      Result<std::string> now = Now();
      if (!now.ok()) return now.errors();
      return engine_.Write([&](Session& s) -> Result<Done> {
        Result<std::vector<Row>> set = s.Query(
            "UPDATE users SET password_hash = $2 WHERE name = $1 RETURNING name", {name, *hash});
        if (!set.ok()) return set.errors();
        if (set.value().empty()) return NoUser(name);
        if (Result<Done> a = audit_.RecordRow(s, "users", {name}, now.value()); !a.ok()) return a;
        Result<std::vector<Row>> ended =
            s.Query("UPDATE sessions SET ended_at = $2 WHERE user_name = $1 AND ended_at IS NULL",
                    {name, now.value()});
        if (!ended.ok()) return ended.errors();
        return Done{};
      });
    });
  }

  // Replaces the hash of a user's password by another hash of the same password, unless it
  // changed meanwhile: no session ends.
  Result<Done> ReplaceHash(const std::string& name, const std::string& old_hash,
                           const std::string& new_hash) {
    return Guard<Done>([&]() -> Result<Done> {
      Result<std::vector<Row>> set = WriteOne(
          "UPDATE users SET password_hash = $3 WHERE name = $1 AND password_hash = $2 "
          "RETURNING name",
          {name, old_hash, new_hash}, RecordRows("users"));
      if (!set.ok()) return set.errors();
      return Done{};
    });
  }

  Result<Done> DisableUser(const std::string& name) override {
    return Guard<Done>([&]() -> Result<Done> {
      Result<std::string> now = Now();
      if (!now.ok()) return now.errors();
      Result<Done> r = engine_.Write([&](Session& s) -> Result<Done> {
        Result<Done> kept = KeepsAnAdministrator(s, name);
        if (!kept.ok()) return kept.errors();
        Result<std::vector<Row>> set = s.Query(
            "UPDATE users SET disabled_at = coalesce(disabled_at, $2) WHERE name = $1 "
            "RETURNING name",
            {name, now.value()});
        if (!set.ok()) return set.errors();
        if (Result<Done> a = RecordRows("users", now.value())(s, set.value()); !a.ok()) {
          return a.errors();
        }
        Result<int64_t> ended = EndEverything(s, name, now.value());
        if (!ended.ok()) return ended.errors();
        return Done{};
      });
      ForgetKnownTokens();
      return r;
    });
  }

  Result<Done> EnableUser(const std::string& name) override {
    return Guard<Done>([&]() -> Result<Done> {
      Result<std::vector<Row>> set =
          WriteOne("UPDATE users SET disabled_at = NULL WHERE name = $1 RETURNING name", {name},
                   RecordRows("users"));
      if (!set.ok()) return set.errors();
      if (set.value().empty()) return NoUser(name);
      return Done{};
    });
  }

  Result<Done> DeleteUser(const std::string& name) override {
    return Guard<Done>([&]() -> Result<Done> {
      Result<Done> r = engine_.Write([&](Session& s) -> Result<Done> {
        Result<Done> kept = KeepsAnAdministrator(s, name);
        if (!kept.ok()) return kept.errors();
        // Each row removed is recorded in the audit log (its key first in RETURNING); ended
        // sessions need no record.
        const std::pair<const char*, const char*> deletes[] = {
            {"DELETE FROM sessions WHERE user_name = $1", nullptr},
            {"DELETE FROM api_tokens WHERE user_name = $1 RETURNING id", "api_tokens"},
            {"DELETE FROM grants WHERE user_name = $1 RETURNING user_name, authority", "grants"},
            {"DELETE FROM users WHERE name = $1 RETURNING name", "users"}};
        for (const auto& [sql, table] : deletes) {
          Result<std::vector<Row>> gone = s.Query(sql, {name});
          if (!gone.ok()) return gone.errors();
          if (table == nullptr) continue;
          if (Result<Done> a = RecordRows(table)(s, gone.value()); !a.ok()) return a.errors();
        }
        return Done{};
      });
      ForgetKnownTokens();
      return r;
    });
  }

  Result<int64_t> SignOutEverywhere(const std::string& name) override {
    return Guard<int64_t>([&]() -> Result<int64_t> {
      Result<std::string> now = Now();
      if (!now.ok()) return now.errors();
      int64_t ended = 0;
      Result<Done> r = engine_.Write([&](Session& s) -> Result<Done> {
        Result<bool> exists = UserExists(s, name);
        if (!exists.ok()) return exists.errors();
        if (!exists.value()) return NoUser(name);
        Result<int64_t> n = EndEverything(s, name, now.value());
        if (!n.ok()) return n.errors();
        ended = n.value();
        return Done{};
      });
      ForgetKnownTokens();
      if (!r.ok()) return r.errors();
      return ended;
    });
  }

  Result<User> CheckPassword(const std::string& name, const std::string& password) override {
    return Guard<User>([&]() -> Result<User> {
      // Longer than any password taken: wrong, without hashing it (whatever the name).
      if (password.size() > kMaxPasswordBytes) {
        return Unauthorized("the name or the password is wrong");
      }
      // Made on the first check of any name, known or not, so that even the first check's time
      // does not tell whether the name exists.
      const std::string& dummy = DummyHash();
      // A name longer than any user's is looked for all the same: its answer takes as long.
      Result<std::vector<Row>> found =
          ReadOne(std::string("SELECT ") + kUserColumns +
                      ", u.password_hash FROM users u WHERE u.name = $1",
                  {name.substr(0, kMaxUserNameBytes + 1)});
      if (!found.ok()) return found.errors();
      // The verification runs outside any transaction, and runs whether or not the name exists.
      bool right = false;
      if (found.value().empty()) {
        VerifyPassword(dummy, password);
      } else {
        right = VerifyPassword(TextOf(found.value()[0][4]), password);
      }
      if (!right) return Unauthorized("the name or the password is wrong");
      const User user = UserAt(found.value()[0]);
      if (user.disabled_at) return Unauthorized("the name or the password is wrong");
      const std::string stored = TextOf(found.value()[0][4]);
      // Made at an older cost: hashed again at today's. Best effort: the password was right.
      if (NeedsRehash(stored)) {
        if (const std::optional<std::string> hash = HashPassword(password)) {
          ReplaceHash(name, stored, *hash);
        }
      }
      return user;
    });
  }

  Result<User> GetUser(const std::string& name) override {
    return Guard<User>([&]() -> Result<User> {
      Result<std::vector<Row>> found = ReadOne(
          std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.name = $1", {name});
      if (!found.ok()) return found.errors();
      if (found.value().empty()) return NoUser(name);
      return UserAt(found.value()[0]);
    });
  }

  Result<std::vector<User>> ListUsers() override {
    return Guard<std::vector<User>>([&]() -> Result<std::vector<User>> {
      Result<std::vector<Row>> rows =
          ReadOne(std::string("SELECT ") + kUserColumns + " FROM users u ORDER BY u.name", {});
      if (!rows.ok()) return rows.errors();
      std::vector<User> out;
      out.reserve(rows.value().size());
      for (const Row& row : rows.value()) out.push_back(UserAt(row));
      return out;
    });
  }

  Result<Done> SetRole(const std::string& user, const std::string& authority, Role role) override {
    return Guard<Done>([&]() -> Result<Done> {
      return engine_.Write([&](Session& s) -> Result<Done> {
        Result<bool> exists = UserExists(s, user);
        if (!exists.ok()) return exists.errors();
        if (!exists.value()) return NoUser(user);
        Result<std::vector<Row>> set = s.Query(
            "INSERT INTO grants (user_name, authority, role) VALUES ($1, $2, $3) "
            "ON CONFLICT (user_name, authority) DO UPDATE SET role = excluded.role",
            {user, authority, std::string(NameOf(role))});
        if (!set.ok()) return set.errors();
        return audit_.RecordRow(s, "grants", {user, authority});
      });
    });
  }

  Result<Done> RemoveRole(const std::string& user, const std::string& authority) override {
    return Guard<Done>([&]() -> Result<Done> {
      Result<std::vector<Row>> removed = WriteOne(
          "DELETE FROM grants WHERE user_name = $1 AND authority = $2 "
          "RETURNING user_name, authority",
          {user, authority}, RecordRows("grants"));
      if (!removed.ok()) return removed.errors();
      if (removed.value().empty()) {
        return Fail(ErrorCode::kNotFound,
                    "'" + user + "' has no role on '" + authority + "' to remove", "authority");
      }
      return Done{};
    });
  }

  Result<std::vector<Grant>> GrantsOf(const std::string& user) override {
    return Guard<std::vector<Grant>>([&]() -> Result<std::vector<Grant>> {
      std::vector<Grant> out;
      Result<Done> r = engine_.Read([&](Session& s) -> Result<Done> {
        Result<bool> exists = UserExists(s, user);
        if (!exists.ok()) return exists.errors();
        if (!exists.value()) return NoUser(user);
        Result<std::vector<Row>> rows = s.Query(
            "SELECT authority, role FROM grants WHERE user_name = $1 ORDER BY authority", {user});
        if (!rows.ok()) return rows.errors();
        for (const Row& row : rows.value()) {
          Result<Role> role = RoleNamed(row[1]);
          if (!role.ok()) return role.errors();
          out.push_back(Grant{user, TextOf(row[0]), role.value()});
        }
        return Done{};
      });
      if (!r.ok()) return r.errors();
      return out;
    });
  }

  Result<std::optional<Role>> RoleOf(const std::string& user,
                                     const std::string& authority) override {
    return Guard<std::optional<Role>>([&]() -> Result<std::optional<Role>> {
      // An unknown user has no role anywhere.
      Result<std::vector<Row>> rows = ReadOne(
          "SELECT u.site_admin, g.role FROM users u "
          "LEFT JOIN grants g ON g.user_name = u.name AND g.authority = $2 WHERE u.name = $1",
          {user, authority});
      if (!rows.ok()) return rows.errors();
      if (rows.value().empty()) return std::optional<Role>();
      const Row& row = rows.value()[0];
      if (Truth(row[0])) return std::optional<Role>(Role::kAdmin);
      if (!row[1]) return std::optional<Role>();
      Result<Role> role = RoleNamed(row[1]);
      if (!role.ok()) return role.errors();
      return std::optional<Role>(role.value());
    });
  }

  Result<std::string> CreateSession(const std::string& user,
                                    const std::string& expires_at) override {
    return Guard<std::string>([&]() -> Result<std::string> {
      Result<std::string> expires = Time(expires_at, "expires_at");
      if (!expires.ok()) return expires.errors();
      Result<std::string> now = Now();
      if (!now.ok()) return now.errors();
      const std::string token = NewSecret();
      Result<Done> r = engine_.Write([&](Session& s) -> Result<Done> {
        Result<bool> exists = UserExists(s, user);
        if (!exists.ok()) return exists.errors();
        if (!exists.value()) return NoUser(user);
        Result<std::vector<Row>> added = s.Query(
            "INSERT INTO sessions (token_hash, user_name, created_at, expires_at, ended_at) "
            "VALUES ($1, $2, $3, $4, NULL)",
            {SecretHash(token).value(), user, now.value(), expires.value()});
        if (!added.ok()) return added.errors();
        Result<Done> recorded =
            audit_.RecordRow(s, "sessions", {SecretHash(token).value()}, now.value());
        if (!recorded.ok()) return recorded;
        // Sessions no longer usable are of no further use: keep the table to the live ones.
        Result<std::vector<Row>> purged = s.Query(
            "DELETE FROM sessions WHERE expires_at <= $1 OR ended_at IS NOT NULL", {now.value()});
        if (!purged.ok()) return purged.errors();
        return Done{};
      });
      if (!r.ok()) return r.errors();
      return token;
    });
  }

  Result<User> UserOfSession(const std::string& token, const std::string& now) override {
    return Guard<User>([&]() -> Result<User> {
      Result<std::string> at = Time(now, "now");
      if (!at.ok()) return at.errors();
      const std::optional<std::string> hash = SecretHash(token);
      if (!hash) return Unauthorized("no such session");
      // Times are text of one fixed-width form (ledger.hpp), so text order is time order: the
      // session lasts while now < expires_at.
      Result<std::vector<Row>> rows =
          ReadOne(std::string("SELECT ") + kUserColumns +
                      " FROM sessions s JOIN users u ON u.name = s.user_name "
                      "WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2 "
                      "AND u.disabled_at IS NULL",
                  {*hash, at.value()});
      if (!rows.ok()) return rows.errors();
      if (rows.value().empty()) return Unauthorized("the session is unknown, expired or ended");
      return UserAt(rows.value()[0]);
    });
  }

  Result<Done> EndSession(const std::string& token) override {
    return Guard<Done>([&]() -> Result<Done> {
      const std::optional<std::string> hash = SecretHash(token);
      if (!hash) return Done{};
      Result<std::string> now = Now();
      if (!now.ok()) return now.errors();
      Result<std::vector<Row>> ended =
          WriteOne("UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL",
                   {*hash, now.value()});
      if (!ended.ok()) return ended.errors();
      return Done{};
    });
  }

  Result<std::pair<ApiToken, std::string>> CreateApiToken(const std::string& user,
                                                          const std::string& label) override {
    using Created = std::pair<ApiToken, std::string>;
    return Guard<Created>([&]() -> Result<Created> {
      if (Blank(label)) {
        return Fail(ErrorCode::kInvalid, "label: say what the token is for", "label");
      }
      if (const auto refused = RefusedCharacter(label, /*free_text=*/false)) {
        return Fail(ErrorCode::kInvalid,
                    "label: holds " + *refused + ", which a token's label may not hold", "label");
      }
      Result<std::string> now = Now();
      if (!now.ok()) return now.errors();
      const std::string secret = NewSecret();
      ApiToken token{0, user, label, now.value(), std::nullopt};
      Result<Done> r = engine_.Write([&](Session& s) -> Result<Done> {
        Result<bool> exists = UserExists(s, user);
        if (!exists.ok()) return exists.errors();
        if (!exists.value()) return NoUser(user);
        Result<std::vector<Row>> added = s.Query(
            "INSERT INTO api_tokens (user_name, label, secret_hash, created_at, revoked_at) "
            "VALUES ($1, $2, $3, $4, NULL) RETURNING id",
            {user, label, SecretHash(secret).value(), now.value()});
        if (!added.ok()) return added.errors();
        if (added.value().empty()) return Unavailable("the token was not stored");
        token.id = std::stoll(TextOf(added.value()[0][0]));
        return audit_.RecordRow(s, "api_tokens", {std::to_string(token.id)}, now.value());
      });
      if (!r.ok()) return r.errors();
      return Created{std::move(token), secret};
    });
  }

  Result<User> UserOfApiToken(const std::string& secret) override {
    return Guard<User>([&]() -> Result<User> {
      const std::optional<std::string> hash = SecretHash(secret);
      if (!hash) return Unauthorized("no such API token");
      const auto now = std::chrono::steady_clock::now();
      {
        std::lock_guard lock(known_mutex_);
        auto it = known_tokens_.find(*hash);
        if (it != known_tokens_.end() && now < it->second.until) return it->second.user;
      }
      Result<std::vector<Row>> rows =
          ReadOne(std::string("SELECT ") + kUserColumns +
                      " FROM api_tokens t JOIN users u ON u.name = t.user_name "
                      "WHERE t.secret_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL",
                  {*hash});
      if (!rows.ok()) return rows.errors();
      if (rows.value().empty()) return Unauthorized("the API token is unknown or revoked");
      const User user = UserAt(rows.value()[0]);
      std::lock_guard lock(known_mutex_);
      if (known_tokens_.size() >= kMaxKnownTokens) known_tokens_.clear();
      known_tokens_[*hash] = KnownToken{user, now + kKnownTokenLife};
      return user;
    });
  }

  Result<std::vector<ApiToken>> ApiTokensOf(const std::string& user) override {
    return Guard<std::vector<ApiToken>>([&]() -> Result<std::vector<ApiToken>> {
      std::vector<ApiToken> out;
      Result<Done> r = engine_.Read([&](Session& s) -> Result<Done> {
        Result<bool> exists = UserExists(s, user);
        if (!exists.ok()) return exists.errors();
        if (!exists.value()) return NoUser(user);
        Result<std::vector<Row>> rows = s.Query(
            "SELECT id, label, created_at, revoked_at FROM api_tokens WHERE user_name = $1 "
            "ORDER BY id DESC",
            {user});
        if (!rows.ok()) return rows.errors();
        for (const Row& row : rows.value()) {
          out.push_back(
              ApiToken{std::stoll(TextOf(row[0])), user, TextOf(row[1]), TextOf(row[2]), row[3]});
        }
        return Done{};
      });
      if (!r.ok()) return r.errors();
      return out;
    });
  }

  Result<Done> RevokeApiToken(const std::string& user, int64_t id) override {
    return Guard<Done>([&]() -> Result<Done> {
      Result<std::string> now = Now();
      if (!now.ok()) return now.errors();
      // Revoking a revoked token again succeeds and keeps the first revocation's time.
      Result<std::vector<Row>> revoked = WriteOne(
          "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3) "
          "WHERE id = $1 AND user_name = $2 RETURNING id",
          {std::to_string(id), user, now.value()}, RecordRows("api_tokens", now.value()));
      if (!revoked.ok()) return revoked.errors();
      if (revoked.value().empty()) {
        return Fail(ErrorCode::kNotFound, "'" + user + "' has no API token " + std::to_string(id),
                    "id");
      }
      ForgetKnownTokens();  // the revoked one among them: it stops working at once
      return Done{};
    });
  }

  Result<Done> RecordAuthEvent(const AuthEvent& event) override {
    return Guard<Done>([&]() -> Result<Done> {
      Result<std::string> now = Now();
      if (!now.ok()) return now.errors();
      // Whatever a client sent is kept short: the log must not be a way to fill the disk.
      // Through the audit, which chains and seals it (audit.hpp).
      return engine_.Write([&](Session& s) -> Result<Done> {
        Result<int64_t> added = audit_.AppendAuthEvent(s, [&](Session& s) -> Result<int64_t> {
          Result<std::vector<Row>> row = s.Query(
              "INSERT INTO auth_events (at, kind, user_name, remote, detail, occurrences) "
              "VALUES ($1, $2, $3, $4, $5, CAST($6 AS bigint)) RETURNING id",
              {now.value(), Clipped(event.kind, kMaxLoggedKindBytes),
               Clipped(event.user, kMaxUserNameBytes),
               Clipped(event.remote, kMaxLoggedAddressBytes),
               Clipped(event.detail, kMaxLoggedDetailBytes),
               std::to_string(std::max<int64_t>(1, event.count))});
          if (!row.ok()) return row.errors();
          if (row.value().empty()) return Unavailable("the event was not stored");
          return static_cast<int64_t>(std::stoll(TextOf(row.value()[0][0])));
        });
        if (!added.ok()) return added.errors();
        return Done{};
      });
    });
  }

  Result<std::vector<AuthEvent>> AuthEvents(size_t limit) override {
    return Guard<std::vector<AuthEvent>>([&]() -> Result<std::vector<AuthEvent>> {
      const std::size_t most = std::min<std::size_t>(
          limit, static_cast<std::size_t>(std::numeric_limits<int64_t>::max()));
      // Newest first by id, the order of recording: two events may share a time.
      Result<std::vector<Row>> rows = ReadOne(
          "SELECT at, kind, user_name, remote, detail, occurrences FROM auth_events "
          "ORDER BY id DESC LIMIT CAST($1 AS bigint)",
          {std::to_string(most)});
      if (!rows.ok()) return rows.errors();
      std::vector<AuthEvent> out;
      out.reserve(rows.value().size());
      for (const Row& row : rows.value()) {
        out.push_back(AuthEvent{TextOf(row[0]), TextOf(row[1]), TextOf(row[2]), TextOf(row[3]),
                                TextOf(row[4]), std::stoll(TextOf(row[5]))});
      }
      return out;
    });
  }

  Result<int64_t> FailedSignInsSince(const std::string& user, const std::string& remote,
                                     const std::string& since) override {
    return Guard<int64_t>([&]() -> Result<int64_t> {
      Result<std::string> from = Time(since, "since");
      if (!from.ok()) return from.errors();
      // An empty name or address matches nothing (a missing address must not pool every
      // client without one). Each form uses one of the partial indexes, or both.
      std::string match;
      std::vector<Param> params{from.value()};
      if (!user.empty() && !remote.empty()) {
        match = "(user_name = $2 OR remote = $3)";
        params.push_back(user);
        params.push_back(remote);
      } else if (!user.empty()) {
        match = "user_name = $2";
        params.push_back(user);
      } else if (!remote.empty()) {
        match = "remote = $2";
        params.push_back(remote);
      } else {
        return int64_t{0};
      }
      Result<std::vector<Row>> rows = ReadOne(
          "SELECT coalesce(sum(occurrences), 0) FROM auth_events "
          "WHERE kind = 'sign_in_failed' AND at >= $1 AND " +
              match,
          params);
      if (!rows.ok()) return rows.errors();
      if (rows.value().empty()) return int64_t{0};
      return static_cast<int64_t>(std::stoll(TextOf(rows.value()[0][0])));
    });
  }

 private:
  // The store's clock, checked as the ledger checks it.
  Result<std::string> Now() {
    std::string at = clock_();
    if (!IsTimestamp(at)) {
      return Fail(ErrorCode::kInternal,
                  "the clock gave '" + at + "', not a UTC time like 2026-11-24T09:40:00.123Z");
    }
    return at;
  }

  // A time given by the caller, in the stored form. The caller computes these from its clock,
  // never from input, so another form is a defect.
  static Result<std::string> Time(const std::string& when, const std::string& what) {
    std::optional<std::string> at = NormaliseWhen(when);
    if (!at) {
      return Fail(ErrorCode::kInternal,
                  what + ": '" + when + "' is not a UTC time like 2026-11-24T09:40:00.123Z");
    }
    return *at;
  }

  // Kept from being disabled or deleted: the last site administrator who may sign in, without
  // whom no one could manage users through the API. Also kNotFound for an unknown user.
  static Result<Done> KeepsAnAdministrator(Session& s, const std::string& name) {
    Result<std::vector<Row>> rows = s.Query(
        "SELECT u.site_admin, u.disabled_at, (SELECT count(*) FROM users o WHERE o.site_admin "
        "AND o.disabled_at IS NULL AND o.name <> u.name) FROM users u WHERE u.name = $1",
        {name});
    if (!rows.ok()) return rows.errors();
    if (rows.value().empty()) return NoUser(name);
    const Row& row = rows.value()[0];
    if (Truth(row[0]) && !row[1] && TextOf(row[2]) == "0") {
      return Fail(ErrorCode::kConflict,
                  "'" + name +
                      "' is the last site administrator who can sign in: make another first "
                      "(assure user add NAME --admin)",
                  "name");
    }
    return Done{};
  }

  // Ends every session of the user and revokes every API token of theirs, in `s`'s
  // transaction. Returns how many.
  Result<int64_t> EndEverything(Session& s, const std::string& name, const std::string& now) {
    Result<std::vector<Row>> sessions = s.Query(
        "UPDATE sessions SET ended_at = $2 WHERE user_name = $1 AND ended_at IS NULL "
        "RETURNING user_name",
        {name, now});
    if (!sessions.ok()) return sessions.errors();
    Result<std::vector<Row>> tokens = s.Query(
        "UPDATE api_tokens SET revoked_at = $2 WHERE user_name = $1 AND revoked_at IS NULL "
        "RETURNING id",
        {name, now});
    if (!tokens.ok()) return tokens.errors();
    if (Result<Done> a = RecordRows("api_tokens", now)(s, tokens.value()); !a.ok()) {
      return a.errors();
    }
    return static_cast<int64_t>(sessions.value().size() + tokens.value().size());
  }

  // API tokens found good lately are forgotten: each is looked up again at its next use.
  void ForgetKnownTokens() {
    std::lock_guard lock(known_mutex_);
    known_tokens_.clear();
  }

  static Result<bool> UserExists(Session& s, const std::string& name) {
    Result<std::vector<Row>> rows = s.Query("SELECT 1 FROM users WHERE name = $1", {name});
    if (!rows.ok()) return rows.errors();
    return !rows.value().empty();
  }

  // One statement in its own read or write transaction.
  Result<std::vector<Row>> ReadOne(const std::string& sql, const std::vector<Param>& params) {
    return One(false, sql, params);
  }
  // `after` runs in the same transaction, given the statement's rows.
  using After = std::function<Result<Done>(Session&, const std::vector<Row>&)>;
  Result<std::vector<Row>> WriteOne(const std::string& sql, const std::vector<Param>& params,
                                    const After& after = nullptr) {
    return One(true, sql, params, after);
  }
  Result<std::vector<Row>> One(bool write, const std::string& sql, const std::vector<Param>& params,
                               const After& after = nullptr) {
    std::vector<Row> rows;
    auto body = [&](Session& s) -> Result<Done> {
      Result<std::vector<Row>> r = s.Query(sql, params);
      if (!r.ok()) return r.errors();
      rows = std::move(r).value();
      if (after) return after(s, rows);
      return Done{};
    };
    // One statement is consistent by itself: a read needs no transaction around it.
    Result<Done> r = write ? engine_.Write(body) : engine_.ReadEach(body);
    if (!r.ok()) return r.errors();
    return rows;
  }

  // Records, in the audit log, each row of `table` that a statement returned (its key
  // columns, in order, are the first it returns).
  // `at`: the change's time; empty: the audit reads the clock.
  After RecordRows(const std::string& table, const std::string& at = "") {
    return [this, table, at](Session& s, const std::vector<Row>& rows) -> Result<Done> {
      for (const Row& row : rows) {
        std::vector<std::string> key;
        for (const Param& value : row) key.push_back(TextOf(value));
        Result<Done> recorded = audit_.RecordRow(s, table, key, at);
        if (!recorded.ok()) return recorded;
      }
      return Done{};
    };
  }

  Engine& engine_;
  const Clock& clock_;
  Audit& audit_;

  // API tokens found good lately, by the hash of their secret (UserOfApiToken).
  struct KnownToken {
    User user;
    std::chrono::steady_clock::time_point until;
  };
  static constexpr auto kKnownTokenLife = std::chrono::seconds(1);
  static constexpr std::size_t kMaxKnownTokens = 10000;
  std::mutex known_mutex_;
  std::unordered_map<std::string, KnownToken> known_tokens_;
};

}  // namespace

std::unique_ptr<Accounts> MakeAccounts(Engine& engine, const Clock& clock, Audit& audit) {
  return std::make_unique<LedgerAccounts>(engine, clock, audit);
}

}  // namespace assure::store
