#include "sweep_exchange.h"

#include "featpipe/core/packed_bytes.h"

namespace featpipe::pipelines {

std::vector<SweepRun> gather_runs(const Collective& job, std::span<const SweepRun> mine) {
  PackedWriter out;
  out.put<uint64_t>(mine.size());
  for (const SweepRun& r : mine) {
    out.put(r.lr);
    out.put(r.lambda);
    out.put(r.trained);
    out.put(r.val_acc);
    out.put(r.train_acc);
    out.put(r.loss);
    out.put_string(r.error);
    out.put_string(r.diverged);
    out.put(r.seconds);
  }
  const std::vector<std::byte> all = job.all_gather(out.bytes());
  // each rank's part starts with its count of runs
  PackedReader in(all);
  std::vector<SweepRun> runs;
  for (int rank = 0; rank < job.size(); ++rank) {
    for (uint64_t i = in.get<uint64_t>(); i > 0; --i) {
      SweepRun& r = runs.emplace_back();
      r.lr = in.get<double>();
      r.lambda = in.get<double>();
      r.trained = in.get<bool>();
      r.val_acc = in.get<double>();
      r.train_acc = in.get<float>();
      r.loss = in.get<float>();
      r.error = in.get_string();
      r.diverged = in.get_string();
      r.seconds = in.get<double>();
    }
  }
  return runs;
}

void broadcast_result(const Collective& job, classify::TrainResult& result, int root) {
  if (job.size() == 1) return;
  PackedWriter out;
  if (job.rank() == root) {
    const classify::LinearModel& m = result.model;
    const classify::TrainHistory& h = result.history;
    out.put<int64_t>(m.W.rows());
    out.put_array<float>({m.W.data(), static_cast<std::size_t>(m.W.size())});
    out.put_array<float>({m.b.data(), static_cast<std::size_t>(m.b.size())});
    for (const std::vector<float>* series : {&h.loss, &h.train_acc, &h.val_acc, &h.lr})
      out.put_array<float>(*series);
    out.put(h.initial_loss);
    out.put(h.expected_initial_loss);
    out.put(h.best_epoch);
    out.put(h.stopped_early);
    out.put(result.byte_divisor);
  }
  std::vector<std::byte> bytes = out.bytes();
  job.broadcast(bytes, root);
  if (job.rank() == root) return;
  PackedReader in(bytes);
  classify::TrainResult r;
  const int64_t dim = in.get<int64_t>();
  const std::vector<float> W = in.get_array<float>(), b = in.get_array<float>();
  const int64_t classes = static_cast<int64_t>(b.size());
  r.model.W = Eigen::Map<const RowMatrix<float>>(W.data(), dim, classes);
  r.model.b = Eigen::Map<const RowVector<float>>(b.data(), classes);
  for (std::vector<float>* series :
       {&r.history.loss, &r.history.train_acc, &r.history.val_acc, &r.history.lr})
    *series = in.get_array<float>();
  r.history.initial_loss = in.get<double>();
  r.history.expected_initial_loss = in.get<double>();
  r.history.best_epoch = in.get<int>();
  r.history.stopped_early = in.get<bool>();
  r.byte_divisor = in.get<float>();
  result = std::move(r);
}

}  // namespace featpipe::pipelines
