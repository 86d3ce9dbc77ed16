// A copy of an SQLite database made with SQLite's online backup API (store.hpp: BackupSqlite).
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/ledger.hpp"

namespace assure::store {

Result<Done> BackupSqlite(const std::string& from, const std::string& to) {
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) {
    return Fail(ErrorCode::kInvalid, "to: '" + to + "' exists; give a new file", "to");
  }
  sqlite3* source = nullptr;
  sqlite3* copy = nullptr;
  auto close = [&] {
    sqlite3_close_v2(copy);
    sqlite3_close_v2(source);
  };
  auto fail = [&](const std::string& what, sqlite3* db) {
    std::vector<Error> e =
        Fail(ErrorCode::kUnavailable, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
    close();
    std::filesystem::remove(to, ec);
    return e;
  };
  if (sqlite3_open_v2(from.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return fail("cannot open the database '" + from + "'", source);
  }
  if (sqlite3_open_v2(to.c_str(), &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    return fail("cannot create the backup '" + to + "'", copy);
  }
  sqlite3_backup* backup = sqlite3_backup_init(copy, "main", source, "main");
  if (backup == nullptr) return fail("cannot start the backup", copy);
  // A few hundred pages a step, with a pause between steps, so that writers go on meanwhile;
  // a write to the source during the copy makes SQLite start the copy again, so the result is
  // always one committed state.
  int rc = SQLITE_OK;
  for (;;) {
    rc = sqlite3_backup_step(backup, 256);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(rc == SQLITE_OK ? 0 : 5));
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return fail("the backup failed", copy);
  // The copy is an ordinary database file, in WAL mode as the source is: fold its log in, so
  // that the one file is the whole copy.
  if (sqlite3_wal_checkpoint_v2(copy, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) !=
      SQLITE_OK) {
    return fail("cannot finish the backup", copy);
  }
  close();
  return Done{};
}

}  // namespace assure::store
