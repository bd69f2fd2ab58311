// featpipe predict: class and scores for new image files, running the model's whole feature chain.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/console.h"
#include "featpipe/pipelines/evaluation.h"

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

  const ImageClassifier classifier(model_path);
  const classify::LinearModel& model = classifier.model();
  notify(Notice::info, "model " + model_path + ": " + classifier.describe());
  const RowMatrix<float> scores = classifier.scores(images);

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
