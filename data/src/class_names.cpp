#include "featpipe/data/class_names.h"

#include <cstdio>
#include <map>

#include "featpipe/core/errors.h"

namespace featpipe::data {
namespace {

/// The name with control characters written as \n, \t, \0 or \xHH, quoted.
std::string escaped(const std::string& name) {
  std::string out = "'";
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\0') {
      out += "\\0";
    } else if (u < 0x20 || u == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out + "'";
}

bool has_control_character(const std::string& name) {
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

}  // namespace

void check_class_names(const std::vector<std::string>& names, const std::string& source) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    const std::string which = "class name " + std::to_string(i + 1) + " of " + std::to_string(names.size());
    if (name.empty()) throw InputError(source, which + " is empty; every class needs a name");
    if (has_control_character(name)) {
      throw InputError(source,
                       which + ", " + escaped(name) +
                           ", holds a control character (a newline, tab or NUL byte); rename the class");
    }
    const auto [it, added] = seen.emplace(name, i);
    if (!added) {
      throw InputError(source, which + ", " + escaped(name) + ", repeats class name " +
                                   std::to_string(it->second + 1) + "; two classes cannot share a name");
    }
  }
}

}  // namespace featpipe::data
