// k-means of featpipe against VLFeat's vl_kmeans (Elkan and Lloyd, through its C API) on the same
// descriptors and the same initial centres; bench_kmeans.sh adds scikit-learn and prints the table.
//
//   bench_kmeans prepare DIR   writes DIR/x.f32 (dense SIFT of Fashion-MNIST training images, VLFeat's
//                              vl_dsift with step 2 and 4-pixel bins, the first 200000 descriptors) and
//                              DIR/init.f32 (256 k-means++ seeds by featpipe, seed 0)
//   bench_kmeans run DIR SKLEARN_SECONDS
//                              runs 10 Lloyd iterations of each method, scores every method's final centres
//                              with one evaluator (DIR/sklearn.f32 holds scikit-learn's) and prints the table
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
#include <vl/dsift.h>
#include <vl/generic.h>
#include <vl/kmeans.h>
}

#include "featpipe/data/dataset.h"
#include "featpipe/vocab/distances.h"
#include "featpipe/vocab/kmeans.h"

namespace {

using featpipe::RowMatrix;

constexpr std::size_t kRows = 200000, kDim = 128;
constexpr int kClusters = 256, kIterations = 10;

void write_floats(const std::string& path, const float* data, std::size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(float)));
  if (!out) throw std::runtime_error("cannot write " + path);
}

RowMatrix<float> read_floats(const std::string& path, std::size_t rows, std::size_t cols) {
  RowMatrix<float> m(rows, cols);
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(m.data()), static_cast<std::streamsize>(rows * cols * sizeof(float)));
  if (!in)
    throw std::runtime_error("cannot read " + std::to_string(rows) + " x " + std::to_string(cols) +
                             " floats from " + path);
  return m;
}

void prepare(const std::string& dir) {
  const auto dataset = featpipe::data::open_dataset("fashion-mnist");
  RowMatrix<float> x(kRows, kDim);
  std::size_t rows = 0;
  for (std::size_t i = 0; rows < kRows; ++i) {
    cv::Mat image;
    dataset->image(featpipe::data::Source::train, i).convertTo(image, CV_32F);
    VlDsiftFilter* dsift = vl_dsift_new_basic(image.cols, image.rows, 2, 4);
    vl_dsift_process(dsift, image.ptr<float>());
    const float* d = vl_dsift_get_descriptors(dsift);
    for (int k = 0; k < vl_dsift_get_keypoint_num(dsift) && rows < kRows; ++k, ++rows) {
      std::copy(d + k * kDim, d + (k + 1) * kDim, &x(rows, 0));
    }
    vl_dsift_delete(dsift);
  }
  featpipe::vocab::KMeansParams params;
  params.k = kClusters;
  const RowMatrix<float> init = featpipe::vocab::kmeans_plus_plus(x, params);
  write_floats(dir + "/x.f32", x.data(), x.size());
  write_floats(dir + "/init.f32", init.data(), init.size());
}

double seconds_of(const std::function<void()>& fn) {
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Sum over rows of the squared distance to the nearest centre: one evaluator for every method.
double energy_of(const RowMatrix<float>& x, const RowMatrix<float>& centres) {
  std::vector<int32_t> labels(x.rows());
  std::vector<float> distance(x.rows());
  featpipe::vocab::nearest_centres(x, centres, labels.data(), distance.data());
  double sum = 0;
  for (float d : distance) sum += d;
  return sum;
}

RowMatrix<float> run_vlfeat(const RowMatrix<float>& x, const RowMatrix<float>& init,
                            VlKMeansAlgorithm algorithm) {
  VlKMeans* km = vl_kmeans_new(VL_TYPE_FLOAT, VlDistanceL2);
  vl_kmeans_set_algorithm(km, algorithm);
  vl_kmeans_set_max_num_iterations(km, kIterations);
  vl_kmeans_set_min_energy_variation(km, 0);
  vl_kmeans_set_centers(km, init.data(), kDim, kClusters);
  vl_kmeans_refine_centers(km, x.data(), x.rows());
  RowMatrix<float> centres = Eigen::Map<const RowMatrix<float>>(
      static_cast<const float*>(vl_kmeans_get_centers(km)), kClusters, kDim);
  vl_kmeans_delete(km);
  return centres;
}

/// Seconds of featpipe's 10 Lloyd iterations alone on the prepared data (bench_portable.sh).
double featpipe_seconds(const std::string& dir) {
  const RowMatrix<float> x = read_floats(dir + "/x.f32", kRows, kDim);
  const RowMatrix<float> init = read_floats(dir + "/init.f32", kClusters, kDim);
  featpipe::vocab::KMeansParams params;
  params.k = kClusters;
  params.max_iterations = kIterations;
  params.tolerance = 0;
  return seconds_of([&] { featpipe::vocab::kmeans_lloyd(x, init, params); });
}

void run(const std::string& dir, double sklearn_seconds) {
  const RowMatrix<float> x = read_floats(dir + "/x.f32", kRows, kDim);
  const RowMatrix<float> init = read_floats(dir + "/init.f32", kClusters, kDim);
  struct Row {
    std::string name;
    double seconds;
    RowMatrix<float> centres;
  };
  std::vector<Row> table;

  featpipe::vocab::KMeansParams params;
  params.k = kClusters;
  params.max_iterations = kIterations;
  params.tolerance = 0;
  RowMatrix<float> centres;
  double s = seconds_of([&] { centres = featpipe::vocab::kmeans_lloyd(x, init, params).centres; });
  table.push_back({"featpipe (Lloyd, GEMM)", s, centres});
  s = seconds_of([&] { centres = run_vlfeat(x, init, VlKMeansElkan); });
  table.push_back({"VLFeat vl_kmeans Elkan", s, centres});
  s = seconds_of([&] { centres = run_vlfeat(x, init, VlKMeansLloyd); });
  table.push_back({"VLFeat vl_kmeans Lloyd", s, centres});
  table.push_back(
      {"scikit-learn KMeans", sklearn_seconds, read_floats(dir + "/sklearn.f32", kClusters, kDim)});

  std::printf(
      "k-means: %zu x %zu dense SIFT (Fashion-MNIST), K = %d, %d iterations, same initial centres, %d "
      "threads\n",
      kRows, kDim, kClusters, kIterations, static_cast<int>(vl_get_max_threads()));
  std::printf("%-26s %9s %16s %14s %12s\n", "method", "seconds", "final energy", "vs featpipe", "speed-up");
  const double base_energy = energy_of(x, table[0].centres);
  for (const Row& row : table) {
    const double energy = energy_of(x, row.centres);
    std::printf("%-26s %9.3f %16.6g %+13.3f%% %11.1fx\n", row.name.c_str(), row.seconds, energy,
                100.0 * (energy - base_energy) / energy, row.seconds / table[0].seconds);
  }
  std::printf("targets: >= 5x VLFeat Elkan, >= 10x scikit-learn, energy within 0.5%%\n");
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 2 && args[0] == "prepare") {
      prepare(args[1]);
      return 0;
    }
    if (args.size() == 2 && args[0] == "lloyd") {
      std::printf("%.4f\n", featpipe_seconds(args[1]));
      return 0;
    }
    if (args.size() == 3 && args[0] == "run") {
      run(args[1], std::stod(args[2]));
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_kmeans: %s\n", e.what());
    return 1;
  }
  std::fprintf(
      stderr,
      "usage: bench_kmeans prepare DIR | bench_kmeans run DIR SKLEARN_SECONDS | bench_kmeans lloyd DIR\n");
  return 2;
}
