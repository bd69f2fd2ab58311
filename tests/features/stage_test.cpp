// The extract and descriptors stages called as library functions, as a C++ program or the Python module
// would: what they write, what they tell the observer, and how they stop when it asks.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/data/dataset.h"
#include "featpipe/data/split.h"
#include "featpipe/data/store.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/extract.h"
#include "featpipe/features/sample_descriptors.h"
#include "test_fixtures.h"

namespace featpipe::features {
namespace {

const char* const kShapes = "synthetic:shapes(classes=3,size=16,train=30,test=6)";

/// Counts the steps, and asks to stop after `stop_after` of them.
class CountingObserver : public StageObserver {
 public:
  explicit CountingObserver(uint64_t stop_after = UINT64_MAX) : stop_after_(stop_after) {}
  void begin(const std::string&, uint64_t total, const std::string&) override { totals.push_back(total); }
  void advance(uint64_t n) override { steps += n; }
  void end() override { ++ended; }
  bool stopping() const override { return steps >= stop_after_; }
  void checkpoint() override {
    if (stopping()) throw std::runtime_error("stopped");
  }
  std::vector<uint64_t> totals;
  std::atomic<uint64_t> steps{0};
  int ended = 0;

 private:
  uint64_t stop_after_;
};

data::SplitView train_split(const data::Dataset& dataset) {
  return data::select_split(dataset, data::Split::train, {});
}

TEST(ExtractStage, WritesEveryImageAndReportsEachStep) {
  testing::TempDir dir;
  const auto dataset = data::open_dataset(kShapes);
  const data::SplitView view = train_split(*dataset);
  const auto extractor = make_extractor("hog(cell=4)+huehist");
  CountingObserver observer;
  const std::string out = (dir / "f.h5").string();
  const ExtractSummary done = extract_split(view, *extractor, {{"dataset", kShapes}}, out, {7}, observer);
  EXPECT_EQ(done.rows, view.size());
  EXPECT_EQ(done.dim, extractor->dim(cv::Size(16, 16), 3));
  EXPECT_EQ(observer.totals, std::vector<uint64_t>{view.size()});
  EXPECT_EQ(observer.steps, view.size());
  EXPECT_EQ(observer.ended, 1);

  const data::StoreReader r(out);
  EXPECT_EQ(r.kind(), "features");
  EXPECT_EQ(r.provenance()["features"], extractor->spec());
  EXPECT_EQ(r.provenance()["dataset"], kShapes);
  std::vector<float> row(done.dim), expected(done.dim);
  for (std::size_t i : {std::size_t(0), view.size() - 1}) {  // rows in split order, across blocks of 7
    r.read_rows("/features", i, 1, row.data());
    extractor->extract(view.image(i), expected.data());
    EXPECT_EQ(row, expected) << "row " << i;
  }
}

TEST(ExtractStage, AStopLeavesNoStore) {
  testing::TempDir dir;
  const auto dataset = data::open_dataset(kShapes);
  const data::SplitView view = train_split(*dataset);
  CountingObserver observer(5);
  const std::string out = (dir / "f.h5").string();
  EXPECT_THROW(extract_split(view, *make_extractor("raw"), {}, out, {4}, observer), std::runtime_error);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ExtractStage, AnExtractorThatCannotTakeTheImagesBlamesTheSubject) {
  testing::TempDir dir;
  const auto dataset = data::open_dataset(kShapes);
  const data::SplitView view = train_split(*dataset);
  try {
    extract_split(view, *make_extractor("lbp(cell=32)"), {}, (dir / "f.h5").string(), {}, silent_observer());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--features: ", 0), 0u) << e.what();
  }
}

TEST(WaterFill, EqualSharesCappedByEachCountSummingToTheTotal) {
  const std::vector<std::size_t> counts = {1, 50, 3, 50, 50};
  const std::vector<std::size_t> quota = water_fill(counts, 60, 0);
  EXPECT_EQ(std::accumulate(quota.begin(), quota.end(), std::size_t(0)), 60u);
  EXPECT_EQ(quota[0], 1u);
  EXPECT_EQ(quota[2], 3u);
  for (std::size_t i : {1, 3, 4}) EXPECT_TRUE(quota[i] == 18 || quota[i] == 19) << quota[i];
  EXPECT_EQ(water_fill(counts, 1000, 0), counts);  // fewer frames than asked: all of them
  EXPECT_EQ(water_fill(counts, 60, 0), water_fill(counts, 60, 0));
}

TEST(DescriptorStage, SamplesTheAskedNumberWithFramesAndOwners) {
  testing::TempDir dir;
  const auto dataset = data::open_dataset(kShapes);
  const data::SplitView view = train_split(*dataset);
  const auto descriptor = make_descriptor("dsift(step=2,size=2)");
  CountingObserver observer;
  const std::string out = (dir / "d.h5").string();
  const DescriptorSampleSummary done = sample_descriptors(view, *descriptor, {}, out, {100, 8, 3}, observer);
  EXPECT_EQ(done.rows, 100u);
  EXPECT_EQ(done.images, view.size());
  EXPECT_EQ(observer.steps, 2 * view.size());  // two passes
  const data::StoreReader r(out);
  EXPECT_EQ(r.kind(), "descriptors");
  EXPECT_EQ(r.info("/features").shape, (std::vector<uint64_t>{100, done.dim}));
  EXPECT_EQ(r.info("/frames").shape, (std::vector<uint64_t>{100, 4}));
  EXPECT_EQ(r.provenance()["descriptor"], descriptor->spec());
  EXPECT_THROW(sample_descriptors(view, *descriptor, {}, (dir / "e.h5").string(), {0, 8, 3}, observer),
               InputError);
}

TEST(ExtractStage, InMemoryRowsAreTheStoresBitForBitAndAStopEndsThem) {
  testing::TempDir dir;
  const auto dataset = data::open_dataset(kShapes);
  const data::SplitView view = train_split(*dataset);
  const auto extractor = make_extractor("hog(cell=4)+lbp");
  const std::string out = (dir / "f.h5").string();
  const ExtractSummary done = extract_split(view, *extractor, {}, out, {7}, silent_observer());
  EXPECT_EQ(split_dim(view, *extractor, "--features"), done.dim);
  std::vector<float> rows(view.size() * done.dim), stored(rows.size());
  CountingObserver observer;
  extract_to_memory(view, *extractor, done.dim, rows.data(), observer, 4);  // other blocks than the store's
  EXPECT_EQ(observer.steps, view.size());
  data::StoreReader(out).read_rows("/features", 0, view.size(), stored.data());
  EXPECT_EQ(rows, stored);

  CountingObserver stopper(6);
  EXPECT_THROW(extract_to_memory(view, *extractor, done.dim, rows.data(), stopper, 4), std::runtime_error);
  EXPECT_LT(stopper.steps, view.size());
  EXPECT_THROW(split_dim(view, *make_extractor("hog(cell=64)"), "--features"), InputError);
}

TEST(DescriptorStage, InMemorySampleIsTheStoresBitForBit) {
  testing::TempDir dir;
  const auto dataset = data::open_dataset(kShapes);
  const data::SplitView view = train_split(*dataset);
  const auto descriptor = make_descriptor("dsift(step=2,size=2)");
  const std::string out = (dir / "d.h5").string();
  const DescriptorSampleOptions options{150, 8, 5};
  sample_descriptors(view, *descriptor, {}, out, options, silent_observer());
  const DescriptorSample sample = sample_descriptors_to_memory(view, *descriptor, options, silent_observer());
  const data::StoreReader r(out);
  ASSERT_EQ(sample.descriptors.rows(), 150);
  EXPECT_EQ(sample.summary.rows, 150u);
  const std::vector<float> rows = r.read_floats("/features"), frames = r.read_floats("/frames");
  EXPECT_TRUE(std::equal(rows.begin(), rows.end(), sample.descriptors.data()));
  EXPECT_TRUE(std::equal(frames.begin(), frames.end(), sample.frames.data()));
  EXPECT_EQ(sample.labels, r.read_int32("/labels"));
  EXPECT_EQ(sample.index, r.read_int64("/index"));
  // without a cap: every frame of every image
  DescriptorSampleOptions all = options;
  all.sample = SIZE_MAX;
  const DescriptorSample every = sample_descriptors_to_memory(view, *descriptor, all, silent_observer());
  EXPECT_EQ(every.summary.rows, every.summary.frames_available);
}

}  // namespace
}  // namespace featpipe::features
