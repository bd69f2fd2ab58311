#!/usr/bin/env bash
# Feature extraction speed on one core, 28x28 Fashion-MNIST test images (N, default 10000; best of 3):
# featpipe's HOG (Dalal–Triggs, UoCTTI) against OpenCV's HOGDescriptor and scikit-image's hog at the same
# geometry (4-pixel cells, 9 bins, 8x8 blocks at stride 4, L2-Hys), and featpipe's dense SIFT against
# VLFeat's vl_dsift in flat-window mode (step 2, 4-pixel bins). Prints images/s and the ratios.
# The like-for-like HOG comparison is Dalal–Triggs (1296 floats each); UoCTTI (31 floats per cell) is shown too.
# Targets (issue 4): HOG >= 1x OpenCV and >= 25x scikit-image; dense SIFT >= 1x vl_dsift flat window.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FEATPIPE=${FEATPIPE:-build/featpipe}
BENCH=${BENCH_FEATURES:-$(dirname "$FEATPIPE")/bench/bench_features}
PY=/usr/bin/python3
N=${N:-10000}
export OMP_NUM_THREADS=1

ours=$("$BENCH" "$N")
anchors=$("$PY" "$here/bench_features.py" "$N")

printf '%s\n%s\n' "$ours" "$anchors" | awk -v n="$N" '
  { rate[$1] = $2; dim[$1] = $3 }
  function row(name, what) { printf "%-34s %10.0f images/s  (%s)\n", name, rate[name], what }
  function ratio(label, a, b, target) {
    printf "%-34s %10.2fx  (target >= %gx: %s)\n", label, rate[a] / rate[b], target,
           (rate[a] / rate[b] >= target ? "met" : "NOT met")
  }
  END {
    printf "one core, %d Fashion-MNIST test images (28x28), best of 3\n", n
    row("hog_dalaltriggs", dim["hog_dalaltriggs"] " floats")
    row("hog_uoctti", dim["hog_uoctti"] " floats")
    row("opencv_hog", dim["opencv_hog"] " floats, cv2.HOGDescriptor.compute")
    row("skimage_hog", dim["skimage_hog"] " floats, skimage.feature.hog")
    row("dsift", dim["dsift"] " descriptors, step 2, bin 4, flat window")
    row("vl_dsift", dim["vl_dsift"] " descriptors, vl_dsift_set_flat_window(1)")
    printf "dsift vs vl_dsift max |difference|  %g\n", rate["dsift_max_abs_diff"]
    ratio("hog dalaltriggs / opencv", "hog_dalaltriggs", "opencv_hog", 1)
    ratio("hog dalaltriggs / skimage", "hog_dalaltriggs", "skimage_hog", 25)
    ratio("hog uoctti (31/cell) / opencv", "hog_uoctti", "opencv_hog", 1)
    ratio("hog uoctti (31/cell) / skimage", "hog_uoctti", "skimage_hog", 25)
    ratio("dsift / vl_dsift (flat window)", "dsift", "vl_dsift", 1)
  }'
