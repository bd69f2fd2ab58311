"""featpipe's estimators under scikit-learn's protocol: LinearClassifier passes scikit-learn's own estimator
checks (every one of check_estimator's, one test each), clones and tunes in Pipeline and GridSearchCV, and
FeatureTransformer turns uint8 images into featpipe.extract's features inside a pipeline that GridSearchCV
tunes end to end."""
import doctest
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import featpipe
import featpipe.classifier
import featpipe.sklearn
from featpipe import LinearClassifier
from featpipe.sklearn import FeatureTransformer


# Every check of scikit-learn 1.2's check_estimator, none skipped here. (check_classifier_data_not_an_array
# skips itself, with scikit-learn's reason, when pandas is not installed.) Three configurations: the
# defaults (softmax, adam: predict_proba), a margin loss (no predict_proba), and plain SGD with an L1
# penalty, a step schedule and small minibatches.
@parametrize_with_checks(
    [
        LinearClassifier(),
        LinearClassifier(loss="svm"),
        LinearClassifier(optimizer="sgd", lr=0.05, reg="l1", schedule="step", step_epochs=2, batch=16),
    ]
)
def test_scikit_learn_estimator_check(estimator, check):
    check(estimator)


def blobs(seed=0):
    X, y = make_blobs(n_samples=300, centers=3, n_features=6, random_state=seed)
    return X.astype(np.float32), y


def test_params_clone_and_set():
    clf = LinearClassifier(loss="svm", lam=0.01, threads=1)
    params = clf.get_params()
    assert params["loss"] == "svm" and params["lam"] == 0.01 and params["threads"] == 1
    copy = clone(clf)
    assert copy.get_params() == params and copy is not clf
    copy.set_params(lr=0.05, epochs=3)
    assert copy.lr == 0.05 and copy.epochs == 3 and clf.lr == 1e-3
    X, y = blobs()
    clf.fit(X, y)
    assert not hasattr(clone(clf), "coef_")  # a clone is unfitted


def test_pipeline_with_a_scaler():
    X, y = blobs()
    model = make_pipeline(StandardScaler(), LinearClassifier(lr=0.01, epochs=5)).fit(X, y)
    assert model.score(X, y) > 0.95
    restored = pickle.loads(pickle.dumps(model))
    assert np.array_equal(restored.predict(X), model.predict(X))


def test_grid_search_over_the_learning_rate_refits_the_best_as_a_plain_fit():
    X, y = blobs(1)
    search = GridSearchCV(LinearClassifier(epochs=3, batch=32), {"lr": [1e-4, 1e-2]}, cv=3).fit(X, y)
    assert list(search.cv_results_["param_lr"]) == [1e-4, 1e-2]
    assert search.best_params_["lr"] == 1e-2  # 27 updates at 1e-4 barely move the weights from ~0
    best = LinearClassifier(epochs=3, batch=32, lr=search.best_params_["lr"]).fit(X, y)
    assert np.array_equal(search.best_estimator_.coef_, best.coef_)  # training is deterministic
    scores = cross_val_score(LinearClassifier(lr=0.01, epochs=5), X, y, cv=3)
    assert scores.min() > 0.9


def oriented_stripes(n, seed):
    """n grey 16x16 uint8 images of 3 classes, horizontal, vertical and diagonal stripes, at a random phase
    and under noise: orientation, which HOG sees, carries the class, and no single pixel does."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    rows, cols = np.mgrid[0:16, 0:16]
    images = np.empty((n, 16, 16))
    for i, c in enumerate(y):
        phase = rng.integers(0, 4)
        wave = (rows, cols, rows + cols)[c] + phase
        images[i] = 60 + 120 * ((wave // 2) % 2) + rng.normal(0, 25, (16, 16))
    return np.clip(images, 0, 255).astype(np.uint8), y


def test_feature_transformer_is_featpipe_extract():
    images, _ = oriented_stripes(20, 0)
    transformer = FeatureTransformer("hog(cell=4)").fit(images)
    features = transformer.transform(images)
    assert features.dtype == np.float32
    assert np.array_equal(features, featpipe.extract(images, "hog(cell=4)"))
    assert transformer.n_features_out_ == features.shape[1] and transformer.image_shape_ == (16, 16)
    colour = np.repeat(images[..., np.newaxis], 3, axis=3)  # (N, H, W, 3)
    assert np.array_equal(FeatureTransformer("raw").fit_transform(colour), featpipe.extract(colour, "raw"))


def test_feature_transformer_reads_three_axes_as_grey_images():
    narrow = np.random.default_rng(1).integers(0, 256, size=(5, 8, 3), dtype=np.uint8)  # 5 images 8x3
    features = FeatureTransformer("raw").fit_transform(narrow)
    assert features.shape == (5, 24)
    assert np.array_equal(features, featpipe.extract(narrow[..., np.newaxis], "raw"))


def test_feature_transformer_refuses_what_it_cannot_extract():
    images, _ = oriented_stripes(6, 0)
    with pytest.raises(NotFittedError):
        FeatureTransformer("raw").transform(images)
    with pytest.raises(ValueError, match="spec"):
        FeatureTransformer("nosuchfeature").fit(images)
    with pytest.raises(ValueError, match="uint8"):
        FeatureTransformer("raw").fit(images.astype(np.float32))
    with pytest.raises(ValueError, match="a batch"):
        FeatureTransformer("raw").fit(images[0, 0])
    fitted = FeatureTransformer("raw").fit(images)
    with pytest.raises(ValueError, match=r"images are of shape \(8, 8\) but FeatureTransformer was fitted"):
        fitted.transform(images[:, :8, :8].copy())


def test_images_to_classes_in_a_pipeline_tuned_by_grid_search():
    images, y = oriented_stripes(180, 2)
    test_images, test_y = oriented_stripes(60, 3)
    model = make_pipeline(FeatureTransformer("hog(cell=4)"), LinearClassifier(lr=0.01, epochs=10, batch=32))
    assert "featuretransformer__spec" in model.get_params()
    assert model.fit(images, y).score(test_images, test_y) > 0.95
    search = GridSearchCV(
        model,
        {"linearclassifier__lr": [1e-6, 1e-2], "featuretransformer__spec": ["hog(cell=4)", "raw"]},
        cv=3,
    ).fit(images, y)
    assert len(search.cv_results_["params"]) == 4
    # stripes at a random phase: HOG's orientations classify them, raw pixels barely do; at lr 1e-6 the
    # weights stay near their random start
    assert search.best_params_ == {"featuretransformer__spec": "hog(cell=4)", "linearclassifier__lr": 1e-2}
    assert search.score(test_images, test_y) > 0.95


@pytest.mark.parametrize("module", [featpipe.classifier, featpipe.sklearn], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    results = doctest.testmod(module)
    assert results.attempted > 0 and results.failed == 0
