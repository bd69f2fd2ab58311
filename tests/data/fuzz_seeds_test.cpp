// Seed corpora for the fuzz targets (fuzz/, `make fuzz`): small valid inputs in each target's input format
// (see the comment at the top of each fuzz/fuzz_*.cpp), written to $FEATPIPE_FUZZ_SEEDS/fuzz_<target>/ when
// set, else to a temporary folder. Either way each seed is checked to be valid input for its reader.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <opencv2/imgcodecs.hpp>

#include "../../pipelines/src/option_schema.h"
#include "featpipe/classify/checkpoint_io.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/data/dataset.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/data/store.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/extractor.h"
#include "featpipe/vocab/normalize.h"
#include "featpipe/vocab/vocabulary.h"
#include "test_fixtures.h"

namespace featpipe::testing {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

Bytes read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes le32(std::size_t n) { return {uint8_t(n), uint8_t(n >> 8), uint8_t(n >> 16), uint8_t(n >> 24)}; }

class FuzzSeeds : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* env = std::getenv("FEATPIPE_FUZZ_SEEDS");
    seeds_ = env != nullptr && *env != '\0' ? fs::path(env) : scratch_ / "seeds";
  }

  /// Writes seeds_/fuzz_<target>/<name> and checks it reads back unchanged.
  void write_seed(const std::string& target, const std::string& name, const Bytes& bytes) {
    const fs::path path = seeds_ / ("fuzz_" + target) / name;
    write_bytes(path, bytes);
    EXPECT_EQ(read_bytes(path), bytes) << path;
  }

  TempDir scratch_;
  fs::path seeds_;
};

// fuzz_idx: flags, 32-bit length of the image file, the image file, the label file (plain or gzipped).
TEST_F(FuzzSeeds, Idx) {
  const fs::path dir = scratch_ / "idx";
  write_idx_dataset(dir, {.train = 3, .test = 3, .rows = 4, .cols = 5, .classes = 3, .gz = false});
  const auto dataset = data::open_dataset("idx:" + dir.string());
  ASSERT_EQ(dataset->size(data::Source::train), 3u);
  const Bytes images = read_bytes(dir / "train-images-idx3-ubyte");
  const Bytes labels = read_bytes(dir / "train-labels-idx1-ubyte");
  write_seed("idx", "plain", concat({{0}, le32(images.size()), images, labels}));
  write_seed("idx", "resized", concat({{1}, le32(images.size()), images, labels}));

  const fs::path gz_dir = scratch_ / "idx-gz";
  write_idx_dataset(gz_dir, {.train = 3, .test = 3, .rows = 4, .cols = 5, .classes = 3, .gz = true});
  ASSERT_EQ(data::open_dataset("idx:" + gz_dir.string())->size(data::Source::test), 3u);
  const Bytes gz_images = read_bytes(gz_dir / "train-images-idx3-ubyte.gz");
  const Bytes gz_labels = read_bytes(gz_dir / "train-labels-idx1-ubyte.gz");
  write_seed("idx", "gzipped", concat({{2}, le32(gz_images.size()), gz_images, gz_labels}));
}

// fuzz_cifar10: flags, length of batches.meta.txt, batches.meta.txt, the batch.
TEST_F(FuzzSeeds, Cifar10) {
  const fs::path dir = scratch_ / "cifar10";
  write_cifar10_dataset(dir, {.per_batch = 2, .test = 2, .classes = 3});
  const auto dataset = data::open_dataset("cifar10:" + dir.string());
  ASSERT_EQ(dataset->class_names().size(), 3u);
  const Bytes meta = read_bytes(dir / "batches.meta.txt");
  const Bytes batch = read_bytes(dir / "data_batch_1.bin");
  ASSERT_LT(meta.size(), 256u);
  write_seed("cifar10", "plain", concat({{0}, {uint8_t(meta.size())}, meta, batch}));
  write_seed("cifar10", "nested-resized", concat({{3}, {uint8_t(meta.size())}, meta, batch}));
}

