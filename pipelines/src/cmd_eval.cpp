// featpipe eval: a model's accuracy, per-class precision / recall / F1 and confusion matrix on a feature
// store extracted like its training store.
#include <algorithm>
#include <cstdio>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/console.h"
#include "featpipe/pipelines/evaluation.h"
#include "featpipe/pipelines/misclassified.h"
#include "featpipe/pipelines/output_file.h"
#include "train_options.h"

namespace featpipe::pipelines {

int run_eval(const std::vector<std::string>& args) {
  po::options_description options("eval options");
  std::string model_path, old_data_path, errors_path;
  std::vector<std::string> data_paths;
  int top = 1;
  options.add_options()                                                  //
      ("model", po::value(&model_path), "model store (.h5) from train")  //
      ("store", po::value(&data_paths),
       "feature store (.h5) to evaluate on; repeated for a model trained on several (same order)")  //
      ("data", po::value(&old_data_path), "the same as --store (deprecated)")                       //
      ("top", po::value(&top)->default_value(top),
       "also the top-K accuracy: the label among the K best classes")  //
      ("errors", po::value(&errors_path),
       "TSV of the misclassified rows: row, image, true and predicted class, its probability or score");
  CommonOptions common;
  auto vm = parse_command_line("eval", "--model M.h5 --store F.h5", args, options, {}, common);
  if (!vm) return 0;
  require(*vm, "model");
  // --data names a dataset spec everywhere else; here it was the store, and still is for old scripts.
  if (vm->count("data")) {
    if (vm->count("store")) throw InputError("--data", "give the store once, as --store");
    notify(Notice::note, "--data is deprecated; name the store with --store");
    data_paths = {old_data_path};
  } else {
    require(*vm, "store");
  }
  if (vm->count("errors")) {
    check_writable_file(errors_path, "--errors",
                        option_paths({{"--model", {model_path}}, {"--store", data_paths}}));
  }

  const Evaluation e = evaluate_store(model_path, data_paths, top);
  const std::string data_path = join_paths(data_paths);
  if (!errors_path.empty()) {
    const Misclassified wrong = misclassified_rows(e, data_paths);
    write_text_file(errors_path, misclassified_tsv(wrong, e.model.model.class_names));
    notify(Notice::info,
           "wrote " + errors_path + ": " + std::to_string(wrong.rows.size()) + " misclassified rows");
  }
  const classify::ClassificationReport& r = e.report;
  const int classes = e.model.model.classes();
  const std::size_t rows = e.labels.size();
  const std::vector<std::string>& names = e.model.model.class_names;
  int width = 5;
  for (const std::string& n : names) width = std::max(width, static_cast<int>(n.size()));
  std::printf("eval %s on %s: %llu rows\naccuracy %.4f\n", model_path.c_str(), data_path.c_str(),
              static_cast<unsigned long long>(rows), r.accuracy);
  if (e.top > 1) std::printf("top-%d accuracy %.4f\n", e.top, e.top_accuracy);
  std::printf("\n");
  std::printf("%-*s  precision  recall  f1      support\n", width, "class");
  double macro_p = 0, macro_r = 0, macro_f = 0;
  for (int c = 0; c < classes; ++c) {
    std::printf("%-*s  %9.4f  %6.4f  %6.4f  %7lld\n", width, names[c].c_str(), r.precision[c], r.recall[c],
                r.f1[c], static_cast<long long>(r.support[c]));
    macro_p += r.precision[c] / classes;
    macro_r += r.recall[c] / classes;
    macro_f += r.f1[c] / classes;
  }
  std::printf("%-*s  %9.4f  %6.4f  %6.4f  %7llu\n\n", width, "macro avg", macro_p, macro_r, macro_f,
              static_cast<unsigned long long>(rows));
  std::printf("confusion matrix (rows: true class, columns: predicted, in class order)\n");
  for (int t = 0; t < classes; ++t) {
    std::printf("%-*s", width, names[t].c_str());
    for (int p = 0; p < classes; ++p) std::printf(" %6lld", static_cast<long long>(r.confusion[t][p]));
    std::printf("\n");
  }
  return 0;
}

}  // namespace featpipe::pipelines
