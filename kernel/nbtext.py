#!/usr/bin/python3
"""Notebook source tool: write notebooks as plain text, and keep sources free of outputs.

    nbtext.py from-text NOTES.txt NOTEBOOK.ipynb   build a notebook from text (see format below)
    nbtext.py to-text NOTEBOOK.ipynb               print a notebook as that text
    nbtext.py strip NOTEBOOK.ipynb ...             remove outputs, counts and run metadata in place

Text format: a line `// %% [markdown]` starts a markdown cell, `// %%` a TypeScript code cell;
`// %% tags=allow-stderr,slow` adds cell tags. Everything up to the next marker is the cell.
Source notebooks carry the cnn-notebooks kernelspec and no outputs (test/notebooks-clean.test.ts).
"""
import re
import sys

import nbformat

MARK = re.compile(r"^// %%(?: \[(markdown)\])?(?: tags=([\w,-]+))?\s*$")
KERNELSPEC = {"name": "cnn-notebooks", "display_name": "TypeScript (cnn-notebooks)", "language": "typescript"}
LANGUAGE_INFO = {
    "name": "typescript",
    "file_extension": ".ts",
    "mimetype": "text/typescript",
    "codemirror_mode": {"name": "javascript", "typescript": True},
    "pygments_lexer": "typescript",
}


def from_text(text):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    kind, tags, lines = None, [], []

    def flush():
        if kind is None:
            return
        src = "\n".join(lines).strip("\n")
        cell = nbformat.v4.new_markdown_cell(src) if kind == "markdown" else nbformat.v4.new_code_cell(src)
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)

    for line in text.splitlines():
        m = MARK.match(line)
        if m:
            flush()
            kind, tags, lines = (m.group(1) or "code"), (m.group(2).split(",") if m.group(2) else []), []
        elif kind is not None:
            lines.append(line)
        elif line.strip():
            raise SystemExit(f"nbtext: text before the first '// %%' marker: {line!r}")
    flush()
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:02d}"
    return nb


def to_text(nb):
    out = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        head = "// %% [markdown]" if cell.cell_type == "markdown" else "// %%"
        if tags:
            head += " tags=" + ",".join(tags)
        out.append(head + "\n" + cell.source + "\n")
    return "\n".join(out)


def strip(nb):
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("cnn_notebooks", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("cnn_notebooks", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    return nb


def main(argv):
    if len(argv) >= 3 and argv[0] == "from-text":
        with open(argv[1]) as f:
            nbformat.write(from_text(f.read()), argv[2])
    elif len(argv) == 2 and argv[0] == "to-text":
        sys.stdout.write(to_text(nbformat.read(argv[1], as_version=4)))
    elif len(argv) >= 2 and argv[0] == "strip":
        for p in argv[1:]:
            nbformat.write(strip(nbformat.read(p, as_version=4)), p)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
