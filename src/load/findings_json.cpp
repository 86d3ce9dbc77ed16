#include "load/findings_json.hpp"

#include <nlohmann/json.hpp>

namespace assure::load {
namespace {

using nlohmann::ordered_json;

ordered_json ToJson(const CheckReport& r) {
  ordered_json findings = ordered_json::array();
  for (const Finding& f : r.findings) {
    ordered_json finding = {{"check", f.check},
                            {"status", NameOf(f.status)},
                            {"modality", NameOf(f.modality)},
                            {"force_source", f.force_source},
                            {"refs", f.refs},
                            {"message", f.message},
                            {"subjects", f.subjects}};
    if (!f.fix.empty()) finding["fix"] = f.fix;
    findings.push_back(std::move(finding));
  }
  ordered_json warnings = ordered_json::array();
  for (const Warning& w : r.warnings) {
    warnings.push_back({{"code", w.code}, {"message", w.message}, {"field", w.field}});
  }
  return {{"authority", r.authority},  {"as_of", r.as_of.ToString()}, {"guidance", r.guidance},
          {"summary", SummaryJson(r)}, {"findings", findings},        {"warnings", warnings}};
}

}  // namespace

nlohmann::ordered_json SummaryJson(const CheckReport& report) {
  ordered_json summary;
  for (size_t i = 0; i < report.summary.size(); ++i) {
    summary[std::string(NameOf(static_cast<Status>(i)))] = report.summary[i];
  }
  return summary;
}

std::string ReportToJson(const CheckReport& report) { return ToJson(report).dump(2) + "\n"; }

std::string ReportsToJson(const std::vector<CheckReport>& reports) {
  ordered_json all = ordered_json::array();
  for (const CheckReport& r : reports) all.push_back(ToJson(r));
  return all.dump(2) + "\n";
}

std::string CatalogueToJson(const Catalogue& c) {
  ordered_json themes = ordered_json::array();
  for (const Theme& t : c.themes) themes.push_back({{"id", t.id}, {"title", t.title}});
  ordered_json duties = ordered_json::array();
  for (const Duty& d : c.duties) {
    ordered_json currency = ordered_json::array();
    for (const CurrencyNote& n : d.currency) {
      currency.push_back(
          {{"changed", n.changed}, {"instrument", n.instrument}, {"from", n.from.ToString()}});
    }
    ordered_json duty = {{"id", d.id},
                         {"paragraph", d.paragraph},
                         {"theme", d.theme},
                         {"text", d.text},
                         {"summary", d.summary},
                         {"holder", NameOf(d.holder)},
                         {"modality", NameOf(d.modality)},
                         {"legal_basis", d.legal_basis},
                         {"force_source", ForceSource(d)},
                         {"responsibility", NameOf(d.responsibility)},
                         {"focus", NameOf(d.focus)},
                         {"checks", d.checks},
                         {"currency", currency}};
    if (d.framework_row) duty["framework_row"] = *d.framework_row;
    if (d.force_note) duty["force_note"] = *d.force_note;
    duties.push_back(std::move(duty));
  }
  ordered_json out = {{"id", c.id},
                      {"title", c.title},
                      {"publisher", c.publisher},
                      {"reference", c.reference},
                      {"published", c.published.ToString()},
                      {"version", c.version},
                      {"themes", themes},
                      {"duties", duties}};
  return out.dump(2) + "\n";
}

}  // namespace assure::load
