#pragma once
// Small datasets written to a temporary folder, with deterministic content the tests can recompute:
// IDX (MNIST layout, plain or gzipped), CIFAR-10 binary batches and image folders. Shared by the data
// tests and the command-line tests.
#include <stdlib.h>
#include <sys/resource.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace featpipe::testing {

/// A fresh folder under the system temp directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "featpipe-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("TempDir: mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

/// Whether text contains part (gmock's HasSubstr without gmock).
/// The process's peak resident memory in bytes (ru_maxrss): a test that runs a step between two readings
/// bounds what the step took above the earlier peak.
inline long peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The what() of the E that fn throws; "(no exception)" when it throws none, so a find() on it fails.
template <typename E, typename Fn>
std::string error_message(Fn&& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return "(no exception)";
}

/// Writes bytes to path, gzip-compressed when gz is set.
inline void write_bytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes,
                        bool gz = false) {
  std::filesystem::create_directories(path.parent_path());
  if (gz) {
    gzFile f = gzopen(path.c_str(), "wb");
    if (f == nullptr) throw std::runtime_error("write_bytes: cannot create " + path.string());
    const int written = bytes.empty() ? 0 : gzwrite(f, bytes.data(), unsigned(bytes.size()));
    gzclose(f);
    if (written != int(bytes.size()))
      throw std::runtime_error("write_bytes: gzwrite failed for " + path.string());
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!out) throw std::runtime_error("write_bytes: cannot write " + path.string());
}

// ---- IDX -------------------------------------------------------------------------------------------

/// An IDX file: big-endian magic, the sizes, then data (no check that data matches the sizes, so tests
/// can write truncated files).
inline std::vector<uint8_t> idx_bytes(uint32_t magic, const std::vector<uint32_t>& dims,
                                      const std::vector<uint8_t>& data) {
  std::vector<uint8_t> bytes;
  auto put32 = [&](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(uint8_t(v >> shift));
  };
  put32(magic);
  for (uint32_t d : dims) put32(d);
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

struct IdxFixture {
  int train = 50;  // training images, label = row % classes
  int test = 20;   // test images, label = row % classes
  int rows = 28;
  int cols = 28;
  int classes = 10;
  bool gz = true;  // write *-ubyte.gz rather than plain *-ubyte
};

inline int fixture_label(int row, int classes) { return row % classes; }

/// Pixel (y, x) of image `row` of the train (test = false) or test set: a low texture that depends on the
/// row, plus a bright horizontal band whose position depends on the label (so the set is learnable).
inline uint8_t idx_fixture_pixel(const IdxFixture& f, bool test, int row, int y, int x) {
  const int label = fixture_label(row, f.classes);
  const int band = label * f.rows / f.classes;
  if (y >= band && y < band + std::max(1, f.rows / f.classes)) return uint8_t(180 + (row * 3 + x) % 70);
  return uint8_t((row * 7 + y * 3 + x * 5 + (test ? 31 : 0)) % 64);
}

/// Writes train/t10k images and labels (idx3 / idx1) to dir.
inline void write_idx_dataset(const std::filesystem::path& dir, const IdxFixture& f = {}) {
  for (bool test : {false, true}) {
    const int count = test ? f.test : f.train;
    std::vector<uint8_t> pixels, labels;
    for (int i = 0; i < count; ++i) {
      labels.push_back(uint8_t(fixture_label(i, f.classes)));
      for (int y = 0; y < f.rows; ++y)
        for (int x = 0; x < f.cols; ++x) pixels.push_back(idx_fixture_pixel(f, test, i, y, x));
    }
    const std::string prefix = test ? "t10k" : "train";
    const std::string suffix = f.gz ? ".gz" : "";
    write_bytes(dir / (prefix + "-images-idx3-ubyte" + suffix),
                idx_bytes(0x803, {uint32_t(count), uint32_t(f.rows), uint32_t(f.cols)}, pixels), f.gz);
    write_bytes(dir / (prefix + "-labels-idx1-ubyte" + suffix), idx_bytes(0x801, {uint32_t(count)}, labels),
                f.gz);
  }
}

// ---- CIFAR-10 binary -------------------------------------------------------------------------------

inline const std::vector<std::string>& cifar10_class_names() {
  static const std::vector<std::string> names = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                 "dog",      "frog",       "horse", "ship", "truck"};
  return names;
}

