// The DCS and the LMCS, and a clear line of accountability: the key points and paras 1-5.
#include <fmt/format.h>

#include "core/checks_judges.hpp"

namespace assure::checks {

Verdict DcsAppointed(const Facts& f) {
  const auto& posts = f.DcsPosts();
  if (posts.empty()) {
    return WithFix(
        Fail("No post carries the statutory role of Director of Children's Services. Section 18 of "
             "the Children Act 2004 requires the authority to appoint one."),
        "posts[].statutory_roles: add dcs to the post that holds the role");
  }
  if (posts.size() > 1) {
    std::vector<std::string> ids;
    std::vector<std::string> names;
    for (const Post* p : posts) {
      ids.push_back(p->id);
      names.push_back(f.Describe(*p));
    }
    return WithFix(
        Fail(fmt::format("{} posts carry the statutory role of DCS ({}); the guidance requires "
                         "a single officer responsible for both education and children's "
                         "social care. Keep dcs on one post only.",
                         posts.size(), JoinNames(names)),
             ids),
        "posts[].statutory_roles: keep dcs on one post only");
  }
  const Post& post = *posts.front();
  if (!post.holder) {
    return WithFix(
        Fail(fmt::format("The DCS post \"{}\" is vacant. The authority must have a Director of "
                         "Children's Services in post: record the holder, or an interim.",
                         post.title),
             {post.id}),
        "posts[].holder of the DCS post: the id of the person who holds it, or of an interim");
  }
  return Pass(fmt::format("{} is the Director of Children's Services ({}).", f.DcsHolder()->name,
                          post.title),
              {post.id, *post.holder});
}

Verdict LmcsDesignated(const Facts& f) {
  const auto& ids = f.LmcsIds();
  if (ids.empty()) {
    return WithFix(
        Fail("No elected member is designated Lead Member for Children's Services. Section 19 of "
             "the Children Act 2004 requires the authority to designate one."),
        "members[].designations: add lmcs to the Lead Member's entry");
  }
  if (ids.size() > 1) {
    std::vector<std::string> names;
    for (const std::string& id : ids) names.push_back(f.PersonById(id).name);
    return WithFix(
        Fail(fmt::format("{} people are designated LMCS ({}); the guidance requires a single "
                         "elected member responsible for children's services.",
                         ids.size(), JoinNames(names)),
             ids),
        "members[].designations: keep lmcs on one member's entries only");
  }
  const Person& lmcs = *f.Lmcs();
  if (!lmcs.elected_member) {
    return WithFix(
        Fail(fmt::format("{} is designated LMCS but is not an elected member; the LMCS must be "
                         "one of the authority's councillors (s19 Children Act 2004).",
                         lmcs.name),
             {lmcs.id}),
        "members[].designations: designate an elected member (a person with elected_member: true) "
        "as lmcs");
  }
  return Pass(fmt::format("{} is the Lead Member for Children's Services.", lmcs.name), {lmcs.id});
}

namespace {

std::vector<std::string> MissingIntegrated(const std::vector<Function>& functions) {
  std::vector<std::string> missing;
  if (!Contains(functions, Function::kEducation)) missing.emplace_back("education");
  if (!Contains(functions, Function::kChildrensSocialCare)) {
    missing.emplace_back("children's social care");
  }
  return missing;
}

}  // namespace

Verdict DcsIntegratedBrief(const Facts& f) {
  if (auto v = NeedDcsPost(f)) return *v;
  const Post& post = *f.Dcs();
  if (!post.functions) {
    return WithFix(
        NotRecorded(fmt::format("The functions of the DCS post \"{}\" are not recorded: fill "
                                "in its functions.",
                                post.title),
                    {post.id}),
        "posts[].functions of the DCS post: the functions it covers, e.g. [education, "
        "childrens_social_care]");
  }
  auto missing = MissingIntegrated(*post.functions);
  if (!missing.empty()) {
    return WithFix(
        Fail(fmt::format("The DCS post \"{}\" does not cover {}; the DCS must be a single "
                         "officer responsible for both education and children's social care. "
                         "Add the missing function to the post, or move the DCS role to a post "
                         "that covers both.",
                         post.title, JoinNames(missing)),
             {post.id}),
        "posts[].functions of the DCS post: add education and childrens_social_care, or move dcs "
        "to a post that has both");
  }
  return Pass(fmt::format("The DCS post \"{}\" covers both education and children's social care.",
                          post.title),
              {post.id});
}

Verdict LmcsIntegratedBrief(const Facts& f) {
  if (auto v = NeedLmcs(f)) return *v;
  const Person& lmcs = *f.Lmcs();
  if (!f.LmcsPortfolio()) {
    return WithFix(
        NotRecorded(fmt::format("The portfolio of the LMCS, {}, is not recorded: fill in the "
                                "portfolio of their members entry.",
                                lmcs.name),
                    {lmcs.id}),
        "members[].portfolio of the LMCS: the functions it covers, e.g. [education, "
        "childrens_social_care]");
  }
  auto missing = MissingIntegrated(*f.LmcsPortfolio());
  if (!missing.empty()) {
    return WithFix(
        Fail(fmt::format("The portfolio of the LMCS, {}, does not include {}. The Lead Member "
                         "must be ultimately responsible for all children's services, "
                         "education and SEND included, not just social care: add it to their "
                         "portfolio.",
                         lmcs.name, JoinNames(missing)),
             {lmcs.id}),
        "members[].portfolio of the LMCS: add education and childrens_social_care");
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
    return WithFix(
        NotRecorded(fmt::format("The DCS post \"{}\" has no reports_to: record the post it "
                                "reports to.",
                                post.title),
                    {post.id}),
        "posts[].reports_to of the DCS post: the id of the post it reports to");
  }
  if (auto v = NeedHops(f)) return *v;
  const Post& hops = *f.Hops();
  const Post& manager = f.PostById(*post.reports_to);
  if (manager.id != hops.id) {
    return WithFix(
        Fail(fmt::format("The DCS post \"{}\" reports to \"{}\", not to the Chief Executive "
                         "(\"{}\"). The DCS should be a first tier officer reporting directly "
                         "to the head of paid service: change its reports_to, or record a "
                         "departure with clear reasons.",
                         post.title, manager.title, hops.title),
             {post.id, manager.id, hops.id}),
        "posts[].reports_to of the DCS post: the Chief Executive's post id, or record a departure "
        "with clear reasons");
  }
  return Pass(
      fmt::format("The DCS post \"{}\" reports directly to \"{}\".", post.title, hops.title),
      {post.id, hops.id});
}

Verdict DcsPoliticallyRestricted(const Facts& f) {
  if (auto v = NeedDcsHolder(f)) return *v;
  const Person& holder = *f.DcsHolder();
  if (holder.elected_member) {
    return WithFix(
        Fail(fmt::format("The DCS, {}, is recorded as an elected member. The DCS is a "
                         "politically restricted post and its holder is disqualified from "
                         "being a member of the authority (para 2).",
                         holder.name),
             {f.Dcs()->id, holder.id}),
        "people[].elected_member of the DCS: false; an elected member cannot hold the post");
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
      return Pass(fmt::format("The LMCS, {}, is a member of the executive ({}).", lmcs.name,
                              DisplayName(r)),
                  {lmcs.id});
    }
  }
  return WithFix(
      Fail(fmt::format("The LMCS, {}, is not a cabinet member, leader or mayor. "
                       "The LMCS, as a member of the Council Executive, has political "
                       "responsibility for children's services (para 3): give them a cabinet "
                       "portfolio.",
                       lmcs.name),
           {lmcs.id}),
      "members[].roles of the LMCS: add cabinet_member (or leader or mayor)");
}

