#pragma once
// The processes of a run: this one alone, or the ranks of an MPI job when the featpipe executable was
// started by a launcher (mpirun, mpiexec, srun) and built with MPI (FEATPIPE_MPI). The stage libraries
// never call MPI themselves; the executable joins the job (pipelines/launch/) and records it here.
#include <string>

#include "featpipe/core/collective.h"

namespace featpipe::pipelines {

struct Ranks {
  int rank = 0;     // this process's place in the job
  int size = 1;     // processes in the job
  std::string mpi;  // the MPI library the executable was built with ("" without MPI)
  const Collective* collective = &single_process();  // the stages' link to the other ranks
};

/// The job this process belongs to: {0, 1, ""} unless set_ranks() said otherwise.
const Ranks& ranks();

/// Called once by the executable, before any command runs.
void set_ranks(const Ranks& ranks);

}  // namespace featpipe::pipelines
