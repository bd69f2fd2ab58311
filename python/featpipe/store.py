"""featpipe's HDF5 stores as numpy arrays: ``featpipe.open_store(path)``."""
import json

from . import _featpipe


class Store:
    """A featpipe store (features, descriptors, vocab or model) opened for reading.

    ``store["/features"]`` (or ``store.features``) is a numpy array read when first asked for. A 2-D float32
    dataset whose rows lie in the file as one run is memory-mapped instead (a read-only array over the file,
    no copy); featpipe writes feature stores chunked by rows, whose chunks usually do not form one run, so
    those are read into memory once. A sharded store (``mpirun ... featpipe extract``) reads through its
    shards, each checked as the command checks it.

    Attributes
    ----------
    path : str
    kind : str
        "features", "descriptors", "vocab" or "model".
    provenance : dict
        How the store was made: dataset spec, split, feature spec, parameters, seed, inputs' provenance.
    """

    def __init__(self, path):
        summary = _featpipe._store_summary(str(path))
        self.path = str(path)
        self.kind = summary["kind"]
        self.provenance = json.loads(summary["provenance_json"])
        self._datasets = {name: (dtype, shape, virtual) for name, dtype, shape, virtual in summary["datasets"]}
        self._arrays = {}

    def keys(self):
        """The datasets' names ("/features", "/labels", ...), in name order."""
        return list(self._datasets)

    def shape(self, name):
        return self._datasets[self._name(name)][1]

    def __contains__(self, name):
        return self._name(name) in self._datasets

    def __getitem__(self, name):
        name = self._name(name)
        if name not in self._datasets:
            raise KeyError(f"{self.path}: no dataset {name}; it holds {', '.join(self._datasets)}")
        if name not in self._arrays:
            self._arrays[name] = _featpipe._store_read(self.path, name)
        return self._arrays[name]

    @property
    def features(self):
        return self["/features"]

    @property
    def labels(self):
        return self["/labels"]

    @property
    def index(self):
        """Each row's image in the source split (train or test) of the dataset the provenance names."""
        return self["/index"]

    @property
    def class_names(self):
        return self["/class_names"]

    def __repr__(self):
        parts = ", ".join(f"{name} {dtype}{list(shape)}" for name, (dtype, shape, _) in self._datasets.items())
        return f"<featpipe.Store {self.kind} {self.path}: {parts}>"

    @staticmethod
    def _name(name):
        return name if name.startswith("/") else "/" + name


def open_store(path):
    """Opens a featpipe store; ValueError naming the file when it is not one."""
    return Store(path)
