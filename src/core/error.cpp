#include "core/error.hpp"

namespace assure {

std::string Error::ToString() const {
  std::string out;
  out.append(file.empty() ? std::string_view("<input>") : std::string_view(file));
  if (line > 0) {
    out.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
  }
  out.append(": ").append(message);
  return out;
}

}  // namespace assure
