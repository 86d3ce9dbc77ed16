#include "core/checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

namespace assure {
namespace {

// What a check function concludes before departures are considered.
struct Verdict {
  Status status = Status::kPass;
  std::string message;
  std::vector<std::string> subjects;
};

Verdict Pass(std::string message, std::vector<std::string> subjects = {}) {
  return {Status::kPass, std::move(message), std::move(subjects)};
}
Verdict Fail(std::string message, std::vector<std::string> subjects = {}) {
  return {Status::kFail, std::move(message), std::move(subjects)};
}
Verdict NotRecorded(std::string message, std::vector<std::string> subjects = {}) {
  return {Status::kNotRecorded, std::move(message), std::move(subjects)};
}
Verdict NotApplicable(std::string message, std::vector<std::string> subjects = {}) {
  return {Status::kNotApplicable, std::move(message), std::move(subjects)};
}

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

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

}  // namespace

KeyRoles FindKeyRoles(const Arrangements& a) {
  KeyRoles key;
  for (const Post& post : a.posts) {
    if (Contains(post.statutory_roles, StatutoryRole::kDcs)) key.dcs_posts.push_back(&post);
  }
  auto person = [&](const std::string& id) -> const Person* {
    for (const Person& p : a.people) {
      if (p.id == id) return &p;
    }
    return nullptr;
  };
  if (key.dcs_posts.size() == 1) {
    key.dcs = key.dcs_posts.front();
    if (key.dcs->holder) key.dcs_holder = person(*key.dcs->holder);
  }
  for (const Member& m : a.members) {
    if (Contains(m.designations, Designation::kLmcs) && !Contains(key.lmcs_ids, m.person)) {
      key.lmcs_ids.push_back(m.person);
    }
  }
  if (key.lmcs_ids.size() == 1) key.lmcs = person(key.lmcs_ids.front());
  return key;
}

namespace {

// Everything the checks derive from the arrangements, computed once so that the whole run is
// linear in the size of the file.
class Facts {
 public:
  Facts(const Arrangements& a, Date as_of) : a_(a), as_of_(as_of) {
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
      if (c.date <= as_of && (!last_change_ || last_change_->date <= c.date)) last_change_ = &c;
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

  const Arrangements& a() const { return a_; }
  Date as_of() const { return as_of_; }

  const Person& PersonById(const std::string& id) const { return *people_.at(id); }
  const Post& PostById(const std::string& id) const { return a_.posts[posts_.at(id)]; }
  // A body's name, for messages ("Cabinet" rather than "cabinet").
  std::string BodyName(const std::string& id) const {
    for (const Body& b : a_.bodies) {
      if (b.id == id) return b.name;
    }
    return id;
  }

  const std::vector<const Post*>& DcsPosts() const { return dcs_posts_; }
  const Post* Dcs() const { return dcs_; }
  const Person* DcsHolder() const { return dcs_holder_; }
  bool IsBelowDcs(const Post* post) const {
    return !below_dcs_.empty() && below_dcs_[static_cast<size_t>(post - a_.posts.data())];
  }
  const std::vector<const Post*>& HopsPosts() const { return hops_posts_; }
  const Post* Hops() const { return hops_; }
  const std::vector<const Post*>& DphPosts() const { return dph_posts_; }
  // Every post `person` holds (asked once, for the DCS: a scan is enough).
  std::vector<const Post*> PostsHeldBy(const std::string& person) const {
    std::vector<const Post*> held;
    for (const Post& p : a_.posts) {
      if (p.holder && *p.holder == person) held.push_back(&p);
    }
    return held;
  }

  const std::vector<std::string>& LmcsIds() const { return lmcs_ids_; }
  const Person* Lmcs() const { return lmcs_; }
  const std::vector<MemberRole>& LmcsRoles() const { return lmcs_roles_; }
  const std::optional<std::vector<Function>>& LmcsPortfolio() const { return lmcs_portfolio_; }

  const std::vector<const Review*>& Reviews() const { return reviews_; }
  const Review* Latest() const { return latest_; }
  const Change* LastChange() const { return last_change_; }
  int IntervalMonths() const { return a_.assurance.review_interval_months; }

  // Why a review is no longer current at as_of, or an empty string while it is.
  std::string Staleness(const Review& r) const {
    const Date expires = r.date.AddMonths(IntervalMonths());
    if (as_of_ >= expires) {
      return fmt::format("it is older than the {}-month review interval (it lapsed on {})",
                         IntervalMonths(), expires.ToString());
    }
    if (last_change_ && last_change_->date > r.date) {
      std::string what =
          last_change_->description ? " (\"" + *last_change_->description + "\")" : std::string();
      return fmt::format("{} on {}{} came after it", ChangePhrase(last_change_->kind),
                         last_change_->date.ToString(), what);
    }
    return {};
  }
  bool IsCurrent(const Review& r) const { return Staleness(r).empty(); }

  const std::vector<const Body*>& SafeguardingBodies() const { return safeguarding_bodies_; }
  const std::vector<const Body*>& Lscbs() const { return lscbs_; }
  const std::vector<const Body*>& Hwbs() const { return hwbs_; }

  // The roles `person` holds on `body`: its member entries, and `chair` when the body's chair
  // names them (edge case 9).
  std::vector<SeatRole> SeatsOf(const Body& body, const std::string& person) const {
    std::vector<SeatRole> roles;
    if (body.chair && *body.chair == person) roles.push_back(SeatRole::kChair);
    for (const Seat& s : body.members) {
      if (s.who == person) roles.push_back(s.role);
    }
    return roles;
  }

  // "Executive Director, People (Alex Example)" or "... (vacant)".
  std::string Describe(const Post& post) const {
    if (!post.holder) return fmt::format("the post \"{}\" (vacant)", post.title);
    return fmt::format("the post \"{}\" held by {}", post.title, PersonById(*post.holder).name);
  }

 private:
  // Marks every post anywhere below the post at `top` (the loader rules out cycles).
  std::vector<char> CollectBelow(size_t top) const {
    std::vector<char> below(a_.posts.size(), 0);
    std::vector<size_t> stack{top};
    while (!stack.empty()) {
      const size_t p = stack.back();
      stack.pop_back();
      for (size_t child = first_report_[p]; child != kNoPost; child = next_report_[child]) {
        if (!below[child]) {
          below[child] = 1;
          stack.push_back(child);
        }
      }
    }
    return below;
  }

  static constexpr size_t kNoPost = static_cast<size_t>(-1);

  const Arrangements& a_;
  Date as_of_;
  std::unordered_map<std::string_view, const Person*> people_;
  std::unordered_map<std::string_view, size_t> posts_;  // id to position in a.posts
  std::vector<size_t> first_report_, next_report_;      // the reporting tree, by position
  std::vector<const Post*> dcs_posts_, hops_posts_, dph_posts_;
  const Post* dcs_ = nullptr;
  const Person* dcs_holder_ = nullptr;
  const Post* hops_ = nullptr;
  std::vector<char> below_dcs_;  // by position; empty without a single DCS post
  std::vector<std::string> lmcs_ids_;
  const Person* lmcs_ = nullptr;
  std::vector<MemberRole> lmcs_roles_;
  std::optional<std::vector<Function>> lmcs_portfolio_;
  std::vector<const Review*> reviews_;
  const Review* latest_ = nullptr;
  const Change* last_change_ = nullptr;
  std::vector<const Body*> safeguarding_bodies_, lscbs_, hwbs_;
};

// ---- Shared verdicts for a missing role or fact -------------------------------------------

constexpr std::string_view kSeeDcsAppointed =
    "see dcs.appointed: exactly one post must carry the statutory role dcs";

// When a dcs.* check cannot find the one DCS post (edge case 2), or its holder.
std::optional<Verdict> NeedDcsPost(const Facts& f) {
  if (f.DcsPosts().empty()) {
    return NotRecorded(
        fmt::format("No post carries the statutory role of DCS, so this cannot be "
                    "judged ({}).",
                    kSeeDcsAppointed));
  }
  if (f.DcsPosts().size() > 1) {
    std::vector<std::string> ids;
    for (const Post* p : f.DcsPosts()) ids.push_back(p->id);
    return NotRecorded(fmt::format("{} posts carry the statutory role of DCS, so this cannot be "
                                   "judged ({}).",
                                   f.DcsPosts().size(), kSeeDcsAppointed),
                       ids);
  }
  return std::nullopt;
}

std::optional<Verdict> NeedDcsHolder(const Facts& f) {
  if (auto v = NeedDcsPost(f)) return v;
  if (!f.DcsHolder()) {
    return NotRecorded(fmt::format("The DCS post \"{}\" is vacant, so the post holder cannot be "
                                   "judged (see dcs.appointed: record the post's holder).",
                                   f.Dcs()->title),
                       {f.Dcs()->id});
  }
  return std::nullopt;
}

std::optional<Verdict> NeedHops(const Facts& f) {
  if (f.HopsPosts().empty()) {
    return NotRecorded(
        "No post carries the statutory role head_of_paid_service, so the Chief Executive's post "
        "is not known: add head_of_paid_service to the Chief Executive's statutory_roles.");
  }
  if (f.HopsPosts().size() > 1) {
    std::vector<std::string> ids;
    std::vector<std::string> titles;
    for (const Post* p : f.HopsPosts()) {
      ids.push_back(p->id);
      titles.push_back("\"" + p->title + "\"");
    }
    return NotRecorded(fmt::format("{} posts carry head_of_paid_service ({}); exactly one should, "
                                   "so the Chief Executive's post is not known.",
                                   ids.size(), JoinNames(titles)),
                       ids);
  }
  return std::nullopt;
}

std::optional<Verdict> NeedLmcs(const Facts& f) {
  if (f.LmcsIds().empty()) {
    return NotRecorded(
        "No member is designated Lead Member for Children's Services, so this cannot be judged "
        "(see lmcs.designated: add lmcs to one member's designations).");
  }
  if (f.LmcsIds().size() > 1) {
    return NotRecorded(fmt::format("{} people are designated LMCS, so this cannot be judged (see "
                                   "lmcs.designated: exactly one member should be).",
                                   f.LmcsIds().size()),
                       f.LmcsIds());
  }
  return std::nullopt;
}

std::optional<Verdict> NeedLatestReview(const Facts& f) {
  if (!f.Latest()) {
    return NotRecorded(
        "No review of the arrangements is recorded, so the latest review cannot be judged (see "
        "assurance.review-current: record the local test of assurance under "
        "assurance.reviews).");
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

// ---- The checks ------------------------------------------------------------------------------

Verdict DcsAppointed(const Facts& f) {
  const auto& posts = f.DcsPosts();
  if (posts.empty()) {
    return Fail(
        "No post carries the statutory role of Director of Children's Services. Section 18 of "
        "the Children Act 2004 requires the authority to appoint one: add dcs to the "
        "statutory_roles of the post that holds it.");
  }
  if (posts.size() > 1) {
    std::vector<std::string> ids;
    std::vector<std::string> names;
    for (const Post* p : posts) {
      ids.push_back(p->id);
      names.push_back(f.Describe(*p));
    }
    return Fail(fmt::format("{} posts carry the statutory role of DCS ({}); the guidance requires "
                            "a single officer responsible for both education and children's "
                            "social care. Keep dcs on one post only.",
                            posts.size(), JoinNames(names)),
                ids);
  }
  const Post& post = *posts.front();
  if (!post.holder) {
    return Fail(fmt::format("The DCS post \"{}\" is vacant. The authority must have a Director of "
                            "Children's Services in post: record the holder, or an interim.",
                            post.title),
                {post.id});
  }
  return Pass(fmt::format("{} is the Director of Children's Services ({}).", f.DcsHolder()->name,
                          post.title),
              {post.id, *post.holder});
}

Verdict LmcsDesignated(const Facts& f) {
  const auto& ids = f.LmcsIds();
  if (ids.empty()) {
    return Fail(
        "No elected member is designated Lead Member for Children's Services. Section 19 of the "
        "Children Act 2004 requires the authority to designate one: add lmcs to that member's "
        "designations.");
  }
  if (ids.size() > 1) {
    std::vector<std::string> names;
    for (const std::string& id : ids) names.push_back(f.PersonById(id).name);
    return Fail(fmt::format("{} people are designated LMCS ({}); the guidance requires a single "
                            "elected member responsible for children's services.",
                            ids.size(), JoinNames(names)),
                ids);
  }
  const Person& lmcs = *f.Lmcs();
  if (!lmcs.elected_member) {
    return Fail(fmt::format("{} is designated LMCS but is not an elected member; the LMCS must be "
                            "one of the authority's councillors (s19 Children Act 2004).",
                            lmcs.name),
                {lmcs.id});
  }
  return Pass(fmt::format("{} is the Lead Member for Children's Services.", lmcs.name), {lmcs.id});
}

std::vector<std::string> MissingIntegrated(const std::vector<Function>& functions) {
  std::vector<std::string> missing;
  if (!Contains(functions, Function::kEducation)) missing.emplace_back("education");
  if (!Contains(functions, Function::kChildrensSocialCare)) {
    missing.emplace_back("childrens_social_care");
  }
  return missing;
}

Verdict DcsIntegratedBrief(const Facts& f) {
  if (auto v = NeedDcsPost(f)) return *v;
  const Post& post = *f.Dcs();
  if (!post.functions) {
    return NotRecorded(fmt::format("The functions of the DCS post \"{}\" are not recorded: fill "
                                   "in its functions.",
                                   post.title),
                       {post.id});
  }
  auto missing = MissingIntegrated(*post.functions);
  if (!missing.empty()) {
    return Fail(fmt::format("The DCS post \"{}\" does not cover {}; the DCS must be a single "
                            "officer responsible for both education and children's social care. "
                            "Add the missing function to the post, or move the DCS role to a post "
                            "that covers both.",
                            post.title, JoinNames(missing)),
                {post.id});
  }
  return Pass(fmt::format("The DCS post \"{}\" covers both education and children's social care.",
                          post.title),
              {post.id});
}

Verdict LmcsIntegratedBrief(const Facts& f) {
  if (auto v = NeedLmcs(f)) return *v;
  const Person& lmcs = *f.Lmcs();
  if (!f.LmcsPortfolio()) {
    return NotRecorded(fmt::format("The portfolio of the LMCS, {}, is not recorded: fill in the "
                                   "portfolio of their members entry.",
                                   lmcs.name),
                       {lmcs.id});
  }
  auto missing = MissingIntegrated(*f.LmcsPortfolio());
  if (!missing.empty()) {
    return Fail(fmt::format("The portfolio of the LMCS, {}, does not include {}. The Lead Member "
                            "must be ultimately responsible for all children's services, "
                            "education and SEND included, not just social care: add it to their "
                            "portfolio.",
                            lmcs.name, JoinNames(missing)),
                {lmcs.id});
  }
  return Pass(
      fmt::format("The LMCS, {}, holds both education and children's social care.", lmcs.name),
      {lmcs.id});
}

Verdict DcsReportsToCeo(const Facts& f) {
  if (auto v = NeedDcsPost(f)) return *v;
  const Post& post = *f.Dcs();
  if (Contains(post.statutory_roles, StatutoryRole::kHeadOfPaidService)) {
    return NotApplicable(fmt::format("The DCS post \"{}\" is itself the head of paid service's "
                                     "post; dcs.not-ceo judges that arrangement (para 7).",
                                     post.title),
                         {post.id});
  }
  if (!post.reports_to) {
    return NotRecorded(fmt::format("The DCS post \"{}\" has no reports_to: record the post it "
                                   "reports to.",
                                   post.title),
                       {post.id});
  }
  if (auto v = NeedHops(f)) return *v;
  const Post& hops = *f.Hops();
  const Post& manager = f.PostById(*post.reports_to);
  if (manager.id != hops.id) {
    return Fail(fmt::format("The DCS post \"{}\" reports to \"{}\", not to the Chief Executive "
                            "(\"{}\"). The DCS should be a first tier officer reporting directly "
                            "to the head of paid service: change its reports_to, or record a "
                            "departure with clear reasons.",
                            post.title, manager.title, hops.title),
                {post.id, manager.id, hops.id});
  }
  return Pass(
      fmt::format("The DCS post \"{}\" reports directly to \"{}\".", post.title, hops.title),
      {post.id, hops.id});
}

Verdict DcsNotCeo(const Facts& f) {
  if (auto v = NeedDcsHolder(f)) return *v;
  if (auto v = NeedHops(f)) return *v;
  const Post& post = *f.Dcs();
  const Post& hops = *f.Hops();
  const Person& holder = *f.DcsHolder();
  const bool same_post = post.id == hops.id;
  const bool holds_hops = hops.holder && *hops.holder == holder.id;
  if (!same_post && !holds_hops) {
    return Pass(fmt::format("The DCS ({}) and the Chief Executive are separate.", holder.name),
                {post.id, hops.id});
  }
  std::string how = same_post ? fmt::format(
                                    "the DCS role is carried by the Chief Executive's "
                                    "own post \"{}\"",
                                    hops.title)
                              : fmt::format(
                                    "{} holds both the DCS post \"{}\" and the Chief "
                                    "Executive's post \"{}\"",
                                    holder.name, post.title, hops.title);
  const bool interim_running = post.interim_until && *post.interim_until >= f.as_of();
  const bool recruiting = post.recruitment_active && *post.recruitment_active;
  if (interim_running && recruiting) {
    return Pass(fmt::format("{}, as a temporary measure until {} while a permanent DCS is "
                            "actively recruited (para 7).",
                            how, post.interim_until->ToString()),
                {post.id, hops.id, holder.id});
  }
  std::string why;
  if (!post.interim_until) {
    why = "no interim_until end date is recorded";
  } else if (!interim_running) {
    why = fmt::format("the interim arrangement ended on {}", post.interim_until->ToString());
  } else {
    why = "recruitment_active is not true";
  }
  return Fail(fmt::format("{}; {}. It is not appropriate for the Chief Executive also to hold the "
                          "statutory role of DCS, except possibly as a temporary measure whilst "
                          "the council actively takes steps to fill a vacant DCS post (para 7): "
                          "appoint a separate DCS.",
                          how, why),
              {post.id, hops.id, holder.id});
}

Verdict DcsPoliticallyRestricted(const Facts& f) {
  if (auto v = NeedDcsHolder(f)) return *v;
  const Person& holder = *f.DcsHolder();
  if (holder.elected_member) {
    return Fail(fmt::format("The DCS, {}, is recorded as an elected member. The DCS is a "
                            "politically restricted post and its holder is disqualified from "
                            "being a member of the authority (para 2).",
                            holder.name),
                {f.Dcs()->id, holder.id});
  }
  return Pass(fmt::format("The DCS, {}, is not an elected member.", holder.name),
              {f.Dcs()->id, holder.id});
}

Verdict LmcsExecutiveMember(const Facts& f) {
  if (f.a().authority.governance == Governance::kCommittee) {
    return NotApplicable(
        "The authority operates the committee system, which has no executive (footnote 2).");
  }
  if (auto v = NeedLmcs(f)) return *v;
  const Person& lmcs = *f.Lmcs();
  for (MemberRole r : f.LmcsRoles()) {
    if (r == MemberRole::kCabinetMember || r == MemberRole::kLeader || r == MemberRole::kMayor) {
      return Pass(
          fmt::format("The LMCS, {}, is a member of the executive ({}).", lmcs.name, NameOf(r)),
          {lmcs.id});
    }
  }
  return Fail(fmt::format("The LMCS, {}, has no executive role (cabinet_member, leader or mayor). "
                          "The LMCS, as a member of the Council Executive, has political "
                          "responsibility for children's services (para 3): give them a cabinet "
                          "portfolio.",
                          lmcs.name),
              {lmcs.id});
}

// Whether some current review's scope covers every role in `needed`; fills `best_gap` with
// what the closest review lacked.
bool CurrentReviewCovers(const Facts& f, const std::vector<AssuredRole>& needed,
                         std::vector<std::string>& subjects, std::string& detail) {
  std::string closest;
  size_t closest_missing = needed.size() + 1;
  for (const Review* r : f.Reviews()) {
    std::vector<std::string> missing;
    for (AssuredRole role : needed) {
      if (!Contains(r->scope, role)) missing.emplace_back(NameOf(role));
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
  for (AssuredRole r : roles) names.emplace_back(NameOf(r));
  return names;
}

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
      if (IsAdditionalFunction(fn)) extra_functions.emplace_back(NameOf(fn));
    }
  }
  if (other_roles.empty() && extra_functions.empty()) {
    if (!post.functions) {
      return NotRecorded(fmt::format("The functions of the DCS post \"{}\" are not recorded, so "
                                     "it is not known whether it carries additional functions: "
                                     "fill in its functions.",
                                     post.title),
                         {post.id});
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
    what.push_back((extra_functions.size() == 1 ? "the function " : "the functions ") +
                   JoinNames(extra_functions));
  }
  if (!other_roles.empty()) {
    what.push_back((other_roles.size() == 1 ? "the statutory role " : "the statutory roles ") +
                   JoinNames(RoleNames(other_roles)));
  }
  std::vector<std::string> subjects{post.id};
  std::string detail;
  if (CurrentReviewCovers(f, needed, subjects, detail)) {
    return Pass(fmt::format("The DCS post \"{}\" also carries {}; {} assured {}.", post.title,
                            JoinNames(what), detail, JoinNames(RoleNames(needed))),
                subjects);
  }
  return Fail(fmt::format("The DCS post \"{}\" also carries {}, but no current local test of "
                          "assurance covers {} ({}). Carry out a review scoped to all of them so "
                          "that the focus on children is not weakened or diluted (para 6).",
                          post.title, JoinNames(what), JoinNames(RoleNames(needed)), detail),
              subjects);
}

Verdict LmcsAdditionalFunctionsAssured(const Facts& f) {
  if (auto v = NeedLmcs(f)) return *v;
  const Person& lmcs = *f.Lmcs();
  if (!f.LmcsPortfolio()) {
    return NotRecorded(fmt::format("The portfolio of the LMCS, {}, is not recorded, so it is not "
                                   "known whether it has additional functions: fill it in.",
                                   lmcs.name),
                       {lmcs.id});
  }
  std::vector<std::string> extra;
  for (Function fn : *f.LmcsPortfolio()) {
    if (IsAdditionalFunction(fn)) extra.emplace_back(NameOf(fn));
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
        fmt::format("The LMCS, {}, also holds {} {}; {} assured the lmcs role.", lmcs.name,
                    extra.size() == 1 ? "the function" : "the functions", JoinNames(extra), detail),
        subjects);
  }
  return Fail(fmt::format("The LMCS, {}, also holds {} {}, but no current review covers the lmcs "
                          "role ({}). Carry out a local test of assurance scoped to lmcs (para "
                          "6).",
                          lmcs.name, extra.size() == 1 ? "the function" : "the functions",
                          JoinNames(extra), detail),
              subjects);
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
    return Pass(fmt::format("The DCS post \"{}\" is shared with {}; {} assured the dcs role.",
                            post.title, others, detail),
                subjects);
  }
  return Fail(fmt::format("The DCS post \"{}\" is shared with {}, but no current review covers the "
                          "dcs role ({}). A joint DCS needs a local test of assurance that the "
                          "focus on this authority's children is not diluted (paras 6, 8).",
                          post.title, others, detail),
              subjects);
}

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
    return Pass(fmt::format("{} is current; the next review is due by {}.", name, due.ToString()),
                {newest_current->id});
  }
  if (!f.Latest()) {
    return Fail(
        "No review of the arrangements is recorded. The authority should assure itself, "
        "regularly and whenever its arrangements change, that they enable it to discharge its "
        "children's services functions: carry out a local test of assurance and record it under "
        "assurance.reviews.");
  }
  const Review& r = *f.Latest();
  return Fail(fmt::format("The latest review, {}, is no longer current: {}. Review the "
                          "arrangements again (paras 9-10).",
                          ReviewName(r), f.Staleness(r)),
              {r.id});
}

Verdict AgreedWithinCouncil(const Facts& f) {
  if (auto v = NeedLatestReview(f)) return *v;
  const Review& r = *f.Latest();
  std::vector<std::string> missing;
  if (!r.approved_by) missing.emplace_back("approved_by");
  if (!r.approved_on) missing.emplace_back("approved_on");
  if (!missing.empty()) {
    return Fail(fmt::format("The latest review, {}, has no {}: record which body of the council "
                            "agreed it, and when (para 11).",
                            ReviewName(r), JoinNames(missing)),
                {r.id});
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
    return Fail(fmt::format("The latest review, {}, is not recorded as having had {}. Assurance "
                            "should be self-assessed and subject to peer challenge and review "
                            "(para 11): set self_assessed and peer_challenged once done.",
                            ReviewName(r), JoinNames(missing)),
                {r.id});
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
    if (!Contains(r.elements, *Parse<Element>(name))) missing.emplace_back(name);
  }
  if (!missing.empty()) {
    return Fail(fmt::format("The latest review, {}, does not cover {} of the six essential "
                            "elements of para 12: {}.",
                            ReviewName(r), missing.size(), JoinNames(missing)),
                {r.id});
  }
  return Pass(fmt::format("The latest review, {}, covers all six essential elements of para 12.",
                          ReviewName(r)),
              {r.id});
}

Verdict Transparency(const Facts& f) {
  const auto& published = f.a().assurance.published;
  if (!published || !published->on) {
    return Fail(
        "No publication of who holds the DCS and LMCS roles is recorded. Para 12 asks for "
        "transparency for local communities: publish it and record assurance.published.on.");
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
      return Fail(
          fmt::format("The published statement of {} predates the appointment of the {}, "
                      "{}, on {}: publish who now holds the role.",
                      on.ToString(), h.role, h.person->name, h.person->appointed->ToString()),
          subjects);
    }
  }
  return Pass(fmt::format("Who holds the DCS and LMCS roles was published on {}.", on.ToString()),
              subjects);
}

