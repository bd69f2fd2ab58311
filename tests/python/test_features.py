"""featpipe.extract and featpipe.descriptors give the command's stores bit for bit, read images in place,
take RGB, and give the same bits for any thread count."""
import numpy as np
import pytest

import featpipe

SHAPES = "synthetic:shapes(classes=3,size=32,train=90,test=30)"


@pytest.fixture(scope="module")
def colour():
    X, y, X_test, y_test, names = featpipe.datasets.load(SHAPES)
    return X, y, names


@pytest.mark.parametrize("spec", ["raw", "hog(cell=4)+huehist(bins=12,pyramid=1:2)", "lbp", "colorhist"])
def test_extract_equals_the_command(tmp_path, featpipe_cli, colour, spec):
    X, y, _ = colour
    out = tmp_path / "f.h5"
    featpipe_cli("extract", "--data", SHAPES, "--split", "train", "--features", spec, "--out", out, "-q")
    store = featpipe.open_store(out)
    features = featpipe.extract(X, spec)
    assert features.dtype == np.float32 and features.shape == store.features.shape
    assert np.array_equal(features, store.features)
    assert np.array_equal(y, store.labels)


def test_rgb_order_is_numpy_s_and_bgr_is_available():
    red = np.zeros((16, 16, 3), np.uint8)
    red[..., 0] = 255  # RGB: red
    blue = red[..., ::-1].copy()  # RGB: blue
    hue_red = featpipe.extract(red, "huehist(bins=6)")
    assert hue_red.shape == (6,)
    assert np.argmax(hue_red) == 0  # red is hue 0
    hue_blue = featpipe.extract(blue, "huehist(bins=6)")
    assert np.argmax(hue_blue) == 4  # blue is hue 240 degrees: bin 4 of 6
    # rgb=False takes OpenCV's BGR order: the blue RGB pixels read as red
    assert np.array_equal(featpipe.extract(blue, "huehist(bins=6)", rgb=False), hue_red)


def test_one_image_and_a_batch_agree(colour):
    X, _, _ = colour
    batch = featpipe.extract(X[:5], "hog(cell=4)")
    assert np.array_equal(featpipe.extract(X[3], "hog(cell=4)"), batch[3])
    grey = np.ascontiguousarray(X[:4, :, :, 1])
    assert featpipe.extract(grey, "raw").shape == (4, 32 * 32)
    assert featpipe.extract(grey[0], "raw").shape == (32 * 32,)
    assert featpipe.extract(grey[:, :, :, None], "raw").shape == (4, 32 * 32)


def test_same_bits_for_any_thread_count(colour):
    X, _, _ = colour
    one = featpipe.extract(X, "hog(cell=4)+lbp", threads=1)
    two = featpipe.extract(X, "hog(cell=4)+lbp", threads=2)
    assert np.array_equal(one, two)
    d1 = featpipe.descriptors(X, "dsift(step=4,size=4)", sample=500, seed=3, threads=1)
    d2 = featpipe.descriptors(X, "dsift(step=4,size=4)", sample=500, seed=3, threads=2)
    assert all(np.array_equal(a, b) for a, b in zip(d1, d2))


@pytest.mark.parametrize("spec,sample", [("dsift(step=2,size=4)", 2000), ("patch(size=6,stride=2)", 1500)])
def test_descriptors_equal_the_command(tmp_path, featpipe_cli, spec, sample):
    X = featpipe.datasets.load(SHAPES, seed=5)[0]  # --seed seeds the synthetic images too
    out = tmp_path / "d.h5"
    featpipe_cli("descriptors", "--data", SHAPES, "--split", "train", "--descriptor", spec, "--sample", sample,
                 "--seed", 5, "--out", out, "-q")
    store = featpipe.open_store(out)
    d = featpipe.descriptors(X, spec, sample=sample, seed=5)
    assert d.spec == store.provenance["descriptor"]
    assert np.array_equal(d.descriptors, store.features)
    assert np.array_equal(d.frames, store["/frames"])
    assert np.array_equal(d.image, store.index)


def test_descriptors_without_a_sample_are_every_frame(colour):
    X, _, _ = colour
    d = featpipe.descriptors(X[:3], "dsift(step=4,size=4)")
    per_image = np.bincount(d.image)
    assert len(per_image) == 3 and np.all(per_image == per_image[0]) and per_image[0] > 10
    # the frames lie inside the images
    assert d.frames[:, 0].max() < 32 and d.frames[:, 1].max() < 32


def test_inputs_are_read_in_place_and_left_alone(colour):
    X, _, _ = colour
    before = X.copy()
    featpipe.extract(X, "raw")
    featpipe.descriptors(X, "patch(size=6,stride=4)", sample=100)
    assert np.array_equal(X, before)


def test_fashion_mnist_rows_equal_the_command_s(tmp_path, featpipe_cli):
    """The grey images of the real dataset, read by featpipe.datasets.load, through a --subset store's
    /index (the rows of the source split it holds)."""
    _, _, X_test, y_test, names = featpipe.datasets.load("fashion-mnist")
    assert X_test.shape == (10000, 28, 28) and X_test.dtype == np.uint8 and len(names) == 10
    out = tmp_path / "f.h5"
    spec = "hog(cell=4)+raw"
    featpipe_cli("extract", "--split", "test", "--subset", 300, "--features", spec, "--out", out, "-q")
    store = featpipe.open_store(out)
    rows = np.ascontiguousarray(X_test[store.index])
    assert np.array_equal(featpipe.extract(rows, spec), store.features)
    assert np.array_equal(y_test[store.index], store.labels)
