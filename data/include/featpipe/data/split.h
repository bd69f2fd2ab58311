#pragma once
// Splits are views of rows of a dataset's source sets. `val` is a stratified, seeded hold-out carved
// from the source training set; `train` is then the rest, so the two never overlap.
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "featpipe/core/random.h"
#include "featpipe/data/dataset.h"

namespace featpipe::data {

enum class Split { train, val, test };

/// "train" | "val" | "test"; InputError naming the option otherwise.
Split parse_split(const std::string& name);
std::string to_string(Split s);

struct SplitOptions {
  double val_size = 0;  // 0: no val split. >= 1: a count of images; in (0, 1): a fraction of train
  uint64_t seed = 0;    // the hold-out is a function of (labels, val_size, seed) only
};

/// Parses `--val-size`: "5000" or "0.1". InputError on negative, non-numeric or >= the train size.
double parse_val_size(const std::string& text);

/// Rows of one split, in ascending source order.
class SplitView {
 public:
  SplitView(const Dataset& dataset, Source source, std::vector<int64_t> rows)
      : dataset_(&dataset), source_(source), rows_(std::move(rows)) {}

  std::size_t size() const { return rows_.size(); }
  cv::Mat image(std::size_t i) const { return dataset_->image(source_, rows_[i]); }
  int label(std::size_t i) const { return dataset_->label(source_, rows_[i]); }
  /// The row in the source set (stored as /index).
  int64_t source_index(std::size_t i) const { return rows_[i]; }
  const std::vector<int64_t>& rows() const { return rows_; }
  Source source() const { return source_; }
  const Dataset& dataset() const { return *dataset_; }

 private:
  const Dataset* dataset_;
  Source source_;
  std::vector<int64_t> rows_;
};

/// "<dataset spec> image <source row> of <train|test>", the subject of an error about image i of a view.
std::string describe_image(const SplitView& view, std::size_t i);

/// The stratified hold-out: per class, round(val * n_c / n) images (largest remainders make the total
/// exact), chosen by a seeded shuffle, but never a class's last image: the training split keeps every
/// class, so a class of one image gives none and the hold-out is that much smaller. Returns sorted
/// source-train rows. The choice draws from `stream` of the seed: Stream::holdout for the validation split,
/// Stream::subset for --subset, so the two never share their numbers.
std::vector<int64_t> stratified_holdout(const std::vector<int32_t>& labels, double val_size, uint64_t seed,
                                        random::Stream stream = random::Stream::holdout);

/// Throws InputError when val is asked for without options.val_size > 0, or val_size leaves train empty.
SplitView select_split(const Dataset& dataset, Split split, const SplitOptions& options);

}  // namespace featpipe::data