std::string BodyNames(const std::vector<const Body*>& bodies) {
  std::vector<std::string> names;
  for (const Body* b : bodies) names.push_back("\"" + b->name + "\"");
  return JoinNames(names);
}

Verdict SafeguardingDcsMember(const Facts& f) {
  const auto& bodies = f.SafeguardingBodies();
  if (bodies.empty()) {
    return Fail(
        "No body of kind lscb or safeguarding_partnership is recorded, so the DCS cannot sit on "
        "one: record the local safeguarding arrangements and the DCS's seat (para 19).");
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
            fmt::format("The DCS, {}, sits on \"{}\" as {}.", dcs.name, b->name, NameOf(role)),
            subjects);
      }
      observer_only = true;
    }
  }
  for (const Body* b : bodies) subjects.push_back(b->id);
  return Fail(fmt::format("The DCS, {}, {} {}. The DCS should always be a member of the local "
                          "safeguarding arrangements (para 19): record their seat.",
                          dcs.name,
                          observer_only ? "is only a participating observer of" : "does not sit on",
                          BodyNames(bodies)),
              subjects);
}

Verdict SafeguardingLmcsObserver(const Facts& f) {
  const auto& bodies = f.SafeguardingBodies();
  if (bodies.empty()) {
    return Fail(
        "No body of kind lscb or safeguarding_partnership is recorded, so the LMCS cannot be a "
        "participating observer of one (para 20).");
  }
  if (auto v = NeedLmcs(f)) return *v;
  const Person& lmcs = *f.Lmcs();
  std::vector<std::string> subjects{lmcs.id};
  const Body* observed = nullptr;
  for (const Body* b : bodies) {
    for (SeatRole role : f.SeatsOf(*b, lmcs.id)) {
      if (role != SeatRole::kParticipatingObserver) {
        subjects.push_back(b->id);
        return Fail(fmt::format("The LMCS, {}, sits on \"{}\" as {}, a decision-making role. The "
                                "LMCS should be a participating observer only, to keep the "
                                "independence to challenge the DCS (para 20).",
                                lmcs.name, b->name, NameOf(role)),
                    subjects);
      }
      if (!observed) observed = b;
    }
  }
  if (!observed) {
    for (const Body* b : bodies) subjects.push_back(b->id);
    return Fail(
        fmt::format("The LMCS, {}, does not sit on {}. The LMCS should be a \"participating "
                    "observer\" (para 20): record their seat.",
                    lmcs.name, BodyNames(bodies)),
        subjects);
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
      return Fail(fmt::format("Who appoints the chair of \"{}\" is not recorded: it is the "
                              "responsibility of the Chief Executive (para 19). Record "
                              "chair_appointed_by.",
                              b->name),
                  {b->id});
    }
  }
  if (auto v = NeedHops(f)) return *v;
  const Post& hops = *f.Hops();
  for (const Body* b : lscbs) {
    subjects.push_back(b->id);
    if (*b->chair_appointed_by != hops.id) {
      const Post& by = f.PostById(*b->chair_appointed_by);
      return Fail(fmt::format("The chair of \"{}\" is appointed by \"{}\", not by the Chief "
                              "Executive (\"{}\"), whose responsibility it is (para 19).",
                              b->name, by.title, hops.title),
                  {b->id, by.id, hops.id});
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
    return Fail(
        "No health and wellbeing board is recorded. Every authority must have one, with the DCS "
        "as a statutory member (Health and Social Care Act 2012 s194): record it.");
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
  return Fail(fmt::format("The DCS, {}, does not sit on {}; the DCS is a statutory member of the "
                          "health and wellbeing board (s194): record their seat.",
                          dcs.name, BodyNames(boards)),
              subjects);
}

Verdict DphAppointed(const Facts& f) {
  const auto& posts = f.DphPosts();
  for (const Post* p : posts) {
    if (p->holder) {
      return Pass(fmt::format("{} is the Director of Public Health ({}).",
                              f.PersonById(*p->holder).name, p->title),
                  {p->id, *p->holder});
    }
  }
  if (posts.empty()) {
    return Fail(
        "No post carries the statutory role of Director of Public Health, with whom the DCS and "
        "LMCS must work closely (para 5): add dph to that post's statutory_roles.");
  }
  std::vector<std::string> ids;
  for (const Post* p : posts) ids.push_back(p->id);
  return Fail(fmt::format("The Director of Public Health post \"{}\" is vacant: record its holder.",
                          posts.front()->title),
              ids);
}

Verdict SchoolsForum(const Facts& f) {
  for (const Body& b : f.a().bodies) {
    if (b.kind == BodyKind::kSchoolsForum) {
      return Pass(fmt::format("\"{}\" is the schools forum.", b.name), {b.id});
    }
  }
  return Fail(
      "No body of kind schools_forum is recorded. The authority must establish a schools forum "
      "for its area (para 25): record it under bodies.");
}

Verdict CommissioningAccountablePost(const Facts& f) {
  std::vector<const CommissionedFunction*> providers;
  for (const CommissionedFunction& c : f.a().functions_commissioned) {
    bool children = false;
    for (Function fn : c.functions) children = children || !IsAdditionalFunction(fn);
    if (children) providers.push_back(&c);
  }
  if (providers.empty()) {
    return NotApplicable("No children's functions are commissioned from another provider.");
  }
  for (const CommissionedFunction* c : providers) {
    if (!c->accountable_post) {
      return Fail(fmt::format("\"{}\" delivers children's functions but no accountable_post is "
                              "recorded. The DCS is responsible for effective systems where "
                              "services are commissioned (para 1): name the council post that "
                              "holds the contract.",
                              c->name),
                  {c->id});
    }
  }
  if (auto v = NeedDcsPost(f)) return *v;
  const Post& dcs = *f.Dcs();
  std::vector<std::string> subjects;
  for (const CommissionedFunction* c : providers) {
    subjects.push_back(c->id);
    const Post& post = f.PostById(*c->accountable_post);
    if (post.id != dcs.id && !f.IsBelowDcs(&post)) {
      return Fail(
          fmt::format("\"{}\" is overseen by \"{}\", which is outside the DCS's line (\"{}\"). "
                      "Commissioned children's services should be accountable through "
                      "the DCS (paras 1, 12): make the accountable post the DCS or a post "
                      "below it.",
                      c->name, post.title, dcs.title),
          {c->id, post.id, dcs.id});
    }
  }
  std::vector<std::string> names;
  for (const CommissionedFunction* c : providers) names.push_back("\"" + c->name + "\"");
  return Pass(fmt::format("Every commissioned provider of children's functions ({}) is "
                          "accountable through the DCS's line.",
                          JoinNames(names)),
              subjects);
}

Verdict DcsOperationalLine(const Facts& f) {
  if (f.DcsPosts().size() > 1) return *NeedDcsPost(f);
  const Post* dcs = f.Dcs();
  std::vector<const Post*> operational;
  for (const Post& p : f.a().posts) {
    if (&p == dcs || !p.functions) continue;
    if (Contains(*p.functions, Function::kEducation) ||
        Contains(*p.functions, Function::kChildrensSocialCare)) {
      operational.push_back(&p);
    }
  }
  if (operational.empty()) {
    return NotApplicable(
        "No other post with education or children's social care functions is "
        "recorded.");
  }
  if (auto v = NeedDcsPost(f)) return *v;
  std::vector<std::string> outside_ids;
  std::vector<std::string> outside;
  for (const Post* p : operational) {
    if (!f.IsBelowDcs(p)) {
      outside_ids.push_back(p->id);
      outside.push_back(fmt::format("\"{}\"", p->title));
    }
  }
  if (!outside.empty()) {
    outside_ids.push_back(dcs->id);
    return Fail(fmt::format("{} {} education or children's social care functions outside the "
                            "DCS's line (\"{}\"). Operational matters stay within the DCS's "
                            "professional responsibility (Key points): bring {} under the DCS, or "
                            "record a departure with clear reasons.",
                            JoinNames(outside), outside.size() == 1 ? "has" : "have", dcs->title,
                            outside.size() == 1 ? "it" : "them"),
                outside_ids);
  }
  return Pass(operational.size() == 1
                  ? fmt::format("The one other post with education or children's social care "
                                "functions (\"{}\") is in the DCS's line.",
                                operational.front()->title)
                  : fmt::format("All {} other posts with education or children's social care "
                                "functions are in the DCS's line.",
                                operational.size()),
              {dcs->id});
}

Verdict SecondTierCredentials(const Facts& f) {
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
    return NotRecorded(fmt::format("The children's social care background of {}, who holds the "
                                   "safeguarding lead post \"{}\", is not recorded: fill in "
                                   "csc_background.{}",
                                   holder.name, unknown->title, stress),
                       {unknown->id, holder.id});
  }
  if (leads.empty()) {
    return Fail(fmt::format("No post below the DCS (\"{}\") is marked safeguarding_lead. The "
                            "second tier officer with fullest responsibility for children's "
                            "safeguarding must have strong credentials in children's social "
                            "care: identify that post.{}",
                            dcs.title, stress),
                {dcs.id});
  }
  std::vector<std::string> ids;
  for (const Post* p : leads) ids.push_back(p->id);
  return Fail(
      fmt::format("No safeguarding lead below the DCS has a holder with a strong children's "
                  "social care background (\"{}\" is {}).{}",
                  leads.front()->title,
                  leads.front()->holder ? "held by " + f.PersonById(*leads.front()->holder).name
                                        : std::string("vacant"),
                  stress),
      ids);
}

