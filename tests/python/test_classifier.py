"""featpipe.LinearClassifier against the featpipe command: the same rows and options train the same model, to
the bit (weights, preprocessing and loss history, on the byte-row path of raw pixels and the float path of
HOG); the CS231n sanity checks (initial loss, probabilities, folded coefficients); model stores exchanged
with train, eval and predict both ways; the same bits for any thread count; divergence, Ctrl-C and bad
input reported as Python errors with featpipe's messages."""
import math
import os
import pickle
import signal
import subprocess
import sys
import time

import cv2
import h5py
import numpy as np
import pytest

import featpipe
from featpipe import LinearClassifier, _featpipe

DATA = "synthetic:shapes(classes=3,size=16,train=200,test=60)"
MODEL_ARRAYS = ("W", "b", "preprocess/mean", "preprocess/std")
HISTORY_SERIES = ("history/loss", "history/train_acc", "history/val_acc", "history/lr")


@pytest.fixture(scope="module")
def stores(tmp_path_factory, featpipe_cli):
    """Feature stores of the synthetic shapes: raw pixels (8-bit codes: training holds them as bytes) and
    HOG (floats), train and test splits."""
    folder = tmp_path_factory.mktemp("stores")
    paths = {}
    for tag, spec in (("raw", "raw"), ("hog", "hog(cell=4)")):
        for split in ("train", "test"):
            paths[tag, split] = folder / f"{tag}-{split}.h5"
            featpipe_cli("extract", "--data", DATA, "--split", split, "--features", spec, "--out",
                         paths[tag, split], "--quiet")
    return paths


def read_store(path):
    """(features float32 [N, D], labels int32 [N], class names) as h5py reads them."""
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["class_names"][...]]
        return f["features"][...], f["labels"][...], names


def read_model(path):
    """Every array of a model store, by name."""
    with h5py.File(path, "r") as f:
        return {name: f[name][...] for name in MODEL_ARRAYS + HISTORY_SERIES if name in f}


