"""Draws the raw-vs-engineered report of `featpipe compare`.

Reads DIR/summary.json (written by the command: one entry per model with its test metrics) and the model
stores it names (h5py: loss per iteration, val accuracy per epoch, weights), draws the plots with matplotlib
and writes DIR/report.md (plots beside it as PNG) and DIR/report.html (plots embedded, self-contained).

Run with Debian's interpreter: /usr/bin/python3 report.py DIR
"""
import base64
import contextlib
import html
import json
import math
import os
import sys

import report_sections as sections

try:
    import h5py
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
except ImportError as missing:
    sys.exit(f"report.py: the Python module {missing.name} is missing: install python3-matplotlib and "
             "python3-h5py (make deps)")

# The heading of the encodings table (Chatfield, Lempitsky, Vedaldi & Zisserman, "The devil is in the details",
# BMVC 2011: one row per encoding, on one descriptor sample and one training protocol).
ENCODINGS = "Encodings (Chatfield et al. 2011)"


class ReportError(Exception):
    """A file of the report that could not be read or written, with the system's reason."""


@contextlib.contextmanager
def writing(path):
    """Turns a failed write of `path` (a full disk, a file size limit) into a ReportError naming it."""
    try:
        yield
    except OSError as e:
        raise ReportError(f"cannot write {os.path.basename(path)}: {e.strerror or e}") from e


def save(fig, out):
    with writing(out):
        try:
            fig.savefig(out, dpi=110)
        finally:
            plt.close(fig)


def smooth(values, window):
    """Moving average over `window` iterations (the trend under the minibatch noise)."""
    if len(values) < window or window < 2:
        return np.asarray(values)
    kernel = np.ones(window) / window
    return np.convolve(values, kernel, mode="valid")


def read_history(path):
    with h5py.File(path, "r") as f:
        def series(name):
            return f[name][:] if name in f else np.zeros(0)
        return {
            "loss": series("history/loss"),
            "val_acc": series("history/val_acc"),
            "train_acc": series("history/train_acc"),
            "W": f["W"][:] if "W" in f else None,
            "std": series("preprocess/std"),
        }


