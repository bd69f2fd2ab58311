"""featpipe's Coates-Lee-Ng pipeline against an independent numpy implementation of the paper.

Coates, Lee & Ng, "An analysis of single-layer networks in unsupervised feature learning", AISTATS 2011:
raw patches, each normalised for brightness and contrast, (x - mean(x)) / sqrt(var(x) + 10) with pixels in
[0, 255]; ZCA whitening learned on those, x -> (x - m) V diag(1 / sqrt(lambda + 0.1)) V^T; k-means words; the
triangle activation f_k = max(0, mu(z) - z_k), z_k the distance to word k and mu(z) the mean of z over the
words; each code summed over the image's four quadrants.

Every intermediate array is compared: patches, normalised patches, the ZCA mean and matrix (and its
eigen-decomposition), whitened patches, nearest-word assignments, triangle codes and the pooled features,
through the Python module (featpipe's whitened patches read back as VLAD residuals without a norm, one patch
per pyramid cell) and through the commands' stores (read with h5py).
Tolerances follow float32 rounding scaled by the magnitudes that enter each value.

Where the paper leaves a convention open, the reference follows featpipe and says so:
- Patch order and layout (features/src/patch.cpp): patch corners row by row (y0 outer, x0 inner) every
  `stride` pixels, each patch's pixels row by row, channels interleaved; a patch's frame is its centre,
  (x0 + (size - 1) / 2, y0 + (size - 1) / 2).
- Variance of the per-patch normalisation: the paper says "variance"; its authors' Matlab code calls var(),
  the unbiased estimate (divides by d - 1). featpipe's `patch(norm=1)` descriptor divides by d (the
  population variance), while `vocab --patch-norm` divides by d - 1 as the Matlab code does. Both are
  checked, each against its own convention; they differ by the factor d / (d - 1) inside the square root
  (1.03 for 6 x 6 grey patches), small beside the eps of 10.
- ZCA covariance: divided by n - 1 (the paper does not say; Matlab's cov() does the same).
- Quadrant pooling: a patch belongs to the quadrant that holds the pixel nearest its centre (half-way
  centres round up), featpipe's spatial-pyramid rule (features/src/spatial_pyramid.cpp).
"""
import os

import numpy as np
import pytest

import featpipe

SIZE = 6
EPS_PATCH = 10.0
EPS_ZCA = 0.1
K = 16
F32 = np.finfo(np.float32).eps
SEED = 3
# Where featpipe looks for it (data/src/dataset.cpp): Debian's dataset-fashion-mnist unless overridden.
FASHION_MNIST = os.environ.get("FEATPIPE_FASHION_MNIST") or "/usr/share/datasets/fashion-mnist"


# ---- the numpy reference, written from the paper ----

def reference_patches(image, size, stride):
    """All size x size patches of an (H, W) or (H, W, C) uint8 image as float64 rows, with their centres."""
    image = image if image.ndim == 3 else image[:, :, None]
    rows, centres = [], []
    for y0 in range(0, image.shape[0] - size + 1, stride):
        for x0 in range(0, image.shape[1] - size + 1, stride):
            rows.append(image[y0:y0 + size, x0:x0 + size, :].reshape(-1).astype(np.float64))
            centres.append((x0 + (size - 1) / 2, y0 + (size - 1) / 2))
    return np.array(rows), np.array(centres)


def reference_normalise(x, eps, ddof):
    """Brightness and contrast normalisation of each row."""
    return (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, ddof=ddof, keepdims=True) + eps)


def reference_zca(x, eps):
    """The ZCA mean, matrix and the covariance's eigenvalues (ascending) of rows x."""
    mean = x.mean(axis=0)
    centred = x - mean
    covariance = centred.T @ centred / (len(x) - 1)
    values, vectors = np.linalg.eigh(covariance)
    matrix = vectors @ np.diag(1.0 / np.sqrt(np.maximum(values, 0.0) + eps)) @ vectors.T
    return mean, matrix, values


