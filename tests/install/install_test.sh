#!/usr/bin/env bash
# featpipe installed into a temporary prefix works away from its source and build trees: the package and
# pkg-config file build examples/cpp, whose classes and scores agree with the installed `featpipe predict`,
# and the installed Fashion-MNIST recipe runs with --fast from another folder, with no featpipe on PATH, to
# its report.
#   usage: install_test.sh BUILD_DIR SOURCE_DIR LIBDIR   (LIBDIR: CMAKE_INSTALL_LIBDIR, e.g. lib)
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
libdir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

fail() {
  echo "install_test: $*" >&2
  exit 1
}
step() {
  echo "== $* ($SECONDS s)"
}
# Runs a command with its output in a log that is printed only when it fails.
quietly() {
  local log=$tmp/step.log
  "$@" > "$log" 2>&1 || {
    cat "$log"
    fail "failed: $*"
  }
}

step "cmake --install into a temporary prefix"
quietly cmake --install "$build" --prefix "$prefix"
for f in bin/featpipe share/featpipe/pipelines/report/report.py share/featpipe/pipelines/lib/stages.sh \
  share/featpipe/pipelines/lib/recipe.sh share/featpipe/pipelines/fashion-mnist/run.sh \
  "$libdir/cmake/featpipe/featpipeConfig.cmake" "$libdir/cmake/featpipe/featpipeConfigVersion.cmake" \
  "$libdir/cmake/featpipe/featpipeTargets.cmake" "$libdir/cmake/featpipe/FindVLFeat.cmake" \
  "$libdir/pkgconfig/featpipe.pc"; do
  [[ -f $prefix/$f ]] || fail "$f is not installed"
done
[[ -x $prefix/share/featpipe/pipelines/fashion-mnist/run.sh ]] || fail "the installed recipe is not executable"
for stage in core data features vocab classify pipelines; do
  [[ -f $prefix/$libdir/libfeatpipe_$stage.a ]] || fail "libfeatpipe_$stage.a is not installed"
  # Exactly the public headers: no private src/*.h.
  diff <(cd "$src/$stage/include" && find featpipe -name '*.h' | sort) \
    <(cd "$prefix/include" && find "featpipe/$stage" -name '*.h' | sort) ||
    fail "the installed headers of $stage differ from $stage/include"
done
# Every featpipe header an installed header includes is installed too.
grep -rhoE '#include "[^"]+"' "$prefix/include" | sed -E 's/#include "(.*)"/\1/' | sort -u |
  while read -r header; do
    [[ -f $prefix/include/$header ]] || fail "an installed header includes $header, which is not installed"
  done

step "build examples/cpp with find_package(featpipe) from outside the source tree"
cp -r "$src/examples/cpp" "$tmp/example-src"
quietly cmake -S "$tmp/example-src" -B "$tmp/example-build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix"
found=$(sed -n 's/^featpipe_DIR:PATH=//p' "$tmp/example-build/CMakeCache.txt")
[[ $(cd "$found" && pwd -P) == $(cd "$prefix/$libdir/cmake/featpipe" && pwd -P) ]] ||
  fail "find_package(featpipe) found $found, not the installed package"
quietly cmake --build "$tmp/example-build"

step "build it again with pkg-config --cflags --libs featpipe"
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
flags=$(pkg-config --cflags --libs featpipe) || fail "pkg-config --cflags --libs featpipe failed"
[[ $(cd "$(pkg-config --variable=includedir featpipe)" && pwd -P) == $(cd "$prefix/include" && pwd -P) ]] ||
  fail "featpipe.pc points to $(pkg-config --variable=includedir featpipe), not the installed headers"
# shellcheck disable=SC2086  # the flags are words
quietly g++ -std=c++20 -O1 "$tmp/example-src/classify_images.cpp" -o "$tmp/classify_images_pc" $flags

step "featpipe and the example built with find_package start without OpenCV's image codecs"
# They load them the first time an image file is read (data/image_file.h): the example reads PNGs below.
# (Through pkg-config, opencv4's Libs name every OpenCV module, so a linker without --as-needed links them.)
for binary in "$prefix/bin/featpipe" "$tmp/example-build/classify_images"; do
  if readelf -d "$binary" | grep -q 'NEEDED.*libopencv_imgcodecs'; then
    fail "$binary links libopencv_imgcodecs"
  fi
