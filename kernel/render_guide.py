#!/usr/bin/python3
"""Render the executed notebooks into the offline HTML study guide.

    /usr/bin/python3 kernel/render_guide.py --executed build/notebooks --out build/guide NOTEBOOK ...

Reads the executed copies (it never executes: nbconvert's --execute would highlight TypeScript as
Python) and writes, into --out:
  index.html        the questions in order, grouped by topic, each with its one-line answer, its
                    execution status and time, and a link to its page
  qNN-slug.html     one page per notebook (template kernel/guide/templates/cnn), with
                    previous / index / next navigation
  guide.css, lab.css (nbconvert's lab styles, shared by every page instead of inlined in each),
  mathjax/ (a subset of Debian's MathJax 2.7), plotly.min.js (only if a page has a plotly figure)
  vega/ (vega, vega-lite, vega-embed; only if a page has a live figure), figures.js
  search.js, minisearch.min.js, search-index.js (the offline search: every section of every page)
Each figure's static image is the smaller of its SVG and PNG renderings; a figure with a vega-lite spec
under SPEC_LIMIT is also drawn live in the page by vega-embed, the static image being the fallback.
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
import subprocess
import sys
import textwrap
from html.parser import HTMLParser

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

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
# plotly.js-dist ships no minified build; esbuild (in the tree through vitest's vite) makes one.
ESBUILD = os.path.join(ROOT, "node_modules", ".bin", "esbuild")
PLOTLY_OUT = "plotly.min.js"
LAB_CSS = "lab.css"
NOTEBOOK_LINK = re.compile(r'href="(?:\./)?(?:\.\./notebooks/)?(q\d\d-[\w-]+)\.ipynb(#[^"]*)?"')
VEGA_MIME = "application/vnd.vegalite.v5+json"
# Minified builds the packages ship, copied once into vega/ for every page with a live figure.
VEGA_SCRIPTS = [
    os.path.join(ROOT, "node_modules", "vega", "build", "vega.min.js"),
    os.path.join(ROOT, "node_modules", "vega-lite", "build", "vega-lite.min.js"),
    os.path.join(ROOT, "node_modules", "vega-embed", "build", "vega-embed.min.js"),
]
MINISEARCH_SRC = os.path.join(ROOT, "node_modules", "minisearch", "dist", "umd", "index.js")
SEARCH_FORM = (
    '<form class="cnn-search" role="search"><input type="search" placeholder="Search the guide"'
    ' aria-label="Search the guide" autocomplete="off"><ol class="cnn-search-results" hidden></ol></form>'
)
# A spec larger than this stays a static image (a per-pixel figure: thousands of marks in the page).
SPEC_LIMIT = 300_000
HEAD_STYLE = re.compile(r'<style type="text/css">.*?</style>\s*', re.S)
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


def split_sentences(text):
    return [x for x in re.split(r"(?<=[.!?])\s+(?=[A-Z(*_])", text) if x]


def study_parts(nb):
    """What the drill page and the cheat sheet show: the short answer (markdown) and the display
    formulas of the "## The math" section (TeX, without $$)."""
    md = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    m = re.search(r"\*\*Short answer\.?\*\*[.:]?\s*(.*?)(?:\n\s*\n|\Z)", md, re.S)
    short = m.group(1).strip() if m else ""
    mm = re.search(r"^## The math[^\n]*\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    formulas = [f.strip() for f in re.findall(r"\$\$(.+?)\$\$", mm.group(1), re.S)] if mm else []
    return short, formulas


def first_sentences(markdown, limit=60):
    """The short answer's opening for the index and the cheat sheet: its first sentence, and the
    second too where the first is short (a lead-in such as "A typical CNN is a funnel in two parts.")."""
    sentences = split_sentences(markdown.strip())
    out = sentences[:1]
    if sentences[1:] and len(strip_md(out[0])) < limit:
        out.append(sentences[1])
    return " ".join(out)


def backend_of(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            m = re.search(r"cnnlib: backend (\w+)", out.get("text", "") if isinstance(out.get("text"), str) else "")
            if m:
                return m.group(1)
    return "unknown"


def copy_assets(out, need_plotly, need_vega):
    for name in ("guide.css", "figures.js", "search.js", "drill.js"):
        shutil.copyfile(os.path.join(GUIDE_DIR, name), os.path.join(out, name))
    vega = os.path.join(out, "vega")
    if need_vega:
        os.makedirs(vega, exist_ok=True)
        for src in VEGA_SCRIPTS:
            if not os.path.exists(src):
                raise SystemExit(f"render_guide: {src} is missing (npm ci)")
            shutil.copyfile(src, os.path.join(vega, os.path.basename(src)))
    elif os.path.isdir(vega):
        shutil.rmtree(vega)
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
    for stale in ("plotly.js",):
        if os.path.exists(os.path.join(out, stale)):
            os.remove(os.path.join(out, stale))
    plotly = os.path.join(out, PLOTLY_OUT)
    if need_plotly and not (os.path.exists(plotly) and os.path.getmtime(plotly) >= os.path.getmtime(PLOTLY_SRC)):
        minify(PLOTLY_SRC, plotly)
    elif not need_plotly and os.path.exists(plotly):
        os.remove(plotly)


def minify(src, dst):
    """A minified copy of a library script (esbuild), or a plain copy where esbuild is missing."""
    tmp = dst + ".tmp"
    if os.path.exists(ESBUILD):
        r = subprocess.run([ESBUILD, "--minify", "--log-level=error", src, f"--outfile={tmp}"])
        if r.returncode == 0:
            os.replace(tmp, dst)
            return
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def slim_figures(nb):
    """Keep one static rendering per figure, the smaller of SVG (base64 in the page) and PNG, and the
    vega-lite spec only where it is small enough to draw live. True if a live figure is left."""
    live = False
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            svg, png = data.get("image/svg+xml"), data.get("image/png")
            if isinstance(svg, str) and isinstance(png, str):
                if len(svg) * 4 / 3 <= len(png):
                    del data["image/png"]
                else:
                    del data["image/svg+xml"]
                    # The PNG is drawn at twice the figure's size: show it at the SVG's width.
                    m = re.search(r'<svg[^>]*?\swidth="([\d.]+)', svg)
                    if m and "width" not in out.get("metadata", {}).get("image/png", {}):
                        out.setdefault("metadata", {}).setdefault("image/png", {})["width"] = f"{float(m.group(1)):.0f}"
            if VEGA_MIME in data:
                if ("image/svg+xml" in data or "image/png" in data) and len(json.dumps(data[VEGA_MIME])) <= SPEC_LIMIT:
                    live = True
                else:
                    del data[VEGA_MIME]
    return live


# A recall question's answer in a notebook: `<details><summary>Answer</summary>`, markdown, `</details>`.
ANSWER_BLOCK = re.compile(r"^([ \t]*)<details>\s*<summary>Answer</summary>[ \t]*\n(.*?)\n[ \t]*</details>", re.S | re.M)


def one_line_html(markup):
    """HTML on one line (newlines inside <pre> kept as entities), so markdown keeps it one block."""
    parts = re.split(r"(<pre[\s>].*?</pre>)", markup, flags=re.S)
    return "".join(p.replace("\n", "&#10;") if p.startswith("<pre") else re.sub(r"\s*\n\s*", " ", p) for p in parts).strip()


def answer_html(md):
    """A recall answer's markdown as HTML (math left for MathJax), one line."""
    return one_line_html(markdown2html_mistune(textwrap.dedent(md).strip()))


