# Checks of an installed featpipe, shared by install_test.sh (a temporary prefix) and
# tests/package/deb_test.sh (the Debian package, prefix /usr). Sourced; the caller sets `test_name` (the start
# of its messages) and `tmp` (a scratch folder it removes).
# shellcheck shell=bash disable=SC2154  # test_name and tmp come from the caller

fail() {
  echo "$test_name: $*" >&2
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

# check_installed_files PREFIX LIBDIR SRC: the program, recipes, report script, CMake package, pkg-config
# file, stage libraries and exactly the public headers of SRC are installed in PREFIX.
check_installed_files() {
  local prefix=$1 libdir=$2 src=$3 f stage
  for f in bin/featpipe share/featpipe/pipelines/report/report.py \
    share/featpipe/pipelines/report/report_sections.py share/featpipe/pipelines/lib/stages.sh \
    share/featpipe/pipelines/lib/recipe.sh share/featpipe/pipelines/lib/stage_record.sh \
    share/featpipe/pipelines/lib/recipe_config.sh share/featpipe/pipelines/lib/recipe_steps.sh \
    share/featpipe/pipelines/fashion-mnist/run.sh share/featpipe/pipelines/encodings/run.sh \
    "$libdir/cmake/featpipe/featpipeConfig.cmake" "$libdir/cmake/featpipe/featpipeConfigVersion.cmake" \
    "$libdir/cmake/featpipe/featpipeTargets.cmake" "$libdir/cmake/featpipe/FindVLFeat.cmake" \
    "$libdir/pkgconfig/featpipe.pc" share/bash-completion/completions/featpipe; do
    [[ -f $prefix/$f ]] || fail "$f is not installed"
  done
  # The installed completion is the one the installed featpipe prints.
  cmp -s "$prefix/share/bash-completion/completions/featpipe" <("$prefix/bin/featpipe" completion bash) ||
    fail "the installed bash completion differs from \`featpipe completion bash\`"
  for f in fashion-mnist encodings; do
    [[ -x $prefix/share/featpipe/pipelines/$f/run.sh ]] || fail "the installed $f recipe is not executable"
  done
  for stage in core data features vocab classify pipelines; do
    [[ -f $prefix/$libdir/libfeatpipe_$stage.a ]] || fail "libfeatpipe_$stage.a is not installed"
    # Exactly the public headers: no private src/*.h.
    diff <(cd "$src/$stage/include" && find featpipe -name '*.h' | sort) \
      <(cd "$prefix/include" && find "featpipe/$stage" -name '*.h' | sort) ||
      fail "the installed headers of $stage differ from $stage/include"
  done
  # Every featpipe header an installed header includes is installed too.
  grep -rhoE '#include "[^"]+"' "$prefix/include/featpipe" | sed -E 's/#include "(.*)"/\1/' | sort -u |
    while read -r header; do
      [[ -f $prefix/include/$header ]] || fail "an installed header includes $header, which is not installed"
    done
}

# check_example PREFIX LIBDIR SRC: builds SRC/examples/cpp against the featpipe installed in PREFIX, with
# find_package(featpipe) and with pkg-config, and checks that both builds classify new images as the installed
# `featpipe predict` does, with the same scores.
check_example() {
  local prefix=$1 libdir=$2 src=$3
  step "build examples/cpp with find_package(featpipe) from outside the source tree"
  cp -r "$src/examples/cpp" "$tmp/example-src"
  quietly cmake -S "$tmp/example-src" -B "$tmp/example-build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix"
  local found
  found=$(sed -n 's/^featpipe_DIR:PATH=//p' "$tmp/example-build/CMakeCache.txt")
  [[ $(cd "$found" && pwd -P) == $(cd "$prefix/$libdir/cmake/featpipe" && pwd -P) ]] ||
    fail "find_package(featpipe) found $found, not the installed package"
  quietly cmake --build "$tmp/example-build"

  step "build it again with pkg-config --cflags --libs featpipe"
  local flags
  flags=$(PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig pkg-config --cflags --libs featpipe) ||
    fail "pkg-config --cflags --libs featpipe failed"
  local includedir
  includedir=$(PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig pkg-config --variable=includedir featpipe)
  [[ $(cd "$includedir" && pwd -P) == $(cd "$prefix/include" && pwd -P) ]] ||
    fail "featpipe.pc points to $includedir, not the installed headers"
  # shellcheck disable=SC2086  # the flags are words
  quietly g++ -std=c++20 -O1 "$tmp/example-src/classify_images.cpp" -o "$tmp/classify_images_pc" $flags

  step "train a model with the installed featpipe and classify new images with the example"
  local featpipe=$prefix/bin/featpipe
  local data="synthetic:shapes(classes=4,size=32,train=200,test=40)"
  local features="hog(cell=4,variant=uoctti)+huehist(bins=12)"
  quietly "$featpipe" extract --quiet --data "$data" --split train --features "$features" \
    --out "$tmp/train.h5"
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
  local images=("$tmp/images/disc.png" "$tmp/images/bars.png" "$tmp/images/noise.png")
  "$tmp/example-build/classify_images" "$tmp/model.h5" "${images[@]}" > "$tmp/example.out" ||
    fail "classify_images failed"
  "$tmp/classify_images_pc" "$tmp/model.h5" "${images[@]}" > "$tmp/example_pc.out" ||
    fail "classify_images built with pkg-config failed"
  diff "$tmp/example.out" "$tmp/example_pc.out" || fail "the two builds of the example disagree"
  "$featpipe" predict --model "$tmp/model.h5" --top 1 "${images[@]}" > "$tmp/predict.out"
  # predict prints a header, then IMAGE<TAB>CLASS<TAB>SCORE (an SVM model: scores, not probabilities); the
  # example "IMAGE -> CLASS", then "  CLASS SCORE" lines.
  [[ $(grep -c ' -> ' "$tmp/example.out") -eq ${#images[@]} ]] || fail "the example classified too few images"
  local image expected score got got_score
  for image in "${images[@]}"; do
    expected=$(awk -F'\t' -v i="$image" '$1 == i { print $2 }' "$tmp/predict.out")
    score=$(awk -F'\t' -v i="$image" '$1 == i { print $3 }' "$tmp/predict.out")
    got=$(awk -v i="$image" '$1 == i && $2 == "->" { print $3 }' "$tmp/example.out")
    [[ -n $expected && $got == "$expected" ]] ||
      fail "$image: the example says '$got', featpipe predict '$expected'"
    got_score=$(awk -v i="$image" -v c="$expected" '
      $1 == i && $2 == "->" { inside = 1; next }
      / -> / { inside = 0 }
      inside && $1 == c { printf "%.4f", $2 }' "$tmp/example.out")
    # predict prints 6 significant digits, the example 4 decimals: equal within the example's rounding
    awk -v a="$got_score" -v b="$score" 'BEGIN { d = a - b; exit !(d <= 0.00006 && d >= -0.00006) }' ||
      fail "$image: the example scores $expected $got_score, featpipe predict $score"
  done
  cat "$tmp/example.out"
}

# run_fast_recipe EXP COMMAND...: runs COMMAND (an installed recipe with --fast, through env to set its
# environment) from an empty folder, without the caller's FEATPIPE, EXP or FEATPIPE_REPORT_SCRIPT, and checks
# that the report is in EXP/report and that nothing was written into the working folder.
run_fast_recipe() {
  local exp=$1
  shift
  local work=$tmp/work start=$SECONDS
  mkdir "$work"
  (cd "$work" && env -u FEATPIPE -u EXP -u FEATPIPE_REPORT_SCRIPT "$@") > "$tmp/recipe.log" 2>&1 || {
    cat "$tmp/recipe.log"
    fail "the installed recipe failed"
  }
  [[ -f $exp/report/report.html ]] || {
    cat "$tmp/recipe.log"
    fail "the installed recipe wrote no $exp/report/report.html"
  }
  [[ -z $(ls -A "$work") ]] || fail "the recipe wrote into its working folder, not into $exp"
  tail -n 9 "$tmp/recipe.log"
  echo "recipe --fast: $((SECONDS - start)) s"
}

# check_python PREFIX BUILD: Debian's /usr/bin/python3 imports the installed featpipe package from another
# folder (on its own sys.path for /usr, through PYTHONPATH for another prefix), and its features equal the
# installed command's. Skipped when BUILD did not build the module (FEATPIPE_PYTHON).
check_python() {
  local prefix=$1 build=$2 pydir
  pydir=$(sed -n 's/^FEATPIPE_PYTHON_INSTALL_DIR:STRING=//p' "$build/CMakeCache.txt")
  if [[ -z $pydir || ! -f $build/python/featpipe/__init__.py ]]; then
    step "no Python module in $build (FEATPIPE_PYTHON): not checked"
    return
  fi
  [[ -f $prefix/$pydir/featpipe/__init__.py ]] || fail "the Python package is not installed in $prefix/$pydir"
  step "import featpipe with /usr/bin/python3 from another folder"
  local data="synthetic:shapes(classes=3,size=16,train=20,test=5)" pythonpath=""
  [[ $prefix == /usr ]] || pythonpath=$prefix/$pydir
  quietly "$prefix/bin/featpipe" extract --quiet --data "$data" --split train --features hog --out "$tmp/py.h5"
  (cd "$tmp" && env -u PYTHONPATH ${pythonpath:+PYTHONPATH=$pythonpath} /usr/bin/python3 -c '
import os, sys
import numpy as np
import featpipe
where = os.path.realpath(featpipe.__file__)
assert where.startswith(os.path.realpath(sys.argv[1])), "imported " + where
X = featpipe.datasets.load(sys.argv[2])[0]
assert np.array_equal(featpipe.extract(X, "hog"), featpipe.open_store("py.h5").features)
print("featpipe", featpipe.__version__, "from", where)' "$prefix/$pydir" "$data") ||
    fail "the installed Python package does not import or does not match the installed featpipe"
}
