#!/usr/bin/env bash
# featpipe vocab shared among the ranks of an MPI job: each rank reads its blocks of the descriptor store,
# and the vocabularies (k-means with ZCA whitening, and a GMM) have the same bytes as the serial run's on
# 1, 2 and 4 ranks; only rank 0 writes and reports.
#   mpi_vocab_test.sh FEATPIPE MPIEXEC
set -uo pipefail
featpipe=${1:?usage: mpi_vocab_test.sh FEATPIPE MPIEXEC}
mpiexec=${2:?usage: mpi_vocab_test.sh FEATPIPE MPIEXEC}
source "$(dirname "${BASH_SOURCE[0]}")/mpi_env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$featpipe" descriptors --data 'synthetic:shapes(classes=3,size=32,train=40,test=4)' --split train \
  --descriptor 'dsift(step=4,size=4)' --sample 1000 --out "$work/d.h5" -q || fail "descriptors exited $?"

# 1000 descriptors in blocks of 90: 12 blocks, the last of 10 rows, so that each of 4 ranks holds 3 or 2
# and every sum crosses ranks.
methods=(
  "kmeans --method kmeans --k 16 --whiten zca --iterations 15 --tolerance 0"
  "gmm --method gmm --k 6 --iterations 10 --tolerance 0"
  "pca --method gmm --k 6 --pca 24 --iterations 10 --tolerance 0"
)
for method in "${methods[@]}"; do
  read -r name options <<<"$method"
  # shellcheck disable=SC2086 # the options are words
  "$featpipe" vocab --descriptors "$work/d.h5" $options --block 90 --out "$work/$name-serial.h5" -q ||
    fail "$name: serial vocab exited $?"
  for n in 1 2 4; do
    mkdir "$work/$name-$n"
    # shellcheck disable=SC2086
    ranks "$n" "$featpipe" vocab --descriptors "$work/d.h5" $options --block 90 --out "$work/$name-$n/v.h5" \
      >"$work/out" 2>"$work/err" || fail "$name on $n ranks exited $?: $(cat "$work/err")"
    [[ $(grep -c '^wrote ' "$work/err") == 1 ]] || fail "$name on $n ranks: not one report: $(cat "$work/err")"
    [[ -z $(find "$work/$name-$n" -mindepth 1 ! -name v.h5) ]] ||
      fail "$name on $n ranks left other files: $(ls -A "$work/$name-$n")"
    $same_arrays "$work/$name-serial.h5" "$work/$name-$n/v.h5" >"$work/same" ||
      fail "$name on $n ranks differs from the serial run: $(cat "$work/same")"
  done
done
echo "ok: kmeans (ZCA), gmm and gmm (PCA) vocabularies on 1, 2 and 4 ranks have the serial run's bytes"
