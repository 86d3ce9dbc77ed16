// Runs the `assure` command in process, as the command-line tests do.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace assure::testing {

// What one run of the command gave: its exit code, standard output and standard error.
struct Outcome {
  int code;
  std::string out;
  std::string err;
};

// Runs `assure ARGS...` with empty standard input and no environment.
inline Outcome Assure(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  std::istringstream in;
  const int code = cli::Run(args, in, out, err, {});
  return {code, out.str(), err.str()};
}

}  // namespace assure::testing