Verdict DcsChildrenInvolved(const Facts& f) {
  if (auto v = NeedDcsHolder(f)) return *v;
  const Person& dcs = *f.DcsHolder();
  if (dcs.children_involved_in_appointment && *dcs.children_involved_in_appointment) {
    return Pass(
        fmt::format("Children and young people were involved in appointing the DCS, {}.", dcs.name),
        {dcs.id});
  }
  return WithFix(
      Fail(fmt::format("Children and young people are not recorded as involved in the "
                       "appointment of the DCS, {}; authorities are strongly encouraged to "
                       "involve them (para 2).",
                       dcs.name),
           {dcs.id}),
      "people[].children_involved_in_appointment of the DCS: true, once children and young people "
      "have been involved");
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
    return WithFix(Fail("No post carries the statutory role of Director of Public Health, with "
                        "whom the DCS and LMCS will need to work closely (para 5); the "
                        "National Health Service Act 2006 s73A(1) requires one."),
                   "posts[].statutory_roles: add dph to the Director of Public Health's post");
  }
  std::vector<std::string> ids;
  for (const Post* p : posts) ids.push_back(p->id);
  return WithFix(
      Fail(fmt::format("The Director of Public Health post \"{}\" is vacant: record its holder.",
                       posts.front()->title),
           ids),
      "posts[].holder of the Director of Public Health's post: the id of the person who holds it");
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
      return WithFix(
          Fail(fmt::format("\"{}\" delivers children's functions but no accountable_post is "
                           "recorded. The DCS is responsible for effective systems where "
                           "services are commissioned (para 1): name the council post that "
                           "holds the contract.",
                           c->name),
               {c->id}),
          "functions_commissioned[].accountable_post: the id of the council post that holds the "
          "contract");
    }
  }
  if (auto v = NeedDcsPost(f)) return *v;
  const Post& dcs = *f.Dcs();
  std::vector<std::string> subjects;
  for (const CommissionedFunction* c : providers) {
    subjects.push_back(c->id);
    const Post& post = f.PostById(*c->accountable_post);
    if (post.id != dcs.id && !f.IsBelowDcs(&post)) {
      return WithFix(
          Fail(
              fmt::format("\"{}\" is overseen by \"{}\", which is outside the DCS's line (\"{}\"). "
                          "Commissioned children's services should be accountable through "
                          "the DCS (paras 1, 12): make the accountable post the DCS or a post "
                          "below it.",
                          c->name, post.title, dcs.title),
              {c->id, post.id, dcs.id}),
          "functions_commissioned[].accountable_post: the DCS post or a post below it");
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
    return WithFix(
        Fail(fmt::format("{} {} education or children's social care functions outside the "
                         "DCS's line (\"{}\"). Operational matters stay within the DCS's "
                         "professional responsibility (Key points): bring {} under the DCS, or "
                         "record a departure with clear reasons.",
                         JoinNames(outside), outside.size() == 1 ? "has" : "have", dcs->title,
                         outside.size() == 1 ? "it" : "them"),
             outside_ids),
        "posts[].reports_to of those posts: a post in the DCS's line, or record a departure with "
        "clear reasons");
  }
  return Pass(
      operational.size() == 1
          ? fmt::format("The one other post with education or children's social care "
                        "functions (\"{}\") is in the DCS's line.",
                        operational.front()->title)
          : fmt::format("{} other posts with education or children's social care "
                        "functions are in the DCS's line.",
                        operational.size() == 2 ? std::string("Both")
                                                : fmt::format("All {}", operational.size())),
      {dcs->id});
}

}  // namespace assure::checks
