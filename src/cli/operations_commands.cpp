#include "cli/operations_commands.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "core/date.hpp"
#include "store/store.hpp"

extern char** environ;

namespace assure::cli {
namespace {

std::string SqlitePath(const std::string& db) {
  return db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
}

// Runs `args` (args[0] found on PATH) and waits for it. Returns its exit status, or -1 when it
// could not be started.
int RunProgram(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Writes `text` to the new file `path` (mode 0600: sign-ins name people and addresses) and
// syncs it to disk, so that it is safe before anything is removed.
Result<store::Done> WriteNewFile(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return std::vector<Error>{Error{ErrorCode::kUnavailable, path, 0, 0, "to",
                                    "cannot create '" + path + "': " + std::strerror(errno)}};
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool ok = done == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return std::vector<Error>{
        Error{ErrorCode::kUnavailable, path, 0, 0, "to", "cannot write '" + path + "'"}};
  }
  return store::Done{};
}

// Verifies the database named by `o` and prints the outcome in one line.
int VerifyAndSay(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  auto db = OpenDatabase(o, false, err);
  if (!db) return kExitErrors;
  Result<store::VerifyReport> r = db->Verify();
  if (!r.ok()) {
    PrintErrors(r.errors(), err);
    return kExitErrors;
  }
  for (const std::string& p : r.value().problems) out << p << "\n";
  out << (r.value().ok ? "verified: " : "BROKEN: ") << r.value().entries_checked
      << " history entries, " << r.value().audit_records_checked << " audit records, "
      << r.value().auth_events_checked << " sign-in events"
      << (r.value().ok ? "; every hash, link and authentication code holds\n" : "\n");
  return r.value().ok ? kExitOk : kExitProblems;
}

int Checkpoint(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  auto db = OpenDatabase(o, false, err);
  if (!db) return kExitErrors;
  Result<store::Checkpoint> c = db->MakeCheckpoint();
  if (!c.ok()) {
    PrintErrors(c.errors(), err);
    return kExitErrors;
  }
  out << c.value().digest << "  " << c.value().at << "\n";
  return kExitOk;
}

int Prune(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  std::string before = o.before;
  if (before.empty()) {
    if (o.keep_days < 1) {
      err << "assure prune-auth-log: --keep-days must be at least 1\n";
      return kExitErrors;
    }
    const std::optional<Date> today = Date::Parse(store::SystemClock()().substr(0, 10));
    if (!today) return kExitErrors;
    // Everything older than `keep_days` whole days: before the start of (today - keep_days).
    before = today->AddDays(-o.keep_days - 1).ToString();
  }
  if (std::filesystem::exists(o.to)) {
    err << "assure prune-auth-log: '" << o.to << "' exists; name a new file with --to\n";
    return kExitErrors;
  }
  auto db = OpenDatabase(o, false, err);
  if (!db) return kExitErrors;
  Result<int64_t> removed = db->PruneAuthEvents(
      before, [&](const std::string& text) { return WriteNewFile(o.to, text); });
  if (!removed.ok()) {
    PrintErrors(removed.errors(), err);
    return kExitErrors;
  }
  if (removed.value() == 0) {
    out << "no sign-in events before " << before << "; nothing removed, no file written\n";
    return kExitOk;
  }
  out << "removed " << removed.value() << " sign-in events made before " << before
      << "; they are in " << o.to << " (keep it: 'assure verify --pruned " << o.to
      << "' checks it)\n";
  return kExitOk;
}

int Backup(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  if (std::filesystem::exists(o.to)) {
    err << "assure backup: '" << o.to << "' exists; name a new file with --to\n";
    return kExitErrors;
  }
  if (IsPostgres(o.db)) {
    // pg_dump reads one consistent snapshot while the servers go on writing.
    const int status = RunProgram(
        {"pg_dump", "--format=custom", "--no-owner", "--file=" + o.to, "--dbname=" + o.db});
    if (status != 0) {
      err << "assure backup: pg_dump failed"
          << (status < 0 ? " to start (install postgresql-client)" : "") << "\n";
      std::filesystem::remove(o.to);
      return kExitErrors;
    }
  } else {
    const std::string path = SqlitePath(o.db);
    if (!std::filesystem::exists(path)) {
      err << "assure backup: no database at '" << path << "'\n";
      return kExitErrors;
    }
    Result<store::Done> done = store::BackupSqlite(path, o.to);
    if (!done.ok()) {
      PrintErrors(done.errors(), err);
      return kExitErrors;
    }
  }
  out << "backed up " << o.db << " to " << o.to << "\n";
  auto db = OpenDatabase(o, false, err);
  if (db) {
    out << "the key is not in the backup: keep a copy of " << db->KeyFile()
        << " apart from it (docs/deploy.md)\n";
  }
  return kExitOk;
}

int Restore(const StoreOptions& o, std::ostream& out, std::ostream& err) {
  if (!std::filesystem::exists(o.from)) {
    err << "assure restore: no backup at '" << o.from << "'\n";
    return kExitErrors;
  }
  if (IsPostgres(o.db)) {
    const int status = RunProgram({"pg_restore", "--clean", "--if-exists", "--no-owner",
                                   "--single-transaction", "--dbname=" + o.db, o.from});
    if (status != 0) {
      err << "assure restore: pg_restore failed"
          << (status < 0 ? " to start (install postgresql-client)" : "") << "\n";
      return kExitErrors;
    }
  } else {
    const std::string path = SqlitePath(o.db);
    if (std::filesystem::exists(path)) {
      err << "assure restore: '" << path
          << "' exists: stop the server and move it aside first, so that nothing is lost\n";
      return kExitErrors;
    }
    Result<store::Done> done = store::BackupSqlite(o.from, path);
    if (!done.ok()) {
      PrintErrors(done.errors(), err);
      return kExitErrors;
    }
  }
  out << "restored " << o.from << " to " << o.db << "\n";
  return VerifyAndSay(o, out, err);
}

}  // namespace

OperationsCommands AddOperationsCommands(CLI::App& app, StoreOptions& o) {
  OperationsCommands c;
  c.checkpoint = app.add_subcommand(
      "checkpoint", "Print a digest of the whole history so far, to keep outside the database");
  c.checkpoint->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.checkpoint->footer(
      "\nPrints one line: the digest (64 hex characters) and when it was made. The digest\n"
      "covers every authority's latest entry, the audit log of account changes and the log of\n"
      "sign-ins, and is recorded in the audit log. Keep these lines somewhere the database's\n"
      "writers cannot reach (another machine, a ticket, an email): given back to\n"
      "'assure verify --checkpoint DIGEST', it proves that nothing recorded before it was\n"
      "removed or rewritten since, even by someone who put back an older copy of the database.\n"
      "\nExamples:\n  assure checkpoint --db council.db >> /srv/elsewhere/checkpoints.txt\n"
      "  assure verify --db council.db --checkpoint 3f1c...e9\n");

  c.prune = app.add_subcommand(
      "prune-auth-log",
      "Remove old sign-in events, after writing them to a file that verify can still check");
  c.prune->add_option("--to", o.to, "The new file the removed events are written to (JSON lines)")
      ->required();
  c.prune->add_option("--keep-days", o.keep_days, "Keep the events of this many days")
      ->capture_default_str();
  c.prune->add_option("--before", o.before,
                      "Remove the events before this date (end of day, UTC) or UTC time instead");
  c.prune->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.prune->footer(
      "\nThe log of sign-ins and refusals names people and addresses, so it is kept for a\n"
      "time (400 days unless you say otherwise) and then removed. The events to remove are\n"
      "first written to --to (mode 0600, synced to disk); only then are they deleted, in the\n"
      "same transaction that records the prune in the audit log with the digest of what was\n"
      "removed. 'assure verify' goes on checking the rest of the log from that digest, and\n"
      "'assure verify --pruned FILE' checks the file against it. Nothing else can delete from\n"
      "the log: the database refuses it.\n"
      "\nExamples:\n  assure prune-auth-log --db council.db --to auth-events-2026-12.jsonl\n"
      "  assure prune-auth-log --keep-days 90 --to old.jsonl --db council.db\n");

  c.backup = app.add_subcommand("backup", "Copy the database while the server runs");
  c.backup->add_option("--to", o.to, "The new backup file")->required();
  c.backup->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.backup->footer(
      "\nSQLite: SQLite's online backup API, one consistent state, while servers write.\n"
      "PostgreSQL: pg_dump --format=custom (from postgresql-client), one snapshot.\n"
      "The key file is not in the backup: keep a copy of it apart from the backups (without\n"
      "it, a restored database can be read but not proven untouched). Restore with\n"
      "'assure restore'.\n"
      "\nExamples:\n  assure backup --db council.db --to /var/backups/assure/council-$(date "
      "+%F).db\n"
      "  assure backup --db postgresql://assure@db/assure --to assure-$(date +%F).dump\n");

  c.restore = app.add_subcommand("restore", "Put a backup back as the database, then verify it");
  c.restore->add_option("--from", o.from, "The backup file")->required();
  c.restore->add_option("--db", o.db, kDbHelp)->capture_default_str();
  c.restore->footer(
      "\nSQLite: --db must not exist (stop the server and move the old file aside first).\n"
      "PostgreSQL: pg_restore --clean into the database named. Then the database is verified\n"
      "with the key (--key, or beside it: copy the key file back first). Exit code: 0 when the\n"
      "restored database verifies, 1 when it does not, 2 when it could not be restored.\n"
      "\nExample:\n  assure restore --from council-2026-12-01.db --db council.db --key "
      "council.key\n");
  for (CLI::App* command : {c.checkpoint, c.prune, c.backup, c.restore}) {
    AddKeyOption(*command, o);
  }
  return c;
}

int RunOperationsCommand(const OperationsCommands& c, const StoreOptions& o, std::ostream& out,
                         std::ostream& err) {
  if (c.checkpoint->parsed()) return Checkpoint(o, out, err);
  if (c.prune->parsed()) return Prune(o, out, err);
  if (c.backup->parsed()) return Backup(o, out, err);
  if (c.restore->parsed()) return Restore(o, out, err);
  return -1;
}

}  // namespace assure::cli
