#include "load/catalogue_yaml.hpp"

#include "load/format.hpp"
#include "load/reader.hpp"
#include "load/yaml_tree.hpp"

namespace assure {
extern const std::string_view kEmbeddedCatalogue;
}

namespace assure::load {
namespace {

using format::Field;
using format::Record;
using format::Type;

struct CatalogueFormat {
  Record header, theme, note, duty, file;
  CatalogueFormat() {
    header = {"catalogue header",
              "What the catalogue is.",
              {
                  {"id", Type::kId, true, "The catalogue's id.", "dcs-lmcs-2013"},
                  {"title", Type::kText, true, "The document's title.", "\"...\""},
                  {"publisher", Type::kText, true, "Who issued it.", "Department for Education"},
                  {"reference", Type::kText, true, "The publisher's reference.", "DFE-00033-2013"},
                  {"published", Type::kDate, true, "When it was published.", "2013-04-01"},
                  {"version", Type::kWholeNumber, true, "The data's version.", "1"},
                  {"sources", Type::kTexts, true, "The source texts quoted.", "[a.txt]"},
              }};
    theme = {"theme",
             "A heading of the guidance.",
             {
                 {"id", Type::kId, true, "The theme's id.", "safeguarding"},
                 {"title", Type::kText, true, "The heading.", "Safeguarding"},
             }};
    note = {"currency note",
            "What changed in law since the guidance was written.",
            {
                {"changed", Type::kText, true, "What changed.", "\"...\""},
                {"instrument", Type::kText, true, "By which instrument.", "\"...\""},
                {"from", Type::kDate, true, "From when.", "2019-09-29"},
            }};
    duty = {"duty",
            "One duty of the guidance.",
            {
                {"id", Type::kText, true, "Stable id.", "kp1.appoint-dcs-and-lmcs"},
                {"paragraph", Type::kText, true, "KP1..KP7, 1..25, FNn or CE.", "\"1\""},
                {"theme", Type::kText, true, "A theme id.", "dcs"},
                {"text", Type::kText, true, "The guidance's own words.", "\"...\""},
                {"summary", Type::kText, true, "One line.", "\"...\""},
                {"holder", Type::kChoice, true, "Who holds it.", "dcs", NamesOf<DutyHolder>()},
                {"modality", Type::kChoice, true, "How strongly it binds.", "must",
                 NamesOf<Modality>()},
                {"legal_basis", Type::kTexts, true, "The law behind it.", "[]"},
                {"force_from", Type::kTexts, false,
                 "The entries of legal_basis that give it its force, where an Act rather than "
                 "the guidance's own verb makes it binding.",
                 "[]"},
                {"force_note", Type::kText, false,
                 "Why it carries its modality where the guidance's words alone read weaker.",
                 "\"...\""},
                {"responsibility", Type::kChoice, true, "Type of responsibility.", "organisational",
                 NamesOf<Responsibility>()},
                {"focus", Type::kChoice, true, "Focus.", "structural", NamesOf<Focus>()},
                {"framework_row", Type::kText, false, "The framework row.", "\"...\""},
                {"checks", Type::kChoices, true, "Checks that test it.", "[]", format::CheckIds()},
                {"currency",
                 Type::kRecords,
                 false,
                 "Changes in law since.",
                 "[]",
                 {},
                 format::Target::kNone,
                 &note},
            }};
    file = {
        "catalogue",
        "A guidance catalogue.",
        {
            {"catalogue",
             Type::kRecord,
             true,
             "The header.",
             "{}",
             {},
             format::Target::kNone,
             &header},
            {"themes",
             Type::kRecords,
             true,
             "The headings.",
             "[]",
             {},
             format::Target::kNone,
             &theme},
            {"duties", Type::kRecords, true, "The duties.", "[]", {}, format::Target::kNone, &duty},
        }};
  }
};

const CatalogueFormat& Format() {
  static const CatalogueFormat kFormat;
  return kFormat;
}

}  // namespace

Result<Catalogue> ParseCatalogue(std::string_view text, const std::string& file) {
  Result<yaml::Tree> tree = yaml::Parse(text, file);
  if (!tree.ok()) return tree.errors();
  const CatalogueFormat& f = Format();
  Context context(file);
  Catalogue c;
  {
    MappingReader r(context, tree.value().root(), f.file, "");
    if (const yaml::Node* n = r.Sub("catalogue")) {
      MappingReader h(context, *n, f.header, "catalogue");
      c.id = h.Id("id", IdKind::kAuthority);
      c.title = h.Text("title");
      c.publisher = h.Text("publisher");
      c.reference = h.Text("reference");
      c.published = h.DateField("published");
      c.version = h.OptWholeNumber("version").value_or(1);
      c.sources = h.Texts("sources");
    }
    r.ForEach("themes", [&](const yaml::Node& n, const std::string& path) {
      MappingReader t(context, n, f.theme, path);
      Theme theme;
      theme.id = t.Id("id", IdKind::kTheme);
      theme.title = t.Text("title");
      c.themes.push_back(std::move(theme));
    });
    r.ForEach("duties", [&](const yaml::Node& n, const std::string& path) {
      MappingReader d(context, n, f.duty, path);
      Duty duty;
      duty.id = d.Text("id");
      duty.paragraph = d.Text("paragraph");
      duty.theme = d.Text("theme");
      duty.text = d.Text("text");
      duty.summary = d.Text("summary");
      duty.holder = d.Enum<DutyHolder>("holder");
      duty.modality = d.Enum<Modality>("modality");
      duty.legal_basis = d.Texts("legal_basis");
      duty.force_from = d.Texts("force_from");
      duty.force_note = d.OptText("force_note");
      duty.responsibility = d.Enum<Responsibility>("responsibility");
      duty.focus = d.Enum<Focus>("focus");
      duty.framework_row = d.OptText("framework_row");
      for (int i : d.Choices("checks").value_or(std::vector<int>{})) {
        duty.checks.emplace_back(format::CheckIds()[i]);
      }
      d.ForEach("currency", [&](const yaml::Node& cn, const std::string& cpath) {
        MappingReader nr(context, cn, f.note, cpath);
        CurrencyNote note;
        note.changed = nr.Text("changed");
        note.instrument = nr.Text("instrument");
        note.from = nr.DateField("from");
        duty.currency.push_back(std::move(note));
      });
      c.duties.push_back(std::move(duty));
    });
  }
  if (!context.errors().empty()) {
    context.SortErrors();
    return context.TakeErrors();
  }
  return c;
}

std::string_view BuiltInCatalogueText() { return kEmbeddedCatalogue; }

const Result<Catalogue>& BuiltInCatalogue() {
  static const Result<Catalogue> kCatalogue =
      ParseCatalogue(kEmbeddedCatalogue, "catalogue/dcs-lmcs-2013.yaml");
  return kCatalogue;
}

}  // namespace assure::load
