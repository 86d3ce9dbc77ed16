// Reads an arrangements file (docs/format.md) into the domain's Arrangements.
#pragma once

#include <string>
#include <string_view>

#include "core/arrangements.hpp"
#include "core/error.hpp"

namespace assure::load {

// Parses and validates the YAML text of one arrangements file. Returns the arrangements, or
// every error in the file (never a half-loaded model), in file order, each naming `file`, the
// line and column, and the field: unknown fields, missing required fields, keys with no value,
// wrong types, bad dates, values outside a vocabulary (with the allowed values), ids that are
// malformed or used twice, references to missing ids or to ids of the wrong kind, reporting
// cycles, duplicate keys, several documents, YAML syntax errors.
Result<Arrangements> ParseArrangements(std::string_view text, const std::string& file);

// The same for text this program wrote itself and stored (the history): read without the rules
// on characters that text from outside must meet (core/characters.hpp), so that what was stored
// before those rules still reads.
Result<Arrangements> ParseStoredArrangements(std::string_view text, const std::string& file);

// Reads the file at `path` and parses it. Only a regular file of at most 64 MB is read: a file
// that cannot be read, a directory, a device, a pipe or a larger file is one error.
Result<Arrangements> LoadArrangementsFile(const std::string& path);

}  // namespace assure::load

namespace assure::load {

// Writes arrangements as an arrangements file: block style, sections and fields in the order of
// the format reference, optional facts only where recorded, dates as YYYY-MM-DD. Reading the
// result with ParseArrangements gives back equal arrangements.
std::string WriteArrangements(const Arrangements& arrangements);

}  // namespace assure::load
