// Descriptions of the arrangements file generated from its format (format.hpp): a JSON Schema
// for editors, and a reference for people. Both come from the same table the loader checks
// against, so neither can drift from what the loader accepts.
#pragma once

#include <string>

namespace assure::load {

// A JSON Schema (draft 2020-12) of the arrangements file. What it cannot express (references
// resolve, ids unique, no reporting cycle, dates are real days) the loader still checks.
std::string ArrangementsJsonSchema();

// The format reference in Markdown: every record and field, its type, whether it is required,
// its allowed values, its meaning and an example.
std::string ArrangementsFormatReference();

}  // namespace assure::load