done

step "train a model with the installed featpipe and classify new images with the example"
featpipe=$prefix/bin/featpipe
data="synthetic:shapes(classes=4,size=32,train=200,test=40)"
features="hog(cell=4,variant=uoctti)+huehist(bins=12)"
quietly "$featpipe" extract --quiet --data "$data" --split train --features "$features" --out "$tmp/train.h5"
quietly "$featpipe" train --quiet --train "$tmp/train.h5" --loss svm --epochs 5 --out "$tmp/model.h5"
mkdir "$tmp/images"
/usr/bin/python3 -c '
import sys, cv2, numpy as np
out = sys.argv[1]
disc = np.zeros((32, 32, 3), np.uint8); cv2.circle(disc, (16, 16), 10, (40, 40, 220), -1)
bars = np.zeros((32, 32, 3), np.uint8); bars[:, ::4] = (220, 160, 30)
noise = np.random.default_rng(0).integers(0, 256, (40, 48, 3), dtype=np.uint8)
for name, image in (("disc", disc), ("bars", bars), ("noise", noise)):
    assert cv2.imwrite(f"{out}/{name}.png", image)
' "$tmp/images"
images=("$tmp/images/disc.png" "$tmp/images/bars.png" "$tmp/images/noise.png")
"$tmp/example-build/classify_images" "$tmp/model.h5" "${images[@]}" > "$tmp/example.out" ||
  fail "classify_images failed"
"$tmp/classify_images_pc" "$tmp/model.h5" "${images[@]}" > "$tmp/example_pc.out" ||
  fail "classify_images built with pkg-config failed"
diff "$tmp/example.out" "$tmp/example_pc.out" || fail "the two builds of the example disagree"
"$featpipe" predict --quiet --model "$tmp/model.h5" --top 1 "${images[@]}" > "$tmp/predict.out"
# predict prints IMAGE<TAB>CLASS<TAB>CLASS=SCORE; the example "IMAGE -> CLASS", then "  CLASS SCORE" lines.
[[ $(grep -c ' -> ' "$tmp/example.out") -eq ${#images[@]} ]] || fail "the example classified too few images"
for image in "${images[@]}"; do
  expected=$(awk -F'\t' -v i="$image" '$1 == i { print $2 }' "$tmp/predict.out")
  score=$(awk -F'\t' -v i="$image" '$1 == i { sub(/.*=/, "", $3); print $3 }' "$tmp/predict.out")
  got=$(awk -v i="$image" '$1 == i && $2 == "->" { print $3 }' "$tmp/example.out")
  [[ -n $expected && $got == "$expected" ]] || fail "$image: the example says '$got', featpipe predict '$expected'"
  got_score=$(awk -v i="$image" -v c="$expected" '
    $1 == i && $2 == "->" { inside = 1; next }
    / -> / { inside = 0 }
    inside && $1 == c { printf "%.4f", $2 }' "$tmp/example.out")
  [[ $got_score == $(printf '%.4f' "$score") ]] ||
    fail "$image: the example scores $expected $got_score, featpipe predict $score"
done
cat "$tmp/example.out"

step "run the installed recipe with --fast from another folder, no featpipe on PATH"
mkdir "$tmp/work"
path=/usr/bin:/bin
if PATH=$path command -v featpipe > /dev/null; then fail "featpipe is on $path: the test needs a PATH without it"; fi
recipe_start=$SECONDS
(cd "$tmp/work" && env -u FEATPIPE -u EXP -u FEATPIPE_REPORT_SCRIPT PATH=$path \
  bash "$prefix/share/featpipe/pipelines/fashion-mnist/run.sh" --fast --exp "$tmp/exp") > "$tmp/recipe.log" 2>&1 || {
  cat "$tmp/recipe.log"
  fail "the installed recipe failed"
}
[[ -f $tmp/exp/report/report.html ]] || {
  cat "$tmp/recipe.log"
  fail "the installed recipe wrote no $tmp/exp/report/report.html"
}
[[ ! -e $tmp/work/exp ]] || fail "--exp was ignored: the recipe wrote into exp/ of the working folder"
tail -n 8 "$tmp/recipe.log"
echo "recipe --fast: $((SECONDS - recipe_start)) s"
step "done"
