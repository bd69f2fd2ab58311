// Splits: parsing, the stratified seeded hold-out, and train / val / test views.
#include "featpipe/data/split.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <set>

#include "featpipe/core/errors.h"
#include "test_fixtures.h"

using featpipe::InputError;
using featpipe::data::Dataset;
using featpipe::data::parse_split;
using featpipe::data::parse_val_size;
using featpipe::data::select_split;
using featpipe::data::Source;
using featpipe::data::Split;
using featpipe::data::SplitOptions;
using featpipe::data::stratified_holdout;

namespace {

std::string input_error(const std::function<void()>& fn) {
  return featpipe::testing::error_message<InputError>(fn);
}

/// Labels only; image i of a set is a 1x1 image holding i % 256, so views can be checked.
class LabelsOnly final : public Dataset {
 public:
  LabelsOnly(std::vector<int32_t> train, std::vector<int32_t> test)
      : train_(std::move(train)), test_(std::move(test)) {}
  std::string spec() const override { return "labels-only"; }
  const std::vector<std::string>& class_names() const override { return names_; }
  std::size_t size(Source s) const override { return set(s).size(); }
  cv::Mat image(Source, std::size_t i) const override {
    return cv::Mat(1, 1, CV_8UC1, cv::Scalar(double(i % 256)));
  }
  int label(Source s, std::size_t i) const override { return set(s).at(i); }
  std::optional<cv::Size> uniform_size() const override { return cv::Size(1, 1); }
  int channels() const override { return 1; }

 private:
  const std::vector<int32_t>& set(Source s) const { return s == Source::train ? train_ : test_; }
  std::vector<int32_t> train_, test_;
  std::vector<std::string> names_ = {"a", "b", "c", "d", "e"};
};

/// Imbalanced classes: 100, 50, 30, 17 and 3 images, interleaved.
std::vector<int32_t> imbalanced_labels() {
  std::vector<int32_t> labels;
  const int sizes[5] = {100, 50, 30, 17, 3};
  int left[5] = {100, 50, 30, 17, 3};
  for (int round = 0; round < 100; ++round) {
    for (int c = 0; c < 5; ++c) {
      if (left[c] > 0 && round % (100 / sizes[c]) == 0) {
        labels.push_back(c);
        --left[c];
      }
    }
  }
  for (int c = 0; c < 5; ++c)
    for (; left[c] > 0; --left[c]) labels.push_back(c);
  return labels;
}

std::map<int32_t, int> class_counts(const std::vector<int32_t>& labels, const std::vector<int64_t>& rows) {
  std::map<int32_t, int> counts;
  for (int64_t r : rows) ++counts[labels.at(r)];
  return counts;
}

}  // namespace

TEST(Split, ParseAndName) {
  for (Split s : {Split::train, Split::val, Split::test})
    EXPECT_EQ(parse_split(featpipe::data::to_string(s)), s);
  const std::string msg = input_error([] { parse_split("validation"); });
  EXPECT_NE(msg.find("--split: 'validation' is not a split; use train, val"), std::string::npos) << msg;
}

TEST(Split, ParseValSize) {
  EXPECT_EQ(parse_val_size("5000"), 5000);
  EXPECT_DOUBLE_EQ(parse_val_size("0.1"), 0.1);
  EXPECT_EQ(parse_val_size("1"), 1);
  for (const std::string bad : {"", "abc", "10k", "-5", "0", "1.5", "nan", "inf"}) {
    const std::string msg = input_error([&] { parse_val_size(bad); });
    EXPECT_EQ(msg.rfind("--val-size: ", 0), 0u) << "'" << bad << "': " << msg;
  }
}

TEST(StratifiedHoldout, ExactCountAndProportionalClasses) {
  const std::vector<int32_t> labels = imbalanced_labels();
  ASSERT_EQ(labels.size(), 200u);
  for (int val : {1, 7, 20, 33, 150}) {
    const std::vector<int64_t> rows = stratified_holdout(labels, val, 0);
    ASSERT_EQ(rows.size(), std::size_t(val));
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
    EXPECT_EQ(std::set<int64_t>(rows.begin(), rows.end()).size(), rows.size()) << "rows repeat";
    const std::map<int32_t, int> all = class_counts(labels, [&] {
      std::vector<int64_t> every(labels.size());
      std::iota(every.begin(), every.end(), 0);
      return every;
    }());
    const std::map<int32_t, int> held = class_counts(labels, rows);
    for (const auto& [label, n] : all) {
      const double share = double(val) * n / double(labels.size());
      const int got = held.count(label) ? held.at(label) : 0;
      EXPECT_LT(std::abs(got - share), 1.0) << "val " << val << " class " << label;
    }
  }
}

