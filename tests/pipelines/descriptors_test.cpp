// `featpipe descriptors` end to end: the sample's size, balance over images, frames and owning images,
// seeded reproducibility independent of the thread count, and the bad inputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "cli_runner.h"
#include "featpipe/data/feature_store.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::data::FeatureStoreReader;
using featpipe::testing::CliResult;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

namespace {

using featpipe::testing::contains;

class DescriptorsCli : public ::testing::Test {
 protected:
  void SetUp() override { featpipe::testing::write_idx_dataset(data_.path(), {.train = 30, .test = 10}); }

  CliResult run(const std::string& out, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"descriptors",        "--quiet", "--data",
                                     "idx:" + data_.str(), "--out",   (out_ / out).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_featpipe(args, out_.path());
  }

  TempDir data_;
  TempDir out_;
};

TEST_F(DescriptorsCli, BalancedSampleWithFramesAndOwners) {
  // dsift(step=4,size=4) on 28x28: 4 x 4 = 16 frames per image, 480 in all; 100 means 3 or 4 per image.
  const CliResult r = run("D.h5", {"--descriptor", "dsift(step=4,size=4)", "--sample", "100"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FeatureStoreReader store((out_ / "D.h5").string(), "descriptors");
  EXPECT_EQ(store.store().kind(), "descriptors");
  EXPECT_EQ(store.rows(), 100u);
  EXPECT_EQ(store.dim(), 128u);
  EXPECT_EQ(store.provenance()["descriptor"], "dsift(contrast=0.005,fast=1,magnif=6,size=4,step=4)");
  EXPECT_EQ(store.provenance()["frames_available"], 480);
  const auto frames = store.store().read_floats("/frames");
  ASSERT_EQ(frames.size(), 100u * 4u);
  std::map<int64_t, int> per_image;
  for (std::size_t i = 0; i < store.rows(); ++i) {
    const int64_t image = store.index()[i];
    ++per_image[image];
    EXPECT_EQ(store.labels()[i], featpipe::testing::fixture_label(int(image), 10));  // the owner's label
    const float x = frames[4 * i], y = frames[4 * i + 1], scale = frames[4 * i + 2];
    EXPECT_TRUE(x >= 6 && x <= 18 && y >= 6 && y <= 18) << x << ", " << y;  // centres 6, 10, 14, 18
    EXPECT_FLOAT_EQ(scale, 4.0f / 3.0f);
    if (i > 0) {
      EXPECT_LE(store.index()[i - 1], image) << "rows are in image order";
    }
  }
  EXPECT_EQ(per_image.size(), 30u);
  for (const auto& [image, count] : per_image)
    EXPECT_TRUE(count == 3 || count == 4) << image << ": " << count;
}

TEST_F(DescriptorsCli, SameSeedSameSampleWhateverTheThreads) {
  const std::vector<std::string> common = {
      "--descriptor", "patch(size=6,stride=3)", "--sample", "200", "--seed", "7"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), common.begin(), common.end());
    return extra;
  };
  ASSERT_EQ(run("a.h5", with({"--threads", "1"})).exit_code, 0);
  ASSERT_EQ(run("b.h5", with({"--threads", "2", "--block", "7"})).exit_code, 0);
  ASSERT_EQ(
      run("c.h5", {"--descriptor", "patch(size=6,stride=3)", "--sample", "200", "--seed", "8"}).exit_code, 0);
  const FeatureStoreReader a((out_ / "a.h5").string(), "descriptors"),
      b((out_ / "b.h5").string(), "descriptors"), c((out_ / "c.h5").string(), "descriptors");
  EXPECT_EQ(a.read_all(), b.read_all());
  EXPECT_EQ(a.store().read_floats("/frames"), b.store().read_floats("/frames"));
  EXPECT_EQ(a.index(), b.index());
  EXPECT_NE(a.store().read_floats("/frames"), c.store().read_floats("/frames"));
}

TEST_F(DescriptorsCli, AskingForMoreThanThereAreKeepsThemAll) {
  const CliResult r =
      run("D.h5", {"--descriptor", "dsift(step=8,size=4)", "--sample", "1000", "--split", "test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FeatureStoreReader store((out_ / "D.h5").string(), "descriptors");
  EXPECT_EQ(store.rows(), 10u * 4u);  // 2 x 2 frames per image
  EXPECT_EQ(store.provenance()["sample"], 1000);
  EXPECT_EQ(store.provenance()["rows"], 40);
}

TEST_F(DescriptorsCli, BadInputsExitTwoAndLeaveNothing) {
  struct Case {
    std::vector<std::string> args;
    std::string subject, problem;
  };
  for (const Case& c :
       {Case{{"--descriptor", "surf"}, "--descriptor", "unknown descriptor"},
        Case{{"--sample", "0"}, "--sample", "must be >= 1 (descriptors)"},
        Case{{"--descriptor", "dsift(size=12)"}, "image 0", "needs at least 37x37"},
        Case{{"--descriptor", "patch(size=6)", "--resize", "4x4"}, "image 0", "needs at least 6x6"}}) {
    const CliResult r = run("D.h5", c.args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: ")) << r.err;
    EXPECT_TRUE(contains(r.err, c.subject)) << r.err;
    EXPECT_TRUE(contains(r.err, c.problem)) << r.err;
    EXPECT_FALSE(fs::exists(out_ / "D.h5"));
  }
  const CliResult missing =
      run_featpipe({"descriptors", "--quiet", "--data", "idx:" + data_.str()}, out_.path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(contains(missing.err, "--out")) << missing.err;
}

}  // namespace
