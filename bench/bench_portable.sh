#!/usr/bin/env bash
# The portable build (compiled for x86-64-v2 with its kernels for v2, v3 and v4, dispatching to the best
# level this CPU has) against a build for this machine alone (-march=native), side by side in one run, on
# the featpipe part of the three speed benchmarks:
#   linear    `featpipe train` on Fashion-MNIST raw pixels (60000 x 784), softmax and svm, 30 epochs, 2 threads
#             (the seconds train reports: reading, standardising, training, writing the model)
#   features  HOG (Dalal-Triggs and UoCTTI) and dense SIFT images/s on one core (bench_features)
#   kmeans    10 Lloyd iterations, 200000 x 128 dense SIFT, K = 256, 2 threads (bench_kmeans lloyd)
# Each figure is the median of RUNS runs (default 7), the two builds alternating, so that a busy moment of
# the shared machine hits both. Prints each build's figure and portable / native in time (1.00: as fast;
# target: within 5%, at most 1.05). The native build is NATIVE_BUILD (default build-native), configured and
# built when it has no featpipe yet.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
FEATPIPE=${FEATPIPE:-build/featpipe}
portable=$(cd "$(dirname "$FEATPIPE")" && pwd)
native=${NATIVE_BUILD:-build-native}
RUNS=${RUNS:-7}
N=${N:-10000}
THREADS=2

if [[ ! -x $native/featpipe || ! -x $native/bench/bench_kmeans || ! -x $native/bench/bench_features ]]; then
  echo "building the native comparison build in $native"
  cmake -S "$root" -B "$native" -DCMAKE_BUILD_TYPE=Release -DFEATPIPE_NATIVE=ON -DFEATPIPE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$native" --target featpipe bench_kmeans bench_features -j"$(nproc)" >/dev/null
fi
native=$(cd "$native" && pwd)
echo "portable: $("$portable/featpipe" --version | grep -i 'cpu' | head -1)"
echo "native:   $("$native/featpipe" --version | grep -i 'cpu' | head -1)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$portable/featpipe" extract --data fashion-mnist --split train --features raw --out "$work/train.h5" --quiet
"$portable/bench/bench_kmeans" prepare "$work"

median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# one run of every measure with the build in $1 (a folder), appended to $work/<build>.<measure>
measure() {
  local build=$1 tag=$2
  for loss in softmax svm; do
    OMP_NUM_THREADS=$THREADS "$build/featpipe" train --train "$work/train.h5" --loss "$loss" --epochs 30 \
      --threads $THREADS --out "$work/model.h5" |
      awk '$1 == "wrote" { for (i = 1; i < NF; ++i) if ($(i + 1) == "s") print $i }' >>"$work/$tag.train_$loss"
  done
  OMP_NUM_THREADS=1 "$build/bench/bench_features" "$N" >"$work/features.out"
  for name in hog_dalaltriggs hog_uoctti dsift; do
    # images/s as seconds per 10000 images, so that every ratio reads the same way
    awk -v n="$name" '$1 == n { print 10000 / $2 }' "$work/features.out" >>"$work/$tag.$name"
  done
  OMP_NUM_THREADS=$THREADS "$build/bench/bench_kmeans" lloyd "$work" >>"$work/$tag.kmeans"
}

for ((run = 0; run < RUNS; ++run)); do
  if ((run % 2 == 0)); then
    measure "$portable" portable
    measure "$native" native
  else
    measure "$native" native
    measure "$portable" portable
  fi
done

printf '%-34s %12s %12s %18s\n' "seconds (median of $RUNS)" portable native "portable / native"
worst=0
for m in train_softmax train_svm hog_dalaltriggs hog_uoctti dsift kmeans; do
  p=$(median <"$work/portable.$m")
  q=$(median <"$work/native.$m")
  case $m in
    train_*) label="linear: train ${m#train_} (30 epochs)" ;;
    kmeans) label="kmeans: 10 Lloyd iterations" ;;
    *) label="features: $m (10000 images)" ;;
  esac
  ratio=$(awk -v a="$p" -v b="$q" 'BEGIN { printf "%.3f", a / b }')
  worst=$(awk -v a="$ratio" -v b="$worst" 'BEGIN { print (a > b ? a : b) }')
  printf '%-34s %12.3f %12.3f %18s\n' "$label" "$p" "$q" "$ratio"
done
awk -v w="$worst" 'BEGIN { printf "worst ratio %.3f (target <= 1.05: %s)\n", w, (w <= 1.05 ? "met" : "NOT met") }'
