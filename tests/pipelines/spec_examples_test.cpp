// Every feature or descriptor spec that README.md or a command's --help writes builds: a user who copies one
// gets what it says, not an error (the documents and the parser cannot drift apart unnoticed).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "cli_runner.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/extractor.h"
#include "test_fixtures.h"

namespace featpipe::testing {
namespace {

struct Found {
  std::string spec;
  bool descriptor;  // a descriptor's name, else an extractor's
};

/// Every `name(...)` term in `text` whose name is a registered extractor or descriptor.
std::vector<Found> specs_in(const std::string& text) {
  std::string names;
  for (const std::string& n : features::extractor_registry().names()) names += (names.empty() ? "" : "|") + n;
  for (const std::string& n : features::descriptor_registry().names()) names += "|" + n;
  const std::regex term("\\b(" + names + ")\\([^()\\s`'\"]*\\)");
  std::vector<Found> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), term); it != std::sregex_iterator(); ++it) {
    found.push_back({(*it)[0], features::descriptor_registry().find((*it)[1]) != nullptr});
  }
  return found;
}

void expect_all_build(const std::string& text, const std::string& where) {
  const std::vector<Found> found = specs_in(text);
  EXPECT_FALSE(found.empty()) << where << " writes no spec";
  for (const Found& f : found) {
    try {
      if (f.descriptor) {
        features::make_descriptor(f.spec);
      } else {
        features::make_extractor(f.spec);
      }
    } catch (const std::invalid_argument& e) {
      ADD_FAILURE() << where << ": " << f.spec << ": " << e.what();
    }
  }
}

TEST(SpecExamples, EverySpecInTheReadmeBuilds) {
  std::ifstream in(std::string(FEATPIPE_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md";
  std::stringstream text;
  text << in.rdbuf();
  expect_all_build(text.str(), "README.md");
}

TEST(SpecExamples, EverySpecInTheHelpBuilds) {
  const TempDir dir;
  std::string help;
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"extract", "--help"}, {"descriptors", "--help"}, {"match", "--help"}, {"help", "features"}}) {
    const CliResult r = run_featpipe(args, dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    help += r.out;
  }
  expect_all_build(help, "--help");
}

}  // namespace
}  // namespace featpipe::testing