// fuzz_folder_image: flags, then one image file in each format the folder reader meets most.
TEST_F(FuzzSeeds, FolderImage) {
  const fs::path dir = scratch_ / "folder";
  write_folder_dataset(dir, {.classes = {"a"}, .train_per_class = 1, .test_per_class = 1});
  ASSERT_EQ(data::open_dataset("folder:" + dir.string())->size(data::Source::train), 1u);
  const fs::path png = dir / "train" / "a" / folder_fixture_name(0);
  write_seed("folder_image", "colour.png", concat({{0}, read_bytes(png)}));

  const cv::Mat colour = folder_fixture_image({}, false, 1, 2);
  cv::Mat grey;
  cv::extractChannel(colour, grey, 1);
  for (const auto& [name, image, ext] : {std::tuple{"grey.png", grey, ".png"},
                                         {"colour.jpg", colour, ".jpg"},
                                         {"grey.jpg", grey, ".jpg"},
                                         {"grey.pgm", grey, ".pgm"},
                                         {"colour.ppm", colour, ".ppm"},
                                         {"colour.bmp", colour, ".bmp"}}) {
    Bytes encoded;
    ASSERT_TRUE(cv::imencode(ext, image, encoded)) << name;
    ASSERT_FALSE(cv::imdecode(encoded, cv::IMREAD_UNCHANGED).empty()) << name;
    write_seed("folder_image", name, concat({{0}, encoded}));
    write_seed("folder_image", std::string("resized-") + name, concat({{1}, encoded}));
  }
}

