"""featpipe from Python: the classic image-classification pipeline's stages on numpy arrays.

The functions call the same stage code as the ``featpipe`` command, so the same images, spec and seed give
the same bits as the command's stores. Colour images are RGB (numpy's order). featpipe's bad-input errors
are ValueError, a failed run (training diverged) RuntimeError, and Ctrl-C stops a long call with
KeyboardInterrupt.
"""
from ._featpipe import __version__, descriptors, extract
from .classifier import LinearClassifier
from . import sklearn

__all__ = ["__version__", "extract", "descriptors", "LinearClassifier"]