def same_bits(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def eval_accuracy(featpipe_cli, model, data):
    out = featpipe_cli("eval", "--model", model, "--store", data)
    return next(line.split()[1] for line in out.splitlines() if line.startswith("accuracy "))


# (feature store, options of featpipe train, the same as keywords, with a validation store, whether the
# training holds the rows as bytes: raw pixels without dropout, when their bytes fit the memory)
CASES = {
    "svm-momentum-raw-val": (
        "raw",
        ["--loss", "svm", "--optimizer", "momentum", "--lr", "0.01", "--epochs", "3", "--batch", "32",
         "--seed", "7", "--lambda", "0.001"],
        dict(loss="svm", optimizer="momentum", lr=0.01, epochs=3, batch=32, seed=7, lam=0.001),
        True,
        True,
    ),
    "softmax-rmsprop-hog-dropout": (
        "hog",
        ["--optimizer", "rmsprop", "--lr", "0.003", "--schedule", "step", "--step-epochs", "1",
         "--epochs", "4", "--batch", "50", "--seed", "3", "--reg", "elastic", "--lambda", "0.001",
         "--dropout", "0.1"],
        dict(optimizer="rmsprop", lr=0.003, schedule="step", step_epochs=1, epochs=4, batch=50, seed=3,
             reg="elastic", lam=0.001, dropout=0.1),
        False,
        False,
    ),
    "squared-hinge-asgd-raw-replacement-early-stop": (
        "raw",
        ["--loss", "squared-hinge", "--delta", "2", "--optimizer", "asgd", "--lr", "0.002",
         "--iterations", "17", "--batch", "40", "--replacement", "--init-scale", "0.01", "--early-stop", "1",
         "--seed", "11"],
        dict(loss="squared-hinge", delta=2.0, optimizer="asgd", lr=0.002, iterations=17, batch=40,
             with_replacement=True, init_scale=0.01, early_stop=1, seed=11),
        True,
        True,
    ),
    # 100 KiB hold 16 rows of 768 floats at a time: the rows are visited in chunks
    "softmax-adam-raw-chunks": (
        "raw",
        ["--max-memory", "100K", "--batch", "16", "--epochs", "2", "--lr", "0.01"],
        dict(max_memory=100 * 1024, batch=16, epochs=2, lr=0.01),
        False,
        False,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_fit_gives_the_bits_of_featpipe_train(stores, featpipe_cli, tmp_path, case):
    tag, options, keywords, with_val, as_bytes = CASES[case]
    train, test = stores[tag, "train"], stores[tag, "test"]
    cli_model = tmp_path / "cli.h5"
    val_options = ["--val", test] if with_val else []
    out = featpipe_cli("train", "--train", train, *val_options, "--out", cli_model, *options)
    assert ("training rows held as bytes" in out) == as_bytes  # each of the trainer's paths is covered

    X, y, _ = read_store(train)
    X_val, y_val, _ = read_store(test)
    clf = LinearClassifier(**keywords)
    clf.fit(X, y, *((X_val, y_val) if with_val else ()))
    py_model = tmp_path / "python.h5"
    clf.save(py_model, store=train)

    expected, saved = read_model(cli_model), read_model(py_model)
    assert set(saved) == set(expected)
    for name in expected:
        assert same_bits(saved[name], expected[name]), name
    fitted = {"W": clf._W, "b": clf._b, "preprocess/mean": clf._mean, "preprocess/std": clf._std}
    for name, array in fitted.items():
        assert same_bits(array, expected[name]), name
    for series in ("loss", "train_acc", "lr") + (("val_acc",) if with_val else ()):
        assert same_bits(clf.history_[series], expected["history/" + series]), series
    assert len(clf.history_["val_acc"]) == (len(clf.history_["lr"]) if with_val else 0)


def test_history_has_a_loss_per_update_and_accuracies_per_epoch(stores):
    X, y, _ = read_store(stores["raw", "train"])
    X_val, y_val, _ = read_store(stores["raw", "test"])
    clf = LinearClassifier(epochs=3, batch=64).fit(X, y, X_val, y_val)
    h = clf.history_
    assert len(h["loss"]) == 3 * math.ceil(200 / 64)
    assert len(h["train_acc"]) == len(h["val_acc"]) == len(h["lr"]) == 3
    assert h["best_epoch"] == 3 and not h["stopped_early"]
    assert np.all((h["val_acc"] >= 0) & (h["val_acc"] <= 1))
    # cosine schedule from lr towards 0: lr (1 + cos(pi e / 3)) / 2 for epochs e = 0, 1, 2
    cosine = [1e-3 * (1 + math.cos(math.pi * e / 3)) / 2 for e in range(3)]
    np.testing.assert_allclose(h["lr"], cosine, rtol=1e-6)


@pytest.mark.parametrize("loss, expected", [("svm", 2.0), ("softmax", math.log(3))])
def test_initial_loss_is_that_of_near_zero_weights(stores, loss, expected):
    X, y, _ = read_store(stores["raw", "train"])
    h = LinearClassifier(loss=loss, epochs=1).fit(X, y).history_
    assert h["expected_initial_loss"] == pytest.approx(expected, rel=1e-12)
    assert abs(h["initial_loss"] - expected) < 0.02 * expected  # weights ~ 0.001 N(0, 1): scores ~ 0
    assert h["loss"][0] == pytest.approx(h["initial_loss"], abs=1e-3)  # the first objective: + a tiny penalty


def test_probabilities_are_the_softmax_of_the_scores(stores):
    X, y, _ = read_store(stores["raw", "train"])
    X_test, _, _ = read_store(stores["raw", "test"])
    clf = LinearClassifier(loss="softmax", lr=0.01, epochs=5).fit(X, y)
    proba = clf.predict_proba(X_test)
    assert proba.shape == (60, 3) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    scores = clf.decision_function(X_test).astype(np.float64)
    np.testing.assert_allclose(np.log(proba[:, 1] / proba[:, 0]), scores[:, 1] - scores[:, 0], atol=1e-9)
    assert np.array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X_test))


def test_margin_losses_have_no_probabilities(stores):
    X, y, _ = read_store(stores["raw", "train"])
    clf = LinearClassifier(loss="svm", epochs=1).fit(X, y)
    assert not hasattr(clf, "predict_proba")
    with pytest.raises(AttributeError, match="predict_proba needs loss='softmax'"):
        clf.predict_proba(X)


def folding_error(clf, X):
    """|X coef_^T + intercept_ - decision_function(X)| over the rounding bound of its float32 sums: the
    number of terms times float32's epsilon times the sum of their magnitudes (raw x * scale, -mean * scale,
    the bias), for the scores of the classes decision_function subtracts too."""
    decision = clf.decision_function(X).astype(np.float64)
    folded = X.astype(np.float64) @ clf.coef_.T + clf.intercept_
    scale = (np.float32(1) / clf._std).astype(np.float64)
    W = np.abs(clf._W.astype(np.float64))
    magnitude = np.abs(X) @ (scale[:, None] * W) + (np.abs(clf._mean * scale) @ W + np.abs(clf._b))
    if decision.ndim == 1:
        folded, magnitude = folded[:, 0], magnitude.sum(axis=1)
    bound = (X.shape[1] + 2) * np.finfo(np.float32).eps * magnitude
    return np.max(np.abs(folded - decision) / bound)


@pytest.mark.parametrize("classes", [3, 2])
def test_coef_and_intercept_reproduce_decision_function(stores, classes):
    X, y, _ = read_store(stores["hog", "train"])
    X_test, y_test, _ = read_store(stores["hog", "test"])
    keep, keep_test = y < classes, y_test < classes
    clf = LinearClassifier(loss="svm", lr=0.01, epochs=5).fit(X[keep], y[keep])
    assert clf.coef_.shape == ((classes if classes > 2 else 1), X.shape[1])
    assert clf.intercept_.shape == ((classes if classes > 2 else 1),)
    assert folding_error(clf, X_test[keep_test]) <= 1.0
    if classes == 2:  # decision > 0 is classes_[1], as scikit-learn's binary classifiers
        decision = clf.decision_function(X_test[keep_test])
        assert np.array_equal(clf.classes_[(decision > 0).astype(int)], clf.predict(X_test[keep_test]))


def test_a_python_model_is_evaluated_by_featpipe_eval(stores, featpipe_cli, tmp_path):
    X, y, names = read_store(stores["raw", "train"])
    X_test, y_test, _ = read_store(stores["raw", "test"])
    clf = LinearClassifier(lr=0.01, epochs=5).fit(X, y)
    accuracy = f"{clf.score(X_test, y_test):.4f}"
    with_store, with_names = tmp_path / "with-store.h5", tmp_path / "with-names.h5"
    clf.save(with_store, store=stores["raw", "train"])  # feature spec and class names of the store
    clf.save(with_names, class_names=names)  # rows of no store: eval checks dimension and classes only
    assert eval_accuracy(featpipe_cli, with_store, stores["raw", "test"]) == accuracy
    assert eval_accuracy(featpipe_cli, with_names, stores["raw", "test"]) == accuracy
    # with the store's provenance, eval refuses features of another spec, as it refuses the command's models
    hog_test = stores["hog", "test"]
    refused = subprocess.run([os.environ.get("FEATPIPE_BINARY", "featpipe"), "eval", "--model", with_store,
                              "--data", hog_test], capture_output=True, text=True)
    assert refused.returncode == 2
    assert "holds features 'hog(" in refused.stderr and "has 'raw'" in refused.stderr


def test_a_python_model_saved_with_its_store_classifies_image_files_with_featpipe_predict(
        stores, featpipe_cli, tmp_path):
    X, y, names = read_store(stores["raw", "train"])
    clf = LinearClassifier(lr=0.01, epochs=5).fit(X, y)
    model = tmp_path / "model.h5"
    clf.save(model, store=stores["raw", "train"])
    images = np.random.default_rng(5).integers(0, 256, size=(4, 16, 16, 3), dtype=np.uint8)  # RGB
    files = []
    for i, image in enumerate(images):
        files.append(tmp_path / f"image{i}.png")
        assert cv2.imwrite(str(files[-1]), image[..., ::-1])  # OpenCV writes BGR
    out = featpipe_cli("predict", "--model", model, "--top", "3", *files)
    # a softmax model: predict prints the probabilities predict_proba gives
    probabilities = clf.predict_proba(featpipe.extract(images, "raw"))
    predicted = clf.predict(featpipe.extract(images, "raw"))
    header, *lines = out.strip().splitlines()
    assert header.split("\t") == ["image", "class_1", "probability_1", "class_2", "probability_2", "class_3",
                                   "probability_3"]
    assert len(lines) == len(files)
    for line, file, row, best in zip(lines, files, probabilities, predicted):
        fields = line.split("\t")
        assert fields[0] == str(file) and fields[1] == names[best]
        printed = {name: float(value) for name, value in zip(fields[1::2], fields[2::2])}
        assert printed.keys() == set(names)
        for k, name in enumerate(names):
            assert printed[name] == pytest.approx(row[k], rel=1e-4, abs=1e-6)


def test_load_reads_a_model_of_featpipe_train_and_predicts_what_eval_reports(stores, featpipe_cli, tmp_path):
    model = tmp_path / "cli.h5"
    featpipe_cli("train", "--train", stores["hog", "train"], "--out", model, "--loss", "svm", "--lr", "0.02",
                 "--epochs", "4", "--batch", "64", "--seed", "5", "--quiet")
    clf = LinearClassifier.load(model)
    X_test, y_test, names = read_store(stores["hog", "test"])
    assert f"{clf.score(X_test, y_test):.4f}" == eval_accuracy(featpipe_cli, model, stores["hog", "test"])
    assert clf.get_params()["loss"] == "svm" and clf.lr == 0.02 and clf.epochs == 4 and clf.seed == 5
    assert np.array_equal(clf.classes_, np.arange(3)) and clf.class_names_ == names
    assert clf.n_features_in_ == X_test.shape[1]
    assert len(clf.history_["loss"]) == 4 * math.ceil(200 / 64) and clf.history_["best_epoch"] == 4
    # the hyperparameters it read train the same model again
    X, y, _ = read_store(stores["hog", "train"])
    refit = LinearClassifier(**clf.get_params()).fit(X, y)
    assert same_bits(refit._W, clf._W) and same_bits(refit._b, clf._b)


def test_save_and_load_keep_any_labels_and_the_scores(stores, tmp_path):
    X, y, _ = read_store(stores["raw", "train"])
    labels = np.array(["circle", "square", "star"])[y]
    clf = LinearClassifier(loss="svm", lam=0.01, epochs=2).fit(X, labels)
    clf.save(tmp_path / "m.h5")
    loaded = LinearClassifier.load(tmp_path / "m.h5")
    assert list(loaded.classes_) == ["circle", "square", "star"]
    assert loaded.class_names_ == list(loaded.classes_)
    assert loaded.get_params() == clf.get_params()
    assert same_bits(loaded.decision_function(X), clf.decision_function(X))
    assert np.array_equal(loaded.predict(X), clf.predict(X))
    with pytest.raises(ValueError, match="are not the store's labels"):
        clf.save(tmp_path / "n.h5", store=stores["raw", "train"])
    unpickled = pickle.loads(pickle.dumps(clf))
    assert same_bits(unpickled.decision_function(X), clf.decision_function(X))


@pytest.mark.parametrize("tag", ["raw", "hog"])
def test_any_thread_count_gives_the_same_bits(stores, tag):
    X, y, _ = read_store(stores[tag, "train"])
    X_val, y_val, _ = read_store(stores[tag, "test"])
    X, y = np.concatenate([X] * 3), np.concatenate([y] * 3)  # 600 rows: minibatches of several row blocks
    fits = [LinearClassifier(lr=0.01, epochs=3, batch=512, threads=t).fit(X, y, X_val, y_val) for t in (1, 2)]
    for a in ("_W", "_b", "_mean", "_std"):
        assert same_bits(getattr(fits[0], a), getattr(fits[1], a)), a
    for series in ("loss", "train_acc", "val_acc"):
        assert same_bits(fits[0].history_[series], fits[1].history_[series]), series
    assert same_bits(fits[0].decision_function(X_val), fits[1].decision_function(X_val))


def test_float64_rows_are_converted_to_the_float32_rows_of_the_command(stores):
    X, y, _ = read_store(stores["hog", "train"])
    as_float32 = LinearClassifier(epochs=2).fit(X, y)
    as_float64 = LinearClassifier(epochs=2).fit(X.astype(np.float64), y)
    assert same_bits(as_float32._W, as_float64._W)
    fortran = np.asfortranarray(X)
    assert same_bits(as_float32.decision_function(fortran), as_float32.decision_function(X))


def test_float32_rows_are_handed_to_featpipe_in_place(stores, monkeypatch):
    X, y, _ = read_store(stores["raw", "train"])
    handed = []

    def spy(name):
        real = getattr(_featpipe, name)
        monkeypatch.setattr(_featpipe, name, lambda rows, *args: handed.append(rows) or real(rows, *args))

    for name in ("train_classifier", "classifier_scores", "classifier_predict"):
        spy(name)
    clf = LinearClassifier(epochs=1).fit(X, y)
    clf.decision_function(X)
    clf.predict(X)
    assert len(handed) == 3 and all(rows is X for rows in handed)


def test_divergence_raises_runtime_error_with_the_commands_message(stores, tmp_path):
    binary = os.environ.get("FEATPIPE_BINARY", "featpipe")
    options = ["--optimizer", "sgd", "--lr", "1e6", "--schedule", "constant"]
    done = subprocess.run([binary, "train", "--train", stores["raw", "train"], "--out", tmp_path / "m.h5",
                           *options, "--quiet"], capture_output=True, text=True)
    assert done.returncode == 3
    message = done.stderr.strip().removeprefix("featpipe: error: ")
    assert message.startswith("training diverged at epoch")
    X, y, _ = read_store(stores["raw", "train"])
    with pytest.raises(RuntimeError) as error:
        LinearClassifier(optimizer="sgd", lr=1e6, schedule="constant").fit(X, y)
    assert str(error.value) == message


# Fits until featpipe's interrupt check stops one: a SIGINT that lands before the training has begun is
# raised by Python's own handler, with no message, and the fit starts again.
INTERRUPTED_FIT = """
import signal
import numpy as np
import featpipe
X = np.random.default_rng(0).normal(size=(20000, 100)).astype(np.float32)
y = np.arange(20000) % 10
print("fitting", flush=True)
while True:
    try:
        featpipe.LinearClassifier(epochs=1000000, threads=1).fit(X, y)
    except KeyboardInterrupt as stop:
        if str(stop):
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the signals still on their way
            print("stopped:", stop, flush=True)
            break
"""


def test_ctrl_c_stops_a_fit_with_keyboard_interrupt():
    child = subprocess.Popen([sys.executable, "-c", INTERRUPTED_FIT], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "fitting"
        deadline = time.monotonic() + 30  # a million epochs would take hours
        while child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
            child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=10)
    finally:
        child.kill()
    assert child.returncode == 0
    assert out.startswith("stopped: ") and "stopped" in out[len("stopped: "):], out


def test_defaults_are_those_of_featpipe_train():
    params = LinearClassifier().get_params()
    assert params.pop("threads") is None
    assert params == _featpipe.train_defaults()


def fitted_on_blobs():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 5)).astype(np.float32)
    y = np.arange(40) % 2
    return LinearClassifier(epochs=1).fit(X, y), X, y


