"""docs/stores.md's recipe for applying a model by hand with h5py gives `featpipe eval`'s accuracy."""
import pathlib
import re
import subprocess
import sys

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "stores.md"


def test_the_by_hand_recipe_matches_eval(tmp_path, featpipe_cli):
    data = "synthetic:shapes(classes=4,size=16,train=200,test=80,noise=40)"
    for split in ("train", "test"):
        featpipe_cli("extract", "--data", data, "--split", split, "--features", "hog(cell=4)+huehist",
                     "--out", tmp_path / f"{split}.h5", "-q")
    featpipe_cli("train", "--train", tmp_path / "train.h5", "--loss", "svm", "--epochs", 3, "--out",
                 tmp_path / "model.h5", "-q")
    report = featpipe_cli("eval", "--model", tmp_path / "model.h5", "--store", tmp_path / "test.h5")
    expected = re.search(r"^accuracy (\S+)", report, re.M).group(1)

    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"accuracy {expected}"
    # and W, b without the standardisation do not give it: the page's warning is real
    raw = code.replace("(X - mean) / std @ W", "X @ W")
    done = subprocess.run([sys.executable, "-c", raw], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() != f"accuracy {expected}", done.stdout
