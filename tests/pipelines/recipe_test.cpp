// The staged recipes run end to end on small datasets written in the real formats, a killed run resumes
// without redoing finished stages, a rerun skips exactly the stages whose command and inputs are unchanged,
// the build tree's copy runs from any folder with featpipe not on PATH, and no stage ever leaves (or reads)
// a half-written store.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "featpipe/classify/model_io.h"
#include "recipe_runner.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::testing::contains;
using featpipe::testing::count_lines_with;
using featpipe::testing::expect_complete_stores;
using featpipe::testing::recipe_command;
using featpipe::testing::run_recipe;
using featpipe::testing::shell_quote;
using featpipe::testing::TempDir;

namespace {

TEST(Recipes, Cifar10EndToEnd) {
  TempDir dir;
  featpipe::testing::write_cifar10_dataset(dir / "cifar", {.per_batch = 24, .test = 30});
  const fs::path exp = dir / "exp";
  ASSERT_EQ(run_recipe("cifar10", "--fast " + (dir / "cifar").string(), exp, dir / "log"), 0)
      << featpipe::testing::slurp(dir / "log");
  const std::string log = featpipe::testing::slurp(dir / "log");
  for (const char* model : {"raw_softmax", "raw_svm", "hoghue_svm", "bow_svm", "triangle_svm", "fv_svm"}) {
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
  // finished: the outputs whose stage recorded them, which it does once they are complete
  std::vector<std::string> finished;
  for (const auto& e : fs::directory_iterator(exp)) {
    if (e.path().extension() == ".h5" && fs::exists(e.path().string() + ".stage"))
      finished.push_back(e.path().filename().string());
  }
  ASSERT_GE(finished.size(), 10u);  // raw and hoghue splits, their models, the descriptor sample

  ASSERT_EQ(run_recipe("folder", args, exp, dir / "log2"), 0) << featpipe::testing::slurp(dir / "log2");
  const std::string log2 = featpipe::testing::slurp(dir / "log2");
  EXPECT_EQ(count_lines_with(log2, "is up to date, skipped"), int(finished.size())) << log2;
  for (const std::string& name : finished) {
    EXPECT_NE(log2.find(name + " is up to date, skipped"), std::string::npos) << name << " was redone:\n"
                                                                              << log2;
  }
  EXPECT_TRUE(fs::exists(exp / "report" / "report.html"));
  expect_complete_stores(exp, dir.path());
}

/// The models of the folder recipe: each swept on its own features, and the fused one.
const std::vector<std::string> kModels = {"raw_softmax", "raw_svm",      "hoghue_svm", "hograw_svm",
                                          "bow_svm",     "triangle_svm", "fv_svm",     "fused_svm"};

/// Whether every model's provenance records a warning that contains needle.
bool every_model_warns(const fs::path& exp, const std::string& needle) {
  for (const std::string& model : kModels) {
    const auto m = featpipe::classify::load_model((exp / (model + ".h5")).string());
    bool found = false;
    for (const auto& w : m.provenance.at("warnings")) found = found || contains(w.get<std::string>(), needle);
    if (!found) return false;
  }
  return true;
}

TEST(Recipes, FolderRerunsExactlyTheStagesWhoseCommandOrInputsChanged) {
  TempDir dir;
  featpipe::testing::write_folder_dataset(dir / "shapes", {.train_per_class = 12, .test_per_class = 4});
  const fs::path exp = dir / "exp";
  const std::string args = "--fast " + shell_quote((dir / "shapes").string()) + " 32x32";

  // 1: forced to one update an epoch, every sweep warns that its models are undertrained
  ASSERT_EQ(run_recipe("folder", args + " --epochs 1 --batch 256", exp, dir / "log1"), 0)
      << featpipe::testing::slurp(dir / "log1");
  const std::string log1 = featpipe::testing::slurp(dir / "log1");
  EXPECT_EQ(count_lines_with(log1, "featpipe sweep: warning: only "), 8) << log1;
  EXPECT_TRUE(contains(log1, "raise --epochs or lower --batch")) << log1;
  EXPECT_TRUE(every_model_warns(exp, "SGD updates"));
  const std::string config = featpipe::testing::slurp(exp / "config");
  EXPECT_TRUE(contains(config, "resize=32x32")) << config;
  EXPECT_TRUE(contains(config, "subset=2000")) << config;

  // 2: the build tree's copy of the recipe, from another folder, with featpipe neither on PATH nor set,
  // and the same options: every stage is up to date
  const fs::path copy = fs::path(FEATPIPE_BINARY).parent_path() / "pipelines" / "folder" / "run.sh";
  ASSERT_TRUE(fs::exists(copy)) << "the build puts the recipes beside featpipe";
  const fs::path elsewhere = dir / "elsewhere";
  fs::create_directories(elsewhere);
  const std::string command = "cd " + shell_quote(elsewhere.string()) +
                              " && env -u FEATPIPE PATH=/usr/bin:/bin bash " + shell_quote(copy.string()) +
                              " " + args + " --epochs 1 --batch 256 --exp " + shell_quote(exp.string()) +
                              " > " + shell_quote((dir / "log2").string()) + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << featpipe::testing::slurp(dir / "log2");
  const std::string log2 = featpipe::testing::slurp(dir / "log2");
  EXPECT_EQ(count_lines_with(log2, "is up to date, skipped"), 32) << log2;
  EXPECT_EQ(count_lines_with(log2, "rerun"), 0) << log2;

  // 3: the recipe's own schedule (scaled to the 32 training rows): only the sweeps rerun, saying why, and
  // the report after them; their models see enough updates to leave the warning out
  ASSERT_EQ(run_recipe("folder", args, exp, dir / "log3"), 0) << featpipe::testing::slurp(dir / "log3");
  const std::string log3 = featpipe::testing::slurp(dir / "log3");
  EXPECT_TRUE(contains(log3, "sweeps: 32 training rows: batch 16, ")) << log3;
  for (int n : {4, 5, 9, 13, 19, 25, 30, 35}) {
    EXPECT_TRUE(contains(log3, "stage " + std::to_string(n) + ": rerun: the command changed (--epochs "))
        << n << log3;
  }
  EXPECT_TRUE(contains(log3, "stage 36: rerun: changed input: $exp/")) << log3;
  EXPECT_EQ(count_lines_with(log3, "rerun"), 9) << log3;
  EXPECT_EQ(count_lines_with(log3, "is up to date, skipped"), 32 - 9) << log3;
  EXPECT_EQ(count_lines_with(log3, "SGD updates"), 0) << log3;
  EXPECT_FALSE(every_model_warns(exp, "SGD updates"));
  expect_complete_stores(exp, dir.path());

  // 4: a shared option given replaces the config's value; not given, the config's value stays
  ASSERT_EQ(run_recipe("folder", args + " --stage 37 --val-size 0.2", exp, dir / "log4"), 0)
      << featpipe::testing::slurp(dir / "log4");
  EXPECT_TRUE(contains(featpipe::testing::slurp(dir / "log4"), "config: val 0.1 -> 0.2"));
  ASSERT_EQ(run_recipe("folder", args + " --stage 37", exp, dir / "log5"), 0)
      << featpipe::testing::slurp(dir / "log5");
  EXPECT_TRUE(contains(featpipe::testing::slurp(exp / "config"), "val=0.2"));
  EXPECT_FALSE(contains(featpipe::testing::slurp(dir / "log5"), "config:"));
}

TEST(Recipes, WithoutAFeatpipeStopsAtOnceSayingWhereToFindOne) {
  // the recipe's scripts alone, in the source tree's layout, with no featpipe beside them
  if (std::system("PATH=/usr/bin:/bin command -v featpipe > /dev/null") == 0)
    GTEST_SKIP() << "a featpipe is installed in /usr/bin or /bin";
  TempDir dir;
  const fs::path src = fs::path(FEATPIPE_SOURCE_DIR) / "pipelines";
  fs::create_directories(dir / "pipelines" / "folder");
  fs::copy(src / "lib", dir / "pipelines" / "lib");
  fs::copy(src / "folder" / "run.sh", dir / "pipelines" / "folder" / "run.sh");
  const std::string command =
      "cd " + shell_quote(dir.path().string()) +
      " && env -u FEATPIPE PATH=/usr/bin:/bin bash pipelines/folder/run.sh --fast shapes > log 2>&1";
  const int status = std::system(command.c_str());
  const std::string log = featpipe::testing::slurp(dir / "log");
  ASSERT_TRUE(WIFEXITED(status)) << log;
  EXPECT_EQ(WEXITSTATUS(status), 2) << log;
  EXPECT_TRUE(contains(log, "featpipe not found")) << log;
  EXPECT_TRUE(contains(log, "FEATPIPE=")) << log;
  EXPECT_FALSE(fs::exists(dir / "exp")) << "no stage may start";
}

}  // namespace
