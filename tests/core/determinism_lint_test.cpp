// The determinism policy's lint (DESIGN.md, "Determinism"): randomness comes only from core's random
// module. The standard's distributions and shuffles are implementation-defined (their numbers differ between
// standard libraries), and an engine used directly is a second source beside the module.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace featpipe {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> offending_lines(const fs::path& root, const std::regex& pattern) {
  std::vector<std::string> found;
  for (const char* folder : {"core", "data", "features", "vocab", "classify", "pipelines", "python",
                             "examples", "tests", "bench", "fuzz"}) {
    if (!fs::exists(root / folder)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".h")) continue;
      if (entry.path().filename() == "random.cpp" || entry.path().filename() == "determinism_lint_test.cpp")
        continue;
      std::ifstream in(entry.path());
      std::string line;
      for (int number = 1; std::getline(in, line); ++number) {
        const std::size_t start = line.find_first_not_of(" \t");
        if (start != std::string::npos && line.compare(start, 2, "//") == 0) continue;  // a comment
        if (std::regex_search(line, pattern))
          found.push_back(fs::relative(entry.path(), root).string() + ":" + std::to_string(number) + ": " +
                          line);
      }
    }
  }
  return found;
}

TEST(DeterminismLint, RandomnessComesOnlyFromTheRandomModule) {
  const std::regex pattern(
      R"(std::\w+_distribution|std::(shuffle|sample|random_shuffle|rand|srand)\b|std::(mt19937|minstd_rand|ranlux|default_random_engine|random_device)|#include <random>|\brand\(\))");
  const std::vector<std::string> found = offending_lines(FEATPIPE_SOURCE_DIR, pattern);
  std::ostringstream list;
  for (const std::string& line : found) list << "\n  " << line;
  EXPECT_TRUE(found.empty())
      << "use featpipe/core/random.h (random::Generator, shuffle, sample_sorted) instead:" << list.str();
}

}  // namespace
}  // namespace featpipe
