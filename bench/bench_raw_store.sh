#!/usr/bin/env bash
# Raw-store throughput on Fashion-MNIST train (60000 x 784): featpipe extract --features raw against the
# anchor, numpy + h5py decoding the same IDX files and writing the same float32 [60000, 784] dataset.
# Prints images/s, MB/s written and the ratio.
set -euo pipefail
FEATPIPE=${FEATPIPE:-build/featpipe}
PY=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=${FEATPIPE_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}

t0=$(date +%s.%N)
"$FEATPIPE" extract --data fashion-mnist --split train --features raw --out "$work/fp.h5" --quiet
t1=$(date +%s.%N)
fp_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

anchor_s=$("$PY" - "$src" "$work/np.h5" <<'PYEOF'
import gzip, sys, time
import numpy as np, h5py
src, out = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
with gzip.open(f"{src}/train-images-idx3-ubyte.gz") as f:
    x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255.0
with gzip.open(f"{src}/train-labels-idx1-ubyte.gz") as f:
    y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int32)
with h5py.File(out, "w") as h:
    h.create_dataset("features", data=x, chunks=(334, 784))
    h.create_dataset("labels", data=y)
    h.create_dataset("index", data=np.arange(len(y), dtype=np.int64))
print(time.perf_counter() - t0)
PYEOF
)
bytes=$(stat -c %s "$work/fp.h5")
awk -v n=60000 -v b="$bytes" -v f="$fp_s" -v a="$anchor_s" 'BEGIN {
  printf "%-22s %8s %12s %10s\n", "raw store (60000x784)", "seconds", "images/s", "MB/s"
  printf "%-22s %8.2f %12.0f %10.1f\n", "featpipe extract", f, n / f, b / 1e6 / f
  printf "%-22s %8.2f %12.0f %10.1f\n", "numpy + h5py", a, n / a, b / 1e6 / a
  printf "ratio (anchor / featpipe time): %.2fx\n", a / f
}'
