// Request targets: path and query. Private to the server module.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace assure::server {

// Percent-decodes `text` ('+' as a space too when `plus_is_space`, as in queries). A malformed
// escape is kept as it is.
std::string PercentDecode(std::string_view text, bool plus_is_space);

// Splits a request target into its path (still encoded) and its decoded query parameters (the
// first of repeated names wins). Requires: `*path` empty.
void SplitTarget(std::string_view target, std::string* path,
                 std::map<std::string, std::string>* query);

}  // namespace assure::server
