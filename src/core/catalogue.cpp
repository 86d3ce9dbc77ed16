#include "core/catalogue.hpp"

#include <fmt/format.h>

#include <algorithm>
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

std::string RefPhrase(std::string_view ref) {
  if (ref == "CE") return "the advice to chief executives";
  if (ref.starts_with("KP")) return "key point " + std::string(ref.substr(2));
  if (ref.starts_with("FN")) return "footnote " + std::string(ref.substr(2));
  return "para " + std::string(ref);
}

std::string ForceSource(const Duty& duty) {
  if (duty.force_from.empty()) return RefPhrase(duty.paragraph);
  // "X Act s1" and "X Act s2" read "X Act s1 and s2".
  std::string out;
  std::string act;
  for (size_t i = 0; i < duty.force_from.size(); ++i) {
    const std::string& basis = duty.force_from[i];
    const size_t section = basis.rfind(" s");
    const std::string this_act = section == std::string::npos ? basis : basis.substr(0, section);
    const bool last = i + 1 == duty.force_from.size();
    if (i > 0) out += last ? " and " : ", ";
    out += i > 0 && this_act == act && section != std::string::npos ? basis.substr(section + 1)
                                                                    : basis;
    act = this_act;
  }
  return out + " (" + RefPhrase(duty.paragraph) + ")";
}

std::vector<std::string> RefLegend() {
  return {
      "KP1-KP7 = the seven key points at the start of the 2013 statutory guidance",
      "1-25 = the numbered paragraphs of the guidance (para 7 is paragraph 7)",
      "FN = a footnote of the guidance (FN2 is footnote 2)",
      "CE = published advice to council chief executives on the DCS role: not DfE guidance and "
      "not statutory, so checks that rest on it alone are advice",
  };
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
    for (const std::string& basis : d.force_from) {
      if (std::find(d.legal_basis.begin(), d.legal_basis.end(), basis) == d.legal_basis.end()) {
        problems.push_back(
            fmt::format("duty '{}': force_from '{}' is not in its legal_basis", d.id, basis));
      }
    }
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
