#!/usr/bin/env bash
# The stages on one and on two MPI ranks of this machine (mpirun -np 2, one thread per rank, so that the two
# ranks have a core each as the one rank has its one core): extract (HOG of Fashion-MNIST's 60000 training
# images resized to 112 x 112), vocab (k-means, K 256, on 200000 dense SIFT descriptors, 20 iterations) and
# train (50 epochs on the HOG store of the 28 x 28 images, batch 512: four blocks a step). Times are of the
# whole command (mpirun's start-up included), so they include what every rank does alike. Prints the seconds at np 1 and np 2 (median of BENCH_RUNS, default 3), the parallel
# efficiency t1 / (2 t2), checks that both wrote the same arrays, and the bytes each rank sends per k-means
# iteration and per SGD step (FEATPIPE_MPI_STATS: the difference of two runs that differ by some
# iterations, divided by them). Then bench/scale_out_model.py models ImageNet-scale runs from these figures
# and from one epoch of 1000 classes on one thread (bench_many_classes, 10000 x 4096) (docs/scale-out.md).
set -euo pipefail
FEATPIPE=${FEATPIPE:-build/featpipe}
PY=/usr/bin/python3
RUNS=${BENCH_RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! "$FEATPIPE" --version | grep -q '^  MPI '; then
  echo "bench_scale_out: $FEATPIPE is built without MPI (FEATPIPE_MPI); skipped"
  exit 0
fi
now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# seconds NP OUT ARGS...: wall time of featpipe ARGS --out OUT on NP ranks (1: without mpirun).
seconds() {
  local np=$1 out=$2
  shift 2
  local t0
  t0=$(now)
  if [[ $np == 1 ]]; then
    OMP_NUM_THREADS=1 "$FEATPIPE" "$@" --threads 1 --out "$out" -q >/dev/null 2>&1
  else
    mpirun --oversubscribe -np "$np" -x OMP_NUM_THREADS=1 "$FEATPIPE" "$@" --threads 1 --out "$out" -q \
      >/dev/null 2>&1
  fi
  echo "$(now) - $t0" | bc -l
}
# sent ARGS...: bytes rank 0 sends in featpipe ARGS on two ranks.
sent() {
  mpirun --oversubscribe -np 2 -x OMP_NUM_THREADS=1 -x FEATPIPE_MPI_STATS=1 "$FEATPIPE" "$@" --threads 1 \
    --out "$work/sent.h5" -q 2>&1 >/dev/null | sed -n 's/^featpipe: rank 0 of 2 sent \([0-9]*\) bytes.*/\1/p'
  rm -rf "$work/sent.h5" "$work/sent.h5.shards"
}
declare -A t1 t2
# stage NAME ARGS...: NAME's medians at np 1 and np 2, and the same arrays from both.
stage() {
  local name=$1
  shift
  local a=() b=()
  for _ in $(seq "$RUNS"); do
    a+=("$(seconds 1 "$work/$name-1.h5" "$@")")
    b+=("$(seconds 2 "$work/$name-2.h5" "$@")")
  done
  t1[$name]=$(printf '%s\n' "${a[@]}" | median)
  t2[$name]=$(printf '%s\n' "${b[@]}" | median)
  $PY "$here/../tests/mpi/same_arrays.py" "$work/$name-1.h5" "$work/$name-2.h5" >/dev/null ||
    { echo "bench_scale_out: $name on 2 ranks wrote other arrays than on 1"; exit 1; }
  printf '%-8s np1 %8.2f s   np2 %8.2f s   speed-up %5.2f   efficiency %5.1f%%\n' "$name" "${t1[$name]}" \
    "${t2[$name]}" "$(echo "${t1[$name]} / ${t2[$name]}" | bc -l)" "$(echo "100 * ${t1[$name]} / (2 * ${t2[$name]})" | bc -l)"
}

"$FEATPIPE" extract --data fashion-mnist --split train --features 'hog(cell=4)' --out "$work/hog.h5" -q
"$FEATPIPE" descriptors --data fashion-mnist --split train --descriptor 'dsift(step=2,size=4)' --sample 200000 \
  --out "$work/desc.h5" -q
echo "featpipe on 1 and 2 ranks of this machine ($(nproc) cores), one thread per rank:"
stage extract extract --data fashion-mnist --split train --resize 112x112 --features 'hog(cell=4)'
stage vocab vocab --descriptors "$work/desc.h5" --k 256 --iterations 20 --tolerance 0
stage train train --train "$work/hog.h5" --epochs 50 --batch 512 --loss svm
many=$(OMP_NUM_THREADS=1 "${BENCH_MANY_CLASSES:-$(dirname "$FEATPIPE")/bench/bench_many_classes}" 10000 4096 1000 |
  sed -n 's/^train one epoch: .* s, \([0-9.]*\) GFLOP\/s.*/\1/p')
echo "train, 1000 classes, one thread: $many GFLOP/s (bench_many_classes 10000 x 4096)"

kmeans_bytes=$(( ($(sent vocab --descriptors "$work/desc.h5" --k 256 --iterations 10 --tolerance 0) - \
  $(sent vocab --descriptors "$work/desc.h5" --k 256 --iterations 5 --tolerance 0)) / 5 ))
rows=$("$FEATPIPE" inspect "$work/hog.h5" | sed -n 's/^features: \([0-9]*\) rows x \([0-9]*\) dims.*/\1/p')
dim=$("$FEATPIPE" inspect "$work/hog.h5" | sed -n 's/^features: \([0-9]*\) rows x \([0-9]*\) dims.*/\2/p')
steps=$(( (rows + 511) / 512 ))
sgd_bytes=$(( ($(sent train --train "$work/hog.h5" --epochs 2 --batch 512 --loss svm) - \
  $(sent train --train "$work/hog.h5" --epochs 1 --batch 512 --loss svm)) / steps ))
echo "bytes rank 0 sends: $kmeans_bytes per k-means iteration (K 256, d 128, 200000 rows on 2 ranks);" \
  "$sgd_bytes per SGD step (batch 512, $dim features, 10 classes)"
echo
$PY "$here/scale_out_model.py" --extract-seconds "${t1[extract]}" --extract-images 60000 --extract-pixels 12544 \
  --kmeans-seconds "${t1[vocab]}" --kmeans-rows 200000 --kmeans-k 256 --kmeans-d 128 --kmeans-iterations 20 \
  --train-seconds "${t1[train]}" --train-rows "$rows" --train-dim "$dim" --train-classes 10 --train-epochs 50 \
  --train-gflops "$many"
