// featpipe predict: the best classes of new image files (probabilities for a softmax model, scores for
// the others), running the model's whole feature chain. Files that cannot be read are reported and
// skipped; the rest are still predicted, and the exit status (2) tells that some were skipped.
#include <cstdio>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/console.h"
#include "featpipe/pipelines/evaluation.h"
#include "featpipe/pipelines/image_inputs.h"

namespace featpipe::pipelines {

int run_predict(const std::vector<std::string>& args) {
  po::options_description options("predict options");
  std::string model_path, format = "tsv";
  std::vector<std::string> inputs;
  int top = 3;
  bool recursive = false;
  options.add_options()                                                                           //
      ("model", po::value<std::string>(&model_path), "model store written by train")              //
      ("image", po::value<std::vector<std::string>>(&inputs), "image files, or folders of them")  //
      ("top", po::value<int>(&top)->default_value(top), "classes listed per image, best first")   //
      ("format", po::value<std::string>(&format)->default_value(format), "output: tsv | json")    //
      ("recursive", po::bool_switch(&recursive), "a folder's subfolders too (default: its files only)");
  po::positional_options_description positional;
  positional.add("image", -1);
  CommonOptions common;
  auto vm = parse_command_line("predict", "--model M.h5 IMAGE|FOLDER...", args, options, positional, common);
  if (!vm) return 0;
  require(*vm, "model");
  if (inputs.empty()) throw InputError("IMAGE", "give at least one image file or folder to classify");
  if (format != "tsv" && format != "json") throw InputError("--format", "must be tsv or json, got " + format);

  const ImageClassifier classifier(model_path);
  notify(Notice::info, "model " + model_path + ": " + classifier.describe());
  const ImageInputs files = expand_image_inputs(inputs, recursive);
  PredictionRun run = classifier.predict(files.files, top);
  run.skipped.insert(run.skipped.begin(), files.skipped.begin(), files.skipped.end());
  for (const SkippedInput& s : run.skipped) {
    std::fprintf(stderr, "featpipe predict: cannot read %s: %s\n", s.path.c_str(), s.reason.c_str());
  }
  const std::string out = format == "json" ? predictions_json(run) : predictions_tsv(run);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (run.skipped.empty()) return 0;
  std::fprintf(stderr, "featpipe predict: %zu input(s) skipped, %zu image(s) predicted\n", run.skipped.size(),
               run.images.size());
  return 2;
}

}  // namespace featpipe::pipelines
