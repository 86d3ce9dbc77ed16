// Reads a guidance catalogue (catalogue/*.yaml) into the domain's Catalogue.
#pragma once

#include <string>
#include <string_view>

#include "core/catalogue.hpp"
#include "core/error.hpp"

namespace assure::load {

// Parses a catalogue file. Returns the catalogue or every error, with line and column. Does not
// run Validate(): a caller that needs a sound catalogue runs it too.
Result<Catalogue> ParseCatalogue(std::string_view text, const std::string& file);

// The catalogue built into the program (catalogue/dcs-lmcs-2013.yaml), parsed once.
// Returns its errors if the built-in text does not parse (a build defect, caught by the tests).
const Result<Catalogue>& BuiltInCatalogue();

// The built-in catalogue's YAML text.
std::string_view BuiltInCatalogueText();

}  // namespace assure::load
