#include "core/error.hpp"

#include "core/characters.hpp"

namespace assure {

std::string Error::ToString() const {
  // Messages quote what was read, which is printed to a terminal: escaped, whatever it holds.
  std::string out;
  if (!file.empty()) {
    out.append(EscapeForTerminal(file));
    if (line > 0) {
      out.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
    }
    out.append(": ");
  }
  out.append(EscapeForTerminal(message));
  return out;
}

}  // namespace assure
