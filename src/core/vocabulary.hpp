// The closed vocabularies of the arrangements file (docs/format.md): every enumerated value, with
// the exact spelling a file uses. One table per vocabulary, used by the loader to read a value, by
// the schema and format reference to list the allowed values, and by messages to name them.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace assure {

enum class AuthorityType {
  kCounty,
  kUnitary,
  kMetropolitanBorough,
  kLondonBorough,
  kCityOfLondon,
  kIslesOfScilly,
  kDistrict,
};

enum class Governance { kLeaderCabinet, kMayorCabinet, kCommittee };

enum class StatutoryRole {
  kDcs,
  kDass,
  kDph,
  kHeadOfPaidService,
  kMonitoringOfficer,
  kChiefFinanceOfficer,
};

// The roles a review can assure: a statutory role of an officer, or a lead member designation.
enum class AssuredRole {
  kDcs,
  kDass,
  kDph,
  kHeadOfPaidService,
  kMonitoringOfficer,
  kChiefFinanceOfficer,
  kLmcs,
  kLeadMemberAdults,
};

enum class Function {
  kEducation,
  kChildrensSocialCare,
  kSend,
  kEarlyYears,
  kEarlyHelp,
  kYouthJustice,
  kSchoolTransport,
  kSchoolAdmissions,
  kYouthServices,
  kAdultSocialCare,
  kPublicHealth,
  kHousing,
  kOther,
};

enum class CscBackground { kStrong, kSome, kNone };

enum class MemberRole { kLeader, kMayor, kCabinetMember, kCommitteeChair };

enum class Designation { kLmcs, kLeadMemberAdults };

enum class BodyKind {
  kLscb,
  kSafeguardingPartnership,
  kHealthAndWellbeingBoard,
  kSchoolsForum,
  kCorporateParentingBoard,
  kCabinet,
  kScrutinyCommittee,
  kPartnershipBoard,
  kOther,
};

enum class SeatRole { kMember, kChair, kParticipatingObserver, kLeadPartner, kDelegatedPartner };

enum class ProviderKind { kExternal, kArmsLength, kTrust, kJoint, kMutual };

enum class ReviewKind {
  kLocalAssuranceTest,
  kAudit,
  kSelfAssessment,
  kPeerReview,
  kOfstedInspection,
};

// The six elements of paragraph 12 that are "likely to be essential" to an assurance process.
enum class Element {
  kSeniorManagement,
  kAccountability,
  kBreadthOfRole,
  kChildrenVoice,
  kChildProtection,
  kPartnerships,
};

enum class ChangeKind { kRestructure, kAppointment, kAdditionalFunction, kInterim, kVacancy };

// Names of each vocabulary's values, in enumerator order.
template <typename E>
struct Vocabulary;

#define ASSURE_VOCABULARY(Type, ...)                                                     \
  template <>                                                                            \
  struct Vocabulary<Type> {                                                              \
    static constexpr std::array kNames = std::to_array<std::string_view>({__VA_ARGS__}); \
  }

ASSURE_VOCABULARY(AuthorityType, "county", "unitary", "metropolitan_borough", "london_borough",
                  "city_of_london", "isles_of_scilly", "district");
ASSURE_VOCABULARY(Governance, "leader_cabinet", "mayor_cabinet", "committee");
ASSURE_VOCABULARY(StatutoryRole, "dcs", "dass", "dph", "head_of_paid_service", "monitoring_officer",
                  "chief_finance_officer");
ASSURE_VOCABULARY(AssuredRole, "dcs", "dass", "dph", "head_of_paid_service", "monitoring_officer",
                  "chief_finance_officer", "lmcs", "lead_member_adults");
ASSURE_VOCABULARY(Function, "education", "childrens_social_care", "send", "early_years",
                  "early_help", "youth_justice", "school_transport", "school_admissions",
                  "youth_services", "adult_social_care", "public_health", "housing", "other");
