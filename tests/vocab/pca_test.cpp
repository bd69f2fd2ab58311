// The PCA learned with a vocabulary: the components against an SVD of the same rows, the sign convention,
// the refusals, the store round trip and the encoder working in the projected width.
#include "featpipe/vocab/pca.h"

#include <gtest/gtest.h>

#include <Eigen/SVD>
#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/core/random.h"
#include "featpipe/vocab/encoder.h"
#include "featpipe/vocab/learn.h"
#include "featpipe/vocab/vocabulary.h"
#include "test_fixtures.h"
#include "vocab/vocab_test_data.h"

namespace featpipe::vocab {
namespace {

/// 8 dimensions whose variance falls off steeply along mixed directions, so every component is well apart.
RowMatrix<float> anisotropic_rows(int n, uint64_t seed) {
  random::Generator rng(seed, random::Stream::test);
  Eigen::MatrixXd mixing = Eigen::MatrixXd::Zero(8, 8);
  for (int r = 0; r < 8; ++r)
    for (int c = 0; c < 8; ++c) mixing(r, c) = rng.normal();
  const Eigen::MatrixXd rotation = Eigen::HouseholderQR<Eigen::MatrixXd>(mixing).householderQ();
  RowMatrix<float> x(n, 8);
  for (int i = 0; i < n; ++i) {
    Eigen::VectorXd z(8);
    for (int c = 0; c < 8; ++c) z(c) = rng.normal() * std::pow(2.0, 4 - c);
    x.row(i) = (rotation * z).cast<float>().transpose();
    x.row(i).array() += 3.0f;
  }
  return x;
}

TEST(PcaTest, ComponentsEqualTheRightSingularVectorsUpToSign) {
  const RowMatrix<float> x = anisotropic_rows(5000, 1);
  PcaParams params;
  params.dims = 3;
  const Pca pca = Pca::learn(x, params);
  ASSERT_EQ(pca.output_dim(), 3u);
  ASSERT_EQ(pca.input_dim(), 8u);
  // Independently: the SVD of the centred rows in double.
  const Eigen::RowVectorXd mean = x.cast<double>().colwise().mean();
  const Eigen::MatrixXd centred = x.cast<double>().rowwise() - mean;
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinV);
  EXPECT_TRUE(pca.mean().cast<double>().isApprox(mean, 1e-6));
  for (int c = 0; c < 3; ++c) {
    const Eigen::RowVectorXd expected = svd.matrixV().col(c).transpose();
    const Eigen::RowVectorXd got = pca.projection().row(c).cast<double>();
    const double sign = got.dot(expected) < 0 ? -1.0 : 1.0;
    EXPECT_LT((got - sign * expected).cwiseAbs().maxCoeff(), 1e-5) << "component " << c;
  }
}

TEST(PcaTest, EachComponentsLargestEntryIsPositive) {
  PcaParams params;
  params.dims = 5;
  const Pca pca = Pca::learn(anisotropic_rows(2000, 2), params);
  for (Eigen::Index c = 0; c < pca.projection().rows(); ++c) {
    Eigen::Index largest = 0;
    pca.projection().row(c).cwiseAbs().maxCoeff(&largest);
    EXPECT_GT(pca.projection()(c, largest), 0.0f) << "component " << c;
  }
}

TEST(PcaTest, ProjectionIsTheCentredRowsTimesTheComponents) {
  const RowMatrix<float> x = anisotropic_rows(100, 3);
  PcaParams params;
  params.dims = 2;
  const Pca pca = Pca::learn(x, params);
  RowMatrix<float> out(x.rows(), 2);
  pca.project(x, out);
  for (int i = 0; i < 5; ++i) {
    for (int c = 0; c < 2; ++c) {
      double expected = 0;
      for (int j = 0; j < 8; ++j) expected += double(x(i, j) - pca.mean()(j)) * pca.projection()(c, j);
      EXPECT_NEAR(out(i, c), expected, 1e-5 * (1 + std::abs(expected)));
    }
  }
}

TEST(PcaTest, RefusesAsManyComponentsAsDimensions) {
  const RowMatrix<float> x = anisotropic_rows(50, 4);
  PcaParams params;
  params.dims = 8;
  EXPECT_THROW(Pca::learn(x, params), std::invalid_argument);
  LearnOptions o;
  o.k = 2;
  o.pca.dims = 8;
  RowMatrix<float> rows = x;
  StageObserver observer;
  try {
    learn_vocabulary(rows, "patch(size=2)", {}, o, observer);
    FAIL() << "--pca 8 of 8-d descriptors was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--pca: 8 components must be fewer than the 8 dimensions"),
              std::string::npos)
        << e.what();
  }
}