def render_answers(nb):
    """Recall answers: the markdown inside <details> is not converted by nbconvert (raw HTML), so
    convert it here; the block stays collapsible and its math is typeset with the page."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "<details>" in cell.source:
            cell.source = ANSWER_BLOCK.sub(
                lambda m: f'{m.group(1)}<details class="cnn-answer"><summary>Answer</summary>'
                f'<div class="cnn-answer-body">{answer_html(m.group(2))}</div></details>',
                cell.source,
            )


def spec_json(spec):
    """A spec as JSON that is safe inside <script type="application/json"> (no '<' at all)."""
    return json.dumps(spec, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def lab_css(exporter):
    """The <style> blocks nbconvert's lab template puts in every page's head (identical for all pages)."""
    body, _ = exporter.from_notebook_node(nbformat.v4.new_notebook(), resources={"metadata": {"name": ""}, "cnn": {}})
    head = body.split("</head>")[0]
    return [m.group(0) for m in HEAD_STYLE.finditer(head)]


def share_css(body, styles):
    """Replace the page head's inlined lab styles by one link to the shared lab.css."""
    head, sep, rest = body.partition("</head>")
    if styles and all(st in head for st in styles):
        head = head.replace(styles[0], f'<link rel="stylesheet" href="{LAB_CSS}">\n', 1)
        for st in styles[1:]:
            head = head.replace(st, "", 1)
    return head + sep + rest


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


