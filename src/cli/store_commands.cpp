#include "cli/store_commands.hpp"

#include <filesystem>

#include "load/arrangements_json.hpp"
#include "load/arrangements_yaml.hpp"
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
    Result<int64_t> v = db->Import(loaded[i], {author, o.reason, "import"});
    if (!v.ok()) {
      PrintErrors(v.errors(), err);
      return kExitErrors;
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
        << e.reason << "\n  " << e.diff_json.size() << " bytes of changes; hash "
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

  c.verify = app.add_subcommand(
      "verify", "Check that the history has not been altered: every hash and link in its chain");
  c.verify->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.verify->footer(
      "\nExit code: 0 when the chain holds, 1 when it is broken (each break is "
      "named), 2 when the database cannot be read.\n");
  return c;
}

int RunStoreCommand(const StoreCommands& c, const StoreOptions& o, std::ostream& out,
                    std::ostream& err) {
  if (c.import->parsed()) return Import(o, out, err);
  if (c.export_->parsed()) return Export(o, out, err);
  if (c.history->parsed()) return History(o, out, err);
  if (c.verify->parsed()) return Verify(o, out, err);
  return -1;
}

}  // namespace assure::cli
