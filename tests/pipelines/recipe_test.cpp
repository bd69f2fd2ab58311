// The staged recipes run end to end on small datasets written in the real formats, a killed run resumes
// without redoing finished stages, and no stage ever leaves (or reads) a half-written store.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli_runner.h"
#include "featpipe/data/store.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::testing::run_featpipe;
using featpipe::testing::shell_quote;
using featpipe::testing::TempDir;

namespace {

std::string recipe_command(const std::string& recipe, const std::string& args, const fs::path& exp) {
  return "FEATPIPE=" + shell_quote(FEATPIPE_BINARY) + " EXP=" + shell_quote(exp.string()) + " bash " +
         shell_quote(std::string(FEATPIPE_SOURCE_DIR) + "/pipelines/" + recipe + "/run.sh") + " " + args;
}

int run_recipe(const std::string& recipe, const std::string& args, const fs::path& exp, const fs::path& log) {
  const int status =
      std::system((recipe_command(recipe, args, exp) + " > " + shell_quote(log.string()) + " 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Every .h5 in dir opens as a featpipe store (nothing half-written carries a final name), and inspect
/// works on it.
void expect_complete_stores(const fs::path& dir, const fs::path& scratch) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".h5") continue;
    EXPECT_NO_THROW(featpipe::data::StoreReader(e.path().string())) << e.path();
    const auto r = run_featpipe({"inspect", e.path().string()}, scratch);
    EXPECT_EQ(r.exit_code, 0) << e.path() << ": " << r.err;
  }
}

int count_lines_with(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(Recipes, Cifar10EndToEnd) {
  TempDir dir;
  featpipe::testing::write_cifar10_dataset(dir / "cifar", {.per_batch = 24, .test = 30});
  const fs::path exp = dir / "exp";
  ASSERT_EQ(run_recipe("cifar10", "--fast " + (dir / "cifar").string(), exp, dir / "log"), 0)
      << featpipe::testing::slurp(dir / "log");
  const std::string log = featpipe::testing::slurp(dir / "log");
  for (const char* model : {"raw_softmax", "raw_svm", "hoghue_svm", "bow_svm", "triangle_svm"}) {
    EXPECT_TRUE(fs::exists(exp / (std::string(model) + ".h5"))) << model;
    EXPECT_NE(log.find(model), std::string::npos) << "the table should list " << model;
  }
  EXPECT_TRUE(fs::exists(exp / "report" / "report.html"));
  expect_complete_stores(exp, dir.path());
}

TEST(Recipes, FolderKilledMidStageResumesWithoutRedoingFinishedStages) {
  TempDir dir;
  featpipe::testing::write_folder_dataset(dir / "shapes", {.train_per_class = 12, .test_per_class = 4});
  const fs::path exp = dir / "exp";
  const std::string args = "--fast " + (dir / "shapes").string() + " 32x32";

  // Start the recipe in its own process group and kill the whole group once the vocabulary stage runs.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setpgid(0, 0);
    const std::string cmd =
        recipe_command("folder", args, exp) + " > " + shell_quote((dir / "log1").string()) + " 2>&1";
    execl("/bin/bash", "bash", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);
  // the descriptor sample, the sign that the recipe is past its first stages and into the vocabulary; no
  // deadline, which a slow machine (or AddressSanitizer) would miss: ctest's timeout ends a hung run
  int status = 0;
  bool exited = false;
  while (!fs::exists(exp / "dsift_desc.h5")) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(exited) << "the recipe ended before it could be killed:\n"
                       << featpipe::testing::slurp(dir / "log1");
  ASSERT_TRUE(fs::exists(exp / "dsift_desc.h5")) << featpipe::testing::slurp(dir / "log1");
  kill(-pid, SIGKILL);
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) || WEXITSTATUS(status) != 0);

  // Whatever carries a final name is complete; the stage that was running left at most a temporary file.
  expect_complete_stores(exp, dir.path());
  EXPECT_FALSE(fs::exists(exp / "report" / "report.html"));
  std::vector<std::string> finished;
  for (const auto& e : fs::directory_iterator(exp)) {
    if (e.path().extension() == ".h5") finished.push_back(e.path().filename().string());
  }
  ASSERT_GE(finished.size(), 10u);  // raw and hoghue splits, their models, the descriptor sample

  ASSERT_EQ(run_recipe("folder", args, exp, dir / "log2"), 0) << featpipe::testing::slurp(dir / "log2");
  const std::string log2 = featpipe::testing::slurp(dir / "log2");
  EXPECT_EQ(count_lines_with(log2, "exists, skipped"), int(finished.size())) << log2;
  for (const std::string& name : finished) {
    EXPECT_NE(log2.find(name + " exists, skipped"), std::string::npos) << name << " was redone:\n" << log2;
  }
  EXPECT_TRUE(fs::exists(exp / "report" / "report.html"));
  expect_complete_stores(exp, dir.path());
}

}  // namespace