TEST(PcaTest, IsRefusedWithZcaAndWhenNegative) {
  LearnOptions o;
  o.pca.dims = 4;
  o.whitening.zca = true;
  const auto error = validate(o);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->rfind("--pca: ", 0), 0u) << *error;
  EXPECT_NE(error->find("not both"), std::string::npos) << *error;
  o.whitening.zca = false;
  EXPECT_FALSE(validate(o));
  o.pca.dims = -1;
  ASSERT_TRUE(validate(o));
  EXPECT_EQ(validate(o)->rfind("--pca: ", 0), 0u);
}

LearnedVocabulary gmm_with_pca(const RowMatrix<float>& x, int dims) {
  LearnOptions o;
  o.method = VocabMethod::gmm;
  o.k = 3;
  o.iterations = 10;
  o.pca.dims = dims;
  RowMatrix<float> rows = x;
  StageObserver observer;
  return learn_vocabulary(rows, "patch(size=2)", {}, o, observer);
}

TEST(PcaTest, VocabularyLearnsInTheProjectedWidthAndSurvivesTheStore) {
  const RowMatrix<float> x = anisotropic_rows(600, 5);
  const Vocabulary v = gmm_with_pca(x, 3).vocabulary;
  EXPECT_EQ(v.dim(), 3u);
  EXPECT_EQ(v.input_dim(), 8u);
  testing::TempDir dir;
  const std::string path = (dir / "v.h5").string();
  save_vocabulary(path, v, nlohmann::json::object());
  const Vocabulary back = load_vocabulary(path);
  EXPECT_EQ(back.input_dim(), 8u);
  EXPECT_EQ(back.pca.projection(), v.pca.projection());
  EXPECT_EQ(back.pca.mean(), v.pca.mean());
  EXPECT_EQ(back.centres, v.centres);
  EXPECT_EQ(vocabulary_provenance(path)["pca"], 3);
}

TEST(PcaTest, FisherEncodingTakesFullDescriptorsAndIs2KDWide) {
  const RowMatrix<float> x = anisotropic_rows(600, 6);
  const Vocabulary v = gmm_with_pca(x, 3).vocabulary;
  EncoderParams p;
  p.encoding = EncodingKind::fisher;
  p.pyramid = features::parse_pyramid("1:2");
  const Encoder encoder(v, p);
  EXPECT_EQ(encoder.cell_width(), 2u * 3 * 3);
  EXPECT_EQ(encoder.dim(), 5u * 2 * 3 * 3);
  features::LocalFeatures local;
  for (int i = 0; i < 40; ++i) {
    local.frames.push_back({float(i % 16), float(i / 2 % 16), 1.0f, 0.0f});
    for (int c = 0; c < 8; ++c) local.descriptors.push_back(x(i, c));
  }
  std::vector<float> out(encoder.dim(), std::nanf(""));
  encoder.encode(local, cv::Size(16, 16), out.data());
  for (float value : out) ASSERT_TRUE(std::isfinite(value));
  // The same descriptors projected by hand and encoded by a vocabulary without the PCA: the same code.
  Vocabulary projected_words = v;
  projected_words.pca = Pca();
  features::LocalFeatures projected = local;
  RowMatrix<float> rows = rows_view(local.descriptors.data(), 40, 8), reduced(40, 3);
  v.pca.project(rows, reduced);
  projected.descriptors.assign(reduced.data(), reduced.data() + reduced.size());
  std::vector<float> expected(encoder.dim());
  Encoder(projected_words, p).encode(projected, cv::Size(16, 16), expected.data());
  for (std::size_t i = 0; i < out.size(); ++i)
    EXPECT_NEAR(out[i], expected[i], 1e-5f * (1 + std::abs(expected[i]))) << i;
}

}  // namespace
}  // namespace featpipe::vocab
