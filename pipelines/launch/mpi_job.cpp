// The executable built with MPI (FEATPIPE_MPI): joins the job when a launcher set its environment.
#include "mpi_job.h"

#include <mpi.h>

#include <cstdlib>
#include <string>

#include "featpipe/pipelines/ranks.h"

namespace featpipe::pipelines {
namespace {

/// Open MPI's mpirun / mpiexec, PMIx launchers (srun with --mpi=pmix) and Hydra (MPICH) set these.
bool started_by_a_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

std::string library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  MPI_Get_library_version(text, &length);
  std::string version(text, static_cast<std::size_t>(length));
  const std::size_t end = version.find_first_of(",\n");
  return version.substr(0, end);
}

}  // namespace

MpiJob::MpiJob(int& argc, char**& argv) {
  Ranks job;
  job.mpi = library_version();
  if (started_by_a_launcher()) {
    MPI_Init(&argc, &argv);
    joined_ = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &job.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &job.size);
  }
  set_ranks(job);
}

MpiJob::~MpiJob() {
  if (joined_) MPI_Finalize();
}

}  // namespace featpipe::pipelines
