"""featpipe's datasets as image arrays: ``featpipe.datasets.load("fashion-mnist")``."""
from . import _featpipe


def load(spec="fashion-mnist", resize=None, seed=0):
    """Reads a dataset with featpipe's own readers (those of ``featpipe --data SPEC``).

    spec: "fashion-mnist", "mnist:DIR", "idx:DIR", "cifar10:DIR", "folder:DIR", "synthetic:shapes(...)".
    resize: (W, H) to bring every image to one size (folders of mixed sizes need it). seed: synthetic data.

    Returns (X_train, y_train, X_test, y_test, class_names): uint8 images (N, H, W) for grey sets and
    (N, H, W, 3) in RGB order for colour sets (converted from the readers' BGR, so that featpipe.extract
    gives the command's features), int32 labels, and the class names.
    """
    size = None if resize is None else (int(resize[0]), int(resize[1]))
    return _featpipe._load_dataset(spec, size, int(seed))


def load_split(spec="fashion-mnist", split="train", val_size=None, subset=None, seed=0, resize=None):
    """One split as the command selects it with ``--data SPEC --split S --val-size V --subset N --seed S``.

    split: "train", "val" or "test". val_size: images (5000) or a fraction (0.1) of the training set held out
    as "val", stratified and seeded; "train" is then the rest. subset: a stratified, seeded count or
    fraction of the split. Returns (images, labels, rows): the images as ``load`` gives them, their labels,
    and each image's row in the source set (what a store's /index holds), the command's rows exactly.
    """
    size = None if resize is None else (int(resize[0]), int(resize[1]))
    return _featpipe._load_split(spec, split, val_size, subset, int(seed), size)