Verdict DcsMentoring(const Facts& f) {
  if (auto v = NeedDcsHolder(f)) return *v;
  const Person& dcs = *f.DcsHolder();
  if (!dcs.first_director_role) {
    return NotRecorded(fmt::format("Whether this is the first director role of the DCS, {}, is not "
                                   "recorded: fill in first_director_role.",
                                   dcs.name),
                       {dcs.id});
  }
  if (!*dcs.first_director_role) {
    return NotApplicable(fmt::format("The DCS, {}, has held a director role before.", dcs.name),
                         {dcs.id});
  }
  if (!dcs.mentor || dcs.mentor->find_first_not_of(" \t") == std::string::npos) {
    return Fail(fmt::format("This is the first director role of the DCS, {}, and no mentor is "
                            "recorded. A mentoring relationship with an experienced DCS (such as "
                            "the ADCS scheme) is strongly advised: record the mentor.",
                            dcs.name),
                {dcs.id});
  }
  return Pass(
      fmt::format("The DCS, {}, a first-time director, is mentored ({}).", dcs.name, *dcs.mentor),
      {dcs.id});
}

Verdict DcsDueDiligence(const Facts& f) {
  if (auto v = NeedDcsHolder(f)) return *v;
  const Person& dcs = *f.DcsHolder();
  if (!dcs.due_diligence) {
    return Fail(fmt::format("No due diligence before the appointment of the DCS, {}, is recorded. "
                            "Any DCS appointment, interims included, needs a full and verifiable "
                            "assessment of the candidate's background and Ofsted track record: "
                            "record the date it was completed.",
                            dcs.name),
                {dcs.id});
  }
  if (!dcs.appointed) {
    return NotRecorded(fmt::format("The appointment date of the DCS, {}, is not recorded, so the "
                                   "due diligence of {} cannot be compared with it: fill in "
                                   "appointed.",
                                   dcs.name, dcs.due_diligence->ToString()),
                       {dcs.id});
  }
  if (*dcs.due_diligence > *dcs.appointed) {
    return Fail(fmt::format("Due diligence on the DCS, {}, was completed on {}, after the "
                            "appointment on {}: checks belong before the appointment.",
                            dcs.name, dcs.due_diligence->ToString(), dcs.appointed->ToString()),
                {dcs.id});
  }
  return Pass(fmt::format("Due diligence on the DCS, {}, was completed on {}, before the "
                          "appointment on {}.",
                          dcs.name, dcs.due_diligence->ToString(), dcs.appointed->ToString()),
              {dcs.id});
}

