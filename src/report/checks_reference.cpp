#include "report/checks_reference.hpp"

#include <fmt/format.h>

#include "core/checks.hpp"

namespace assure::report {

namespace {

constexpr std::string_view kIntro = R"(# The checks

This reference is generated from the program's own table of checks (the one `assure explain`
prints) and from its guidance catalogue; a test keeps it in step. Each check reads an
arrangements file (see `format.md`) and judges one thing that the law, the 2013 statutory
guidance on the roles of the Director of Children's Services (DCS) and the Lead Member for
Children's Services (LMCS), or the advice to chief executives asks of the authority. Check ids,
their meaning and their modality are stable: departures are recorded against the ids.

## Outcomes

| status | meaning |
| --- | --- |
| `pass` | the arrangements meet it |
| `fail` | they do not; the message names the posts, people or bodies concerned, and `fix` says what to change in the file |
| `departure` | a `should` or `advice` check fails, but an agreed departure covers it: a reason, `agreed_on` on or before the date of judgement, `review_by` absent or not before it |
| `not_recorded` | the file lacks a fact needed to judge; `fix` names the field to fill |
| `not_applicable` | the check does not apply (a district council is not a children's services authority, so every check is `not_applicable` there) |

A departure never excuses a `must`: the check stays `fail`. An expired departure does not apply.
`assure check` exits 1 when a `must` or `should` check fails.

## Modality, and where it comes from

- `must`: a legal requirement. Where the guidance describes a requirement that an Act imposes
  (the DCS is a politically restricted post; the DCS sits on the health and wellbeing board; a
  Director of Public Health; a schools forum), the force is the Act's, and each check says which.
- `should`: the statutory guidance, to which the authority must have regard (Children Act 2004
  ss18(7) and 19(2)); departing needs clear reasons.
- `advice`: good practice ("strongly encouraged", or the advice to chief executives).

Each check's force is carried by a duty of the guidance catalogue (`assure catalogue show ID`);
its force source is that duty's paragraph, or the Act and the paragraph that describes it.

## Rules that hold across checks

- **Order of judgement.** A check first decides whether it applies. Then it judges every part it
  can without a missing role or fact: if such a part fails, the check fails. Only when the
  verdict hinges on the missing role or fact is it `not_recorded`.
- **A missing DCS or LMCS** (none, or several) makes the checks that need it `not_recorded`,
  pointing at `dcs.appointed` or `lmcs.designated`. With a vacant DCS post, checks about the post
  are judged on the post and checks about the holder are `not_recorded`.
- **Absent lists are empty** (`statutory_roles`, `shared_with`, `designations`, `bodies`,
  `changes`, ...), except a post's `functions` and a member's `portfolio`: left out, they are
  unknown, and checks that need them are `not_recorded`.
- **Optional facts.** Where a check asks for a fact to be recorded or `true` (a `mentor`,
  `published.on`, `approved_by`, `peer_challenged: true`, a `due_diligence` date), leaving it
  out fails. Where it needs a fact to decide whether it applies or to compare against, leaving
  it out makes it `not_recorded`.
- **The head of paid service's post** is the one post carrying `head_of_paid_service`; none or
  several makes the checks that need it `not_recorded`.
- **Reviews.** "The latest review" is the one with the latest `date` among the authority's own
  reviews (an `ofsted_inspection` never counts; of two on the same date, the later in the file).
  "A current review" is any of them that is younger than `review_interval_months` (the council's
  chosen interval, 12 by default; a month-end date is clamped) and not followed by a change that
  bears on the statutory roles.
- **The future is not yet known.** Reviews, changes and departures dated after the date of
  judgement (`as_of`, or `--as-of`) are ignored.
- **Seats.** A person sits on a body if a `members` entry names them or the body's `chair` does.
- **Below the DCS post** means anywhere down its reporting line.

## References

)";

std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string ChecksReference(const Catalogue& catalogue) {
  std::string out(kIntro);
  for (const std::string& line : RefLegend()) out += "- " + line + "\n";
  out += "\n## Summary\n\n| check | modality | force from | refs |\n| --- | --- | --- | --- |\n";
  for (const CheckInfo& c : Checks()) {
    std::string refs;
    for (std::string_view r : c.refs) refs += (refs.empty() ? "" : ", ") + std::string(r);
    out += fmt::format(
        "| [`{}`](#{}) | {} | {} | {} |\n", c.id,
        [&] {
          std::string anchor;
          for (char ch : c.id) {
            if (ch != '.') anchor += ch;
          }
          return anchor;
        }(),
        NameOf(c.modality), Cell(c.force_source), refs);
  }
  for (const CheckInfo& c : Checks()) {
    std::string refs;
    for (std::string_view r : c.refs) refs += (refs.empty() ? "" : ", ") + std::string(r);
    out += fmt::format("\n## {}\n\n{}.\n\n", c.id, c.title);
    out += fmt::format("- **Force:** {}, from {}.\n", NameOf(c.modality), c.force_source);
    out += fmt::format("- **References:** {}.\n", refs);
    out += fmt::format("- **Passes** when {}.\n", c.passes_when);
    out += fmt::format("- **Otherwise:** {}\n", c.otherwise);
    if (const Duty* d = catalogue.FindDuty(c.force_duty)) {
      if (d->force_note) out += fmt::format("- **Why this force:** {}\n", *d->force_note);
      out += fmt::format("\n> \"{}\" ({}, `{}`)\n", d->text, RefPhrase(d->paragraph), d->id);
    }
  }
  return out;
}

}  // namespace assure::report
