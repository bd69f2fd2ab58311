#include "version.h"

#include <Eigen/Core>
#include <boost/version.hpp>
#include <opencv2/core/version.hpp>
#include <string>

#include "featpipe/core/cpu_level.h"
#include "featpipe/data/image_file.h"
#include "featpipe/data/store.h"
#include "featpipe/features/vlfeat_version.h"
#include "featpipe/pipelines/ranks.h"

#ifndef FEATPIPE_VERSION
#error "FEATPIPE_VERSION (the project's version) is set by CMakeLists.txt"
#endif

namespace featpipe::pipelines {
namespace {

/// The OpenMP specification a value of _OPENMP (the date of its release) stands for: "4.5 (201511)".
std::string openmp_version(long date) {
  struct Release {
    long date;
    const char* version;
  };
  static constexpr Release releases[] = {{202111, "5.2"}, {202011, "5.1"}, {201811, "5.0"}, {201511, "4.5"},
                                         {201307, "4.0"}, {201107, "3.1"}, {200805, "3.0"}};
  for (const Release& r : releases) {
    if (date >= r.date) return std::string(r.version) + " (" + std::to_string(date) + ")";
  }
  return std::to_string(date);
}

const char* compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "g++ " __VERSION__;
#else
  return "unknown";
#endif
}

/// The MPI library of the executable and the job, e.g. "Open MPI v4.1.4 (rank 0 of 2)".
std::string mpi_line() {
  const Ranks& job = ranks();
  if (job.mpi.empty()) return "none (built with FEATPIPE_MPI=OFF or without MPI)";
  if (job.size == 1) return job.mpi + " (not started by mpirun: 1 rank)";
  return job.mpi + " (rank " + std::to_string(job.rank) + " of " + std::to_string(job.size) + ")";
}

}  // namespace

void print_version(std::ostream& out) {
  const std::string level = cpu::describe();  // first: a bad FEATPIPE_CPU throws before anything is printed
  // OpenCV, Boost and Eigen as compiled in (their headers); HDF5 and VLFeat as the loaded libraries report.
  out << "featpipe " FEATPIPE_VERSION "\n"
      << "cpu: " << level << "\n"
      << "libraries:\n"
      << "  OpenCV " CV_VERSION " (image codecs: " << data::image_codecs_library()
      << ", loaded on first use)\n"
      << "  HDF5 " << data::hdf5_version() << "\n"
      << "  VLFeat " << features::vlfeat_version() << "\n"
      << "  Boost " << BOOST_VERSION / 100000 << "." << BOOST_VERSION / 100 % 1000 << "."
      << BOOST_VERSION % 100 << "\n"
      << "  Eigen " << EIGEN_WORLD_VERSION << "." << EIGEN_MAJOR_VERSION << "." << EIGEN_MINOR_VERSION << "\n"
      << "  OpenMP " << openmp_version(_OPENMP) << "\n"
      << "  MPI " << mpi_line() << "\n"
      << "compiler: " << compiler() << "\n";
}

}  // namespace featpipe::pipelines