class Sections(HTMLParser):
    """A page's text by section (a heading with an id up to the next), for the search index: markdown
    and code, not outputs, scripts, styles or navigation."""

    SKIP_CLASSES = ("jp-Cell-outputWrapper", "cnn-nav", "cnn-run")

    def __init__(self, page, title):
        super().__init__(convert_charrefs=True)
        self.page, self.title = page, title
        self.sections = [{"anchor": "", "section": title, "text": []}]
        self.skip = None  # (tag, depth) while inside a skipped element
        self.heading = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.skip:
            if tag == self.skip[0]:
                self.skip[1] += 1
            return
        cls = a.get("class") or ""
        if tag in ("script", "style", "nav", "form") or any(c in cls.split() for c in self.SKIP_CLASSES):
            self.skip = [tag, 1]
        elif tag == "a" and "anchor-link" in cls:
            self.skip = [tag, 1]
        elif re.fullmatch(r"h[1-4]", tag) and a.get("id"):
            self.heading = {"anchor": a["id"], "section": [], "text": []}

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[0]:
                self.skip[1] -= 1
                if self.skip[1] == 0:
                    self.skip = None
            return
        if self.heading and re.fullmatch(r"h[1-4]", tag):
            self.heading["section"] = re.sub(r"\s+", " ", "".join(self.heading["section"])).strip()
            self.sections.append(self.heading)
            self.heading = None

    def handle_data(self, data):
        if self.skip:
            return
        (self.heading["section"] if self.heading else self.sections[-1]["text"]).append(data)

    def documents(self):
        docs = []
        for sec in self.sections:
            text = re.sub(r"\s+", " ", " ".join(sec["text"])).strip()
            if not text and not sec["anchor"]:
                continue
            snippet = text if len(text) <= 160 else text[:160].rsplit(" ", 1)[0] + " \u2026"
            docs.append({"id": f"{self.page}#{sec['anchor']}", "page": self.page, "anchor": sec["anchor"],
                         "title": self.title, "section": sec["section"], "text": text, "snippet": snippet})
        return docs


def page_sections(page, title, body):
    parser = Sections(page, title)
    parser.feed(body.split("<body", 1)[-1])
    parser.close()
    return parser.documents()


def build_search(out, docs):
    """search-index.js (MiniSearch, built by kernel/guide/build-search.js) and minisearch.min.js."""
    path = os.path.join(out, ".search-sections.json")
    with open(path, "w") as f:
        json.dump(docs, f, ensure_ascii=False)
    r = subprocess.run(["node", os.path.join(GUIDE_DIR, "build-search.js"), path, os.path.join(out, "search-index.js")])
    os.remove(path)
    if r.returncode != 0:
        raise SystemExit("render_guide: building the search index failed")
    lib = os.path.join(out, "minisearch.min.js")
    if not (os.path.exists(lib) and os.path.getmtime(lib) >= os.path.getmtime(MINISEARCH_SRC)):
        minify(MINISEARCH_SRC, lib)


def inline_html(markdown):
    """Markdown of one paragraph as inline HTML (no <p>), math left for MathJax."""
    return re.sub(r"^<p>|</p>$", "", one_line_html(markdown2html_mistune(markdown)))


