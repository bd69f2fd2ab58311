#!/usr/bin/env bash
# LIBLINEAR (Debian's python3-liblinear) beside featpipe's SVM on featpipe's own stores (bench_liblinear.py):
# test accuracy and seconds side by side.
#   bench/bench_liblinear.sh          generated raw-pixel stores (synthetic shapes, 1600 x 768; under a minute)
#   bench/bench_liblinear.sh EXP_DIR  a recipe's raw stores, EXP_DIR/raw_{train,val,test}.h5 (e.g.
#                                     exp/fashion-mnist after pipelines/fashion-mnist/run.sh)
# Extra arguments go to bench_liblinear.py (e.g. --c-grid 0.01,0.1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FEATPIPE=${FEATPIPE:-build/featpipe}
if [[ $# -gt 0 && $1 != -* ]]; then
  exp=$1
  shift
  for split in train val test; do
    [[ -f $exp/raw_$split.h5 ]] || { echo "bench_liblinear: error: $exp/raw_$split.h5: no such store" >&2; exit 2; }
  done
else
  exp=$(mktemp -d)
  trap 'rm -rf "$exp"' EXIT
  data="synthetic:shapes(classes=5,size=16,train=2000,test=500)"
  for split in train val test; do
    "$FEATPIPE" extract --data "$data" --split $split --val-size 400 --features raw --out "$exp/raw_$split.h5" -q
  done
fi
exec /usr/bin/python3 "$here/bench_liblinear.py" --featpipe "$FEATPIPE" --train "$exp/raw_train.h5" \
  --val "$exp/raw_val.h5" --test "$exp/raw_test.h5" "$@"
