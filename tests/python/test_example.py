"""examples/python/compare.py runs (--fast) and prints the figures of the Fashion-MNIST recipe's stages:
its raw-pixel SVM is checked against featpipe extract, sweep and eval run with the recipe's options."""
import os
import pathlib
import re
import subprocess
import sys

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "compare.py"


def test_compare_example_prints_the_recipe_s_figures(tmp_path, featpipe_cli):
    done = subprocess.run([sys.executable, str(EXAMPLE), "--fast"], capture_output=True, text=True,
                          env=os.environ, cwd=tmp_path, timeout=900)
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line for line in done.stdout.splitlines()}
    assert set(rows) == {"raw_softmax", "raw_svm", "hoghue_svm"}, done.stdout
    accuracy = {name: float(re.search(r"test accuracy (\S+)", line).group(1)) for name, line in rows.items()}
    assert all(0.6 < a < 1 for a in accuracy.values()), done.stdout

    # pipelines/fashion-mnist/run.sh --fast, stages 1-5 (raw pixels) and its SVM's evaluation
    for split, options in [("train", ["--val-size", 500, "--subset", 3000]), ("val", ["--val-size", 500]),
                           ("test", ["--subset", 3000])]:
        featpipe_cli("extract", "--data", "fashion-mnist", *options, "--split", split, "--features", "raw",
                     "--out", tmp_path / f"raw_{split}.h5", "-q")
    featpipe_cli("sweep", "--train", tmp_path / "raw_train.h5", "--val", tmp_path / "raw_val.h5", "--loss", "svm",
                 "--lr-range", "3e-4:3e-3", "--lambda-range", "1e-5:1e-3", "--steps", 3, "--epochs", 5, "--batch",
                 256, "--out", tmp_path / "raw_svm.h5", "-q")
    report = featpipe_cli("eval", "--model", tmp_path / "raw_svm.h5", "--store", tmp_path / "raw_test.h5")
    cli = float(re.search(r"accuracy\D*([0-9.]+)", report).group(1))
    assert f"{cli:.4f}" == f"{accuracy['raw_svm']:.4f}", (report, done.stdout)
