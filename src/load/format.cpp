#include "load/format.hpp"

#include "core/checks.hpp"
#include "core/vocabulary.hpp"

namespace assure::format {

std::span<const std::string_view> CheckIds() {
  static const std::vector<std::string_view> kIds = [] {
    std::vector<std::string_view> ids;
    for (const CheckInfo& c : Checks()) ids.push_back(c.id);
    return ids;
  }();
  return kIds;
}

namespace {

// Held in one struct so that records can point at each other while being built once.
struct Format {
  Record authority, person, post, member, seat, body, commissioned, review, change, departure,
      publication, assurance, file;

  Format() {
    authority = {"authority",
                 "The authority whose arrangements the file describes.",
                 {
                     {"id", Type::kId, true, "The authority's id, used by other files and tools.",
                      "example-city"},
                     {"name", Type::kText, true, "The authority's name.", "Example City Council"},
                     {"gss_code", Type::kText, false,
                      "The ONS GSS code of the authority (E06, E08, E09 or E10 followed by six "
                      "digits).",
                      "E08000099"},
                     {"type", Type::kChoice, true,
                      "The kind of authority. A district council is not a children's services "
                      "authority: every check is not_applicable.",
                      "metropolitan_borough", NamesOf<AuthorityType>()},
                     {"governance", Type::kChoice, true,
                      "The governance model. Under the committee system there is no executive, "
                      "so the LMCS need not be a cabinet member (footnote 2).",
                      "leader_cabinet", NamesOf<Governance>()},
                     {"as_of", Type::kDate, true,
                      "The date the arrangements describe. Every time-based check is judged at "
                      "this date, never at the day the program runs.",
                      "2017-01-24"},
                 }};
    person = {
        "person",
        "Someone named anywhere in the file: an officer, a councillor, a board chair.",
        {
            {"id", Type::kId, true, "The person's id.", "alex-exec"},
            {"name", Type::kText, true, "The person's name, as messages and reports show it.",
             "Alex Example"},
            {"elected_member", Type::kBool, true, "true for a councillor, false for an officer.",
             "false"},
            {"appointed", Type::kDate, false, "When they started in their current post(s) or role.",
             "2015-10-01"},
            {"interim", Type::kBool, false, "true for an interim or acting appointment.", "false"},
            {"first_director_role", Type::kBool, false,
             "true when this is their first director role (a first-time DCS should have a "
             "mentor).",
             "false"},
            {"csc_background", Type::kChoice, false,
             "Their experience in the direct delivery and leadership of children's social care.",
             "strong", NamesOf<CscBackground>()},
            {"mentor", Type::kText, false, "Who mentors them, in words.",
             "\"ADCS mentoring scheme\""},
            {"due_diligence", Type::kDate, false,
             "When pre-appointment checks (including the candidate's Ofsted track record) were "
             "completed.",
             "2015-07-14"},
            {"children_involved_in_appointment", Type::kBool, false,
             "true when children and young people were involved in appointing them.", "true"},
        }};
    post = {"post",
            "An officer post. The head of paid service's post has no reports_to.",
            {
                {"id", Type::kId, true, "The post's id.", "exec-director-people"},
                {"title", Type::kText, true, "The post's title, as messages and reports show it.",
                 "\"Executive Director, People\""},
                {"holder",
                 Type::kReference,
                 false,
                 "The person who holds the post. Left out, the post is vacant.",
                 "alex-exec",
                 {},
                 Target::kPerson},
                {"reports_to",
                 Type::kReference,
                 false,
                 "The post this one reports to. A reporting cycle is an error.",
                 "ceo",
                 {},
                 Target::kPost},
                {"statutory_roles", Type::kChoices, false, "The statutory roles the post carries.",
                 "[dcs, dass]", NamesOf<StatutoryRole>()},
                {"functions", Type::kChoices, false,
                 "The functions the post covers. Left out, they are unknown (checks that need them "
                 "say not_recorded); [] means none.",
                 "[education, childrens_social_care]", NamesOf<Function>()},
                {"shared_with", Type::kIds, false,
                 "The ids of other authorities sharing a joint appointment (s18 permits a joint "
                 "DCS).",
                 "[neighbour-county]"},
                {"interim_until", Type::kDate, false,
                 "The end date of an interim or acting arrangement.", "2017-06-30"},
                {"recruitment_active", Type::kBool, false,
                 "true while a permanent appointment is being actively sought.", "false"},
                {"safeguarding_lead", Type::kBool, false,
                 "true for the second-tier officer with fullest responsibility for children's "
                 "safeguarding.",
                 "true"},
            }};
    member = {"member",
              "An elected member's executive roles, portfolio and designations.",
              {
                  {"person",
                   Type::kReference,
                   true,
                   "The councillor (a person id).",
                   "cat-councillor",
                   {},
                   Target::kPerson},
                  {"roles", Type::kChoices, true, "Their executive roles.", "[cabinet_member]",
                   NamesOf<MemberRole>()},
                  {"portfolio", Type::kChoices, false,
                   "The functions their portfolio covers. Left out, it is unknown.",
                   "[childrens_social_care, early_help]", NamesOf<Function>()},
                  {"designations", Type::kChoices, false, "Statutory designations they hold.",
                   "[lmcs]", NamesOf<Designation>()},
              }};
    seat = {
        "seat",
        "A person's seat on a body.",
        {
            {"who",
             Type::kReference,
             true,
             "The person (a person id).",
             "alex-exec",
             {},
             Target::kPerson},
            {"role", Type::kChoice, true, "Their role on the body.", "member", NamesOf<SeatRole>()},
        }};
    body = {"body",
            "A board, partnership or committee.",
            {
                {"id", Type::kId, true, "The body's id.", "safeguarding"},
                {"name", Type::kText, true, "The body's name.",
                 "Example Safeguarding Children Partnership"},
                {"kind", Type::kChoice, true, "What kind of body it is.",
                 "safeguarding_partnership", NamesOf<BodyKind>()},
                {"chair",
                 Type::kReference,
                 false,
                 "Who chairs it (a person id); the chair counts as a seat with role chair.",
                 "indy-chair",
                 {},
                 Target::kPerson},
                {"chair_appointed_by",
                 Type::kReference,
                 false,
                 "The post that appoints the chair (a post id).",
                 "ceo",
                 {},
                 Target::kPost},
                {"members",
                 Type::kRecords,
                 false,
                 "The seats on the body.",
                 "[{ who: alex-exec, role: member }]",
                 {},
                 Target::kNone,
                 &seat},
            }};
    commissioned = {"commissioned function",
                    "Children's functions delivered by another provider.",
                    {
                        {"id", Type::kId, true, "The arrangement's id.", "childrens-trust"},
                        {"name", Type::kText, true, "The provider's name.",
                         "\"Example Children's Services Trust\""},
                        {"provider", Type::kChoice, true, "What kind of provider it is.",
                         "arms_length", NamesOf<ProviderKind>()},
                        {"functions", Type::kChoices, true, "The functions it delivers.",
                         "[childrens_social_care]", NamesOf<Function>()},
                        {"accountable_post",
                         Type::kReference,
                         false,
                         "The council post that holds the contract or oversight (a post id).",
                         "exec-director-people",
                         {},
                         Target::kPost},
                    }};
    review = {
        "review",
        "A review of the arrangements: a local test of assurance, an audit, a self-assessment, a "
        "peer review, or an Ofsted inspection (which never counts for the checks).",
        {
            {"id", Type::kId, true, "The review's id.", "review-2016-03"},
            {"date", Type::kDate, true, "When the review was carried out.", "2016-03-15"},
            {"kind", Type::kChoice, true, "What kind of review it was.", "audit",
             NamesOf<ReviewKind>()},
            {"scope", Type::kChoices, false,
             "The roles it assured: a statutory role, lmcs or lead_member_adults.",
             "[dcs, dass, lmcs]", NamesOf<AssuredRole>()},
            {"elements", Type::kChoices, false,
             "Which of the six essential elements of paragraph 12 it covered.",
             "[senior_management, accountability, breadth_of_role, children_voice, "
             "child_protection, partnerships]",
             NamesOf<Element>()},
            {"self_assessed", Type::kBool, false, "true when it was self-assessed.", "true"},
            {"peer_challenged", Type::kBool, false, "true when it had peer challenge.", "false"},
            {"approved_by",
             Type::kReference,
             false,
             "The body that agreed it (a body id).",
             "cabinet",
             {},
             Target::kBody},
            {"approved_on", Type::kDate, false, "When it was agreed.", "2016-04-01"},
        }};
    change = {"change",
              "A structural change or appointment since the arrangements were set. A change dated "
              "after a review makes that review no longer current, unless it bears on no "
              "statutory role (see `posts`).",
              {
                  {"date", Type::kDate, true, "When it happened.", "2016-10-01"},
                  {"kind", Type::kChoice, true, "What kind of change it was.", "restructure",
                   NamesOf<ChangeKind>()},
                  {"description", Type::kText, false, "What changed, in words.",
                   "\"Children's social care senior posts redesigned\""},
                  {"posts",
                   Type::kReferences,
                   false,
                   "The posts it concerns (post ids). An appointment, interim or vacancy that "
                   "lists only posts carrying no statutory role leaves a review current; a "
                   "change that lists no posts is taken to bear on the statutory roles.",
                   "[head-of-virtual-school]",
                   {},
                   Target::kPost},
              }};
    departure = {
        "departure",
        "A departure from the guidance, agreed with clear reasons. It turns a failing should or "
        "advice check into `departure`; it never excuses a must.",
        {
            {"check", Type::kChoice, true,
             "The id of the check departed from (an unknown id is an error, so a typo cannot "
             "silently excuse nothing).",
             "dcs.additional-functions-assured", CheckIds()},
            {"reason", Type::kText, false, "The clear reasons for departing.",
             "\"Re-assurance deferred until the October restructure has settled\""},
            {"agreed_by",
             Type::kReference,
             false,
             "The body that agreed it (a body id).",
             "cabinet",
             {},
             Target::kBody},
            {"agreed_on", Type::kDate, false, "When it was agreed.", "2016-11-01"},
            {"review_by", Type::kDate, false, "After this date the departure has expired.",
             "2017-04-01"},
        }};
    publication = {"publication",
                   "Where and when the authority published who holds the DCS and LMCS roles.",
                   {
                       {"url", Type::kText, false, "Where it is published.",
                        "https://example.gov.uk/who-we-are"},
                       {"on", Type::kDate, false, "When it was last published.", "2016-11-01"},
                   }};
    assurance = {"assurance",
                 "The authority's assurance of its arrangements.",
                 {
                     {"reviews",
                      Type::kRecords,
                      false,
                      "Reviews of the arrangements.",
                      "[]",
                      {},
                      Target::kNone,
                      &review},
                     {"review_interval_months", Type::kWholeNumber, false,
                      "How many months a review stays current (default 12).", "12"},
                     {"changes",
                      Type::kRecords,
                      false,
                      "Structural changes and appointments.",
                      "[]",
                      {},
                      Target::kNone,
                      &change},
                     {"departures",
                      Type::kRecords,
                      false,
                      "Agreed departures from the guidance.",
                      "[]",
                      {},
                      Target::kNone,
                      &departure},
                     {"published",
                      Type::kRecord,
                      false,
                      "Transparency for local communities about who holds the roles (para 12).",
                      "{}",
                      {},
                      Target::kNone,
                      &publication},
                 }};
    file = {"arrangements file",
            "One authority's leadership arrangements for children's services.",
            {
                {"authority",
                 Type::kRecord,
                 true,
                 "The authority.",
                 "{}",
                 {},
                 Target::kNone,
                 &authority},
                {"people",
                 Type::kRecords,
                 false,
                 "Everyone named anywhere in the file.",
                 "[]",
                 {},
                 Target::kNone,
                 &person},
                {"posts", Type::kRecords, false, "Officer posts.", "[]", {}, Target::kNone, &post},
                {"members",
                 Type::kRecords,
                 false,
                 "Elected members' executive roles.",
                 "[]",
                 {},
                 Target::kNone,
                 &member},
                {"bodies",
                 Type::kRecords,
                 false,
                 "Boards, partnerships and committees.",
                 "[]",
                 {},
                 Target::kNone,
                 &body},
                {"functions_commissioned",
                 Type::kRecords,
                 false,
                 "Children's functions delivered by another provider.",
                 "[]",
                 {},
                 Target::kNone,
                 &commissioned},
                {"assurance",
                 Type::kRecord,
                 false,
                 "Reviews, changes, departures, publication.",
                 "{}",
                 {},
                 Target::kNone,
                 &assurance},
            }};
  }
};

const Format& TheFormat() {
  static const Format kFormat;
  return kFormat;
}

}  // namespace

const Field* Record::Find(std::string_view field_name) const {
  for (const Field& f : fields) {
    if (f.name == field_name) return &f;
  }
  return nullptr;
}

const Record& File() { return TheFormat().file; }

std::vector<const Record*> AllRecords() {
  const Format& f = TheFormat();
  return {&f.file,         &f.authority, &f.person, &f.post,   &f.member,    &f.body,       &f.seat,
          &f.commissioned, &f.assurance, &f.review, &f.change, &f.departure, &f.publication};
}

std::string_view TargetName(Target target) {
  switch (target) {
    case Target::kPerson:
      return "person";
    case Target::kPost:
      return "post";
    case Target::kBody:
      return "body";
    case Target::kNone:
      break;
  }
  return "thing";
}

bool IsValidId(std::string_view id) {
  if (id.empty()) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && !(i > 0 && c == '-')) return false;
  }
  return true;
}

}  // namespace assure::format
