"""featpipe for scikit-learn pipelines: FeatureTransformer turns images into featpipe's global features, so
that ``make_pipeline(FeatureTransformer("hog(cell=4)"), LinearClassifier())`` learns from images and
GridSearchCV can tune the feature spec and the classifier together. (LinearClassifier itself is
``featpipe.LinearClassifier``, also exported here.)
"""
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._featpipe import extract
from .classifier import LinearClassifier

__all__ = ["FeatureTransformer", "LinearClassifier"]


class FeatureTransformer(TransformerMixin, BaseEstimator):
    """Images to global features, as ``featpipe extract --features SPEC`` computes them.

    ``transform(images)`` is ``featpipe.extract(images, spec)``: the same values as the command's feature
    store for the same images and spec, for any thread count. ``fit`` learns nothing; it checks the spec
    and the images and records their shape, so that ``transform`` refuses images of another size (whose
    features would have another width).

    Parameters
    ----------
    spec : str, default="raw"
        Feature spec, e.g. ``"raw"``, ``"hog(cell=4,bins=9,variant=uoctti)"``, ``"huehist(bins=12)"``,
        joined by ``+``.
    threads : int or None, default=None
        OpenMP threads (None: every core).
    rgb : bool, default=True
        Colour images are RGB (numpy's order); False: BGR (OpenCV's).

    Attributes
    ----------
    image_shape_ : tuple
        The shape of one image seen by ``fit``: (H, W) or (H, W, C).
    n_features_out_ : int
        Features per image.

    Notes
    -----
    Images are a batch: a uint8 array (N, H, W) of grey images or (N, H, W, C) with C 1 or 3, read in
    place when C-contiguous. Unlike ``featpipe.extract``, a 3-axis array is always N grey images, never one
    colour image.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from featpipe import LinearClassifier
    >>> from featpipe.sklearn import FeatureTransformer
    >>> model = make_pipeline(FeatureTransformer("hog(cell=4)"), LinearClassifier())
    """

    def __init__(self, spec="raw", threads=None, rgb=True):
        self.spec = spec
        self.threads = threads
        self.rgb = rgb

    def fit(self, images, y=None):
        """Check the spec on the first image and record the images' shape.

        Parameters
        ----------
        images : ndarray of shape (N, H, W) or (N, H, W, C), uint8
        y : ignored

        Returns
        -------
        self : FeatureTransformer
        """
        batch = self._batch(images)
        self.n_features_out_ = self._extract(batch[:1]).shape[1]
        self.image_shape_ = tuple(np.shape(images)[1:])
        return self

    def transform(self, images):
        """The features of every image.

        Parameters
        ----------
        images : ndarray of shape (N, H, W) or (N, H, W, C), uint8
            Images of the shape ``fit`` saw.

        Returns
        -------
        features : ndarray of shape (N, n_features_out_), float32
        """
        check_is_fitted(self)
        shape = tuple(np.shape(images)[1:])
        if shape != self.image_shape_:
            raise ValueError(
                f"images are of shape {shape} but FeatureTransformer was fitted on {self.image_shape_}; "
                "resize them, or fit again"
            )
        return self._extract(self._batch(images))

    def _batch(self, images):
        """images as (N, H, W, C): a grey batch gets its channel axis, so that extract never reads one
        colour image in it."""
        images = np.asarray(images)
        if images.ndim not in (3, 4):
            raise ValueError(
                f"images has shape {images.shape}; FeatureTransformer takes a batch (N, H, W) or (N, H, W, C)"
            )
        return images[..., np.newaxis] if images.ndim == 3 else images

    def _extract(self, batch):
        return extract(batch, self.spec, threads=self.threads, rgb=self.rgb)
