"""The written sections of the compare report, each as Markdown and HTML: the findings and warnings at the top,
the results table with intervals, sizes and significance, and per model its recorded warnings, most confused
class pairs, per-class change against the baseline and gallery of most confident mistakes.

Every function reads the rows of DIR/summary.json (see pipelines/include/featpipe/pipelines/compare.h).
"""
import base64
import html
import os

NOISE = "within noise"


def fmt_seconds(s):
    """A stage's time: seconds, milliseconds below 0.1 s (a "0.0" would read as free)."""
    if s is None:
        return ""
    if s >= 0.1:
        return f"{s:.1f} s"
    if s >= 0.0001:
        return f"{s * 1000:.1f} ms"
    return "<0.1 ms"


def fmt_acc(a):
    return "" if a is None else f"{a:.4f}"


def fmt_p(p):
    return "" if p is None else (f"{p:.1e}" if p < 1e-4 else f"{p:.4f}")


def fmt_count(n):
    return "?" if n is None else str(n)


def vs(row):
    return row.get("vs_baseline") or {}


def results_table(rows, baseline):
    """(header, rows of cells) of the results table."""
    header = ["pipeline", "features", "dim", "K", "images train/val/test", "stage times", "val acc",
              "test acc [95% CI]", "top-k acc", "gain over raw", "McNemar p"]
    table = []
    for r in rows:
        times = ", ".join(f"{stage} {fmt_seconds(s)}" for stage, s in (r.get("times") or {}).items())
        low, high = r["test_ci"]
        v = vs(r)
        gain = "" if r.get("gain") is None else f"{r['gain']:+.4f}"
        if r["name"] != baseline and v.get("within_noise"):
            gain += f" ({NOISE})"
        table.append([
            r["name"], r["features"], str(r["dim"]), fmt_count(r.get("vocab_k")) if r.get("vocab_k") else "",
            f"{fmt_count(r.get('train_rows'))}/{fmt_count(r.get('val_rows'))}/{r['test_rows']}", times,
            fmt_acc(r.get("val_acc")), f"{r['test_acc']:.4f} [{low:.4f}, {high:.4f}]",
            f"top-{r['top_k']} {r['top_k_acc']:.4f}", gain,
            "" if r["name"] == baseline or not v else fmt_p(v.get("p_value"))])
    return header, table


def encodings_table(rows):
    """(header, rows of cells) of the encodings table of Chatfield et al. (BMVC 2011): each model's method
    (encoding and vocabulary), K, dimension, normalisation / pooling, accuracies and encoding time."""
    header = ["pipeline", "method", "K", "dim", "normalisation / pooling", "val acc", "test acc [95% CI]",
              "encode time (train split)"]
    table = []
    for r in rows:
        e = r.get("encoding") or {}
        times = r.get("times") or {}
        low, high = r["test_ci"]
        table.append([
            r["name"], e.get("method", "?"), "" if e.get("k") is None else str(e["k"]), str(r["dim"]),
            e.get("normalisation", "?"), fmt_acc(r.get("val_acc")), f"{r['test_acc']:.4f} [{low:.4f}, {high:.4f}]",
            fmt_seconds(times.get("encode", times.get("extract")))])
    return header, table


def md_table(header, table):
    out = "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n"
    for t in table:
        out += "| " + " | ".join(c.replace("|", "\\|") for c in t) + " |\n"
    return out


def html_table(header, table, table_id):
    out = f"<table id='{table_id}'><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>"
    for t in table:
        out += "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in t) + "</tr>"
    return out + "</table>"


def findings(summary):
    """The summary sentences and the warnings, as (Markdown, HTML)."""
    md = "".join(f"{line}\n" for line in summary.get("findings", [])) + "\n"
    body = "".join(f"<p>{html.escape(line)}</p>" for line in summary.get("findings", []))
    warnings = summary.get("warnings", [])
    if warnings:
        md += "".join(f"> **Warning:** {w}\n>\n" for w in warnings) + "\n"
        body += "<ul class='warnings'>" + "".join(
            f"<li><strong>Warning:</strong> {html.escape(w)}</li>" for w in warnings) + "</ul>"
    return md, f"<section id='summary'>{body}</section>"