def page_head(title, extra=""):
    """The head of the guide's own pages (index, drill, cheat sheet): styles, MathJax, search."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="guide.css">
<script type="text/x-mathjax-config">
MathJax.Hub.Config({{ tex2jax: {{ inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], processEscapes: true }} }});
</script>
<script src="{MATHJAX_URL}"></script>
<script src="search.js" defer></script>{extra}</head>
"""


def own_nav(here):
    links = [("index.html", "All questions"), ("drill.html", "Drill"), ("cheatsheet.html", "Cheat sheet")]
    items = "".join(f'<a href="{h}">{t}</a>' if h != here else f"<span>{t}</span>" for h, t in links)
    return f'<nav class="cnn-nav cnn-nav-top">{items}{SEARCH_FORM}</nav>'


def render_drill(out, entries):
    """drill.html: the questions one at a time, the short answer behind a reveal (drill.js); without
    scripts every question and answer is shown."""
    cards = []
    for k, e in enumerate(entries):
        answer = one_line_html(markdown2html_mistune(e["short"])) if e["short"] else "<p>(no short answer)</p>"
        cards.append(
            f'<section class="cnn-card" id="card-{k + 1}"><p class="cnn-card-n">Question {k + 1} of {len(entries)}</p>'
            f'<h2>{html.escape(e["title"])}</h2><div class="cnn-card-answer">{answer}'
            f'<p class="cnn-card-more"><a href="{html.escape(e["name"])}.html">The whole answer, with its cells and figures</a></p>'
            "</div></section>"
        )
    page = page_head("Drill: CNN interview questions", '\n<script src="drill.js" defer></script>') + f"""<body class="cnn-index-page cnn-drill-page">
{own_nav("drill.html")}
<h1>Drill</h1>
<p>One question at a time: answer it aloud or on paper, then reveal the short answer. Keys: <kbd>&larr;</kbd>
<kbd>&rarr;</kbd> move, <kbd>space</kbd> reveals.</p>
<div class="cnn-drill">
<div class="cnn-drill-controls"><button type="button" class="cnn-drill-prev">&larr; Previous</button>
<button type="button" class="cnn-drill-reveal">Show the answer</button>
<button type="button" class="cnn-drill-next">Next &rarr;</button></div>
{"".join(cards)}
</div>
</body></html>
"""
    with open(os.path.join(out, "drill.html"), "w") as f:
        f.write(page)


PRINTED_FORMULAS = 2


