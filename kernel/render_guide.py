#!/usr/bin/python3
"""Render the executed notebooks into the offline HTML study guide.

    /usr/bin/python3 kernel/render_guide.py --executed build/notebooks --out build/guide NOTEBOOK ...

Reads the executed copies (it never executes: nbconvert's --execute would highlight TypeScript as
Python) and writes, into --out:
  index.html        the questions in order, grouped by topic, each with its one-line answer, its
                    execution status and time, and a link to its page
  qNN-slug.html     one page per notebook (template kernel/guide/templates/cnn), with
                    previous / index / next navigation
  guide.css, mathjax/ (a subset of Debian's MathJax 2.7), plotly.js (only if a page has a plotly figure)
Nothing in the folder loads from the network; it can be zipped and opened anywhere. A page is
rewritten only when its executed notebook, the template or this script changed.
"""
import argparse
import base64
import hashlib
import html
import json
import os
import re
import shutil
import sys

import nbformat
from nbconvert import HTMLExporter

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE_DIR = os.path.join(HERE, "guide")
ROOT = os.path.dirname(HERE)
MATHJAX_SRC = "/usr/share/javascript/mathjax"
# What MathJax 2.7 loads for the TeX-AMS_CHTML-full config: the combined config, the CommonHTML
# output's font data, the TeX extensions, the woff fonts, and English messages.
MATHJAX_PARTS = [
    "MathJax.js",
    "config/TeX-AMS_CHTML-full.js",
    "config/Safe.js",
    "extensions",
    "jax/input/TeX",
    "jax/element",
    "jax/output/CommonHTML",
    "fonts/HTML-CSS/TeX/woff",
    "localization/en",
]
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
PLOTLY_SRC = os.path.join(ROOT, "node_modules", "plotly.js-dist", "plotly.js")
# A <script> that inlines plotly.js itself (the first plotly figure of a notebook carries it); the
# guide loads plotly.js once from a file instead.
PLOTLY_INLINE = re.compile(r"<script[^>]*>(?:(?!</script>).){200000,}?</script>", re.S)

TOPICS = [
    ("Foundations", range(1, 5)),
    ("Building blocks and their arithmetic", range(5, 12)),
    ("Training deep networks", range(12, 17)),
    ("Architectures", range(17, 21)),
    ("Attention, scale, robustness and beyond", range(21, 26)),
]


def question_number(name):
    m = re.match(r"q(\d\d)-", name)
    return int(m.group(1)) if m else 0


def strip_md(text):
    """Markdown to plain text for the index (math stays: MathJax typesets the index too)."""
    text = re.sub(r"\*\*|__|`", "", text)
    text = re.sub(r"(?<![\w*])[*_]([^*_\n]+)[*_](?![\w*])", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def title_and_answer(nb, fallback):
    """The notebook's H1 title and the first sentence of its short answer."""
    title, answer = fallback, ""
    paragraphs = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for block in re.split(r"\n\s*\n", cell.source):
            block = block.strip()
            if block.startswith("# ") and title == fallback:
                title = strip_md(block.splitlines()[0][2:])
                rest = "\n".join(block.splitlines()[1:]).strip()
                if rest:
                    paragraphs.append(rest)
            elif block and not block.startswith(("#", "$$", "|", "```", "-", "*  ")):
                paragraphs.append(block)
        if len(paragraphs) >= 3:
            break
    for p in paragraphs:
        if re.match(r"\*\*(Short answer|Answer)[.:]?\*\*", p, re.I) or not answer:
            text = re.sub(r"^\*\*(Short answer|Answer)[.:]?\*\*[.:]?\s*", "", p, flags=re.I)
            sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z(])", strip_md(text))[0]
            answer = sentence
            if re.match(r"\*\*(Short answer|Answer)", p, re.I):
                break
    return title, answer


