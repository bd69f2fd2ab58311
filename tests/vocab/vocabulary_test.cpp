#include "featpipe/vocab/vocabulary.h"

#include <gtest/gtest.h>

#include "featpipe/core/errors.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/vocab/image_encoder.h"
#include "test_fixtures.h"
#include "vocab/vocab_test_data.h"

namespace featpipe::vocab {
namespace {

using testing::TempDir;

Vocabulary patch_vocabulary(VocabMethod method) {
  const auto blobs = testing::make_blobs(4, 40, 25, 3.0f, 31);
  Vocabulary v;
  v.method = method;
  v.descriptor = "patch(eps=10,norm=1,size=5,stride=1)";
  v.descriptor_provenance = {{"command", "descriptors"}, {"rows", 160}};
  WhiteningParams wp;
  wp.zca = true;
  v.whitening = Whitening::learn(blobs.points, wp);
  v.centres = blobs.centres;
  if (method == VocabMethod::gmm) {
    v.variances = RowMatrix<float>::Constant(4, 25, 0.5f);
    v.weights = Eigen::VectorXf::Constant(4, 0.25f);
  }
  v.history = {10, 8, 7.5};
  v.distortion = 1.25;
  return v;
}

TEST(VocabularyTest, SaveAndLoadRoundTrip) {
  TempDir dir;
  for (VocabMethod method : {VocabMethod::kmeans, VocabMethod::gmm}) {
    const Vocabulary v = patch_vocabulary(method);
    const std::string path = (dir / ("V" + to_string(method) + ".h5")).string();
    save_vocabulary(path, v, {{"command", "test"}, {"seed", 3}});
    const Vocabulary r = load_vocabulary(path);
    EXPECT_EQ(r.method, method);
    EXPECT_TRUE(r.centres == v.centres);
    EXPECT_TRUE(r.variances == v.variances);
    EXPECT_TRUE(r.weights == v.weights);
    EXPECT_TRUE(r.whitening.transform() == v.whitening.transform());
    EXPECT_TRUE(r.whitening.mean() == v.whitening.mean());
    EXPECT_TRUE(r.whitening.params().zca);
    EXPECT_EQ(r.descriptor, v.descriptor);
    EXPECT_EQ(r.descriptor_provenance, v.descriptor_provenance);
    EXPECT_EQ(r.history, v.history);
    EXPECT_EQ(r.distortion, v.distortion);
    const auto p = vocabulary_provenance(path);
    EXPECT_EQ(p["command"], "test");
    EXPECT_EQ(p["k"], 4);
    EXPECT_EQ(p["descriptor"], v.descriptor);
  }
}

TEST(VocabularyTest, OtherStoresAreRefused) {
  TempDir dir;
  const std::string path = (dir / "F.h5").string();
  data::FeatureStoreWriter w(path, 2, {"a"}, {{"command", "extract"}});
  w.commit();
  EXPECT_THROW(load_vocabulary(path), InputError);
  EXPECT_THROW(load_vocabulary((dir / "missing.h5").string()), InputError);
}

TEST(VocabularyTest, EncoderTakesTheDescriptorFromTheVocabulary) {
  const Vocabulary v = patch_vocabulary(VocabMethod::kmeans);
  const ImageEncoder encoder(v, {});
  EXPECT_EQ(encoder.descriptor_spec(), v.descriptor);
  EXPECT_EQ(encoder.dim({28, 28}, 1), 4u);  // bow, one cell
  // The recorded descriptor gives 75-d vectors on colour images: not the 25-d words.
  EXPECT_THROW(encoder.dim({28, 28}, 3), std::invalid_argument);
  // Words whose width is not what their recorded descriptor gives cannot be used at all.
  Vocabulary mislabelled = v;
  mislabelled.descriptor = "patch(size=6)";
  EXPECT_THROW(ImageEncoder(mislabelled, {}).dim({28, 28}, 1), std::invalid_argument);
}

TEST(VocabularyTest, ImageEncoderNormalisesAndMaps) {
  const Vocabulary v = patch_vocabulary(VocabMethod::kmeans);
  EncodingParams p;
  p.encoder.pyramid = features::parse_pyramid("1:2");
  p.norm = parse_norm("l1");
  p.kernel_map = KernelMapParams{};
  const ImageEncoder encoder(v, p);
  EXPECT_EQ(encoder.dim({28, 28}, 1), 5u * 4u * 3u);
  cv::Mat image(28, 28, CV_8UC1);
  cv::randu(image, 0, 255);
  std::vector<float> out(encoder.dim({28, 28}, 1));
  encoder.extract(image, out.data());
  for (float value : out) EXPECT_TRUE(std::isfinite(value));
  EXPECT_EQ(encoder.spec(), "encode(encoding=bow,kernel_map=chi2,norm=l1,order=1,pool=sum,pyramid=1:2)");
}

TEST(VocabularyTest, ImageEncoderAppliesTheRbfMapAfterTheNorm) {
  const Vocabulary v = patch_vocabulary(VocabMethod::kmeans);
  EncodingParams p;
  p.encoder.pyramid = features::parse_pyramid("1:2");
  p.norm = parse_norm("l1");
  p.rbf_map = RbfMapParams{0.5, 40, 3};
  const ImageEncoder encoder(v, p);
  EXPECT_EQ(encoder.dim({28, 28}, 1), 40u);
  cv::Mat image(28, 28, CV_8UC1);
  cv::randu(image, 0, 255);
  std::vector<float> out(40);
  encoder.extract(image, out.data());
  // The same as mapping the normalised code by hand.
  EncodingParams plain = p;
  plain.rbf_map.reset();
  const ImageEncoder unmapped(v, plain);
  std::vector<float> code(unmapped.dim({28, 28}, 1)), expected(40);
  unmapped.extract(image, code.data());
  RbfMap(*p.rbf_map, code.size()).map(code.data(), expected.data());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], expected[i], 1e-6f) << i;
  EXPECT_EQ(encoder.spec(),
            "encode(dim=40,encoding=bow,gamma=0.5,kernel_map=rbf,norm=l1,pool=sum,pyramid=1:2,seed=3)");
  const EncodingParams r = encoding_params_from_json(to_json(p));
  ASSERT_TRUE(r.rbf_map);
  EXPECT_FALSE(r.kernel_map);
  EXPECT_EQ(r.rbf_map->dim, 40);
  EXPECT_EQ(r.rbf_map->seed, 3u);
  EXPECT_EQ(to_json(r), to_json(p));
}

TEST(VocabularyTest, EncodingParamsRoundTripThroughJson) {
  EncodingParams p;
  p.encoder.encoding = EncodingKind::soft;
  p.encoder.pooling = Pooling::max;
  p.encoder.pyramid = features::parse_pyramid("1:3");
  p.encoder.soft_neighbours = 7;
  p.encoder.soft_beta = 0.5;
  p.encoder.llc_knn = 3;
  p.encoder.llc_beta = 0.01;
  p.norm = parse_norm("power(alpha=0.3)+l2");
  p.kernel_map = KernelMapParams{AdditiveKernel::intersection, 2, 0.4};
  const EncodingParams r = encoding_params_from_json(to_json(p));
  EXPECT_EQ(to_json(r), to_json(p));
  EXPECT_EQ(r.encoder.pyramid, p.encoder.pyramid);
  EXPECT_EQ(r.kernel_map->order, 2);
  EXPECT_EQ(r.encoder.llc_knn, 3);
  EXPECT_THROW(encoding_params_from_json({{"encoding", "bow"}}), std::invalid_argument);
}

}  // namespace
}  // namespace featpipe::vocab
