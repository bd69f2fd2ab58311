// open_dataset: the spec dispatch. Each reader lives in its own file (readers.h).
#include "featpipe/data/dataset.h"

#include <cstdlib>
#include <filesystem>

#include "featpipe/core/errors.h"
#include "featpipe/core/registry.h"
#include "image_header.h"
#include "readers.h"

namespace featpipe::data {

std::optional<cv::Size> Dataset::image_size(Source, std::size_t) const { return uniform_size(); }

std::string Dataset::image_name(Source s, std::size_t i) const {
  return spec() + " image " + std::to_string(i) + " of " + (s == Source::train ? "train" : "test");
}

namespace {

const char* const kKnownKinds =
    "fashion-mnist, fashion-mnist:DIR, mnist:DIR, idx:DIR, cifar10:DIR, folder:DIR, synthetic:shapes";

void check_options(const OpenOptions& options) {
  if (options.resize && (options.resize->width <= 0 || options.resize->height <= 0)) {
    throw InputError("--resize", std::to_string(options.resize->width) + "x" +
                                     std::to_string(options.resize->height) +
                                     " is not a size; give positive WxH, e.g. 32x32");
  }
  // The same limit as for a decoded image: a resized one is no smaller to hold.
  if (options.resize &&
      uint64_t(options.resize->width) * uint64_t(options.resize->height) > kMaxImagePixels) {
    throw InputError("--resize", std::to_string(options.resize->width) + "x" +
                                     std::to_string(options.resize->height) + " is more than the " +
                                     std::to_string(kMaxImagePixels >> 20) + " Mi pixels an image may have");
  }
}

struct KindAndRest {
  std::string kind;  // before the first ':'
  std::string rest;  // the directory or generator after it
};

/// Splits a spec at its first ':'; InputError on an unknown kind or a missing directory / generator.
KindAndRest split_spec(const std::string& spec) {
  const std::size_t colon = spec.find(':');
  KindAndRest parts{spec.substr(0, colon), colon == std::string::npos ? "" : spec.substr(colon + 1)};
  const std::string& kind = parts.kind;
  if (kind == "fashion-mnist") {
    if (colon != std::string::npos && parts.rest.empty()) {
      throw InputError(spec, "missing directory after ':'; e.g. fashion-mnist:/data/fmnist");
    }
    return parts;
  }
  if (kind == "mnist" || kind == "idx" || kind == "cifar10" || kind == "folder" || kind == "synthetic") {
    if (parts.rest.empty()) {
      const std::string example = kind == "synthetic" ? "synthetic:shapes" : kind + ":/path/to/dir";
      throw InputError(spec, "missing " + std::string(kind == "synthetic" ? "generator" : "directory") +
                                 " after '" + kind + ":'; e.g. " + example);
    }
    return parts;
  }
  if (spec.empty()) throw InputError("--data", std::string("empty dataset spec; known: ") + kKnownKinds);
  const std::optional<std::string> closest =
      closest_name(kind, {"fashion-mnist", "mnist", "idx", "cifar10", "folder", "synthetic"});
  throw InputError(spec, "unknown dataset kind '" + kind + "'; known: " + kKnownKinds +
                             (closest ? "; did you mean '" + *closest + "'?" : ""));
}

}  // namespace

std::vector<int32_t> Dataset::labels(Source s) const {
  std::vector<int32_t> out(size(s));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = label(s, i);
  return out;
}

std::string fashion_mnist_dir() {
  const char* env = std::getenv("FEATPIPE_FASHION_MNIST");
  return env != nullptr && *env != '\0' ? env : "/usr/share/datasets/fashion-mnist";
}

std::vector<std::string> known_dataset_specs() { return {"fashion-mnist", "synthetic:shapes"}; }

const std::vector<std::string>& fashion_mnist_class_names() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

void require_directory(const std::string& path, const std::string& what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    throw InputError(path, "no such directory; it should hold " + what);
  }
  if (!std::filesystem::is_directory(status)) {
    throw InputError(path, "is not a directory; it should hold " + what);
  }
}

void validate_dataset_spec(const std::string& spec) {
  const KindAndRest parts = split_spec(spec);
  if (parts.kind == "synthetic") check_synthetic(spec, parts.rest);
}

std::unique_ptr<Dataset> open_dataset(const std::string& spec, const OpenOptions& options) {
  check_options(options);
  const auto [kind, rest] = split_spec(spec);
  if (kind == "fashion-mnist") {
    const bool named = spec.find(':') != std::string::npos;
    const std::string dir = named ? rest : fashion_mnist_dir();
    if (!named && !std::filesystem::exists(dir)) {
      throw InputError(dir,
                       "no such directory; install the Debian package dataset-fashion-mnist, or set "
                       "FEATPIPE_FASHION_MNIST to a folder holding the four Fashion-MNIST .gz files");
    }
    return open_idx(spec, dir, fashion_mnist_class_names(), options);
  }
  if (kind == "mnist" || kind == "idx") return open_idx(spec, rest, {}, options);
  if (kind == "cifar10") return open_cifar10(spec, rest, options);
  if (kind == "folder") return open_folder(spec, rest, options);
  return open_synthetic(spec, rest, options);
}

void check_image_index(const std::string& spec, Source s, std::size_t i, std::size_t size) {
  if (i >= size) {
    throw std::out_of_range(spec + ": image " + std::to_string(i) + " of the " +
                            (s == Source::train ? "train" : "test") + " set, which holds " +
                            std::to_string(size));
  }
}

}  // namespace featpipe::data
