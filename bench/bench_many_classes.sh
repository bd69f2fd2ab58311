#!/usr/bin/env bash
# Training with 1000 classes against Eigen's single-precision GEMM on the same machine and in the same run
# (bench_many_classes.cpp): the rate of one epoch as a share of the matrix-product rate. ROWS DIM CLASSES
# default to 100000 4096 1000 (1.6 GB of rows); BENCH_ROWS lowers the rows for a quick look.
set -euo pipefail
FEATPIPE=${FEATPIPE:-build/featpipe}
BENCH=${BENCH_MANY_CLASSES:-$(dirname "$FEATPIPE")/bench/bench_many_classes}
"$BENCH" "${BENCH_ROWS:-100000}" 4096 1000
