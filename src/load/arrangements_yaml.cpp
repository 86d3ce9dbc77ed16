#include "load/arrangements_yaml.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "load/id_table.hpp"
#include "load/reader.hpp"
#include "load/yaml_tree.hpp"

namespace assure::load {
namespace {

const format::Record& RecordOf(const format::Record& parent, std::string_view field) {
  return *parent.Find(field)->record;
}

class ArrangementsReader {
 public:
  explicit ArrangementsReader(const std::string& file, bool stored = false) : context_(file) {
    if (stored) context_.AllowAnyCharacters();
  }

  Result<Arrangements> Read(const yaml::Node& root) {
    context_.SetRoot(&root);
    Arrangements a;
    const format::Record& file = format::File();
    {
      MappingReader r(context_, root, file, "");
      if (r.ok()) Reserve(r, a);
      if (r.ok()) {
        if (const yaml::Node* n = r.Sub("authority")) ReadAuthority(*n, a.authority);
        r.ForEach("people", [&](const yaml::Node& n, const std::string& path) {
          a.people.push_back(ReadPerson(n, path));
        });
        r.ForEach("posts", [&](const yaml::Node& n, const std::string& path) {
          a.posts.push_back(ReadPost(n, path));
        });
        r.ForEach("members", [&](const yaml::Node& n, const std::string& path) {
          a.members.push_back(ReadMember(n, path));
        });
        r.ForEach("bodies", [&](const yaml::Node& n, const std::string& path) {
          a.bodies.push_back(ReadBody(n, path));
        });
        r.ForEach("functions_commissioned", [&](const yaml::Node& n, const std::string& path) {
          a.functions_commissioned.push_back(ReadCommissioned(n, path));
        });
        if (const yaml::Node* n = r.Sub("assurance")) ReadAssurance(*n, a.assurance);
      }
    }
    context_.ResolveReferences();
    if (context_.errors().empty()) FindCycles(a);
    if (!context_.errors().empty()) {
      context_.SortErrors();
      return context_.TakeErrors();
    }
    return a;
  }

 private:
  // Sizes the lists and the tables of ids and references to the file's lists, so that a large
  // file's are allocated once rather than regrown: each regrowth moves every entry and touches
  // fresh memory.
  void Reserve(MappingReader& r, Arrangements& a) {
    const auto items = [&](std::string_view field) -> size_t {
      const yaml::Node* n = r.Value(field);
      return n && n->kind() == yaml::Node::Kind::kSequence ? n->size() : 0;
    };
    a.people.reserve(items("people"));
    a.posts.reserve(items("posts"));
    a.members.reserve(items("members"));
    a.bodies.reserve(items("bodies"));
    a.functions_commissioned.reserve(items("functions_commissioned"));
    const size_t ids = 1 + a.people.capacity() + a.posts.capacity() + a.bodies.capacity() +
                       a.functions_commissioned.capacity();
    // A post names its holder and the post it reports to, a member a person, a body its chair.
    const size_t references = 2 * a.posts.capacity() + a.members.capacity() +
                              4 * a.bodies.capacity() + a.functions_commissioned.capacity();
    context_.Reserve(ids, references);
  }

  void ReadAuthority(const yaml::Node& node, Authority& out) {
    MappingReader r(context_, node, RecordOf(format::File(), "authority"), "authority");
    out.id = r.Id("id", IdKind::kAuthority);
    out.name = r.Text("name");
    out.gss_code = r.OptText("gss_code");
    out.type = r.Enum<AuthorityType>("type");
    out.governance = r.Enum<Governance>("governance");
    out.as_of = r.DateField("as_of");
  }

  Person ReadPerson(const yaml::Node& node, const std::string& path) {
    Person p;
    MappingReader r(context_, node, RecordOf(format::File(), "people"), path);
    p.id = r.Id("id", IdKind::kPerson);
    p.name = r.Text("name");
    p.elected_member = r.Bool("elected_member");
    p.appointed = r.OptDate("appointed");
    p.interim = r.OptBool("interim");
    p.first_director_role = r.OptBool("first_director_role");
    p.csc_background = r.OptEnum<CscBackground>("csc_background");
    p.mentor = r.OptText("mentor");
    p.due_diligence = r.OptDate("due_diligence");
    p.children_involved_in_appointment = r.OptBool("children_involved_in_appointment");
    return p;
  }

