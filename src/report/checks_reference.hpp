// The reference of every check (docs/checks.md), written from the same table as `assure explain`
// and the catalogue its force comes from, so that the reference cannot drift from the program.
#pragma once

#include <string>

#include "core/catalogue.hpp"

namespace assure::report {

// Markdown: the outcomes, the modalities and where each comes from, the rules that hold across
// checks, the legend of references, then each check in the order of the table: its force and
// where that comes from, when it passes, fails, is not recorded or not applicable, and the words
// of the guidance its force rests on.
std::string ChecksReference(const Catalogue& catalogue);

}  // namespace assure::report
