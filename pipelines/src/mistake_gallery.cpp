#include "mistake_gallery.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "featpipe/core/errors.h"
#include "featpipe/data/dataset.h"
#include "featpipe/data/image_file.h"
#include "featpipe/features/augment.h"
#include "featpipe/pipelines/dataset_options.h"

namespace featpipe::pipelines {
namespace {

constexpr int kThumbnailSide = 96;  // pixels of the longer side: small images are enlarged to be seen

cv::Mat thumbnail(const cv::Mat& image) {
  const double scale = double(kThumbnailSide) / std::max(image.cols, image.rows);
  cv::Mat out;
  // nearest neighbours keep a 16-pixel image's pixels sharp; area averaging shrinks a photo without aliasing
  cv::resize(image, out, cv::Size(), scale, scale, scale > 1 ? cv::INTER_NEAREST : cv::INTER_AREA);
  return out;
}

}  // namespace

std::vector<std::size_t> most_confident_mistakes(const RowAnswers& answers, std::size_t count) {
  std::vector<std::size_t> wrong;
  for (std::size_t i = 0; i < answers.labels.size(); ++i) {
    if (answers.labels[i] != answers.predicted[i]) wrong.push_back(i);
  }
  std::stable_sort(wrong.begin(), wrong.end(), [&](std::size_t a, std::size_t b) {
    return answers.confidence[a] > answers.confidence[b];
  });
  if (wrong.size() > count) wrong.resize(count);
  return wrong;
}

nlohmann::json write_mistake_gallery(const data::FeatureStoreReader& test, const std::string& test_path,
                                     const RowAnswers& answers, const std::vector<std::size_t>& rows,
                                     const std::vector<std::string>& class_names, const std::string& prefix,
                                     const StagedFolder& report) {
  const nlohmann::json p = test.provenance();
  const std::string spec = p.value("dataset", std::string());
  const std::string split = p.value("split", std::string());
  if (spec.empty() || split.empty()) {
    return {{"note", test_path + " does not record the dataset and split its rows came from"}};
  }
  std::vector<cv::Mat> thumbnails;
  std::vector<std::string> names;
  try {  // the dataset moved or deleted: a note instead of the gallery, the report is still written
    data::OpenOptions open;
    open.seed = p.value("seed", uint64_t(0));
    if (p.contains("resize") && p["resize"].is_string())
      open.resize = parse_size_option(p["resize"], "resize");
    const auto dataset = data::open_dataset(spec, open);
    const data::Source source = split == "test" ? data::Source::test : data::Source::train;
    for (const std::size_t row : rows) {
      // A mirrored row (an augmented store) shows its source image flipped, as its features saw it.
      const auto image = std::size_t(test.index()[row]);
      const uint8_t variant = test.augment()[row];
      thumbnails.push_back(thumbnail(features::augmented_image(dataset->image(source, image), variant)));
      names.push_back(dataset->image_name(source, image) + (variant ? " (mirrored)" : ""));
    }
  } catch (const InputError& e) {
    return {{"note",
             "the images of " + test_path + " cannot be read from its dataset " + spec + ": " + e.what()}};
  }
  nlohmann::json images = nlohmann::json::array();
  for (std::size_t n = 0; n < rows.size(); ++n) {
    const std::size_t row = rows[n];
    const std::string file = prefix + "-" + std::to_string(n) + ".png";
    try {
      data::write_image((report.path() / file).string(), thumbnails[n]);
    } catch (const InputError& e) {  // a full disk is no fault of the input
      throw RunError(std::string(e.what()));
    }
    images.push_back({{"file", file},
                      {"row", row},
                      {"image", names[n]},
                      {"true", class_names.at(std::size_t(answers.labels[row]))},
                      {"predicted", class_names.at(std::size_t(answers.predicted[row]))},
                      {"confidence", answers.confidence[row]}});
  }
  return {{"images", images}};
}

}  // namespace featpipe::pipelines
