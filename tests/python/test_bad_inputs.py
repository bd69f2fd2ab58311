"""Bad inputs raise ValueError with a message naming the argument and what to do, before any work."""
import numpy as np
import pytest

import featpipe

IMAGES = np.zeros((4, 32, 32), np.uint8)


@pytest.mark.parametrize("images,message", [
    (IMAGES.astype(np.float32), "images: has dtype float32; featpipe takes uint8"),
    (IMAGES.astype(np.int64), "images: has dtype int64"),
    (np.zeros(32, np.uint8), r"images: has shape \(32,\)"),
    (np.zeros((2, 2, 8, 8, 3), np.uint8), "images: has shape"),
    (np.zeros((0, 32, 32), np.uint8), "images: is empty"),
    (np.zeros((2, 32, 32, 4), np.uint8), "images: has 4 channels"),
    (np.zeros((4, 32, 64), np.uint8)[:, :, ::2], "images: is not C-contiguous"),
    (np.zeros((32, 32, 3, 2), np.uint8).transpose(3, 0, 1, 2), "images: is not C-contiguous"),
    ([[1, 2], [3, 4]], "images: is a list, not a numpy array"),
])
def test_images(images, message):
    with pytest.raises(ValueError, match=message):
        featpipe.extract(images, "raw")
    with pytest.raises(ValueError, match=message):
        featpipe.descriptors(images, "dsift")


@pytest.mark.parametrize("spec,message", [
    ("nosuch", "spec: unknown extractor 'nosuch'; known: raw"),
    ("hog(cel=4)", "spec: .*cel"),
    ("hog(cell=100)", "spec: .*too small"),
])
def test_feature_specs(spec, message):
    with pytest.raises(ValueError, match=message):
        featpipe.extract(IMAGES, spec)


def test_descriptor_options():
    with pytest.raises(ValueError, match="spec: "):
        featpipe.descriptors(IMAGES, "dsift(step=0)")
    with pytest.raises(ValueError, match="sample: must be at least 1"):
        featpipe.descriptors(IMAGES, "dsift", sample=0)
    with pytest.raises(ValueError, match="threads: must be at least 1"):
        featpipe.extract(IMAGES, "raw", threads=-2)


@pytest.mark.parametrize("rows,message", [
    (np.zeros((10, 8), np.float64), "descriptors: has dtype float64; featpipe takes float32"),
    (np.zeros((0, 8), np.float32), "descriptors: is empty"),
    (np.zeros(8, np.float32), r"descriptors: has shape \(8,\)"),
    (np.zeros((10, 16), np.float32)[:, ::2], "descriptors: is not C-contiguous"),
    (np.where(np.eye(10, 8) > 0, np.nan, 0).astype(np.float32), "descriptors: row 0 column 0 is NaN"),
    (np.full((10, 8), np.inf, np.float32), "descriptors: row 0 column 0 is infinite"),
])
def test_descriptor_rows(rows, message):
    with pytest.raises(ValueError, match=message):
        featpipe.Vocabulary.fit(rows, 2, descriptor="dsift")


def test_vocabulary_options():
    rows = np.random.default_rng(0).random((50, 128), dtype=np.float32)
    with pytest.raises(ValueError, match="method: "):
        featpipe.Vocabulary.fit(rows, 2, descriptor="dsift", method="agglomerative")
    with pytest.raises(ValueError, match="whiten: "):
        featpipe.Vocabulary.fit(rows, 2, descriptor="dsift", whiten="pca")
    with pytest.raises(ValueError, match="^k: "):
        featpipe.Vocabulary.fit(rows, 0, descriptor="dsift")
    with pytest.raises(ValueError, match="^k: 60 words need at least as many descriptors"):
        featpipe.Vocabulary.fit(rows, 60, descriptor="dsift")
    # words of 36-d rows, said to be dense SIFT's (128-d): refused when they would meet the images
    words = featpipe.Vocabulary.fit(np.arange(8 * 36, dtype=np.float32).reshape(8, 36), 2, descriptor="dsift")
    with pytest.raises(ValueError, match="^vocabulary: "):
        words.encode(IMAGES)
