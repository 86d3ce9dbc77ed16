#include "core/error.hpp"

namespace assure {

std::string Error::ToString() const {
  std::string out;
  if (!file.empty()) {
    out.append(file);
    if (line > 0) {
      out.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
    }
    out.append(": ");
  }
  out.append(message);
  return out;
}

}  // namespace assure