def render_cheatsheet(out, entries):
    """cheatsheet.html: per question the opening of its short answer and the formulas of its math section."""
    items = []
    for e in entries:
        # Printed, the sheet keeps each question's first PRINTED_FORMULAS formulas, so that it fits one page.
        formulas = "".join(
            f'<div class="cnn-formula{" cnn-formula-extra" if i >= PRINTED_FORMULAS else ""}">$${html.escape(f)}$$</div>'
            for i, f in enumerate(e["formulas"])
        )
        lead = one_line_html(markdown2html_mistune(first_sentences(e["short"]))) if e["short"] else ""
        items.append(
            f'<section class="cnn-cheat-item"><h2><a href="{html.escape(e["name"])}.html">{html.escape(e["title"])}</a></h2>'
            f"{lead}{formulas}</section>"
        )
    page = page_head("Cheat sheet: CNN interview questions") + f"""<body class="cnn-index-page cnn-cheat-page">
{own_nav("cheatsheet.html")}
<h1>Cheat sheet</h1>
<p class="cnn-cheat-intro">The opening of each short answer and the formulas of its notebook. It prints on one
landscape page, with the first two formulas of each question.</p>
<div class="cnn-cheat">{"".join(items)}</div>
<script>
// Printed, a formula wider than its column is scaled down to fit it (not clipped).
function cnnFitFormulas() {{
  document.querySelectorAll('.cnn-formula').forEach(function (f) {{
    var math = f.querySelector('.MathJax_Display, .MathJax_CHTML');
    if (!math) return;
    math.style.zoom = '';
    if (f.scrollWidth > f.clientWidth + 1) math.style.zoom = (0.98 * f.clientWidth / f.scrollWidth).toFixed(3);
  }});
}}
window.addEventListener('beforeprint', cnnFitFormulas);
window.addEventListener('afterprint', function () {{
  document.querySelectorAll('.cnn-formula .MathJax_Display, .cnn-formula .MathJax_CHTML').forEach(function (m) {{ m.style.zoom = ''; }});
}});
</script>
</body></html>
"""
    with open(os.path.join(out, "cheatsheet.html"), "w") as f:
        f.write(page)


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
                f'<span class="answer">{e["answer_html"]}</span>'
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
<script src="{MATHJAX_URL}"></script>
<script src="search.js" defer></script></head>
<body class="cnn-index-page">
{own_nav("index.html")}
<h1>CNN interview questions</h1>
<p>{len(entries)} classic questions about convolutional neural networks, each answered by a TypeScript notebook
that was executed to make this page: every number and figure below was computed, on TensorFlow.js, when the guide
was built. {ok} of {len(entries)} notebooks ran clean, in {total:.0f} s of notebook time.</p>
<p>Each notebook starts from <em>the reference answer</em>: a widely circulated set of Python/Keras answers to these
questions. Its code is ported and run, its printed outputs are reproduced, and its claims are checked against
what the cells compute; where they differ, an <strong>Errata</strong> note says what it claimed and why the
computed value is right.</p>
{''.join(groups)}
<section><h2>Test yourself</h2>
<p>The <a href="drill.html">drill</a> asks the questions one at a time and reveals each short answer when you
are ready; the <a href="cheatsheet.html">cheat sheet</a> puts the opening of every answer and the formulas on
one printable page; every page ends with recall questions whose answers open in place.</p>
</section>
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
    exporter.register_filter("spec_json", spec_json)
    styles = lab_css(exporter)
    css = "\n".join(re.sub(r'^<style type="text/css">|</style>\s*$', "", st) for st in styles)
    css_path = os.path.join(args.out, LAB_CSS)
    if not os.path.exists(css_path) or open(css_path).read() != css:
        with open(css_path, "w") as f:
            f.write(css)

    notebooks = {}
    for n in names:
        path = os.path.join(args.executed, f"{n}.ipynb")
        with open(path, "rb") as f:
            raw = f.read()
        notebooks[n] = (nbformat.reads(raw.decode("utf-8"), as_version=4), hashlib.sha256(raw).hexdigest())

    entries, need_plotly, need_vega, rendered = [], False, False, 0
    docs = []
    for i, n in enumerate(names):
        nb, digest = notebooks[n]
        title, answer = title_and_answer(nb, n)
        short, formulas = study_parts(nb)
        meta = nb.metadata.get("cnn_notebooks", {})
        entries.append(
            {"name": n, "number": question_number(n), "title": title, "answer": answer, "short": short, "formulas": formulas,
             "answer_html": inline_html(first_sentences(short)) if short else html.escape(answer),
             "status": meta.get("status", "unknown"), "seconds": float(meta.get("seconds", 0))}
        )
        has_plotly = uses_plotly(nb)
        has_vega = slim_figures(nb)
        render_answers(nb)
        need_vega |= has_vega
        need_plotly |= has_plotly
        label = lambda k: f"Q{question_number(names[k])}" if question_number(names[k]) else names[k]
        key = hashlib.sha256(
            (digest + renderer_key + json.dumps([names[i - 1] if i else None, names[i + 1] if i + 1 < len(names) else None])).encode()
        ).hexdigest()
        page = os.path.join(args.out, f"{n}.html")
        if state.get(n) == key and os.path.exists(page):
            with open(page) as f:
                docs.extend(page_sections(n, title, f.read()))
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
                "vega": has_vega,
            },
        }
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        body = share_css(body, styles)
        # A link to another notebook (right in JupyterLab) points at its page in the guide.
        body = NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
        with open(page, "w") as f:
            f.write(body)
        docs.extend(page_sections(n, title, body))
        state[n] = key
        rendered += 1

    copy_assets(args.out, need_plotly, need_vega)
    render_index(args.out, entries)
    render_drill(args.out, entries)
    render_cheatsheet(args.out, entries)
    build_search(args.out, docs)
    stale = os.path.join(args.out, ".sections.json")
    if os.path.exists(stale):
        os.remove(stale)
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
