// Local assurance: key point 6 and paras 9-12.
#include <fmt/format.h>

#include "core/checks_judges.hpp"

namespace assure::checks {

Verdict ReviewCurrent(const Facts& f) {
  const Review* newest_current = nullptr;
  for (const Review* r : f.Reviews()) {
    if (f.IsCurrent(*r) && (!newest_current || newest_current->date <= r->date)) {
      newest_current = r;
    }
  }
  if (newest_current) {
    const Date due = newest_current->date.AddMonths(f.IntervalMonths());
    std::string name = ReviewName(*newest_current);
    name[0] = 'T';  // "the ..." opens the sentence
    return Pass(fmt::format("{} is current; the next review is due by {} ({}; {}).", name,
                            due.ToString(), f.IntervalPhrase(), Facts::kRegularReview),
                {newest_current->id});
  }
  if (!f.Latest()) {
    return WithFix(
        Fail("No review of the arrangements is recorded. The authority should assure itself, "
             "regularly and whenever its arrangements change, that they enable it to discharge its "
             "children's services functions: carry out a local test of assurance and record it "
             "under "
             "assurance.reviews."),
        "assurance.reviews: record the local test of assurance (id, date, kind, scope, elements)");
  }
  const Review& r = *f.Latest();
  return WithFix(
      Fail(fmt::format("The latest review, {}, is no longer current: {}. Review the "
                       "arrangements again (paras 9-10).",
                       ReviewName(r), f.Staleness(r)),
           {r.id}),
      "assurance.reviews: record the new review once the arrangements have been reviewed again");
}

Verdict AgreedWithinCouncil(const Facts& f) {
  if (auto v = NeedLatestReview(f)) return *v;
  const Review& r = *f.Latest();
  std::vector<std::string> missing;
  if (!r.approved_by) missing.emplace_back("approved_by");
  if (!r.approved_on) missing.emplace_back("approved_on");
  if (!missing.empty()) {
    return WithFix(
        Fail(fmt::format("The latest review, {}, has no {}: record which body of the council "
                         "agreed it, and when (para 11).",
                         ReviewName(r), JoinNames(missing)),
             {r.id}),
        "assurance.reviews[] of the latest review: approved_by (a body id) and approved_on (a "
        "date)");
  }
  return Pass(fmt::format("The latest review, {}, was agreed by {} on {}.", ReviewName(r),
                          f.BodyName(*r.approved_by), r.approved_on->ToString()),
              {r.id, *r.approved_by});
}

Verdict SelfAndPeer(const Facts& f) {
  if (auto v = NeedLatestReview(f)) return *v;
  const Review& r = *f.Latest();
  std::vector<std::string> missing;
  if (!r.self_assessed || !*r.self_assessed) missing.emplace_back("self-assessment");
  if (!r.peer_challenged || !*r.peer_challenged) missing.emplace_back("peer challenge");
  if (!missing.empty()) {
    return WithFix(
        Fail(fmt::format("The latest review, {}, is not recorded as having had {}. Assurance "
                         "should be self-assessed and subject to peer challenge and review "
                         "(para 11).",
                         ReviewName(r), JoinNames(missing)),
             {r.id}),
        "assurance.reviews[] of the latest review: self_assessed: true and peer_challenged: true, "
        "once each has been done");
  }
  return Pass(
      fmt::format("The latest review, {}, was self-assessed and peer-challenged.", ReviewName(r)),
      {r.id});
}

Verdict EssentialElements(const Facts& f) {
  if (auto v = NeedLatestReview(f)) return *v;
  const Review& r = *f.Latest();
  std::vector<std::string> missing;
  for (std::string_view name : NamesOf<Element>()) {
    if (!Contains(r.elements, *Parse<Element>(name))) {
      missing.emplace_back(DisplayName(*Parse<Element>(name)));
    }
  }
  if (!missing.empty()) {
    return WithFix(Fail(fmt::format("The latest review, {}, does not cover {} of the six essential "
                                    "elements of para 12: {}.",
                                    ReviewName(r), missing.size(), JoinNames(missing)),
                        {r.id}),
                   "assurance.reviews[].elements of the latest review: add the missing elements "
                   "once the review covers them");
  }
  return Pass(fmt::format("The latest review, {}, covers all six essential elements of para 12.",
                          ReviewName(r)),
              {r.id});
}

Verdict Transparency(const Facts& f) {
  const auto& published = f.a().assurance.published;
  if (!published || !published->on) {
    return WithFix(
        Fail("No publication of who holds the DCS and LMCS roles is recorded. Para 12 asks for "
             "transparency for local communities: publish it and record assurance.published.on."),
        "assurance.published.on: the date the authority published who holds the DCS and LMCS roles "
        "(and url: where)");
  }
  const Date on = *published->on;
  struct Holder {
    std::string role;
    const Person* person;
  };
  std::vector<Holder> holders;
  if (f.DcsHolder()) holders.push_back({"DCS", f.DcsHolder()});
  if (f.Lmcs()) holders.push_back({"LMCS", f.Lmcs()});
  std::vector<std::string> subjects;
  for (const Holder& h : holders) {
    subjects.push_back(h.person->id);
    if (h.person->appointed && on < *h.person->appointed) {
      return WithFix(
          Fail(fmt::format("The published statement of {} predates the appointment of the {}, "
                           "{}, on {}: publish who now holds the role.",
                           on.ToString(), h.role, h.person->name, h.person->appointed->ToString()),
               subjects),
          "assurance.published.on: the date of the publication that names the current holder");
    }
  }
  return Pass(fmt::format("Who holds the DCS and LMCS roles was published on {}.", on.ToString()),
              subjects);
}

}  // namespace assure::checks