Verdict DcsChildrenInvolved(const Facts& f) {
  if (auto v = NeedDcsHolder(f)) return *v;
  const Person& dcs = *f.DcsHolder();
  if (dcs.children_involved_in_appointment && *dcs.children_involved_in_appointment) {
    return Pass(
        fmt::format("Children and young people were involved in appointing the DCS, {}.", dcs.name),
        {dcs.id});
  }
  return Fail(fmt::format("Children and young people are not recorded as involved in the "
                          "appointment of the DCS, {}; authorities are strongly encouraged to "
                          "involve them (para 2).",
                          dcs.name),
              {dcs.id});
}

// ---- The table -------------------------------------------------------------------------------

struct CheckEntry {
  CheckInfo info;
  Verdict (*judge)(const Facts&);
};

const std::vector<CheckEntry>& Table() {
  using M = Modality;
  static const std::vector<CheckEntry> kTable = {
      {{"dcs.appointed",
        M::kMust,
        {"KP1", "1"},
        "A Director of Children's Services is appointed",
        "exactly one post carries dcs, and it has a holder"},
       DcsAppointed},
      {{"lmcs.designated",
        M::kMust,
        {"KP1", "3"},
        "A Lead Member for Children's Services is designated",
        "exactly one person is designated lmcs, and that person is an elected member"},
       LmcsDesignated},
      {{"dcs.integrated-brief",
        M::kMust,
        {"KP3", "5"},
        "The DCS covers education and social care",
        "the DCS post's functions include both education and childrens_social_care"},
       DcsIntegratedBrief},
      {{"lmcs.integrated-brief",
        M::kMust,
        {"KP3", "4", "5"},
        "The LMCS covers education and social care",
        "the LMCS's portfolio includes both education and childrens_social_care"},
       LmcsIntegratedBrief},
      {{"dcs.reports-to-ceo",
        M::kShould,
        {"KP5", "1", "2"},
        "The DCS reports to the Chief Executive",
        "the DCS post is first tier: its reports_to is the head of paid service's post"},
       DcsReportsToCeo},
      {{"dcs.not-ceo",
        M::kShould,
        {"7", "CE"},
        "The DCS is not the Chief Executive",
        "the DCS post is not the head of paid service's post and its holder does not hold that "
        "post, save as a temporary measure while actively recruiting"},
       DcsNotCeo},
      {{"dcs.politically-restricted",
        M::kMust,
        {"2"},
        "The DCS is not an elected member",
        "the DCS's holder is not an elected member"},
       DcsPoliticallyRestricted},
      {{"lmcs.executive-member",
        M::kShould,
        {"3"},
        "The LMCS is a member of the executive",
        "the LMCS has the role cabinet_member, leader or mayor"},
       LmcsExecutiveMember},
      {{"dcs.additional-functions-assured",
        M::kShould,
        {"KP7", "6", "CE"},
        "A DCS with additional functions or roles is assured",
        "a current review's scope includes dcs and every other statutory role the post carries "
        "or its holder holds"},
       DcsAdditionalFunctionsAssured},
      {{"lmcs.additional-functions-assured",
        M::kShould,
        {"KP7", "6"},
        "An LMCS with additional functions is assured",
        "a current review's scope includes lmcs"},
       LmcsAdditionalFunctionsAssured},
      {{"dcs.joint-appointment-assured",
        M::kShould,
        {"8", "6", "CE"},
        "A DCS shared with another authority is assured",
        "a current review's scope includes dcs"},
       DcsJointAppointmentAssured},
      {{"assurance.review-current",
        M::kShould,
        {"KP6", "9", "10"},
        "The arrangements have a current review",
        "a review exists that is current at as_of"},
       ReviewCurrent},
      {{"assurance.agreed-within-council",
        M::kShould,
        {"11"},
        "The latest review was agreed within the council",
        "the latest review has approved_by and approved_on"},
       AgreedWithinCouncil},
      {{"assurance.self-and-peer",
        M::kShould,
        {"11"},
        "The latest review was self-assessed and peer-challenged",
        "the latest review has self_assessed: true and peer_challenged: true"},
       SelfAndPeer},
      {{"assurance.essential-elements",
        M::kShould,
        {"12"},
        "The latest review covers the six essential elements",
        "the latest review's elements include all six of para 12"},
       EssentialElements},
      {{"assurance.transparency",
        M::kShould,
        {"12"},
        "Who holds the DCS and LMCS roles is published",
        "published.on exists and is not earlier than the appointed date of the current DCS "
        "holder or LMCS"},
       Transparency},
      {{"safeguarding.dcs-member",
        M::kShould,
        {"19"},
        "The DCS sits on the safeguarding arrangements",
        "the DCS's holder sits on an lscb or safeguarding_partnership other than as "
        "participating_observer"},
       SafeguardingDcsMember},
      {{"safeguarding.lmcs-observer",
        M::kShould,
        {"20"},
        "The LMCS is a participating observer of safeguarding",
        "the LMCS sits on that body as participating_observer and in no other role"},
       SafeguardingLmcsObserver},
      {{"safeguarding.chair-appointed-by-ceo",
        M::kShould,
        {"19"},
        "The Chief Executive appoints the LSCB chair",
        "every lscb's chair_appointed_by is the head of paid service's post"},
       ChairAppointedByCeo},
      {{"hwb.dcs-member",
        M::kMust,
        {"16"},
        "The DCS sits on the health and wellbeing board",
        "a health_and_wellbeing_board exists and the DCS's holder is on it"},
       HwbDcsMember},
      {{"partnership.dph-appointed",
        M::kMust,
        {"5"},
        "A Director of Public Health is in post",
        "a post carries dph and has a holder"},
       DphAppointed},
      {{"schools-forum.established",
        M::kMust,
        {"25"},
        "A schools forum is established",
        "a body of kind schools_forum exists"},
       SchoolsForum},
      {{"commissioning.accountable-post",
        M::kShould,
        {"1", "12"},
        "Commissioned children's services are accountable through the DCS",
        "every commissioned provider of children's functions has an accountable_post that is "
        "the DCS post or below it"},
       CommissioningAccountablePost},
      {{"dcs.operational-line",
        M::kShould,
        {"KP4", "1"},
        "Children's operational posts are in the DCS's line",
        "every other post with education or childrens_social_care functions is below the DCS "
        "post"},
       DcsOperationalLine},
      {{"safeguarding.second-tier-credentials",
        M::kAdvice,
        {"CE"},
        "The second-tier safeguarding lead has strong credentials",
        "a post below the DCS has safeguarding_lead: true and its holder's csc_background is "
        "strong"},
       SecondTierCredentials},
      {{"dcs.mentoring",
        M::kAdvice,
        {"CE"},
        "A first-time DCS has a mentor",
        "where the DCS's holder has first_director_role: true, a mentor is recorded"},
       DcsMentoring},
      {{"dcs.due-diligence",
        M::kAdvice,
        {"CE"},
        "Due diligence preceded the DCS's appointment",
        "the DCS's holder has a due_diligence date on or before appointed"},
       DcsDueDiligence},
      {{"dcs.children-involved",
        M::kAdvice,
        {"2"},
        "Children were involved in appointing the DCS",
        "the DCS's holder has children_involved_in_appointment: true"},
       DcsChildrenInvolved},
  };
  return kTable;
}

