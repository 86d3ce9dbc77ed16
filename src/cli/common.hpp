// What the `assure` command's parts share: exit codes, the --db option's help, and how errors
// are printed. Private to src/cli.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace assure::cli {

inline constexpr int kExitOk = 0;        // done; no must or should check fails
inline constexpr int kExitProblems = 1;  // done, and something is wrong (a failing check, a break)
inline constexpr int kExitErrors = 2;    // could not be done: bad input, no database

inline constexpr const char* kDbHelp =
    "The database: an SQLite file (default assure.db; created by import) or a PostgreSQL "
    "URL, postgresql://user@host:port/dbname";

// Whether `db` names a PostgreSQL database rather than an SQLite file.
inline bool IsPostgres(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

// Prints each error on a line of its own, as FILE:LINE:COL: field: message where known.
inline void PrintErrors(const std::vector<Error>& errors, std::ostream& err) {
  for (const Error& e : errors) err << e.ToString() << "\n";
}

}  // namespace assure::cli
