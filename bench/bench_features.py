"""HOG anchors for bench_features.sh: OpenCV's HOGDescriptor and scikit-image's hog on one core.

Run with Debian's /usr/bin/python3 (python3-opencv, python3-skimage). Usage: bench_features.py [N]
Reads the first N (default 10000) Fashion-MNIST test images and prints, per method, best of 3 passes:
"<name> <images/s> <floats per image>".

Geometry (the same as featpipe's hog(cell=4,bins=9,variant=dalaltriggs) in bench_features.cpp): 4-pixel
cells, 9 unsigned orientations, 2x2-cell (8x8-pixel) blocks at a 4-pixel stride, L2-Hys, 1296 floats.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import gzip
import sys
import time

import cv2
import numpy as np
from skimage.feature import hog

PASSES = 3
IMAGES = os.path.join(os.environ.get("FEATPIPE_FASHION_MNIST", "/usr/share/datasets/fashion-mnist"),
                      "t10k-images-idx3-ubyte.gz")


def read_idx_images(path, n):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count, rows, cols = np.frombuffer(data[:16], dtype=">u4")
    if magic != 2051 or n > count:
        raise SystemExit(f"{path}: not an IDX image file with {n} images")
    pixels = np.frombuffer(data[16:16 + n * rows * cols], dtype=np.uint8)
    return [np.ascontiguousarray(im) for im in pixels.reshape(n, rows, cols)]


def images_per_second(fn, images):
    best = float("inf")
    for _ in range(PASSES):
        t0 = time.perf_counter()
        for im in images:
            fn(im)
        best = min(best, time.perf_counter() - t0)
    return len(images) / best


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    cv2.setNumThreads(1)
    images = read_idx_images(IMAGES, n)
    h, w = images[0].shape

    cv_hog = cv2.HOGDescriptor((w, h), (8, 8), (4, 4), (4, 4), 9)  # L2-Hys is its only block norm
    dim = cv_hog.compute(images[0]).size
    print(f"opencv_hog {images_per_second(cv_hog.compute, images):.1f} {dim}")

    def sk(im):
        return hog(im, orientations=9, pixels_per_cell=(4, 4), cells_per_block=(2, 2),
                   block_norm="L2-Hys", feature_vector=True)

    dim = sk(images[0]).size
    print(f"skimage_hog {images_per_second(sk, images):.1f} {dim}")


if __name__ == "__main__":
    main()
