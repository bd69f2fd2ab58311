#!/usr/bin/env bash
# The featpipe executable built with MPI under mpiexec: it joins the job (--version, printed once, names
# the ranks), refuses a command that does not share its work out among ranks yet (every rank would write
# the same output), and without a launcher runs alone without initialising MPI.
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

"$mpiexec" --oversubscribe -n 2 "$featpipe" extract --data 'synthetic:shapes(classes=2,size=16,train=8,test=2)' \
  --out "$work/f.h5" -q >"$work/out" 2>"$work/err"
status=$?
[[ $status -ne 0 ]] || fail "mpiexec -n 2 featpipe extract exited 0"
grep -q 'featpipe: error: extract: does not run on several ranks yet (this job has 2); run it without mpirun' \
  "$work/err" || fail "extract under mpiexec: $(cat "$work/err")"
[[ -z $(ls -A "$work" | grep -v '^out$\|^err$') ]] || fail "files left: $(ls -A "$work")"
echo "ok: --version alone and under mpiexec -n 2; extract refused under mpiexec (exit $status)"