TEST(StratifiedHoldout, NeverTakesAClassesLastImage) {
  // class 1 has a single image: it stays in training, and the hold-out is one image short of its share
  std::vector<int32_t> labels(11, 0);
  labels[4] = 1;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const std::vector<int64_t> rows = stratified_holdout(labels, 0.5, seed);  // asks for 6
    EXPECT_EQ(std::count(rows.begin(), rows.end(), 4), 0) << "seed " << seed;
    EXPECT_GE(rows.size(), 5u);
  }
  // a hold-out of all but one image leaves one image of every class
  const std::vector<int32_t> imbalanced = imbalanced_labels();
  const std::vector<int64_t> rows = stratified_holdout(imbalanced, 199, 0);
  std::map<int32_t, int> total;
  for (int32_t l : imbalanced) ++total[l];
  const std::map<int32_t, int> held = class_counts(imbalanced, rows);
  for (const auto& [label, n] : total) EXPECT_EQ(held.at(label), n - 1) << "class " << label;
}

TEST(StratifiedHoldout, FractionOfTheTrainingSet) {
  const std::vector<int32_t> labels = imbalanced_labels();
  const std::vector<int64_t> rows = stratified_holdout(labels, 0.1, 3);
  EXPECT_EQ(rows.size(), 20u);
  const std::map<int32_t, int> held = class_counts(labels, rows);
  EXPECT_EQ(held.at(0), 10);
  EXPECT_EQ(held.at(1), 5);
  EXPECT_EQ(held.at(2), 3);
}

TEST(StratifiedHoldout, DeterministicForASeed) {
  const std::vector<int32_t> labels = imbalanced_labels();
  EXPECT_EQ(stratified_holdout(labels, 40, 11), stratified_holdout(labels, 40, 11));
  EXPECT_NE(stratified_holdout(labels, 40, 11), stratified_holdout(labels, 40, 12));
}

TEST(StratifiedHoldout, GoldenRowsPinTheShuffle) {
  // The random module (pinned in tests/core/random_test.cpp) and the hand-written Fisher-Yates are fully
  // specified, so these rows are the same on every platform and compiler. Regenerate only on purpose.
  const std::vector<int32_t> labels = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
  EXPECT_EQ(stratified_holdout(labels, 4, 1), (std::vector<int64_t>{2, 8, 9, 11}));
  EXPECT_EQ(stratified_holdout(labels, 4, 3), (std::vector<int64_t>{3, 4, 6, 7}));
  EXPECT_NE(stratified_holdout(labels, 4, 1, featpipe::random::Stream::subset),
            stratified_holdout(labels, 4, 1));
}

TEST(StratifiedHoldout, ErrorsNameTheOption) {
  const std::vector<int32_t> labels = imbalanced_labels();
  std::string msg = input_error([&] { stratified_holdout(labels, 200, 0); });
  EXPECT_NE(msg.find("--val-size: asks for 200 validation images but the training set has only 200"),
            std::string::npos)
      << msg;
  msg = input_error([&] { stratified_holdout(labels, 0.001, 0); });
  EXPECT_NE(msg.find("--val-size: selects no images"), std::string::npos) << msg;
}

TEST(SelectSplit, TrainValAndTestViews) {
  const std::vector<int32_t> labels = imbalanced_labels();
  const LabelsOnly ds(labels, {4, 3, 2, 1, 0});
  SplitOptions options;
  options.val_size = 0.25;
  options.seed = 5;
  const auto train = select_split(ds, Split::train, options);
  const auto val = select_split(ds, Split::val, options);
  const auto test = select_split(ds, Split::test, options);
  EXPECT_EQ(train.source(), Source::train);
  EXPECT_EQ(val.source(), Source::train);
  EXPECT_EQ(test.source(), Source::test);
  EXPECT_EQ(val.size(), 50u);
  EXPECT_EQ(train.size(), 150u);
  EXPECT_EQ(val.rows(), stratified_holdout(labels, 0.25, 5));
  std::set<int64_t> seen;
  for (int64_t r : train.rows()) seen.insert(r);
  for (int64_t r : val.rows()) EXPECT_TRUE(seen.insert(r).second) << "row " << r << " in both train and val";
  EXPECT_EQ(seen.size(), labels.size());
  EXPECT_TRUE(std::is_sorted(train.rows().begin(), train.rows().end()));
  for (std::size_t i = 0; i < train.size(); ++i) {
    ASSERT_EQ(train.label(i), labels[train.source_index(i)]);
    ASSERT_EQ(train.image(i).at<uint8_t>(0, 0), train.source_index(i) % 256);
  }
  EXPECT_EQ(test.rows(), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(test.label(1), 3);
}

TEST(SelectSplit, WithoutValSizeTrainIsEverything) {
  const LabelsOnly ds(imbalanced_labels(), {0});
  const auto train = select_split(ds, Split::train, {});
  EXPECT_EQ(train.size(), 200u);
  const std::string msg = input_error([&] { select_split(ds, Split::val, {}); });
  EXPECT_NE(msg.find("--split val: needs a validation hold-out; add --val-size"), std::string::npos) << msg;
}

TEST(SelectSplit, ValSizeThatLeavesNoTrainingImages) {
  const LabelsOnly ds(imbalanced_labels(), {0});
  SplitOptions options;
  options.val_size = 5000;
  for (Split s : {Split::train, Split::val}) {
    const std::string msg = input_error([&] { select_split(ds, s, options); });
    EXPECT_NE(msg.find("--val-size: asks for 5000 validation images but the training set has only 200"),
              std::string::npos)
        << msg;
  }
}
