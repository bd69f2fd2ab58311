#!/usr/bin/env bash
# Linear classifiers on Fashion-MNIST raw pixels (train 60000 x 784, test 10000): `featpipe train` with
# softmax and svm losses for 10 epochs against scikit-learn's SGDClassifier (Debian's python3-sklearn:
# log_loss / hinge, alpha 1e-4, max_iter 10, tol None, n_jobs 2) on the same feature stores, both on two
# threads. Prints seconds and test accuracy of each and the speed-up of featpipe.
#
# Each time is the median of several runs in this one invocation (FEATPIPE_RUNS, default 5, and
# SKLEARN_RUNS, default 3): the machines are shared, and one short run can land on a busy moment.
# Both times run from opening the training store to a trained model, start-up excluded on both sides:
# featpipe's is what `featpipe train` reports (reading, standardising, 10 epochs, writing the model; the
# whole process, with the loading of its shared libraries, is shown beside it); scikit-learn's is reading
# the same store with h5py plus fit() (interpreter start-up and imports excluded). scikit-learn gets the
# stored features as they are; a second line gives it StandardScaler first (featpipe standardises inside
# its training), timed the same way.
set -euo pipefail
FEATPIPE=${FEATPIPE:-build/featpipe}
PY=/usr/bin/python3
THREADS=2
FEATPIPE_RUNS=${FEATPIPE_RUNS:-5}
SKLEARN_RUNS=${SKLEARN_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$FEATPIPE" extract --data fashion-mnist --split train --features raw --out "$work/train.h5" --quiet
"$FEATPIPE" extract --data fashion-mnist --split test --features raw --out "$work/test.h5" --quiet

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A fp_s fp_wall fp_acc
for loss in softmax svm; do
  : >"$work/$loss.seconds"
  : >"$work/$loss.wall"
  for ((run = 0; run < FEATPIPE_RUNS; ++run)); do
    t0=$(now)
    "$FEATPIPE" train --train "$work/train.h5" --loss "$loss" --epochs 10 --threads $THREADS \
      --out "$work/$loss.h5" >"$work/$loss.log"
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >>"$work/$loss.wall"
    awk '$1 == "wrote" { for (i = 1; i < NF; ++i) if ($(i + 1) == "s") print $i }' "$work/$loss.log" \
      >>"$work/$loss.seconds"
  done
  fp_s[$loss]=$(median <"$work/$loss.seconds")
  fp_wall[$loss]=$(median <"$work/$loss.wall")
  fp_acc[$loss]=$("$FEATPIPE" eval --model "$work/$loss.h5" --data "$work/test.h5" | awk '$1 == "accuracy" { print $2 }')
done

# lines: "<loss> <scaled 0|1> <seconds> <accuracy>"
"$PY" - "$work" $THREADS "$SKLEARN_RUNS" >"$work/sklearn.txt" <<'PYEOF'
import statistics, sys, time, warnings
import h5py
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)
work, threads, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def load(name):
    with h5py.File(f"{work}/{name}.h5", "r") as f:
        return f["features"][:], f["labels"][:]

for loss in ("log_loss", "hinge"):
    for scaled in (0, 1):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            x, y = load("train")
            scaler = StandardScaler().fit(x) if scaled else None
            if scaler:
                x = scaler.transform(x)
            clf = SGDClassifier(loss=loss, alpha=1e-4, max_iter=10, tol=None, n_jobs=threads, random_state=0)
            clf.fit(x, y)
            times.append(time.perf_counter() - t0)
        seconds = statistics.median(times)
        xt, yt = load("test")
        if scaler:
            xt = scaler.transform(xt)
        print(loss, scaled, seconds, (clf.predict(xt) == yt).mean())
PYEOF

printf "%-40s %8s %9s %9s\n" "Fashion-MNIST raw pixels, 10 epochs" "seconds" "test acc" "speed-up"
printf "(medians of %d featpipe and %d scikit-learn runs)\n" "$FEATPIPE_RUNS" "$SKLEARN_RUNS"
for loss in softmax svm; do
  sk_loss=$([[ $loss == softmax ]] && echo log_loss || echo hinge)
  printf "%-40s %8.3f %9.4f            (process %.2f s)\n" "featpipe train --loss $loss" "${fp_s[$loss]}" \
    "${fp_acc[$loss]}" "${fp_wall[$loss]}"
  while read -r l scaled s acc; do
    [[ $l == "$sk_loss" ]] || continue
    name="sklearn SGDClassifier $sk_loss"
    [[ $scaled == 1 ]] && name="sklearn StandardScaler + SGD $sk_loss"
    awk -v n="$name" -v s="$s" -v a="$acc" -v f="${fp_s[$loss]}" -v fa="${fp_acc[$loss]}" 'BEGIN {
      printf "%-40s %8.3f %9.4f %8.1fx  (accuracy %+.4f)\n", n, s, a, s / f, fa - a }'
  done <"$work/sklearn.txt"
done