def class_changes(row, baseline):
    """(header, cells) of the per-class accuracy change against the baseline, largest gain first."""
    change = vs(row).get("class_change") or []
    pairs = [(d, name) for d, name in zip(change, row["class_names"]) if d is not None]
    pairs.sort(key=lambda p: -p[0])
    return ["class", f"accuracy change vs {baseline}"], [[name, f"{d:+.3f}"] for d, name in pairs]


def confused(row):
    return ["true class", "predicted", "images"], [
        [p["true"], p["predicted"], str(p["count"])] for p in row.get("confused_pairs", [])]


def gallery_caption(item, kind):
    conf = f"p={item['confidence']:.2f}" if kind == "probability" else f"margin {item['confidence']:.2f}"
    return f"true {item['true']}, predicted {item['predicted']} ({conf})"


def model_sections(out_dir, row, baseline):
    """A model's details as (Markdown, HTML): recorded warnings, confused pairs, class changes, gallery."""
    name = row["name"]
    md = f"\n## {name}\n\n"
    body = f"<section class='model'><h2>{html.escape(name)}</h2>"
    for w in row.get("warnings", []):
        md += f"> **Recorded warning:** {w}\n>\n"
        body += f"<p class='recorded-warning'><strong>Recorded warning:</strong> {html.escape(w)}</p>"
    header, cells = confused(row)
    if cells:
        md += "\nMost confused class pairs:\n\n" + md_table(header, cells)
        body += "<h3>Most confused class pairs</h3>" + html_table(header, cells, f"confused-{name}")
    if baseline is not None and name != baseline and vs(row):
        v = vs(row)
        note = f" ({NOISE})" if v["within_noise"] else ""
        line = (f"Against {baseline} on the same {v['images']} images: gain {v['gain']:+.4f}{note}, "
                f"McNemar exact p = {fmt_p(v['p_value'])} ({v['only_model']} images only {name} got right, "
                f"{v['only_baseline']} only {baseline}).")
        header, cells = class_changes(row, baseline)
        md += f"\n{line}\n\n" + md_table(header, cells)
        body += (f"<h3>Per-class change against {html.escape(baseline)}</h3><p>{html.escape(line)}</p>"
                 + html_table(header, cells, f"class-change-{name}"))
    gallery = row.get("gallery") or {}
    if "note" in gallery:
        md += f"\nNo gallery of mistakes: {gallery['note']}\n"
        body += f"<p class='gallery-note'>No gallery of mistakes: {html.escape(gallery['note'])}</p>"
    elif gallery.get("images"):
        md += "\nMost confident mistakes:\n\n"
        body += "<h3>Most confident mistakes</h3><div class='gallery'>"
        for item in gallery["images"]:
            caption = gallery_caption(item, row.get("confidence_kind"))
            md += f"![{caption}]({item['file']}) "
            with open(os.path.join(out_dir, item["file"]), "rb") as img:
                data = base64.b64encode(img.read()).decode("ascii")
            body += (f"<figure class='mistake'><img class='thumb' alt='{html.escape(caption)}' "
                     f"src='data:image/png;base64,{data}'><figcaption>{html.escape(caption)}</figcaption></figure>")
        md += "\n"
        body += "</div>"
    elif "images" in gallery:
        md += "\nNo mistakes on the test set.\n"
        body += "<p>No mistakes on the test set.</p>"
    return md, body + "</section>"


STYLE = ("body{font-family:sans-serif;margin:2em;max-width:1200px}"
         "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #999;padding:4px 8px;text-align:right}"
         "td:first-child,td:nth-child(2),th{text-align:left}img.plot{max-width:100%}"
         "#results td:nth-child(2){max-width:28em;overflow-wrap:anywhere;font-size:0.85em}"
         ".warnings li,.recorded-warning{color:#8a4b00}.gallery{display:flex;flex-wrap:wrap;gap:8px}"
         "figure.mistake{margin:0;width:130px;font-size:0.75em}img.thumb{width:96px;image-rendering:pixelated}")
