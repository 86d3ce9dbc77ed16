#include "cli/store_commands.hpp"

#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "load/arrangements_json.hpp"
#include "load/arrangements_yaml.hpp"
#include "load/catalogue_yaml.hpp"
#include "server/api.hpp"
#include "server/http_server.hpp"
#include "store/accounts.hpp"
#include "store/change_summary.hpp"
#include "store/store.hpp"

namespace assure::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitProblems = 1;
constexpr int kExitErrors = 2;

constexpr const char* kDbHelp =
    "The database: an SQLite file (default assure.db; created by import) or a PostgreSQL "
    "URL, postgresql://user@host:port/dbname";

bool IsPostgres(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

// Opens the database. Only `import` creates one: reading a file that is not there is a mistake
// (a wrong --db), not an empty history.
std::unique_ptr<store::Store> Open(const std::string& db, bool create, std::ostream& err) {
  if (!create && !IsPostgres(db)) {
    const std::string path = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
    if (!std::filesystem::exists(path)) {
      err << "assure: no database at '" << path
          << "' (give --db, or create one with 'assure import FILE --reason ...')\n";
      return nullptr;
    }
  }
  Result<std::unique_ptr<store::Store>> opened = store::OpenStore(db);
  if (!opened.ok()) {
    for (const Error& e : opened.errors()) err << "assure: " << e.message << "\n";
    return nullptr;
  }
  return std::move(opened).value();
}

void PrintErrors(const std::vector<Error>& errors, std::ostream& err) {
  for (const Error& e : errors) err << e.ToString() << "\n";
}

int Import(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  if (o.reason.find_first_not_of(" \t") == std::string::npos) {
    err << "assure import: --reason is required: say why, for the history\n";
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
  auto db = Open(o.db, true, err);
  if (!db) return kExitErrors;
  const std::string author = o.author.empty() ? o.user : o.author;
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
  auto db = Open(o.db, false, err);
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
  auto db = Open(o.db, false, err);
  if (!db) return kExitErrors;
  Result<std::vector<store::HistoryEntry>> h = db->History(o.authority);
  if (!h.ok()) {
    PrintErrors(h.errors(), err);
    return kExitErrors;
  }
  for (const store::HistoryEntry& e : h.value()) {
    out << "version " << e.version << "  " << e.at << "  " << e.kind << " by " << e.author << "\n  "
        << e.reason << "\n  " << store::SummariseChange(e.diff_json) << "\n  hash "
        << e.hash.substr(0, 16) << "\n";
  }
  return kExitOk;
}

int Verify(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  auto db = Open(o.db, false, err);
  if (!db) return kExitErrors;
  Result<store::VerifyReport> r = db->Verify();
  if (!r.ok()) {
    PrintErrors(r.errors(), err);
    return kExitErrors;
  }
  for (const std::string& p : r.value().problems) out << p << "\n";
  out << (r.value().ok ? "ok: " : "BROKEN: ") << r.value().entries_checked
      << " history entries checked"
      << (r.value().ok ? ", every hash and link in the chain holds\n"
                       : ", " + std::to_string(r.value().problems.size()) + " problems\n");
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
  auto db = Open(o.db, true, err);
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
  auto db = Open(o.db, false, err);
  if (!db) return kExitErrors;
  auto done = db->accounts().SetRole(o.user_name, o.authority, *role);
  if (!done.ok()) {
    PrintErrors(done.errors(), err);
    return kExitErrors;
  }
  out << o.user_name << " is now " << o.role << " of " << o.authority << "\n";
  return kExitOk;
}

int Serve(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  const Result<Catalogue>& catalogue = load::BuiltInCatalogue();
  if (!catalogue.ok()) {
    PrintErrors(catalogue.errors(), err);
    return kExitErrors;
  }
  auto db = Open(o.db, true, err);
  if (!db) return kExitErrors;
  server::Router router;
  server::ApiOptions api;
  api.now = store::SystemClock();
  api.secure_cookies = o.secure_cookies;
  server::AddApiRoutes(router, *db, catalogue.value(), api);
  server::ServerOptions options;
  options.listen = o.listen;
  options.threads = o.threads;
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
  c.serve = app.add_subcommand("serve", "Serve the JSON API (/api/v1) over HTTP");
  c.serve->add_option("--listen", o.listen, "Address and port: 127.0.0.1:8080, [::1]:8080")
      ->capture_default_str();
  c.serve->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.serve->add_option("--threads", o.threads, "Threads serving requests")->capture_default_str();
  c.serve->add_flag("--secure-cookies", o.secure_cookies,
                    "Mark session cookies Secure (when served behind HTTPS)");
  c.serve->footer(
      "\nLogs one JSON line per request to standard error. SIGTERM stops it gracefully:\n"
      "requests in flight finish first. The API is described at /api/v1/openapi.json.\n"
      "\nExamples:\n  assure serve --db council.db\n"
      "  assure serve --listen 0.0.0.0:8080 --db postgresql://assure@db/assure\n");

  c.user = app.add_subcommand("user", "Manage users: add, grant");
  c.user->require_subcommand(1);
  c.user->footer(
      "\nRun 'assure user add --help' or 'assure user grant --help' for their options.\n"
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
  c.user_grant->footer("\nExample:\n  assure user grant bob wexbridge editor --db council.db\n");

  c.verify->footer(
      "\nExit code: 0 when the chain holds, 1 when it is broken (each break is "
      "named), 2 when the database cannot be read.\n"
      "\nExample:\n  assure verify --db council.db\n");
  return c;
}

int RunStoreCommand(const StoreCommands& c, const StoreOptions& o, std::istream& in,
                    std::ostream& out, std::ostream& err) {
  if (c.serve->parsed()) return Serve(o, out, err);
  if (c.user_add->parsed()) return UserAdd(o, in, out, err);
  if (c.user_grant->parsed()) return UserGrant(o, out, err);
  if (c.import->parsed()) return Import(o, out, err);
  if (c.export_->parsed()) return Export(o, out, err);
  if (c.history->parsed()) return History(o, out, err);
  if (c.verify->parsed()) return Verify(o, out, err);
  return -1;
}

}  // namespace assure::cli
