#pragma once
// Running a staged recipe of pipelines/ from the command-line tests: the source tree's run.sh with the
// built featpipe, its output in a log, and checks of what it leaves.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli_runner.h"
#include "featpipe/data/store.h"

namespace featpipe::testing {

/// The shell command that runs pipelines/<recipe>/run.sh ARGS with EXP=exp, after the assignments in env
/// ("NAME=value ...", or empty).
inline std::string recipe_command(const std::string& recipe, const std::string& args,
                                  const std::filesystem::path& exp, const std::string& env = "") {
  return env + (env.empty() ? "" : " ") + "FEATPIPE=" + shell_quote(FEATPIPE_BINARY) +
         " EXP=" + shell_quote(exp.string()) + " bash " +
         shell_quote(std::string(FEATPIPE_SOURCE_DIR) + "/pipelines/" + recipe + "/run.sh") + " " + args;
}

/// Runs the recipe with its output in log; its exit status (-1 when it did not exit).
inline int run_recipe(const std::string& recipe, const std::string& args, const std::filesystem::path& exp,
                      const std::filesystem::path& log, const std::string& env = "") {
  const int status = std::system(
      (recipe_command(recipe, args, exp, env) + " > " + shell_quote(log.string()) + " 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Every .h5 in dir opens as a featpipe store (nothing half-written carries a final name), and inspect
/// works on it.
inline void expect_complete_stores(const std::filesystem::path& dir, const std::filesystem::path& scratch) {
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".h5") continue;
    EXPECT_NO_THROW(featpipe::data::StoreReader(e.path().string())) << e.path();
    const auto r = run_featpipe({"inspect", e.path().string()}, scratch);
    EXPECT_EQ(r.exit_code, 0) << e.path() << ": " << r.err;
  }
}

inline int count_lines_with(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace featpipe::testing
