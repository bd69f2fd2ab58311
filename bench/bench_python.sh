#!/usr/bin/env bash
# featpipe's Python module against scikit-image, OpenCV and scikit-learn, side by side (bench_python.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FEATPIPE=${FEATPIPE:-build/featpipe}
PYTHONPATH=$(cd "$(dirname "$FEATPIPE")" && pwd)/python exec /usr/bin/python3 "$here/bench_python.py" "$@"
