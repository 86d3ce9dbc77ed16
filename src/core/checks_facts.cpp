// What every check derives from the arrangements, and the shared verdicts for a missing role or
// fact.
#include <fmt/format.h>

#include "core/checks_judges.hpp"

namespace assure::checks {

std::string JoinNames(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

// "a restructure", "an appointment": how a message speaks of a change.
std::string_view ChangePhrase(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kRestructure:
      return "a restructure";
    case ChangeKind::kAppointment:
      return "an appointment";
    case ChangeKind::kAdditionalFunction:
      return "an additional function";
    case ChangeKind::kInterim:
      return "an interim arrangement";
    case ChangeKind::kVacancy:
      return "a vacancy";
  }
  return "a change";
}

Facts::Facts(const Arrangements& a, Date as_of) : a_(a), as_of_(as_of) {
  // Posts and people by position: one table from id to position each, and the reporting
  // tree as arrays, so that a large authority costs few allocations and stays in cache.
  people_.reserve(a.people.size());
  for (const Person& p : a.people) people_.emplace(p.id, &p);
  posts_.reserve(a.posts.size());
  for (size_t i = 0; i < a.posts.size(); ++i) posts_.emplace(a.posts[i].id, i);
  first_report_.assign(a.posts.size(), kNoPost);
  next_report_.assign(a.posts.size(), kNoPost);
  for (size_t i = a.posts.size(); i-- > 0;) {
    const Post& post = a.posts[i];
    if (!post.reports_to) continue;
    const size_t manager = posts_.at(*post.reports_to);
    next_report_[i] = first_report_[manager];
    first_report_[manager] = i;
  }
  for (const Post& post : a.posts) {
    for (StatutoryRole role : post.statutory_roles) {
      if (role == StatutoryRole::kHeadOfPaidService) hops_posts_.push_back(&post);
      if (role == StatutoryRole::kDph) dph_posts_.push_back(&post);
    }
  }
  KeyRoles key = FindKeyRoles(a);
  dcs_posts_ = std::move(key.dcs_posts);
  dcs_ = key.dcs;
  dcs_holder_ = key.dcs_holder;
  if (dcs_) below_dcs_ = CollectBelow(static_cast<size_t>(dcs_ - a.posts.data()));
  if (hops_posts_.size() == 1) hops_ = hops_posts_.front();

  // The LMCS: one person whose member entries carry the designation; entries merged.
  lmcs_ids_ = std::move(key.lmcs_ids);
  lmcs_ = key.lmcs;
  if (lmcs_) {
    for (const Member& m : a.members) {
      if (m.person != lmcs_->id) continue;
      for (MemberRole r : m.roles) {
        if (!Contains(lmcs_roles_, r)) lmcs_roles_.push_back(r);
      }
      if (m.portfolio) {
        if (!lmcs_portfolio_) lmcs_portfolio_.emplace();
        for (Function f : *m.portfolio) {
          if (!Contains(*lmcs_portfolio_, f)) lmcs_portfolio_->push_back(f);
        }
      }
    }
  }

  // The future is not yet known: reviews and changes after as_of are ignored.
  for (const Change& c : a.assurance.changes) {
    if (c.date <= as_of && BearsOnStatutoryRoles(c) &&
        (!last_change_ || last_change_->date <= c.date)) {
      last_change_ = &c;
    }
  }
  for (const Review& r : a.assurance.reviews) {
    if (r.kind == ReviewKind::kOfstedInspection || r.date > as_of) continue;
    reviews_.push_back(&r);
    if (!latest_ || latest_->date <= r.date) latest_ = &r;
  }
  for (const Body& b : a.bodies) {
    if (b.kind == BodyKind::kLscb || b.kind == BodyKind::kSafeguardingPartnership) {
      safeguarding_bodies_.push_back(&b);
    }
    if (b.kind == BodyKind::kLscb) lscbs_.push_back(&b);
    if (b.kind == BodyKind::kHealthAndWellbeingBoard) hwbs_.push_back(&b);
  }
}

bool Facts::BearsOnStatutoryRoles(const Change& c) const {
  const bool about_people = c.kind == ChangeKind::kAppointment || c.kind == ChangeKind::kInterim ||
                            c.kind == ChangeKind::kVacancy;
  if (!about_people || c.posts.empty()) return true;
  for (const std::string& id : c.posts) {
    if (!PostById(id).statutory_roles.empty()) return true;
  }
  return false;
}

// ---- Shared verdicts for a missing role or fact -------------------------------------------

constexpr std::string_view kSeeDcsAppointed =
    "see dcs.appointed: exactly one post must carry the role of DCS";

// When a dcs.* check cannot find the one DCS post (edge case 2), or its holder.
std::optional<Verdict> NeedDcsPost(const Facts& f) {
  if (f.DcsPosts().empty()) {
    return WithFix(
        NotRecorded(fmt::format("No post carries the statutory role of DCS, so this cannot be "
                                "judged ({}).",
                                kSeeDcsAppointed)),
        "posts[].statutory_roles: add dcs to the one post that holds the role of Director of "
        "Children's Services");
  }
  if (f.DcsPosts().size() > 1) {
    std::vector<std::string> ids;
    for (const Post* p : f.DcsPosts()) ids.push_back(p->id);
    return WithFix(
        NotRecorded(fmt::format("{} posts carry the statutory role of DCS, so this cannot be "
                                "judged ({}).",
                                f.DcsPosts().size(), kSeeDcsAppointed),
                    ids),
        "posts[].statutory_roles: keep dcs on one post only");
  }
  return std::nullopt;
}

std::optional<Verdict> NeedDcsHolder(const Facts& f) {
  if (auto v = NeedDcsPost(f)) return v;
  if (!f.DcsHolder()) {
    return WithFix(
        NotRecorded(fmt::format("The DCS post \"{}\" is vacant, so the post holder cannot be "
                                "judged (see dcs.appointed: record the post's holder).",
                                f.Dcs()->title),
                    {f.Dcs()->id}),
        "posts[].holder of the DCS post: the id of the person who holds it (an interim included)");
  }
  return std::nullopt;
}

std::optional<Verdict> NeedHops(const Facts& f) {
  if (f.HopsPosts().empty()) {
    return WithFix(
        NotRecorded("No post carries the statutory role of head of paid service, so the Chief "
                    "Executive's post is not known."),
        "posts[].statutory_roles: add head_of_paid_service to the Chief Executive's post");
  }
  if (f.HopsPosts().size() > 1) {
    std::vector<std::string> ids;
    std::vector<std::string> titles;
    for (const Post* p : f.HopsPosts()) {
      ids.push_back(p->id);
      titles.push_back("\"" + p->title + "\"");
    }
    return WithFix(
        NotRecorded(
            fmt::format("{} posts carry the role of head of paid service ({}); exactly one should, "
                        "so the Chief Executive's post is not known.",
                        ids.size(), JoinNames(titles)),
            ids),
        "posts[].statutory_roles: keep head_of_paid_service on the Chief Executive's post only");
  }
  return std::nullopt;
}

std::optional<Verdict> NeedLmcs(const Facts& f) {
  if (f.LmcsIds().empty()) {
    return WithFix(
        NotRecorded(
            "No member is designated Lead Member for Children's Services, so this cannot be judged "
            "(see lmcs.designated)."),
        "members[].designations: add lmcs to the Lead Member's entry");
  }
  if (f.LmcsIds().size() > 1) {
    return WithFix(
        NotRecorded(fmt::format("{} people are designated LMCS, so this cannot be judged (see "
                                "lmcs.designated: exactly one member should be).",
                                f.LmcsIds().size()),
                    f.LmcsIds()),
        "members[].designations: keep lmcs on one person's entries only");
  }
  return std::nullopt;
}

std::optional<Verdict> NeedLatestReview(const Facts& f) {
  if (!f.Latest()) {
    return WithFix(
        NotRecorded(
            "No review of the arrangements is recorded, so the latest review cannot be judged (see "
            "assurance.review-current: record the local test of assurance under "
            "assurance.reviews)."),
        "assurance.reviews: record the local test of assurance (id, date, kind, scope, elements)");
  }
  return std::nullopt;
}

std::string_view ReviewKindPhrase(ReviewKind kind) {
  switch (kind) {
    case ReviewKind::kLocalAssuranceTest:
      return "local test of assurance";
    case ReviewKind::kAudit:
      return "audit";
    case ReviewKind::kSelfAssessment:
      return "self-assessment";
    case ReviewKind::kPeerReview:
      return "peer review";
    case ReviewKind::kOfstedInspection:
      return "Ofsted inspection";
  }
  return "review";
}

// "the audit of 2016-03-15 (review-2016-03)".
std::string ReviewName(const Review& r) {
  return fmt::format("the {} of {} ({})", ReviewKindPhrase(r.kind), r.date.ToString(), r.id);
}

std::string BodyNames(const std::vector<const Body*>& bodies) {
  std::vector<std::string> names;
  for (const Body* b : bodies) names.push_back("\"" + b->name + "\"");
  return JoinNames(names);
}

}  // namespace assure::checks
