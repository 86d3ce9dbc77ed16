// The `assure` command: parses arguments and calls the rest. Writes to the streams it is given,
// so tests run it in process.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace assure::cli {

struct Terminal {
  bool out_is_tty = false;  // colour only when writing to a terminal
  bool no_colour = false;   // NO_COLOR is set
  std::string user;         // the login name, for the history of changes made from here
};

// Runs the command line `args` (without the program name). Returns the exit code: for
// `check`, 0 when no must or should check fails, 1 when one does, 2 when a file cannot be read
// or has errors; for the other commands 0 on success, 2 on a usage error.
int Run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err, const Terminal& terminal);

}  // namespace assure::cli
