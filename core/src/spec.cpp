#include "featpipe/core/spec.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <stdexcept>

#include "featpipe/core/registry.h"

namespace featpipe {
namespace {

[[noreturn]] void fail(const std::string& spec, std::size_t pos, const std::string& what) {
  throw std::invalid_argument("spec '" + spec + "': " + what + " at position " + std::to_string(pos));
}

bool is_value_char(char c) { return c != ',' && c != '(' && c != ')' && c != '+' && c != '='; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

std::vector<SpecTerm> parse_spec(const std::string& spec) {
  std::vector<SpecTerm> terms;
  std::size_t i = 0;
  const std::size_t n = spec.size();
  if (trim(spec).empty()) throw std::invalid_argument("spec is empty; expected e.g. raw or hog(cell=8)");
  while (true) {
    SpecTerm term;
    while (i < n && spec[i] == ' ') ++i;
    const std::size_t name_start = i;
    while (i < n && is_name_char(spec[i])) ++i;
    term.name = spec.substr(name_start, i - name_start);
    if (term.name.empty()) fail(spec, i, "expected a name");
    while (i < n && spec[i] == ' ') ++i;
    if (i < n && spec[i] == '(') {
      ++i;
      while (true) {
        std::size_t key_start = i;
        while (i < n && is_value_char(spec[i])) ++i;
        const std::string key = trim(spec.substr(key_start, i - key_start));
        if (key.empty()) fail(spec, i, "expected key=value");
        if (i >= n || spec[i] != '=') fail(spec, i, "expected '=' after '" + key + "'");
        ++i;
        std::size_t value_start = i;
        while (i < n && is_value_char(spec[i])) ++i;
        const std::string value = trim(spec.substr(value_start, i - value_start));
        if (value.empty()) fail(spec, i, "empty value for '" + key + "'");
        if (!term.params.emplace(key, value).second) fail(spec, key_start, "duplicate key '" + key + "'");
        if (i >= n) fail(spec, i, "missing ')'");
        if (spec[i] == ',') {
          ++i;
          continue;
        }
        if (spec[i] == ')') {
          ++i;
          break;
        }
        fail(spec, i, std::string("unexpected '") + spec[i] + "'");
      }
    }
    while (i < n && spec[i] == ' ') ++i;
    terms.push_back(std::move(term));
    if (i == n) break;
    if (spec[i] != '+') fail(spec, i, std::string("unexpected '") + spec[i] + "', expected '+' or the end");
    ++i;
    if (trim(spec.substr(i)).empty()) fail(spec, i, "trailing '+'");
  }
  return terms;
}

std::string SpecTerm::canonical() const {
  if (params.empty()) return name;
  std::string s = name + "(";
  bool first = true;
  for (const auto& [k, v] : params) {
    s += (first ? "" : ",") + k + "=" + v;
    first = false;
  }
  return s + ")";
}

std::string canonical_spec(const std::vector<SpecTerm>& terms) {
  std::string s;
  for (const SpecTerm& t : terms) s += (s.empty() ? "" : "+") + t.canonical();
  return s;
}

int SpecTerm::get_int(const std::string& key, int fallback) const {
  auto it = params.find(key);
  if (it == params.end()) return fallback;
  errno = 0;
  char* end = nullptr;
  const long v = std::strtol(it->second.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || v < INT32_MIN || v > INT32_MAX) {
    throw std::invalid_argument(name + ": " + key + "=" + it->second + " is not an integer");
  }
  return static_cast<int>(v);
}

double SpecTerm::get_double(const std::string& key, double fallback) const {
  auto it = params.find(key);
  if (it == params.end()) return fallback;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (*end != '\0') throw std::invalid_argument(name + ": " + key + "=" + it->second + " is not a number");
  return v;
}

std::string SpecTerm::get_string(const std::string& key, const std::string& fallback) const {
  auto it = params.find(key);
  return it == params.end() ? fallback : it->second;
}

bool SpecTerm::get_bool(const std::string& key, bool fallback) const {
  auto it = params.find(key);
  if (it == params.end()) return fallback;
  const std::string& v = it->second;
  if (v == "1" || v == "true" || v == "yes") return true;
  if (v == "0" || v == "false" || v == "no") return false;
  throw std::invalid_argument(name + ": " + key + "=" + v + " is not a boolean (use 1 or 0)");
}

void SpecTerm::check_keys(const std::vector<std::string>& allowed) const {
  std::vector<std::string> unknown;
  for (const auto& [k, v] : params) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) unknown.push_back(k);
  }
  if (unknown.empty()) return;
  std::string message = name + ": unknown parameter ";
  for (std::size_t i = 0; i < unknown.size(); ++i) message += (i ? ", " : "") + unknown[i];
  message += "; allowed: ";
  for (std::size_t i = 0; i < allowed.size(); ++i) message += (i ? ", " : "") + allowed[i];
  if (allowed.empty()) message += "none";
  // One suggestion per mistyped key that is close to an allowed one; "for" says which when several are.
  std::string suggestions;
  for (const std::string& k : unknown) {
    if (auto closest = closest_name(k, allowed)) {
      suggestions += (suggestions.empty() ? "" : ", ") + ("'" + *closest + "'") +
                     (unknown.size() > 1 ? " for '" + k + "'" : "");
    }
  }
  if (!suggestions.empty()) message += "; did you mean " + suggestions + "?";
  throw std::invalid_argument(message);
}

}  // namespace featpipe
