// The parts the structural checks are made of, private to src/core: a check's verdict, the facts
// every check derives from the arrangements (computed once per run), the shared verdicts for a
// missing role or fact, and the judge of each check, grouped by the area of the guidance it
// belongs to. The ordered registry of checks is the table in checks.cpp.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/checks.hpp"

namespace assure::checks {

// What a check function concludes before departures are considered.
struct Verdict {
  Status status = Status::kPass;
  std::string message;
  std::vector<std::string> subjects;
  std::string fix;  // what to change in the file: the field, and what to put there
};

// `v` with what to change in the file to put it right.
inline Verdict WithFix(Verdict v, std::string fix) {
  v.fix = std::move(fix);
  return v;
}

inline Verdict Pass(std::string message, std::vector<std::string> subjects = {}) {
  return {Status::kPass, std::move(message), std::move(subjects), {}};
}
inline Verdict Fail(std::string message, std::vector<std::string> subjects = {}) {
  return {Status::kFail, std::move(message), std::move(subjects), {}};
}
inline Verdict NotRecorded(std::string message, std::vector<std::string> subjects = {}) {
  return {Status::kNotRecorded, std::move(message), std::move(subjects), {}};
}
inline Verdict NotApplicable(std::string message, std::vector<std::string> subjects = {}) {
  return {Status::kNotApplicable, std::move(message), std::move(subjects), {}};
}

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// "a, b and c".
std::string JoinNames(const std::vector<std::string>& parts);

// "a restructure", "an appointment": how a message speaks of a change.
std::string_view ChangePhrase(ChangeKind kind);

// Everything the checks derive from the arrangements, computed once so that the whole run is
// linear in the size of the file.
class Facts {
 public:
  // Requires: `a` satisfies the file's rules (as the loader guarantees); `a` outlives this.
  Facts(const Arrangements& a, Date as_of);

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
  // The latest change on or before as_of that bears on the statutory roles (edge case 7).
  const Change* LastChange() const { return last_change_; }
  // False only for an appointment, interim or vacancy that lists posts, none of which carries a
  // statutory role (appointing a Head of Virtual School does not call for a new review).
  bool BearsOnStatutoryRoles(const Change& c) const;
  int IntervalMonths() const { return a_.assurance.review_interval_months; }
  // "12 months, the council's chosen interval": the interval is the council's, not the law's.
  std::string IntervalPhrase() const {
    return fmt::format("{} month{}, the council's chosen interval", IntervalMonths(),
                       IntervalMonths() == 1 ? "" : "s");
  }
  static constexpr std::string_view kRegularReview = "para 10 asks for regular review";

  // Why a review is no longer current at as_of, or an empty string while it is.
  std::string Staleness(const Review& r) const {
    const Date expires = r.date.AddMonths(IntervalMonths());
    if (as_of_ >= expires) {
      return fmt::format("it lapsed on {}, {} after it ({})", expires.ToString(), IntervalPhrase(),
                         kRegularReview);
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

// ---- Shared verdicts for a missing role or fact (checks_facts.cpp) -------------------------
// Each returns the verdict to give when the role or fact is missing, or nullopt when it is there.

// The one DCS post (edge case 2).
std::optional<Verdict> NeedDcsPost(const Facts& f);
// The one DCS post and its holder.
std::optional<Verdict> NeedDcsHolder(const Facts& f);
// The one head of paid service's post (edge case 4).
std::optional<Verdict> NeedHops(const Facts& f);
// The one LMCS.
std::optional<Verdict> NeedLmcs(const Facts& f);
// The latest review.
std::optional<Verdict> NeedLatestReview(const Facts& f);

// "the audit of 2016-03-15 (review-2016-03)".
std::string ReviewName(const Review& r);
// "\"A\" and \"B\"": the names of bodies, quoted.
std::string BodyNames(const std::vector<const Body*>& bodies);

// ---- The judges, by area of the guidance ----------------------------------------------------

// The DCS and the LMCS, and a clear line of accountability (key points, paras 1-5):
// checks_roles.cpp.
Verdict DcsAppointed(const Facts& f);
Verdict LmcsDesignated(const Facts& f);
Verdict DcsIntegratedBrief(const Facts& f);
Verdict LmcsIntegratedBrief(const Facts& f);
Verdict DcsReportsToCeo(const Facts& f);
Verdict DcsPoliticallyRestricted(const Facts& f);
Verdict LmcsExecutiveMember(const Facts& f);
Verdict DcsChildrenInvolved(const Facts& f);
Verdict DphAppointed(const Facts& f);
Verdict CommissioningAccountablePost(const Facts& f);
Verdict DcsOperationalLine(const Facts& f);

// Additional functions and joint appointments (paras 6-8): checks_additional_functions.cpp.
Verdict DcsNotCeo(const Facts& f);
Verdict DcsAdditionalFunctionsAssured(const Facts& f);
Verdict LmcsAdditionalFunctionsAssured(const Facts& f);
Verdict DcsJointAppointmentAssured(const Facts& f);

// Local assurance (key point 6, paras 9-12): checks_assurance.cpp.
Verdict ReviewCurrent(const Facts& f);
Verdict AgreedWithinCouncil(const Facts& f);
Verdict SelfAndPeer(const Facts& f);
Verdict EssentialElements(const Facts& f);
Verdict Transparency(const Facts& f);

// Leadership and partnership, safeguarding, educational excellence (paras 13-25):
// checks_partnership.cpp.
Verdict SafeguardingDcsMember(const Facts& f);
Verdict SafeguardingLmcsObserver(const Facts& f);
Verdict ChairAppointedByCeo(const Facts& f);
Verdict HwbDcsMember(const Facts& f);
Verdict SchoolsForum(const Facts& f);

// The advice to chief executives: checks_chief_executive_advice.cpp.
Verdict SecondTierCredentials(const Facts& f);
Verdict DcsMentoring(const Facts& f);
Verdict DcsDueDiligence(const Facts& f);

}  // namespace assure::checks
