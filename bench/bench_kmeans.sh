#!/usr/bin/env bash
# k-means speed and quality: on the same 200000 x 128 dense SIFT descriptors of Fashion-MNIST and the same
# 256 initial centres, 10 Lloyd iterations of featpipe, VLFeat's vl_kmeans (Elkan and Lloyd, C API) and
# scikit-learn's KMeans (Debian's python3-sklearn). Prints seconds, the final energy of each method's
# centres (one evaluator for all) and the speed-up of featpipe over each.
set -euo pipefail
FEATPIPE=${FEATPIPE:-build/featpipe}
BENCH=${BENCH_KMEANS:-$(dirname "$FEATPIPE")/bench/bench_kmeans}
PY=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$BENCH" prepare "$work"
sklearn_s=$("$PY" - "$work" <<'PYEOF'
import sys, time
import numpy as np
from sklearn.cluster import KMeans
work = sys.argv[1]
x = np.fromfile(f"{work}/x.f32", dtype=np.float32).reshape(-1, 128)
init = np.fromfile(f"{work}/init.f32", dtype=np.float32).reshape(-1, 128)
km = KMeans(n_clusters=len(init), init=init, n_init=1, max_iter=10, tol=0.0, algorithm="lloyd")
t0 = time.perf_counter()
km.fit(x)
seconds = time.perf_counter() - t0
km.cluster_centers_.astype(np.float32).tofile(f"{work}/sklearn.f32")
print(seconds)
PYEOF
)
"$BENCH" run "$work" "$sklearn_s"
