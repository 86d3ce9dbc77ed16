// Accounts: users, their roles on authorities, sessions, API tokens, and a log of sign-ins and
// refusals. Kept in the same database as the arrangements (store.hpp), behind one interface
// with an SQLite and a PostgreSQL engine.
//
// Secrets are never stored: passwords as Argon2id hashes (libsodium's crypto_pwhash_str),
// session and API tokens as SHA-256 hashes of random 32-byte values that are shown once.
//
// Passwords are hashed with Argon2id at m=19 MiB, t=2, p=1 (kHashMemoryBytes, kHashPasses): the
// first of OWASP's recommended Argon2id settings (Password Storage Cheat Sheet), about a tenth of
// a second on one core of a small server. A hash keeps the cost it was made with, so a hash made
// at another cost still verifies, and is made again at this cost when its password is next
// checked right. For tests only: when the environment variable ASSURE_TEST_FAST_HASH is "1"
// (read once per process, at the first hash), new hashes use libsodium's least cost instead,
// which makes them easy to crack; never set it otherwise.
//
// Times (`expires_at`, `now`, `since`) are UTC in the Clock's form (store.hpp), e.g.
// 2026-11-24T09:40:00.123Z, and are compared as text, which that fixed-width form makes the same
// as comparing times; `2026-11-24T09:40:00Z` and a date (the end of that day) are accepted and
// stored in that form. Any other form is a defect of the caller (kInternal).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/vocabulary.hpp"
#include "store/store.hpp"

namespace assure {

// A user's role on one authority. Each includes the ones before it: an editor can view, an
// approver can edit, an admin can approve and manage who has access.
enum class Role { kViewer, kEditor, kApprover, kAdmin };

template <>
struct Vocabulary<Role> {
  static constexpr std::array kNames =
      std::to_array<std::string_view>({"viewer", "editor", "approver", "admin"});
};

}  // namespace assure

namespace assure::store {

struct User {
  std::string name;         // the sign-in name: [a-z0-9][a-z0-9._@-]*, unique
  bool site_admin = false;  // may see and manage every authority and every user
  std::string created_at;   // UTC, as HistoryEntry::at
  // When the user was disabled (UTC); nullopt while they may sign in.
  std::optional<std::string> disabled_at;
};

struct Grant {
  std::string user;
  std::string authority;
  Role role = Role::kViewer;
};

struct ApiToken {
  int64_t id = 0;
  std::string user;
  std::string label;  // what the token is for, in the user's words
  std::string created_at;
  std::optional<std::string> revoked_at;
};

// A sign-in, good or bad, or a refused request (401/403), as the log keeps it.
struct AuthEvent {
  std::string at;      // UTC
  std::string kind;    // "sign_in", "sign_in_failed", "unauthorized", "forbidden", "sign_out",
                       // "token_created", "token_revoked"
  std::string user;    // the name given or known; may be empty
  std::string remote;  // the client's address
  std::string detail;  // the method and path refused, or why a sign-in failed
  // How many events alike (same kind and address) this one stands for: a flood of refusals is
  // kept as one event with a count rather than one row a request. At least 1.
  int64_t count = 1;
};

// The longest user name, in bytes: a name longer than this is no one's, and is refused unread.
inline constexpr size_t kMaxUserNameBytes = 128;
// What the log of sign-ins keeps of the text it is given, in bytes: user names at most
// kMaxUserNameBytes, addresses kMaxLoggedAddressBytes, details kMaxLoggedDetailBytes, kinds
// kMaxLoggedKindBytes. Longer text is cut at a character boundary and ends in "...".
inline constexpr size_t kMaxLoggedAddressBytes = 64;
inline constexpr size_t kMaxLoggedDetailBytes = 256;
inline constexpr size_t kMaxLoggedKindBytes = 32;

// The cost of Argon2id for new password hashes (OWASP: m=19 MiB, t=2, p=1; libsodium's
// Argon2id always uses one lane).
inline constexpr size_t kHashMemoryBytes = 19 * 1024 * 1024;
inline constexpr unsigned long long kHashPasses = 2;

// The least length of a password.
inline constexpr size_t kMinPasswordLength = 12;
// The longest password taken, in bytes: enough for any passphrase, and a bound on the work a
// sign-in can ask of the server.
inline constexpr size_t kMaxPasswordBytes = 1024;

class Accounts {
 public:
  virtual ~Accounts() = default;

  // Adds a user with this password (stored as an Argon2id hash). Returns the user.
  // Errors: kInvalid naming "name" (not matching the pattern, or longer than kMaxUserNameBytes)
  // or "password" (shorter than
  // kMinPasswordLength characters, or longer than kMaxPasswordBytes bytes); kConflict when the
  // name is taken; kUnavailable.
  virtual Result<User> AddUser(const std::string& name, const std::string& password,
                               bool site_admin) = 0;

  // Replaces a user's password, and ends every session the user has (whoever signed in with the
  // old password is signed out; API tokens are kept: revoke them one by one).
  // Errors: kNotFound; kInvalid naming "password" (as AddUser); kUnavailable.
  virtual Result<Done> SetPassword(const std::string& name, const std::string& password) = 0;

