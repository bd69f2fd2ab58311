#include "featpipe/pipelines/console.h"

#include <cstdio>
#include <iostream>
#include <string>

namespace featpipe::pipelines {
namespace {

bool quiet_now = false;
std::string prefix = "featpipe: ";

}  // namespace

void set_quiet(bool quiet) {
  quiet_now = quiet;
  if (!quiet) return;
  std::cout.flush();
  // Should /dev/null not open, standard output is closed: silent all the same.
  [[maybe_unused]] std::FILE* nowhere = std::freopen("/dev/null", "w", stdout);
}

bool quiet() { return quiet_now; }

void set_command_name(const std::string& command) {
  prefix = command.empty() ? "featpipe: " : "featpipe " + command + ": ";
}

void notify(Notice kind, const std::string& message) {
  if (quiet_now) return;
  switch (kind) {
    case Notice::warning:
      std::cerr << prefix << "warning: " << message << "\n";
      break;
    case Notice::note:
      std::cerr << prefix << "note: " << message << "\n";
      break;
    case Notice::info:
      std::cerr << message << "\n";
      break;
  }
}

}  // namespace featpipe::pipelines