def backend_of(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            m = re.search(r"cnnlib: backend (\w+)", out.get("text", "") if isinstance(out.get("text"), str) else "")
            if m:
                return m.group(1)
    return "unknown"


def copy_assets(out, need_plotly):
    shutil.copyfile(os.path.join(GUIDE_DIR, "guide.css"), os.path.join(out, "guide.css"))
    mj = os.path.join(out, "mathjax")
    if not os.path.exists(os.path.join(mj, "MathJax.js")):
        if not os.path.isdir(MATHJAX_SRC):
            raise SystemExit(f"render_guide: {MATHJAX_SRC} is missing (Debian package libjs-mathjax)")
        for part in MATHJAX_PARTS:
            src, dst = os.path.join(MATHJAX_SRC, part), os.path.join(mj, part)
            if os.path.isdir(src):
                shutil.copytree(src, dst, dirs_exist_ok=True)
            else:
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(src, dst)
    plotly = os.path.join(out, "plotly.js")
    if need_plotly and not os.path.exists(plotly):
        shutil.copyfile(PLOTLY_SRC, plotly)
    elif not need_plotly and os.path.exists(plotly):
        os.remove(plotly)


def uses_plotly(nb):
    """Move inlined plotly.js out of the outputs; True if the notebook has a plotly figure."""
    found = False
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "application/vnd.plotly.v1+json" in data:
                found = True
            h = data.get("text/html")
            if isinstance(h, str) and "Plotly" in h:
                found = True
                data["text/html"] = PLOTLY_INLINE.sub("", h)
    return found


def render_index(out, entries):
    groups = []
    for topic, numbers in TOPICS:
        items = []
        for e in entries:
            if e["number"] not in numbers:
                continue
            status = e["status"]
            cls = "" if status == "ok" else ' class="failed"'
            items.append(
                f'<li><a class="q" href="{html.escape(e["name"])}.html">{html.escape(e["title"])}</a>'
                f'<span class="answer">{html.escape(e["answer"])}</span>'
                f'<span class="meta"><span{cls}>{html.escape(status)}</span>, executed in {e["seconds"]:.0f} s</span></li>'
            )
        if items:
            groups.append(f"<section><h2>{html.escape(topic)}</h2><ol>{''.join(items)}</ol></section>")
    total = sum(e["seconds"] for e in entries)
    ok = sum(1 for e in entries if e["status"] == "ok")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>CNN interview questions: a study guide that runs</title>
<link rel="stylesheet" href="guide.css">
<script type="text/x-mathjax-config">
MathJax.Hub.Config({{ tex2jax: {{ inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], processEscapes: true }} }});
</script>
<script src="{MATHJAX_URL}"></script></head>
<body class="cnn-index-page">
<h1>CNN interview questions</h1>
<p>{len(entries)} classic questions about convolutional neural networks, each answered by a TypeScript notebook
that was executed to make this page: every number and figure below was computed, on TensorFlow.js, when the guide
was built. {ok} of {len(entries)} notebooks ran clean, in {total:.0f} s of notebook time.</p>
<p>Each notebook starts from <em>the reference answer</em>: a widely circulated set of Python/Keras answers to these
questions. Its code is ported and run, its printed outputs are reproduced, and its claims are checked against
what the cells compute; where they differ, an <strong>Errata</strong> note says what it claimed and why the
computed value is right.</p>
{''.join(groups)}
<section><h2>Run the notebooks yourself</h2>
<p>From a checkout of the repository (Debian with Node.js 20):</p>
<pre>make lab      # JupyterLab (or the classic Notebook) on notebooks/ with the TypeScript (cnn-notebooks) kernel
make guide    # execute every notebook and rebuild this guide
make test     # unit tests and every notebook, checked</pre>
<p>From an existing JupyterLab: <code>make setup</code>, then <code>JUPYTER_PATH=$PWD/build/jupyter jupyter lab notebooks/</code>.</p>
</section>
</body></html>
"""
    with open(os.path.join(out, "index.html"), "w") as f:
        f.write(page)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--executed", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    names = sorted(os.path.splitext(os.path.basename(p))[0] for p in args.notebooks)
    missing = [n for n in names if not os.path.exists(os.path.join(args.executed, f"{n}.ipynb"))]
    if missing:
        print(f"render_guide: not executed: {', '.join(missing)} (run make notebooks)", file=sys.stderr)
        return 1

    h = hashlib.sha256()
    for d, _, files in sorted(os.walk(GUIDE_DIR)):
        for fname in sorted(files):
            with open(os.path.join(d, fname), "rb") as f:
                h.update(f.read())
    with open(os.path.abspath(__file__), "rb") as f:
        h.update(f.read())
    renderer_key = h.hexdigest()
    state_path = os.path.join(args.out, ".rendered.json")
    try:
        with open(state_path) as f:
            state = json.load(f)
    except Exception:
        state = {}

    exporter = HTMLExporter(
        template_name="cnn", extra_template_basedirs=[os.path.join(GUIDE_DIR, "templates")], mathjax_url=MATHJAX_URL
    )
    exporter.register_filter("b64", lambda s: base64.b64encode(s.encode("utf-8")).decode("ascii"))

    notebooks = {}
    for n in names:
        path = os.path.join(args.executed, f"{n}.ipynb")
        with open(path, "rb") as f:
            raw = f.read()
        notebooks[n] = (nbformat.reads(raw.decode("utf-8"), as_version=4), hashlib.sha256(raw).hexdigest())

    entries, need_plotly, rendered = [], False, 0
    for i, n in enumerate(names):
        nb, digest = notebooks[n]
        title, answer = title_and_answer(nb, n)
        meta = nb.metadata.get("cnn_notebooks", {})
        entries.append(
            {"name": n, "number": question_number(n), "title": title, "answer": answer,
             "status": meta.get("status", "unknown"), "seconds": float(meta.get("seconds", 0))}
        )
        has_plotly = uses_plotly(nb)
        need_plotly |= has_plotly
        label = lambda k: f"Q{question_number(names[k])}" if question_number(names[k]) else names[k]
        key = hashlib.sha256(
            (digest + renderer_key + json.dumps([names[i - 1] if i else None, names[i + 1] if i + 1 < len(names) else None])).encode()
        ).hexdigest()
        page = os.path.join(args.out, f"{n}.html")
        if state.get(n) == key and os.path.exists(page):
            continue
        resources = {
            "metadata": {"name": title},
            "cnn": {
                "prev": {"href": f"{names[i - 1]}.html", "label": label(i - 1)} if i else None,
                "next": {"href": f"{names[i + 1]}.html", "label": label(i + 1)} if i + 1 < len(names) else None,
                "status": meta.get("status", "unknown"),
                "seconds": f"{float(meta.get('seconds', 0)):.1f}",
                "backend": backend_of(nb),
                "source": f"notebooks/{n}.ipynb",
                "plotly": has_plotly,
            },
        }
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        with open(page, "w") as f:
            f.write(body)
        state[n] = key
        rendered += 1

    copy_assets(args.out, need_plotly)
    render_index(args.out, entries)
    with open(state_path, "w") as f:
        json.dump(state, f, indent=1)
    failed = [e["name"] for e in entries if e["status"] != "ok"]
    print(
        f"guide: {len(entries)} pages in {args.out} ({rendered} rendered, {len(entries) - rendered} up to date)"
        + (f"; notebooks that failed: {', '.join(failed)}" if failed else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
