// Classifies image files with a model store written by `featpipe train` or `featpipe sweep`, as
// `featpipe predict` does: the model's feature chain (decoding, resize, extractor or encoding) is rebuilt
// from the provenance it records, applied to each image, and the linear model scores the features.
//   usage: classify_images MODEL.h5 IMAGE...
// Prints "IMAGE -> CLASS" and then the score of every class, one per line.
#include <cstdio>
#include <exception>

#include "featpipe/classify/model_io.h"
#include "featpipe/pipelines/feature_chain.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MODEL.h5 IMAGE...\n", argv[0]);
    return 2;
  }
  try {
    const featpipe::classify::ModelFile file = featpipe::classify::load_model(argv[1]);
    const featpipe::classify::LinearModel& model = file.model;
    // A model records the provenance of its training store, which says how its rows were made.
    const nlohmann::json store = file.provenance.value("train", nlohmann::json::object())
                                     .value("provenance", nlohmann::json::object());
    const auto chain = featpipe::pipelines::make_feature_chain(store, argv[1]);
    if (chain->dim() != model.dim()) {
      std::fprintf(stderr, "%s: the feature chain does not match the model\n", argv[1]);
      return 2;
    }

    const int images = argc - 2;
    featpipe::RowMatrix<float> features(images, static_cast<Eigen::Index>(model.dim()));
    for (int i = 0; i < images; ++i) chain->featurize_file(argv[i + 2], features.row(i).data());
    const featpipe::RowMatrix<float> scores = featpipe::classify::predict_scores(model, features);

    for (int i = 0; i < images; ++i) {
      Eigen::Index best = 0;
      scores.row(i).maxCoeff(&best);
      std::printf("%s -> %s\n", argv[i + 2], model.class_names[best].c_str());
      for (int c = 0; c < model.classes(); ++c)
        std::printf("  %-16s %+.4f\n", model.class_names[c].c_str(), static_cast<double>(scores(i, c)));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "classify_images: %s\n", e.what());
    return 1;
  }
  return 0;
}