def plot_loss(rows, histories, out):
    n = len(rows)
    cols = min(n, 3)
    grid_rows = math.ceil(n / cols)
    fig, axes = plt.subplots(grid_rows, cols, figsize=(5 * cols, 3.4 * grid_rows), squeeze=False)
    for ax, row, hist in zip(axes.flat, rows, histories):
        loss = hist["loss"]
        ax.plot(np.arange(len(loss)), loss, color="#9ecae1", linewidth=0.6, label="per iteration")
        window = max(2, len(loss) // 50)
        trend = smooth(loss, window)
        ax.plot(np.arange(len(trend)) + window // 2, trend, color="#08519c", linewidth=1.6,
                label=f"mean of {window}")
        ax.set_title(row["name"], fontsize=10)
        ax.set_xlabel("iteration")
        ax.set_ylabel("training loss")
        ax.legend(fontsize=8)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.tight_layout()
    save(fig, out)


def plot_val_acc(rows, histories, out):
    fig, ax = plt.subplots(figsize=(7, 4))
    for row, hist in zip(rows, histories):
        acc = hist["val_acc"] if len(hist["val_acc"]) else hist["train_acc"]
        label = row["name"] + ("" if len(hist["val_acc"]) else " (train)")
        ax.plot(np.arange(1, len(acc) + 1), acc, marker="o", markersize=3, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    save(fig, out)


def plot_confusions(rows, out):
    n = len(rows)
    cols = min(n, 3)
    grid_rows = math.ceil(n / cols)
    fig, axes = plt.subplots(grid_rows, cols, figsize=(5.2 * cols, 4.8 * grid_rows), squeeze=False)
    for ax, row in zip(axes.flat, rows):
        cm = np.asarray(row["confusion"], dtype=float)
        norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
        ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
        names = row["class_names"]
        ax.set_xticks(range(len(names)))
        ax.set_yticks(range(len(names)))
        ax.set_xticklabels(names, rotation=90, fontsize=7)
        ax.set_yticklabels(names, fontsize=7)
        if len(names) <= 12:
            for i in range(len(names)):
                for j in range(len(names)):
                    ax.text(j, i, int(cm[i, j]), ha="center", va="center", fontsize=6,
                            color="white" if norm[i, j] > 0.5 else "black")
        ax.set_title(f"{row['name']} (test acc {row['test_acc']:.4f})", fontsize=10)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.tight_layout()
    save(fig, out)


def plot_sweep(row, out):
    runs = [r for r in row["sweep"]["runs"] if "val_acc" in r]
    lrs = sorted({r["lr"] for r in runs})
    lambdas = sorted({r["lambda"] for r in runs})
    grid = np.full((len(lambdas), len(lrs)), np.nan)
    for r in runs:
        grid[lambdas.index(r["lambda"]), lrs.index(r["lr"])] = r["val_acc"]
    fig, ax = plt.subplots(figsize=(1.0 + 0.9 * len(lrs), 1.0 + 0.7 * len(lambdas)))
    im = ax.imshow(grid, cmap="viridis", origin="lower", aspect="auto")
    ax.set_xticks(range(len(lrs)))
    ax.set_xticklabels([f"{v:.1e}" for v in lrs], rotation=45, fontsize=7)
    ax.set_yticks(range(len(lambdas)))
    ax.set_yticklabels([f"{v:.1e}" for v in lambdas], fontsize=7)
    for i in range(len(lambdas)):
        for j in range(len(lrs)):
            if not np.isnan(grid[i, j]):
                ax.text(j, i, f"{grid[i, j]:.3f}", ha="center", va="center", fontsize=6, color="white")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("lambda")
    ax.set_title(f"{row['name']}: validation accuracy", fontsize=10)
    fig.colorbar(im, ax=ax)
    fig.tight_layout()
    save(fig, out)


def plot_templates(row, hist, out):
    """The lecture's templates: each class's weights over raw pixels, shown as an image."""
    w = hist["W"]
    if w is None:
        return False
    width, height, channels = row["image_size"]
    if w.shape[0] != width * height * channels:
        return False
    # Weights on the standardised pixels: dividing by the pixel std would let near-constant border pixels
    # dominate the picture. Scaled by a high percentile so a few extreme weights do not wash it out.
    scale = max(float(np.percentile(np.abs(w), 99)), 1e-12)
    names = row["class_names"]
    cols = min(len(names), 10)
    grid_rows = math.ceil(len(names) / cols)
    fig, axes = plt.subplots(grid_rows, cols, figsize=(1.4 * cols, 1.6 * grid_rows), squeeze=False)
    for c, ax in enumerate(axes.flat):
        ax.axis("off")
        if c >= len(names):
            continue
        t = np.clip(w[:, c].reshape(height, width, channels) / scale, -1, 1)
        if channels == 1:
            ax.imshow(t[:, :, 0], cmap="RdBu_r", vmin=-1, vmax=1)
        else:
            ax.imshow((t[:, :, ::-1] + 1) / 2)  # stored BGR
        ax.set_title(names[c], fontsize=7)
    fig.suptitle(f"{row['name']}: class templates", fontsize=10)
    fig.tight_layout()
    save(fig, out)
    return True


def main():
    out_dir = sys.argv[1]
    with open(os.path.join(out_dir, "summary.json")) as f:
        summary = json.load(f)
    rows = summary["rows"]
    histories = [read_history(r["model"]) for r in rows]

    plots = []  # (title, file)
    plot_loss(rows, histories, os.path.join(out_dir, "loss.png"))
    plots.append(("Training loss per iteration", "loss.png"))
    plot_val_acc(rows, histories, os.path.join(out_dir, "val_accuracy.png"))
    plots.append(("Validation accuracy per epoch", "val_accuracy.png"))
    plot_confusions(rows, os.path.join(out_dir, "confusion.png"))
    plots.append(("Confusion matrices on the test split", "confusion.png"))
    for i, (row, hist) in enumerate(zip(rows, histories)):
        if row.get("sweep"):
            name = f"sweep_{i}.png"
            plot_sweep(row, os.path.join(out_dir, name))
            plots.append((f"Sweep: {row['name']}", name))
        if row.get("raw_pixels"):
            name = f"templates_{i}.png"
            if plot_templates(row, hist, os.path.join(out_dir, name)):
                plots.append((f"Learned templates: {row['name']}", name))

    baseline = summary.get("baseline")
    header, table = sections.results_table(rows, baseline)
    enc_header, enc_table = sections.encodings_table(rows)
    summary_md, summary_html = sections.findings(summary)
    details = [sections.model_sections(out_dir, row, baseline) for row in rows]

    title = summary.get("title", "featpipe report")
    with writing("report.md"), open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write(f"# {title}\n\n")
        f.write(summary_md)
        f.write(sections.md_table(header, table))
        f.write(f"\nBaseline for the gain: {baseline or 'none'}; McNemar's exact test (two-sided binomial on "
                "the images only one of the two got right) on the same test images; p >= 0.05 is within noise.\n")
        f.write(f"\n## {ENCODINGS}\n\n" + sections.md_table(enc_header, enc_table))
        for md, _ in details:
            f.write(md)
        for caption, name in plots:
            f.write(f"\n## {caption}\n\n![{caption}]({name})\n")

    with writing("report.html"), open(os.path.join(out_dir, "report.html"), "w") as f:
        f.write("<!doctype html><html><head><meta charset='utf-8'>")
        f.write(f"<title>{html.escape(title)}</title><style>{sections.STYLE}</style></head><body>")
        f.write(f"<h1>{html.escape(title)}</h1>{summary_html}")
        f.write(sections.html_table(header, table, "results"))
        f.write(f"<p>Baseline for the gain: {html.escape(str(baseline or 'none'))}; McNemar's exact test "
                "(two-sided binomial on the images only one of the two got right) on the same test images; "
                "p &ge; 0.05 is within noise.</p>")
        f.write(f"<h2>{ENCODINGS}</h2>" + sections.html_table(enc_header, enc_table, "encodings"))
        for _, body in details:
            f.write(body)
        for caption, name in plots:
            with open(os.path.join(out_dir, name), "rb") as img:
                data = base64.b64encode(img.read()).decode("ascii")
            f.write(f"<h2>{html.escape(caption)}</h2>"
                    f"<img class='plot' alt='{html.escape(caption)}' src='data:image/png;base64,{data}'>")
        f.write("</body></html>\n")
    print(os.path.join(out_dir, "report.html"))


if __name__ == "__main__":
    try:
        main()
    except ReportError as e:
        sys.exit(f"report.py: {e}")
