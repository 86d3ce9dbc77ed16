#include "core/warnings.hpp"

#include <algorithm>

namespace assure {
namespace {

// The GSS entity code (the first three characters) an authority of each type has.
std::string_view GssPrefixOf(AuthorityType type) {
  switch (type) {
    case AuthorityType::kCounty:
      return "E10";
    case AuthorityType::kUnitary:
    case AuthorityType::kIslesOfScilly:
      return "E06";
    case AuthorityType::kMetropolitanBorough:
      return "E08";
    case AuthorityType::kLondonBorough:
    case AuthorityType::kCityOfLondon:
      return "E09";
    case AuthorityType::kDistrict:
      return "E07";
  }
  return {};
}

std::string_view TypeNameOf(std::string_view prefix) {
  if (prefix == "E06") return "a unitary authority";
  if (prefix == "E08") return "a metropolitan district";
  if (prefix == "E09") return "a London borough";
  if (prefix == "E10") return "a county council";
  return "another kind of area";
}

std::string Entry(std::string_view list, size_t i) {
  return "assurance." + std::string(list) + "[" + std::to_string(i) + "]";
}

// Only what the checks leave out: dated after the file's as_of and after the date judged at (the
// example of a departure planned for a later meeting, judged at that meeting, is no slip).
void DatedAfterAsOf(const Arrangements& a, Date judged_at, std::vector<Warning>& out) {
  const Date as_of = std::max(a.authority.as_of, judged_at);
  const std::string after =
      ", after the file's as_of (" + a.authority.as_of.ToString() +
      "), so the checks leave it out: if the date is a slip, correct it; if it is still to come, "
      "judge at a later date (assure check --as-of) to see it counted";
  for (size_t i = 0; i < a.assurance.reviews.size(); ++i) {
    const Review& r = a.assurance.reviews[i];
    if (r.date <= as_of) continue;
    out.push_back({"dated-after-as-of",
                   "the review '" + r.id + "' is dated " + r.date.ToString() + after,
                   Entry("reviews", i) + ".date"});
  }
  for (size_t i = 0; i < a.assurance.changes.size(); ++i) {
    const Change& c = a.assurance.changes[i];
    if (c.date <= as_of) continue;
    out.push_back({"dated-after-as-of",
                   "the change " + Entry("changes", i) + " (" + std::string(NameOf(c.kind)) +
                       ") is dated " + c.date.ToString() + after,
                   Entry("changes", i) + ".date"});
  }
  for (size_t i = 0; i < a.assurance.departures.size(); ++i) {
    const Departure& d = a.assurance.departures[i];
    if (!d.agreed_on || *d.agreed_on <= as_of) continue;
    out.push_back(
        {"dated-after-as-of",
         "the departure from " + d.check + " was agreed on " + d.agreed_on->ToString() + after,
         Entry("departures", i) + ".agreed_on"});
  }
}

void ApprovedBeforeReview(const Arrangements& a, std::vector<Warning>& out) {
  for (size_t i = 0; i < a.assurance.reviews.size(); ++i) {
    const Review& r = a.assurance.reviews[i];
    if (!r.approved_on || *r.approved_on >= r.date) continue;
    out.push_back({"approved-before-review",
                   "the review '" + r.id + "' was approved on " + r.approved_on->ToString() +
                       ", before its own date (" + r.date.ToString() +
                       "): a review is approved once it is done; check both dates",
                   Entry("reviews", i) + ".approved_on"});
  }
}

void GssCode(const Arrangements& a, std::vector<Warning>& out) {
  if (!a.authority.gss_code) return;
  const std::string& code = *a.authority.gss_code;
  if (!IsUpperTierGssCode(code)) {
    out.push_back({"not-a-gss-code",
                   "'" + code +
                       "' is not the GSS code of an upper-tier authority: that is E06 (unitary), "
                       "E08 (metropolitan district), E09 (London borough) or E10 (county) "
                       "followed by six digits, such as E10000014; leave gss_code out if unsure",
                   "authority.gss_code"});
    return;
  }
  const std::string_view prefix = std::string_view(code).substr(0, 3);
  const std::string_view expected = GssPrefixOf(a.authority.type);
  if (prefix == expected) return;
  out.push_back({"gss-code-type",
                 "'" + code + "' is the code of " + std::string(TypeNameOf(prefix)) +
                     ", but the authority's type is " + std::string(NameOf(a.authority.type)) +
                     " (whose codes start " + std::string(expected) +
                     "): check the code or the type",
                 "authority.gss_code"});
}

void JudgedBeforeAsOf(const Arrangements& a, Date judged_at, std::vector<Warning>& out) {
  if (judged_at >= a.authority.as_of) return;
  out.push_back(
      {"judged-before-as-of",
       "judging at " + judged_at.ToString() + ", earlier than the file's as_of (" +
           a.authority.as_of.ToString() +
           "), leaves out the reviews, changes and departures dated after it, but the posts, "
           "people and bodies are still as the file records them on " +
           a.authority.as_of.ToString() +
           ". The arrangements as they stood then come from the history: assure export "
           "AUTHORITY --at " +
           judged_at.ToString() + " (for authorities imported with assure import)",
       "authority.as_of"});
}

}  // namespace

bool IsUpperTierGssCode(std::string_view code) {
  if (code.size() != 9) return false;
  const std::string_view prefix = code.substr(0, 3);
  if (prefix != "E06" && prefix != "E08" && prefix != "E09" && prefix != "E10") return false;
  for (char c : code.substr(3)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::vector<Warning> FindWarnings(const Arrangements& arrangements, Date judged_at) {
  std::vector<Warning> out;
  DatedAfterAsOf(arrangements, judged_at, out);
  ApprovedBeforeReview(arrangements, out);
  GssCode(arrangements, out);
  JudgedBeforeAsOf(arrangements, judged_at, out);
  return out;
}

}  // namespace assure
