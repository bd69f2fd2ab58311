"""featpipe from Python: the classic image-classification pipeline's stages on numpy arrays.

The functions call the same stage code as the ``featpipe`` command, so the same images, spec and seed give
the same bits as the command's stores. Colour images are RGB (numpy's order). featpipe's bad-input errors
are ValueError, a failed run (training diverged) RuntimeError, and Ctrl-C stops a long call with
KeyboardInterrupt.
"""
from collections import namedtuple

from . import _featpipe, datasets
from ._featpipe import Vocabulary, __version__, extract
from .store import Store, open_store


class Descriptors(namedtuple("Descriptors", ["descriptors", "frames", "image"])):
    """What featpipe.descriptors returns: descriptors float32 (M, D), frames float32 (M, 4) as x, y, scale,
    angle, and image int64 (M,), the row of the images each came from; ``spec`` is the descriptor spec,
    which Vocabulary.fit records."""

    @property
    def spec(self):
        return self._spec


def descriptors(images, spec, *, sample=None, seed=0, threads=None, rgb=True):
    rows, frames, image, canonical = _featpipe.descriptors(images, spec, sample=sample, seed=seed, threads=threads,
                                                           rgb=rgb)
    result = Descriptors(rows, frames, image)
    result._spec = canonical
    return result


descriptors.__doc__ = _featpipe.descriptors.__doc__


def __getattr__(name):
    """LinearClassifier and featpipe.sklearn are scikit-learn estimators: scikit-learn is imported when they
    are first used, so that the rest of featpipe works without it."""
    if name == "LinearClassifier":
        from .classifier import LinearClassifier

        return LinearClassifier
    if name == "sklearn":
        import importlib

        return importlib.import_module(".sklearn", __name__)
    raise AttributeError(f"module 'featpipe' has no attribute {name!r}")


__all__ = ["__version__", "extract", "descriptors", "Descriptors", "Vocabulary", "LinearClassifier", "open_store",
           "Store", "datasets", "sklearn"]
