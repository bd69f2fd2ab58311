// A model records the content digest of the vocabulary its encoded training store was made with; predict,
// eval and verify refuse the model once that vocabulary is replaced, and accept it again when the same
// contents are written back. Models without digests keep working.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/data/dataset.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

namespace {

constexpr const char* kData = "synthetic:shapes(classes=3,train=60,test=9,size=24)";

class ChainDigestCli : public ::testing::Test {
 protected:
  TempDir dir_;

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  featpipe::testing::CliResult run(const std::vector<std::string>& args) const {
    return run_featpipe(args, dir_.path());
  }

  void run_ok(const std::vector<std::string>& args) const {
    const auto r = run(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  void make_vocabulary(const std::string& out, const std::string& seed) const {
    run_ok({"vocab", "--quiet", "--descriptors", path("desc.h5"), "--k", "8", "--whiten", "zca", "--seed",
            seed, "--out", path(out)});
  }

  void encode(const std::string& split, const std::string& vocabulary, const std::string& out) const {
    run_ok({"encode", "--quiet", "--data", kData, "--split", split, "--vocab", path(vocabulary), "--encoding",
            "bow", "--out", path(out)});
  }

  void SetUp() override {
    run_ok({"descriptors", "--quiet", "--data", kData, "--descriptor", "patch(size=5,stride=2,norm=1)",
            "--sample", "2000", "--out", path("desc.h5")});
    make_vocabulary("vocab.h5", "0");
    encode("train", "vocab.h5", "train.h5");
    encode("test", "vocab.h5", "test.h5");
    run_ok({"train", "--quiet", "--train", path("train.h5"), "--epochs", "2", "--out", path("model.h5")});
    const auto dataset = featpipe::data::open_dataset(kData);
    ASSERT_TRUE(cv::imwrite(path("image.png"), dataset->image(featpipe::data::Source::test, 0)));
  }

  featpipe::testing::CliResult predict(const std::string& model) const {
    return run({"predict", "--model", path(model), path("image.png")});
  }
};

TEST_F(ChainDigestCli, ReplacedVocabularyIsRefusedByPredictEvalAndVerify) {
  ASSERT_EQ(predict("model.h5").exit_code, 0);
  const std::string untouched = predict("model.h5").out;

  make_vocabulary("vocab.h5", "7");
  for (const auto& r :
       {predict("model.h5"), run({"eval", "--model", path("model.h5"), "--store", path("test.h5")}),
        run({"verify", path("model.h5")})}) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(path("vocab.h5") + ": has changed since the model"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("encode and train again"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }

  make_vocabulary("vocab.h5", "0");  // the same contents again: a new file, the same digest
  const auto again = predict("model.h5");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, untouched);
}

TEST_F(ChainDigestCli, EvalRefusesAStoreEncodedWithAnotherVocabulary) {
  make_vocabulary("other.h5", "7");
  encode("test", "other.h5", "other_test.h5");
  const auto r = run({"eval", "--model", path("model.h5"), "--store", path("other_test.h5")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(path("other_test.h5") + ": was encoded with another vocabulary"), std::string::npos)
      << r.err;
  EXPECT_EQ(run({"eval", "--model", path("model.h5"), "--store", path("test.h5")}).exit_code, 0);
}

TEST_F(ChainDigestCli, ModelsWithoutDigestsKeepWorking) {
  featpipe::classify::ModelFile old = featpipe::classify::load_model(path("model.h5"));
  ASSERT_TRUE(old.provenance.contains("chain"));
  ASSERT_EQ(old.provenance["chain"].size(), 1u);
  old.provenance.erase("chain");
  featpipe::classify::save_model(path("old.h5"), old.model, old.history, old.provenance);

  make_vocabulary("vocab.h5", "7");
  const auto r = predict("old.h5");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
