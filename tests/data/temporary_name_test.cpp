// The temporaries of killed runs are removed by the next run writing the same output: only those of
// processes that are gone, only of that output, never this process's own or a live process's.
#include "featpipe/data/temporary_name.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "featpipe/data/store.h"
#include "test_fixtures.h"

namespace {

namespace fs = std::filesystem;
using featpipe::testing::TempDir;

/// The id of a process that has ended (a child, waited for).
pid_t gone_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(TemporaryName, RemovesOnlyTheTemporariesOfGoneProcessesOfThatOutput) {
  TempDir dir;
  const std::string gone = std::to_string(gone_pid());
  const std::string mine = std::to_string(::getpid());
  const std::string live = std::to_string(::getppid());
  for (const std::string& name :
       std::vector<std::string>{"out.h5.tmp-" + gone, "out.h5.tmp-" + mine, "out.h5.tmp-" + live,
                                "other.h5.tmp-" + gone, "out.h5.tmp-" + gone + "x", "out.h5.tmp-"}) {
    std::ofstream(dir / name) << "x";
  }
  fs::create_directories(dir / ("report.tmp-" + gone) / "inner");
  const std::string out = (dir / "out.h5").string();
  EXPECT_EQ(featpipe::data::temporary_name(out), out + ".tmp-" + mine);

  EXPECT_EQ(featpipe::data::remove_stale_temporaries(out),
            std::vector<std::string>{(dir / ("out.h5.tmp-" + gone)).string()});
  EXPECT_EQ(featpipe::data::remove_stale_temporaries((dir / "report").string()),
            std::vector<std::string>{(dir / ("report.tmp-" + gone)).string()});
  std::vector<std::string> kept = {"other.h5.tmp-" + gone, "out.h5.tmp-", "out.h5.tmp-" + gone + "x",
                                   "out.h5.tmp-" + live, "out.h5.tmp-" + mine};
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(names_in(dir.path()), kept);
}

TEST(TemporaryName, AStoreWriterRemovesTheStaleTemporaryOfItsOutput) {
  TempDir dir;
  const std::string out = (dir / "s.h5").string();
  const std::string stale = out + ".tmp-" + std::to_string(gone_pid());
  std::ofstream(stale) << "left by a killed run";
  featpipe::data::StoreWriter writer(out, "features", {});
  writer.commit();
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(out));
}

}  // namespace
