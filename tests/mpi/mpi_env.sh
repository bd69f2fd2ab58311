# Sourced by the tests under mpiexec: the environment Open MPI needs as root (CI), in containers without
# cross-memory attach, and with more ranks than cores, and helpers shared by the tests.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
# One thread per rank: 4 ranks on 2 cores stay responsive.
export OMP_NUM_THREADS=1
same_arrays="/usr/bin/python3 $(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/same_arrays.py"

fail() {
  echo "FAIL: $*"
  exit 1
}

# ranks N COMMAND...: COMMAND on N ranks of one job.
ranks() {
  local n=$1
  shift
  "$mpiexec" --oversubscribe -n "$n" "$@"
}
