#pragma once
// The two kinds of failure the featpipe command tells apart (DESIGN.md exit codes).
#include <stdexcept>
#include <string>

namespace featpipe {

/// Bad input: a file, spec or option the user can fix. what() reads "<file or option>: <what is wrong
/// and what to do>". The command exits 2.
class InputError : public std::runtime_error {
 public:
  InputError(const std::string& subject, const std::string& problem)
      : std::runtime_error(subject + ": " + problem) {}
};

/// An InputError from a validate() message of the form "<option>: <problem>" (the option names the subject).
[[noreturn]] inline void throw_option_error(const std::string& message) {
  const std::size_t colon = message.find(": ");
  if (colon == std::string::npos) throw InputError("options", message);
  throw InputError(message.substr(0, colon), message.substr(colon + 2));
}

/// fn(), with a std::invalid_argument it throws (a library's complaint about a value) turned into an
/// InputError naming `subject`, the option or file the value came from.
template <typename Fn>
auto blame(const std::string& subject, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::invalid_argument& e) {
    throw InputError(subject, e.what());
  }
}

/// A run that started on good input and failed (e.g. training diverged). The command exits 3.
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace featpipe
