#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "load/arrangements_yaml.hpp"

namespace assure::testing {

std::filesystem::path SourceDir() { return ASSURE_SOURCE_DIR; }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::filesystem::path> FilesUnder(const std::string& dir, const std::string& ext) {
  std::vector<std::filesystem::path> files;
  const auto root = SourceDir() / dir;
  if (!std::filesystem::exists(root)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && (ext == "*" || entry.path().extension() == ext)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Arrangements MustLoad(const std::string& yaml, const std::string& name) {
  Result<Arrangements> r = load::ParseArrangements(yaml, name);
  if (!r.ok()) {
    std::string all;
    for (const Error& e : r.errors()) all += e.ToString() + "\n";
    ADD_FAILURE() << "expected to load, got:\n" << all;
    return {};
  }
  return r.value();
}

bool UpdatingGolden() {
  const char* v = std::getenv("UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

}  // namespace assure::testing
