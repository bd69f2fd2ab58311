// `featpipe vocab` and `featpipe encode` end to end: descriptors -> vocabulary -> encoded feature store, for
// each vocabulary method and encoding; the descriptor always comes from the vocabulary; bad inputs exit 2.
#include <gtest/gtest.h>

#include <Eigen/SVD>
#include <filesystem>

#include "cli_runner.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/data/store.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::data::FeatureStoreReader;
using featpipe::data::StoreReader;
using featpipe::testing::CliResult;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

namespace {

using featpipe::testing::contains;

constexpr const char* kDsift = "dsift(step=4,size=4)";    // 16 frames per 28x28 image, 128-d
constexpr const char* kPatch = "patch(size=5,stride=3)";  // 64 frames per image, 25-d

class VocabEncodeCli : public ::testing::Test {
 protected:
  void SetUp() override { featpipe::testing::write_idx_dataset(data_.path(), {.train = 40, .test = 20}); }

  std::string path(const std::string& name) const { return (out_ / name).string(); }
  std::string data() const { return "idx:" + data_.str(); }

  CliResult run(std::vector<std::string> args) {
    args.push_back("--quiet");
    return run_featpipe(args, out_.path());
  }
  /// Descriptors of the training split into `name`.
  void descriptors(const std::string& descriptor, const std::string& name) {
    const CliResult r = run({"descriptors", "--data", data(), "--descriptor", descriptor, "--sample", "600",
                             "--out", path(name)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  CliResult vocab(const std::string& descriptors, const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> args = {"vocab", "--descriptors", path(descriptors), "--out", path(out)};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
  CliResult encode(const std::string& vocab, const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> args = {"encode",  "--data",    data(),  "--split", "test",
                                     "--vocab", path(vocab), "--out", path(out)};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  TempDir data_;
  TempDir out_;
};

TEST_F(VocabEncodeCli, KMeansVocabularyRecordsDescriptorAndEnergy) {
  descriptors(kDsift, "D.h5");
  const CliResult r = vocab("D.h5", "V.h5", {"--k", "8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const StoreReader v(path("V.h5"));
  EXPECT_EQ(v.kind(), "vocab");
  EXPECT_EQ(v.info("/centres").shape, (std::vector<uint64_t>{8, 128}));
  const auto p = v.provenance();
  EXPECT_EQ(p["descriptor"], StoreReader(path("D.h5")).provenance()["descriptor"]);
  EXPECT_EQ(p["descriptors"]["command"], "descriptors");
  EXPECT_EQ(p["k"], 8);
  EXPECT_GT(p["distortion"].get<double>(), 0.0);
  const auto energy = v.read_doubles("/history/energy");
  ASSERT_FALSE(energy.empty());
  for (std::size_t t = 1; t < energy.size(); ++t) EXPECT_LE(energy[t], energy[t - 1] * (1 + 1e-6));
}

TEST_F(VocabEncodeCli, BowOverAPyramidSumsToOnePerCell) {
  descriptors(kDsift, "D.h5");
  ASSERT_EQ(vocab("D.h5", "V.h5", {"--k", "8"}).exit_code, 0);
  const CliResult r = encode("V.h5", "E.h5", {"--encoding", "bow", "--pyramid", "1:2", "--norm", "l1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FeatureStoreReader e(path("E.h5"));
  ASSERT_EQ(e.rows(), 20u);
  ASSERT_EQ(e.dim(), 5u * 8u);
  const auto x = e.read_all();
  for (std::size_t i = 0; i < e.rows(); ++i) {
    for (std::size_t c = 0; c < 5; ++c) {
      float sum = 0;
      for (std::size_t k = 0; k < 8; ++k) sum += x[i * 40 + c * 8 + k];
      EXPECT_NEAR(sum, 1.0f, 1e-5f) << "image " << i << " cell " << c;
    }
  }
  const auto p = e.provenance();
  EXPECT_EQ(p["command"], "encode");
  EXPECT_EQ(p["descriptor"], StoreReader(path("V.h5")).provenance()["descriptor"]);
  EXPECT_EQ(p["vocab"]["provenance"]["k"], 8);
  EXPECT_EQ(p["vocab"]["provenance"]["descriptors"]["command"], "descriptors");
  EXPECT_EQ(p["encoding"]["pyramid"], "1:2");
}

TEST_F(VocabEncodeCli, TheDescriptorCanOnlyComeFromTheVocabulary) {
  descriptors(kPatch, "P.h5");
  ASSERT_EQ(vocab("P.h5", "V.h5", {"--k", "8"}).exit_code, 0);
  // No option chooses a descriptor ...
  const CliResult r = encode("V.h5", "E.h5", {"--descriptor", kDsift});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "descriptor")) << r.err;
  EXPECT_FALSE(fs::exists(path("E.h5")));
  EXPECT_FALSE(contains(run({"encode", "--help"}).out, "--descriptor"));
  // ... and images on which the recorded descriptor gives vectors of another width (colour patches are 75-d,
  // the words were learned on grey 25-d ones) are refused rather than misread.
  const CliResult colour = run({"encode", "--data", "synthetic:shapes(classes=2,size=28,train=4,test=4)",
                                "--vocab", path("V.h5"), "--out", path("E.h5")});
  EXPECT_EQ(colour.exit_code, 2) << colour.err;
  EXPECT_TRUE(contains(colour.err, "--vocab")) << colour.err;
  EXPECT_TRUE(contains(colour.err, "25-d")) << colour.err;
  EXPECT_FALSE(fs::exists(path("E.h5")));
}

TEST_F(VocabEncodeCli, GmmAndFisherGive2KdPerCell) {
  descriptors(kPatch, "P.h5");
  const CliResult v = vocab("P.h5", "G.h5", {"--k", "4", "--method", "gmm", "--iterations", "10"});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  const StoreReader g(path("G.h5"));
  EXPECT_EQ(g.info("/gmm/variances").shape, (std::vector<uint64_t>{4, 25}));
  const auto ll = g.read_doubles("/history/log_likelihood");
  for (std::size_t t = 1; t < ll.size(); ++t) EXPECT_GE(ll[t], ll[t - 1] - 1e-9 * std::abs(ll[t]));
  const CliResult r = encode("G.h5", "F.h5", {"--encoding", "fisher", "--pyramid", "1:2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FeatureStoreReader f(path("F.h5"));
  EXPECT_EQ(f.dim(), 5u * 2u * 4u * 25u);
  EXPECT_EQ(f.provenance()["encoding"]["norm"], "power(alpha=0.5)+l2");
  const CliResult vlad = encode("G.h5", "L.h5", {"--encoding", "vlad"});
  ASSERT_EQ(vlad.exit_code, 0) << vlad.err;
  EXPECT_EQ(FeatureStoreReader(path("L.h5")).dim(), 4u * 25u);
}

TEST_F(VocabEncodeCli, ZcaTriangleWithKernelMap) {
  descriptors(kPatch, "P.h5");
  const CliResult v = vocab("P.h5", "Z.h5", {"--k", "6", "--whiten", "zca"});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  const StoreReader z(path("Z.h5"));
  EXPECT_EQ(z.info("/whitening/transform").shape, (std::vector<uint64_t>{25, 25}));
  EXPECT_EQ(z.provenance()["whitening"]["zca"], true);
  const CliResult r = encode(
      "Z.h5", "T.h5", {"--encoding", "triangle", "--pyramid", "2", "--norm", "l1", "--kernel-map", "chi2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FeatureStoreReader t(path("T.h5"));
  EXPECT_EQ(t.dim(), 4u * 6u * 3u);
  for (float value : t.read_all()) EXPECT_TRUE(std::isfinite(value));
}

TEST_F(VocabEncodeCli, MiniBatchVocabulary) {
  descriptors(kDsift, "D.h5");
  const CliResult r =
      vocab("D.h5", "M.h5", {"--k", "8", "--minibatch", "--batch", "128", "--iterations", "30"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const StoreReader m(path("M.h5"));
  EXPECT_EQ(m.provenance()["minibatch"], true);
  EXPECT_LE(m.read_doubles("/history/energy").size(), 30u);
}

TEST_F(VocabEncodeCli, PcaProjectsBeforeTheGmmAndFisherUsesItsWidth) {
  descriptors(kDsift, "D.h5");
  const CliResult v =
      vocab("D.h5", "G.h5", {"--k", "4", "--method", "gmm", "--pca", "16", "--iterations", "10"});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  const StoreReader g(path("G.h5"));
  EXPECT_EQ(g.info("/centres").shape, (std::vector<uint64_t>{4, 16}));
  EXPECT_EQ(g.info("/pca/projection").shape, (std::vector<uint64_t>{16, 128}));
  EXPECT_EQ(g.provenance()["pca"], 16);
  const std::vector<float> stored = g.read_floats("/pca/projection");
  const Eigen::Map<const Eigen::Matrix<float, 16, 128, Eigen::RowMajor>> projection(stored.data());
  EXPECT_TRUE(
      (projection * projection.transpose()).isApprox(Eigen::Matrix<float, 16, 16>::Identity(), 1e-4f));
  // The leading component against an SVD of the descriptors in double, up to sign.
  const StoreReader d(path("D.h5"));
  const std::vector<float> rows = d.read_floats("/features");
  const Eigen::MatrixXd x = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, 128, Eigen::RowMajor>>(
                                rows.data(), rows.size() / 128, 128)
                                .cast<double>();
  const Eigen::MatrixXd centred = x.rowwise() - x.colwise().mean();
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinV);
  const Eigen::VectorXd first = projection.row(0).transpose().cast<double>();
  EXPECT_NEAR(std::abs(first.dot(svd.matrixV().col(0))), 1.0, 1e-4);
  const CliResult r = encode("G.h5", "F.h5", {"--encoding", "fisher", "--pyramid", "1:2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(FeatureStoreReader(path("F.h5")).dim(), 5u * 2u * 4u * 16u);
}

TEST_F(VocabEncodeCli, BadInputsExitTwoAndLeaveNothing) {
  descriptors(kDsift, "D.h5");
  ASSERT_EQ(vocab("D.h5", "V.h5", {"--k", "8"}).exit_code, 0);
  const auto bad = [&](const CliResult& r, const std::string& subject, const std::string& problem) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: ")) << r.err;
    EXPECT_TRUE(contains(r.err, subject)) << r.err;
    EXPECT_TRUE(contains(r.err, problem)) << r.err;
    EXPECT_FALSE(fs::exists(path("X.h5")));
  };
  bad(vocab("D.h5", "X.h5", {"--k", "100000"}), "--k", "descriptors");
  bad(vocab("V.h5", "X.h5", {"--k", "4"}), "V.h5", "not descriptors");
  bad(vocab("D.h5", "X.h5", {"--method", "spectral"}), "--method", "kmeans or gmm");
  bad(vocab("D.h5", "X.h5", {"--method", "gmm", "--minibatch"}), "--minibatch", "kmeans");
  bad(vocab("D.h5", "X.h5", {"--pca", "128"}), "--pca", "fewer than the 128 dimensions");
  bad(vocab("D.h5", "X.h5", {"--pca", "16", "--whiten", "zca"}), "--pca", "not both");
  bad(encode("D.h5", "X.h5", {}), "D.h5", "not a vocabulary");
  bad(encode("V.h5", "X.h5", {"--encoding", "fisher"}), "--vocab", "GMM");
  bad(encode("V.h5", "X.h5", {"--encoding", "vlad", "--pool", "max"}), "--pool", "sum pooling");
  bad(encode("V.h5", "X.h5", {"--pyramid", "1:x"}), "--pyramid", "grid sides");
  bad(encode("V.h5", "X.h5", {"--norm", "l7"}), "--norm", "unknown norm");
  bad(encode("V.h5", "X.h5", {"--kernel-map", "rbg"}), "--kernel-map", "known: chi2, intersection, rbf");
  bad(encode("V.h5", "X.h5", {"--kernel-map", "rbf(gamma=0)"}), "--kernel-map", "gamma must be");
  bad(encode("V.h5", "X.h5", {"--kernel-map", "rbf(dim=0)"}), "--kernel-map", "dim must be in");
  bad(encode("V.h5", "X.h5", {"--encoding", "llc", "--llc-knn", "9"}), "--llc-knn", "k = 8");
  bad(encode("V.h5", "X.h5", {"--encoding", "llc", "--llc-beta", "0"}), "--llc-beta", "> 0");
  bad(encode("V.h5", "X.h5", {"--pyramid", "64"}), "--vocab", "too small");
}

}  // namespace
