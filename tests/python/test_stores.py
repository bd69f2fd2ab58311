"""featpipe.open_store gives a store's arrays and provenance; featpipe.datasets.load gives the command's
images, colour in RGB."""
import gc

import numpy as np
import pytest

import featpipe

SHAPES = "synthetic:shapes(classes=3,size=16,train=60,test=30)"


def write_cifar(folder, rng, per_batch=6):
    """A CIFAR-10 binary folder in the real format: per image a label byte, then the red, green and blue
    planes of 32 x 32 bytes each."""
    folder.mkdir()
    (folder / "batches.meta.txt").write_text("\n".join(f"class{c}" for c in range(10)) + "\n")
    batches = {}
    for name in [f"data_batch_{b}.bin" for b in range(1, 6)] + ["test_batch.bin"]:
        labels = rng.integers(0, 10, per_batch, dtype=np.uint8)
        planes = rng.integers(0, 256, (per_batch, 3, 32, 32), dtype=np.uint8)
        records = np.concatenate([labels[:, None], planes.reshape(per_batch, -1)], axis=1)
        (folder / name).write_bytes(records.tobytes())
        batches[name] = (labels, planes)
    return batches


def test_cifar_images_come_back_in_rgb(tmp_path):
    batches = write_cifar(tmp_path / "c10", np.random.default_rng(1))
    X, y, X_test, y_test, names = featpipe.datasets.load(f"cifar10:{tmp_path / 'c10'}")
    assert X.shape == (30, 32, 32, 3) and X_test.shape == (6, 32, 32, 3) and names[3] == "class3"
    labels, planes = batches["data_batch_2.bin"]
    assert np.array_equal(X[6:12], planes.transpose(0, 2, 3, 1))  # (N, C, H, W) planes -> (N, H, W) RGB
    assert np.array_equal(y[6:12], labels)
    assert np.array_equal(y_test, batches["test_batch.bin"][0])


def test_cifar_features_equal_the_command(tmp_path, featpipe_cli):
    write_cifar(tmp_path / "c10", np.random.default_rng(2))
    spec = f"cifar10:{tmp_path / 'c10'}"
    featpipe_cli("extract", "--data", spec, "--split", "test", "--features", "huehist+hog(cell=8)",
                 "--out", tmp_path / "f.h5", "-q")
    _, _, X_test, _, _ = featpipe.datasets.load(spec)
    assert np.array_equal(featpipe.extract(X_test, "huehist+hog(cell=8)"),
                          featpipe.open_store(tmp_path / "f.h5").features)


def test_every_kind_of_store_opens(tmp_path, featpipe_cli):
    featpipe_cli("extract", "--data", SHAPES, "--split", "train", "--features", "raw", "--out",
                 tmp_path / "f.h5", "-q")
    featpipe_cli("train", "--train", tmp_path / "f.h5", "--epochs", 2, "--out", tmp_path / "m.h5", "-q")
    features = featpipe.open_store(tmp_path / "f.h5")
    assert features.kind == "features"
    assert features.provenance["features"] == "raw" and features.provenance["split"] == "train"
    assert features.features.shape == (60, 16 * 16 * 3) and features.features.dtype == np.float32
    assert features.labels.dtype == np.int32 and features.index.dtype == np.int64
    assert features.class_names == ["red-0", "green-120", "blue-60"]
    X, y, _, _, _ = featpipe.datasets.load(SHAPES)
    assert np.array_equal(features.features, featpipe.extract(X, "raw"))
    model = featpipe.open_store(tmp_path / "m.h5")
    assert model.kind == "model" and "/W" in model and model["W"].shape == (16 * 16 * 3, 3)
    assert model.provenance["features"] == "raw"
    assert len(model["/history/loss"]) > 0
    with pytest.raises(KeyError, match="no dataset /nothing"):
        model["/nothing"]


def test_feature_rows_are_mapped_in_place_and_outlive_the_store(tmp_path, featpipe_cli):
    featpipe_cli("extract", "--data", SHAPES, "--split", "test", "--features", "raw", "--block", 7, "--out",
                 tmp_path / "f.h5", "-q")
    store = featpipe.open_store(tmp_path / "f.h5")
    rows = store.features
    # featpipe writes its chunks of rows one after another: the file holds the matrix as one run, which
    # the array maps read-only rather than copying
    assert not rows.flags.writeable and not rows.flags.owndata
    with pytest.raises(ValueError):
        rows[0, 0] = 1
    expected = featpipe.extract(featpipe.datasets.load(SHAPES)[2], "raw")
    del store
    gc.collect()
    assert np.array_equal(rows, expected)  # the array keeps its map


def test_not_a_store_is_a_value_error_naming_the_file(tmp_path):
    (tmp_path / "x.h5").write_bytes(b"not hdf5 at all")
    with pytest.raises(ValueError, match="x.h5"):
        featpipe.open_store(tmp_path / "x.h5")
    with pytest.raises(ValueError, match="missing.h5"):
        featpipe.open_store(tmp_path / "missing.h5")
    with pytest.raises(ValueError, match="unknown"):
        featpipe.datasets.load("nosuchkind:/tmp")
