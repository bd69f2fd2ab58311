#!/usr/bin/env bash
# Runs every benchmark in bench/ (each runs featpipe and its anchor side by side and prints ratios).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for b in "$here"/bench_*.sh; do
  echo "== $(basename "$b")"
  bash "$b"
done
