#pragma once
// Spec strings name datasets, features and descriptors: `hog(cell=4,bins=9)+huehist(bins=12)`,
// `cifar10:/data/cifar`. This is the one parser for all of them.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace featpipe {

/// One `name(key=value,...)` term. Keys are unique; values are kept as written.
struct SpecTerm {
  std::string name;
  std::map<std::string, std::string> params;

  /// `name(k1=v1,k2=v2)` with keys sorted; `name` alone when there are no parameters.
  std::string canonical() const;
  /// Typed accessors: the default when absent; std::invalid_argument naming the term and key when
  /// present but not parseable.
  int get_int(const std::string& key, int fallback) const;
  double get_double(const std::string& key, double fallback) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  bool get_bool(const std::string& key, bool fallback) const;
  /// Throws std::invalid_argument listing the unknown keys and the allowed ones, and naming the allowed key
  /// closest to each unknown one (closest_name) when there is one: "did you mean 'cell'?".
  void check_keys(const std::vector<std::string>& allowed) const;
};

/// Parses `a(k=v)+b+c(k=v)`. Throws std::invalid_argument with the position and what was expected on
/// malformed input (unbalanced parentheses, empty name, missing '=', duplicate key, trailing '+').
/// Values may contain ':' and 'x' (`pyramid=1:2:4`, `size=28x28`) but not ',', '(', ')' or '+'.
std::vector<SpecTerm> parse_spec(const std::string& spec);

/// Joins terms with '+' in canonical form.
std::string canonical_spec(const std::vector<SpecTerm>& terms);

}  // namespace featpipe
