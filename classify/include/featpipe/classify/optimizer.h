#pragma once
// First-order optimisers. They see only the parameter vector and the gradient of the objective at it
// (liblinear / mlpack style): the trainer flattens W [D, C] and b [C] into one vector.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/core/matrix.h"
#include "featpipe/core/registry.h"

namespace featpipe::classify {

enum class OptimizerKind { sgd, momentum, nesterov, adagrad, rmsprop, adam, asgd };

struct OptimizerParams {
  OptimizerKind kind = OptimizerKind::sgd;
  double momentum = 0.9;     // mu of momentum and nesterov
  double decay = 0.99;       // rmsprop: decay of the squared-gradient average
  double beta1 = 0.9;        // adam: decay of the first moment
  double beta2 = 0.999;      // adam: decay of the second moment
  double eps = 1e-8;         // adagrad, rmsprop, adam: added to the denominator
  double average_start = 1;  // asgd: epochs of plain SGD before the iterates are averaged
  /// asgd: the same in updates; the trainer sets it from average_start and its updates per epoch.
  int64_t average_start_step = 0;
};

std::optional<std::string> validate(const OptimizerParams& p);

/// The optimiser names (sgd, momentum, nesterov, adagrad, rmsprop, adam, asgd) with their parameters.
const Registry<OptimizerKind>& optimizer_registry();

/// An optimizer_registry() name; std::invalid_argument listing the names otherwise.
OptimizerKind parse_optimizer(const std::string& name);
std::string to_string(OptimizerKind kind);
std::vector<OptimizerKind> all_optimizers();

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  /// One update of params with learning rate lr, given grad = dObjective/dparams at params: begin_step(),
  /// then update() of every element. Allocates nothing (state is sized at construction).
  void step(Eigen::Ref<Eigen::VectorXf> params, Eigen::Ref<const Eigen::VectorXf> grad, float lr) {
    begin_step();
    update(params.data(), grad.data(), lr, 0, params.size());
  }

  /// The same step in parts: begin_step() once, then update() of each element range [begin, end) exactly
  /// once, in any order, from several threads at once if need be. Every optimiser here is elementwise:
  /// an element moves by its own gradient and state alone. params and grad are whole vectors.
  virtual void begin_step() {}
  virtual void update(float* params, const float* grad, float lr, Eigen::Index begin, Eigen::Index end) = 0;

  /// What the optimiser carries from one step to the next (velocity, squared-gradient cache, moments; each
  /// of the parameter vector's length) and its step count, which is all a checkpoint needs to continue
  /// exactly. Empty / null when there is none (plain SGD, a stateless step count).
  virtual std::vector<Eigen::VectorXf*> state_vectors() { return {}; }
  /// The parameters the model takes, when they are not the iterate itself (asgd: the running mean of the
  /// iterates); nullptr otherwise.
  virtual const Eigen::VectorXf* averaged() const { return nullptr; }
  virtual int64_t* step_count() { return nullptr; }
};

/// Throws std::invalid_argument with validate()'s message. size: length of the parameter vector.
///   sgd       x -= lr g
///   momentum  v = mu v - lr g; x += v
///   nesterov  v' = mu v - lr g; x += -mu v + (1 + mu) v' (Sutskever et al. 2013, CS231n's form)
///   adagrad   c += g^2; x -= lr g / (sqrt(c) + eps)
///   rmsprop   c = decay c + (1 - decay) g^2; x -= lr g / (sqrt(c) + eps)
///   adam      m, v with bias correction (Kingma & Ba 2015); x -= lr m^ / (sqrt(v^) + eps)
///   asgd      x -= lr g; the model is the mean of x over the steps after average_start_step (Polyak &
///             Juditsky 1992, Bottou 2010)
std::unique_ptr<Optimizer> make_optimizer(const OptimizerParams& p, Eigen::Index size);

}  // namespace featpipe::classify