  // Returns the user when `password` is theirs and they are not disabled. A wrong password, an
  // unknown name and a disabled user give the same kUnauthorized, after the same work (an
  // unknown name is checked against a dummy hash). A right password whose hash was made at
  // another cost is hashed again at today's (kHashMemoryBytes, kHashPasses); should that write
  // fail, the check still succeeds. Errors: kUnauthorized; kUnavailable.
  virtual Result<User> CheckPassword(const std::string& name, const std::string& password) = 0;

  // Errors: kNotFound; kUnavailable.
  virtual Result<User> GetUser(const std::string& name) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;

  // Cutting off an account. Each takes effect at once in this process; in another process on
  // the same database (another `assure serve`), sessions at once and API tokens within a second
  // (UserOfApiToken).
  //
  // Disables a user: they can no longer sign in, every session of theirs ends and every API
  // token of theirs is revoked. Disabling a disabled user changes nothing. Errors: kNotFound;
  // kConflict when they are the last site administrator not disabled; kUnavailable.
  virtual Result<Done> DisableUser(const std::string& name) = 0;
  // Lets a disabled user sign in again (with the same password; nothing they had comes back:
  // their sessions and tokens stay ended). Errors: kNotFound; kUnavailable.
  virtual Result<Done> EnableUser(const std::string& name) = 0;
  // Removes a user, their roles, sessions and API tokens. The history keeps their name on what
  // they changed, and the log of sign-ins what they did. Errors: kNotFound; kConflict when they
  // are the last site administrator not disabled; kUnavailable.
  virtual Result<Done> DeleteUser(const std::string& name) = 0;
  // Ends every session of the user and revokes every API token of theirs; their password still
  // works. Returns how many sessions and tokens were ended. Errors: kNotFound; kUnavailable.
  virtual Result<int64_t> SignOutEverywhere(const std::string& name) = 0;

  // Gives `user` `role` on `authority`, replacing any role they had there.
  // Errors: kNotFound for the user (the authority need not exist yet); kUnavailable.
  virtual Result<Done> SetRole(const std::string& user, const std::string& authority,
                               Role role) = 0;
  // Errors: kNotFound when the user had no role there; kUnavailable.
  virtual Result<Done> RemoveRole(const std::string& user, const std::string& authority) = 0;
  // Every grant of a user, by authority id. Errors: kNotFound; kUnavailable.
  virtual Result<std::vector<Grant>> GrantsOf(const std::string& user) = 0;
  // The user's role on the authority: kAdmin for a site administrator, nullopt for none (and
  // for an unknown user). Errors: kUnavailable.
  virtual Result<std::optional<Role>> RoleOf(const std::string& user,
                                             const std::string& authority) = 0;

  // Starts a session for the user, lasting until `expires_at` (UTC). Returns the session's
  // secret token (64 hex characters), to be sent as a cookie; only its hash is stored. Sessions
  // that have expired or ended (any user's) are removed then: sign-ins and refusals stay in the
  // auth events.
  // Errors: kNotFound; kUnavailable.
  virtual Result<std::string> CreateSession(const std::string& user,
                                            const std::string& expires_at) = 0;
  // The user of a live session at `now` (UTC): live while now < expires_at, compared as text.
  // Errors: kUnauthorized when the token is unknown or the session expired or ended;
  // kUnavailable.
  virtual Result<User> UserOfSession(const std::string& token, const std::string& now) = 0;
  // Ends the session (signing out). Ending an unknown session is not an error.
  virtual Result<Done> EndSession(const std::string& token) = 0;

  // Creates an API token for scripts. Returns the token and its secret (64 hex characters),
  // shown this once; only its hash is stored. Errors: kNotFound; kInvalid naming "label"
  // (blank); kUnavailable.
  virtual Result<std::pair<ApiToken, std::string>> CreateApiToken(const std::string& user,
                                                                  const std::string& label) = 0;
  // The user of a live (unrevoked) token. A token found good is remembered for a second, so
  // that a script's stream of requests does not read the database for each: a token revoked
  // through these Accounts stops working at once, one revoked by another process (another
  // `assure serve` on the same database) within a second. Errors: kUnauthorized; kUnavailable.
  virtual Result<User> UserOfApiToken(const std::string& secret) = 0;
  // A user's tokens, revoked ones included, newest first. Errors: kNotFound; kUnavailable.
  virtual Result<std::vector<ApiToken>> ApiTokensOf(const std::string& user) = 0;
  // Errors: kNotFound when the user has no such token; kUnavailable.
  virtual Result<Done> RevokeApiToken(const std::string& user, int64_t id) = 0;

  // Appends to the log of sign-ins and refusals (its `at` is set from the store's clock). The
  // one writer of that log. Text longer than the log keeps (kMaxLogged...) is cut short; a count
  // below 1 is kept as 1. Errors: kUnavailable.
  virtual Result<Done> RecordAuthEvent(const AuthEvent& event) = 0;
  // The most recent events first, at most `limit`. Errors: kUnavailable.
  virtual Result<std::vector<AuthEvent>> AuthEvents(size_t limit) = 0;
  // How many failed sign-ins (kind "sign_in_failed", each row counted `count` times) for this
  // name, or from this address, at or after `since` (UTC), each counted once. An empty name or
  // address matches nothing. (Sign-in is rate-limited in memory, never by this: see
  // server/sign_in_limiter.hpp.) Errors: kUnavailable.
  virtual Result<int64_t> FailedSignInsSince(const std::string& user, const std::string& remote,
                                             const std::string& since) = 0;
};

}  // namespace assure::store
