"""LIBLINEAR beside featpipe's SVM on featpipe's own feature stores: test accuracy and seconds side by side.

  featpipe:  `featpipe train --loss svm` (default options: Adam, 10 epochs, minibatch 256) and `featpipe sweep
             --loss svm` (its default 4 x 4 grid of lr and lambda, ranked on the val store), each timed as a
             whole process and as the seconds it reports for its work; test accuracy from `featpipe eval`.
  LIBLINEAR: Debian's python3-liblinear, Crammer-Singer (-s 4) and one-vs-rest L2-regularised L2-loss SVM
             in the primal (-s 2), both with a bias (-B 1), C chosen on the val store from a log grid
             (--c-grid); the stores read with h5py and standardised as featpipe standardises inside its
             training (the training rows' mean and population standard deviation, 1 where that is 0). Its
             seconds are those of train() at the chosen C (converting the rows to LIBLINEAR's problem is
             timed apart), and of the whole C search. LIBLINEAR trains on one thread; featpipe on --threads.

  usage: bench_liblinear.py --featpipe BIN --train T.h5 --val V.h5 --test E.h5 [--threads 2] [--c-grid ...]
"""
import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
from scipy import sparse

try:
    import liblinear
    import liblinearutil
except ImportError:
    print("bench_liblinear: error: no LIBLINEAR module for /usr/bin/python3: install python3-liblinear "
          "(scripts/install-deps.sh does)", file=sys.stderr)
    sys.exit(2)

# Debian bookworm's python3-liblinear (2.3.0) reaches numpy through the `scipy` namespace (scipy.ndarray,
# scipy.ctypeslib, scipy.empty), which scipy has since dropped; numpy itself is what it expects there.
liblinear.scipy = np
liblinearutil.scipy = np

SOLVERS = {4: "Crammer-Singer (-s 4)", 2: "one-vs-rest L2-loss SVM (-s 2)"}


def load(path):
    with h5py.File(path, "r") as f:
        return f["features"][:].astype(np.float64), f["labels"][:].astype(np.float64)


def standardise(train, *others):
    """featpipe's standardisation: the training rows' mean and population standard deviation (1 if 0)."""
    mean = train.mean(axis=0)
    std = train.std(axis=0)
    std[std == 0] = 1.0
    return [(x - mean) / std for x in (train, *others)]


