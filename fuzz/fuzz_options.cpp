// Option values: a command given numeric options named from the option schema (pipelines/src/
// option_schema.cpp), each with a fuzzed value, and an input that does not exist, so that a run whose
// options pass every check stops at its first input. Every outcome must be exit 2 with featpipe's message
// (a value refused, or the missing input): exit 3 (an internal error, such as a numeric option without a
// range or an exception no check turned into a message) or a crash is a finding.
// Input: a command byte, then options separated by NUL bytes, each an option byte and the value's text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../pipelines/src/option_schema.h"
#include "featpipe/pipelines/command.h"

namespace {

/// Each command with arguments naming inputs that do not exist (gradcheck and datasets read nothing and
/// would do their work: they are left out).
const std::vector<std::vector<std::string>>& command_lines() {
  static const std::vector<std::vector<std::string>> lines = {
      {"extract", "--data", "idx:/nonexistent/featpipe-fuzz", "--out", "/nonexistent/featpipe-fuzz/f.h5"},
      {"descriptors", "--data", "idx:/nonexistent/featpipe-fuzz", "--out", "/nonexistent/featpipe-fuzz/d.h5"},
      {"vocab", "--descriptors", "/nonexistent/featpipe-fuzz/d.h5", "--out",
       "/nonexistent/featpipe-fuzz/v.h5"},
      {"encode", "--vocab", "/nonexistent/featpipe-fuzz/v.h5", "--out", "/nonexistent/featpipe-fuzz/e.h5"},
      {"train", "--train", "/nonexistent/featpipe-fuzz/t.h5", "--out", "/nonexistent/featpipe-fuzz/m.h5"},
      {"sweep", "--train", "/nonexistent/featpipe-fuzz/t.h5", "--val", "/nonexistent/featpipe-fuzz/v.h5",
       "--out", "/nonexistent/featpipe-fuzz/m.h5"},
      {"eval", "--model", "/nonexistent/featpipe-fuzz/m.h5", "--data", "/nonexistent/featpipe-fuzz/t.h5"},
      {"compare", "/nonexistent/featpipe-fuzz/m.h5", "--test", "/nonexistent/featpipe-fuzz/t.h5", "--out",
       "/nonexistent/featpipe-fuzz/report"},
      {"predict", "--model", "/nonexistent/featpipe-fuzz/m.h5", "/nonexistent/featpipe-fuzz/i.png"},
      {"match", "/nonexistent/featpipe-fuzz/a.png", "/nonexistent/featpipe-fuzz/b.png"},
      {"inspect", "/nonexistent/featpipe-fuzz/t.h5"},
      {"verify", "/nonexistent/featpipe-fuzz/t.h5"},
  };
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::vector<std::string> args = {"featpipe"};
  const auto& lines = command_lines();
  const auto& line = lines[data[0] % lines.size()];
  args.insert(args.end(), line.begin(), line.end());
  const auto ranges = featpipe::pipelines::option_ranges();
  std::size_t pos = 1;
  while (pos < size) {
    std::size_t end = pos;
    while (end < size && data[end] != 0) ++end;
    if (end > pos) {
      args.push_back("--" + std::string(ranges[data[pos] % ranges.size()].name));
      args.emplace_back(reinterpret_cast<const char*>(data + pos + 1), end - pos - 1);
    }
    pos = end + 1;
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int code = featpipe::pipelines::run_command(static_cast<int>(args.size()), argv.data());
  if (code != featpipe::pipelines::kExitBadInput) {
    std::fprintf(stderr, "featpipe fuzz: featpipe");
    for (std::size_t i = 1; i < args.size(); ++i) std::fprintf(stderr, " '%s'", args[i].c_str());
    std::fprintf(stderr, " exited %d, not 2\n", code);
    std::abort();
  }
  return 0;
}
