#include "featpipe/classify/trainer.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "batch_gradient.h"
#include "byte_rows.h"
#include "chunked_rows.h"
#include "featpipe/core/digest.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/memory.h"
#include "featpipe/core/random.h"
#include "linear_scores.h"
#include "narrow_kernels.h"

namespace featpipe::classify::FEATPIPE_ISA {
namespace {

using Clock = std::chrono::steady_clock;

/// The objective starts near its value at W = 0 and is convex: one that has grown this many times over
/// has diverged, even while still finite (adaptive optimisers move weights by about lr per step).
constexpr double kDivergenceFactor = 1e4;

std::string set_name(const LabelledRows& rows, const std::string& what) {
  return rows.name.empty() ? what : what + " " + rows.name;
}

void check_inputs(const LabelledRows& rows, const std::string& set, int classes) {
  const std::string what = set_name(rows, set);
  if (rows.features == nullptr || rows.features->rows() == 0) throw std::invalid_argument(what + ": no rows");
  if (rows.labels.size() != rows.features->rows()) {
    throw std::invalid_argument(what + ": " + std::to_string(rows.features->rows()) + " rows but " +
                                std::to_string(rows.labels.size()) + " labels");
  }
  for (std::size_t i = 0; i < rows.labels.size(); ++i) {
    if (rows.labels[i] < 0 || rows.labels[i] >= classes) {
      throw std::invalid_argument(what + ": label " + std::to_string(rows.labels[i]) + " at row " +
                                  std::to_string(i) + " is outside [0, " + std::to_string(classes) + ")");
    }
  }
}

/// The bytes of rows training may hold: max_memory, or when 0 half the available memory for sources on
/// disk; 0 means no limit (sources in memory, or the available memory unknown).
uint64_t memory_budget(const TrainParams& p, const RowSource& train) {
  return p.max_memory > 0 ? p.max_memory : train.data() ? 0 : available_memory() / 2;
}

/// Rows per chunk so that one chunk of train and one of val fit in budget (memory_budget).
uint64_t chunk_rows(const TrainParams& p, uint64_t budget, const RowSource& train, uint64_t val_rows) {
  const uint64_t train_rows = train.rows(), row_bytes = train.dim() * sizeof(float);
  if (budget == 0 || (train_rows + val_rows) * row_bytes <= budget) {
    return std::max(train_rows, val_rows);
  }
  const uint64_t rows = budget / (2 * row_bytes);
  if (rows < static_cast<uint64_t>(p.batch)) {
    throw std::invalid_argument("max_memory " + std::to_string(budget) + " bytes holds fewer than two " +
                                "minibatches of " + std::to_string(p.batch) + " rows of " +
                                std::to_string(train.dim()) + " floats");
  }
  return rows;
}

/// What to change after a divergence: the learning rate, unless the first step shows another cause. A huge
/// loss of near-zero weights comes from the margin (--delta); a first loss far above that, from the start
/// (--init-scale); a penalty that already outweighed the data loss at the start, from --lambda (later,
/// weights blown up by the rate make the penalty grow too: that is still the rate). Lowering --lr fixes none
/// of these.
std::string divergence_advice(const TrainParams& p, const TrainHistory& h, double first_penalty, double lr) {
  std::ostringstream advice;
  const double expected = h.expected_initial_loss;
  if (!(std::abs(expected) <= 1e6)) {
    advice << "near-zero weights already give a loss of " << expected << "; lower --delta (" << p.loss.delta
           << ")";
  } else if (!(std::abs(h.initial_loss) <= 1e3 * std::max(1.0, std::abs(expected)))) {
    advice << "the first loss was already " << h.initial_loss << " (near-zero weights give " << expected
           << "); lower --init-scale (" << p.init_scale << ")";
  } else if (!(first_penalty <= h.initial_loss) && !(first_penalty < 1)) {  // NaN counts as outweighing
    advice << "the penalty at the start (" << first_penalty << ") outweighed the data loss ("
           << h.initial_loss << "); lower --lambda (" << p.reg.lambda << ")";
  } else {
    advice << "lower --lr (" << lr << "), e.g. by 10x";
  }
  return advice.str();
}

[[noreturn]] void diverged(int epoch, int64_t iteration, const std::string& what, const std::string& advice) {
  std::ostringstream msg;
  msg << "training diverged at epoch " << epoch << ", iteration " << iteration << ": " << what << "; "
      << advice;
  throw RunError(msg.str());
}

/// RunError unless every rank of job starts the same run, whose digest each gives: a rank given other rows,
/// options or checkpoint would sum its blocks into another model, or make other collective calls than the
/// rest and leave them waiting.
void check_same_start(const Collective& job, uint64_t digest) {
  const std::vector<uint64_t> all = all_gather<uint64_t>(job, std::span<const uint64_t>(&digest, 1));
  for (std::size_t r = 1; r < all.size(); ++r) {
    if (all[r] != all[0]) {
      throw RunError("train: rank " + std::to_string(r) + " of " + std::to_string(all.size()) +
                     " starts another run than rank 0 (other rows, options, checkpoint or CPU level); " +
                     "every rank must be given the same");
    }
  }
}

template <typename T>
void digest_values(Fnv1a64& digest, std::span<const T> values) {
  digest.update(values.data(), values.size_bytes());
}

/// Fraction of rows of val whose prediction is their label; rows_of(val, c) gives chunk c as the model
/// sees it.
template <typename RowsOf>
double validation_accuracy(ChunkedRows& val, Labels labels, const RowsOf& rows_of, const RowMatrix<float>& W,
                           const RowVector<float>& b, std::vector<int32_t>& predicted) {
  int64_t correct = 0;
  for (uint64_t c = 0; c < val.chunks(); ++c) {
    predict_rows(rows_of(val, c), W, b, predicted.data());
    for (uint64_t i = 0; i < val.count(c); ++i) correct += predicted[i] == labels[val.begin(c) + i];
  }
  return static_cast<double>(correct) / static_cast<double>(labels.size());
}

}  // namespace

TrainResult train(const TrainParams& p, const LabelledRows& train, const LabelledRows* val, int classes,
                  const TrainObserver& observer, const TrainState* resume, const Collective& job) {
  if (auto e = validate(p)) throw std::invalid_argument("train: " + *e);
  if (classes < 2)
    throw std::invalid_argument("train: need at least 2 classes, got " + std::to_string(classes));
  check_inputs(train, "training set", classes);
  const int64_t dim = static_cast<int64_t>(train.features->dim());
  if (val) {
    check_inputs(*val, "validation set", classes);
    if (val->features->dim() != train.features->dim()) {
      throw std::invalid_argument("validation set has " + std::to_string(val->features->dim()) +
                                  " dimensions, training set " + std::to_string(dim));
    }
  }
  if (p.early_stop > 0 && !val) throw std::invalid_argument("train: early stopping needs a validation set");

  const uint64_t n = train.features->rows();
  const uint64_t budget = memory_budget(p, *train.features), row_values = train.features->dim();
  const uint64_t chunk = chunk_rows(p, budget, *train.features, val ? val->features->rows() : 0);
  // Training rows of 8-bit codes (raw pixels) are held as bytes when the bytes, beside a chunk of val,
  // fit the memory budget whole (a quarter of what the floats need); the float rows are then never loaded
  // and the training rows are one chunk.
  std::optional<ByteRows> bytes;
  const uint64_t val_chunk_bytes =
      val ? std::min(chunk, val->features->rows()) * row_values * sizeof(float) : 0;
  if (p.byte_rows && p.dropout == 0 && narrow_layout(classes) &&
      (budget == 0 || n * row_values + val_chunk_bytes <= budget)) {
    bytes = read_byte_rows(*train.features);
  }
  ChunkedRows train_rows(*train.features, bytes ? n : chunk);
  const auto fit = [&] {
    try {
      return train_rows.chunks() == 1
                 ? fit_standardizer(MatrixSource(train_rows.raw(0).data(), n, static_cast<uint64_t>(dim)))
                 : fit_standardizer(*train.features);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(set_name(train, "training set") + ": " + e.what());
    }
  };
  const Standardizer standardizer = !p.standardize ? identity_standardizer(dim)
                                    : bytes        ? byte_standardizer(*bytes)
                                                   : fit();
  std::optional<ByteAffine> affine;
  if (bytes) affine = byte_affine(*bytes, standardizer);
  // the rows of chunk c as the model sees them
  const auto model_rows = [&](ChunkedRows& rows, uint64_t c) {
    return p.standardize ? rows.standardised(c, standardizer) : rows.raw(c);
  };
  std::optional<ChunkedRows> val_rows;
  std::vector<int32_t> val_predicted;
  if (val) {
    val_rows.emplace(*val->features, chunk, set_name(*val, "validation set"));
    val_predicted.resize(std::min<uint64_t>(chunk, val->features->rows()));
  }

  // A minibatch never spans chunks: its buffers are sized by the largest chunk when that is smaller than
  // --batch (a batch of millions on 200 rows took 750 MiB of empty blocks).
  TrainParams sized = p;
  uint64_t largest_chunk = 1;
  for (uint64_t c = 0; c < train_rows.chunks(); ++c)
    largest_chunk = std::max(largest_chunk, train_rows.count(c));
  sized.batch = static_cast<int>(std::min<uint64_t>(static_cast<uint64_t>(p.batch), largest_chunk));
  BatchGradient batch_gradient(sized, dim, classes, omp_get_max_threads(), job);
  RowMatrix<float> W(dim, classes);
  RowVector<float> b = RowVector<float>::Zero(classes);
  {
    random::Generator init(p.seed, random::Stream::weight_init);
    for (Eigen::Index i = 0; i < W.size(); ++i)
      W.data()[i] = static_cast<float>(p.init_scale * init.normal());
  }
  Eigen::VectorXf params, grad(batch_gradient.param_size());
  batch_gradient.pack(W, b, params);
  int64_t batches_per_epoch = 0;
  for (uint64_t c = 0; c < train_rows.chunks(); ++c) {
    batches_per_epoch += (train_rows.count(c) + p.batch - 1) / p.batch;
  }
  OptimizerParams optimizer_params = p.optimizer;
  optimizer_params.average_start_step =
      static_cast<int64_t>(std::llround(p.optimizer.average_start * static_cast<double>(batches_per_epoch)));
  std::unique_ptr<Optimizer> optimizer = make_optimizer(optimizer_params, params.size());
  // The parameters the model takes: the iterate, or the optimiser's average of the iterates (asgd).
  const auto model_params = [&]() -> const Eigen::VectorXf& {
    const Eigen::VectorXf* averaged = optimizer->averaged();
    return averaged != nullptr ? *averaged : params;
  };
  const int epochs = p.iterations > 0
                         ? static_cast<int>((p.iterations + batches_per_epoch - 1) / batches_per_epoch)
                         : p.epochs;
  const int64_t max_iterations = p.iterations > 0 ? p.iterations : epochs * batches_per_epoch;

  TrainResult result;
  TrainHistory& h = result.history;
  h.expected_initial_loss = expected_initial_loss(p.loss, classes);
  Eigen::VectorXf best_params;
  double best_val = -1, first_objective = 0;
  double first_penalty = 0;  // of the first step, for the advice after a divergence (0 on a resumed run)
  int epochs_since_best = 0, first_epoch = 0;
  int64_t iteration = 0;
  if (resume) {
    params = batch_gradient.from_portable(resume->params);
    const std::vector<Eigen::VectorXf*> state = optimizer->state_vectors();
    if (resume->optimizer.size() != state.size()) {
      throw std::invalid_argument("checkpoint holds " + std::to_string(resume->optimizer.size()) +
                                  " optimizer vectors; " + to_string(p.optimizer.kind) + " keeps " +
                                  std::to_string(state.size()));
    }
    for (std::size_t i = 0; i < state.size(); ++i)
      *state[i] = batch_gradient.from_portable(resume->optimizer[i]);
    if (int64_t* steps = optimizer->step_count()) *steps = resume->optimizer_steps;
    h = resume->history;
    if (resume->best_params.size() > 0) best_params = batch_gradient.from_portable(resume->best_params);
    best_val = resume->best_val;
    epochs_since_best = resume->epochs_since_best;
    first_objective = resume->first_objective;
    first_epoch = resume->epochs_done;
    iteration = resume->iteration;
  }
  h.loss.reserve(max_iterations);
  const auto checkpoint = [&](int epochs_done) {
    TrainState s;
    s.epochs_done = epochs_done;
    s.iteration = iteration;
    s.params = batch_gradient.to_portable(params);
    for (const Eigen::VectorXf* v : optimizer->state_vectors())
      s.optimizer.push_back(batch_gradient.to_portable(*v));
    if (const int64_t* steps = optimizer->step_count()) s.optimizer_steps = *steps;
    s.history = h;
    if (best_params.size() > 0) s.best_params = batch_gradient.to_portable(best_params);
    s.best_val = best_val;
    s.epochs_since_best = epochs_since_best;
    s.first_objective = first_objective;
    observer.checkpoint(s);
  };
  if (job.size() > 1) {
    Fnv1a64 start;  // what the run starts from: weights (or checkpoint) in their layout, data, schedule
    digest_values<float>(start, {params.data(), static_cast<std::size_t>(params.size())});
    digest_values<int32_t>(start, train.labels);
    digest_values<float>(start, standardizer.mean);
    digest_values<float>(start, standardizer.std);
    for (const double value : {p.lr, p.reg.lambda, p.dropout}) start.update(&value, sizeof value);
    for (const int64_t value :
         {int64_t(n), dim, int64_t(classes), int64_t(p.batch), int64_t(epochs), max_iterations, iteration,
          int64_t(first_epoch), int64_t(train_rows.chunks()), int64_t(bytes.has_value()),
          int64_t(p.loss.kind), int64_t(p.reg.kind), int64_t(p.optimizer.kind)})
      start.update_u64(static_cast<uint64_t>(value));
    check_same_start(job, start.value());
  }
  std::vector<uint64_t> chunk_order(train_rows.chunks());
  std::vector<int64_t> order(std::min<uint64_t>(chunk, n));

  for (int epoch = first_epoch; epoch < epochs && iteration < max_iterations; ++epoch) {
    const Clock::time_point start = Clock::now();
    const double lr = learning_rate(p.schedule, p.lr, epoch, epochs);
    for (uint64_t c = 0; c < chunk_order.size(); ++c) chunk_order[c] = c;
    // each epoch's order comes from its own item, so a run resumed at an epoch needs no generator state
    random::Generator order_of_epoch(p.seed, random::Stream::minibatch_order, static_cast<uint64_t>(epoch));
    random::shuffle(chunk_order, order_of_epoch);
    double loss_sum = 0;
    int64_t correct = 0, seen = 0, epoch_batches = 0;
    for (uint64_t c : chunk_order) {
      if (iteration >= max_iterations) break;
      std::optional<ConstMatrixView<float>> rows;
      if (!bytes) rows.emplace(model_rows(train_rows, c));
      const Labels labels = train.labels.subspan(train_rows.begin(c), train_rows.count(c));
      const int64_t count = static_cast<int64_t>(train_rows.count(c));
      order.resize(count);
      if (p.with_replacement) {
        for (int64_t& i : order) i = static_cast<int64_t>(order_of_epoch.below(static_cast<uint64_t>(count)));
      } else {
        for (int64_t i = 0; i < count; ++i) order[i] = i;
        random::shuffle(order, order_of_epoch);
      }
      for (int64_t begin = 0; begin < count && iteration < max_iterations; begin += p.batch) {
        const std::span<const int64_t> batch(order.data() + begin, std::min<int64_t>(p.batch, count - begin));
        const BatchGradient::Result r =
            bytes ? batch_gradient.compute(*bytes, *affine, labels, batch, params, grad)
                  : batch_gradient.compute(*rows, labels, batch, params, uint64_t(iteration) << 20, grad);
        const double objective = r.data_loss + r.penalty;
        if (iteration == 0) {
          h.initial_loss = r.data_loss;
          first_penalty = r.penalty;
          first_objective = std::max(objective, h.expected_initial_loss);
          if (observer.initial_loss) observer.initial_loss(r.data_loss, h.expected_initial_loss);
        }
        ++iteration;
        if (!std::isfinite(objective))
          diverged(epoch + 1, iteration, "the loss is " + std::to_string(objective),
                   divergence_advice(p, h, first_penalty, lr));
        if (objective > kDivergenceFactor * first_objective) {
          std::ostringstream what;
          what << "the loss grew from " << first_objective << " to " << objective;
          diverged(epoch + 1, iteration, what.str(), divergence_advice(p, h, first_penalty, lr));
        }
        if (!batch_gradient.update(*optimizer, params, grad, static_cast<float>(lr)))
          diverged(epoch + 1, iteration, "the weights are no longer finite",
                   divergence_advice(p, h, first_penalty, lr));
        h.loss.push_back(static_cast<float>(objective));
        loss_sum += objective;
        correct += r.correct;
        seen += static_cast<int64_t>(batch.size());
        ++epoch_batches;
        if (observer.progress) observer.progress(batch.size());
      }
    }

    EpochStats stats;
    stats.epoch = epoch + 1;
    stats.iteration = iteration;
    stats.loss = loss_sum / static_cast<double>(epoch_batches);
    stats.train_acc = static_cast<double>(correct) / static_cast<double>(seen);
    stats.lr = lr;
    h.train_acc.push_back(static_cast<float>(stats.train_acc));
    h.lr.push_back(static_cast<float>(lr));
    h.best_epoch = epoch + 1;
    bool stop = false;
    if (val) {
      batch_gradient.unpack(model_params(), W, b);
      stats.val_acc = validation_accuracy(*val_rows, val->labels, model_rows, W, b, val_predicted);
      h.val_acc.push_back(static_cast<float>(stats.val_acc));
      if (p.early_stop > 0) {
        if (stats.val_acc > best_val) {
          best_val = stats.val_acc;
          best_params = model_params();
          epochs_since_best = 0;
        } else {
          stop = ++epochs_since_best >= p.early_stop;
        }
      }
    }
    stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (observer.epoch_end) observer.epoch_end(stats);
    if (stop) {
      h.stopped_early = true;
      break;
    }
    if (observer.checkpoint && observer.checkpoint_every > 0 &&
        (epoch + 1) % observer.checkpoint_every == 0 && epoch + 1 < epochs && iteration < max_iterations) {
      checkpoint(epoch + 1);
    }
  }
  if (p.early_stop > 0) {
    params = best_params;
  } else if (optimizer->averaged() != nullptr) {
    params = *optimizer->averaged();
  }
  if (p.early_stop > 0) {
    h.best_epoch =
        static_cast<int>(std::max_element(h.val_acc.begin(), h.val_acc.end()) - h.val_acc.begin()) + 1;
  }

  if (bytes) result.byte_divisor = bytes->divisor;
  LinearModel& m = result.model;
  batch_gradient.unpack(params, m.W, m.b);
  m.preprocess = standardizer;
  return result;
}

}  // namespace featpipe::classify::FEATPIPE_ISA
