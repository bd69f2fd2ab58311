#include "featpipe/pipelines/model_provenance.h"

#include "featpipe/pipelines/chain_digest.h"

namespace featpipe::pipelines {

nlohmann::json params_json(const classify::TrainParams& p) {
  return {{"loss", classify::to_string(p.loss.kind)},
          {"delta", p.loss.delta},
          {"reg", classify::to_string(p.reg.kind)},
          {"lambda", p.reg.lambda},
          {"l1_ratio", p.reg.l1_ratio},
          {"optimizer", classify::to_string(p.optimizer.kind)},
          {"momentum", p.optimizer.momentum},
          {"decay", p.optimizer.decay},
          {"beta1", p.optimizer.beta1},
          {"beta2", p.optimizer.beta2},
          {"eps", p.optimizer.eps},
          {"average_start", p.optimizer.average_start},
          {"lr", p.lr},
          {"schedule", classify::to_string(p.schedule.kind)},
          {"step_epochs", p.schedule.step_epochs},
          {"gamma", p.schedule.gamma},
          {"min_lr", p.schedule.min_lr},
          {"epochs", p.epochs},
          {"iterations", p.iterations},
          {"batch", p.batch},
          {"replacement", p.with_replacement},
          {"dropout", p.dropout},
          {"early_stop", p.early_stop},
          {"init_scale", p.init_scale},
          {"max_memory", p.max_memory},
          {"seed", p.seed}};
}

nlohmann::json model_provenance(const std::string& command, const std::string& train_path,
                                const nlohmann::json& train_provenance, const std::string& val_path,
                                const nlohmann::json& val_provenance, const classify::TrainParams& p,
                                const classify::TrainHistory& history) {
  nlohmann::json prov = {{"command", command}, {"params", params_json(p)}, {"seed", p.seed}};
  for (const char* key : {"dataset", "features", "dim", "image_size", "resize"}) {
    if (train_provenance.contains(key)) prov[key] = train_provenance[key];
  }
  if (!train_path.empty()) {
    prov["train"] = {{"path", train_path}, {"provenance", train_provenance}};
    prov["chain"] = record_chain_digests(train_provenance);
  }
  if (!val_path.empty()) prov["val"] = {{"path", val_path}, {"provenance", val_provenance}};
  prov["result"] = {{"initial_loss", history.initial_loss},
                    {"expected_initial_loss", history.expected_initial_loss},
                    {"epochs_run", history.lr.size()},
                    {"best_epoch", history.best_epoch},
                    {"stopped_early", history.stopped_early},
                    {"train_acc", history.train_acc.empty() ? 0.0 : history.train_acc.back()}};
  if (!history.val_acc.empty()) prov["result"]["val_acc"] = history.val_acc[history.best_epoch - 1];
  return prov;
}

std::vector<TrainingStore> training_stores(const nlohmann::json& p) {
  const nlohmann::json train = p.is_object() ? p.value("train", nlohmann::json::object()) : nlohmann::json();
  if (!train.is_object() || !train.contains("provenance")) return {};
  std::vector<TrainingStore> stores;
  if (train.contains("stores") && train["stores"].is_array()) {
    for (const nlohmann::json& s : train["stores"]) {
      stores.push_back({s.value("path", std::string()), s.value("provenance", nlohmann::json::object()),
                        s.value("dim", uint64_t{0}), s.value("chain", nlohmann::json())});
    }
    return stores;
  }
  const nlohmann::json dim = p.value("dim", nlohmann::json());
  stores.push_back({train.value("path", std::string()), train["provenance"],
                    dim.is_number_unsigned() ? dim.get<uint64_t>() : 0, p.value("chain", nlohmann::json())});
  return stores;
}

std::string model_features(const nlohmann::json& p) {
  std::string features;
  for (const TrainingStore& s : training_stores(p)) {
    const std::string spec =
        s.provenance.is_object() ? s.provenance.value("features", std::string("?")) : std::string("?");
    features += (features.empty() ? "" : " + ") + spec;
  }
  return features.empty() ? "?" : features;
}

}  // namespace featpipe::pipelines
