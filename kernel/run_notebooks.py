#!/usr/bin/python3
"""Execute notebooks with the cnn-notebooks kernel and report failures precisely.

    /usr/bin/python3 kernel/run_notebooks.py [-j JOBS] [--out DIR] [--deps PATH ...] [--force] NOTEBOOK ...

Each notebook runs in its own kernel (JOBS at once, default: the number of cores), cell by cell,
from the notebook's own folder; each kernel's wasm backend gets cores / JOBS threads
(CNN_WASM_THREADS, when not set already). The executed copy goes to DIR/NAME.ipynb (default build/notebooks);
the source notebook is never written. A cell fails when its reply is 'error' or 'abort', or when it
writes to stderr (tag a cell `allow-stderr` or `raises-exception` where that is the lesson). A
failure is reported with the notebook, the cell number (1-based, counting every cell as Jupyter's
UI shows them), the cell's source and the error text, and the run exits 1.

A notebook whose executed copy was made from the same source and the same --deps (files or
folders, hashed) and passed is skipped, so running twice does no work twice. Times of each
notebook and each cell go into the executed copy's metadata (`cnn_notebooks`) and DIR/report.json.

Uses Debian's nbclient (python3-nbclient); the kernelspec comes from JUPYTER_PATH (see Makefile).
"""
import argparse
import hashlib
import json
import multiprocessing
import os
import sys
import time
import traceback

import nbformat
from nbclient import NotebookClient

KERNEL_NAME = "cnn-notebooks"
ALLOW_STDERR_TAGS = {"allow-stderr", "raises-exception"}


class CellFailure(Exception):
    """A cell that failed, with everything needed to report it."""

    def __init__(self, cell_number, source, kind, text):
        super().__init__(f"cell {cell_number} {kind}")
        self.cell_number = cell_number
        self.source = source
        self.kind = kind
        self.text = text


def cell_text(cell, streams=("stderr",)):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") in streams:
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append(f"{out.get('ename', '')}: {out.get('evalue', '')}")
            parts.extend(out.get("traceback", []))
    return "".join(p if p.endswith("\n") else p + "\n" for p in parts).strip()


class StrictClient(NotebookClient):
    """nbclient treats only 'error' as failure; tslab answers 'abort' for cells queued behind a
    failed one and sends no error message, so the reply status is checked here."""

    async def _check_raise_for_error(self, cell, cell_index, exec_reply):
        if exec_reply is None:
            return
        content = exec_reply["content"]
        status = content.get("status")
        tags = set(cell.metadata.get("tags", []))
        if status in ("error", "abort") and "raises-exception" not in tags:
            detail = cell_text(cell) or f"{content.get('ename', '')}: {content.get('evalue', '')}".strip(": ")
            raise CellFailure(cell_index + 1, cell.source, f"replied '{status}'", detail or "(the kernel sent no message)")


def fingerprint(nb_path, deps):
    h = hashlib.sha256()
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        h.update(cell.cell_type.encode() + b"\0" + cell.source.encode() + b"\0")
    for dep in sorted(deps):
        paths = [dep]
        if os.path.isdir(dep):
            paths = sorted(
                os.path.join(d, f) for d, _, fs in os.walk(dep) for f in fs if not f.endswith(".map")
            )
        for p in paths:
            h.update(p.encode() + b"\0")
            with open(p, "rb") as f:
                h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def start_kernel(client, cwd):
    """Start the kernel, retrying once: kernels started together can race for ports."""
    for attempt in (1, 2):
        try:
            client.km = client.create_kernel_manager()
            client.start_new_kernel(cwd=cwd)
            client.start_new_kernel_client()
            return attempt
        except Exception:
            try:
                if client.km is not None:
                    client._cleanup_kernel()
            except Exception:
                pass
            client.km = None
            client.kc = None
            if attempt == 2:
                raise
            time.sleep(1.0)


