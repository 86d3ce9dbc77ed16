#include "cli/store_commands.hpp"

#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/common.hpp"
#include "core/characters.hpp"
#include "load/arrangements_json.hpp"
#include "load/arrangements_yaml.hpp"
#include "load/catalogue_yaml.hpp"
#include "server/api.hpp"
#include "server/http_server.hpp"
#include "store/accounts.hpp"
#include "store/change_summary.hpp"
#include "store/store.hpp"

namespace assure::cli {

// Opens the database. Only `import` creates one: reading a file that is not there is a mistake
// (a wrong --db), not an empty history.
std::unique_ptr<store::Store> OpenDatabase(const StoreOptions& o, bool create, std::ostream& err) {
  const std::string& db = o.db;
  if (!create && !IsPostgres(db)) {
    const std::string path = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
    if (!std::filesystem::exists(path)) {
      err << "assure: no database at '" << path
          << "' (give --db, or create one with 'assure import FILE --reason ...')\n";
      return nullptr;
    }
  }
  Result<std::unique_ptr<store::Store>> opened =
      store::OpenStore(db, store::SystemClock(), {o.key_file, create});
  if (!opened.ok()) {
    for (const Error& e : opened.errors()) err << "assure: " << e.message << "\n";
    return nullptr;
  }
  return std::move(opened).value();
}

void AddKeyOption(CLI::App& command, StoreOptions& o) {
  command.add_option("--key", o.key_file,
                     "The key file that authenticates the history (default: ASSURE_KEY_FILE, "
                     "else DB.key beside an SQLite file, ./assure.key for PostgreSQL)");
}

namespace {

std::unique_ptr<store::Store> Open(const StoreOptions& o, bool create, std::ostream& err) {
  return OpenDatabase(o, create, err);
}

int Import(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  if (o.reason.find_first_not_of(" \t") == std::string::npos) {
    err << "assure import: --reason is required: say why, for the history\n";
    return kExitErrors;
  }
  // The store's own rule for what the history keeps, asked before any database is opened.
  const std::string author = o.author.empty() ? o.user : o.author;
  if (const auto refused = store::CheckAuthorAndReason({author, o.reason, ""}); !refused.empty()) {
    for (const Error& e : refused) err << "assure import: --" << e.message << "\n";
    return kExitErrors;
  }
  // Every file is read and validated before anything is written.
  std::vector<Arrangements> loaded;
  bool bad = false;
  for (const std::string& file : o.files) {
    Result<Arrangements> a = load::LoadArrangementsFile(file);
    if (!a.ok()) {
      PrintErrors(a.errors(), err);
      bad = true;
      continue;
    }
    loaded.push_back(std::move(a).value());
  }
  if (bad) {
    err << "assure import: nothing was imported\n";
    return kExitErrors;
  }
  auto db = Open(o, true, err);
  if (!db) return kExitErrors;
  for (size_t i = 0; i < loaded.size(); ++i) {
    bool unchanged = false;
    Result<int64_t> v = db->Import(loaded[i], {author, o.reason, "import"}, &unchanged);
    if (!v.ok()) {
      PrintErrors(v.errors(), err);
      return kExitErrors;
    }
    if (unchanged) {
      out << o.files[i] << ": " << loaded[i].authority.id << " is unchanged (the same as version "
          << v.value() << "): nothing recorded\n";
      continue;
    }
    out << o.files[i] << ": " << loaded[i].authority.id << " is now at version " << v.value()
        << "\n";
  }
  return kExitOk;
}

int Export(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  auto db = Open(o, false, err);
  if (!db) return kExitErrors;
  Result<store::Snapshot> s = o.version > 0   ? db->AtVersion(o.authority, o.version)
                              : !o.at.empty() ? db->AtTime(o.authority, o.at)
                                              : db->Current(o.authority);
  if (!s.ok()) {
    PrintErrors(s.errors(), err);
    return kExitErrors;
  }
  out << (o.format == "json" ? load::ArrangementsToJson(s.value().arrangements)
                             : load::WriteArrangements(s.value().arrangements));
  return kExitOk;
}

int History(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  auto db = Open(o, false, err);
  if (!db) return kExitErrors;
  Result<std::vector<store::HistoryEntry>> h = db->History(o.authority);
  if (!h.ok()) {
    PrintErrors(h.errors(), err);
    return kExitErrors;
  }
  for (const store::HistoryEntry& e : h.value()) {
    // What people typed (author, reason, ids in the summary) is escaped before it reaches a
    // terminal.
    out << "version " << e.version << "  " << EscapeForTerminal(e.at) << "  "
        << EscapeForTerminal(e.kind) << " by " << EscapeForTerminal(e.author) << "\n  "
        << EscapeForTerminal(e.reason) << "\n  "
        << EscapeForTerminal(store::SummariseChange(e.diff_json)) << "\n  hash "
        << EscapeForTerminal(e.hash.substr(0, 16)) << "\n";
  }
  return kExitOk;
}

int Verify(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  auto db = Open(o, false, err);
  if (!db) return kExitErrors;
  store::VerifyOptions options;
  options.checkpoint = o.checkpoint;
  for (const std::string& file : o.pruned_files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      err << "assure verify: cannot read the pruned file '" << file << "'\n";
      return kExitErrors;
    }
    options.pruned.emplace_back(std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>());
  }
  Result<store::VerifyReport> r = db->Verify(options);
  if (!r.ok()) {
    PrintErrors(r.errors(), err);
    return kExitErrors;
  }
  const store::VerifyReport& report = r.value();
  for (const std::string& p : report.problems) out << p << "\n";
  for (const std::string& n : report.notes) out << "note: " << n << "\n";
  out << (report.ok ? "ok: " : "BROKEN: ") << report.entries_checked << " history entries checked, "
      << report.audit_records_checked << " audit records, " << report.auth_events_checked
      << " sign-in events"
      << (report.ok ? std::string(", every hash, link and authentication code holds") +
                          (o.checkpoint.empty() ? "" : ", and the checkpoint") + "\n"
                    : ", " + std::to_string(report.problems.size()) + " problems\n");
  return r.value().ok ? kExitOk : kExitProblems;
}

// A password of 20 letters and digits from libsodium's random generator (about 119 bits).
std::string NewPassword() {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string password;
  for (int i = 0; i < 20; ++i) {
    password += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  }
  return password;
}

int UserAdd(const StoreOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
  if (sodium_init() < 0) {
    err << "assure user add: libsodium could not start\n";
    return kExitErrors;
  }
  std::string password;
  const bool generated = !o.password_stdin;
  if (o.password_stdin) {
    std::getline(in, password);
  } else {
    password = NewPassword();
  }
  auto db = Open(o, true, err);
  if (!db) return kExitErrors;
  store::Accounts& accounts = db->accounts();
  const bool exists = accounts.GetUser(o.user_name).ok();
  if (exists && !o.reset) {
    err << "assure user add: the user '" << o.user_name
        << "' exists (--reset gives them a new password)\n";
    return kExitErrors;
  }
  if (exists) {
    auto done = accounts.SetPassword(o.user_name, password);
    if (!done.ok()) {
      PrintErrors(done.errors(), err);
      return kExitErrors;
    }
  } else {
    auto user = accounts.AddUser(o.user_name, password, o.site_admin);
    if (!user.ok()) {
      PrintErrors(user.errors(), err);
      return kExitErrors;
    }
  }
  out << (exists ? "reset the password of " : "added ") << o.user_name
      << (o.site_admin && !exists ? " (site administrator)" : "") << "\n";
  if (generated) out << "password: " << password << "\n";
  return kExitOk;
}

int UserGrant(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  const auto role = Parse<Role>(o.role);
  if (!role) {
    err << "assure user grant: ROLE must be viewer, editor, approver or admin\n";
    return kExitErrors;
  }
  auto db = Open(o, false, err);
  if (!db) return kExitErrors;
  auto done = db->accounts().SetRole(o.user_name, o.authority, *role);
  if (!done.ok()) {
    PrintErrors(done.errors(), err);
    return kExitErrors;
  }
  out << o.user_name << " is now " << o.role << " of " << o.authority << "\n";
  return kExitOk;
}

int UserList(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  auto db = Open(o, false, err);
  if (!db) return kExitErrors;
  auto users = db->accounts().ListUsers();
  if (!users.ok()) {
    PrintErrors(users.errors(), err);
    return kExitErrors;
  }
  for (const store::User& u : users.value()) {
    out << u.name << (u.site_admin ? "  site administrator" : "")
        << (u.disabled_at ? "  disabled since " + *u.disabled_at : "") << "\n";
  }
  return kExitOk;
}

// Disables, enables, deletes or signs out a user, in the database and so at once for every
// server on it (an API token a server found good within the last second may serve it until that
// second is over).
int UserCutOff(const StoreCommands& c, const StoreOptions& o, std::ostream& out,
               std::ostream& err) {
  auto db = Open(o, false, err);
  if (!db) return kExitErrors;
  store::Accounts& accounts = db->accounts();
  std::string said;
  Result<store::Done> done = store::Done{};
  if (c.user_disable->parsed()) {
    done = accounts.DisableUser(o.user_name);
    said = " is disabled: they cannot sign in, and every session and API token of theirs ended";
  } else if (c.user_enable->parsed()) {
    done = accounts.EnableUser(o.user_name);
    said = " may sign in again (their old sessions and API tokens stay ended)";
  } else if (c.user_delete->parsed()) {
    if (!o.confirm) {
      err << "assure user delete: add --yes to delete " << o.user_name
          << " (their roles, sessions and tokens go; the history keeps their name). To stop "
             "them signing in but keep the account: assure user disable\n";
      return kExitErrors;
    }
    done = accounts.DeleteUser(o.user_name);
    said = " is deleted, with their roles, sessions and API tokens";
  } else {
    Result<int64_t> ended = accounts.SignOutEverywhere(o.user_name);
    if (ended.ok()) {
      said = " is signed out everywhere: " + std::to_string(ended.value()) +
             " sessions and API tokens ended";
    } else {
      done = ended.errors();
    }
  }
  if (!done.ok()) {
    PrintErrors(done.errors(), err);
    return kExitErrors;
  }
  const std::string kind = c.user_disable->parsed()  ? "user_disabled"
                           : c.user_enable->parsed() ? "user_enabled"
                           : c.user_delete->parsed() ? "user_deleted"
                                                     : "user_signed_out";
  accounts.RecordAuthEvent({"", kind, o.user_name, "command line", "by " + o.user});
  out << o.user_name << said << "\n";
  return kExitOk;
}

int Serve(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  const Result<Catalogue>& catalogue = load::BuiltInCatalogue();
  if (!catalogue.ok()) {
    PrintErrors(catalogue.errors(), err);
    return kExitErrors;
  }
  auto db = Open(o, true, err);
  if (!db) return kExitErrors;
  server::Router router;
  server::ApiOptions api;
  api.now = store::SystemClock();
  api.secure_cookies = !o.insecure_cookies;
  server::AddApiRoutes(router, *db, catalogue.value(), api);
  server::ServerOptions options;
  options.max_body_bytes_at = server::ApiBodyLimits();
  options.listen = o.listen;
  options.threads = o.threads;
  options.trusted_proxies = o.trusted_proxies;
  options.max_connections_per_address = o.max_connections_per_address;
  server::HttpServer http(options, router, err);
  Result<int> port = http.Start();
  if (!port.ok()) {
    PrintErrors(port.errors(), err);
    return kExitErrors;
  }
  const std::string host = o.listen.substr(0, o.listen.rfind(':'));
  out << "Assure is serving on http://" << host << ":" << port.value() << "/ (database: " << o.db
      << "). Stop it with Ctrl-C or SIGTERM.\n"
      << std::flush;
  return server::ServeUntilSignalled(http);
}

}  // namespace