def reference_distances(w, centres):
    return np.sqrt(((w[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))


def reference_triangle(z):
    return np.maximum(0.0, z.mean(axis=1, keepdims=True) - z)


def reference_cell(centre, width, height, grid):
    """The pyramid cell (row-major in a grid x grid) of the pixel nearest a frame centre."""
    px = min(max(int(np.floor(centre[0] + 0.5)), 0), width - 1)
    py = min(max(int(np.floor(centre[1] + 0.5)), 0), height - 1)
    cx = min(grid - 1, ((px + 1) * grid - 1) // width)
    cy = min(grid - 1, ((py + 1) * grid - 1) // height)
    return cy * grid + cx


# ---- images ----

def generated_images(count, side, seed):
    """Smooth blobs and edges with noise: patches with structure, not only noise, so ZCA has work to do."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:side, 0:side].astype(np.float64)
    images = []
    for _ in range(count):
        cx, cy, r = rng.uniform(0, side, 3)
        blob = 200 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * (2 + r) ** 2))
        edge = 80 * (xx * np.cos(r) + yy * np.sin(r) > cx)
        image = blob + edge + rng.normal(0, 12, (side, side))
        images.append(np.clip(np.rint(image), 0, 255).astype(np.uint8))
    return np.array(images)


def fashion_mnist(count):
    if not os.path.isdir(FASHION_MNIST):
        pytest.skip(f"Fashion-MNIST is not installed ({FASHION_MNIST})")
    images, _, _ = featpipe.datasets.load_split("fashion-mnist", "test", subset=count)
    return np.asarray(images)


SOURCES = {
    # (training images for the vocabulary, images to encode)
    "generated": lambda: (generated_images(24, 24, 1), generated_images(4, 24, 2)),
    "fashion-mnist": lambda: (fashion_mnist(40)[:30], fashion_mnist(40)[30:]),
}


@pytest.fixture(scope="module", params=sorted(SOURCES))
def source(request):
    return SOURCES[request.param]()


@pytest.fixture(scope="module")
def learned(source, tmp_path_factory):
    """featpipe's normalised patches (every one, stride 1) and the ZCA and words it learns from them."""
    train, _ = source
    spec = f"patch(size={SIZE},stride=1,eps={EPS_PATCH:g})"
    d = featpipe.descriptors(train, spec)
    rows = np.ascontiguousarray(d.descriptors)
    vocabularies = {}
    # The same rows for two descriptor specs: stride 1 (the paper's) and stride SIZE (one patch per pyramid
    # cell, so the encoder's per-cell output shows each patch's own code).
    for stride in (1, SIZE):
        v = featpipe.Vocabulary.fit(rows, K, descriptor=f"patch(size={SIZE},stride={stride},eps={EPS_PATCH:g})",
                                    whiten="zca", zca_eps=EPS_ZCA, iterations=10, seed=SEED)
        path = tmp_path_factory.mktemp("coates") / f"stride{stride}.h5"
        v.save(path)
        vocabularies[stride] = (v, path)
    return d, vocabularies


def read_whitening(path):
    h5py = pytest.importorskip("h5py")
    with h5py.File(path, "r") as f:
        return (f["whitening/mean"][:].astype(np.float64), f["whitening/transform"][:].astype(np.float64),
                f["centres"][:].astype(np.float64))


# ---- the comparisons ----

def test_patches_are_the_pixels_in_featpipes_order(source):
    _, images = source
    for image in images:
        d = featpipe.descriptors(image[None], f"patch(size={SIZE},stride=2,norm=0)")
        expected, centres = reference_patches(image, SIZE, 2)
        # Integers below 256 are exact in float32.
        np.testing.assert_array_equal(d.descriptors, expected)
        np.testing.assert_array_equal(d.frames[:, :2], centres)


def test_normalised_patches_divide_by_the_population_variance(learned, source):
    d, _ = learned
    train, _ = source
    raw = np.concatenate([reference_patches(image, SIZE, 1)[0] for image in train])
    expected = reference_normalise(raw, EPS_PATCH, ddof=0)
    # Each value is (x - mean) * scale with relative rounding of a few float32 ulps of the pixel range.
    tolerance = 8 * F32 * (np.abs(raw).max(axis=1, keepdims=True) + 1) / np.sqrt(raw.var(axis=1, keepdims=True)
                                                                                 + EPS_PATCH)
    assert d.descriptors.shape == expected.shape
    assert np.all(np.abs(d.descriptors - expected) <= tolerance)
    # The Matlab var() convention would differ measurably on contrasted patches: the test can tell them apart.
    unbiased = reference_normalise(raw, EPS_PATCH, ddof=1)
    assert np.any(np.abs(d.descriptors - unbiased) > 100 * tolerance)


def test_vocab_patch_norm_divides_by_the_unbiased_variance(source, tmp_path):
    train, _ = source
    raw = featpipe.descriptors(train, f"patch(size={SIZE},stride=1,norm=0)")
    v = featpipe.Vocabulary.fit(raw, 4, whiten="zca", zca_eps=EPS_ZCA, patch_norm=True, patch_eps=EPS_PATCH,
                                iterations=2, seed=SEED)
    assert v.dim == SIZE * SIZE
    x = reference_normalise(raw.descriptors.astype(np.float64), EPS_PATCH, ddof=1)
    expected, matrix, _ = reference_zca(x, EPS_ZCA)
    # The learned ZCA mean is the mean of the normalised rows (Matlab's var(), d - 1); not of the d ones.
    population = reference_normalise(raw.descriptors.astype(np.float64), EPS_PATCH, ddof=0).mean(axis=0)
    v.save(tmp_path / "v.h5")
    stored, stored_matrix, _ = read_whitening(tmp_path / "v.h5")
    tolerance = 16 * F32 * np.abs(x).max()
    assert np.all(np.abs(stored - expected) <= tolerance)
    assert np.abs(stored_matrix - matrix).max() <= 16 * F32 * np.abs(matrix).max()
    assert np.abs(stored - population).max() > 100 * tolerance


def test_zca_matches_the_eigendecomposition(learned):
    d, vocabularies = learned
    x = d.descriptors.astype(np.float64)
    mean, matrix, values = reference_zca(x, EPS_ZCA)
    for _, path in vocabularies.values():
        fp_mean, fp_matrix, _ = read_whitening(path)
        assert np.all(np.abs(fp_mean - mean) <= 16 * F32 * np.abs(x).max())
        # A float32 copy of a matrix computed in double: rounding of the largest entries, with a margin.
        scale = np.abs(matrix).max()
        assert np.abs(fp_matrix - matrix).max() <= 16 * F32 * scale
        # Its eigenvalues are 1 / sqrt(lambda + eps) of the covariance's, and it is symmetric.
        np.testing.assert_allclose(fp_matrix, fp_matrix.T, rtol=0, atol=4 * F32 * scale)
        fp_values = np.sort(np.linalg.eigvalsh((fp_matrix + fp_matrix.T) / 2))
        expected = np.sort(1.0 / np.sqrt(np.maximum(values, 0) + EPS_ZCA))
        assert np.abs(fp_values - expected).max() <= 16 * F32 * expected.max()


def encode_per_patch(v, image, encoding):
    """The encoder's code of each patch: stride SIZE, and a pyramid as fine as the patch grid, so every cell
    holds exactly one patch (checked). Returns the codes in patch order, (patches, cell width)."""
    _, centres = reference_patches(image, SIZE, SIZE)
    across = (image.shape[1] - SIZE) // SIZE + 1
    grid = across
    cells = [reference_cell(c, image.shape[1], image.shape[0], grid) for c in centres]
    assert sorted(cells) == list(range(grid * grid)), "the test's grid must give each patch its own cell"
    pooled = v.encode(image[None], encoding=encoding, pyramid=str(grid), norm="none")[0]
    return pooled.reshape(grid * grid, -1)[cells]


def whitened_reference(image, mean, matrix):
    raw, _ = reference_patches(image, SIZE, SIZE)
    x = reference_normalise(raw, EPS_PATCH, ddof=0)
    return x, (x - mean) @ matrix


def test_whitened_patches_assignments_and_triangle_codes(learned, source):
    d, vocabularies = learned
    _, images = source
    v, path = vocabularies[SIZE]
    _, _, centres = read_whitening(path)
    mean, matrix, _ = reference_zca(d.descriptors.astype(np.float64), EPS_ZCA)
    for image in images:
        x, w = whitened_reference(image, mean, matrix)
        n = len(w)
        # featpipe's whitened patch: VLAD without a norm puts w - c in the block of w's nearest word.
        vlad = encode_per_patch(v, image, "vlad").reshape(n, K, -1)
        labels = np.argmax(np.abs(vlad).sum(axis=2), axis=1)
        fp_w = vlad[np.arange(n), labels] + centres[labels]
        # Rounding of (x - m) W in float32, plus the residual's.
        w_tol = whitening_tolerance(x, mean, matrix) + 4 * F32 * np.abs(centres).max()
        assert np.all(np.abs(fp_w - w) <= w_tol)

        # Nearest word, by featpipe's words: ties allowed within the distances' rounding.
        z = reference_distances(w, centres)
        z_tol = distance_tolerance(w, centres, z)
        bow = encode_per_patch(v, image, "bow")
        np.testing.assert_array_equal(bow.sum(axis=1), 1.0)
        fp_labels = np.argmax(bow, axis=1)
        np.testing.assert_array_equal(fp_labels, labels)
        nearest = z.min(axis=1)
        chosen = z[np.arange(n), fp_labels]
        assert np.all(chosen - nearest <= 2 * z_tol.max(axis=1) + w_tol.max() * np.sqrt(w.shape[1]))

        # Triangle: f_k = max(0, mean(z) - z_k).
        f = reference_triangle(z)
        f_tol = triangle_tolerance(z_tol, w_tol, w.shape[1])
        fp_f = encode_per_patch(v, image, "triangle")
        assert fp_f.shape == f.shape
        assert np.all(np.abs(fp_f - f) <= f_tol)
        assert np.all(fp_f >= 0) and np.all((f > f_tol) == (fp_f > f_tol))


def whitening_tolerance(x, mean, matrix):
    """Per row: the float32 rounding of (x - m) W, whose d products' errors add like a random walk (their
    signs vary), sqrt(d) ulps of their size, with a margin of 16; featpipe's float32 copy of W adds one ulp
    of each entry (checked in test_zca_matches_the_eigendecomposition)."""
    d = x.shape[1]
    return (16 * F32 * np.sqrt(d) * np.linalg.norm(x - mean, axis=1) * np.abs(matrix).max())[:, None]


def distance_tolerance(w, centres, z):
    """featpipe computes z^2 as |w|^2 - 2 w.c + |c|^2 in float32: an error of a few ulps of the larger
    squared norm, over d products; as an error of z, that much divided by z (or its square root near 0)."""
    squared = (w ** 2).sum(axis=1)[:, None] + (centres ** 2).sum(axis=1)[None, :]
    error = 4 * w.shape[1] * F32 * squared
    return error / np.maximum(z, np.sqrt(error))


def triangle_tolerance(z_tol, w_tol, dim):
    """Each z also moves with featpipe's whitened patch (within w_tol per value); mean(z) - z_k sums both."""
    z_total = z_tol + np.sqrt(dim) * w_tol.max(axis=1, keepdims=True)
    return z_total + z_total.mean(axis=1, keepdims=True)


def reference_pooled(image, mean, matrix, centres):
    """The paper's features of one image (stride 1, triangle codes summed over the four quadrants), and
    their tolerance: (4, k) each."""
    raw, frame_centres = reference_patches(image, SIZE, 1)
    x = reference_normalise(raw, EPS_PATCH, ddof=0)
    w = (x - mean) @ matrix
    z = reference_distances(w, centres)
    w_tol = whitening_tolerance(x, mean, matrix)
    f = reference_triangle(z)
    f_tol = triangle_tolerance(distance_tolerance(w, centres, z), w_tol, w.shape[1])
    quadrant = np.array([reference_cell(c, image.shape[1], image.shape[0], 2) for c in frame_centres])
    # Every quadrant holds patches: the comparison covers all four.
    assert np.all(np.bincount(quadrant, minlength=4) > 0)
    pooled = np.zeros((4, len(centres)))
    variance = np.zeros((4, len(centres)))
    np.add.at(pooled, quadrant, f)
    np.add.at(variance, quadrant, f_tol ** 2)
    # The patches' errors are independent, so their sum's grows as the square root of the sum of their
    # squares (a margin of 4); summing in float32 adds a rounding of the running sum per patch, again with
    # varying signs.
    count = np.bincount(quadrant, minlength=4)[:, None]
    return pooled, 4 * np.sqrt(variance) + 4 * np.sqrt(count) * F32 * pooled


def test_quadrant_sum_pooling_of_every_patch(learned, source):
    """The paper's setting: stride 1, triangle codes summed over the four quadrants."""
    d, vocabularies = learned
    _, images = source
    v, path = vocabularies[1]
    _, _, centres = read_whitening(path)
    mean, matrix, _ = reference_zca(d.descriptors.astype(np.float64), EPS_ZCA)
    codes = v.encode(images, encoding="triangle", pyramid="2", pool="sum")
    for image, fp_pooled in zip(images, codes):
        pooled, pooled_tol = reference_pooled(image, mean, matrix, centres)
        assert fp_pooled.shape == (4 * K,)
        assert np.all(np.abs(fp_pooled.reshape(4, K) - pooled) <= pooled_tol)
        assert pooled.max() > 0


def test_the_commands_stores(featpipe_cli, tmp_path):
    """The same pipeline through the commands (descriptors, vocab --whiten zca, encode --encoding triangle),
    their stores read with h5py, on a Fashion-MNIST slice."""
    h5py = pytest.importorskip("h5py")
    images = fashion_mnist(24)
    split = ["--data", "fashion-mnist", "--split", "test", "--subset", 24]
    patch = f"patch(size={SIZE},stride=1,eps={EPS_PATCH:g})"
    # More samples than patches: the store keeps every patch.
    featpipe_cli("descriptors", *split, "--descriptor", patch, "--sample", 10 ** 6, "--out", tmp_path / "d.h5",
                 "-q")
    featpipe_cli("vocab", "--descriptors", tmp_path / "d.h5", "--k", K, "--whiten", "zca", "--zca-eps", EPS_ZCA,
                 "--iterations", 10, "--seed", SEED, "--out", tmp_path / "v.h5", "-q")
    featpipe_cli("encode", *split, "--vocab", tmp_path / "v.h5", "--encoding", "triangle", "--pyramid", 2,
                 "--pool", "sum", "--out", tmp_path / "e.h5", "-q")
    _, _, rows = featpipe.datasets.load_split("fashion-mnist", "test", subset=24)
    with h5py.File(tmp_path / "d.h5", "r") as f:
        descriptors, frames, index = f["features"][:], f["frames"][:], f["index"][:]
    with h5py.File(tmp_path / "e.h5", "r") as f:
        encoded, encoded_index = f["features"][:], f["index"][:]
    np.testing.assert_array_equal(encoded_index, rows)

    # The descriptor store: every normalised patch of every image, found by its image and frame.
    image_of = {row: i for i, row in enumerate(rows)}
    order = np.lexsort((frames[:, 0], frames[:, 1], [image_of[r] for r in index]))
    raw = np.concatenate([reference_patches(image, SIZE, 1)[0] for image in images])
    expected = reference_normalise(raw, EPS_PATCH, ddof=0)
    assert descriptors.shape == expected.shape
    tolerance = 8 * F32 * (np.abs(raw).max(axis=1, keepdims=True) + 1) / np.sqrt(raw.var(axis=1, keepdims=True)
                                                                                 + EPS_PATCH)
    assert np.all(np.abs(descriptors[order] - expected) <= tolerance)

    # The vocabulary's ZCA, from the store's rows; then each image's pooled triangle codes.
    x = descriptors.astype(np.float64)
    mean, matrix, _ = reference_zca(x, EPS_ZCA)
    fp_mean, fp_matrix, centres = read_whitening(tmp_path / "v.h5")
    assert np.all(np.abs(fp_mean - mean) <= 16 * F32 * np.abs(x).max())
    assert np.abs(fp_matrix - matrix).max() <= 16 * F32 * np.abs(matrix).max()
    assert encoded.shape == (len(images), 4 * K)
    for image, fp_pooled in zip(images, encoded):
        pooled, pooled_tol = reference_pooled(image, mean, matrix, centres)
        assert np.all(np.abs(fp_pooled.reshape(4, K) - pooled) <= pooled_tol)