  Post ReadPost(const yaml::Node& node, const std::string& path) {
    Post p;
    MappingReader r(context_, node, RecordOf(format::File(), "posts"), path);
    p.id = r.Id("id", IdKind::kPost);
    p.title = r.Text("title");
    p.holder = r.OptReference("holder");
    p.reports_to = r.OptReference("reports_to");
    if (p.reports_to) {
      reports_to_nodes_.resize(posts_read_ + 1, nullptr);
      reports_to_nodes_[posts_read_] = r.Value("reports_to");
    }
    ++posts_read_;
    p.statutory_roles = r.Enums<StatutoryRole>("statutory_roles");
    p.functions = r.OptEnums<Function>("functions");
    p.shared_with = r.Ids("shared_with");
    p.interim_until = r.OptDate("interim_until");
    p.recruitment_active = r.OptBool("recruitment_active");
    p.safeguarding_lead = r.OptBool("safeguarding_lead");
    return p;
  }

  Member ReadMember(const yaml::Node& node, const std::string& path) {
    Member m;
    MappingReader r(context_, node, RecordOf(format::File(), "members"), path);
    m.person = r.Reference("person");
    m.roles = r.Enums<MemberRole>("roles");
    m.portfolio = r.OptEnums<Function>("portfolio");
    m.designations = r.Enums<Designation>("designations");
    return m;
  }

  Body ReadBody(const yaml::Node& node, const std::string& path) {
    Body b;
    const format::Record& record = RecordOf(format::File(), "bodies");
    MappingReader r(context_, node, record, path);
    b.id = r.Id("id", IdKind::kBody);
    b.name = r.Text("name");
    b.kind = r.Enum<BodyKind>("kind");
    b.chair = r.OptReference("chair");
    b.chair_appointed_by = r.OptReference("chair_appointed_by");
    r.ForEach("members", [&](const yaml::Node& n, const std::string& seat_path) {
      MappingReader s(context_, n, RecordOf(record, "members"), seat_path);
      Seat seat;
      seat.who = s.Reference("who");
      seat.role = s.Enum<SeatRole>("role");
      b.members.push_back(std::move(seat));
    });
    return b;
  }

  CommissionedFunction ReadCommissioned(const yaml::Node& node, const std::string& path) {
    CommissionedFunction c;
    MappingReader r(context_, node, RecordOf(format::File(), "functions_commissioned"), path);
    c.id = r.Id("id", IdKind::kCommissioned);
    c.name = r.Text("name");
    c.provider = r.Enum<ProviderKind>("provider");
    c.functions = r.Enums<Function>("functions");
    c.accountable_post = r.OptReference("accountable_post");
    return c;
  }

  void ReadAssurance(const yaml::Node& node, Assurance& out) {
    const format::Record& record = RecordOf(format::File(), "assurance");
    MappingReader r(context_, node, record, "assurance");
    r.ForEach("reviews", [&](const yaml::Node& n, const std::string& path) {
      MappingReader v(context_, n, RecordOf(record, "reviews"), path);
      Review review;
      review.id = v.Id("id", IdKind::kReview);
      review.date = v.DateField("date");
      review.kind = v.Enum<ReviewKind>("kind");
      review.scope = v.Enums<AssuredRole>("scope");
      review.elements = v.Enums<Element>("elements");
      review.self_assessed = v.OptBool("self_assessed");
      review.peer_challenged = v.OptBool("peer_challenged");
      review.approved_by = v.OptReference("approved_by");
      review.approved_on = v.OptDate("approved_on");
      out.reviews.push_back(std::move(review));
    });
    out.review_interval_months =
        r.OptWholeNumber("review_interval_months").value_or(kDefaultReviewIntervalMonths);
    r.ForEach("changes", [&](const yaml::Node& n, const std::string& path) {
      MappingReader v(context_, n, RecordOf(record, "changes"), path);
      Change change;
      change.date = v.DateField("date");
      change.kind = v.Enum<ChangeKind>("kind");
      change.description = v.OptText("description");
      change.posts = v.References("posts");
      out.changes.push_back(std::move(change));
    });
    r.ForEach("departures", [&](const yaml::Node& n, const std::string& path) {
      MappingReader v(context_, n, RecordOf(record, "departures"), path);
      Departure d;
      const int check = v.Choice("check");
      if (check >= 0) d.check = std::string(RecordOf(record, "departures").fields[0].values[check]);
      d.reason = v.OptText("reason");
      d.agreed_by = v.OptReference("agreed_by");
      d.agreed_on = v.OptDate("agreed_on");
      d.review_by = v.OptDate("review_by");
      out.departures.push_back(std::move(d));
    });
    if (const yaml::Node* n = r.Sub("published")) {
      MappingReader v(context_, *n, RecordOf(record, "published"), "assurance.published");
      Publication p;
      p.url = v.OptText("url");
      p.on = v.OptDate("on");
      out.published = std::move(p);
    }
  }

