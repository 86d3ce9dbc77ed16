#include "core/catalogue.hpp"

#include <fmt/format.h>

#include <set>

namespace assure {

const Duty* Catalogue::FindDuty(std::string_view duty_id) const {
  for (const Duty& d : duties) {
    if (d.id == duty_id) return &d;
  }
  return nullptr;
}

const Theme* Catalogue::FindTheme(std::string_view theme_id) const {
  for (const Theme& t : themes) {
    if (t.id == theme_id) return &t;
  }
  return nullptr;
}

std::vector<const Duty*> Catalogue::DutiesOf(std::string_view paragraph) const {
  std::vector<const Duty*> out;
  for (const Duty& d : duties) {
    if (d.paragraph == paragraph) out.push_back(&d);
  }
  return out;
}

namespace {

bool IsNumber(std::string_view s, int low, int high) {
  if (s.empty() || s.size() > 2 || s.find_first_not_of("0123456789") != std::string_view::npos) {
    return false;
  }
  const int n = std::stoi(std::string(s));
  return n >= low && n <= high && std::to_string(n) == s;
}

bool IsParagraph(std::string_view p) {
  if (p == "CE") return true;
  if (p.starts_with("KP")) return IsNumber(p.substr(2), 1, 7);
  if (p.starts_with("FN")) return IsNumber(p.substr(2), 1, 99);
  return IsNumber(p, 1, 25);
}

}  // namespace

std::vector<std::string> Validate(const Catalogue& catalogue) {
  std::vector<std::string> problems;
  std::set<std::string> ids;
  std::set<std::string> paragraphs;
  std::set<std::string> linked;
  for (const Duty& d : catalogue.duties) {
    if (!ids.insert(d.id).second)
      problems.push_back(fmt::format("duty id '{}' is used twice", d.id));
    if (!IsParagraph(d.paragraph)) {
      problems.push_back(fmt::format("duty '{}': paragraph '{}' is not KP1-KP7, 1-25, FNn or CE",
                                     d.id, d.paragraph));
    }
    paragraphs.insert(d.paragraph);
    if (!catalogue.FindTheme(d.theme)) {
      problems.push_back(fmt::format("duty '{}': unknown theme '{}'", d.id, d.theme));
    }
    if (d.text.empty()) problems.push_back(fmt::format("duty '{}': no text", d.id));
    for (const std::string& check : d.checks) {
      if (!FindCheck(check)) {
        problems.push_back(fmt::format("duty '{}': unknown check '{}'", d.id, check));
      }
      linked.insert(check);
    }
  }
  for (int i = 1; i <= 7; ++i) {
    if (!paragraphs.count("KP" + std::to_string(i))) {
      problems.push_back(fmt::format("key point KP{} has no duty", i));
    }
  }
  for (int i = 1; i <= 25; ++i) {
    if (!paragraphs.count(std::to_string(i))) {
      problems.push_back(fmt::format("paragraph {} has no duty", i));
    }
  }
  for (const CheckInfo& c : Checks()) {
    if (!linked.count(std::string(c.id))) {
      problems.push_back(fmt::format("check '{}' is linked from no duty", c.id));
    }
  }
  return problems;
}

}  // namespace assure
