#include "featpipe/vocab/encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <thread>

extern "C" {
#include <vl/fisher.h>
#include <vl/vlad.h>
}

#include "featpipe/vocab/distances.h"
#include "featpipe/vocab/kmeans.h"
#include "featpipe/vocab/normalize.h"
#include "vocab/vocab_test_data.h"

namespace featpipe::vocab {
namespace {

constexpr int kWords = 6, kDim = 5;
const cv::Size kImage(32, 32);

/// Descriptors around the blob centres, at frames spread over a 32x32 image so every cell of a 4x4 grid
/// holds some.
features::LocalFeatures local_features(int n, uint64_t seed) {
  const auto blobs = testing::make_blobs(kWords, (n + kWords - 1) / kWords, kDim, 3.0f, seed);
  features::LocalFeatures local;
  for (int i = 0; i < n; ++i) {
    local.frames.push_back({float((i * 7) % 32), float((i * 3 + i / 32) % 32), 1.0f, 0.0f});
    for (int c = 0; c < kDim; ++c) local.descriptors.push_back(blobs.points(i, c));
  }
  return local;
}

Vocabulary kmeans_vocabulary(uint64_t seed = 1) {
  const auto blobs = testing::make_blobs(kWords, 50, kDim, 3.0f, seed);
  KMeansParams params;
  params.k = kWords;
  Vocabulary v;
  v.centres = kmeans(blobs.points, params).centres;
  v.descriptor = "patch(size=1)";
  v.distortion = kDim;  // unit noise per dimension
  return v;
}

Vocabulary gmm_vocabulary() {
  const auto blobs = testing::make_blobs(kWords, 50, kDim, 3.0f, 2);
  GmmParams params;
  params.k = kWords;
  const Gmm gmm = fit_gmm(blobs.points, params).gmm;
  Vocabulary v;
  v.method = VocabMethod::gmm;
  v.centres = gmm.means;
  v.variances = gmm.variances;
  v.weights = gmm.weights;
  v.descriptor = "patch(size=1)";
  return v;
}

EncoderParams params_for(EncodingKind kind, const std::string& pyramid = "1") {
  EncoderParams p;
  p.encoding = kind;
  p.pyramid = features::parse_pyramid(pyramid);
  return p;
}

std::vector<float> encode(const Encoder& encoder, const features::LocalFeatures& local) {
  std::vector<float> out(encoder.dim(), -1.0f);  // pre-filled: every value must be written
  encoder.encode(local, kImage, out.data());
  return out;
}

TEST(EncoderTest, BowWithL1NormSumsToOnePerPyramidCell) {
  const Encoder encoder(kmeans_vocabulary(), params_for(EncodingKind::bow, "1:2:4"));
  ASSERT_EQ(encoder.cells(), 21u);
  ASSERT_EQ(encoder.cell_width(), std::size_t(kWords));
  std::vector<float> code = encode(encoder, local_features(300, 3));
  normalize_blocks(code.data(), encoder.cells(), encoder.cell_width(), parse_norm("l1"));
  for (std::size_t c = 0; c < encoder.cells(); ++c) {
    float sum = 0;
    for (int k = 0; k < kWords; ++k) sum += code[c * kWords + k];
    EXPECT_NEAR(sum, 1.0f, 1e-6f) << "cell " << c;
  }
}

TEST(EncoderTest, BowCountsNearestWords) {
  const Vocabulary v = kmeans_vocabulary();
  const Encoder encoder(v, params_for(EncodingKind::bow));
  const auto local = local_features(120, 4);
  const std::vector<float> code = encode(encoder, local);
  std::vector<int32_t> label(120);
  nearest_centres(rows_view(local.descriptors.data(), 120, kDim), v.centres, label.data(), nullptr);
  std::vector<float> expected(kWords, 0.0f);
  for (int32_t l : label) expected[l] += 1;
  EXPECT_EQ(code, expected);
}

TEST(EncoderTest, MaxPooledBowMarksPresence) {
  EncoderParams p = params_for(EncodingKind::bow, "1:2");
  p.pooling = Pooling::max;
  const Encoder encoder(kmeans_vocabulary(), p);
  for (float v : encode(encoder, local_features(200, 5))) EXPECT_TRUE(v == 0.0f || v == 1.0f);
}

TEST(EncoderTest, VladAndFisherHaveKdAnd2KdPerCell) {
  const Encoder vlad(kmeans_vocabulary(), params_for(EncodingKind::vlad, "1:2"));
  EXPECT_EQ(vlad.cell_width(), std::size_t(kWords * kDim));
  EXPECT_EQ(vlad.dim(), 5u * kWords * kDim);
  EXPECT_EQ(encode(vlad, local_features(100, 6)).size(), vlad.dim());
  const Encoder fisher(gmm_vocabulary(), params_for(EncodingKind::fisher, "1:2"));
  EXPECT_EQ(fisher.cell_width(), std::size_t(2 * kWords * kDim));
  EXPECT_EQ(fisher.dim(), 5u * 2 * kWords * kDim);
  EXPECT_EQ(encode(fisher, local_features(100, 6)).size(), fisher.dim());
}

TEST(EncoderTest, SumPooledCellsAddUpToTheWholeImage) {
  const Encoder encoder(kmeans_vocabulary(), params_for(EncodingKind::vlad, "1:2"));
  const std::vector<float> code = encode(encoder, local_features(150, 7));
  const std::size_t w = encoder.cell_width();
  for (std::size_t i = 0; i < w; ++i) {
    EXPECT_NEAR(code[i], code[w + i] + code[2 * w + i] + code[3 * w + i] + code[4 * w + i], 1e-3f) << i;
  }
}

TEST(EncoderTest, VladEqualsVlfeat) {
  const Vocabulary v = kmeans_vocabulary();
  const Encoder encoder(v, params_for(EncodingKind::vlad));
  const auto local = local_features(90, 8);
  const std::vector<float> code = encode(encoder, local);
  std::vector<int32_t> label(90);
  nearest_centres(rows_view(local.descriptors.data(), 90, kDim), v.centres, label.data(), nullptr);
  std::vector<float> assignment(90 * kWords, 0.0f), expected(kWords * kDim);
  for (int i = 0; i < 90; ++i) assignment[i * kWords + label[i]] = 1;
  vl_vlad_encode(expected.data(), VL_TYPE_FLOAT, v.centres.data(), kDim, kWords, local.descriptors.data(), 90,
                 assignment.data(), VL_VLAD_FLAG_UNNORMALIZED);
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(code[i], expected[i], 1e-4f) << i;
}

TEST(EncoderTest, FisherEqualsVlfeat) {
  const Vocabulary v = gmm_vocabulary();
  const Encoder encoder(v, params_for(EncodingKind::fisher));
  const auto local = local_features(90, 9);
  const std::vector<float> code = encode(encoder, local);
  std::vector<float> expected(2 * kWords * kDim);
  vl_fisher_encode(expected.data(), VL_TYPE_FLOAT, v.centres.data(), kDim, kWords, v.variances.data(),
                   v.weights.data(), local.descriptors.data(), 90, 0);
  // Posteriors come from different float formulas (ours one product per tile), so not bit-equal.
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(code[i], expected[i], 1e-4f) << i;
}

TEST(EncoderTest, SoftAssignmentSharesEachDescriptorAmongNeighbours) {
  EncoderParams p = params_for(EncodingKind::soft);
  p.soft_neighbours = 3;
  const Encoder soft(kmeans_vocabulary(), p);
  const std::vector<float> code = encode(soft, local_features(100, 10));
  float total = 0;
  for (float v : code) total += v;
  EXPECT_NEAR(total, 100.0f, 1e-3f);  // each descriptor's weights sum to 1
  // One neighbour is hard assignment.
  p.soft_neighbours = 1;
  const Encoder hard(kmeans_vocabulary(), p);
  const Encoder bow(kmeans_vocabulary(), params_for(EncodingKind::bow));
  EXPECT_EQ(encode(hard, local_features(100, 10)), encode(bow, local_features(100, 10)));
}

TEST(EncoderTest, TriangleMatchesItsDefinition) {
  const Vocabulary v = kmeans_vocabulary();
  const Encoder encoder(v, params_for(EncodingKind::triangle));
  const auto local = local_features(1, 11);
  const std::vector<float> code = encode(encoder, local);
  std::vector<double> z(kWords);
  double mean = 0;
  for (int k = 0; k < kWords; ++k) {
    double s = 0;
    for (int c = 0; c < kDim; ++c) s += std::pow(double(local.descriptors[c]) - v.centres(k, c), 2);
    mean += (z[k] = std::sqrt(s)) / kWords;
  }
  int active = 0;
  for (int k = 0; k < kWords; ++k) {
    EXPECT_NEAR(code[k], std::max(0.0, mean - z[k]), 1e-3) << k;
    active += code[k] > 0;
  }
  EXPECT_GT(active, 0);
  EXPECT_LT(active, kWords);  // some words are farther than the mean
}

TEST(EncoderTest, WhiteningOfTheVocabularyIsApplied) {
  Vocabulary white = kmeans_vocabulary();
  const auto local = local_features(100, 12);
  WhiteningParams wp;
  wp.zca = true;
  white.whitening = Whitening::learn(rows_view(local.descriptors.data(), 100, kDim), wp);
  const Encoder whitened(white, params_for(EncodingKind::bow));
  // The same words against descriptors whitened beforehand, with no whitening in the vocabulary.
  features::LocalFeatures pre = local;
  Eigen::Map<RowMatrix<float>> rows(pre.descriptors.data(), 100, kDim);
  white.whitening.apply(rows);
  Vocabulary plain = white;
  plain.whitening = Whitening();
  const Encoder unwhitened(plain, params_for(EncodingKind::bow));
  EXPECT_EQ(encode(whitened, local), encode(unwhitened, pre));
}

/// Words taken from blob points, no clustering needed: 40 of them, so that a code's sums over the words run
/// through whole AVX-512 registers and a tail, and rows of k scores start at every alignment. A GMM when
/// asked, of unit variances and equal weights.
Vocabulary forty_words(VocabMethod method) {
  constexpr int kMany = 40;
  const auto blobs = testing::make_blobs(kWords, (kMany + kWords - 1) / kWords, kDim, 3.0f, 3);
  Vocabulary v;
  v.method = method;
  v.centres = blobs.points.topRows(kMany);
  v.descriptor = "patch(size=1)";
  v.distortion = kDim;
  if (method == VocabMethod::gmm) {
    v.variances = RowMatrix<float>::Ones(kMany, kDim);
    v.weights = Eigen::VectorXf::Constant(kMany, 1.0f / kMany);
  }
  return v;
}

// A code depends only on the image: not on the thread that encodes it, nor on what that thread allocated
// before, which decides where its scratch memory lies (and vectorised sums take another path over an
// unaligned head). Each thread here first holds a different number of bytes, shifting its later allocations.
TEST(EncoderTest, CodesDoNotDependOnTheThreadOrWhereItsMemoryLies) {
  const auto local = local_features(300, 13);
  for (EncodingKind kind : {EncodingKind::bow, EncodingKind::soft, EncodingKind::vlad, EncodingKind::fisher,
                            EncodingKind::triangle, EncodingKind::llc}) {
    const Encoder encoder(forty_words(kind == EncodingKind::fisher ? VocabMethod::gmm : VocabMethod::kmeans),
                          params_for(kind, "1:2"));
    const std::vector<float> expected = encode(encoder, local);
    for (std::size_t shift = 16; shift <= 64; shift += 16) {
      std::vector<float> code;
      std::thread([&] {
        const std::vector<char> held(shift);
        code = encode(encoder, local);
      }).join();
      ASSERT_EQ(code.size(), expected.size());
      EXPECT_EQ(std::memcmp(code.data(), expected.data(), code.size() * sizeof(float)), 0)
          << to_string(kind) << " after " << shift << " bytes";
    }
  }
}

// Chatfield et al.'s 1:2:3x1: descriptors placed by hand in known cells land exactly there; the 3x1 level
// holds the top, middle and bottom stripes of the image (rows of 32 / 3 pixels: 0..9, 10..20, 21..31).
TEST(EncoderTest, ThreeByOneLevelPoolsTheThreeHorizontalStripes) {
  const Vocabulary v = kmeans_vocabulary();
  const Encoder encoder(v, params_for(EncodingKind::bow, "1:2:3x1"));
  ASSERT_EQ(encoder.cells(), 1u + 4u + 3u);
  // Each descriptor is a word centre, so its word is known; (x, y) picks its cells.
  struct Placed {
    int word;
    float x, y;
    int quarter, stripe;  // row-major cell of the 2x2 level, row of the 3x1 level
  };
  const std::vector<Placed> placed = {{0, 2, 1, 0, 0},   {1, 30, 9, 1, 0},  {2, 5, 10, 0, 1},
                                      {3, 20, 20, 3, 1}, {4, 16, 21, 3, 2}, {5, 0, 31, 2, 2},
                                      {0, 31, 15, 1, 1}};
  features::LocalFeatures local;
  for (const Placed& p : placed) {
    local.frames.push_back({p.x, p.y, 1.0f, 0.0f});
    for (int c = 0; c < kDim; ++c) local.descriptors.push_back(v.centres(p.word, c));
  }
  std::vector<float> expected(encoder.dim(), 0.0f);
  for (const Placed& p : placed) {
    expected[p.word] += 1;
    expected[(1 + p.quarter) * kWords + p.word] += 1;
    expected[(5 + p.stripe) * kWords + p.word] += 1;
  }
  EXPECT_EQ(encode(encoder, local), expected);
}

TEST(EncoderTest, EmptyImageEncodesAsZeros) {
  const Encoder encoder(gmm_vocabulary(), params_for(EncodingKind::fisher, "1:2"));
  for (float v : encode(encoder, {})) EXPECT_EQ(v, 0.0f);
}

TEST(EncoderTest, RejectsWhatCannotWork) {
  EncoderParams p = params_for(EncodingKind::vlad);
  p.pooling = Pooling::max;
  EXPECT_THROW(Encoder(kmeans_vocabulary(), p), std::invalid_argument);
  EXPECT_THROW(Encoder(kmeans_vocabulary(), params_for(EncodingKind::fisher)), std::invalid_argument);
  EXPECT_THROW(Encoder(kmeans_vocabulary(), params_for(EncodingKind::bow, "2:1")), std::invalid_argument);
  const Encoder encoder(kmeans_vocabulary(), params_for(EncodingKind::bow));
  features::LocalFeatures wrong;
  wrong.frames.resize(1);
  wrong.descriptors.resize(kDim + 1);
  std::vector<float> out(encoder.dim());
  EXPECT_THROW(encoder.encode(wrong, kImage, out.data()), std::invalid_argument);
  EXPECT_THROW(parse_encoding("sparse"), std::invalid_argument);
}

}  // namespace
}  // namespace featpipe::vocab
