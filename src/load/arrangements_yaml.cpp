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
#include <unordered_map>

#include "load/reader.hpp"
#include "load/yaml_tree.hpp"

namespace assure::load {
namespace {

const format::Record& RecordOf(const format::Record& parent, std::string_view field) {
  return *parent.Find(field)->record;
}

class ArrangementsReader {
 public:
  explicit ArrangementsReader(const std::string& file) : context_(file) {}

  Result<Arrangements> Read(const yaml::Node& root) {
    context_.SetRoot(&root);
    Arrangements a;
    const format::Record& file = format::File();
    {
      MappingReader r(context_, root, file, "");
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
    std::unordered_map<std::string_view, size_t> index;
    for (size_t i = 0; i < a.posts.size(); ++i) index[a.posts[i].id] = i;
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
        at = index.at(*next);
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

namespace {

// A file mapped into memory, read-only, populated in one go (so that reading it costs one
// call rather than a page fault per page); unmapped when it goes.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return;
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ,
                       MAP_PRIVATE | MAP_POPULATE, fd_, 0);
      if (p != MAP_FAILED) {
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
  bool mapped() const { return data_ != nullptr; }
  std::string_view text() const { return {data_, size_}; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace

Result<Arrangements> LoadArrangementsFile(const std::string& path) {
  MappedFile file(path);
  if (!file.opened()) {
    return std::vector<Error>{Error{ErrorCode::kUnavailable, path, 0, 0, "",
                                    "cannot read the file: " + std::string(std::strerror(errno))}};
  }
  if (file.mapped()) return ParseArrangements(file.text(), path);
  // Empty, or not a regular file (a pipe): read it as a stream.
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return ParseArrangements(buffer.str(), path);
}

}  // namespace assure::load
