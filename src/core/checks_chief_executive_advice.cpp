// The advice to chief executives on the DCS role: the second tier, mentoring, due diligence.
#include <fmt/format.h>

#include "core/checks_judges.hpp"

namespace assure::checks {

Verdict SecondTierCredentials(const Facts& f) {
  if (f.DcsPosts().empty()) {
    // With no DCS post, no lead post can be known to be below it (edge case 11): the check
    // fails when no lead post anywhere could make it pass, whichever post became the DCS.
    std::vector<std::string> could_pass;
    for (const Post& p : f.a().posts) {
      if (!p.safeguarding_lead || !*p.safeguarding_lead || !p.holder) continue;
      const Person& holder = f.PersonById(*p.holder);
      if (!holder.csc_background || *holder.csc_background == CscBackground::kStrong) {
        could_pass.push_back(p.id);
      }
    }
    if (could_pass.empty()) {
      return WithFix(
          Fail(
              "No post carries the statutory role of DCS, and no post marked safeguarding_lead has "
              "a holder with a strong (or unrecorded) children's social care background, so no "
              "second tier safeguarding lead could have the strong credentials the advice asks for "
              "(see dcs.appointed)."),
          "posts[].statutory_roles: add dcs to the DCS's post; posts[].safeguarding_lead: mark the "
          "second tier safeguarding lead");
    }
  }
  if (auto v = NeedDcsPost(f)) return *v;
  const Post& dcs = *f.Dcs();
  std::string stress;
  if (f.DcsHolder() && f.DcsHolder()->csc_background != CscBackground::kStrong) {
    stress = fmt::format(
        " This matters all the more because the DCS, {}, is not recorded as "
        "having a strong children's social care background.",
        f.DcsHolder()->name);
  }
  std::vector<const Post*> leads;
  for (const Post& p : f.a().posts) {
    if (p.safeguarding_lead && *p.safeguarding_lead && f.IsBelowDcs(&p)) leads.push_back(&p);
  }
  const Post* unknown = nullptr;
  for (const Post* p : leads) {
    if (!p->holder) continue;
    const Person& holder = f.PersonById(*p->holder);
    if (holder.csc_background == CscBackground::kStrong) {
      return Pass(fmt::format("The safeguarding lead \"{}\", {}, has strong credentials in "
                              "children's social care.{}",
                              p->title, holder.name,
                              stress.empty()
                                  ? std::string()
                                  : fmt::format(" The DCS, {}, is not recorded as having a strong "
                                                "children's social care background, so this "
                                                "matters all the more: the Chief Executive "
                                                "should keep that working relationship under "
                                                "review.",
                                                f.DcsHolder()->name)),
                  {p->id, holder.id});
    }
    if (!holder.csc_background && !unknown) unknown = p;
  }
  if (unknown) {
    const Person& holder = f.PersonById(*unknown->holder);
    return WithFix(
        NotRecorded(fmt::format("The children's social care background of {}, who holds the "
                                "safeguarding lead post \"{}\", is not recorded: fill in "
                                "csc_background.{}",
                                holder.name, unknown->title, stress),
                    {unknown->id, holder.id}),
        "people[].csc_background of that holder: strong, some or none");
  }
  if (leads.empty()) {
    return WithFix(
        Fail(fmt::format("No post below the DCS (\"{}\") is marked safeguarding_lead. The "
                         "second tier officer with fullest responsibility for children's "
                         "safeguarding must have strong credentials in children's social "
                         "care: identify that post.{}",
                         dcs.title, stress),
             {dcs.id}),
        "posts[].safeguarding_lead: true on the second tier post with fullest responsibility for "
        "children's safeguarding");
  }
  std::vector<std::string> ids;
  for (const Post* p : leads) ids.push_back(p->id);
  return WithFix(
      Fail(
          fmt::format("No safeguarding lead below the DCS has a holder with a strong children's "
                      "social care background (\"{}\" is {}).{}",
                      leads.front()->title,
                      leads.front()->holder ? "held by " + f.PersonById(*leads.front()->holder).name
                                            : std::string("vacant"),
                      stress),
          ids),
      "people[].csc_background of the lead's holder, or the lead post's holder: someone with "
      "strong credentials");
}

Verdict DcsMentoring(const Facts& f) {
  if (auto v = NeedDcsHolder(f)) return *v;
  const Person& dcs = *f.DcsHolder();
  if (!dcs.first_director_role) {
    return WithFix(
        NotRecorded(fmt::format("Whether this is the first director role of the DCS, {}, is not "
                                "recorded: fill in first_director_role.",
                                dcs.name),
                    {dcs.id}),
        "people[].first_director_role of the DCS: true or false");
  }
  if (!*dcs.first_director_role) {
    return NotApplicable(fmt::format("The DCS, {}, has held a director role before.", dcs.name),
                         {dcs.id});
  }
  if (!dcs.mentor || dcs.mentor->find_first_not_of(" \t") == std::string::npos) {
    return WithFix(
        Fail(fmt::format("This is the first director role of the DCS, {}, and no mentor is "
                         "recorded. A mentoring relationship with an experienced DCS (such as "
                         "the ADCS scheme) is strongly advised: record the mentor.",
                         dcs.name),
             {dcs.id}),
        "people[].mentor of the DCS: who mentors them (e.g. the ADCS scheme)");
  }
  return Pass(
      fmt::format("The DCS, {}, a first-time director, is mentored ({}).", dcs.name, *dcs.mentor),
      {dcs.id});
}

Verdict DcsDueDiligence(const Facts& f) {
  if (auto v = NeedDcsHolder(f)) return *v;
  const Person& dcs = *f.DcsHolder();
  if (!dcs.due_diligence) {
    return WithFix(
        Fail(fmt::format("No due diligence before the appointment of the DCS, {}, is recorded. "
                         "Any DCS appointment, interims included, needs a full and verifiable "
                         "assessment of the candidate's background and Ofsted track record: "
                         "record the date it was completed.",
                         dcs.name),
             {dcs.id}),
        "people[].due_diligence of the DCS: the date the checks were completed");
  }
  if (!dcs.appointed) {
    return WithFix(
        NotRecorded(fmt::format("The appointment date of the DCS, {}, is not recorded, so the "
                                "due diligence of {} cannot be compared with it: fill in "
                                "appointed.",
                                dcs.name, dcs.due_diligence->ToString()),
                    {dcs.id}),
        "people[].appointed of the DCS: the date of appointment");
  }
  if (*dcs.due_diligence > *dcs.appointed) {
    return WithFix(
        Fail(fmt::format("Due diligence on the DCS, {}, was completed on {}, after the "
                         "appointment on {}: checks belong before the appointment.",
                         dcs.name, dcs.due_diligence->ToString(), dcs.appointed->ToString()),
             {dcs.id}),
        "people[].due_diligence: a date on or before appointed, where that is when the checks were "
        "done");
  }
  return Pass(fmt::format("Due diligence on the DCS, {}, was completed on {}, before the "
                          "appointment on {}.",
                          dcs.name, dcs.due_diligence->ToString(), dcs.appointed->ToString()),
              {dcs.id});
}

}  // namespace assure::checks
