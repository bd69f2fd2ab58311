#include "featpipe/classify/checkpoint_io.h"

#include "featpipe/core/errors.h"
#include "featpipe/data/input_files.h"
#include "featpipe/data/store.h"
#include "history_io.h"

namespace featpipe::classify {
namespace {

constexpr const char* kCheckpointKind = "checkpoint";

void write_vector(data::StoreWriter& w, const std::string& name, const Eigen::VectorXf& v) {
  w.write(name, v.data(), {static_cast<uint64_t>(v.size())});
}

Eigen::VectorXf read_vector(const data::StoreReader& r, const std::string& name, Eigen::Index size) {
  const std::vector<float> v = r.read_floats(name);
  if (static_cast<Eigen::Index>(v.size()) != size) {
    throw InputError(r.path(), name + " holds " + std::to_string(v.size()) + " values where /params holds " +
                                   std::to_string(size));
  }
  return Eigen::Map<const Eigen::VectorXf>(v.data(), size);
}

}  // namespace

void save_checkpoint(const std::string& path, const TrainState& s, const nlohmann::json& run) {
  const TrainHistory& h = s.history;
  nlohmann::json state = {{"epochs_done", s.epochs_done},
                          {"iteration", s.iteration},
                          {"optimizer_vectors", s.optimizer.size()},
                          {"optimizer_steps", s.optimizer_steps},
                          {"best_val", s.best_val},
                          {"epochs_since_best", s.epochs_since_best},
                          {"first_objective", s.first_objective},
                          {"initial_loss", h.initial_loss},
                          {"expected_initial_loss", h.expected_initial_loss},
                          {"best_epoch", h.best_epoch}};
  data::StoreWriter w(path, kCheckpointKind, {{"run", run}, {"state", state}});
  write_vector(w, "/params", s.params);
  if (s.best_params.size() > 0) write_vector(w, "/best_params", s.best_params);
  for (std::size_t i = 0; i < s.optimizer.size(); ++i)
    write_vector(w, "/optimizer/" + std::to_string(i), s.optimizer[i]);
  write_history_series(w, h);
  w.commit();
}

CheckpointFile load_checkpoint(const std::string& path) {
  const data::StoreReader r(path);
  if (r.kind() != kCheckpointKind) {
    throw InputError(path, "is a '" + r.kind() + "' store, not a training checkpoint");
  }
  const nlohmann::json prov = r.provenance();
  if (!prov.contains("run") || !prov.contains("state") || !r.has("/params")) {
    throw InputError(path, "checkpoint lacks its run, state or /params");
  }
  CheckpointFile f;
  f.run = prov["run"];
  TrainState& s = f.state;
  try {
    const nlohmann::json& j = prov["state"];
    s.epochs_done = j.at("epochs_done").get<int>();
    s.iteration = j.at("iteration").get<int64_t>();
    s.optimizer_steps = j.at("optimizer_steps").get<int64_t>();
    s.best_val = j.at("best_val").get<double>();
    s.epochs_since_best = j.at("epochs_since_best").get<int>();
    s.first_objective = j.at("first_objective").get<double>();
    s.history.initial_loss = j.at("initial_loss").get<double>();
    s.history.expected_initial_loss = j.at("expected_initial_loss").get<double>();
    s.history.best_epoch = j.at("best_epoch").get<int>();
    const std::vector<float> params = r.read_floats("/params");
    s.params = Eigen::Map<const Eigen::VectorXf>(params.data(), static_cast<Eigen::Index>(params.size()));
    if (r.has("/best_params")) s.best_params = read_vector(r, "/best_params", s.params.size());
    const std::size_t vectors = j.at("optimizer_vectors").get<std::size_t>();
    for (std::size_t i = 0; i < vectors; ++i) {
      s.optimizer.push_back(read_vector(r, "/optimizer/" + std::to_string(i), s.params.size()));
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, std::string("checkpoint state is unreadable: ") + e.what());
  }
  read_history_series(r, s.history);
  if (s.epochs_done < 1 || s.iteration < 1 ||
      s.history.loss.size() != static_cast<std::size_t>(s.iteration) ||
      s.history.lr.size() != static_cast<std::size_t>(s.epochs_done)) {
    throw InputError(path, "checkpoint state is inconsistent: " + std::to_string(s.epochs_done) +
                               " epochs and " + std::to_string(s.iteration) + " iterations done, but " +
                               std::to_string(s.history.lr.size()) + " epochs and " +
                               std::to_string(s.history.loss.size()) + " iterations of history");
  }
  // Read whole: the run writes its next checkpoints over this one, by design (atomically, by rename).
  data::forget_input(path);
  return f;
}

}  // namespace featpipe::classify