def execute(job):
    """Run one notebook; returns its report entry. Runs in a worker process."""
    src, out_dir, key, timeout = job
    name = os.path.splitext(os.path.basename(src))[0]
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = StrictClient(nb, kernel_name=KERNEL_NAME, timeout=timeout, startup_timeout=60, record_timing=True)
    entry = {"notebook": name, "source": src, "key": key, "status": "ok", "cells": []}
    t_start = time.monotonic()
    try:
        t0 = time.monotonic()
        entry["kernel_start_attempts"] = start_kernel(client, os.path.dirname(os.path.abspath(src)))
        entry["kernel_start_seconds"] = round(time.monotonic() - t0, 3)
        try:
            count = 0
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                count += 1
                t0 = time.monotonic()
                client.execute_cell(cell, index, execution_count=count)
                seconds = round(time.monotonic() - t0, 3)
                entry["cells"].append({"cell": index + 1, "seconds": seconds})
                cell.metadata.setdefault("cnn_notebooks", {})["seconds"] = seconds
                tags = set(cell.metadata.get("tags", []))
                err = cell_text(cell)
                if err and not (tags & ALLOW_STDERR_TAGS):
                    raise CellFailure(index + 1, cell.source, "wrote to stderr", err)
        finally:
            client._cleanup_kernel()
    except CellFailure as f:
        entry.update(status="failed", cell=f.cell_number, kind=f.kind, error=f.text, cell_source=f.source)
    except Exception as e:  # kernel died, timeout, kernel would not start
        entry.update(status="failed", kind=type(e).__name__, error=str(e) or traceback.format_exc(limit=3))
    entry["seconds"] = round(time.monotonic() - t_start, 3)
    meta = {k: v for k, v in entry.items() if k != "source"}
    nb.metadata["cnn_notebooks"] = meta
    os.makedirs(out_dir, exist_ok=True)
    tmp = os.path.join(out_dir, f".{name}.ipynb.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, os.path.join(out_dir, f"{name}.ipynb"))
    return entry


def previous_entry(out_path):
    try:
        nb = nbformat.read(out_path, as_version=4)
        return nb.metadata.get("cnn_notebooks")
    except Exception:
        return None


def format_failure(entry):
    lines = [f"FAILED {entry['notebook']}.ipynb"]
    if "cell" in entry:
        lines[0] += f": cell {entry['cell']} {entry['kind']}"
        lines.append("  --- cell source ---")
        lines.extend("  | " + l for l in entry.get("cell_source", "").splitlines())
    else:
        lines[0] += f": {entry['kind']}"
    lines.append("  --- error ---")
    lines.extend("  " + l for l in (entry.get("error") or "").splitlines())
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default="build/notebooks")
    ap.add_argument("--deps", nargs="*", default=[], help="files or folders whose change re-executes every notebook")
    ap.add_argument("--force", action="store_true", help="execute even when up to date")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    args = ap.parse_args(argv)

    missing = [p for p in args.notebooks if not os.path.isfile(p)]
    if missing:
        print(f"run_notebooks: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    report_path = os.path.join(args.out, "report.json")
    try:
        with open(report_path) as f:
            report = {e["notebook"]: e for e in json.load(f)["notebooks"]}
    except Exception:
        report = {}

    jobs, results = [], []
    for src in args.notebooks:
        name = os.path.splitext(os.path.basename(src))[0]
        key = fingerprint(src, args.deps)
        prev = previous_entry(os.path.join(args.out, f"{name}.ipynb"))
        if not args.force and prev and prev.get("key") == key and prev.get("status") == "ok":
            print(f"  up to date  {name}", flush=True)
            results.append(dict(prev, notebook=name, source=src, skipped=True))
            continue
        jobs.append((src, args.out, key, args.timeout))

    t0 = time.monotonic()
    if jobs:
        parallel = max(1, min(args.jobs, len(jobs)))
        # One notebook per core already fills the machine: each kernel's wasm backend gets the cores
        # left per notebook (CNN_WASM_THREADS, read by cnnlib's ready()), unless the caller chose.
        os.environ.setdefault("CNN_WASM_THREADS", str(max(1, min(8, (os.cpu_count() or 1) // parallel))))
        print(f"executing {len(jobs)} notebook(s), {parallel} at a time, "
              f"{os.environ['CNN_WASM_THREADS']} wasm thread(s) each", flush=True)
        # spawn: each worker gets a clean interpreter (zmq contexts do not survive fork well).
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(parallel) as pool:
            for entry in pool.imap_unordered(execute, jobs):
                mark = "ok    " if entry["status"] == "ok" else "FAILED"
                print(f"  {mark}  {entry['notebook']}  {entry['seconds']:.1f} s", flush=True)
                results.append(entry)
    for e in results:
        report[e["notebook"]] = {k: v for k, v in e.items() if k != "skipped"}
    os.makedirs(args.out, exist_ok=True)
    with open(report_path, "w") as f:
        json.dump({"notebooks": [report[k] for k in sorted(report)]}, f, indent=1)

    failed = [e for e in results if e["status"] != "ok"]
    for e in sorted(failed, key=lambda e: e["notebook"]):
        print(format_failure(e), file=sys.stderr)
    ran = [e for e in results if not e.get("skipped")]
    print(
        f"{len(results) - len(failed)} of {len(results)} notebooks ok ({len(ran)} executed, "
        f"{len(results) - len(ran)} up to date) in {time.monotonic() - t0:.1f} s; report: {report_path}",
        flush=True,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