def with_value(X, row, column, value):
    X = X.copy()
    X[row, column] = value
    return X


# case: (the arguments of fit given rows X [40, 5] and labels y of 2 classes, what the ValueError says)
BAD_FITS = {
    "one axis": (lambda X, y: ((X[:, 0], y), {}), "Expected 2D array"),
    "empty": (lambda X, y: ((X[:0], y[:0]), {}), "0 sample"),
    "NaN": (lambda X, y: ((with_value(X, 3, 2, np.nan), y), {}), "X: row 3 column 2 is NaN"),
    "infinity": (lambda X, y: ((with_value(X, 7, 1, -np.inf), y), {}), "X: row 7 column 1 is infinite"),
    "label count": (lambda X, y: ((X, y[:-1]), {}), r"inconsistent numbers of samples: \[40, 39\]"),
    "one class": (lambda X, y: ((X, np.zeros_like(y)), {}), "y holds 1 class"),
    "X_val alone": (lambda X, y: ((X, y), {"X_val": X}), "y_val is missing"),
    "y_val alone": (lambda X, y: ((X, y), {"y_val": y}), "X_val is missing"),
    "X_val width": (lambda X, y: ((X, y), {"X_val": X[:, :3], "y_val": y}),
                    "X_val has 3 features per row but X has 5"),
    "y_val count": (lambda X, y: ((X, y), {"X_val": X, "y_val": y[:5]}),
                    "y_val has 5 labels for the 40 rows"),
    "y_val labels": (lambda X, y: ((X, y), {"X_val": X, "y_val": y + 1}),
                     "y_val holds labels that y does not"),
    "X_val NaN": (lambda X, y: ((X, y), {"X_val": np.full_like(X, np.nan), "y_val": y}),
                  "X_val: row 0 column 0 is NaN"),
}


