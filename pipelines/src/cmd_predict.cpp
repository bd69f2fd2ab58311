// featpipe predict: class and scores for new image files, running the model's whole feature chain.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "commands.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/feature_chain.h"

namespace featpipe::pipelines {

int run_predict(const std::vector<std::string>& args) {
  po::options_description options("predict options");
  std::string model_path;
  std::vector<std::string> images;
  int top = 3;
  options.add_options()                                                                   //
      ("model", po::value<std::string>(&model_path), "model store written by train")      //
      ("image", po::value<std::vector<std::string>>(&images), "image files to classify")  //
      ("top", po::value<int>(&top)->default_value(top), "classes listed per image, best first");
  po::positional_options_description positional;
  positional.add("image", -1);
  CommonOptions common;
  auto vm = parse_command_line("predict", "--model M.h5 IMAGE...", args, options, positional, common);
  if (!vm) return 0;
  require(*vm, "model");
  if (images.empty()) throw InputError("IMAGE", "give at least one image file to classify");
  if (top < 1) throw InputError("--top", "must be at least 1");

  const classify::ModelFile file = classify::load_model(model_path);
  const classify::LinearModel& model = file.model;
  const nlohmann::json train = file.provenance.value("train", nlohmann::json::object());
  const auto chain = make_feature_chain(train.value("provenance", nlohmann::json::object()), model_path);
  if (chain->dim() != model.dim()) {
    throw InputError(model_path, "its feature chain gives " + std::to_string(chain->dim()) +
                                     " values but the model expects " + std::to_string(model.dim()));
  }
  log_line(common, "model " + model_path + ": " + chain->describe());

  // Decode and featurize every image first, so a bad file fails before anything is printed.
  RowMatrix<float> rows(static_cast<Eigen::Index>(images.size()), static_cast<Eigen::Index>(model.dim()));
  for (std::size_t i = 0; i < images.size(); ++i)
    chain->featurize_file(images[i], rows.row(Eigen::Index(i)).data());
  const RowMatrix<float> scores = classify::predict_scores(model, rows);

  const int classes = model.classes();
  const int shown = std::min(top, classes);
  for (std::size_t i = 0; i < images.size(); ++i) {
    std::vector<int> order(classes);
    std::iota(order.begin(), order.end(), 0);
    const auto s = scores.row(Eigen::Index(i));
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return s(a) > s(b); });
    std::printf("%s\t%s", images[i].c_str(), model.class_names[order[0]].c_str());
    for (int k = 0; k < shown; ++k) {
      std::printf("\t%s=%.4f", model.class_names[order[k]].c_str(), static_cast<double>(s(order[k])));
    }
    std::printf("\n");
  }
  return 0;
}

}  // namespace featpipe::pipelines
