// Image folders: DIR/train/<class>/* and DIR/test/<class>/*. The file list is built (and each file's
// format checked from its header) at open; pixels are decoded on demand, so any size of folder opens fast.
#include <algorithm>
#include <climits>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/data/class_names.h"
#include "featpipe/data/image_file.h"
#include "image_header.h"
#include "readers.h"

namespace featpipe::data {
namespace {

namespace fs = std::filesystem;

struct FileSet {
  std::vector<std::string> paths;
  std::vector<int32_t> labels;
};

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> entries;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (!name.empty() && name[0] == '.') continue;  // .DS_Store, editor files
    entries.push_back(e.path());
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

std::vector<std::string> class_folders(const fs::path& train_dir) {
  std::vector<std::string> names;
  for (const fs::path& p : sorted_entries(train_dir)) {
    if (!fs::is_directory(p)) {
      throw InputError(p.string(), "is not a folder; " + train_dir.string() +
                                       " must hold one folder of images per class, nothing else");
    }
    names.push_back(p.filename().string());
  }
  if (names.empty()) {
    throw InputError(train_dir.string(),
                     "holds no class folders; put the images of each class in "
                     "train/<class>/ (e.g. train/cat/0001.png)");
  }
  check_class_names(names, train_dir.string());
  return names;
}

FileSet list_files(const fs::path& set_dir, const std::vector<std::string>& class_names) {
  FileSet set;
  for (const fs::path& class_dir : sorted_entries(set_dir)) {
    const std::string name = class_dir.filename().string();
    if (!fs::is_directory(class_dir)) {
      throw InputError(class_dir.string(), "is not a folder; " + set_dir.string() +
                                               " must hold one folder of images per class, nothing else");
    }
    const auto it = std::find(class_names.begin(), class_names.end(), name);
    if (it == class_names.end()) {
      throw InputError(class_dir.string(),
                       "is a class the training set does not have; the classes are the "
                       "folders of train/, so add train/" +
                           name + "/ or remove this folder");
    }
    const int32_t label = int32_t(it - class_names.begin());
    const std::size_t before = set.paths.size();
    for (const fs::path& file : sorted_entries(class_dir)) {
      if (!fs::is_regular_file(file)) {
        throw InputError(file.string(), "is not a file; class folders hold image files only");
      }
      if (!has_image_reader(file.string())) {
        throw InputError(file.string(),
                         "is not an image OpenCV can read; class folders hold image files "
                         "only, so move or delete it");
      }
      set.paths.push_back(file.string());
      set.labels.push_back(label);
    }
    if (set.paths.size() == before) {
      throw InputError(class_dir.string(), "is an empty class folder; add images or remove the folder");
    }
  }
  return set;
}

/// read_image, with every failure an InputError naming the file: an undecodable file, and OpenCV's own
/// errors, such as a header declaring an image over its size limits (2^30 pixels).
cv::Mat decode(const std::string& path, int flags) {
  cv::Mat image = read_image(path, flags);
  if (image.empty()) {
    throw InputError(path, "cannot be decoded as an image (corrupt or truncated); replace or remove it");
  }
  return image;
}

class FolderDataset final : public Dataset {
 public:
  FolderDataset(std::string spec, std::vector<std::string> class_names, FileSet train, FileSet test,
                int channels, std::optional<cv::Size> resize)
      : spec_(std::move(spec)),
        class_names_(std::move(class_names)),
        sets_{std::move(train), std::move(test)},
        channels_(channels),
        resize_(resize) {}

  std::string spec() const override { return spec_; }
  const std::vector<std::string>& class_names() const override { return class_names_; }
  std::size_t size(Source s) const override { return set(s).paths.size(); }

  cv::Mat image(Source s, std::size_t i) const override {
    check_index(s, i);
    const std::string& path = set(s).paths[i];
    cv::Mat image = decode(path, channels_ == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    if (resize_ && image.size() != *resize_) cv::resize(image, image, *resize_, 0, 0, cv::INTER_AREA);
    return image;
  }

  int label(Source s, std::size_t i) const override {
    check_index(s, i);
    return set(s).labels[i];
  }

  std::vector<int32_t> labels(Source s) const override { return set(s).labels; }
  std::optional<cv::Size> uniform_size() const override { return resize_; }
  std::optional<cv::Size> image_size(Source s, std::size_t i) const override {
    if (resize_) return resize_;
    check_image_index(spec_, s, i, size(s));
    const std::optional<ImageDims> dims = image_header_dims(set(s).paths[i]);
    if (!dims || dims->width > INT_MAX || dims->height > INT_MAX) return std::nullopt;
    return cv::Size(static_cast<int>(dims->width), static_cast<int>(dims->height));
  }
  int channels() const override { return channels_; }

 private:
  const FileSet& set(Source s) const { return sets_[s == Source::train ? 0 : 1]; }

  void check_index(Source s, std::size_t i) const { check_image_index(spec_, s, i, size(s)); }

  std::string spec_;
  std::vector<std::string> class_names_;
  FileSet sets_[2];
  int channels_;
  std::optional<cv::Size> resize_;
};

/// 1 when the first training image is grey, else 3: one decode fixes the channel count for the set.
int channels_of(const std::string& path) {
  return decode(path, cv::IMREAD_UNCHANGED).channels() == 1 ? 1 : 3;
}

std::unique_ptr<Dataset> open_folder_checked(const std::string& spec, const std::string& dir,
                                             const OpenOptions& options) {
  require_directory(dir, "train/<class>/ and test/<class>/ folders of images");
  const fs::path train_dir = fs::path(dir) / "train";
  const fs::path test_dir = fs::path(dir) / "test";
  require_directory(train_dir.string(), "one folder of training images per class (train/<class>/*)");
  require_directory(test_dir.string(), "one folder of test images per class (test/<class>/*)");

  std::vector<std::string> class_names = class_folders(train_dir);
  FileSet train = list_files(train_dir, class_names);
  FileSet test = list_files(test_dir, class_names);
  const int channels = channels_of(train.paths.front());
  return std::make_unique<FolderDataset>(spec, std::move(class_names), std::move(train), std::move(test),
                                         channels, options.resize);
}

}  // namespace

std::unique_ptr<Dataset> open_folder(const std::string& spec, const std::string& dir,
                                     const OpenOptions& options) {
  try {
    return open_folder_checked(spec, dir, options);
  } catch (const fs::filesystem_error& e) {
    throw InputError(e.path1().string(),
                     std::string("cannot be listed (") + e.code().message() + "); check its permissions");
  }
}

}  // namespace featpipe::data
