#include "featpipe/core/registry.h"

#include <numeric>

namespace featpipe {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // One row of the dynamic-programming table at a time: names are short, but this costs nothing.
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest_name(const std::string& name, const std::vector<std::string>& known) {
  const std::string* closest = nullptr;
  std::size_t best = 3;
  for (const std::string& k : known) {
    const std::size_t d = edit_distance(name, k);
    if (d < best && d < name.size()) {
      best = d;
      closest = &k;
    }
  }
  if (!closest) return std::nullopt;
  return *closest;
}

std::string unknown_name_message(const std::string& kind, const std::string& name,
                                 const std::vector<std::string>& known) {
  std::string message = "unknown " + kind + " '" + name + "'; known: ";
  for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", " : "") + known[i];
  if (auto closest = closest_name(name, known)) message += "; did you mean '" + *closest + "'?";
  return message;
}

std::string format_entry_help(const std::string& name, const std::string& help,
                              const std::vector<ParamHelp>& params, std::size_t name_width) {
  std::string out =
      name + std::string(std::max(name_width, name.size()) - name.size() + 2, ' ') + help + "\n";
  std::size_t width = 0;
  for (const ParamHelp& p : params) width = std::max(width, p.key.size() + 1 + p.default_value.size());
  for (const ParamHelp& p : params) {
    const std::string setting = p.key + "=" + p.default_value;
    out += "    " + setting + std::string(width - setting.size() + 2, ' ') + p.meaning + "\n";
  }
  return out;
}

std::vector<std::string> param_keys(const std::vector<ParamHelp>& params) {
  std::vector<std::string> keys;
  keys.reserve(params.size());
  for (const ParamHelp& p : params) keys.push_back(p.key);
  return keys;
}

}  // namespace featpipe