@pytest.mark.parametrize("case", sorted(BAD_FITS))
def test_bad_input_to_fit_is_a_value_error_that_says_what_is_wrong(case):
    arguments, message = BAD_FITS[case]
    rng = np.random.default_rng(2)
    args, kwargs = arguments(rng.normal(size=(40, 5)), np.arange(40) % 2)
    with pytest.raises(ValueError, match=message):
        LinearClassifier(epochs=1).fit(*args, **kwargs)


BAD_PARAMS = {
    "loss name": (dict(loss="hinge"), "loss: .*svm"),
    "optimizer name": (dict(optimizer="lbfgs"), "optimizer: .*adam"),
    "lr": (dict(lr=-1.0), "lr: must be a positive number"),
    "lam": (dict(lam=-1.0), "lam: must be a number >= 0"),
    "momentum": (dict(optimizer="momentum", momentum=1.5), "momentum: must be in \\[0, 1\\)"),
    "epochs type": (dict(epochs="ten"), "epochs: is a str"),
    "seed range": (dict(seed=-1), "seed: -1 is out of range"),
    "flag type": (dict(standardize="no"), "standardize: is a str"),
    "batch": (dict(batch=0), "batch: must be in \\[1, "),
    "early stop without validation": (dict(early_stop=2), "early_stop: needs validation rows"),
    "threads": (dict(threads=-1), "threads: must be at least 1"),
}


@pytest.mark.parametrize("case", sorted(BAD_PARAMS))
def test_bad_hyperparameters_are_value_errors_naming_the_keyword(case):
    params, message = BAD_PARAMS[case]
    X, y = np.random.default_rng(3).normal(size=(20, 4)), np.arange(20) % 2
    with pytest.raises(ValueError, match=message):
        LinearClassifier(**{"epochs": 1, **params}).fit(X, y)


def test_bad_input_to_predict_is_a_value_error():
    clf, X, _ = fitted_on_blobs()
    with pytest.raises(ValueError, match="X has 4 features, but LinearClassifier is expecting 5"):
        clf.predict(X[:, :4])
    bad = X.copy()
    bad[1, 0] = np.nan
    for method in (clf.predict, clf.decision_function, clf.predict_proba):
        with pytest.raises(ValueError, match="X: row 1 column 0 is NaN"):
            method(bad)
    from sklearn.exceptions import NotFittedError
    with pytest.raises(NotFittedError):
        LinearClassifier().predict(X)
