// The executable built without MPI: every process is a job of one.
#include "mpi_job.h"

namespace featpipe::pipelines {

MpiJob::MpiJob(int&, char**&) {}

MpiJob::~MpiJob() = default;

}  // namespace featpipe::pipelines
