"""featpipe.Vocabulary learns and encodes the command's bits, and reads and writes the command's store."""
import numpy as np
import pytest

import featpipe

SHAPES = "synthetic:shapes(classes=3,size=32,train=90,test=30)"
DSIFT = "dsift(step=2,size=4)"


@pytest.fixture(scope="module")
def images():
    return featpipe.datasets.load(SHAPES)[0]


@pytest.fixture(scope="module")
def command_stores(tmp_path_factory, featpipe_cli):
    """Descriptors and a k-means and a GMM vocabulary made by the command."""
    folder = tmp_path_factory.mktemp("vocab")
    featpipe_cli("descriptors", "--data", SHAPES, "--split", "train", "--descriptor", DSIFT, "--sample", 4000,
                 "--out", folder / "d.h5", "-q")
    featpipe_cli("vocab", "--descriptors", folder / "d.h5", "--k", 16, "--whiten", "zca", "--seed", 2,
                 "--out", folder / "km.h5", "-q")
    featpipe_cli("vocab", "--descriptors", folder / "d.h5", "--k", 8, "--method", "gmm", "--iterations", 20,
                 "--out", folder / "gmm.h5", "-q")
    featpipe_cli("vocab", "--descriptors", folder / "d.h5", "--k", 8, "--method", "gmm", "--pca", 32,
                 "--iterations", 20, "--out", folder / "pca.h5", "-q")
    return folder


def test_kmeans_equals_the_command(images, command_stores):
    d = featpipe.descriptors(images, DSIFT, sample=4000)
    v = featpipe.Vocabulary.fit(d, 16, whiten="zca", seed=2)
    stored = featpipe.open_store(command_stores / "km.h5")
    assert (v.k, v.dim, v.method) == (16, 128, "kmeans")
    assert v.descriptor == stored.provenance["descriptor"]
    assert np.array_equal(v.centres, stored["/centres"])
    assert np.array_equal(v.history, stored["/history/energy"])


def test_pca_equals_the_command_and_numpy(images, command_stores):
    d = featpipe.descriptors(images, DSIFT, sample=4000)
    v = featpipe.Vocabulary.fit(d, 8, method="gmm", pca=32, iterations=20)
    stored = featpipe.open_store(command_stores / "pca.h5")
    assert (v.k, v.dim) == (8, 32)
    assert np.array_equal(v.centres, stored["/centres"])
    # The components, independently: numpy's eigendecomposition of the covariance, up to sign.
    x = featpipe.open_store(command_stores / "d.h5")["/features"].astype(np.float64)
    values, vectors = np.linalg.eigh(np.cov(x, rowvar=False))
    expected = vectors[:, ::-1][:, :4].T
    projection = stored["/pca/projection"]
    assert projection.shape == (32, 128)
    assert np.allclose(stored["/pca/mean"], x.mean(axis=0), rtol=1e-5, atol=1e-5)
    for got, want in zip(projection[:4], expected):
        assert abs(abs(float(np.dot(got, want))) - 1) < 1e-4
        assert got[np.argmax(np.abs(got))] > 0  # the sign convention: the largest entry is positive


def test_pca_must_reduce_the_width(images):
    d = featpipe.descriptors(images[:10], DSIFT, sample=500)
    with pytest.raises(ValueError, match="pca"):
        featpipe.Vocabulary.fit(d, 4, pca=128)


def test_a_plain_array_needs_its_descriptor_spec(images):
    d = featpipe.descriptors(images[:10], DSIFT, sample=500)
    with pytest.raises(ValueError, match="descriptor"):
        featpipe.Vocabulary.fit(d.descriptors, 4)
    v = featpipe.Vocabulary.fit(d.descriptors, 4, descriptor=DSIFT)
    assert np.array_equal(v.centres, featpipe.Vocabulary.fit(d, 4).centres)


@pytest.mark.parametrize("vocabulary,encoding,extra", [
    ("km.h5", "bow", []),
    ("km.h5", "vlad", ["--pyramid", "1:2"]),
    ("km.h5", "triangle", ["--pool", "max", "--pyramid", "2"]),
    ("km.h5", "soft", ["--norm", "l2", "--kernel-map", "chi2", "--kernel-order", "2"]),
    ("gmm.h5", "fisher", ["--pyramid", "1:2"]),
    ("gmm.h5", "fisher", ["--pyramid", "1:2:3x1"]),
    ("km.h5", "llc", ["--pyramid", "1:2", "--llc-knn", "3"]),
    ("km.h5", "bow", ["--kernel-map", "rbf(gamma=4,dim=96,seed=2)"]),
    ("pca.h5", "fisher", ["--pyramid", "1:2"]),
])
def test_encode_equals_the_command(tmp_path, featpipe_cli, images, command_stores, vocabulary, encoding, extra):
    out = tmp_path / "e.h5"
    featpipe_cli("encode", "--data", SHAPES, "--split", "train", "--vocab", command_stores / vocabulary,
                 "--encoding", encoding, *extra, "--out", out, "-q")
    options = {o[2:].replace("-", "_"): int(v) if v.isdigit() else v for o, v in zip(extra[::2], extra[1::2])}
    v = featpipe.Vocabulary.load(command_stores / vocabulary)
    encoded = v.encode(images, encoding=encoding, **options)
    assert np.array_equal(encoded, featpipe.open_store(out).features)


def test_a_saved_vocabulary_encodes_in_the_command(tmp_path, featpipe_cli, images):
    d = featpipe.descriptors(images, DSIFT, sample=3000)
    v = featpipe.Vocabulary.fit(d, 12, method="gmm", iterations=15)
    v.save(tmp_path / "v.h5")
    featpipe_cli("encode", "--data", SHAPES, "--split", "train", "--vocab", tmp_path / "v.h5", "--encoding",
                 "fisher", "--out", tmp_path / "e.h5", "-q")
    assert np.array_equal(v.encode(images, encoding="fisher"), featpipe.open_store(tmp_path / "e.h5").features)
    again = featpipe.Vocabulary.load(tmp_path / "v.h5")
    assert np.array_equal(again.variances, v.variances) and np.array_equal(again.weights, v.weights)


def test_encoding_errors_name_the_python_option(images):
    v = featpipe.Vocabulary.fit(featpipe.descriptors(images[:10], DSIFT, sample=400), 4)
    with pytest.raises(ValueError, match="^encoding: "):
        v.encode(images[:2], encoding="sparse")
    with pytest.raises(ValueError, match="^kernel_map: "):
        v.encode(images[:2], kernel_map="rbf(gamma=0)")
    with pytest.raises(ValueError, match="^llc_knn: "):
        v.encode(images[:2], encoding="llc", llc_knn=5)
    with pytest.raises(ValueError, match="^k: "):
        featpipe.Vocabulary.fit(featpipe.descriptors(images[:1], DSIFT, sample=3), 4)
