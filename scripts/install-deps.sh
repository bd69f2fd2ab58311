#!/usr/bin/env bash
# Installs every Debian package featpipe, its tests, benchmarks, Debian package and default data need.
# Idempotent: packages already present are skipped, and nothing runs when all are there.
# Works as root, or through sudo for other users.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  # libraries
  libopencv-dev libvlfeat-dev libboost-program-options-dev libhdf5-dev libeigen3-dev nlohmann-json3-dev
  # MPI for the executable (`mpirun -np N featpipe ...`); HDF5 stays the serial library
  libopenmpi-dev openmpi-bin
  # tests and benchmarks
  googletest libgtest-dev libgmock-dev libbenchmark-dev hdf5-tools
  # the Debian package (make package): the man page, and dpkg-shlibdeps with the `file` CPack runs before it
  help2man dpkg-dev file
  # default data
  dataset-fashion-mnist
  # anchors and plots (Debian's interpreter: /usr/bin/python3)
  python3 python3-numpy python3-h5py python3-sklearn python3-skimage python3-opencv python3-matplotlib
  # the Python module (pybind11 for Debian's /usr/bin/python3) and its tests
  python3-dev pybind11-dev python3-pybind11 python3-pytest
  # LIBLINEAR, the anchor of bench/bench_liblinear.sh (a benchmark's only: not in the .deb's Recommends)
  python3-liblinear
  # report rendering test (headless)
  chromium
)

if [[ ${FEATPIPE_DEPS_EXTRA:-} != "" ]]; then
  read -r -a extra <<<"$FEATPIPE_DEPS_EXTRA"
  packages+=("${extra[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then
    sudo_cmd=(sudo)
  else
    echo "install-deps: error: not root and no sudo; install these packages: ${missing[*]}" >&2
    exit 2
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
