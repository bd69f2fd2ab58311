// `--augment flip` of extract and encode: the store holds every training image then its mirror, the
// mirror's row equal to the features of cv::flip(image, 1) bit for bit, marked by /augment and counted as
// its source image by the checks of shared images; evaluation splits are refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/core.hpp>

#include "cli_runner.h"
#include "featpipe/data/dataset.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/features/extractor.h"
#include "featpipe/pipelines/encoding_options.h"
#include "featpipe/vocab/vocabulary.h"
#include "test_fixtures.h"

namespace featpipe {
namespace {

// Images whose features change under a mirror (HOG orientations, the huehist quarters), pooled over
// Chatfield's pyramid too.
constexpr const char* kData = "synthetic:shapes(classes=3,train=24,test=6,size=16)";
constexpr std::size_t kTrain = 24;
constexpr const char* kFeatures = "hog(cell=4)+huehist(bins=6,pyramid=1:2:3x1)";

using testing::CliResult;
using testing::contains;
namespace fs = std::filesystem;

class Augment : public ::testing::Test {
 protected:
  testing::TempDir dir_;

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  CliResult run(std::vector<std::string> args) { return testing::run_featpipe(args, dir_.path()); }

  CliResult extract(const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> args = {"extract", "--data", kData, "--features", kFeatures, "--out", path(out)};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  std::vector<float> rows(const data::FeatureStoreReader& store) const {
    std::vector<float> out(store.rows() * store.dim());
    store.read_rows(0, store.rows(), out.data());
    return out;
  }
};

TEST_F(Augment, MirroredRowsAreTheFeaturesOfTheFlippedImages) {
  const CliResult r = extract("aug.h5", {"--split", "train", "--augment", "flip", "--block", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const data::FeatureStoreReader store(path("aug.h5"));
  ASSERT_EQ(store.rows(), 2 * kTrain);
  EXPECT_TRUE(store.augmented());
  EXPECT_EQ(store.provenance().value("augment", ""), "flip");

  const auto dataset = data::open_dataset(kData);
  const auto extractor = features::make_extractor(kFeatures);
  const std::size_t dim = store.dim();
  const std::vector<float> stored = rows(store);
  std::vector<float> plain(dim), mirrored(dim);
  for (std::size_t i = 0; i < kTrain; ++i) {
    const cv::Mat image = dataset->image(data::Source::train, int64_t(i));
    cv::Mat flipped;
    cv::flip(image, flipped, 1);
    extractor->extract(image, plain.data());
    extractor->extract(flipped, mirrored.data());
    EXPECT_EQ(std::vector<float>(stored.begin() + 2 * i * dim, stored.begin() + (2 * i + 1) * dim), plain)
        << i;
    EXPECT_EQ(std::vector<float>(stored.begin() + (2 * i + 1) * dim, stored.begin() + (2 * i + 2) * dim),
              mirrored)
        << i;
    EXPECT_NE(plain, mirrored) << "image " << i << " looks the same mirrored: the test would not tell";
    for (std::size_t k = 0; k < 2; ++k) {
      EXPECT_EQ(store.index()[2 * i + k], int64_t(i));
      EXPECT_EQ(store.augment()[2 * i + k], k);
      EXPECT_EQ(store.labels()[2 * i + k], dataset->label(data::Source::train, int64_t(i)));
    }
  }

  // Without --augment: no /augment, and the rows are the even rows above.
  ASSERT_EQ(extract("plain.h5", {"--split", "train"}).exit_code, 0);
  const data::FeatureStoreReader plain_store(path("plain.h5"));
  EXPECT_FALSE(plain_store.augmented());
  EXPECT_FALSE(plain_store.store().has("/augment"));
  EXPECT_EQ(plain_store.augment(), std::vector<uint8_t>(kTrain, 0));
  const std::vector<float> unaugmented = rows(plain_store);
  for (std::size_t i = 0; i < kTrain; ++i) {
    EXPECT_TRUE(std::equal(unaugmented.begin() + i * dim, unaugmented.begin() + (i + 1) * dim,
                           stored.begin() + 2 * i * dim))
        << i;
  }

  const CliResult inspect = run({"inspect", path("aug.h5"), "--rows", "2"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_TRUE(contains(inspect.out, "augmented: 24 of the rows are mirrored")) << inspect.out;
  EXPECT_TRUE(contains(inspect.out, "index 0 mirrored:")) << inspect.out;
  const CliResult verify = run({"verify", path("aug.h5")});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_TRUE(contains(verify.out, "24 of the rows mirrored")) << verify.out;
}

TEST_F(Augment, EncodeMirrorsTheImagesBeforeTheirDescriptors) {
  ASSERT_EQ(run({"descriptors", "--data", kData, "--descriptor", "patch(size=4,stride=2)", "--sample", "2000",
                 "--out", path("d.h5"), "-q"})
                .exit_code,
            0);
  ASSERT_EQ(run({"vocab", "--descriptors", path("d.h5"), "--k", "6", "--out", path("v.h5"), "-q"}).exit_code,
            0);
  const std::vector<std::string> encode = {"encode",    "--data",  kData,     "--vocab", path("v.h5"),
                                           "--pyramid", "1:2:3x1", "--split", "train"};
  std::vector<std::string> augmented = encode, plain = encode;
  augmented.insert(augmented.end(), {"--augment", "flip", "--out", path("e-aug.h5")});
  plain.insert(plain.end(), {"--out", path("e.h5")});
  const CliResult r = run(augmented);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(run(plain).exit_code, 0);
  const data::FeatureStoreReader aug(path("e-aug.h5")), unaug(path("e.h5"));
  ASSERT_EQ(aug.rows(), 2 * kTrain);
  EXPECT_EQ(aug.dim(), 8u * 6u);  // 1 + 4 + 3 cells of 6 words
  EXPECT_EQ(aug.provenance().value("augment", ""), "flip");
  EXPECT_EQ(aug.provenance()["encoding"].value("pyramid", ""), "1:2:3x1");
  // Image i's row, then the row of its mirror encoded directly: the same chain of descriptor, codes and
  // pyramid over cv::flip(image, 1).
  pipelines::EncodingChoice choice;
  choice.pyramid = "1:2:3x1";
  const auto encoder =
      pipelines::make_image_encoder(vocab::load_vocabulary(path("v.h5")),
                                    pipelines::encoding_params(choice, pipelines::OptionStyle::python),
                                    "v.h5", pipelines::OptionStyle::python);
  const auto dataset = data::open_dataset(kData);
  const std::vector<float> a = rows(aug), u = rows(unaug);
  const std::size_t dim = aug.dim();
  std::vector<float> mirrored(dim);
  for (std::size_t i = 0; i < kTrain; ++i) {
    EXPECT_TRUE(std::equal(u.begin() + i * dim, u.begin() + (i + 1) * dim, a.begin() + 2 * i * dim)) << i;
    cv::Mat flipped;
    cv::flip(dataset->image(data::Source::train, int64_t(i)), flipped, 1);
    encoder->extract(flipped, mirrored.data());
    EXPECT_TRUE(std::equal(mirrored.begin(), mirrored.end(), a.begin() + (2 * i + 1) * dim)) << i;
    EXPECT_EQ(aug.augment()[2 * i + 1], 1);
  }
}

TEST_F(Augment, EvaluationSplitsAndUnknownAugmentationsAreRefused) {
  const auto refused = [&](const CliResult& r, const std::string& words) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: --augment: ")) << r.err;
    EXPECT_TRUE(contains(r.err, words)) << r.err;
    EXPECT_TRUE(testing::list_dir(dir_.path()).empty());
  };
  refused(extract("x.h5", {"--split", "test", "--augment", "flip"}), "--split test");
  refused(extract("x.h5", {"--split", "val", "--val-size", "6", "--augment", "flip"}), "--split val");
  refused(extract("x.h5", {"--augment", "mirror"}), "unknown augmentation 'mirror'");
  refused(run({"encode", "--data", kData, "--split", "test", "--vocab", path("v.h5"), "--augment", "flip",
               "--out", path("x.h5")}),
          "--split test");
}

TEST_F(Augment, SharedImagesCountMirroredRowsAsTheirSourceAndTrainingWorks) {
  ASSERT_EQ(extract("train.h5", {"--val-size", "6", "--seed", "1", "--augment", "flip"}).exit_code, 0);
  ASSERT_EQ(extract("val.h5", {"--val-size", "6", "--seed", "1", "--split", "val"}).exit_code, 0);
  // Another --val-size holds out other images: some of them are in the training store, as rows and mirrors.
  ASSERT_EQ(extract("other-val.h5", {"--val-size", "9", "--seed", "1", "--split", "val"}).exit_code, 0);
  ASSERT_EQ(extract("test.h5", {"--split", "test"}).exit_code, 0);
  const std::vector<std::string> train = {"train", "--train", path("train.h5"), "--epochs", "3",
                                          "--lr",  "0.01"};

  std::vector<std::string> args = train;
  args.insert(args.end(), {"--val", path("val.h5"), "--out", path("m.h5")});
  CliResult r = run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run({"eval", "--model", path("m.h5"), "--store", path("test.h5")});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  args = train;
  args.insert(args.end(), {"--val", path("other-val.h5"), "--out", path("m2.h5")});
  r = run(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "other-val.h5: shares ")) << r.err;
  EXPECT_FALSE(fs::exists(path("m2.h5")));

  // The augmented store as its own validation set: each of its 18 images, once, not its 36 rows.
  args = train;
  args.insert(args.end(), {"--val", path("train.h5"), "--out", path("m3.h5")});
  r = run(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "shares 18 of its 18 images")) << r.err;
}

TEST_F(Augment, AugmentOfAnotherLengthOrValueIsRefused) {
  if (std::system("/usr/bin/python3 -c 'import h5py' > /dev/null 2>&1") != 0) GTEST_SKIP() << "no h5py";
  ASSERT_EQ(extract("aug.h5", {"--augment", "flip"}).exit_code, 0);
  for (const auto& [name, values] :
       {std::pair<std::string, std::string>{"short", "np.zeros(47)"}, {"two", "np.full(48, 2)"}}) {
    const std::string damaged = path(name + ".h5");
    fs::copy_file(path("aug.h5"), damaged);
    const std::string script = "import h5py, numpy as np\nf = h5py.File('" + damaged +
                               "', 'r+')\ndel f['augment']\nf['augment'] = " + values + ".astype(np.uint8)\n";
    ASSERT_EQ(std::system(("/usr/bin/python3 -c \"" + script + "\"").c_str()), 0);
    const CliResult r = run({"verify", damaged});
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_TRUE(contains(r.err + r.out, name == "short" ? "/augment has 47 values" : "only 0 (as is)"))
        << r.err << r.out;
  }
}

}  // namespace
}  // namespace featpipe
