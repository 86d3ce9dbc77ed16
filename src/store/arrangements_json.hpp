// Private to src/store: the JSON form of arrangements that history diffs are taken over.
#pragma once

#include <nlohmann/json.hpp>

#include "core/arrangements.hpp"

namespace assure::store {

// Returns the arrangements as JSON, with the file's field names and spellings. Lists of records
// that carry an id are objects keyed by that id (posts, people, bodies, functions_commissioned,
// reviews; members by person, a body's seats by who, departures by check), so that a JSON Patch
// between two versions names what changed: `/posts/exec-director-people/holder`. Changes have no
// id and stay a list. A list whose keys are not unique stays a list. Facts not recorded are left
// out. Order within keyed lists is not kept (the stored snapshot keeps it).
nlohmann::json ArrangementsToJson(const Arrangements& arrangements);

}  // namespace assure::store
