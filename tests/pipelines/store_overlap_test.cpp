// A validation store that shows images of the training store is refused (exit 2, naming it and how many),
// unless --allow-overlap: told apart through the stores' provenance and /index.
#include "featpipe/pipelines/store_overlap.h"

#include <gtest/gtest.h>

#include "cli_runner.h"
#include "test_fixtures.h"

namespace featpipe::testing {
namespace {

const char* const kShapes = "synthetic:shapes(classes=3,size=16,train=120,test=30)";

class StoreOverlap : public ::testing::Test {
 protected:
  std::string extract(const std::string& name, const std::vector<std::string>& split) {
    std::vector<std::string> args = {"extract", "--data", kShapes, "--features",
                                     "raw",     "-q",     "--out", path(name)};
    args.insert(args.end(), split.begin(), split.end());
    const CliResult r = run_featpipe(args, dir_.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return path(name);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  CliResult fit(const std::string& train, const std::string& val, bool allow = false) {
    std::vector<std::string> args = {"train",    "--train", train, "--val", val,
                                     "--epochs", "1",       "-q",  "--out", path("m.h5")};
    if (allow) args.push_back("--allow-overlap");
    return run_featpipe(args, dir_.path());
  }
  TempDir dir_;
};

TEST_F(StoreOverlap, AValStoreOfAnotherHoldOutOrTheTrainingStoreItselfIsRefused) {
  const std::string train = extract("train.h5", {"--split", "train", "--val-size", "20"});
  const std::string val = extract("val.h5", {"--split", "val", "--val-size", "20"});
  const std::string other_val = extract("val30.h5", {"--split", "val", "--val-size", "30"});
  const std::string test = extract("test.h5", {"--split", "test"});
  const CliResult fine = fit(train, val);
  EXPECT_EQ(fine.exit_code, 0) << fine.err;
  EXPECT_EQ(fit(train, test).exit_code, 0);  // the test set's images are other images

  const CliResult shifted = fit(train, other_val);
  EXPECT_EQ(shifted.exit_code, 2);
  EXPECT_TRUE(contains(shifted.err, other_val + ": shares ")) << shifted.err;
  EXPECT_TRUE(contains(shifted.err, "of its 30 images with the training store " + train)) << shifted.err;
  EXPECT_TRUE(contains(shifted.err, "--allow-overlap")) << shifted.err;
  const CliResult itself = fit(train, train);
  EXPECT_EQ(itself.exit_code, 2);
  EXPECT_TRUE(contains(itself.err, "shares 100 of its 100 images")) << itself.err;
  EXPECT_EQ(fit(train, train, true).exit_code, 0);

  const CliResult sweep = run_featpipe({"sweep", "--train", train, "--val", train, "--steps", "1", "--epochs",
                                        "1", "-q", "--out", path("s.h5")},
                                       dir_.path());
  EXPECT_EQ(sweep.exit_code, 2);
  EXPECT_TRUE(contains(sweep.err, "shares 100 of its 100 images")) << sweep.err;
}

TEST(RowOrigin, TheSourceSetOfASplitAndTheSeedOfGeneratedImages) {
  const nlohmann::json train = {{"dataset", "cifar10:/d"}, {"split", "train"}, {"seed", 1}};
  const nlohmann::json val = {{"dataset", "cifar10:/d"}, {"split", "val"}, {"seed", 2}};
  const nlohmann::json test = {{"dataset", "cifar10:/d"}, {"split", "test"}};
  EXPECT_EQ(pipelines::row_origin(train), pipelines::row_origin(val));  // both from the training set
  EXPECT_NE(pipelines::row_origin(train), pipelines::row_origin(test));
  EXPECT_EQ(pipelines::shared_images(train, {1, 2, 3}, val, {3, 4}), 1u);
  EXPECT_EQ(pipelines::shared_images(train, {1, 2, 3}, test, {1, 2}), 0u);
  EXPECT_EQ(pipelines::row_origin(nlohmann::json::object()), "");  // a store made elsewhere: not checked
  const nlohmann::json shapes1 = {{"dataset", "synthetic:shapes"}, {"split", "train"}, {"seed", 1}};
  const nlohmann::json shapes2 = {{"dataset", "synthetic:shapes"}, {"split", "val"}, {"seed", 2}};
  EXPECT_EQ(pipelines::shared_images(shapes1, {1}, shapes2, {1}), 0u);  // other seeds, other images
}

}  // namespace
}  // namespace featpipe::testing
