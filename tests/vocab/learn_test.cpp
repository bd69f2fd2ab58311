// The vocab stage called as a library function: from descriptors in memory and from a descriptor store, for
// each method, with the observer's steps and stop.
#include "featpipe/vocab/learn.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/data/feature_store.h"
#include "test_fixtures.h"
#include "vocab/vocab_test_data.h"

namespace featpipe::vocab {
namespace {

class StepCounter : public StageObserver {
 public:
  explicit StepCounter(int stop_after = 1 << 30) : stop_after_(stop_after) {}
  void advance(uint64_t n) override { steps += static_cast<int>(n); }
  void checkpoint() override {
    if (steps >= stop_after_) throw std::runtime_error("stopped");
  }
  int steps = 0;

 private:
  int stop_after_;
};

std::string write_descriptors(const testing::TempDir& dir, const RowMatrix<float>& x) {
  const std::string path = (dir / "d.h5").string();
  data::FeatureStoreWriter w(path, x.cols(), {"a"}, {{"descriptor", "patch(size=2)"}}, "descriptors");
  std::vector<int32_t> labels(x.rows(), 0);
  std::vector<int64_t> index(x.rows(), 0);
  w.append(x.data(), labels.data(), index.data(), x.rows());
  w.commit();
  return path;
}

TEST(LearnVocabulary, KMeansFromMemoryRecordsTheDescriptorAndIterations) {
  auto blobs = testing::make_blobs(4, 100, 4, 10.0f, 1);
  LearnOptions o;
  o.k = 4;
  StepCounter steps;
  const LearnedVocabulary learned = learn_vocabulary(blobs.points, "patch(size=2)", {}, o, steps);
  EXPECT_EQ(learned.vocabulary.k(), 4u);
  EXPECT_EQ(learned.vocabulary.descriptor, "patch(size=2)");
  EXPECT_EQ(steps.steps, learned.iterations);
  EXPECT_EQ(learned.provenance["iterations"], learned.iterations);
  EXPECT_NEAR(learned.vocabulary.distortion, 4.0, 0.5);  // unit variance in 4 dimensions
}

TEST(LearnVocabulary, FromAStoreEveryMethodGivesKWords) {
  testing::TempDir dir;
  const auto blobs = testing::make_blobs(4, 100, 4, 10.0f, 2);
  const std::string path = write_descriptors(dir, blobs.points);
  for (const auto& [method, minibatch] :
       {std::pair{VocabMethod::kmeans, false}, std::pair{VocabMethod::kmeans, true},
        std::pair{VocabMethod::gmm, false}}) {
    LearnOptions o;
    o.method = method;
    o.minibatch = minibatch;
    o.k = 4;
    o.iterations = 20;
    o.batch = 64;
    o.whitening.zca = true;
    const LearnedVocabulary learned = learn_vocabulary(path, o, silent_observer());
    EXPECT_EQ(learned.vocabulary.k(), 4u) << to_string(method) << minibatch;
    EXPECT_FALSE(learned.vocabulary.whitening.identity());
    EXPECT_EQ(learned.provenance["descriptors_path"], path);
    EXPECT_EQ(learned.provenance["minibatch"], minibatch);
  }
}

TEST(LearnVocabulary, BadOptionsNameTheOptionAndAStopStops) {
  testing::TempDir dir;
  auto blobs = testing::make_blobs(4, 100, 4, 10.0f, 3);
  const std::string path = write_descriptors(dir, blobs.points);
  LearnOptions o;
  o.k = 0;
  try {
    learn_vocabulary(path, o, silent_observer());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--k: ", 0), 0u) << e.what();
  }
  o.k = 1000;
  EXPECT_THROW(learn_vocabulary(path, o, silent_observer()), InputError);  // more words than rows
  o.k = 4;
  o.method = VocabMethod::gmm;
  o.minibatch = true;
  EXPECT_THROW(learn_vocabulary(path, o, silent_observer()), InputError);
  o.method = VocabMethod::kmeans;
  o.minibatch = false;
  o.tolerance = 0;
  StepCounter stop(2);
  EXPECT_THROW(learn_vocabulary(blobs.points, "patch(size=2)", {}, o, stop), std::runtime_error);
  EXPECT_EQ(stop.steps, 2);
}

}  // namespace
}  // namespace featpipe::vocab