/// One record: the label byte, then the red, green and blue planes of a 32x32 BGR image.
inline std::vector<uint8_t> cifar_record(uint8_t label, const cv::Mat& bgr) {
  CV_Assert(bgr.type() == CV_8UC3 && bgr.rows == 32 && bgr.cols == 32);
  std::vector<uint8_t> record(1 + 3 * 1024);
  record[0] = label;
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 32; ++x) {
      const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
      record[1 + 0 * 1024 + y * 32 + x] = p[2];
      record[1 + 1 * 1024 + y * 32 + x] = p[1];
      record[1 + 2 * 1024 + y * 32 + x] = p[0];
    }
  }
  return record;
}

struct CifarFixture {
  int per_batch = 4;  // images in each of data_batch_1..5.bin; train row = batch * per_batch + i
  int test = 6;       // images in test_batch.bin
  int classes = 10;   // labels are row % classes; batches.meta.txt lists the first `classes` CIFAR names
};

/// Image `row` of the train or test set (BGR): a class colour with row-dependent gradients.
inline cv::Mat cifar_fixture_image(bool test, int row, int classes) {
  const int label = fixture_label(row, classes);
  cv::Mat image(32, 32, CV_8UC3);
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 32; ++x) {
      image.at<cv::Vec3b>(y, x) =
          cv::Vec3b(uint8_t((label * 25 + x * 3) % 256), uint8_t((row * 11 + y * 5) % 256),
                    uint8_t((test ? 200 : 100) + (x + y) % 50));
    }
  }
  return image;
}

/// Writes data_batch_1..5.bin, test_batch.bin and batches.meta.txt (with the trailing blank line the
/// official file has) to dir.
inline void write_cifar10_dataset(const std::filesystem::path& dir, const CifarFixture& f = {}) {
  auto batch = [&](bool test, int first, int count) {
    std::vector<uint8_t> bytes;
    for (int row = first; row < first + count; ++row) {
      const std::vector<uint8_t> r =
          cifar_record(uint8_t(fixture_label(row, f.classes)), cifar_fixture_image(test, row, f.classes));
      bytes.insert(bytes.end(), r.begin(), r.end());
    }
    return bytes;
  };
  for (int b = 0; b < 5; ++b) {
    write_bytes(dir / ("data_batch_" + std::to_string(b + 1) + ".bin"),
                batch(false, b * f.per_batch, f.per_batch));
  }
  write_bytes(dir / "test_batch.bin", batch(true, 0, f.test));
  std::ofstream meta(dir / "batches.meta.txt");
  for (int c = 0; c < f.classes; ++c)
    meta << cifar10_class_names()[c % 10] << (c >= 10 ? std::to_string(c) : "") << "\n";
  meta << "\n";
}

// ---- image folders ---------------------------------------------------------------------------------

struct FolderFixture {
  std::vector<std::string> classes = {"circle", "square", "triangle"};  // written in this order; the
                                                                        // dataset sorts them
  int train_per_class = 4;
  int test_per_class = 2;
  bool varying_sizes = true;  // images of several sizes; otherwise all 24x24
  bool grey = false;          // single-channel PNGs
};

/// Image `index` of class `c` (position in FolderFixture::classes) in the train or test set.
inline cv::Mat folder_fixture_image(const FolderFixture& f, bool test, int c, int index) {
  const int w = f.varying_sizes ? 20 + 4 * ((c + index) % 3) : 24;
  const int h = f.varying_sizes ? 24 + 2 * (index % 2) : 24;
  cv::Mat image(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      image.at<cv::Vec3b>(y, x) = cv::Vec3b(
          uint8_t(60 * c + 3 * x), uint8_t(7 * index + 5 * y + (test ? 100 : 0)), uint8_t(255 - 60 * c));
    }
  }
  if (f.grey) {
    cv::Mat grey(h, w, CV_8UC1);
    cv::extractChannel(image, grey, 1);
    return grey;
  }
  return image;
}

/// File name of image `index` in its class folder.
inline std::string folder_fixture_name(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "img_%03d.png", index);
  return name;
}

/// Writes DIR/train/<class>/img_NNN.png and DIR/test/<class>/img_NNN.png.
inline void write_folder_dataset(const std::filesystem::path& dir, const FolderFixture& f = {}) {
  for (bool test : {false, true}) {
    const int count = test ? f.test_per_class : f.train_per_class;
    for (int c = 0; c < int(f.classes.size()); ++c) {
      const std::filesystem::path class_dir = dir / (test ? "test" : "train") / f.classes[c];
      std::filesystem::create_directories(class_dir);
      for (int i = 0; i < count; ++i) {
        const std::string path = (class_dir / folder_fixture_name(i)).string();
        if (!cv::imwrite(path, folder_fixture_image(f, test, c, i))) {
          throw std::runtime_error("write_folder_dataset: cannot write " + path);
        }
      }
    }
  }
}

}  // namespace featpipe::testing
