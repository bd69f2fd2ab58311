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
test_name=install_test
. "$src/tests/install/installed_checks.sh"

step "cmake --install into a temporary prefix"
quietly cmake --install "$build" --prefix "$prefix"
check_installed_files "$prefix" "$libdir" "$src"

check_example "$prefix" "$libdir" "$src"
check_python "$prefix" "$build"

step "featpipe and the example built with find_package start without OpenCV's image codecs"
# They load them the first time an image file is read (data/image_file.h): the example read PNGs above.
# (Through pkg-config, opencv4's Libs name every OpenCV module, so a linker without --as-needed links them.)
for binary in "$prefix/bin/featpipe" "$tmp/example-build/classify_images"; do
  if readelf -d "$binary" | grep -q 'NEEDED.*libopencv_imgcodecs'; then
    fail "$binary links libopencv_imgcodecs"
  fi
done

step "run the installed recipe with --fast from another folder, no featpipe on PATH"
path=/usr/bin:/bin
if PATH=$path command -v featpipe > /dev/null; then fail "featpipe is on $path: the test needs a PATH without it"; fi
run_fast_recipe "$tmp/exp" env PATH=$path bash "$prefix/share/featpipe/pipelines/fashion-mnist/run.sh" --fast \
  --exp "$tmp/exp"
step "done"
