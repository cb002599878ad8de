#!/usr/bin/python3
"""Render executed notebooks into the HTML study guide.

    /usr/bin/python3 kernel/render_guide.py --executed build/notebooks --out build/guide NOTEBOOK ...

Reads the executed copies (never executes: nbconvert's --execute would highlight TypeScript as
Python), writes one page per notebook and index.html listing them with their status and time.
A page is rewritten only when its executed notebook changed.
"""
import argparse
import html
import json
import os
import sys

import nbformat
from nbconvert import HTMLExporter


def title_of(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--executed", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    rows, missing = [], []
    for src in args.notebooks:
        name = os.path.splitext(os.path.basename(src))[0]
        executed = os.path.join(args.executed, f"{name}.ipynb")
        if not os.path.exists(executed):
            missing.append(name)
            continue
        nb = nbformat.read(executed, as_version=4)
        meta = nb.metadata.get("cnn_notebooks", {})
        page = os.path.join(args.out, f"{name}.html")
        if not os.path.exists(page) or os.path.getmtime(page) < os.path.getmtime(executed):
            body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title_of(nb, name)}})
            with open(page, "w") as f:
                f.write(body)
        rows.append((name, title_of(nb, name), meta.get("status", "?"), meta.get("seconds")))
    items = "\n".join(
        f'<li><a href="{html.escape(n)}.html">{html.escape(t)}</a> '
        f'<small>({html.escape(s)}{"" if sec is None else f", {sec:.0f} s"})</small></li>'
        for n, t, s, sec in rows
    )
    with open(os.path.join(args.out, "index.html"), "w") as f:
        f.write(
            "<!doctype html><html><head><meta charset='utf-8'><title>CNN interview questions: a study guide that runs</title></head>"
            f"<body><h1>CNN interview questions</h1><ol>{items}</ol></body></html>\n"
        )
    print(f"guide: {len(rows)} pages in {args.out}" + (f"; not executed: {', '.join(missing)}" if missing else ""))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
