// A guidance catalogue: a statutory guidance document as data, one entry per duty, with its
// verbatim words, who holds it, how strongly it binds, its legal basis, its classification (as
// in a council's compliance and assurance framework), its theme, the automated checks that test
// it, and notes on what has changed in law since it was written. Pure data and rules.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/checks.hpp"
#include "core/date.hpp"

namespace assure {

enum class DutyHolder { kDcs, kLmcs, kDcsAndLmcs, kAuthority, kChiefExecutive };
enum class Responsibility {
  kOrganisational,
  kProfessional,
  kCommissioning,
  kPartnership,
  kPerformance
};
enum class Focus { kStructural, kOutcome, kOutput, kInput, kCultural };

template <>
struct Vocabulary<DutyHolder> {
  static constexpr std::array kNames = std::to_array<std::string_view>(
      {"dcs", "lmcs", "dcs_and_lmcs", "authority", "chief_executive"});
};
template <>
struct Vocabulary<Responsibility> {
  static constexpr std::array kNames = std::to_array<std::string_view>(
      {"organisational", "professional", "commissioning", "partnership", "performance"});
};
template <>
struct Vocabulary<Focus> {
  static constexpr std::array kNames =
      std::to_array<std::string_view>({"structural", "outcome", "output", "input", "cultural"});
};

// What changed in law since the guidance was written, so a reader knows which words no longer
// bind as written.
struct CurrencyNote {
  std::string changed;
  std::string instrument;
  Date from = Date::FromYmd(1970, 1, 1);
};

struct Duty {
  std::string id;
  std::string paragraph;  // KP1..KP7, "1".."25", FN1.., CE
  std::string theme;      // a Theme id
  std::string text;       // the guidance's own words
  std::string summary;
  DutyHolder holder = DutyHolder::kAuthority;
  Modality modality = Modality::kShould;
  std::vector<std::string> legal_basis;
  // Where the duty's force comes from an Act rather than the guidance's own verb (the guidance
  // describes a requirement that the law imposes): those entries of legal_basis.
  std::vector<std::string> force_from;
  // Why the duty carries its modality where the guidance's words alone would read weaker.
  std::optional<std::string> force_note;
  Responsibility responsibility = Responsibility::kOrganisational;
  Focus focus = Focus::kStructural;
  std::optional<std::string> framework_row;  // the matching row of a council's framework
  std::vector<std::string> checks;           // ids of the checks that test it
  std::vector<CurrencyNote> currency;
};

struct Theme {
  std::string id;
  std::string title;
};

struct Catalogue {
  std::string id;
  std::string title;
  std::string publisher;
  std::string reference;
  Date published = Date::FromYmd(1970, 1, 1);
  int version = 1;
  std::vector<std::string> sources;
  std::vector<Theme> themes;
  std::vector<Duty> duties;

  // Returns the duty with this id, or nullptr.
  const Duty* FindDuty(std::string_view id) const;
  // Returns the theme with this id, or nullptr.
  const Theme* FindTheme(std::string_view id) const;
  // Returns the duties of a paragraph (KP1, "7", CE...), in catalogue order.
  std::vector<const Duty*> DutiesOf(std::string_view paragraph) const;
};

// How a reference reads in prose: KP5 -> "key point 5", 7 -> "para 7", FN2 -> "footnote 2",
// CE -> "the advice to chief executives".
std::string RefPhrase(std::string_view ref);

// Where a duty's force comes from, in words: the paragraph ("para 7"), or the Act and the
// paragraph that describes it ("Local Government and Housing Act 1989 s1 and s2 (para 2)").
std::string ForceSource(const Duty& duty);

// The references and what they stand for, one line each ("KP = key point of the guidance").
std::vector<std::string> RefLegend();

// Returns every problem with the catalogue as a sentence (empty when it is sound): duplicate
// ids, unknown themes, unknown check ids, a key point (KP1..KP7) or paragraph (1..25) with no
// duty, a check of Checks() linked from no duty, a paragraph that is not KPn, 1..25, FNn or CE, a
// force_from that is not in the duty's legal_basis.
std::vector<std::string> Validate(const Catalogue& catalogue);

}  // namespace assure
