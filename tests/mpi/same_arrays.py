#!/usr/bin/python3
"""Exit 0 when two featpipe stores hold the same datasets with the same bytes (attributes, which hold the
creation time and run times, are not compared); otherwise print the first difference and exit 1. Reads
virtual datasets through h5py, as a user would.
    same_arrays.py A.h5 B.h5 [--ignore NAME ...]
"""
import sys

import h5py
import numpy as np


def datasets(path):
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.__setitem__("/" + name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return found


def main(argv):
    a, b = argv[1], argv[2]
    ignore = set(argv[argv.index("--ignore") + 1:]) if "--ignore" in argv else set()
    left, right = datasets(a), datasets(b)
    names = sorted((set(left) | set(right)) - ignore)
    for name in names:
        if name not in left or name not in right:
            print(f"{name}: only in {a if name in left else b}")
            return 1
        x, y = np.asarray(left[name]), np.asarray(right[name])
        if x.dtype != y.dtype or x.shape != y.shape:
            print(f"{name}: {x.dtype}{x.shape} in {a}, {y.dtype}{y.shape} in {b}")
            return 1
        if x.dtype.kind in "fiu" and x.tobytes() != y.tobytes():
            diff = np.argwhere(x.view(np.uint8).reshape(-1) != y.view(np.uint8).reshape(-1))
            print(f"{name}: bytes differ ({len(diff)} bytes, first at byte {int(diff[0][0])})")
            return 1
        if x.dtype.kind not in "fiu" and not np.array_equal(x, y):
            print(f"{name}: values differ")
            return 1
    print(f"same arrays: {len(names)} datasets of {a} and {b}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