StoreCommands AddStoreCommands(CLI::App& app, StoreOptions& o) {
  StoreCommands c;
  c.import = app.add_subcommand(
      "import", "Record arrangements files in the database, each as a new version with a reason");
  c.import->add_option("FILE", o.files, "Arrangements files (YAML)")->required();
  c.import->add_option("--reason", o.reason, "Why: kept in the history (required)");
  c.import->add_option("--author", o.author, "Who, for the history (default: your login name)");
  c.import->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.import->footer(
      "\nEvery file is validated first; with any error, nothing is imported (exit 2).\n"
      "\nExample:\n  assure import examples/*.yaml --reason \"Initial load\" --db council.db\n");

  c.export_ = app.add_subcommand(
      "export", "Print an authority's arrangements from the database, now or as they were");
  c.export_->add_option("AUTHORITY", o.authority, "The authority's id")->required();
  c.export_->add_option("--version", o.version, "A past version (see 'assure history')");
  c.export_->add_option("--at", o.at,
                        "As they stood at a date (YYYY-MM-DD, end of day, UTC) or instant");
  c.export_->add_option("--format", o.format, "yaml (an arrangements file) or json")
      ->check(CLI::IsMember({"yaml", "json"}))
      ->default_val("yaml");
  c.export_->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.export_->footer(
      "\nExamples:\n  assure export wexbridge --db council.db > wexbridge.yaml\n"
      "  assure export wexbridge --at 2024-03-31 --db council.db\n");

  c.history = app.add_subcommand("history", "List every change made to an authority");
  c.history->add_option("AUTHORITY", o.authority, "The authority's id")->required();
  c.history->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.history->footer(
      "\nEach version says when it was recorded, by whom, why, and what changed in it.\n"
      "\nExample:\n  assure history wexbridge --db council.db\n");

  c.verify = app.add_subcommand(
      "verify", "Check that the history has not been altered: every hash and link in its chain");
  c.verify->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.verify->add_option("--checkpoint", o.checkpoint,
                       "A digest printed by 'assure checkpoint': also prove that nothing before "
                       "it was removed or rewritten");
  c.verify->add_option("--pruned", o.pruned_files,
                       "Files written by 'assure prune-auth-log': check them against their prunes");
  c.serve = app.add_subcommand("serve", "Serve the JSON API (/api/v1) over HTTP");
  c.serve->add_option("--listen", o.listen, "Address and port: 127.0.0.1:8080, [::1]:8080")
      ->capture_default_str();
  c.serve->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.serve->add_option("--threads", o.threads, "Threads serving requests")->capture_default_str();
  c.serve
      ->add_option("--trusted-proxy", o.trusted_proxies,
                   "The IP address of a reverse proxy in front (may be given more than once): "
                   "only from it is X-Forwarded-For believed, its last address then being the "
                   "client's for the log and the per-address limits")
      ->take_all();
  c.serve
      ->add_option("--max-connections-per-address", o.max_connections_per_address,
                   "Open connections one client address may hold")
      ->capture_default_str();
  c.serve->add_flag("--insecure-cookies", o.insecure_cookies,
                    "Send the session cookie without Secure: only for plain HTTP to a host other "
                    "than localhost (a Secure cookie is kept for HTTPS and http://localhost)");
  c.serve->add_flag("--secure-cookies", o.secure_cookies, "Secure cookies: the default")->group("");
  c.serve->footer(
      "\nLogs one JSON line per request to standard error. SIGTERM stops it gracefully:\n"
      "requests in flight finish first. The API is described at /api/v1/openapi.json.\n"
      "\nExamples:\n  assure serve --db council.db\n"
      "  assure serve --listen 0.0.0.0:8080 --db postgresql://assure@db/assure\n");

  c.user = app.add_subcommand(
      "user", "Manage users: add, grant, list, and cut off: disable, enable, delete, sign-out");
  c.user->require_subcommand(1);
  c.user->footer(
      "\nWhen an account may be compromised:\n"
      "  assure user disable NAME      no more sign-ins; every session and API token ends now\n"
      "  assure user add NAME --reset  a new password (then: assure user enable NAME)\n"
      "Each takes effect at once, on every server using the database.\n"
      "\nRun 'assure user SUBCOMMAND --help' for a subcommand's options.\n"
      "\nExamples:\n  assure user add alice --admin --db council.db\n"
      "  assure user grant bob wexbridge editor --db council.db\n");
  c.user_add = c.user->add_subcommand("add", "Add a user (prints a generated password)");
  c.user_add->add_option("NAME", o.user_name, "The sign-in name")->required();
  c.user_add->add_flag("--admin", o.site_admin, "A site administrator: sees and manages all");
  c.user_add->add_flag("--password-stdin", o.password_stdin,
                       "Read the password from standard input instead of generating one");
  c.user_add->add_flag(
      "--reset", o.reset,
      "When the user exists, give them a new password (which signs them out everywhere)");
  c.user_add->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.user_add->footer("\nExample:\n  assure user add alice --admin --db council.db\n");
  c.user_grant = c.user->add_subcommand("grant", "Give a user a role on an authority");
  c.user_grant->add_option("NAME", o.user_name, "The user")->required();
  c.user_grant->add_option("AUTHORITY", o.authority, "The authority's id")->required();
  c.user_grant->add_option("ROLE", o.role, "viewer, editor, approver or admin")->required();
  c.user_grant->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.user_list = c.user->add_subcommand("list", "List the users, and which are disabled");
  c.user_list->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.user_disable = c.user->add_subcommand(
      "disable", "Stop a user signing in, and end every session and API token of theirs, at once");
  c.user_enable = c.user->add_subcommand(
      "enable", "Let a disabled user sign in again (their old sessions and tokens stay ended)");
  c.user_delete = c.user->add_subcommand(
      "delete",
      "Delete a user with their roles, sessions and tokens (the history keeps their name)");
  c.user_sign_out = c.user->add_subcommand(
      "sign-out", "End every session and revoke every API token of a user; the password stays");
  for (CLI::App* cut : {c.user_disable, c.user_enable, c.user_delete, c.user_sign_out}) {
    cut->add_option("NAME", o.user_name, "The user")->required();
    cut->add_option("--db", o.db, kDbHelp)->capture_default_str();
  }
  c.user_delete->add_flag("--yes", o.confirm, "Yes, delete (required)");
  c.user_disable->footer(
      "\nThe last site administrator who can sign in cannot be disabled or deleted.\n"
      "\nExample:\n  assure user disable alice --db council.db\n");
  c.user_sign_out->footer("\nExample:\n  assure user sign-out alice --db council.db\n");
  c.user_grant->footer("\nExample:\n  assure user grant bob wexbridge editor --db council.db\n");

  c.verify->footer(
      "\nChecks every authority's chain of entries, and, with the key (--key), each entry's and\n"
      "head's authentication code, the audit log of account changes against the users, grants,\n"
      "tokens and sessions in the database, and the log of sign-ins against its seal. Without\n"
      "the key it checks the hashes and links and says that the codes could not be (exit 1).\n"
      "\nExit code: 0 when the chain holds, 1 when it is broken (each break is "
      "named), 2 when the database cannot be read.\n"
      "\nExamples:\n  assure verify --db council.db\n"
      "  assure verify --db council.db --checkpoint 3f1c...e9 --pruned auth-2025.jsonl\n");
  for (CLI::App* command :
       {c.import, c.export_, c.history, c.verify, c.serve, c.user_add, c.user_grant}) {
    AddKeyOption(*command, o);
  }
  return c;
}

int RunStoreCommand(const StoreCommands& c, const StoreOptions& o, std::istream& in,
                    std::ostream& out, std::ostream& err) {
  if (c.serve->parsed()) return Serve(o, out, err);
  if (c.user_add->parsed()) return UserAdd(o, in, out, err);
  if (c.user_grant->parsed()) return UserGrant(o, out, err);
  if (c.user_list->parsed()) return UserList(o, out, err);
  if (c.user_disable->parsed() || c.user_enable->parsed() || c.user_delete->parsed() ||
      c.user_sign_out->parsed()) {
    return UserCutOff(c, o, out, err);
  }
  if (c.import->parsed()) return Import(o, out, err);
  if (c.export_->parsed()) return Export(o, out, err);
  if (c.history->parsed()) return History(o, out, err);
  if (c.verify->parsed()) return Verify(o, out, err);
  return -1;
}

}  // namespace assure::cli
