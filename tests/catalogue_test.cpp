// The guidance catalogue is sound: it parses, its ids are unique, every key point and paragraph
// is covered, every check id is real and every check is linked from a duty, every quotation is
// word for word from its source, and the program's built-in copy is the file in the repository.
#include "core/catalogue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "load/catalogue_yaml.hpp"
#include "test_support.hpp"

namespace assure {
namespace {

using testing::ReadFile;
using testing::SourceDir;

const Catalogue& RepositoryCatalogue() {
  static const Result<Catalogue> kCatalogue = load::ParseCatalogue(
      ReadFile(SourceDir() / "catalogue/dcs-lmcs-2013.yaml"), "catalogue/dcs-lmcs-2013.yaml");
  if (!kCatalogue.ok()) {
    std::string all;
    for (const Error& e : kCatalogue.errors()) all += e.ToString() + "\n";
    ADD_FAILURE() << all;
    static const Catalogue kEmpty;
    return kEmpty;
  }
  return kCatalogue.value();
}

// Collapses whitespace runs and drops footnote markers (superscript digits, and the digits a
// converted PDF leaves after "Act 2010 ") so that a quotation can be found in its source.
std::string Normalise(const std::string& text) {
  std::string out;
  static const std::set<std::string> kSuperscripts = {"¹", "²", "³", "⁴", "⁵",
                                                      "⁶", "⁷", "⁸", "⁹", "⁰"};
  for (size_t i = 0; i < text.size();) {
    bool skipped = false;
    for (const std::string& s : kSuperscripts) {
      if (text.compare(i, s.size(), s) == 0) {
        i += s.size();
        skipped = true;
        break;
      }
    }
    if (skipped) continue;
    const char c = text[i++];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  // "Act 2010 ) establish" in the source once the marker is gone; compare without the space.
  std::string tidy;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == ' ' && i + 1 < out.size() &&
        (out[i + 1] == ')' || out[i + 1] == '.' || out[i + 1] == ',' || out[i + 1] == ';')) {
      continue;
    }
    tidy += out[i];
  }
  while (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
  return tidy;
}

TEST(Catalogue, ParsesAndIsSound) {
  const Catalogue& c = RepositoryCatalogue();
  EXPECT_EQ(c.id, "dcs-lmcs-2013");
  for (const std::string& problem : Validate(c)) ADD_FAILURE() << problem;
}

TEST(Catalogue, HasOneEntryPerDutyOfTheWholeGuidance) {
  const Catalogue& c = RepositoryCatalogue();
  EXPECT_GE(c.duties.size(), 70u);
  EXPECT_LE(c.duties.size(), 110u);
  std::set<std::string> modalities;
  for (const Duty& d : c.duties) modalities.insert(std::string(NameOf(d.modality)));
  EXPECT_EQ(modalities, (std::set<std::string>{"advice", "may", "must", "should"}));
  EXPECT_FALSE(c.DutiesOf("CE").empty());
  for (const Duty* d : c.DutiesOf("CE")) EXPECT_EQ(d->modality, Modality::kAdvice) << d->id;
}

TEST(Catalogue, QuotesTheGuidanceWordForWord) {
  const Catalogue& c = RepositoryCatalogue();
  const std::string guidance =
      Normalise(ReadFile(SourceDir() / "catalogue/sources/dcs-lmcs-2013.txt"));
  const std::string advice =
      Normalise(ReadFile(SourceDir() / "catalogue/sources/chief-executive-advice.txt"));
  ASSERT_GT(guidance.size(), 20000u);
  for (const Duty& d : c.duties) {
    const std::string& source = d.paragraph == "CE" ? advice : guidance;
    EXPECT_NE(source.find(Normalise(d.text)), std::string::npos)
        << d.id << ": not found word for word in its source:\n"
        << d.text;
  }
}

TEST(Catalogue, NotesWhereTheLawHasMovedSince2013) {
  const Catalogue& c = RepositoryCatalogue();
  std::string notes;
  for (const Duty& d : c.duties) {
    for (const CurrencyNote& n : d.currency) {
      EXPECT_FALSE(n.instrument.empty()) << d.id;
      notes += n.changed + " " + n.instrument + "\n";
    }
  }
  for (const char* needle :
       {"Children and Social Work Act 2017", "integrated care board",
        "Children and Families Act 2014", "Welfare Reform and Work Act 2016"}) {
    EXPECT_NE(notes.find(needle), std::string::npos) << "no currency note mentions " << needle;
  }
}

TEST(Catalogue, BuiltInCopyIsTheRepositoryFile) {
  EXPECT_EQ(load::BuiltInCatalogueText(), ReadFile(SourceDir() / "catalogue/dcs-lmcs-2013.yaml"));
  ASSERT_TRUE(load::BuiltInCatalogue().ok());
}

TEST(Catalogue, ReportsAnUnknownCheckWithItsPosition) {
  const std::string broken = ReadFile(SourceDir() / "catalogue/dcs-lmcs-2013.yaml");
  const size_t at = broken.find("dcs.appointed");
  ASSERT_NE(at, std::string::npos);
  std::string text = broken;
  text.replace(at, 13, "dcs.apointed");
  Result<Catalogue> r = load::ParseCatalogue(text, "c.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors().front().message.find("dcs.apointed"), std::string::npos);
  EXPECT_GT(r.errors().front().line, 0);
}

}  // namespace
}  // namespace assure

namespace assure {
namespace {

// Every check carries a force (must, should, advice) that a duty it cites carries too, and says
// where that force comes from as the catalogue does: a monitoring officer reading "must" over a
// paragraph finds the must in that paragraph or in the Act the catalogue names.
TEST(Catalogue, EveryChecksForceIsCarriedByADutyItCites) {
  const Catalogue& c = RepositoryCatalogue();
  for (const CheckInfo& check : Checks()) {
    bool carried = false;
    for (const Duty& d : c.duties) {
      const bool cites = std::find(d.checks.begin(), d.checks.end(), check.id) != d.checks.end();
      if (cites && d.modality == check.modality) carried = true;
    }
    EXPECT_TRUE(carried) << check.id << " claims " << NameOf(check.modality)
                         << ", but no duty it cites carries that force";
    const Duty* d = c.FindDuty(check.force_duty);
    ASSERT_NE(d, nullptr) << check.id << ": unknown force_duty " << check.force_duty;
    EXPECT_NE(std::find(d->checks.begin(), d->checks.end(), check.id), d->checks.end())
        << check.id << ": its force duty " << d->id << " does not cite it";
    EXPECT_EQ(d->modality, check.modality) << check.id << " and its force duty " << d->id;
    EXPECT_EQ(ForceSource(*d), check.force_source) << check.id;
    EXPECT_NE(std::find(check.refs.begin(), check.refs.end(), d->paragraph), check.refs.end())
        << check.id << " does not cite the paragraph its force comes from, " << d->paragraph;
  }
}

TEST(Catalogue, ForceFromAnActIsInTheLegalBasisAndExplained) {
  for (const Duty& d : RepositoryCatalogue().duties) {
    if (d.force_from.empty()) continue;
    EXPECT_EQ(d.modality, Modality::kMust) << d.id;
  }
  Catalogue c = RepositoryCatalogue();
  c.duties.front().force_from.push_back("Imaginary Act 2099 s1");
  bool reported = false;
  for (const std::string& problem : Validate(c)) {
    reported = reported || problem.find("Imaginary Act 2099 s1") != std::string::npos;
  }
  EXPECT_TRUE(reported);
}

TEST(Catalogue, ForceSourceNamesTheActAndTheParagraph) {
  Duty d;
  d.paragraph = "2";
  EXPECT_EQ(ForceSource(d), "para 2");
  d.force_from = {"Local Government and Housing Act 1989 s1",
                  "Local Government and Housing Act 1989 s2"};
  EXPECT_EQ(ForceSource(d), "Local Government and Housing Act 1989 s1 and s2 (para 2)");
  d.paragraph = "CE";
  d.force_from.clear();
  EXPECT_EQ(ForceSource(d), "the advice to chief executives");
}

}  // namespace
}  // namespace assure
