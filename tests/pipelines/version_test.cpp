// `featpipe --version`: the version CMake gives the project, the CPU level the kernels run at (lowered by
// FEATPIPE_CPU, whose bad values every command refuses with exit 2) and the libraries' versions.
#include <gtest/gtest.h>

#include <opencv2/core/version.hpp>
#include <sstream>
#include <string>

#include "cli_runner.h"
#include "featpipe/core/cpu_level.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::run_featpipe;
using featpipe::testing::ScopedEnv;
using featpipe::testing::TempDir;
namespace cpu = featpipe::cpu;

/// The line of text that starts with `start`, or "" when none does.
std::string line_starting(const std::string& text, const std::string& start) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(start, 0) == 0) return line;
  }
  return "";
}

class VersionCli : public ::testing::Test {
 protected:
  CliResult run(const std::vector<std::string>& args) { return run_featpipe(args, dir_.path()); }

  TempDir dir_;
};

TEST_F(VersionCli, PrintsTheVersionTheCpuLevelAndTheLibraries) {
  const ScopedEnv level("FEATPIPE_CPU", nullptr);
  const CliResult r = run({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("featpipe " FEATPIPE_VERSION "\n", 0), 0u) << r.out;
  const std::string cpu_line = line_starting(r.out, "cpu: ");
  const auto detected = cpu::detected();
  ASSERT_TRUE(detected);
  EXPECT_TRUE(contains(cpu_line, "this CPU: " + std::string(cpu::name(*detected)))) << r.out;
  EXPECT_FALSE(contains(cpu_line, "lowered")) << r.out;
  if (cpu::dispatching()) {
    EXPECT_EQ(cpu_line.rfind("cpu: " + std::string(cpu::name(*detected)), 0), 0u) << r.out;
  }
  for (const std::string library :
       {"  OpenCV " CV_VERSION, "  HDF5 1.", "  VLFeat 0.", "  Boost 1.", "  Eigen 3.", "  OpenMP "}) {
    EXPECT_FALSE(line_starting(r.out, library).empty()) << library << " missing in\n" << r.out;
  }
  EXPECT_TRUE(contains(r.out, "libopencv_imgcodecs.so")) << r.out;
  EXPECT_FALSE(line_starting(r.out, "compiler: ").empty()) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(VersionCli, HelpMentionsVersion) {
  const CliResult r = run({"--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "featpipe --version")) << r.out;
}

// Every x86-64 machine runs v2, so v2 can always be asked for; whether that lowers the level depends on
// the machine running the test.
TEST_F(VersionCli, FeatpipeCpuLowersTheLevel) {
  const auto detected = cpu::detected();
  ASSERT_TRUE(detected);
  const ScopedEnv level("FEATPIPE_CPU", "v2");
  const CliResult r = run({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string cpu_line = line_starting(r.out, "cpu: ");
  if (!cpu::dispatching()) {
    EXPECT_TRUE(contains(cpu_line, "native build")) << r.out;
    return;
  }
  EXPECT_EQ(cpu_line.rfind("cpu: x86-64-v2 (SSE4.2)", 0), 0u) << r.out;
  EXPECT_EQ(contains(cpu_line, "lowered by FEATPIPE_CPU"), *detected > cpu::Level::v2) << r.out;
  EXPECT_TRUE(contains(cpu_line, "this CPU: " + std::string(cpu::name(*detected)))) << r.out;
}

// FEATPIPE_CPU is a cap: a level above the CPU's runs the CPU's, and --version says so.
TEST_F(VersionCli, FeatpipeCpuAboveTheCpuRunsTheCpusLevel) {
  const auto detected = cpu::detected();
  ASSERT_TRUE(detected);
  const ScopedEnv level("FEATPIPE_CPU", "v4");
  const CliResult r = run({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "cpu: " + std::string(cpu::name(*detected)))) << r.out;
  EXPECT_EQ(contains(r.out, "(FEATPIPE_CPU=v4 is above this CPU)"), *detected < cpu::Level::v4) << r.out;
}

TEST_F(VersionCli, BadFeatpipeCpuExitsTwoForVersionAndEveryCommand) {
  std::vector<std::pair<std::string, std::string>> cases = {{"v9", "'v9' is not a level"},
                                                            {"avx2", "'avx2' is not a level"}};
  for (const auto& [value, problem] : cases) {
    const ScopedEnv level("FEATPIPE_CPU", value.c_str());
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--version"}, {"datasets"}, {"gradcheck", "--help"}}) {
      const CliResult r = run(args);
      EXPECT_EQ(r.exit_code, 2) << value << " " << args[0] << ": " << r.err;
      EXPECT_TRUE(contains(r.err, "featpipe: error: FEATPIPE_CPU: " + problem)) << r.err;
      EXPECT_TRUE(r.out.empty()) << r.out;
    }
  }
}

}  // namespace