  // A reporting cycle is reported once, at the reports_to of its first post in file order.
  void FindCycles(const Arrangements& a) {
    IdTable<size_t> index;
    index.reserve(a.posts.size());
    for (size_t i = 0; i < a.posts.size(); ++i) index.try_emplace(a.posts[i].id, i);
    enum : char { kUnseen, kOnPath, kDone };
    std::vector<char> state(a.posts.size(), kUnseen);
    for (size_t start = 0; start < a.posts.size(); ++start) {
      std::vector<size_t> path;
      size_t at = start;
      while (true) {
        if (state[at] == kDone) break;
        if (state[at] == kOnPath) {
          auto first = std::find(path.begin(), path.end(), at);
          std::vector<size_t> cycle(first, path.end());
          const size_t earliest = *std::min_element(cycle.begin(), cycle.end());
          std::string chain;
          auto from = std::find(cycle.begin(), cycle.end(), earliest);
          for (size_t k = 0; k <= cycle.size(); ++k) {
            const size_t p = cycle[(from - cycle.begin() + k) % cycle.size()];
            chain += (k ? " -> " : "") + a.posts[p].id;
          }
          const yaml::Node& n = *reports_to_nodes_[earliest];
          context_.AddError(n, "posts[" + std::to_string(earliest) + "].reports_to",
                            "reporting cycle: " + chain +
                                "; the reporting line must end at the head of paid service");
          break;
        }
        state[at] = kOnPath;
        path.push_back(at);
        const auto& next = a.posts[at].reports_to;
        if (!next) break;
        at = index.find(*next)->second;  // every reports_to names a post: references resolved
      }
      for (size_t p : path) state[p] = kDone;
    }
  }

  Context context_;
  size_t posts_read_ = 0;
  std::vector<const yaml::Node*> reports_to_nodes_;  // by post index; null without reports_to
};

}  // namespace

Result<Arrangements> ParseArrangementsTree(const yaml::Node& root, const std::string& file) {
  return ArrangementsReader(file).Read(root);
}

Result<Arrangements> ParseArrangements(std::string_view text, const std::string& file) {
  Result<yaml::Tree> tree = yaml::Parse(text, file);
  if (!tree.ok()) return tree.errors();
  return ParseArrangementsTree(tree.value().root(), file);
}

Result<Arrangements> ParseStoredArrangements(std::string_view text, const std::string& file) {
  Result<yaml::Tree> tree = yaml::Parse(text, file);
  if (!tree.ok()) return tree.errors();
  return ArrangementsReader(file, /*stored=*/true).Read(tree.value().root());
}

namespace {

// The largest arrangements file read: many times the largest council's (a few hundred kB), and
// far below what would exhaust memory. README: "Limits".
constexpr size_t kMaxFileBytes = size_t{64} << 20;

// A regular file of at most kMaxFileBytes, mapped into memory, read-only, populated in one go
// (so that reading it costs one call rather than a page fault per page); unmapped when it goes.
// Anything else (a directory, a device such as /dev/zero, a pipe) is refused unread.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    // Non-blocking, so that opening a pipe with no writer returns at once (to be refused).
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd_ < 0) return;
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      refused_ = "cannot read the file: " + std::string(std::strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
      refused_ = "this is a directory: give the path of an arrangements file";
    } else if (!S_ISREG(st.st_mode)) {
      refused_ =
          "this is not a regular file (it is a device, a pipe or a socket): give the path of an "
          "arrangements file";
    } else if (static_cast<unsigned long long>(st.st_size) > kMaxFileBytes) {
      refused_ = "the file is " + std::to_string(st.st_size >> 20) +
                 " MB, more than the 64 MB an arrangements file may be";
    } else if (st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ,
                       MAP_PRIVATE | MAP_POPULATE, fd_, 0);
      if (p == MAP_FAILED) {
        refused_ = "cannot read the file: " + std::string(std::strerror(errno));
      } else {
        data_ = static_cast<const char*>(p);
        size_ = static_cast<size_t>(st.st_size);
      }
    }
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  bool opened() const { return fd_ >= 0; }
  // Why the file is not read, or empty when it is.
  const std::string& refused() const { return refused_; }
  // The file's text: empty for an empty file.
  std::string_view text() const { return {data_, size_}; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  size_t size_ = 0;
  std::string refused_;
};

}  // namespace

Result<Arrangements> LoadArrangementsFile(const std::string& path) {
  MappedFile file(path);
  if (!file.opened()) {
    return std::vector<Error>{Error{ErrorCode::kUnavailable, path, 0, 0, "",
                                    "cannot read the file: " + std::string(std::strerror(errno))}};
  }
  if (!file.refused().empty()) {
    return std::vector<Error>{Error{ErrorCode::kInvalid, path, 0, 0, "", file.refused()}};
  }
  return ParseArrangements(file.text(), path);
}

}  // namespace assure::load
