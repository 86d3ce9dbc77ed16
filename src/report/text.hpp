// Human-readable renderings: the findings of `assure check` for a terminal, and the catalogue
// as text and as a CSV compliance table (the shape of a council's DCS compliance and assurance
// framework, extended to the whole guidance).
#pragma once

#include <string>

#include "core/catalogue.hpp"
#include "core/checks.hpp"

namespace assure::report {

struct TextOptions {
  bool colour = false;  // ANSI colours: only when writing to a terminal
  std::string name;     // the authority's name, for the summary line
};

// A summary line, then one line per finding grouped by status (fail, departure, not recorded,
// pass, not applicable), each with its modality, id, paragraphs and message.
std::string CheckReportText(const CheckReport& report, const TextOptions& options);

// What the references in brackets stand for (KP, paragraph numbers, FN, CE), a line each.
std::string RefLegendText();

// One line per duty: id, paragraph, modality, holder, summary.
std::string CatalogueText(const Catalogue& catalogue);

// Every field of one duty, its words in full.
std::string DutyText(const Catalogue& catalogue, const Duty& duty);

// A check, the paragraphs it cites and their words, and the duties it tests.
std::string ExplainText(const Catalogue& catalogue, const CheckInfo& check);

// The compliance table as CSV (RFC 4180, UTF-8 with a byte-order mark so that spreadsheets read
// it as UTF-8): one row per duty, with empty "How discharged", "Compliance", "Evidence" and
// "Owner" columns for the council to fill in.
std::string CatalogueCsv(const Catalogue& catalogue);

}  // namespace assure::report
