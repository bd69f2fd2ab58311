"""featpipe.LinearClassifier: the linear classifiers of ``featpipe train`` as a scikit-learn estimator.

Training, scoring and model stores are the command's own code (the extension module's train_classifier,
classifier_scores, classifier_predict, save_classifier, load_classifier); this file maps scikit-learn's
conventions (any class labels, validation of inputs, fitted attributes) onto them.
"""
import json
import os

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d

from . import _featpipe

# Keywords of LinearClassifier that are not hyperparameters of the training (they change no result).
_CALL_KEYWORDS = ("threads",)
# A model store's provenance names its hyperparameters as the train command's options do; these two differ.
_KEYWORD_OF_OPTION = {"lambda": "lam", "replacement": "with_replacement"}


def _float32_rows(X, name):
    """X as float32 C-contiguous rows: in place when it is so already, else converted once here."""
    return check_array(X, dtype=np.float32, order="C", force_all_finite=False, input_name=name)


def _json_or_none(values):
    """values as JSON text, or None when they are not plain numbers or strings."""
    try:
        return json.loads(json.dumps(values))
    except (TypeError, ValueError):
        return None


class LinearClassifier(ClassifierMixin, BaseEstimator):
    """A linear classifier trained with minibatch SGD and its variants, as ``featpipe train`` trains it.

    The same rows, labels and hyperparameters give the same model as the command, to the bit, for any
    thread count: ``fit`` runs the command's training code on the array in place, and ``save`` writes the
    command's model store, which ``featpipe eval`` and ``featpipe predict`` read.

    The defaults are those of ``featpipe train``. Every keyword but ``threads`` is a training
    hyperparameter, named as the command's option (``--l1-ratio`` is ``l1_ratio``) except ``lam``
    (``--lambda``) and ``with_replacement`` (``--replacement``).

    Parameters
    ----------
    loss : {"softmax", "svm", "squared-hinge", "mse"}, default="softmax"
        Data loss: cross-entropy of the softmax, multiclass hinge (Weston & Watkins, as in CS231n), squared
        hinge, or squared error to one-hot targets.
    delta : float, default=1.0
        Margin of the svm and squared-hinge losses.
    reg : {"l2", "l1", "elastic", "none"}, default="l2"
        Penalty on the weights (never the bias).
    lam : float, default=1e-4
        Strength of the penalty (``--lambda``).
    l1_ratio : float, default=0.5
        Share of the L1 term of the elastic penalty.
    optimizer : {"adam", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "asgd"}, default="adam"
        Update rule.
    momentum : float, default=0.9
        Momentum of the momentum and nesterov optimisers.
    decay : float, default=0.99
        Decay of rmsprop's squared-gradient average.
    beta1, beta2 : float, default=0.9, 0.999
        Decays of adam's first and second moments.
    eps : float, default=1e-8
        Added to the denominator of adagrad, rmsprop and adam.
    average_start : float, default=1.0
        asgd: epochs of plain SGD before the iterates are averaged.
    lr : float, default=1e-3
        Base learning rate; the schedule scales it per epoch.
    schedule : {"cosine", "constant", "step", "exp"}, default="cosine"
        Learning-rate schedule, evaluated once per epoch.
    step_epochs : int, default=5
        step: epochs between decays.
    gamma : float, default=0.5
        step: factor per decay; exp: factor per epoch.
    min_lr : float, default=0.0
        cosine: the rate reached after the last epoch.
    epochs : int, default=10
        Passes over the training rows.
    iterations : int, default=0
        When above 0, stop after this many updates instead of ``epochs``.
    batch : int, default=256
        Rows per minibatch, one update each.
    with_replacement : bool, default=False
        Draw minibatch rows uniformly with replacement instead of shuffling (``--replacement``).
    dropout : float, default=0.0
        Input dropout probability, in [0, 1).
    early_stop : int, default=0
        When above 0 (needs ``X_val`` and ``y_val``), stop after this many epochs without a better
        validation accuracy and keep the best epoch's weights.
    init_scale : float, default=0.001
        Initial weights ~ ``init_scale`` * N(0, 1); the bias starts at 0.
    standardize : bool, default=True
        Standardise every feature with the training rows' mean and standard deviation. False: the rows are
        used as given (already standardised) and the model's mean and std are 0 and 1. No option of the
        command sets it.
    max_memory : int, default=0
        Bytes of training rows held at once; 0 for no limit (rows in memory). Training rows beyond it are
        visited in chunks, as the command streams a large store.
    byte_rows : bool, default=True
        Hold training rows whose values are all 8-bit codes k / 255 (raw pixels) or k as bytes: a quarter
        of the memory, and the model differs from False's only by float rounding. No option of the command
        sets it (the command always does).
    seed : int, default=0
        Seed of the initial weights, the minibatch order and dropout.
    threads : int or None, default=None
        OpenMP threads (None: every core). The model is the same, to the bit, for any count.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels, ``np.unique(y)``; class ``k`` of the model is ``classes_[k]``.
    class_names_ : list of str
        The name of each class in a model store: ``str`` of ``classes_`` after ``fit``, the store's names
        after ``load``.
    n_features_in_ : int
        Features per row.
    coef_ : ndarray of shape (n_classes, n_features), float64
        Weights on the raw features, folded from the model (see Notes). With two classes, (1, n_features):
        those of class 1 minus those of class 0, as scikit-learn's binary linear classifiers.
    intercept_ : ndarray of shape (n_classes,), float64
        The bias on the raw features, folded likewise; (1,) with two classes.
    history_ : dict
        ``loss`` (float32 array, the objective of every update), ``train_acc``, ``val_acc`` (empty without
        validation rows) and ``lr`` (one per epoch), ``initial_loss`` (the data loss of the first
        minibatch), ``expected_initial_loss`` (K - 1 for svm, ln K for softmax: what near-zero weights
        give), ``best_epoch`` (the epoch whose weights the model holds) and ``stopped_early``.

    Notes
    -----
    The model standardises internally: its weights W [n_features, n_classes] and bias b apply to
    x' = (x - mean) / std, where mean and std are the training rows' (computed as x * (1 / std) - mean /
    std in float32, the command's arithmetic). ``decision_function`` computes exactly that, in float32, as
    ``featpipe predict`` does. ``coef_`` and ``intercept_`` fold the standardisation into the weights, so
    that ``X @ coef_.T + intercept_`` equals ``decision_function(X)`` up to float32 rounding.

    Rows are float32, as in the command's stores. A C-contiguous float32 array is read in place, never
    copied; any other input (float64, int, a list, a Fortran-ordered or sliced array) is converted once,
    with ``numpy.ascontiguousarray(X, dtype=numpy.float32)``, so float64 values are rounded to float32.
    NaN or infinite values are refused with a ValueError naming their row and column.

    With two classes ``decision_function`` returns the score of class 1 minus that of class 0, one value
    per row, as scikit-learn's classifiers do. ``predict_proba`` exists only for the softmax loss, whose
    scores are log-probabilities; the margins of the other losses are not probabilities.

    Examples
    --------
    >>> import numpy as np, featpipe
    >>> X = np.random.default_rng(0).normal(size=(200, 5)).astype(np.float32)
    >>> y = (X[:, 0] > 0).astype(int)
    >>> clf = featpipe.LinearClassifier(loss="svm", lr=0.01, batch=20).fit(X, y)
    >>> clf.score(X, y) > 0.9
    True
    """

    def __init__(
        self,
        *,
        loss="softmax",
        delta=1.0,
        reg="l2",
        lam=1e-4,
        l1_ratio=0.5,
        optimizer="adam",
        momentum=0.9,
        decay=0.99,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        average_start=1.0,
        lr=1e-3,
        schedule="cosine",
        step_epochs=5,
        gamma=0.5,
        min_lr=0.0,
        epochs=10,
        iterations=0,
        batch=256,
        with_replacement=False,
        dropout=0.0,
        early_stop=0,
        init_scale=0.001,
        standardize=True,
        max_memory=0,
        byte_rows=True,
        seed=0,
        threads=None,
    ):
        self.loss = loss
        self.delta = delta
        self.reg = reg
        self.lam = lam
        self.l1_ratio = l1_ratio
        self.optimizer = optimizer
        self.momentum = momentum
        self.decay = decay
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.average_start = average_start
        self.lr = lr
        self.schedule = schedule
        self.step_epochs = step_epochs
        self.gamma = gamma
        self.min_lr = min_lr
        self.epochs = epochs
        self.iterations = iterations
        self.batch = batch
        self.with_replacement = with_replacement
        self.dropout = dropout
        self.early_stop = early_stop
        self.init_scale = init_scale
        self.standardize = standardize
        self.max_memory = max_memory
        self.byte_rows = byte_rows
        self.seed = seed
        self.threads = threads

    def fit(self, X, y, X_val=None, y_val=None):
        """Train on rows X and labels y, as ``featpipe train --train`` trains on a store.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows (float32 in place; see Notes of the class).
        y : array-like of shape (n_samples,)
            Labels, any values ``np.unique`` sorts; at least two distinct.
        X_val, y_val : array-like, optional
            Validation rows and their labels (``--val``): ``history_["val_acc"]`` per epoch, and
            ``early_stop``. Given together; the labels must be among y's.

        Returns
        -------
        self : LinearClassifier
            The fitted estimator.

        Raises
        ------
        ValueError
            Bad input (shapes, NaN or infinite values, a single class, hyperparameters out of range).
        RuntimeError
            Training diverged; the message names the epoch and what to lower.
        KeyboardInterrupt
            Ctrl-C, at the next minibatch.
        """
        X, y = self._validate_data(X, y, dtype=np.float32, order="C", force_all_finite=False)
        check_classification_targets(y)
        classes, labels = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(f"y holds 1 class ({classes[0]!r}); a classifier needs at least 2 classes")
        X_val, labels_val = self._validation_rows(X_val, y_val, classes, X.shape[1])
        if self.early_stop > 0 and X_val is None:
            raise ValueError("early_stop: needs validation rows; pass X_val and y_val to fit")
        model = _featpipe.train_classifier(
            X, labels.astype(np.int32), len(classes), X_val, labels_val, self._train_params(), self.threads
        )
        self.classes_ = classes
        self._set_model(model, [str(c) for c in classes])
        return self

    def decision_function(self, X):
        """Class scores of rows, ((X - mean) / std) W + b in float32, as ``featpipe predict`` scores.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes), float32
            Column k is the score of ``classes_[k]``. With two classes, shape (n_samples,): the score of
            class 1 minus that of class 0 (positive: ``classes_[1]``).
        """
        scores = _featpipe.classifier_scores(self._rows(X), *self._model_arrays(), self.threads)
        return scores[:, 1] - scores[:, 0] if len(self.classes_) == 2 else scores

    def predict(self, X):
        """The class of the best score of every row (ties: the first class), as ``featpipe eval``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Values of ``classes_``.
        """
        best = _featpipe.classifier_predict(self._rows(X), *self._model_arrays(), self.threads)
        return self.classes_[best]

    def _has_probabilities(self):
        if self.loss != "softmax":
            raise AttributeError(
                f"predict_proba needs loss='softmax'; the scores of loss={self.loss!r} are margins, not "
                "log-probabilities (use decision_function)"
            )
        return True

    @available_if(_has_probabilities)
    def predict_proba(self, X):
        """Class probabilities, the softmax of the scores (loss="softmax" only).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        probabilities : ndarray of shape (n_samples, n_classes), float64
            Rows sum to 1; column k is ``classes_[k]``.
        """
        scores = self.decision_function(X)
        if len(self.classes_) == 2:  # the softmax of two scores is the logistic of their difference
            difference = scores.astype(np.float64)
            return np.column_stack([expit(-difference), expit(difference)])
        shifted = scores.astype(np.float64)
        shifted -= shifted.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path, *, store=None, class_names=None):
        """Write the model as ``featpipe train --out`` does, for ``featpipe eval`` and ``featpipe predict``.

        Parameters
        ----------
        path : str or os.PathLike
            The model store (.h5), written under a temporary name and renamed when complete.
        store : str or os.PathLike, optional
            The feature store the training rows were read from (``featpipe extract`` / ``encode``): the
            model records its provenance and class names as the command does, so that ``featpipe eval``
            checks its feature spec and ``featpipe predict`` rebuilds its features from images. Needs
            ``classes_`` to be the store's labels 0..K-1.
        class_names : list of str, optional
            A name per class (default: the store's, else ``class_names_``). ``featpipe eval`` accepts a
            store whose class names are the model's.

        Raises
        ------
        ValueError
            An unwritable path, a store of other features or classes than the model's.
        """
        check_is_fitted(self)
        if store is not None:
            store = os.fspath(store)
            indices = np.arange(len(self.classes_))
            if self.classes_.dtype.kind not in "iu" or not np.array_equal(self.classes_, indices):
                raise ValueError(
                    f"store: the model's classes_ {self.classes_[:5]!r}... are not the store's labels "
                    f"0..{len(self.classes_) - 1}; fit on the store's /labels to save with it"
                )
        elif class_names is None:
            class_names = self.class_names_
        python = {"estimator": "featpipe.LinearClassifier", "classes": _json_or_none(self.classes_.tolist())}
        _featpipe.save_classifier(
            os.fspath(path),
            *self._model_arrays(),
            None if class_names is None else [str(name) for name in class_names],
            self.history_,
            self._train_params(),
            store,
            json.dumps(python),
        )

    @classmethod
    def load(cls, path, *, threads=None):
        """A fitted LinearClassifier from a model store of ``featpipe train`` or ``sweep``, or of ``save``.

        Its hyperparameters are those the store records; ``classes_`` are the labels ``save`` recorded, or
        the store's class indices 0..K-1 for a model of the command (its ``class_names_`` name them).

        Parameters
        ----------
        path : str or os.PathLike
        threads : int or None, default=None
            As the class's parameter.

        Returns
        -------
        LinearClassifier
        """
        model = _featpipe.load_classifier(os.fspath(path))
        provenance = json.loads(model["provenance"])
        keywords = cls._get_param_names()
        params = {}
        for option, value in provenance.get("params", {}).items():
            keyword = _KEYWORD_OF_OPTION.get(option, option)
            if keyword in keywords and keyword not in _CALL_KEYWORDS:
                params[keyword] = value
        estimator = cls(**params, threads=threads)
        classes = provenance.get("python", {}).get("classes")
        n_classes = model["W"].shape[1]
        recorded = classes is not None and len(classes) == n_classes
        estimator.classes_ = np.asarray(classes) if recorded else np.arange(n_classes)
        estimator._set_model(model, model["class_names"])
        return estimator

    def _train_params(self):
        return {k: v for k, v in self.get_params(deep=False).items() if k not in _CALL_KEYWORDS}

    def _validation_rows(self, X_val, y_val, classes, n_features):
        """X_val and the class indices of y_val, or (None, None)."""
        if X_val is None and y_val is None:
            return None, None
        if X_val is None or y_val is None:
            missing = "X_val" if X_val is None else "y_val"
            raise ValueError(f"{missing} is missing: give both X_val and y_val, or neither")
        X_val = _float32_rows(X_val, "X_val")
        y_val = column_or_1d(y_val)
        if X_val.shape[1] != n_features:
            raise ValueError(f"X_val has {X_val.shape[1]} features per row but X has {n_features}")
        if len(y_val) != len(X_val):
            raise ValueError(f"y_val has {len(y_val)} labels for the {len(X_val)} rows of X_val")
        index = np.searchsorted(classes, y_val)
        known = (index < len(classes)) & (classes[np.minimum(index, len(classes) - 1)] == y_val)
        if not known.all():
            raise ValueError(f"y_val holds labels that y does not: {np.unique(y_val[~known])[:5]!r}")
        return X_val, index.astype(np.int32)

    def _rows(self, X):
        check_is_fitted(self)
        return self._validate_data(X, dtype=np.float32, order="C", force_all_finite=False, reset=False)

    def _model_arrays(self):
        return self._W, self._b, self._mean, self._std

    def _set_model(self, model, class_names):
        """The fitted attributes from the extension's model dict (W, b, mean, std, history)."""
        self._W, self._b, self._mean, self._std = (model[key] for key in ("W", "b", "mean", "std"))
        self.history_ = dict(model["history"])
        self.class_names_ = list(class_names)
        self.n_features_in_ = self._W.shape[0]
        # x' = x * scale + offset in float32, as the model standardises, then x' W + b, folded in float64.
        scale = np.float32(1) / self._std
        offset = -(self._mean * scale)
        W = self._W.astype(np.float64)
        coef = (W * scale.astype(np.float64)[:, np.newaxis]).T
        intercept = self._b.astype(np.float64) + offset.astype(np.float64) @ W
        if len(self.classes_) == 2:
            coef, intercept = coef[1:] - coef[:1], intercept[1:] - intercept[:1]
        self.coef_, self.intercept_ = coef, intercept
