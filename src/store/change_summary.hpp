// A history entry's change in words, for people reading the history: "posts: dcs reports_to
// changed; members: 1 added". Used by `assure history` and the history API alike.
#pragma once

#include <string>
#include <string_view>

namespace assure::store {

// Summarises a history entry's diff (HistoryEntry::diff_json, a JSON Patch over the keyed JSON
// form of the arrangements). One part per area (authority, people, posts, members, bodies,
// functions_commissioned, reviews, changes, departures, published, review_interval_months), in
// the order first met, separated by "; ": entries added and removed are counted, an entry whose
// fields changed is named with its fields ("dcs-post reports_to, holder changed"). A whole
// document gives "the whole arrangements", a deletion "deleted", an empty patch "no change".
// Text that is not a JSON Patch gives "a change that cannot be read".
std::string SummariseChange(std::string_view diff_json);

}  // namespace assure::store
