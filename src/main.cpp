// The one place that wires concrete parts together.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  assure::cli::Terminal terminal;
  terminal.out_is_tty = isatty(STDOUT_FILENO) == 1;
  const char* no_color = std::getenv("NO_COLOR");
  terminal.no_colour = no_color != nullptr && *no_color != '\0';
  for (const char* name : {"USER", "LOGNAME"}) {
    const char* user = std::getenv(name);
    if (user != nullptr && *user != '\0' && terminal.user.empty()) terminal.user = user;
  }
  const int code = assure::cli::Run(args, std::cin, std::cout, std::cerr, terminal);
  std::cout.flush();
  return code;
}
