#pragma once
// Private: a TrainHistory's series in a store, shared by models and checkpoints: /history/loss (per
// iteration), /history/train_acc, /history/val_acc and /history/lr (per epoch); empty series are not
// written (no val_acc without a validation set).
#include "featpipe/classify/trainer.h"
#include "featpipe/data/store.h"

namespace featpipe::classify {

inline void write_history_series(data::StoreWriter& w, const TrainHistory& h) {
  const auto write_series = [&](const std::string& name, const std::vector<float>& v) {
    if (!v.empty()) w.write(name, v.data(), {v.size()});
  };
  write_series("/history/loss", h.loss);
  write_series("/history/train_acc", h.train_acc);
  write_series("/history/val_acc", h.val_acc);
  write_series("/history/lr", h.lr);
}

inline std::vector<float> read_or_empty(const data::StoreReader& r, const std::string& name) {
  return r.has(name) ? r.read_floats(name) : std::vector<float>{};
}

inline void read_history_series(const data::StoreReader& r, TrainHistory& h) {
  h.loss = read_or_empty(r, "/history/loss");
  h.train_acc = read_or_empty(r, "/history/train_acc");
  h.val_acc = read_or_empty(r, "/history/val_acc");
  h.lr = read_or_empty(r, "/history/lr");
}

}  // namespace featpipe::classify