const std::vector<CheckInfo>& Infos() {
  static const std::vector<CheckInfo> kInfos = [] {
    std::vector<CheckInfo> infos;
    for (const CheckEntry& e : Table()) infos.push_back(e.info);
    return infos;
  }();
  return kInfos;
}

bool IsBlank(const std::optional<std::string>& s) {
  return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
}

// Applies the recorded departures to a failing check (docs/checks.md, "Outcome of a check").
void ApplyDepartures(const Arrangements& a, Date as_of, const CheckInfo& info, Finding& finding) {
  if (finding.status != Status::kFail) return;
  const Departure* valid = nullptr;
  const Departure* expired = nullptr;
  const Departure* unagreed = nullptr;
  for (const Departure& d : a.assurance.departures) {
    if (d.check != info.id) continue;
    if (d.agreed_on && *d.agreed_on > as_of) continue;  // not yet agreed on this date
    if (IsBlank(d.reason) || !d.agreed_on) {
      if (!unagreed) unagreed = &d;
    } else if (d.review_by && *d.review_by < as_of) {
      if (!expired) expired = &d;
    } else if (!valid) {
      valid = &d;
    }
  }
  const Departure* any = valid ? valid : expired ? expired : unagreed;
  if (!any) return;
  if (info.modality == Modality::kMust) {
    finding.message +=
        " A departure is recorded, but a departure cannot make a legal requirement "
        "optional: this stays a failure.";
    return;
  }
  if (valid) {
    finding.status = Status::kDeparture;
    std::string by;
    if (valid->agreed_by) {
      by = " by " + *valid->agreed_by;
      for (const Body& b : a.bodies) {
        if (b.id == *valid->agreed_by) by = " by " + b.name;
      }
    }
    finding.message += fmt::format(
        " Departure agreed{} on {}: \"{}\"{}.", by, valid->agreed_on->ToString(), *valid->reason,
        valid->review_by ? ", to be reviewed by " + valid->review_by->ToString() : "");
    if (valid->agreed_by) finding.subjects.push_back(*valid->agreed_by);
    return;
  }
  if (expired) {
    finding.message += fmt::format(" A departure was agreed on {} but expired on {}: review it.",
                                   expired->agreed_on->ToString(), expired->review_by->ToString());
    return;
  }
  finding.message +=
      " A departure is recorded but does not apply: it needs a reason and an "
      "agreed_on date.";
}

}  // namespace

