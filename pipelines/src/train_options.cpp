#include "train_options.h"

#include <cmath>
#include <cstdio>
#include <type_traits>

#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/pipelines/console.h"

namespace featpipe::pipelines {
namespace {

/// validate() messages start with the field name; the option is that name with '-' for '_'.
void check(const std::optional<std::string>& problem) {
  if (!problem) return;
  const std::size_t space = problem->find(' ');
  std::string option = "--" + problem->substr(0, space);
  for (char& c : option) c = c == '_' ? '-' : c;
  throw InputError(option, problem->substr(space + 1));
}

template <typename Kind>
Kind parse_name(Kind (*parse)(const std::string&), const std::string& name, const std::string& option) {
  try {
    return parse(name);
  } catch (const std::invalid_argument& e) {
    throw InputError(option, e.what());
  }
}

/// An option bound to *v with its current value as the default, doubles shown as %g (0.9, not
/// 0.90000000000000002).
template <typename T>
po::typed_value<T>* with_default(T* v) {
  if constexpr (std::is_floating_point_v<T>) {
    return po::value(v)->default_value(*v, format_number(static_cast<double>(*v)));
  } else {
    return po::value(v)->default_value(*v);
  }
}

}  // namespace

void add_train_options(po::options_description& options, TrainArgs& a, bool with_lr_lambda) {
  classify::TrainParams& p = a.params;
  auto add = options.add_options();
  add("loss", with_default(&a.loss), classify::loss_registry().joined_names(" | ").c_str());
  add("delta", with_default(&p.loss.delta), "svm / squared-hinge margin");
  add("reg", with_default(&a.reg),
      ("regulariser on W: " + classify::regularizer_registry().joined_names(" | ")).c_str());
  if (with_lr_lambda) {
    add("lambda", with_default(&p.reg.lambda), "regularisation strength");
    add("lr", with_default(&p.lr), "learning rate");
  }
  add("l1-ratio", with_default(&p.reg.l1_ratio), "elastic: share of L1");
  add("optimizer", with_default(&a.optimizer), classify::optimizer_registry().joined_names(" | ").c_str());
  add("momentum", with_default(&p.optimizer.momentum), "mu of momentum and nesterov");
  add("decay", with_default(&p.optimizer.decay), "rmsprop average decay");
  add("beta1", with_default(&p.optimizer.beta1), "adam first-moment decay");
  add("beta2", with_default(&p.optimizer.beta2), "adam second-moment decay");
  add("eps", with_default(&p.optimizer.eps), "adagrad / rmsprop / adam epsilon");
  add("average-start", with_default(&p.optimizer.average_start),
      "asgd: epochs of plain SGD before the iterates are averaged");
  add("schedule", with_default(&a.schedule), classify::schedule_registry().joined_names(" | ").c_str());
  add("step-epochs", with_default(&p.schedule.step_epochs), "step: epochs between decays");
  add("gamma", with_default(&p.schedule.gamma), "step: factor per decay; exp: factor per epoch");
  add("min-lr", with_default(&p.schedule.min_lr), "cosine: final rate");
  add("epochs", with_default(&p.epochs), "passes over the training set");
  add("iterations", with_default(&p.iterations), "> 0: stop after this many updates instead of --epochs");
  add("batch", with_default(&p.batch), "rows per minibatch");
  add("replacement", po::bool_switch(&p.with_replacement), "draw minibatch rows with replacement");
  add("dropout", with_default(&p.dropout), "input dropout probability");
  add("early-stop", with_default(&p.early_stop),
      "> 0: stop after this many epochs without a better val accuracy, keep the best");
  add("init-scale", with_default(&p.init_scale), "initial W ~ this * N(0, 1)");
  add("max-memory", po::value(&a.max_memory),
      "memory for feature rows (e.g. 512M, 2G; default: half the available memory); larger stores are "
      "streamed in chunks visited in a seeded random order, rows shuffled within each chunk");
}

uint64_t parse_bytes(const std::string& text, const std::string& option) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  double scale = 1;
  if (unit == "K" || unit == "k") {
    scale = 1024.0;
  } else if (unit == "M" || unit == "m") {
    scale = 1024.0 * 1024;
  } else if (unit == "G" || unit == "g") {
    scale = 1024.0 * 1024 * 1024;
  } else if (!unit.empty()) {
    used = 0;
  }
  if (used == 0 || !(value > 0) || !std::isfinite(value)) {
    throw InputError(option, "'" + text + "' is not a positive size such as 512M, 2G or a byte count");
  }
  return static_cast<uint64_t>(value * scale);
}

classify::TrainParams train_params(const TrainArgs& a, uint64_t seed) {
  classify::TrainParams p = a.params;
  p.loss.kind = parse_name(classify::parse_loss, a.loss, "--loss");
  p.reg.kind = parse_name(classify::parse_reg, a.reg, "--reg");
  p.optimizer.kind = parse_name(classify::parse_optimizer, a.optimizer, "--optimizer");
  p.schedule.kind = parse_name(classify::parse_schedule, a.schedule, "--schedule");
  if (!a.max_memory.empty()) p.max_memory = parse_bytes(a.max_memory, "--max-memory");
  p.seed = seed;
  check(classify::validate(p.loss));
  check(classify::validate(p.reg));
  check(classify::validate(p.optimizer));
  check(classify::validate(p.schedule));
  if (auto problem = classify::validate(p)) check(problem);
  return p;
}

FeatureSignature signature(const std::string& path, const nlohmann::json& provenance, uint64_t dim,
                           const std::vector<std::string>& class_names) {
  FeatureSignature s{path, "", dim, class_names};
  if (provenance.contains("features") && provenance["features"].is_string())
    s.features = provenance["features"];
  return s;
}

void check_same_features(const FeatureSignature& reference, const FeatureSignature& other) {
  if (!reference.features.empty() && !other.features.empty() && reference.features != other.features) {
    throw InputError(other.path, "holds features '" + other.features + "' but " + reference.path + " has '" +
                                     reference.features + "'; use stores extracted with the same --features");
  }
  if (reference.dim != other.dim) {
    throw InputError(other.path, "has " + std::to_string(other.dim) + " features per row but " +
                                     reference.path + " has " + std::to_string(reference.dim));
  }
  check_same_classes(reference, other);
}

void check_same_classes(const FeatureSignature& reference, const FeatureSignature& other) {
  if (reference.class_names != other.class_names) {
    throw InputError(other.path, "has " + std::to_string(other.class_names.size()) + " classes (" +
                                     (other.class_names.empty() ? "" : other.class_names.front() + ", ...") +
                                     ") that differ from those of " + reference.path);
  }
}

std::vector<int32_t> predict_store(const classify::LinearModel& model, const classify::RowSource& store,
                                   const std::string& path) {
  return blame(path, [&] { return classify::predict(model, store); });
}

std::vector<std::pair<std::string, std::string>> option_paths(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& options) {
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const auto& [option, paths] : options) {
    for (const std::string& path : paths) inputs.emplace_back(option, path);
  }
  return inputs;
}

std::string join_paths(const std::vector<std::string>& paths) {
  std::string joined;
  for (const std::string& path : paths) joined += (joined.empty() ? "" : ",") + path;
  return joined;
}

std::vector<std::string> split_paths(const std::string& list) {
  std::vector<std::string> paths;
  std::size_t begin = 0;
  for (std::size_t comma; (comma = list.find(',', begin)) != std::string::npos; begin = comma + 1)
    paths.push_back(list.substr(begin, comma - begin));
  paths.push_back(list.substr(begin));
  return paths;
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) notify(Notice::warning, w);
}

}  // namespace featpipe::pipelines
