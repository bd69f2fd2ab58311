#pragma once
// A trained linear model and its history as LinearClassifier keeps them: numpy arrays and a dict, so that a
// fitted estimator pickles, clones and compares as plain data. Converted to classify's types for each call
// (a copy of the weights, small beside the rows they score).
#include <pybind11/pybind11.h>

#include "featpipe/classify/linear_model.h"
#include "featpipe/classify/trainer.h"

namespace featpipe::python {

/// The model of W float32 [D, C], b [C], mean and std [D] (x' = (x - mean) / std, then x' W + b); ValueError
/// naming the array when the shapes disagree.
classify::LinearModel linear_model(const pybind11::handle& W, const pybind11::handle& b,
                                   const pybind11::handle& mean, const pybind11::handle& std);

/// {"W", "b", "mean", "std"}: new float32 arrays.
pybind11::dict model_dict(const classify::LinearModel& model);

/// {"loss" per iteration, "train_acc", "val_acc" (empty without validation rows) and "lr" per epoch: float32
/// arrays; "initial_loss", "expected_initial_loss": float; "best_epoch": int; "stopped_early": bool}.
pybind11::dict history_dict(const classify::TrainHistory& history);

/// The inverse of history_dict.
classify::TrainHistory train_history(const pybind11::dict& history);

}  // namespace featpipe::python
