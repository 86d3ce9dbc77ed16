#include "report/text.hpp"

#include <fmt/format.h>

#include <array>

#include "core/characters.hpp"

namespace assure::report {
namespace {

constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kRed = "\033[31m";
constexpr std::string_view kGreen = "\033[32m";
constexpr std::string_view kYellow = "\033[33m";
constexpr std::string_view kBlue = "\033[34m";
constexpr std::string_view kDim = "\033[2m";

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string StatusHeading(Status s) {
  switch (s) {
    case Status::kFail:
      return "FAIL";
    case Status::kDeparture:
      return "DEPARTURE (agreed, with reasons)";
    case Status::kNotRecorded:
      return "NOT RECORDED (the file lacks a fact needed to judge)";
    case Status::kPass:
      return "PASS";
    case Status::kNotApplicable:
      return "NOT APPLICABLE";
  }
  return "";
}

std::string_view StatusColour(Status s) {
  switch (s) {
    case Status::kFail:
      return kRed;
    case Status::kDeparture:
      return kYellow;
    case Status::kNotRecorded:
      return kBlue;
    case Status::kPass:
      return kGreen;
    case Status::kNotApplicable:
      return kDim;
  }
  return kReset;
}

// MUST in capitals so that legal requirements stand out; should and advice in lower case.
std::string ModalityTag(Modality m) {
  switch (m) {
    case Modality::kMust:
      return "MUST  ";
    case Modality::kShould:
      return "should";
    case Modality::kMay:
      return "may   ";
    case Modality::kAdvice:
      return "advice";
  }
  return "";
}

std::string Csv(std::string_view field) {
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string CheckReportText(const CheckReport& report, const TextOptions& options) {
  auto paint = [&](std::string_view colour, const std::string& text) {
    return options.colour ? std::string(colour) + text + std::string(kReset) : text;
  };
  const auto& s = report.summary;
  int must_fail = 0;
  int should_fail = 0;
  int advice_fail = 0;
  for (const Finding& f : report.findings) {
    if (f.status != Status::kFail) continue;
    if (f.modality == Modality::kMust) ++must_fail;
    if (f.modality == Modality::kShould) ++should_fail;
    if (f.modality == Modality::kAdvice) ++advice_fail;
  }
  // Names and messages quote the file, whose text is escaped before it reaches a terminal.
  std::string title = EscapeForTerminal(
      options.name.empty() ? report.authority : options.name + " (" + report.authority + ")");
  std::string out = paint(kBold, title) + fmt::format(", as of {}, against {}\n",
                                                      report.as_of.ToString(), report.guidance);
  std::vector<std::string> fail_parts;
  if (must_fail) fail_parts.push_back(fmt::format("{} must", must_fail));
  if (should_fail) fail_parts.push_back(fmt::format("{} should", should_fail));
  if (advice_fail) fail_parts.push_back(fmt::format("{} advice", advice_fail));
  std::string fails = fmt::format("{} fail", s[1]);
  if (!fail_parts.empty()) fails += " (" + Join(fail_parts, ", ") + ")";
  out += fmt::format("{}, {} departure, {} not recorded, {} pass, {} not applicable\n",
                     paint(s[1] ? kRed : kGreen, fails), s[2], s[3], s[0], s[4]);
  constexpr std::array kOrder = {Status::kFail, Status::kDeparture, Status::kNotRecorded,
                                 Status::kPass, Status::kNotApplicable};
  size_t id_width = 0;
  for (const Finding& f : report.findings) id_width = std::max(id_width, f.check.size());
  for (Status status : kOrder) {
    bool heading = false;
    for (const Finding& f : report.findings) {
      if (f.status != status) continue;
      if (!heading) {
        out += "\n" + paint(StatusColour(status), StatusHeading(status)) + "\n";
        heading = true;
      }
      const std::string tag = ModalityTag(f.modality);
      out += fmt::format("  {} {:<{}}  {:<12} {}\n",
                         f.modality == Modality::kMust ? paint(kBold, tag) : tag, f.check, id_width,
                         "[" + Join(f.refs, ", ") + "]", EscapeForTerminal(f.message));
      // Under the message: where the check's force comes from.
      const std::string indent(2 + 6 + 1 + id_width + 2 + 12 + 1, ' ');
      if (!f.force_source.empty()) {
        out += indent +
               paint(kDim, fmt::format("force: {}, from {}", NameOf(f.modality), f.force_source)) +
               "\n";
      }
      if (!f.fix.empty()) out += indent + "fix: " + EscapeForTerminal(f.fix) + "\n";
    }
  }
  out += "\n" + paint(kDim, RefLegendText());
  return out;
}

std::string RefLegendText() {
  std::string out = "References in brackets:\n";
  for (const std::string& line : RefLegend()) out += "  " + line + "\n";
  return out;
}

std::string CatalogueText(const Catalogue& c) {
  std::string out = fmt::format("{} ({}, {}, version {}): {} duties\n\n", c.title, c.publisher,
                                c.reference, c.version, c.duties.size());
  size_t width = 0;
  for (const Duty& d : c.duties) width = std::max(width, d.id.size());
  for (const Duty& d : c.duties) {
    out += fmt::format("{:<{}}  {:<4} {:<6} {:<15} {}\n", d.id, width, d.paragraph,
                       NameOf(d.modality), NameOf(d.holder), d.summary);
  }
  return out;
}

std::string DutyText(const Catalogue& c, const Duty& d) {
  const Theme* theme = c.FindTheme(d.theme);
  std::string out = fmt::format("{}\n", d.id);
  out += fmt::format("  paragraph       {}\n", d.paragraph);
  out += fmt::format("  theme           {}\n", theme ? theme->title : d.theme);
  out += fmt::format("  summary         {}\n", d.summary);
  out += fmt::format("  holder          {}\n", NameOf(d.holder));
  out += fmt::format("  modality        {}\n", NameOf(d.modality));
  out += fmt::format("  legal basis     {}\n",
                     d.legal_basis.empty() ? "-" : Join(d.legal_basis, "; "));
  out += fmt::format("  force from      {}\n", ForceSource(d));
  if (d.force_note) out += fmt::format("  force note      {}\n", *d.force_note);
  out += fmt::format("  responsibility  {}\n", NameOf(d.responsibility));
  out += fmt::format("  focus           {}\n", NameOf(d.focus));
  out += fmt::format("  checks          {}\n", d.checks.empty() ? "-" : Join(d.checks, ", "));
  if (d.framework_row) out += fmt::format("  framework row   {}\n", *d.framework_row);
  out += fmt::format("\n  \"{}\"\n", d.text);
  for (const CurrencyNote& n : d.currency) {
    out += fmt::format("\n  Changed since 2013 (from {}, {}):\n    {}\n", n.from.ToString(),
                       n.instrument, n.changed);
  }
  return out;
}

std::string ExplainText(const Catalogue& c, const CheckInfo& check) {
  std::vector<std::string> refs(check.refs.begin(), check.refs.end());
  std::string out = fmt::format("{}: {}\n", check.id, check.title);
  out +=
      fmt::format("  modality  {}, from {}\n  refs      {}\n  passes    when {}\n",
                  NameOf(check.modality), check.force_source, Join(refs, ", "), check.passes_when);
  out += fmt::format("  otherwise {}\n", check.otherwise);
  if (const Duty* force = c.FindDuty(check.force_duty); force && force->force_note) {
    out += fmt::format("  force     {}\n", *force->force_note);
  }
  for (std::string_view ref : check.refs) {
    const std::string label = ref == "CE"             ? "Advice to chief executives"
                              : ref.starts_with("KP") ? "Key point " + std::string(ref.substr(2))
                                                      : "Paragraph " + std::string(ref);
    out += "\n" + label + "\n";
    for (const Duty* d : c.DutiesOf(ref)) {
      out += fmt::format("  \"{}\"  ({})\n", d->text, d->id);
    }
  }
  std::vector<std::string> tested;
  for (const Duty& d : c.duties) {
    for (const std::string& id : d.checks) {
      if (id == check.id) tested.push_back(d.id);
    }
  }
  out += "\nDuties it tests: " + (tested.empty() ? "-" : Join(tested, ", ")) + "\n";
  return out + "\n" + RefLegendText();
}

std::string CatalogueCsv(const Catalogue& c) {
  std::string out = "\xEF\xBB\xBF";
  const std::vector<std::string> header = {"Id",
                                           "Paragraph",
                                           "Theme",
                                           "Role & Responsibility",
                                           "Guidance text",
                                           "Holder",
                                           "Modality",
                                           "Legal basis",
                                           "Type of Responsibility",
                                           "Focus",
                                           "Checks",
                                           "Changed since 2013",
                                           "How Discharged",
                                           "Compliance",
                                           "Evidence",
                                           "Owner"};
  std::vector<std::string> quoted;
  for (const std::string& h : header) quoted.push_back(Csv(h));
  out += Join(quoted, ",") + "\r\n";
  for (const Duty& d : c.duties) {
    const Theme* theme = c.FindTheme(d.theme);
    std::vector<std::string> notes;
    for (const CurrencyNote& n : d.currency) {
      notes.push_back(fmt::format("From {} ({}): {}", n.from.ToString(), n.instrument, n.changed));
    }
    const std::vector<std::string> row = {d.id,
                                          d.paragraph,
                                          theme ? theme->title : d.theme,
                                          d.summary,
                                          d.text,
                                          std::string(NameOf(d.holder)),
                                          std::string(NameOf(d.modality)),
                                          Join(d.legal_basis, "; "),
                                          std::string(NameOf(d.responsibility)),
                                          std::string(NameOf(d.focus)),
                                          Join(d.checks, " "),
                                          Join(notes, " | "),
                                          "",
                                          "",
                                          "",
                                          ""};
    quoted.clear();
    for (const std::string& field : row) quoted.push_back(Csv(field));
    out += Join(quoted, ",") + "\r\n";
  }
  return out;
}

}  // namespace assure::report
