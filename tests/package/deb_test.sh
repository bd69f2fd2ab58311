#!/usr/bin/env bash
# The Debian package works on this machine: `make package` builds it, apt-get installs it (and what it depends
# on), the installed featpipe runs from /usr/bin, the installed Fashion-MNIST recipe runs with --fast to its
# report, the man page is found, examples/cpp builds against the installed CMake package and pkg-config file,
# and apt-get purge takes every file away again. However the test ends, it leaves the package removed. Each
# part is timed.
#   usage: tests/package/deb_test.sh [BUILD_DIR]   (default: build; .ci/run runs it after `make test`)
# It installs into /usr, so it needs root or sudo, and refuses to run where featpipe is installed already.
set -euo pipefail

refuse() {
  echo "deb_test: $*" >&2
  exit 2
}
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo > /dev/null ||
    refuse "not root, and no sudo: this test installs the featpipe package into /usr and removes it again;" \
      "run it as root or where sudo works"
  sudo_cmd=(sudo)
fi
# The package's state in dpkg: empty or not-installed when absent, installed, config-files, half-installed ...
package_state() {
  dpkg-query -W -f='${db:Status-Status}' featpipe 2> /dev/null || true
}
state=$(package_state)
if [[ -n $state && $state != not-installed && $state != config-files ]]; then
  refuse "featpipe is already installed here ($state); the test installs and removes its own package," \
    "so it would remove yours: 'apt-get remove featpipe' first"
fi
for path in /usr/bin/featpipe /usr/share/featpipe; do
  [[ ! -e $path ]] || refuse "$path exists outside any package (make install PREFIX=/usr?); remove it first"
done

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
mkdir -p "$build"
build=$(cd "$build" && pwd)
test_name=deb_test
tmp=$(mktemp -d)
. "$src/tests/install/installed_checks.sh"

apt_get() {
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}
times=()
part="" part_start=0  # the part running, for the time of one that fails
cleanup() {
  local status=$?
  [[ -z $part ]] || times+=("$(printf '%-46s %4d s, failed' "$part" $((SECONDS - part_start)))")
  state=$(package_state)
  if [[ -n $state && $state != not-installed ]]; then
    echo "deb_test: removing the featpipe package"
    apt_get purge -y -qq featpipe > /dev/null || echo "deb_test: error: 'apt-get purge featpipe' failed" >&2
  fi
  rm -rf "$tmp"
  if [[ ${#times[@]} -gt 0 ]]; then
    echo "deb_test: time of each part"
    printf '  %s\n' "${times[@]}"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# timed NAME COMMAND...: runs COMMAND as a part of the test and records its seconds under NAME.
timed() {
  part=$1 part_start=$SECONDS
  shift
  step "$part"
  "$@"
  times+=("$(printf '%-46s %4d s' "$part" $((SECONDS - part_start)))")
  part=""
}

build_package() {
  make -C "$src" package BUILD="$build"
  local debs=("$build"/featpipe_*.deb)
  [[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "make package made no single featpipe_*.deb in $build"
  deb=${debs[0]}
  dpkg-deb --info "$deb"
  echo "$(basename "$deb"): $(du -k "$deb" | cut -f1) KiB"
  dpkg-deb --contents "$deb" > "$tmp/contents"
  local f
  for f in usr/bin/featpipe usr/share/man/man1/featpipe.1.gz usr/share/doc/featpipe/copyright \
    usr/share/doc/featpipe/changelog.gz usr/share/featpipe/pipelines/fashion-mnist/run.sh \
    usr/share/featpipe/pipelines/encodings/run.sh usr/share/featpipe/pipelines/lib/recipe_steps.sh \
    usr/share/bash-completion/completions/featpipe; do
    grep -q " \./$f\$" "$tmp/contents" || fail "the package has no /$f"
  done
  dpkg-deb --field "$deb" Depends | grep -q 'libopencv-imgcodecs' ||
    fail "the package does not depend on OpenCV's image codecs"
}

install_package() {
  (cd "$build" && apt_get install -y -qq "./$(basename "$deb")")
  [[ $(package_state) == installed ]] || fail "apt-get install left featpipe $(package_state)"
}

run_installed() {
  [[ $(PATH=/usr/bin:/bin command -v featpipe) == /usr/bin/featpipe ]] || fail "featpipe is not in /usr/bin"
  local version
  version=$(/usr/bin/featpipe --version)
  echo "$version"
  [[ $version == *"$(dpkg-deb --field "$deb" Version)"* ]] ||
    fail "featpipe --version does not say the package's version"
  /usr/bin/featpipe datasets || fail "featpipe datasets failed"
  # libdir: where the build put the libraries below the prefix (GNUInstallDirs; lib for /usr/local builds).
  check_installed_files /usr "$libdir" "$src"
  local page=/usr/share/man/man1/featpipe.1.gz
  if [[ ! -f $page ]] || ! zcat "$page" | grep -q '^\.TH FEATPIPE'; then
    fail "$page is not featpipe's man page"
  fi
  if command -v man > /dev/null; then
    [[ $(man -w featpipe) == "$page" ]] || fail "man -w featpipe does not find $page"
  fi
}

remove_package() {
  apt_get purge -y -qq featpipe > /dev/null
  local path
  for path in /usr/bin/featpipe /usr/share/featpipe /usr/include/featpipe "/usr/$libdir/cmake/featpipe" \
    "/usr/$libdir/pkgconfig/featpipe.pc" /usr/share/man/man1/featpipe.1.gz /usr/share/doc/featpipe \
    /usr/lib/python3*/dist-packages/featpipe; do
    [[ ! -e $path ]] || fail "$path is left after apt-get purge featpipe"
  done
}

timed "make package" build_package
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
timed "apt-get install ./$(basename "$deb")" install_package
timed "featpipe --version, datasets, files, man" run_installed
timed "/usr/share/.../fashion-mnist/run.sh --fast" run_fast_recipe "$tmp/exp" \
  env EXP="$tmp/exp" PATH=/usr/bin:/bin /usr/share/featpipe/pipelines/fashion-mnist/run.sh --fast
timed "examples/cpp against the installed package" check_example /usr "$libdir" "$src"
timed "import featpipe in /usr/bin/python3" check_python /usr "$build"
timed "apt-get purge featpipe" remove_package
step "done"