def run_featpipe(binary, args):
    """Runs featpipe; returns its output and the process's seconds."""
    start = time.perf_counter()
    done = subprocess.run([binary, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench_liblinear: featpipe {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done.stdout + done.stderr, seconds


def featpipe_accuracy(binary, model, test):
    out, _ = run_featpipe(binary, ["eval", "--model", model, "--data", test])
    return float(re.search(r"^accuracy\s+(\S+)", out, re.M).group(1))


def featpipe_runs(opts, folder):
    """`featpipe train` and `featpipe sweep` with the SVM loss: (name, work seconds, process seconds, acc)."""
    common = ["--train", opts.train, "--loss", "svm", "--threads", str(opts.threads)]
    rows = []
    # A short run on a shared machine can land on a busy moment: the median of several.
    works, walls = [], []
    for _ in range(opts.runs):
        out, wall = run_featpipe(opts.featpipe, ["train", *common, "--out", f"{folder}/train.h5"])
        works.append(float(re.search(r"^wrote .* in (\S+) s", out, re.M).group(1)))
        walls.append(wall)
    rows.append((f"featpipe train --loss svm (median of {opts.runs})", statistics.median(works),
                 statistics.median(walls), featpipe_accuracy(opts.featpipe, f"{folder}/train.h5", opts.test)))
    out, wall = run_featpipe(opts.featpipe, ["sweep", *common, "--val", opts.val, "--out", f"{folder}/sweep.h5"])
    work = float(re.search(r"^sweep: \d+ runs in (\S+) s", out, re.M).group(1))
    best = re.search(r"^wrote .*: the best run, lr (\S+), lambda (\S+),", out, re.M)
    rows.append((f"featpipe sweep --loss svm (lr {float(best[1]):.3g}, lambda {float(best[2]):.3g})", work, wall,
                 featpipe_accuracy(opts.featpipe, f"{folder}/sweep.h5", opts.test)))
    return rows


def liblinear_runs(opts):
    """Each solver's C chosen on val: (name, fit seconds at that C, search seconds, test accuracy)."""
    (x, y), (xv, yv), (xt, yt) = load(opts.train), load(opts.val), load(opts.test)
    x, xv, xt = standardise(x, xv, xt)
    start = time.perf_counter()
    problem = liblinearutil.problem(y, sparse.csr_matrix(x), bias=1)
    convert = time.perf_counter() - start
    xv, xt = sparse.csr_matrix(xv), sparse.csr_matrix(xt)
    rows = []
    for solver in opts.solvers:
        name = SOLVERS[solver]
        search_start = time.perf_counter()
        best = None
        for c in opts.c_grid:
            start = time.perf_counter()
            model = liblinearutil.train(problem, liblinearutil.parameter(f"-s {solver} -c {c:g} -B 1 -q"))
            fit = time.perf_counter() - start
            val_acc = liblinearutil.predict(yv, xv, model, "-q")[1][0] / 100
            # Every C's test accuracy is shown, for reading only: the choice is made on val.
            test_acc = liblinearutil.predict(yt, xt, model, "-q")[1][0] / 100
            print(f"  LIBLINEAR {name} C {c:g}: val acc {val_acc:.4f}, test acc {test_acc:.4f}, fit {fit:.2f} s",
                  file=sys.stderr)
            if best is None or val_acc > best[0]:
                best = (val_acc, c, fit, model)
        search = time.perf_counter() - search_start + convert
        test_acc = liblinearutil.predict(yt, xt, best[3], "-q")[1][0] / 100
        rows.append((f"LIBLINEAR {name}, C {best[1]:g}", best[2], search, test_acc))
    return rows, convert


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--featpipe", required=True)
    parser.add_argument("--train", required=True)
    parser.add_argument("--val", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--c-grid", type=lambda s: [float(c) for c in s.split(",")],
                        default=[0.0001, 0.001, 0.01],
                        # Larger C fit far slower on standardised pixels (Crammer-Singer: 7.6 s at C 0.001 on
                        # Fashion-MNIST, 53 s at 0.01, longer beyond) for a val accuracy within 0.001.
                        help="comma-separated C values (default 0.0001,0.001,0.01)")
    parser.add_argument("--solvers", type=lambda s: [int(v) for v in s.split(",")], default=list(SOLVERS),
                        help="LIBLINEAR solvers, comma-separated: 4 (Crammer-Singer), 2 (one-vs-rest L2-loss SVM)")
    parser.add_argument("--runs", type=int, default=3, help="featpipe train runs, the median taken")
    opts = parser.parse_args()
    if not set(opts.solvers) <= set(SOLVERS):
        parser.error(f"--solvers: use {', '.join(map(str, SOLVERS))}")
    with h5py.File(opts.train, "r") as f:
        shape = f["features"].shape
    with tempfile.TemporaryDirectory() as folder:
        ours = featpipe_runs(opts, folder)
    theirs, convert = liblinear_runs(opts)

    print(f"train {opts.train}: {shape[0]} x {shape[1]}; featpipe on {opts.threads} threads, LIBLINEAR on one")
    print(f"{'':62s} {'seconds':>8s} {'whole':>8s} {'test acc':>9s}")
    for name, work, whole, acc in ours + theirs:
        print(f"{name:62s} {work:8.3f} {whole:8.3f} {acc:9.4f}")
    print("seconds: featpipe's own report of its work (train: reading, standardising, training, writing; sweep:"
          " every run); whole: featpipe's process, LIBLINEAR's C search (with the conversion to its problem,"
          f" {convert:.2f} s); LIBLINEAR's seconds: train() at the chosen C")
    train_s, train_whole, train_acc = ours[0][1:]
    sweep_s, _, sweep_acc = ours[1][1:]
    for name, fit, search, acc in theirs:
        print(f"{name}: fit {fit / train_s:.1f}x featpipe train's seconds ({fit / train_whole:.1f}x its whole "
              f"process), search {search / sweep_s:.1f}x featpipe sweep's; accuracy {acc - train_acc:+.4f} "
              f"against train, {acc - sweep_acc:+.4f} against sweep")


if __name__ == "__main__":
    main()
