// Leadership and partnership, safeguarding and educational excellence: paras 13-25.
#include <fmt/format.h>

#include "core/checks_judges.hpp"

namespace assure::checks {

Verdict SafeguardingDcsMember(const Facts& f) {
  const auto& bodies = f.SafeguardingBodies();
  if (bodies.empty()) {
    return WithFix(
        Fail("No local safeguarding children board or safeguarding partnership is recorded, so "
             "the DCS cannot sit on one (para 19)."),
        "bodies: record the safeguarding partnership (kind: safeguarding_partnership) with the DCS "
        "among its members");
  }
  if (auto v = NeedDcsHolder(f)) return *v;
  const Person& dcs = *f.DcsHolder();
  std::vector<std::string> subjects{dcs.id};
  bool observer_only = false;
  for (const Body* b : bodies) {
    for (SeatRole role : f.SeatsOf(*b, dcs.id)) {
      if (role != SeatRole::kParticipatingObserver) {
        subjects.push_back(b->id);
        return Pass(
            fmt::format("The DCS, {}, sits on \"{}\" as {}.", dcs.name, b->name, DisplayName(role)),
            subjects);
      }
      observer_only = true;
    }
  }
  for (const Body* b : bodies) subjects.push_back(b->id);
  return WithFix(
      Fail(fmt::format("The DCS, {}, {} {}. The DCS should always be a member of the local "
                       "safeguarding arrangements (para 19): record their seat.",
                       dcs.name,
                       observer_only ? "is only a participating observer of" : "does not sit on",
                       BodyNames(bodies)),
           subjects),
      "bodies[].members of the safeguarding body: add the DCS with role: member");
}

Verdict SafeguardingLmcsObserver(const Facts& f) {
  const auto& bodies = f.SafeguardingBodies();
  if (bodies.empty()) {
    return WithFix(
        Fail("No local safeguarding children board or safeguarding partnership is recorded, so the "
             "LMCS cannot be a participating observer of one (para 20)."),
        "bodies: record the safeguarding partnership with the LMCS as participating_observer");
  }
  if (auto v = NeedLmcs(f)) return *v;
  const Person& lmcs = *f.Lmcs();
  std::vector<std::string> subjects{lmcs.id};
  const Body* observed = nullptr;
  for (const Body* b : bodies) {
    for (SeatRole role : f.SeatsOf(*b, lmcs.id)) {
      if (role != SeatRole::kParticipatingObserver) {
        subjects.push_back(b->id);
        return WithFix(
            Fail(fmt::format("The LMCS, {}, sits on \"{}\" as {}, a decision-making role. The "
                             "LMCS should be a participating observer only, to keep the "
                             "independence to challenge the DCS (para 20).",
                             lmcs.name, b->name, DisplayName(role)),
                 subjects),
            "bodies[].members of the safeguarding body: the LMCS's role: participating_observer");
      }
      if (!observed) observed = b;
    }
  }
  if (!observed) {
    for (const Body* b : bodies) subjects.push_back(b->id);
    return WithFix(
        Fail(fmt::format("The LMCS, {}, does not sit on {}. The LMCS should be a \"participating "
                         "observer\" (para 20): record their seat.",
                         lmcs.name, BodyNames(bodies)),
             subjects),
        "bodies[].members of the safeguarding body: add the LMCS with role: "
        "participating_observer");
  }
  subjects.push_back(observed->id);
  return Pass(fmt::format("The LMCS, {}, is a participating observer of \"{}\".", lmcs.name,
                          observed->name),
              subjects);
}

Verdict ChairAppointedByCeo(const Facts& f) {
  const auto& lscbs = f.Lscbs();
  if (lscbs.empty()) {
    return NotApplicable(
        "No LSCB is recorded; the 2019 safeguarding partnerships replaced LSCBs and their "
        "independent chairs.");
  }
  std::vector<std::string> subjects;
  for (const Body* b : lscbs) {
    if (!b->chair_appointed_by) {
      return WithFix(Fail(fmt::format("Who appoints the chair of \"{}\" is not recorded: it is the "
                                      "responsibility of the Chief Executive (para 19). Record "
                                      "chair_appointed_by.",
                                      b->name),
                          {b->id}),
                     "bodies[].chair_appointed_by of the LSCB: the Chief Executive's post id");
    }
  }
  if (auto v = NeedHops(f)) return *v;
  const Post& hops = *f.Hops();
  for (const Body* b : lscbs) {
    subjects.push_back(b->id);
    if (*b->chair_appointed_by != hops.id) {
      const Post& by = f.PostById(*b->chair_appointed_by);
      return WithFix(
          Fail(fmt::format("The chair of \"{}\" is appointed by \"{}\", not by the Chief "
                           "Executive (\"{}\"), whose responsibility it is (para 19).",
                           b->name, by.title, hops.title),
               {b->id, by.id, hops.id}),
          "bodies[].chair_appointed_by of the LSCB: the Chief Executive's post id");
    }
  }
  subjects.push_back(hops.id);
  return Pass(fmt::format("The Chief Executive (\"{}\") appoints the chair of {}.", hops.title,
                          BodyNames(lscbs)),
              subjects);
}

Verdict HwbDcsMember(const Facts& f) {
  const auto& boards = f.Hwbs();
  if (boards.empty()) {
    return WithFix(Fail("No health and wellbeing board is recorded. Every authority must have one, "
                        "with the DCS "
                        "as a statutory member (Health and Social Care Act 2012 s194): record it."),
                   "bodies: record the health and wellbeing board (kind: "
                   "health_and_wellbeing_board) with the DCS among its members");
  }
  if (auto v = NeedDcsHolder(f)) return *v;
  const Person& dcs = *f.DcsHolder();
  for (const Body* b : boards) {
    if (!f.SeatsOf(*b, dcs.id).empty()) {
      return Pass(fmt::format("The DCS, {}, sits on \"{}\".", dcs.name, b->name), {dcs.id, b->id});
    }
  }
  std::vector<std::string> subjects{dcs.id};
  for (const Body* b : boards) subjects.push_back(b->id);
  return WithFix(
      Fail(fmt::format("The DCS, {}, does not sit on {}; the DCS is a statutory member of the "
                       "health and wellbeing board (s194): record their seat.",
                       dcs.name, BodyNames(boards)),
           subjects),
      "bodies[].members of the health and wellbeing board: add the DCS");
}

Verdict SchoolsForum(const Facts& f) {
  for (const Body& b : f.a().bodies) {
    if (b.kind == BodyKind::kSchoolsForum) {
      return Pass(fmt::format("\"{}\" is the schools forum.", b.name), {b.id});
    }
  }
  return WithFix(
      Fail("No schools forum is recorded. The authority must establish a schools forum for its "
           "area (School Standards and Framework Act 1998 s47A; para 25)."),
      "bodies: record the schools forum (kind: schools_forum)");
}

}  // namespace assure::checks