std::span<const CheckInfo> Checks() { return Infos(); }

const CheckInfo* FindCheck(std::string_view id) {
  for (const CheckInfo& info : Infos()) {
    if (info.id == id) return &info;
  }
  return nullptr;
}

CheckReport RunChecks(const Arrangements& arrangements, Date as_of) {
  CheckReport report;
  report.authority = arrangements.authority.id;
  report.as_of = as_of;
  report.guidance = std::string(kGuidanceId);
  const bool district = arrangements.authority.type == AuthorityType::kDistrict;
  std::optional<Facts> facts;
  if (!district) facts.emplace(arrangements, as_of);
  for (const CheckEntry& entry : Table()) {
    Finding finding;
    finding.check = std::string(entry.info.id);
    finding.modality = entry.info.modality;
    for (std::string_view r : entry.info.refs) finding.refs.emplace_back(r);
    Verdict verdict =
        district ? NotApplicable("A district council is not a children's services authority.")
                 : entry.judge(*facts);
    finding.status = verdict.status;
    finding.message = std::move(verdict.message);
    finding.subjects = std::move(verdict.subjects);
    ApplyDepartures(arrangements, as_of, entry.info, finding);
    ++report.summary[static_cast<size_t>(finding.status)];
    report.findings.push_back(std::move(finding));
  }
  report.warnings = FindWarnings(arrangements, as_of);
  return report;
}

}  // namespace assure
