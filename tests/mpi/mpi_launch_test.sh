#!/usr/bin/env bash
# The featpipe executable built with MPI under mpiexec: it joins the job (--version, printed once, names
# the ranks), refuses a command that does not share its work out among ranks (every rank would do the same
# work), and without a launcher runs alone without initialising MPI.
#   mpi_launch_test.sh FEATPIPE MPIEXEC
set -uo pipefail
featpipe=${1:?usage: mpi_launch_test.sh FEATPIPE MPIEXEC}
mpiexec=${2:?usage: mpi_launch_test.sh FEATPIPE MPIEXEC}
# As root (CI), in containers without cross-memory attach, and with more ranks than cores.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}

alone=$("$featpipe" --version) || fail "--version without mpiexec exited $?"
grep -q '^  MPI .*(not started by mpirun: 1 rank)$' <<<"$alone" || fail "--version alone: $alone"

job=$("$mpiexec" --oversubscribe -n 2 "$featpipe" --version) || fail "mpiexec -n 2 featpipe --version exited $?"
[[ $(grep -c '^featpipe ' <<<"$job") == 1 ]] || fail "--version printed other than once: $job"
grep -q '^  MPI .*(rank 0 of 2)$' <<<"$job" || fail "mpiexec -n 2 --version: $job"

"$featpipe" extract --data 'synthetic:shapes(classes=2,size=16,train=8,test=2)' --out "$work/f.h5" -q ||
  fail "extract alone exited $?"
"$mpiexec" --oversubscribe -n 2 "$featpipe" inspect "$work/f.h5" >"$work/out" 2>"$work/err"
status=$?
[[ $status -eq 2 ]] || fail "mpiexec -n 2 featpipe inspect exited $status, not 2"
grep -q 'featpipe: error: inspect: does not run on several ranks (this job has 2); run it without mpirun' \
  "$work/err" || fail "inspect under mpiexec: $(cat "$work/err")"
[[ ! -s "$work/out" ]] || fail "inspect under mpiexec printed: $(cat "$work/out")"
echo "ok: --version alone and under mpiexec -n 2; inspect refused under mpiexec (exit $status)"
