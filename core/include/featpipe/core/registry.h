#pragma once
// One registry per kind of named thing (extractors, descriptors, encodings, losses, ...): the names a user
// may type, what each means, its parameters with their defaults, and what the name stands for (a factory
// or an enum value). Lookups, error messages, --help texts and contract tests all read the same table, so
// a new entry is one line in one place.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace featpipe {

/// One parameter of an entry, as a spec or an option writes it.
struct ParamHelp {
  std::string key;            // e.g. "cell"
  std::string default_value;  // the default as text ("8", "0.2", "" for none)
  std::string meaning;        // one line
};

template <typename Value>
struct RegistryEntry {
  std::string name;
  std::string help;  // one line
  std::vector<ParamHelp> params;
  Value value;  // a factory function pointer, or an enum value
};

/// Levenshtein distance (insertions, deletions and substitutions of single bytes).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The known name closest to `name` within edit distance 2 and closer than the typed name's own length (so
/// that "x" does not suggest "l1"); ties go to the first in `known`. Nullopt when none is that close.
std::optional<std::string> closest_name(const std::string& name, const std::vector<std::string>& known);

/// "unknown <kind> '<name>'; known: a, b, c", then "; did you mean 'x'?" naming the closest known name when
/// it is within edit distance 2 (and closer than the typed name's own length, so that "x" does not suggest
/// "l1"). Ties go to the first in `known`.
std::string unknown_name_message(const std::string& kind, const std::string& name,
                                 const std::vector<std::string>& known);

/// The help of one entry: "name  help" on its first line (the name padded to `name_width`), then one
/// indented line per parameter, "key=default  meaning".
std::string format_entry_help(const std::string& name, const std::string& help,
                              const std::vector<ParamHelp>& params, std::size_t name_width);

/// The keys of a parameter list, in order (for SpecTerm::check_keys).
std::vector<std::string> param_keys(const std::vector<ParamHelp>& params);

template <typename Value>
class Registry {
 public:
  using Entry = RegistryEntry<Value>;

  /// `kind` names the entries in messages ("extractor", "loss"). Throws std::logic_error on an empty or
  /// repeated name: registries are built once, from code, so that is a programming error.
  Registry(std::string kind, std::vector<Entry> entries)
      : kind_(std::move(kind)), entries_(std::move(entries)) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->name.empty()) throw std::logic_error(kind_ + " registry: an entry has no name");
      if (std::any_of(entries_.begin(), it, [&](const Entry& e) { return e.name == it->name; })) {
        throw std::logic_error(kind_ + " registry: '" + it->name + "' is registered twice");
      }
    }
  }

  const std::string& kind() const { return kind_; }

  /// The entry named `name`, or nullptr.
  const Entry* find(const std::string& name) const {
    for (const Entry& e : entries_) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }

  /// The entry named `name`; std::invalid_argument with unknown_name_message() otherwise.
  const Entry& at(const std::string& name) const {
    if (const Entry* e = find(name)) return *e;
    throw std::invalid_argument(unknown_name_message(kind_, name, names()));
  }

  /// The first entry whose value is `value` (the name of an enum value); std::invalid_argument if none.
  const Entry& entry_of(const Value& value) const {
    for (const Entry& e : entries_) {
      if (e.value == value) return e;
    }
    throw std::invalid_argument(kind_ + " registry: no entry for this value");
  }

  /// Names in registration order.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const Entry& e : entries_) out.push_back(e.name);
    return out;
  }

  /// Names in registration order joined by `separator`, for option help texts.
  std::string joined_names(const std::string& separator) const {
    std::string out;
    for (const Entry& e : entries_) out += (out.empty() ? "" : separator) + e.name;
    return out;
  }

  /// Every entry's format_entry_help(), names aligned, in registration order.
  std::string help() const {
    std::size_t width = 0;
    for (const Entry& e : entries_) width = std::max(width, e.name.size());
    std::string out;
    for (const Entry& e : entries_) out += format_entry_help(e.name, e.help, e.params, width);
    return out;
  }

  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }

 private:
  std::string kind_;
  std::vector<Entry> entries_;
};

}  // namespace featpipe
