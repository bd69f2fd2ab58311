#include "featpipe/classify/trainer.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <regex>

#include "../../classify/src/byte_rows.h"
#include "blobs.h"
#include "featpipe/classify/metrics.h"
#include "featpipe/classify/standardizer.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/random.h"
#include "test_fixtures.h"

namespace featpipe::classify {
namespace {

double train_accuracy(const LinearModel& m, const Blobs& b) {
  const MatrixSource s = b.source();
  return accuracy(b.y, predict(m, s));
}

double train_accuracy_of(const LinearModel& m, const MatrixSource& s, const std::vector<int32_t>& y) {
  return accuracy(y, predict(m, s));
}

TEST(Trainer, ReachesFullAccuracyOnSeparableData) {
  const Blobs b = make_blobs(600, 12, 3, 0.5, 1);
  const MatrixSource s = b.source();
  for (const auto& entry : loss_registry()) {
    const LossKind loss = entry.value;
    TrainParams p;
    p.loss.kind = loss;
    p.lr = 0.05;
    p.epochs = 5;
    p.batch = 32;
    const TrainResult r = train(p, {&s, b.y}, nullptr, 3);
    EXPECT_EQ(train_accuracy(r.model, b), 1.0) << to_string(loss);
    EXPECT_EQ(r.history.train_acc.size(), 5u);
    EXPECT_EQ(r.history.loss.size(), 5u * (600 / 32 + 1));
  }
}

TEST(Trainer, EveryOptimizerLearns) {
  const Blobs b = make_blobs(300, 6, 3, 0.5, 2);
  const MatrixSource s = b.source();
  for (const auto& entry : optimizer_registry()) {
    const OptimizerKind kind = entry.value;
    TrainParams p;
    p.optimizer.kind = kind;
    p.lr = kind == OptimizerKind::sgd || kind == OptimizerKind::adagrad ? 0.1 : 0.01;
    p.epochs = 5;
    p.batch = 16;
    p.dropout = kind == OptimizerKind::adam ? 0.2 : 0.0;
    EXPECT_EQ(train_accuracy(train(p, {&s, b.y}, nullptr, 3).model, b), 1.0) << to_string(kind);
  }
}

// Averaged SGD's model is the mean of the iterates: before averaging starts it is plain SGD's, bit for bit;
// averaging from the first epoch on gives another model that still separates the classes, and the same one
// for any thread count.
TEST(Trainer, AsgdModelIsTheAverageOfTheIterates) {
  const Blobs b = make_blobs(300, 6, 3, 0.5, 2);
  const MatrixSource s = b.source();
  TrainParams p;
  p.lr = 0.1;
  p.epochs = 4;
  p.batch = 16;
  p.optimizer.kind = OptimizerKind::sgd;
  const TrainResult sgd = train(p, {&s, b.y}, nullptr, 3);
  p.optimizer.kind = OptimizerKind::asgd;
  p.optimizer.average_start = 4;  // never within the 4 epochs
  const TrainResult late = train(p, {&s, b.y}, nullptr, 3);
  EXPECT_EQ(late.model.W, sgd.model.W);
  EXPECT_EQ(late.model.b, sgd.model.b);
  p.optimizer.average_start = 1;
  const TrainResult averaged = train(p, {&s, b.y}, nullptr, 3);
  EXPECT_NE(averaged.model.W, sgd.model.W);
  EXPECT_EQ(train_accuracy(averaged.model, b), 1.0);
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const TrainResult one_thread = train(p, {&s, b.y}, nullptr, 3);
  omp_set_num_threads(threads);
  EXPECT_EQ(one_thread.model.W, averaged.model.W);
}

TEST(Trainer, InitialLossMatchesKMinusOneAndLnK) {
  const Blobs b = make_blobs(400, 50, 10, 1.0, 3);
  const MatrixSource s = b.source();
  for (LossKind loss : {LossKind::svm, LossKind::softmax}) {
    TrainParams p;
    p.loss.kind = loss;
    p.epochs = 1;
    double seen = -1, expected = -1;
    TrainObserver obs;
    obs.initial_loss = [&](double l, double e) {
      seen = l;
      expected = e;
    };
    const TrainResult r = train(p, {&s, b.y}, nullptr, 10, obs);
    EXPECT_DOUBLE_EQ(expected, loss == LossKind::svm ? 9.0 : std::log(10.0));
    EXPECT_NEAR(seen, expected, 0.01 * expected) << to_string(loss);
    EXPECT_EQ(r.history.initial_loss, seen);
    EXPECT_FALSE(initial_loss_warning(seen, expected).has_value());
  }
}

TEST(Trainer, WarnsWhenTheInitialLossIsOff) {
  EXPECT_FALSE(initial_loss_warning(2.4, std::log(10.0)).has_value());
  EXPECT_TRUE(initial_loss_warning(3.0, std::log(10.0)).has_value());
  const Blobs b = make_blobs(200, 50, 10, 1.0, 3);
  const MatrixSource s = b.source();
  TrainParams p;
  p.loss.kind = LossKind::svm;
  p.init_scale = 10;  // large weights: the loss is far from K - 1
  p.epochs = 1;
  const TrainResult r = train(p, {&s, b.y}, nullptr, 10);
  EXPECT_TRUE(initial_loss_warning(r.history.initial_loss, r.history.expected_initial_loss).has_value());
}

TEST(Trainer, HugeLearningRateStopsWithRunErrorAndAdvice) {
  const Blobs b = make_blobs(200, 8, 3, 1.0, 4);
  const MatrixSource s = b.source();
  TrainParams p;
  p.lr = 1e9;
  try {
    train(p, {&s, b.y}, nullptr, 3);
    FAIL() << "no RunError";
  } catch (const RunError& e) {
    const std::string msg = e.what();
    EXPECT_TRUE(std::regex_search(msg, std::regex("epoch [0-9]+, iteration [0-9]+"))) << msg;
    EXPECT_NE(msg.find("lower --lr"), std::string::npos) << msg;
  }
}

TEST(Trainer, SameSeedSameWeightsWhateverTheThreadCount) {
  const Blobs b = make_blobs(500, 20, 4, 2.0, 5);
  const MatrixSource s = b.source();
  TrainParams p;
  p.optimizer.kind = OptimizerKind::adam;
  p.epochs = 2;
  p.batch = 200;  // several blocks per minibatch
  p.dropout = 0.1;
  p.seed = 9;
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const TrainResult one = train(p, {&s, b.y}, nullptr, 4);
  omp_set_num_threads(3);
  const TrainResult three = train(p, {&s, b.y}, nullptr, 4);
  omp_set_num_threads(threads);
  EXPECT_EQ(one.model.W, three.model.W);
  EXPECT_EQ(one.model.b, three.model.b);
  EXPECT_EQ(one.history.loss, three.history.loss);
  p.seed = 10;
  EXPECT_NE(train(p, {&s, b.y}, nullptr, 4).model.W, one.model.W);
}

TEST(Trainer, StreamsChunksWhenMemoryIsLimited) {
  const Blobs b = make_blobs(1000, 10, 2, 0.5, 6);
  const MatrixSource s = b.source();
  TrainParams p;
  p.batch = 50;
  p.epochs = 3;
  p.max_memory = 2 * 200 * 10 * sizeof(float);  // chunks of 200 rows
  const TrainResult r = train(p, {&s, b.y}, nullptr, 2);
  EXPECT_EQ(train_accuracy(r.model, b), 1.0);
  EXPECT_EQ(r.history.loss.size(), 3u * 1000 / 50);
  // the statistics streamed by chunks agree with those of the whole matrix
  const Standardizer whole = fit_standardizer(s, 1000);
  for (int d = 0; d < 10; ++d) {
    EXPECT_NEAR(r.model.preprocess.mean[d], whole.mean[d], 1e-3);
    EXPECT_NEAR(r.model.preprocess.std[d], whole.std[d], 1e-4);
  }
  p.max_memory = 100;
  EXPECT_THROW(train(p, {&s, b.y}, nullptr, 2), std::invalid_argument);
}

TEST(Trainer, AStreamedValidationSetIsCheckedChunkByChunk) {
  // the validation rows come in chunks of 200 (checked the first time each is read): a NaN in the last
  // chunk is reported with its row, whichever epoch first reads it
  const Blobs b = make_blobs(1000, 10, 2, 0.5, 6);
  Blobs v = make_blobs(500, 10, 2, 0.5, 7);
  v.x(450, 3) = std::numeric_limits<float>::quiet_NaN();
  const MatrixSource s = b.source(), vs = v.source();
  TrainParams p;
  p.batch = 50;
  p.epochs = 3;
  p.max_memory = 2 * 200 * 10 * sizeof(float);
  const LabelledRows val{&vs, v.y, "val.h5"};
  const std::string message = featpipe::testing::error_message<std::invalid_argument>([&] {
    train(p, {&s, b.y}, &val, 2);
  });
  EXPECT_TRUE(featpipe::testing::contains(message, "row 450, feature 3 is NaN")) << message;
  EXPECT_TRUE(featpipe::testing::contains(message, "val.h5")) << message;
  v.x(450, 3) = 0.5f;
  EXPECT_NO_THROW(train(p, {&s, b.y}, &val, 2));
}

TEST(Trainer, IterationsInsteadOfEpochs) {
  const Blobs b = make_blobs(100, 4, 2, 0.5, 7);
  const MatrixSource s = b.source();
  TrainParams p;
  p.batch = 30;  // 4 minibatches per epoch
  p.iterations = 10;
  const TrainResult r = train(p, {&s, b.y}, nullptr, 2);
  EXPECT_EQ(r.history.loss.size(), 10u);
  EXPECT_EQ(r.history.lr.size(), 3u);
}

TEST(Trainer, EarlyStoppingKeepsTheBestValidationWeights) {
  const Blobs b = make_blobs(400, 10, 4, 3.0, 8);
  Blobs val = make_blobs(200, 10, 4, 3.0, 9);
  random::Generator rng(1, random::Stream::test);
  for (int32_t& y : val.y) y = static_cast<int32_t>(rng.next() % 4);  // noisy labels: val accuracy wanders
  const MatrixSource s = b.source(), vs = val.source();
  const LabelledRows val_rows{&vs, val.y};
  TrainParams p;
  p.epochs = 30;
  p.batch = 20;
  p.early_stop = 2;
  p.optimizer.kind = OptimizerKind::momentum;
  p.lr = 0.01;
  const TrainResult r = train(p, {&s, b.y}, &val_rows, 4);
  EXPECT_TRUE(r.history.stopped_early);
  ASSERT_FALSE(r.history.val_acc.empty());
  const float best = *std::max_element(r.history.val_acc.begin(), r.history.val_acc.end());
  EXPECT_FLOAT_EQ(r.history.val_acc[r.history.best_epoch - 1], best);
  EXPECT_NEAR(accuracy(val.y, predict(r.model, vs)), best, 1e-6);
}

TEST(Trainer, WithReplacementSampling) {
  const Blobs b = make_blobs(300, 6, 3, 0.5, 10);
  const MatrixSource s = b.source();
  TrainParams p;
  p.with_replacement = true;
  p.lr = 0.05;
  p.batch = 16;
  p.epochs = 4;
  EXPECT_EQ(train_accuracy(train(p, {&s, b.y}, nullptr, 3).model, b), 1.0);
}

TEST(Trainer, RejectsBadInput) {
  const Blobs b = make_blobs(50, 4, 2, 0.5, 11);
  const MatrixSource s = b.source();
  TrainParams p;
  EXPECT_THROW(train(p, {&s, b.y}, nullptr, 1), std::invalid_argument);  // one class
  std::vector<int32_t> bad = b.y;
  bad[3] = 5;
  EXPECT_THROW(train(p, {&s, bad}, nullptr, 2), std::invalid_argument);
  p.early_stop = 3;
  EXPECT_THROW(train(p, {&s, b.y}, nullptr, 2), std::invalid_argument);  // early stop needs val
  p = {};
  p.dropout = 1.0;
  EXPECT_TRUE(validate(p).has_value());
  p = {};
  p.batch = 0;
  EXPECT_TRUE(validate(p).has_value());
}

TEST(Trainer, RowsStandardisedBeforehandTrainTheSameModel) {
  const Blobs b = make_blobs(300, 8, 3, 1.0, 12);
  const MatrixSource s = b.source();
  TrainParams p;
  p.epochs = 2;
  p.batch = 100;
  const TrainResult own = train(p, {&s, b.y}, nullptr, 3);
  RowMatrix<float> standardised = b.x;
  own.model.preprocess.apply(standardised);
  const MatrixSource ss(standardised.data(), standardised.rows(), standardised.cols());
  p.standardize = false;
  const TrainResult given = train(p, {&ss, b.y}, nullptr, 3);
  EXPECT_EQ(given.model.W, own.model.W);
  EXPECT_EQ(given.model.preprocess.mean, std::vector<float>(8, 0.0f));
  EXPECT_EQ(given.model.preprocess.std, std::vector<float>(8, 1.0f));
}

TEST(Trainer, ByteRowsTrainTheSameModelAsFloatRows) {
  const int n = 400, dim = 37, classes = 10;
  const Blobs pixels = make_pixel_blobs(n, dim, classes, 13);
  const std::vector<int32_t>& y = pixels.y;
  const MatrixSource s = pixels.source();
  ASSERT_TRUE(read_byte_rows(s).has_value());  // the rows qualify: byte_rows true holds them as bytes
  for (LossKind loss : {LossKind::softmax, LossKind::svm}) {
    TrainParams p;
    p.loss.kind = loss;
    p.epochs = 3;
    p.batch = 100;
    p.lr = 0.01;
    p.seed = 4;
    p.byte_rows = true;
    const TrainResult bytes = train(p, {&s, y}, nullptr, classes);
    p.byte_rows = false;
    const TrainResult floats = train(p, {&s, y}, nullptr, classes);
    const std::string what = to_string(loss);
    EXPECT_EQ(bytes.byte_divisor, 255.0f) << what;  // held as bytes
    EXPECT_EQ(floats.byte_divisor, 0.0f) << what;

    EXPECT_GT(train_accuracy_of(floats.model, s, y), 0.5) << what;  // it has learnt something (chance: 0.1)
    ASSERT_EQ(bytes.model.W.rows(), dim);
    ASSERT_EQ(bytes.model.W.cols(), classes);
    EXPECT_TRUE(bytes.model.W.isApprox(floats.model.W, 1e-3f))
        << what << ": relative error " << (bytes.model.W - floats.model.W).norm() / floats.model.W.norm();
    EXPECT_TRUE(bytes.model.b.isApprox(floats.model.b, 1e-3f))
        << what << ": relative error " << (bytes.model.b - floats.model.b).norm() / floats.model.b.norm();
    for (int c = 0; c < classes; ++c) {
      const float largest = floats.model.W.col(c).cwiseAbs().maxCoeff();
      for (int d = 0; d < dim; ++d) {
        EXPECT_NEAR(bytes.model.W(d, c), floats.model.W(d, c), 1e-3f * largest)
            << what << ", W(" << d << ", " << c << ")";
      }
    }
    ASSERT_EQ(bytes.model.preprocess.mean.size(), static_cast<std::size_t>(dim));
    ASSERT_EQ(bytes.model.preprocess.std.size(), static_cast<std::size_t>(dim));
    for (int d = 0; d < dim; ++d) {
      EXPECT_NEAR(bytes.model.preprocess.mean[d], floats.model.preprocess.mean[d],
                  1e-6 * std::abs(floats.model.preprocess.mean[d]))
          << what << ", column " << d;
      EXPECT_NEAR(bytes.model.preprocess.std[d], floats.model.preprocess.std[d],
                  1e-6 * floats.model.preprocess.std[d])
          << what << ", column " << d;
    }
    EXPECT_EQ(bytes.model.preprocess.std[0], 1.0f);
    ASSERT_EQ(bytes.history.loss.size(), floats.history.loss.size());
    ASSERT_EQ(bytes.history.loss.size(), 3u * 4);
    for (std::size_t i = 0; i < floats.history.loss.size(); ++i) {
      EXPECT_NEAR(bytes.history.loss[i], floats.history.loss[i], 1e-4 * floats.history.loss[i])
          << what << ", iteration " << i;
    }
    EXPECT_NEAR(bytes.history.initial_loss, floats.history.initial_loss, 1e-5 * floats.history.initial_loss);
    // the minibatches' correct counts and the predictions agree up to a near tie or two
    ASSERT_EQ(bytes.history.train_acc.size(), floats.history.train_acc.size());
    for (std::size_t e = 0; e < floats.history.train_acc.size(); ++e) {
      EXPECT_NEAR(bytes.history.train_acc[e], floats.history.train_acc[e], 2.5 / n)
          << what << ", epoch " << e;
    }
    const std::vector<int32_t> pb = predict(bytes.model, s), pf = predict(floats.model, s);
    EXPECT_LE(std::inner_product(pb.begin(), pb.end(), pf.begin(), 0, std::plus<>(), std::not_equal_to<>()),
              2)
        << what;
  }
}

TEST(Standardizer, ZeroVarianceDimensionsGetUnitStd) {
  const RowMatrix<float> x{{1, 5, 2}, {3, 5, 2}, {5, 5, 8}};
  const MatrixSource s(x.data(), 3, 3);
  for (uint64_t block : {1, 2, 3}) {
    const Standardizer st = fit_standardizer(s, block);
    EXPECT_NEAR(st.mean[0], 3.0f, 1e-6);
    EXPECT_NEAR(st.std[0], std::sqrt(8.0f / 3.0f), 1e-6);
    EXPECT_EQ(st.std[1], 1.0f);
    EXPECT_NEAR(st.mean[2], 4.0f, 1e-6);
    RowMatrix<float> y = x;
    st.apply(y);
    EXPECT_NEAR(y.col(0).mean(), 0.0f, 1e-6);
    EXPECT_EQ(y.col(1), Eigen::Vector3f::Zero());
  }
}

TEST(Standardizer, AccurateFarFromZeroAndAcrossBlocks) {
  // 1e6 + r / 2: exact in float; population std of r / 2 over r < 1000 is sqrt((1000^2 - 1) / 12) / 2
  RowMatrix<float> x(1000, 2);
  for (int r = 0; r < 1000; ++r) x.row(r) << 1e6f + 0.5f * r, (r % 2 ? 1.0f : -1.0f);
  const MatrixSource s(x.data(), 1000, 2);
  for (uint64_t block : {1000, 64, 7}) {
    const Standardizer st = fit_standardizer(s, block);
    EXPECT_FLOAT_EQ(st.mean[0], 1e6f + 249.75f) << block;
    EXPECT_NEAR(st.std[0], std::sqrt((1000.0 * 1000.0 - 1) / 12) / 2, 1e-4) << block;
    EXPECT_NEAR(st.mean[1], 0.0f, 1e-7) << block;
    EXPECT_NEAR(st.std[1], 1.0f, 1e-7) << block;
  }
}

TEST(Trainer, ByteRowsNeedAQuarterOfTheMemoryBudget) {
  // 400 rows x 37 values: 59200 bytes as floats, 14800 as bytes
  const Blobs pixels = make_pixel_blobs(400, 37, 10, 21);
  const MatrixSource s = pixels.source();
  TrainParams p;
  p.epochs = 2;
  p.batch = 40;
  p.seed = 3;
  const TrainResult whole = train(p, {&s, pixels.y}, nullptr, 10);
  ASSERT_EQ(whole.byte_divisor, 255.0f);

  p.max_memory = 20000;  // the floats do not fit, the bytes do: the same run
  const TrainResult bytes = train(p, {&s, pixels.y}, nullptr, 10);
  EXPECT_EQ(bytes.byte_divisor, 255.0f);
  EXPECT_EQ(bytes.model.W, whole.model.W);
  EXPECT_EQ(bytes.model.b, whole.model.b);
  EXPECT_EQ(bytes.history.loss, whole.history.loss);

  p.max_memory = 12000;  // neither fits: float rows streamed in chunks of 40 rows
  const TrainResult streamed = train(p, {&s, pixels.y}, nullptr, 10);
  EXPECT_EQ(streamed.byte_divisor, 0.0f);
  EXPECT_EQ(streamed.history.loss.size(), whole.history.loss.size());
}

// A minibatch never holds more rows than the training set: --batch 8388480 on 200 rows allocated the
// buffers of 65535 blocks (754 MiB). The result is the same as with a batch of all the rows.
TEST(Trainer, BuffersAreSizedByTheRowsNotByTheBatchOption) {
  const Blobs b = make_blobs(200, 64, 4, 0.5, 1);
  const MatrixSource s = b.source();
  TrainParams p;
  p.epochs = 3;
  p.batch = 200;
  const TrainResult whole = train(p, {&s, b.y}, nullptr, 4);
  const long before = featpipe::testing::peak_rss_bytes();
  p.batch = 8388480;
  const TrainResult huge = train(p, {&s, b.y}, nullptr, 4);
  EXPECT_LT(featpipe::testing::peak_rss_bytes() - before, 100L << 20);
  EXPECT_EQ(huge.model.W, whole.model.W);
  EXPECT_EQ(huge.model.b, whole.model.b);
}

}  // namespace
}  // namespace featpipe::classify
