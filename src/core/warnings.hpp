// Warnings: what an arrangements file may validly say but almost certainly did not mean (a review
// dated after the file's as_of, an approval before its review, a GSS code of the wrong shape), and
// a date to judge at that cannot do what it seems to. A warning never changes a finding or the
// exit status; `assure check` prints them (text: on stderr; JSON: the report's `warnings`), and so
// does the JSON API's findings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/arrangements.hpp"
#include "core/date.hpp"

namespace assure {

struct Warning {
  std::string code;     // what kind of slip, a stable word: see kWarningCodes
  std::string message;  // a sentence a person can act on, naming the entry (with its id)
  std::string field;    // the field concerned as a plain path ("assurance.reviews[0].date")
};

// Every warning code, in the order they are looked for:
//   dated-after-as-of       a review, change or departure dated after the file's as_of
//   approved-before-review  a review's approved_on before its date
//   not-a-gss-code          authority.gss_code not shaped like an upper-tier authority's code
//   gss-code-type           a well-shaped code whose prefix is another type of authority's
//   judged-before-as-of     judging at a date earlier than the file's as_of
inline constexpr std::string_view kWarningCodes[] = {"dated-after-as-of", "approved-before-review",
                                                     "not-a-gss-code", "gss-code-type",
                                                     "judged-before-as-of"};

// Returns the warnings for `arrangements` judged at `judged_at` (the file's own as_of unless the
// user asked for another date), in the order of kWarningCodes and, within one code, of the file.
std::vector<Warning> FindWarnings(const Arrangements& arrangements, Date judged_at);

// Whether `code` is shaped like the GSS code of an English upper-tier authority: E06 (unitary),
// E08 (metropolitan district), E09 (London borough, and the City of London) or E10 (county),
// then six digits.
bool IsUpperTierGssCode(std::string_view code);

}  // namespace assure