// fuzz_store: a feature store and a store with every type StoreWriter writes. Small chunks keep the files
// small (FeatureStoreWriter's rows are chunked by the MiB), so that the fuzzer runs fast.
TEST_F(FuzzSeeds, Store) {
  const std::string features = (scratch_ / "features.h5").string();
  {
    data::StoreWriter writer(features, "features", {{"features", "raw"}});
    const std::vector<float> rows = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    const std::vector<int32_t> labels = {0, 1, 0};
    const std::vector<int64_t> index = {5, 6, 7};
    writer.write_strings("/class_names", {"a", "b"});
    writer.create_rows("/features", 4, 2);
    writer.append_rows("/features", rows.data(), 3);
    writer.write("/labels", labels.data(), {3});
    writer.write("/index", index.data(), {3});
    writer.commit();
  }
  EXPECT_EQ(data::FeatureStoreReader(features).read_all(),
            std::vector<float>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
  write_seed("store", "features.h5", read_bytes(features));

  const std::string model = (scratch_ / "model.h5").string();
  {
    data::StoreWriter writer(model, "model", {{"loss", "svm"}});
    const std::vector<double> w = {0.5, -1, 2, 0.25, 3, -4};
    const std::vector<uint8_t> mask = {1, 0, 1};
    const std::vector<int64_t> steps = {1, 2};
    writer.write("W", w.data(), {3, 2});
    writer.write("/history/mask", mask.data(), {3});
    writer.write("/history/steps", steps.data(), {2});
    writer.write_strings("class_names", {"a", "b"});
    writer.set_attribute("note", "seed");
    writer.commit();
  }
  EXPECT_EQ(data::StoreReader(model).list().size(), 4u);
  write_seed("store", "model.h5", read_bytes(model));
}

// fuzz_model_store: a model, a k-means vocabulary with ZCA whitening, a GMM vocabulary and a checkpoint,
// each as its loader reads it.
TEST_F(FuzzSeeds, ModelStore) {
  const fs::path model = scratch_ / "model.h5";
  classify::LinearModel m;
  m.W = RowMatrix<float>{{0.5f, -1}, {2, 0.25f}, {3, -4}};
  m.b = RowVector<float>{{0.1f, -0.1f}};
  m.preprocess.mean = {0, 1, 2};
  m.preprocess.std = {1, 2, 0.5f};
  m.class_names = {"a", "b"};
  classify::TrainHistory history;
  history.loss = {1.5f, 1.25f};
  history.lr = {0.1f};
  classify::save_model(model, m, history, {{"command", "train"}});
  EXPECT_EQ(classify::load_model(model).model.W, m.W);
  write_seed("model_store", "model.h5", read_bytes(model));

  for (const vocab::VocabMethod method : {vocab::VocabMethod::kmeans, vocab::VocabMethod::gmm}) {
    vocab::Vocabulary v;
    v.method = method;
    v.centres = RowMatrix<float>{{0, 1, 0}, {1, 0, 1}};
    v.descriptor = "patch(size=1,stride=1,norm=0)";
    if (method == vocab::VocabMethod::gmm) {
      v.variances = RowMatrix<float>::Constant(2, 3, 0.5f);
      v.weights = Eigen::VectorXf::Constant(2, 0.5f);
    } else {
      vocab::WhiteningParams zca;
      zca.zca = true;
      v.whitening = vocab::Whitening(zca, Eigen::RowVectorXf::Zero(3), RowMatrix<float>::Identity(3, 3));
    }
    v.history = {3, 2};
    const fs::path path = scratch_ / (vocab::to_string(method) + ".h5");
    vocab::save_vocabulary(path, v, {{"command", "vocab"}});
    EXPECT_EQ(vocab::load_vocabulary(path).centres, v.centres);
    write_seed("model_store", vocab::to_string(method) + ".h5", read_bytes(path));
  }

  const fs::path checkpoint = scratch_ / "run.checkpoint";
  classify::TrainState state;
  state.epochs_done = 1;
  state.params = Eigen::VectorXf::LinSpaced(8, -1, 1);
  state.iteration = 2;
  state.optimizer = {Eigen::VectorXf::Zero(8)};
  state.history.loss = {2.0f, 1.5f};
  state.history.train_acc = {0.5f};
  state.history.lr = {0.1f};
  classify::save_checkpoint(checkpoint, state, {{"train", "features.h5"}});
  EXPECT_EQ(classify::load_checkpoint(checkpoint).state.params, state.params);
  write_seed("model_store", "run.checkpoint", read_bytes(checkpoint));
}

// fuzz_spec: one spec per file, each valid for the parser it names.
TEST_F(FuzzSeeds, Spec) {
  using Parser = std::function<void(const std::string&)>;
  const std::vector<std::pair<Parser, std::vector<std::string>>> groups = {
      {[](const std::string& s) { features::make_extractor(s); },
       {"raw", "raw(gray=1,size=8x8)", "hog(cell=4,bins=9,variant=uoctti)", "hog(variant=dalaltriggs)",
        "lbp(cell=8)", "colorhist", "huehist(bins=12,pyramid=1:2,lazebnik=1)",
        "hog(cell=8)+huehist(bins=6)+raw(gray=1)"}},
      {[](const std::string& s) { features::make_descriptor(s); },
       {"sift(max=10)", "dsift(step=4,size=4:6)", "dsift(step=2,size=4,fast=0)",
        "patch(size=6,stride=2,norm=1)"}},
      {[](const std::string& s) { vocab::parse_norm(s); }, {"power(alpha=0.5)+l2", "hellinger", "none"}},
      {data::validate_dataset_spec,
       {"synthetic:shapes(classes=6,size=32,train=600,test=200)", "cifar10:/data/cifar", "folder:images",
        "fashion-mnist"}},
  };
  int n = 0;
  for (const auto& [parse, specs] : groups) {
    for (const std::string& spec : specs) {
      EXPECT_NO_THROW(parse(spec)) << spec;
      write_seed("spec", std::to_string(n++), Bytes(spec.begin(), spec.end()));
    }
  }
}

// fuzz_options: a command byte (fuzz/fuzz_options.cpp's list), then NUL-separated options, each the index
// of its name in the option schema and a value.
TEST_F(FuzzSeeds, Options) {
  const auto ranges = pipelines::option_ranges();
  const auto option = [&](const std::string& name, const std::string& value) {
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      if (ranges[i].name == name) {
        Bytes b = {uint8_t(i)};
        b.insert(b.end(), value.begin(), value.end());
        b.push_back(0);
        return b;
      }
    }
    ADD_FAILURE() << name << " is not in the option schema";
    return Bytes{};
  };
  const std::vector<std::pair<uint8_t, Bytes>> seeds = {
      {0, concat({option("block", "64"), option("threads", "2")})},
      {2, concat({option("k", "16"), option("tolerance", "1e-4"), option("batch", "512")})},
      {3, concat({option("soft-neighbours", "5"), option("soft-beta", "0"), option("kernel-order", "1")})},
      {4, concat({option("lr", "0.01"), option("lambda", "1e-4"), option("beta2", "0.999"),
                  option("dropout", "0.1"), option("epochs", "3")})},
      {5, concat({option("steps", "3"), option("lr-steps", "2")})},
      {8, concat({option("top", "3")})},
      {9, concat({option("ratio", "0.8"), option("min-similarity", "0.5")})},
      {10, concat({option("rows", "5")})},
      {11, concat({option("timeout", "10")})},
  };
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    write_seed("options", std::to_string(i), concat({{seeds[i].first}, seeds[i].second}));
  }
}

}  // namespace
}  // namespace featpipe::testing
