// The registry of the structural checks, in the order of the reference: each check's identity
// and its judge (the judges live in checks_<area>.cpp, by area of the guidance), the departures,
// and the run over an authority's arrangements.
#include "core/checks.hpp"

#include <fmt/format.h>

#include "core/checks_judges.hpp"

namespace assure {

KeyRoles FindKeyRoles(const Arrangements& a) {
  KeyRoles key;
  for (const Post& post : a.posts) {
    if (checks::Contains(post.statutory_roles, StatutoryRole::kDcs)) key.dcs_posts.push_back(&post);
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
    if (checks::Contains(m.designations, Designation::kLmcs) &&
        !checks::Contains(key.lmcs_ids, m.person)) {
      key.lmcs_ids.push_back(m.person);
    }
  }
  if (key.lmcs_ids.size() == 1) key.lmcs = person(key.lmcs_ids.front());
  return key;
}

namespace {

// The judges and the parts they share.
using namespace checks;  // NOLINT(google-build-using-namespace)

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
        "exactly one post carries dcs, and it has a holder",
        "p1.appoint-dcs",
        "Children Act 2004 s18(1) (para 1)",
        "Fails when no post, or more than one, carries dcs, or the one DCS post is vacant. Never "
        "not recorded or not applicable (but for a district council)."},
       DcsAppointed},
      {{"lmcs.designated",
        M::kMust,
        {"KP1", "3"},
        "A Lead Member for Children's Services is designated",
        "exactly one person is designated lmcs, and that person is an elected member",
        "p3.designate-lmcs",
        "Children Act 2004 s19(1) (para 3)",
        "Fails when nobody, or more than one person, is designated lmcs, or the one LMCS is not an "
        "elected member (the other LMCS checks are still judged on them)."},
       LmcsDesignated},
      {{"dcs.integrated-brief",
        M::kMust,
        {"KP3", "5"},
        "The DCS covers education and social care",
        "the DCS post's functions include both education and childrens_social_care",
        "kp3.single-officer-and-member",
        "key point 3",
        "Fails when the DCS post's functions lack education or childrens_social_care. Not recorded "
        "when the post's functions are not recorded, or there is not exactly one DCS post."},
       DcsIntegratedBrief},
      {{"lmcs.integrated-brief",
        M::kMust,
        {"KP3", "4", "5"},
        "The LMCS covers education and social care",
        "the LMCS's portfolio includes both education and childrens_social_care",
        "kp3.single-officer-and-member",
        "key point 3",
        "Fails when the LMCS's portfolio (merged over all their member entries) lacks education or "
        "childrens_social_care. Not recorded without exactly one LMCS or when no entry records a "
        "portfolio."},
       LmcsIntegratedBrief},
      {{"dcs.reports-to-ceo",
        M::kShould,
        {"KP5", "1", "2"},
        "The DCS reports to the Chief Executive",
        "the DCS post is first tier: its reports_to is the head of paid service's post",
        "kp5.first-tier-reporting-to-ceo",
        "key point 5",
        "Fails when the DCS post reports to another post. Not applicable when the DCS post itself "
        "carries head_of_paid_service (dcs.not-ceo judges that). Not recorded when the DCS post "
        "has no reports_to, or not exactly one post carries head_of_paid_service."},
       DcsReportsToCeo},
      {{"dcs.not-ceo",
        M::kShould,
        {"7", "CE"},
        "The DCS is not the Chief Executive",
        "the DCS post is not the head of paid service's post and its holder does not hold that "
        "post, save as a temporary measure while actively recruiting",
        "p7.dcs-not-chief-executive",
        "para 7",
        "Fails when the DCS post is the head of paid service's post, or its holder also holds that "
        "post, without the temporary measure. A vacant DCS post is not recorded, unless it itself "
        "carries head_of_paid_service: then the post alone decides. Not recorded when not exactly "
        "one post carries head_of_paid_service."},
       DcsNotCeo},
      {{"dcs.politically-restricted",
        M::kMust,
        {"2"},
        "The DCS is not an elected member",
        "the DCS's holder is not an elected member",
        "p2.politically-restricted",
        "Local Government and Housing Act 1989 s1 and s2 (para 2)",
        "Fails when the DCS's holder is an elected member. Not recorded when the DCS post is "
        "vacant or there is not exactly one."},
       DcsPoliticallyRestricted},
      {{"lmcs.executive-member",
        M::kShould,
        {"3"},
        "The LMCS is a member of the executive",
        "the LMCS has the role cabinet_member, leader or mayor",
        "p3.executive-member",
        "para 3",
        "Fails when the LMCS has none of those roles in any member entry. Not applicable under "
        "governance: committee (footnote 2). Not recorded without exactly one LMCS."},
       LmcsExecutiveMember},
      {{"dcs.additional-functions-assured",
        M::kShould,
        {"KP7", "6", "CE"},
        "A DCS with additional functions or roles is assured",
        "a current review's scope includes dcs and every other statutory role the post carries "
        "or its holder holds",
        "p6.local-test-of-assurance",
        "para 6",
        "Fails when no current review's scope covers them all. Not applicable when the DCS post "
        "has no function outside children's services and no other statutory role (nor its holder). "
        "Not recorded when the post's functions are not recorded and nothing else decides."},
       DcsAdditionalFunctionsAssured},
      {{"lmcs.additional-functions-assured",
        M::kShould,
        {"KP7", "6"},
        "An LMCS with additional functions is assured",
        "a current review's scope includes lmcs",
        "p6.local-test-of-assurance",
        "para 6",
        "Fails when no current review's scope includes lmcs. Not applicable when the portfolio has "
        "no function outside children's services. Not recorded when the portfolio is not "
        "recorded."},
       LmcsAdditionalFunctionsAssured},
      {{"dcs.joint-appointment-assured",
        M::kShould,
        {"8", "6", "CE"},
        "A DCS shared with another authority is assured",
        "a current review's scope includes dcs",
        "p6.local-test-of-assurance",
        "para 6",
        "Fails when no current review's scope includes dcs. Not applicable when the DCS post has "
        "no shared_with."},
       DcsJointAppointmentAssured},
      {{"assurance.review-current",
        M::kShould,
        {"KP6", "9", "10"},
        "The arrangements have a current review",
        "a review exists that is current at as_of",
        "p10.assurance-checks",
        "para 10",
        "Fails when no review is recorded, or none is current: older than the council's "
        "review_interval_months, or followed by a change that bears on the statutory roles. An "
        "appointment, interim or vacancy that lists only posts carrying no statutory role does not "
        "make a review stale."},
       ReviewCurrent},
      {{"assurance.agreed-within-council",
        M::kShould,
        {"11"},
        "The latest review was agreed within the council",
        "the latest review has approved_by and approved_on",
        "p11.agreed-within-council",
        "para 11",
        "Fails when the latest review lacks approved_by or approved_on. Not recorded when no "
        "review is recorded (assurance.review-current fails)."},
       AgreedWithinCouncil},
      {{"assurance.self-and-peer",
        M::kShould,
        {"11"},
        "The latest review was self-assessed and peer-challenged",
        "the latest review has self_assessed: true and peer_challenged: true",
        "p11.self-assessment-and-peer-challenge",
        "para 11",
        "Fails when either is absent or false. Not recorded when no review is recorded."},
       SelfAndPeer},
      {{"assurance.essential-elements",
        M::kShould,
        {"10", "12"},
        "The latest review covers the six essential elements",
        "the latest review's elements include all six of para 12",
        "p10.assurance-checks",
        "para 10",
        "Fails when any of the six is missing; the message names them. Not recorded when no review "
        "is recorded."},
       EssentialElements},
      {{"assurance.transparency",
        M::kShould,
        {"12"},
        "Who holds the DCS and LMCS roles is published",
        "published.on exists and is not earlier than the appointed date of the current DCS "
        "holder or LMCS",
        "p12.own-process-and-transparency",
        "para 12",
        "Fails when published.on is absent, or earlier than the appointed date of the DCS's holder "
        "or the LMCS (a role missing, or with no date, is skipped)."},
       Transparency},
      {{"safeguarding.dcs-member",
        M::kShould,
        {"19"},
        "The DCS sits on the safeguarding arrangements",
        "the DCS's holder sits on an lscb or safeguarding_partnership other than as "
        "participating_observer",
        "p19.dcs-lscb-member",
        "para 19",
        "Fails when there is no such body, or the DCS sits on none, or only as "
        "participating_observer. Not recorded when the DCS's holder is not known and a body "
        "exists."},
       SafeguardingDcsMember},
      {{"safeguarding.lmcs-observer",
        M::kShould,
        {"20"},
        "The LMCS is a participating observer of safeguarding",
        "the LMCS sits on that body as participating_observer and in no other role",
        "p20.lmcs-participating-observer",
        "para 20",
        "Fails when there is no such body, the LMCS has no seat, or sits in any other role on any "
        "of them. Not recorded without exactly one LMCS."},
       SafeguardingLmcsObserver},
      {{"safeguarding.chair-appointed-by-ceo",
        M::kShould,
        {"19"},
        "The Chief Executive appoints the LSCB chair",
        "every lscb's chair_appointed_by is the head of paid service's post",
        "p19.ceo-and-lscb-chair",
        "para 19",
        "Fails when an lscb has no chair_appointed_by, or it names another post. Not applicable "
        "when there is no lscb (the 2019 safeguarding partnerships replaced them). Not recorded "
        "when not exactly one post carries head_of_paid_service."},
       ChairAppointedByCeo},
      {{"hwb.dcs-member",
        M::kMust,
        {"16"},
        "The DCS sits on the health and wellbeing board",
        "a health_and_wellbeing_board exists and the DCS's holder is on it",
        "p16.hwb-jsna",
        "Health and Social Care Act 2012 s194(1) and s194(2)(c) (para 16)",
        "Fails when there is no health and wellbeing board, or the DCS has no seat on any (any "
        "seat, the chair included, counts). Not recorded when a board exists but the DCS's holder "
        "is not known."},
       HwbDcsMember},
      {{"partnership.dph-appointed",
        M::kMust,
        {"5"},
        "A Director of Public Health is in post",
        "a post carries dph and has a holder",
        "p5.work-with-dph",
        "National Health Service Act 2006 s73A(1) (para 5)",
        "Fails when no post carries dph, or every dph post is vacant."},
       DphAppointed},
      {{"schools-forum.established",
        M::kMust,
        {"25"},
        "A schools forum is established",
        "a body of kind schools_forum exists",
        "p25.schools-forum-and-finance",
        "School Standards and Framework Act 1998 s47A and s48 (para 25)",
        "Fails when there is none."},
       SchoolsForum},
      {{"commissioning.accountable-post",
        M::kShould,
        {"1", "12"},
        "Commissioned children's services are accountable through the DCS",
        "every commissioned provider of children's functions has an accountable_post that is "
        "the DCS post or below it",
        "p1.effective-systems-commissioned",
        "para 1",
        "Fails when a provider has no accountable_post or it is outside the DCS's line. Not "
        "applicable when nothing commissioned includes a children's function. Not recorded when "
        "there is not exactly one DCS post."},
       CommissioningAccountablePost},
      {{"dcs.operational-line",
        M::kShould,
        {"KP4", "1"},
        "Children's operational posts are in the DCS's line",
        "every other post with education or childrens_social_care functions is below the DCS "
        "post",
        "kp4.professional-and-political",
        "key point 4",
        "Fails when such a post is outside the DCS's line. Not applicable when no other post with "
        "recorded functions has either. Not recorded when several posts carry dcs, or none does "
        "and such posts exist."},
       DcsOperationalLine},
      {{"safeguarding.second-tier-credentials",
        M::kAdvice,
        {"CE"},
        "The second-tier safeguarding lead has strong credentials",
        "a post below the DCS has safeguarding_lead: true and its holder's csc_background is "
        "strong",
        "ce.second-tier-credentials",
        "the advice to chief executives",
        "Not recorded when no lead holder is strong and some lead holder's background is not "
        "recorded. Fails when no lead post, a vacant one, or holders with some or none. With no "
        "DCS post: fails when no lead post anywhere has a holder whose background is strong or not "
        "recorded; otherwise not recorded."},
       SecondTierCredentials},
      {{"dcs.mentoring",
        M::kAdvice,
        {"CE"},
        "A first-time DCS has a mentor",
        "where the DCS's holder has first_director_role: true, a mentor is recorded",
        "ce.mentoring",
        "the advice to chief executives",
        "Fails when it is the DCS's first director role and no mentor is recorded. Not applicable "
        "when first_director_role is false. Not recorded when it is not recorded, or the DCS is "
        "not known."},
       DcsMentoring},
      {{"dcs.due-diligence",
        M::kAdvice,
        {"CE"},
        "Due diligence preceded the DCS's appointment",
        "the DCS's holder has a due_diligence date on or before appointed",
        "ce.due-diligence",
        "the advice to chief executives",
        "Fails when due_diligence is absent (whatever else is recorded) or later than appointed. "
        "Not recorded when appointed is not recorded, or the DCS is not known."},
       DcsDueDiligence},
      {{"dcs.children-involved",
        M::kAdvice,
        {"2"},
        "Children were involved in appointing the DCS",
        "the DCS's holder has children_involved_in_appointment: true",
        "p2.children-in-appointment",
        "para 2",
        "Fails when children_involved_in_appointment is absent or false. Not recorded when the DCS "
        "is not known."},
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

// Applies the recorded departures to a failing check (docs/checks.md, "Outcomes").
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
    finding.force_source = std::string(entry.info.force_source);
    for (std::string_view r : entry.info.refs) finding.refs.emplace_back(r);
    Verdict verdict =
        district ? NotApplicable("A district council is not a children's services authority.")
                 : entry.judge(*facts);
    finding.status = verdict.status;
    finding.message = std::move(verdict.message);
    finding.subjects = std::move(verdict.subjects);
    finding.fix = std::move(verdict.fix);
    ApplyDepartures(arrangements, as_of, entry.info, finding);
    ++report.summary[static_cast<size_t>(finding.status)];
    report.findings.push_back(std::move(finding));
  }
  report.warnings = FindWarnings(arrangements, as_of);
  return report;
}

}  // namespace assure
