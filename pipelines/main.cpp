#include "featpipe/pipelines/command.h"
#include "launch/mpi_job.h"

int main(int argc, char** argv) {
  const featpipe::pipelines::MpiJob job(argc, argv);
  return featpipe::pipelines::run_command(argc, argv);
}
