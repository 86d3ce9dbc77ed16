// Helpers shared by the tests: the source tree, files, and loading arrangements.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/arrangements.hpp"

namespace assure::testing {

std::filesystem::path SourceDir();
std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& text);

// Every file with this extension (".yaml"; "*" for every file) under `dir` (relative to the
// source tree), sorted.
std::vector<std::filesystem::path> FilesUnder(const std::string& dir, const std::string& ext);

// Loads a file that must load; fails the test with its errors otherwise.
Arrangements MustLoad(const std::string& yaml, const std::string& name = "test.yaml");

// True when UPDATE_GOLDEN=1: golden files are rewritten instead of compared.
bool UpdatingGolden();

}  // namespace assure::testing
