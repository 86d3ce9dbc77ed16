// The structural checks (docs/checks.md): each judges one thing the 2013 statutory guidance or the
// chief executive advice asks of an authority's arrangements, at a given date.
//
// Check ids, modalities and refs are an interface: users record departures against the ids and
// scripts read them. Pure: no I/O; the date of judgement is an argument.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/arrangements.hpp"
#include "core/date.hpp"
#include "core/warnings.hpp"

namespace assure {

// How strongly the guidance asks for something.
enum class Modality { kMust, kShould, kMay, kAdvice };

template <>
struct Vocabulary<Modality> {
  static constexpr std::array kNames =
      std::to_array<std::string_view>({"must", "should", "may", "advice"});
};

enum class Status { kPass, kFail, kDeparture, kNotRecorded, kNotApplicable };

template <>
struct Vocabulary<Status> {
  static constexpr std::array kNames = std::to_array<std::string_view>(
      {"pass", "fail", "departure", "not_recorded", "not_applicable"});
};

// The identity of a check: what users and scripts rely on.
struct CheckInfo {
  std::string_view id;
  Modality modality;
  std::vector<std::string_view> refs;  // KP1..KP7, "1".."25", CE
  std::string_view title;              // a one-line name for people
  std::string_view passes_when;        // the rule, in words
  // Where its force comes from: the catalogue duty whose modality it carries, and that duty's
  // ForceSource in words ("para 7", or an Act and the paragraph that describes it). A test keeps
  // both in step with the catalogue.
  std::string_view force_duty;
  std::string_view force_source;
  // The other outcomes, in words: when it fails, is not recorded or is not applicable, and the
  // edge cases that decide it.
  std::string_view otherwise;
};

struct Finding {
  std::string check;
  Status status = Status::kPass;
  Modality modality = Modality::kMust;
  std::vector<std::string> refs;
  std::string message;
  std::vector<std::string> subjects;  // ids of the posts, people, bodies, reviews concerned
  std::string force_source;           // where the modality comes from (CheckInfo::force_source)
  std::string fix;  // what to change in the file (the field, what to put there); may be empty
};

struct CheckReport {
  std::string authority;
  Date as_of = Date::FromYmd(1970, 1, 1);
  std::string guidance;           // the catalogue the checks come from
  std::array<int, 5> summary{};   // count per Status, in enumerator order
  std::vector<Finding> findings;  // one per check, in the order of Checks()
  std::vector<Warning> warnings;  // likely slips in the file (core/warnings.hpp); no effect above
};

// The guidance catalogue every check belongs to.
inline constexpr std::string_view kGuidanceId = "dcs-lmcs-2013";

// Returns every check, in the order of the reference (docs/checks.md).
std::span<const CheckInfo> Checks();

// Returns the check with this id, or nullptr.
const CheckInfo* FindCheck(std::string_view id);

// The two roles at the heart of the guidance, found as the checks find them.
struct KeyRoles {
  std::vector<const Post*> dcs_posts;  // every post with the DCS role
  const Post* dcs = nullptr;           // the DCS post, when exactly one post has the role
  const Person* dcs_holder = nullptr;  // its holder, when recorded
  std::vector<std::string> lmcs_ids;   // every person designated LMCS (in any member entry)
  const Person* lmcs = nullptr;        // the LMCS, when exactly one person is designated
};

// Finds the DCS and the LMCS. Pointers point into `arrangements`.
// Requires: `arrangements` satisfies the file's rules (as the loader guarantees).
KeyRoles FindKeyRoles(const Arrangements& arrangements);

// Runs every check over `arrangements` as they stood on `as_of` (which may differ from
// arrangements.authority.as_of, to ask "and next April?"). Reviews, changes and departures
// dated after `as_of` are ignored. Returns exactly one finding per check.
// Requires: `arrangements` satisfies the file's rules (as the loader guarantees).
CheckReport RunChecks(const Arrangements& arrangements, Date as_of);

}  // namespace assure
