// JSON forms of the domain's results: the findings of `assure check --format json` (docs/checks.md)
// and the catalogue of `assure catalogue --format json`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
#include "core/checks.hpp"

namespace assure::load {

// The report's summary: how many findings have each status, as the object of that name in
// ReportToJson ({"pass": 20, "fail": 3, ...}).
nlohmann::ordered_json SummaryJson(const CheckReport& report);

// One report as the JSON object docs/checks.md describes, indented by two spaces.
std::string ReportToJson(const CheckReport& report);

// Several reports as a JSON array, in the order given.
std::string ReportsToJson(const std::vector<CheckReport>& reports);

// The catalogue as JSON: its header, themes and every duty with all its fields.
std::string CatalogueToJson(const Catalogue& catalogue);

}  // namespace assure::load
