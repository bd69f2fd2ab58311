// `featpipe verify`: a good store of every kind passes with a one-line summary; a store damaged on disk
// (cut short, bytes flipped in a dataset, NaN in features, a label beyond the classes, a dataset removed)
// exits 2 "corrupt store" naming the file and what is wrong.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "cli_runner.h"
#include "featpipe/classify/checkpoint_io.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

namespace {

constexpr const char* kData = "synthetic:shapes(classes=3,train=60,test=9,size=16)";
constexpr const char* kPython = "/usr/bin/python3";

bool has_h5py() {
  return std::system((std::string(kPython) + " -c 'import h5py' > /dev/null 2>&1").c_str()) == 0;
}

class VerifyCli : public ::testing::Test {
 protected:
  TempDir dir_;

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  featpipe::testing::CliResult verify(const std::string& name) const {
    return run_featpipe({"verify", path(name)}, dir_.path());
  }

  void run_ok(const std::vector<std::string>& args) const {
    const auto r = run_featpipe(args, dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  void SetUp() override {
    run_ok({"extract", "--quiet", "--data", kData, "--split", "train", "--features", "raw", "--out",
            path("features.h5")});
    run_ok({"train", "--quiet", "--train", path("features.h5"), "--epochs", "2", "--out", path("model.h5")});
  }

  /// Runs a Python (h5py) script on a copy of features.h5 named `name`.
  void damage(const std::string& name, const std::string& script) const {
    fs::copy_file(path("features.h5"), path(name));
    const fs::path file = dir_ / "damage.py";
    std::ofstream(file) << "import h5py, numpy as np\nf = h5py.File('" << path(name) << "', 'r+')\n"
                        << script << "\nf.close()\n";
    ASSERT_EQ(std::system((std::string(kPython) + " " + file.string()).c_str()), 0) << script;
  }

  /// Exit 2, "PATH: corrupt store: ... what ...", nothing on stdout.
  void expect_corrupt(const std::string& name, const std::string& what) const {
    const auto r = verify(name);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("featpipe: error: " + path(name) + ": corrupt store: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
};

TEST_F(VerifyCli, AGoodStoreOfEveryKindPasses) {
  run_ok({"descriptors", "--quiet", "--data", kData, "--descriptor", "patch(size=5,stride=2,norm=1)",
          "--sample", "500", "--out", path("descriptors.h5")});
  run_ok({"vocab", "--quiet", "--descriptors", path("descriptors.h5"), "--k", "4", "--whiten", "zca", "--out",
          path("vocab.h5")});
  run_ok({"vocab", "--quiet", "--descriptors", path("descriptors.h5"), "--k", "3", "--method", "gmm", "--out",
          path("gmm.h5")});
  featpipe::classify::TrainState state;
  state.epochs_done = 1;
  state.params = Eigen::VectorXf::LinSpaced(8, -1, 1);
  state.iteration = 2;
  state.history.loss = {2.0f, 1.5f};
  state.history.train_acc = {0.5f};
  state.history.lr = {0.1f};
  featpipe::classify::save_checkpoint(path("run.checkpoint"), state, {{"train", "features.h5"}});

  for (const auto& [name, kind] :
       std::vector<std::pair<std::string, std::string>>{{"features.h5", "features"},
                                                        {"descriptors.h5", "descriptors"},
                                                        {"vocab.h5", "vocab"},
                                                        {"gmm.h5", "vocab"},
                                                        {"model.h5", "model"},
                                                        {"run.checkpoint", "checkpoint"}}) {
    const auto r = verify(name);
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_EQ(r.out.rfind(path(name) + ": ok: " + kind + ", ", 0), 0u) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  }
}

TEST_F(VerifyCli, ATruncatedFileIsCorrupt) {
  fs::copy_file(path("features.h5"), path("cut.h5"));
  fs::resize_file(path("cut.h5"), fs::file_size(path("cut.h5")) / 2);
  expect_corrupt("cut.h5", "");
}

TEST_F(VerifyCli, FlippedBytesInADatasetAreCorrupt) {
  if (!has_h5py()) GTEST_SKIP() << kPython << " has no h5py";
  // Every byte of the first chunk of /labels inverted in the file, as damage on disk would leave them.
  damage("flipped.h5",
         "d = f['labels']\n"
         "info = d.id.get_chunk_info(0) if d.chunks else None\n"
         "offset, size = (info.byte_offset, info.size) if info else (d.id.get_offset(), "
         "d.id.get_storage_size())\n"
         "f.close()\n"
         "with open('" +
             path("flipped.h5") +
             "', 'r+b') as raw:\n"
             "    raw.seek(offset)\n"
             "    data = bytes(b ^ 0xFF for b in raw.read(size))\n"
             "    raw.seek(offset)\n"
             "    raw.write(data)\n"
             "f = h5py.File('" +
             path("flipped.h5") + "', 'r')");
  expect_corrupt("flipped.h5", "label");
}

TEST_F(VerifyCli, NaNInFeaturesIsCorrupt) {
  if (!has_h5py()) GTEST_SKIP() << kPython << " has no h5py";
  damage("nan.h5", "f['features'][3, 5] = np.nan");
  expect_corrupt("nan.h5", "/features holds NaN at element ");
}

TEST_F(VerifyCli, ALabelOutOfRangeIsCorrupt) {
  if (!has_h5py()) GTEST_SKIP() << kPython << " has no h5py";
  damage("label.h5", "f['labels'][7] = 3");
  expect_corrupt("label.h5", "row 7 has label 3 but there are 3 class names");
}

TEST_F(VerifyCli, AMissingDatasetIsCorrupt) {
  if (!has_h5py()) GTEST_SKIP() << kPython << " has no h5py";
  damage("missing.h5", "del f['index']");
  expect_corrupt("missing.h5", "/index");
}

TEST_F(VerifyCli, AStoreThatIsNotOneIsRefusedAndHelpListsVerify) {
  std::ofstream(path("text.h5")) << "not a store";
  expect_corrupt("text.h5", "is not an HDF5 file");
  const auto help = run_featpipe({"--help"}, dir_.path());
  EXPECT_NE(help.out.find("verify"), std::string::npos) << help.out;
  EXPECT_EQ(run_featpipe({"verify", "--help"}, dir_.path()).exit_code, 0);
  const auto timeout = run_featpipe({"verify", path("features.h5"), "--timeout", "0"}, dir_.path());
  EXPECT_EQ(timeout.exit_code, 2);
  EXPECT_NE(timeout.err.find("--timeout"), std::string::npos) << timeout.err;
}

}  // namespace
