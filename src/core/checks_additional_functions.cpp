// Additional functions, the DCS who is also the Chief Executive, and joint appointments:
// paras 6-8.
#include <fmt/format.h>

#include "core/checks_judges.hpp"

namespace assure::checks {

Verdict DcsNotCeo(const Facts& f) {
  if (auto v = NeedDcsPost(f)) return *v;
  const Post& post = *f.Dcs();
  // A vacant DCS post that is itself the head of paid service's post is judged on the post
  // alone (edge case 2); otherwise the holder is needed.
  const bool post_is_hops = Contains(post.statutory_roles, StatutoryRole::kHeadOfPaidService);
  if (!f.DcsHolder() && !post_is_hops) return *NeedDcsHolder(f);
  const Person* holder = f.DcsHolder();
  if (holder) {
    if (auto v = NeedHops(f)) return *v;
  }
  const Post& hops = holder ? *f.Hops() : post;
  const bool same_post = post.id == hops.id;
  const bool holds_hops = holder && hops.holder && *hops.holder == holder->id;
  if (!same_post && !holds_hops) {
    return Pass(fmt::format("The DCS ({}) and the Chief Executive are separate.", holder->name),
                {post.id, hops.id});
  }
  std::string how = same_post ? fmt::format(
                                    "the DCS role is carried by the Chief Executive's "
                                    "own post \"{}\"{}",
                                    hops.title, holder ? "" : " (vacant)")
                              : fmt::format(
                                    "{} holds both the DCS post \"{}\" and the Chief "
                                    "Executive's post \"{}\"",
                                    holder->name, post.title, hops.title);
  std::vector<std::string> subjects{post.id};
  if (hops.id != post.id) subjects.push_back(hops.id);
  if (holder) subjects.push_back(holder->id);
  const bool interim_running = post.interim_until && *post.interim_until >= f.as_of();
  const bool recruiting = post.recruitment_active && *post.recruitment_active;
  if (interim_running && recruiting) {
    return Pass(fmt::format("{}, as a temporary measure until {} while a permanent DCS is "
                            "actively recruited (para 7).",
                            how, post.interim_until->ToString()),
                subjects);
  }
  std::string why;
  if (!post.interim_until) {
    why = "no interim_until end date is recorded";
  } else if (!interim_running) {
    why = fmt::format("the interim arrangement ended on {}", post.interim_until->ToString());
  } else {
    why = "recruitment_active is not true";
  }
  return WithFix(
      Fail(fmt::format("{}; {}. It is not appropriate for the Chief Executive also to hold the "
                       "statutory role of DCS, except possibly as a temporary measure whilst "
                       "the council actively takes steps to fill a vacant DCS post (para 7): "
                       "appoint a separate DCS.",
                       how, why),
           subjects),
      "posts[].statutory_roles: move dcs to a post of its own; or, while recruiting, set "
      "interim_until and recruitment_active: true on the DCS post");
}

namespace {

// Whether some current review's scope covers every role in `needed`; fills `best_gap` with
// what the closest review lacked.
bool CurrentReviewCovers(const Facts& f, const std::vector<AssuredRole>& needed,
                         std::vector<std::string>& subjects, std::string& detail) {
  std::string closest;
  size_t closest_missing = needed.size() + 1;
  for (const Review* r : f.Reviews()) {
    std::vector<std::string> missing;
    for (AssuredRole role : needed) {
      if (!Contains(r->scope, role)) missing.emplace_back(DisplayName(role));
    }
    const std::string stale = f.Staleness(*r);
    if (stale.empty() && missing.empty()) {
      subjects.push_back(r->id);
      detail = ReviewName(*r);
      return true;
    }
    // Prefer to explain the review that came nearest: current but narrow, or right but stale.
    const size_t weight = missing.size() + (stale.empty() ? 0 : 1);
    if (weight <= closest_missing) {
      closest_missing = weight;
      closest = ReviewName(*r) + (stale.empty() ? "" : " is no longer current: " + stale);
      if (!missing.empty()) {
        closest +=
            (stale.empty() ? " does not cover " : ", and it did not cover ") + JoinNames(missing);
      }
    }
  }
  detail = f.Reviews().empty() ? "no review is recorded" : closest;
  return false;
}

std::vector<std::string> RoleNames(const std::vector<AssuredRole>& roles) {
  std::vector<std::string> names;
  for (AssuredRole r : roles) names.emplace_back(DisplayName(r));
  return names;
}

}  // namespace

Verdict DcsAdditionalFunctionsAssured(const Facts& f) {
  if (auto v = NeedDcsPost(f)) return *v;
  const Post& post = *f.Dcs();
  std::vector<AssuredRole> other_roles;
  auto add_role = [&](StatutoryRole r) {
    if (r != StatutoryRole::kDcs && !Contains(other_roles, AsAssured(r))) {
      other_roles.push_back(AsAssured(r));
    }
  };
  for (StatutoryRole r : post.statutory_roles) add_role(r);
  if (post.holder) {
    for (const Post* other : f.PostsHeldBy(*post.holder)) {
      for (StatutoryRole r : other->statutory_roles) add_role(r);
    }
  }
  std::vector<std::string> extra_functions;
  if (post.functions) {
    for (Function fn : *post.functions) {
      if (IsAdditionalFunction(fn)) extra_functions.emplace_back(DisplayName(fn));
    }
  }
  if (other_roles.empty() && extra_functions.empty()) {
    if (!post.functions) {
      return WithFix(
          NotRecorded(fmt::format("The functions of the DCS post \"{}\" are not recorded, so "
                                  "it is not known whether it carries additional functions: "
                                  "fill in its functions.",
                                  post.title),
                      {post.id}),
          "posts[].functions of the DCS post: the functions it covers");
    }
    return NotApplicable(fmt::format("The DCS post \"{}\" has no functions outside children's "
                                     "services and no other statutory role.",
                                     post.title),
                         {post.id});
  }
  std::vector<AssuredRole> needed{AssuredRole::kDcs};
  needed.insert(needed.end(), other_roles.begin(), other_roles.end());
  std::vector<std::string> what;
  if (!extra_functions.empty()) {
    what.push_back("responsibility for " + JoinNames(extra_functions));
  }
  if (!other_roles.empty()) {
    what.push_back(
        (other_roles.size() == 1 ? "the statutory role of " : "the statutory roles of ") +
        JoinNames(RoleNames(other_roles)));
  }
  std::vector<std::string> subjects{post.id};
  std::string detail;
  if (CurrentReviewCovers(f, needed, subjects, detail)) {
    return Pass(fmt::format("The DCS post \"{}\" also carries {}; {} assured the roles of {}.",
                            post.title, JoinNames(what), detail, JoinNames(RoleNames(needed))),
                subjects);
  }
  return WithFix(
      Fail(fmt::format(
               "The DCS post \"{}\" also carries {}, but no current local test of "
               "assurance covers the roles of {} ({}). Carry out a review scoped to all of them so "
               "that the focus on children is not weakened or diluted (para 6).",
               post.title, JoinNames(what), JoinNames(RoleNames(needed)), detail),
           subjects),
      "assurance.reviews: a current review whose scope includes every role named");
}

Verdict LmcsAdditionalFunctionsAssured(const Facts& f) {
  if (auto v = NeedLmcs(f)) return *v;
  const Person& lmcs = *f.Lmcs();
  if (!f.LmcsPortfolio()) {
    return WithFix(
        NotRecorded(fmt::format("The portfolio of the LMCS, {}, is not recorded, so it is not "
                                "known whether it has additional functions: fill it in.",
                                lmcs.name),
                    {lmcs.id}),
        "members[].portfolio of the LMCS: the functions it covers");
  }
  std::vector<std::string> extra;
  for (Function fn : *f.LmcsPortfolio()) {
    if (IsAdditionalFunction(fn)) extra.emplace_back(DisplayName(fn));
  }
  if (extra.empty()) {
    return NotApplicable(fmt::format("The LMCS's portfolio ({}) has no functions outside "
                                     "children's services.",
                                     lmcs.name),
                         {lmcs.id});
  }
  std::vector<std::string> subjects{lmcs.id};
  std::string detail;
  if (CurrentReviewCovers(f, {AssuredRole::kLmcs}, subjects, detail)) {
    return Pass(
        fmt::format("The LMCS, {}, also holds responsibility for {}; {} assured the LMCS role.",
                    lmcs.name, JoinNames(extra), detail),
        subjects);
  }
  return WithFix(
      Fail(fmt::format("The LMCS, {}, also holds responsibility for {}, but no current review "
                       "covers the LMCS role ({}). Carry out a local test of assurance scoped to "
                       "the LMCS (para 6).",
                       lmcs.name, JoinNames(extra), detail),
           subjects),
      "assurance.reviews: a current review whose scope includes lmcs");
}

Verdict DcsJointAppointmentAssured(const Facts& f) {
  if (auto v = NeedDcsPost(f)) return *v;
  const Post& post = *f.Dcs();
  if (post.shared_with.empty()) {
    return NotApplicable(
        fmt::format("The DCS post \"{}\" is not shared with another authority.", post.title),
        {post.id});
  }
  std::vector<std::string> subjects{post.id};
  std::string detail;
  const std::string others = JoinNames(post.shared_with);
  if (CurrentReviewCovers(f, {AssuredRole::kDcs}, subjects, detail)) {
    return Pass(fmt::format("The DCS post \"{}\" is shared with {}; {} assured the DCS role.",
                            post.title, others, detail),
                subjects);
  }
  return WithFix(
      Fail(fmt::format("The DCS post \"{}\" is shared with {}, but no current review covers the "
                       "DCS role ({}). A joint DCS needs a local test of assurance that the "
                       "focus on this authority's children is not diluted (paras 6, 8).",
                       post.title, others, detail),
           subjects),
      "assurance.reviews: a current review whose scope includes dcs");
}

}  // namespace assure::checks