ASSURE_VOCABULARY(CscBackground, "strong", "some", "none");
ASSURE_VOCABULARY(MemberRole, "leader", "mayor", "cabinet_member", "committee_chair");
ASSURE_VOCABULARY(Designation, "lmcs", "lead_member_adults");
ASSURE_VOCABULARY(BodyKind, "lscb", "safeguarding_partnership", "health_and_wellbeing_board",
                  "schools_forum", "corporate_parenting_board", "cabinet", "scrutiny_committee",
                  "partnership_board", "other");
ASSURE_VOCABULARY(SeatRole, "member", "chair", "participating_observer", "lead_partner",
                  "delegated_partner");
ASSURE_VOCABULARY(ProviderKind, "external", "arms_length", "trust", "joint", "mutual");
ASSURE_VOCABULARY(ReviewKind, "local_assurance_test", "audit", "self_assessment", "peer_review",
                  "ofsted_inspection");
ASSURE_VOCABULARY(Element, "senior_management", "accountability", "breadth_of_role",
                  "children_voice", "child_protection", "partnerships");
ASSURE_VOCABULARY(ChangeKind, "restructure", "appointment", "additional_function", "interim",
                  "vacancy");

#undef ASSURE_VOCABULARY

// Returns the file spelling of `value`.
template <typename E>
constexpr std::string_view NameOf(E value) {
  return Vocabulary<E>::kNames[static_cast<std::size_t>(value)];
}

// Returns every allowed spelling, in order.
template <typename E>
constexpr std::span<const std::string_view> NamesOf() {
  return Vocabulary<E>::kNames;
}

// Returns the value spelt `name`, or nullopt when it is not in the vocabulary.
template <typename E>
constexpr std::optional<E> Parse(std::string_view name) {
  const auto& names = Vocabulary<E>::kNames;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

// How prose for people names each value ("adult social care", "Director of Adult Social
// Services"), in enumerator order: the words findings use, never the file's spelling.
template <typename E>
struct DisplayNames;

#define ASSURE_DISPLAY(Type, ...)                                                        \
  template <>                                                                            \
  struct DisplayNames<Type> {                                                            \
    static constexpr std::array kNames = std::to_array<std::string_view>({__VA_ARGS__}); \
  }

ASSURE_DISPLAY(StatutoryRole, "Director of Children's Services",
               "Director of Adult Social Services", "Director of Public Health",
               "head of paid service", "monitoring officer", "chief finance officer");
ASSURE_DISPLAY(AssuredRole, "Director of Children's Services", "Director of Adult Social Services",
               "Director of Public Health", "head of paid service", "monitoring officer",
               "chief finance officer", "Lead Member for Children's Services",
               "lead member for adult services");
ASSURE_DISPLAY(Function, "education", "children's social care",
               "special educational needs and "
               "disabilities",
               "early years", "early help", "youth justice", "school transport",
               "school admissions", "youth services", "adult social care", "public health",
               "housing", "other functions");
ASSURE_DISPLAY(MemberRole, "leader", "mayor", "cabinet member", "committee chair");
ASSURE_DISPLAY(SeatRole, "member", "chair", "participating observer", "lead partner",
               "delegated partner");
ASSURE_DISPLAY(Element, "senior management", "accountability", "breadth of role",
               "children's voice", "child protection", "partnerships");

#undef ASSURE_DISPLAY

// Returns how prose for people names `value`.
template <typename E>
constexpr std::string_view DisplayName(E value) {
  static_assert(DisplayNames<E>::kNames.size() == Vocabulary<E>::kNames.size());
  return DisplayNames<E>::kNames[static_cast<std::size_t>(value)];
}

// True for a function outside children's services: an "additional function" in the sense of
// paragraph 6 of the guidance (docs/format.md, the functions vocabulary).
constexpr bool IsAdditionalFunction(Function f) {
  return f == Function::kAdultSocialCare || f == Function::kPublicHealth ||
         f == Function::kHousing || f == Function::kOther;
}

// The assured-role spelling of a statutory role (the two vocabularies share their first values).
constexpr AssuredRole AsAssured(StatutoryRole role) {
  return static_cast<AssuredRole>(static_cast<int>(role));
}

}  // namespace assure
