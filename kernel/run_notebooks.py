#!/usr/bin/python3
"""Execute notebooks with the cnn-notebooks kernel and report failures precisely.

    /usr/bin/python3 kernel/run_notebooks.py [-j JOBS] [--out DIR] [--deps PATH ...] [--force]
        [--cell-timeout S] [--late-output S] NOTEBOOK ...

Each notebook runs in its own kernel (JOBS at once, default: the number of cores), cell by cell,
from the notebook's own folder; each kernel's wasm backend gets cores / JOBS threads
(CNN_WASM_THREADS, when not set already). The executed copy goes to DIR/NAME.ipynb (default
build/notebooks), NAME the notebook's file name without .ipynb; when two notebooks of one run share a
file name, or DIR/NAME.ipynb was made from another file, the copy is named after the notebook's path
instead (`sub/dir/x.ipynb` -> DIR/sub__dir__x.ipynb), so no notebook overwrites another's results.
The source notebook is never written.

A cell fails, and the rest of its notebook is not run, when
- its reply is 'error' or 'abort', or it writes to stderr (tag a cell `allow-stderr` or
  `raises-exception` where that is the lesson);
- it runs longer than its timeout: --cell-timeout S (default 300), overridden by the notebook's
  metadata `cnn_notebooks.cell_timeout` and by a cell tag `timeout-S`; its kernel is killed;
- its kernel dies (the exit status or signal is reported, and the kernel's own stderr);
- it throws outside awaited code (a timer) or leaves a promise rejection unhandled: kernel/launch.js
  writes these to stderr marked, and after each cell the runner waits --late-output S (default 0.3)
  for such late output before the next cell starts, so it is reported on the cell that caused it
  (tagged `allow-stderr` or not; only `raises-exception` allows it).
A failure is reported with the notebook, the cell number (1-based, counting every cell as Jupyter's
UI shows them), the cell's source and the error text, and the run exits 1. A file that is not a
notebook (invalid JSON, not nbformat) is one failure naming the file; the other notebooks still run.

SIGINT (Ctrl-C) and SIGTERM end every kernel started (SIGTERM to its process group, SIGKILL after
1.5 s: kernels run in their own session, so a terminal's Ctrl-C does not reach them), write the
report of what ran (the notebooks in progress 'interrupted' at their cell, the rest 'not run') and
end the runner by the same signal (exit status 130 / 143). A kernel whose runner was killed outright
ends on its own (kernel/launch.js watches its parent).

A notebook whose executed copy was made from the same source and the same --deps (files or
folders, hashed) and passed is skipped, so running twice does no work twice. Times of each
notebook and each cell, and the kernel's pid, go into the executed copy's metadata (`cnn_notebooks`)
and DIR/report.json.

Uses Debian's nbclient (python3-nbclient); the kernelspec comes from JUPYTER_PATH (see Makefile).
"""
import argparse
import asyncio
import collections
import functools
import hashlib
import json
import os
import queue
import re
import signal
import sys
import tempfile
import time
import traceback

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellTimeoutError, DeadKernelError

KERNEL_NAME = "cnn-notebooks"
ALLOW_STDERR_TAGS = {"allow-stderr", "raises-exception"}
# kernel/launch.js starts each line about an uncaught exception or unhandled rejection with this.
LATE_MARK = "[cnn-notebooks kernel]"
DEFAULT_CELL_TIMEOUT = 300
DEFAULT_LATE_OUTPUT = 0.3
KILL_GRACE = 1.5  # seconds from SIGTERM to SIGKILL of a kernel's process group
TIMEOUT_TAG = re.compile(r"^timeout-(.*)$")
LOG_TAIL_LINES = 20


class CellFailure(Exception):
    """A cell that failed, with everything needed to report it."""

    def __init__(self, cell_number, source, kind, text):
        super().__init__(f"cell {cell_number} {kind}")
        self.cell_number = cell_number
        self.source = source
        self.kind = kind
        self.text = text


class NotebookFileError(Exception):
    """A file that is not a notebook this runner can execute; the message names the file."""


class Stopped(Exception):
    """The run was stopped by a signal."""


def cell_text(cell, streams=("stderr",), outputs=None):
    parts = []
    for out in cell.get("outputs", []) if outputs is None else outputs:
        if out.get("output_type") == "stream" and out.get("name") in streams:
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append(f"{out.get('ename', '')}: {out.get('evalue', '')}")
            parts.extend(out.get("traceback", []))
    return "".join(p if p.endswith("\n") else p + "\n" for p in parts).strip()


class StrictClient(NotebookClient):
    """nbclient treats only an 'error' reply as failure; the kernel answers 'abort' for a request
    queued behind a failed cell (stop_on_error), which must fail too, so the reply is kept here and
    checked by run_cell. A failed cell's 'error' message (ename, evalue, traceback with the cell's
    line) is one of its outputs, and cell_text puts it in the report."""

    last_reply = None

    async def _check_raise_for_error(self, cell, cell_index, exec_reply):
        self.last_reply = exec_reply


def read_notebook(path):
    """The notebook at `path` as nbformat 4, validated. Raises NotebookFileError naming the file."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise NotebookFileError(f"{path}: cannot be read as UTF-8 text ({e})")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise NotebookFileError(f"{path}: not valid JSON ({e})")
    if not isinstance(raw, dict) or not isinstance(raw.get("nbformat"), int):
        raise NotebookFileError(f"{path}: not a Jupyter notebook (no integer 'nbformat' field at its top level)")
    try:
        nb = nbformat.reads(text, as_version=4, capture_validation_error={})
        nbformat.validate(nb)
    except Exception as e:
        where = "/".join(str(p) for p in getattr(e, "absolute_path", []) or [])
        message = (getattr(e, "message", None) or str(e) or type(e).__name__).splitlines()[0]
        raise NotebookFileError(f"{path}: not a valid nbformat 4 notebook: {message}" + (f" (at {where})" if where else ""))
    timeout = nb.metadata.get("cnn_notebooks", {}).get("cell_timeout")
    if timeout is not None and not (isinstance(timeout, int) and not isinstance(timeout, bool) and timeout > 0):
        raise NotebookFileError(f"{path}: metadata cnn_notebooks.cell_timeout must be a positive whole number of seconds, got {timeout!r}")
    return nb


def deps_digest(deps):
    """(path, sha256) of every file of --deps, in the order fingerprint hashes them."""
    out = []
    for dep in sorted(deps):
        paths = [dep]
        if os.path.isdir(dep):
            paths = sorted(
                os.path.join(d, f) for d, _, fs in os.walk(dep) for f in fs if not f.endswith(".map")
            )
        for p in paths:
            with open(p, "rb") as f:
                out.append((p, hashlib.sha256(f.read()).digest()))
    return out


def fingerprint(nb, deps):
    h = hashlib.sha256()
    for cell in nb.cells:
        h.update(cell.cell_type.encode() + b"\0" + cell.source.encode() + b"\0")
    for p, digest in deps:
        h.update(p.encode() + b"\0")
        h.update(digest)
    return h.hexdigest()


@functools.lru_cache(maxsize=None)  # read before any copy is written, by assign_names and the up-to-date check
def executed_meta(out_dir, name):
    """The runner's metadata of the executed copy DIR/name.ipynb, or None."""
    try:
        with open(os.path.join(out_dir, f"{name}.ipynb"), encoding="utf-8") as f:
            meta = json.load(f)["metadata"].get("cnn_notebooks")
        return meta if isinstance(meta, dict) else None
    except Exception:
        return None


def path_name(src):
    """A copy name from the notebook's path: relative to the working folder when inside it."""
    real = os.path.realpath(src)
    rel = os.path.relpath(real, os.path.realpath(os.getcwd()))
    if rel.startswith(".."):
        rel = real.lstrip(os.sep)
    return os.path.splitext(rel)[0].replace(os.sep, "__")


def assign_names(sources, out_dir):
    """The executed copy's name of each notebook: its file name, unless another notebook of this run
    has the same one (then the one the existing copy was made from keeps it) or the existing copy
    was made from another file; the others are named after their path."""
    stem = lambda s: os.path.splitext(os.path.basename(s))[0]
    groups = collections.defaultdict(list)
    for i, src in enumerate(sources):
        groups[stem(src)].append(i)
    names = [None] * len(sources)
    for name, members in groups.items():
        owner = (executed_meta(out_dir, name) or {}).get("source_file")  # absent in copies before it was recorded
        if owner is None and len(members) == 1:
            keeper = members[0]
        else:
            keeper = next((i for i in members if os.path.realpath(sources[i]) == owner), None)
        for i in members:
            names[i] = name if i == keeper else path_name(sources[i])
    seen = collections.Counter(names)
    for i, n in enumerate(names):
        if seen[n] > 1:  # path names that still collide (a__b/c vs a/b__c): add the path's hash
            names[i] = f"{n}-{hashlib.sha256(os.path.realpath(sources[i]).encode()).hexdigest()[:8]}"
    return names


def exit_status(proc):
    code = proc.poll() if proc is not None else None
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def group_members(pgid):
    """Pids of the live (not zombie) processes of process group `pgid`."""
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:  # no /proc: ask the kernel whether the group exists
        try:
            os.killpg(pgid, 0)
            return [pgid]
        except OSError:
            return []
    members = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(pid)
    return members


async def end_process_group(proc, pgid, grace=KILL_GRACE):
    """SIGTERM to the kernel's process group, SIGKILL to what is left of it after `grace` seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        proc.poll()  # reap the kernel if it has ended, so it does not count as a member
        if not group_members(pgid):
            return
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            proc.poll()
            if not group_members(pgid):
                return


class Run:
    """What the signal handler needs: whether the run is stopping, and every kernel started."""

    def __init__(self):
        self.stopping = None  # the signal number once SIGINT or SIGTERM arrived
        self.kernels = {}  # notebook name -> (Popen, pgid)

    def check(self):
        if self.stopping is not None:
            raise Stopped()

    def stop(self, signum):
        first = self.stopping is None
        self.stopping = signum
        name = signal.Signals(signum).name
        if first:
            print(f"run_notebooks: {name}: ending {len(self.kernels)} kernel(s) and writing the report", file=sys.stderr, flush=True)
            for proc, pgid in list(self.kernels.values()):
                asyncio.ensure_future(end_process_group(proc, pgid))
        else:  # a second signal: no grace
            for proc, pgid in list(self.kernels.values()):
                try:
                    os.killpg(pgid, signal.SIGKILL)
                except OSError:
                    pass


async def start_kernel(client, cwd, log, run, name):
    """Start the kernel, retrying once: kernels started together can race for ports.
    Returns (attempts, Popen, pgid); the kernel is registered with `run` as soon as it exists."""
    for attempt in (1, 2):
        proc = pgid = None
        try:
            client.km = client.create_kernel_manager()
            await client.async_start_new_kernel(cwd=cwd, stdout=log, stderr=log)
            proc = client.km.provisioner.process
            pgid = client.km.provisioner.pgid or proc.pid  # its own session: the group is the kernel's pid
            run.kernels[name] = (proc, pgid)
            run.check()
            await client.async_start_new_kernel_client()
            return attempt, proc, pgid
        except Exception:
            if proc is not None:
                await end_process_group(proc, pgid)
            try:
                if client.km is not None:
                    await client._async_cleanup_kernel()
            except Exception:
                pass
            client.km = None
            client.kc = None
            run.check()
            if attempt == 2:
                raise
            await asyncio.sleep(1.0)


def log_tail(log):
    log.flush()
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    lines = text.strip().splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])


async def drain(client, cell, index, msg_id, seconds):
    """Collect the cell's output that arrives within `seconds` after its reply (late stderr)."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            msg = await client.kc.iopub_channel.get_msg(timeout=left)
        except queue.Empty:
            return
        if msg["parent_header"].get("msg_id") == msg_id:
            try:
                client.process_message(msg, cell, index)
            except CellExecutionComplete:
                pass


def cell_timeout(cell, default):
    for tag in cell.metadata.get("tags", []):
        m = TIMEOUT_TAG.match(tag)
        if m:
            if not m.group(1).isdigit() or int(m.group(1)) == 0:
                raise CellFailure(None, cell.source, "has a bad timeout tag",
                                  f"tag {tag!r}: expected timeout-S, S a positive whole number of seconds")
            return int(m.group(1))
    return default


async def run_cell(client, cell, index, count, job, kernel, log, run):
    """Execute one cell; raise CellFailure (or Stopped) unless it ran clean. Returns its seconds."""
    number = index + 1
    try:
        timeout = cell_timeout(cell, job["cell_timeout"])
    except CellFailure as f:
        f.cell_number = number
        raise
    client.timeout = timeout
    client.last_reply = None
    t0 = time.monotonic()
    proc, pgid = kernel
    try:
        await client.async_execute_cell(cell, index, execution_count=count)
    except CellTimeoutError:
        run.check()
        await end_process_group(proc, pgid)
        raise CellFailure(number, cell.source, f"timed out after {timeout} s (its kernel was killed)",
                          cell_text(cell, ("stdout", "stderr")) or "(the cell printed nothing)")
    except DeadKernelError:
        run.check()
        raise CellFailure(number, cell.source, f"kernel died ({exit_status(proc)})", died_text(cell, log))
    seconds = round(time.monotonic() - t0, 3)
    run.check()
    reply = client.last_reply
    content = (reply or {}).get("content", {})
    status = content.get("status")
    tags = set(cell.metadata.get("tags", []))
    if status in ("error", "abort") and "raises-exception" not in tags:
        detail = cell_text(cell) or f"{content.get('ename', '')}: {content.get('evalue', '')}".strip(": ")
        raise CellFailure(number, cell.source, f"replied '{status}'", detail or "(the kernel sent no message)")
    before = len(cell.outputs)
    if reply is not None and job["late_output"] > 0:
        await drain(client, cell, index, reply["parent_header"].get("msg_id"), job["late_output"])
    run.check()
    if proc.poll() is not None:
        raise CellFailure(number, cell.source, f"kernel died after the cell's reply ({exit_status(proc)})", died_text(cell, log))
    err = cell_text(cell)
    marked = [l for l in err.splitlines() if l.startswith(LATE_MARK)]
    if marked and "raises-exception" not in tags:
        what = "unhandled promise rejection" if "unhandled promise rejection" in marked[0] else "uncaught exception"
        late = any(LATE_MARK in cell_text(cell, outputs=[o]) for o in cell.outputs[before:])
        raise CellFailure(number, cell.source, what + (" after the cell's reply" if late else ""), err)
    if err and not (tags & ALLOW_STDERR_TAGS):
        raise CellFailure(number, cell.source, "wrote to stderr", err)
    return seconds


def died_text(cell, log):
    text = cell_text(cell) or "(the cell wrote nothing to stderr)"
    tail = log_tail(log)
    return text + (f"\n--- the kernel's own output (last lines) ---\n{tail}" if tail else "")


async def execute(job, run, sem):
    """Run one notebook; returns its report entry (status ok, failed, interrupted or 'not run')."""
    src, name, nb, out_dir = job["source"], job["name"], job["nb"], job["out"]
    entry = {"notebook": name, "source": src, "source_file": os.path.realpath(src), "key": job["key"],
             "status": "not run", "cells": []}
    async with sem:
        if run.stopping is not None:
            entry["kind"] = f"stopped by {signal.Signals(run.stopping).name} before it started"
            return entry
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        client = StrictClient(nb, kernel_name=KERNEL_NAME, timeout=job["cell_timeout"], startup_timeout=60, record_timing=True)
        log = tempfile.TemporaryFile()
        kernel = None
        running = None
        t_start = time.monotonic()
        try:
            t0 = time.monotonic()
            attempts, proc, pgid = await start_kernel(client, os.path.dirname(os.path.abspath(src)), log, run, name)
            kernel = (proc, pgid)
            entry.update(kernel_pid=proc.pid, kernel_start_attempts=attempts, kernel_start_seconds=round(time.monotonic() - t0, 3))
            count = 0
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                count += 1
                running = (index + 1, cell.source)
                seconds = await run_cell(client, cell, index, count, job, kernel, log, run)
                entry["cells"].append({"cell": index + 1, "seconds": seconds})
                cell.metadata.setdefault("cnn_notebooks", {})["seconds"] = seconds
            running = None
            entry["status"] = "ok"
            await client._async_cleanup_kernel()  # shutdown_request, then SIGKILL if it does not end
        except CellFailure as f:
            entry.update(status="failed", cell=f.cell_number, kind=f.kind, error=f.text, cell_source=f.source)
        except Exception as e:
            if run.stopping is not None:
                entry.update(status="interrupted", kind=f"stopped by {signal.Signals(run.stopping).name}")
                if running:
                    entry.update(cell=running[0], cell_source=running[1], error=cell_text(nb.cells[running[0] - 1], ("stdout", "stderr")))
            else:  # kernel would not start, or a fault of the runner itself
                entry.update(status="failed", kind=type(e).__name__, error=str(e) or traceback.format_exc(limit=3))
                if kernel is None and log.tell():
                    entry["error"] += f"\n--- the kernel's own output (last lines) ---\n{log_tail(log)}"
        finally:
            if name in run.kernels:
                await end_process_group(*run.kernels.pop(name))
            try:
                if client.km is not None:
                    await client._async_cleanup_kernel()
            except Exception:
                pass
            if entry["status"] == "ok" and log.tell():
                print(f"  kernel output of {name} outside its cells:\n" + "\n".join("    " + l for l in log_tail(log).splitlines()),
                      file=sys.stderr, flush=True)
            log.close()
        entry["seconds"] = round(time.monotonic() - t_start, 3)
        nb.metadata["cnn_notebooks"] = {k: v for k, v in entry.items() if k != "source"}
        os.makedirs(out_dir, exist_ok=True)
        tmp = os.path.join(out_dir, f".{name}.ipynb.tmp")
        nbformat.write(nb, tmp)
        os.replace(tmp, os.path.join(out_dir, f"{name}.ipynb"))
        mark = {"ok": "ok    ", "interrupted": "STOPPED"}.get(entry["status"], "FAILED")
        print(f"  {mark}  {name}  {entry['seconds']:.1f} s", flush=True)
        return entry


async def execute_all(jobs, parallel, run):
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, run.stop, signum)
    sem = asyncio.Semaphore(parallel)
    results = await asyncio.gather(*(execute(job, run, sem) for job in jobs), return_exceptions=True)
    entries = []
    for job, r in zip(jobs, results):
        if isinstance(r, BaseException):  # a fault of the runner itself: still one notebook's failure
            r = {"notebook": job["name"], "source": job["source"], "key": job["key"], "status": "failed",
                 "kind": type(r).__name__, "error": "".join(traceback.format_exception(r)).strip(), "cells": []}
        entries.append(r)
    return entries


def format_failure(entry):
    word = {"failed": "FAILED", "interrupted": "STOPPED", "not run": "NOT RUN"}[entry["status"]]
    lines = [f"{word} {entry['notebook']}.ipynb"]
    if entry.get("cell"):
        lines[0] += f": cell {entry['cell']} {entry['kind']}"
        lines.append("  --- cell source ---")
        lines.extend("  | " + l for l in entry.get("cell_source", "").splitlines())
    else:
        lines[0] += f": {entry['kind']}"
    if entry.get("error"):
        lines.append("  --- error ---")
        lines.extend("  " + l for l in entry["error"].splitlines())
    return "\n".join(lines)


STOPPED_BY = None  # the signal that stopped main(); the script ends itself with it


def main(argv=None):
    global STOPPED_BY
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default="build/notebooks")
    ap.add_argument("--deps", nargs="*", default=[], help="files or folders whose change re-executes every notebook")
    ap.add_argument("--force", action="store_true", help="execute even when up to date")
    ap.add_argument("--cell-timeout", "--timeout", dest="cell_timeout", type=int, default=DEFAULT_CELL_TIMEOUT,
                    help=f"seconds a cell may run before its kernel is killed (default {DEFAULT_CELL_TIMEOUT}); "
                         "notebook metadata cnn_notebooks.cell_timeout and a cell tag timeout-S override it")
    ap.add_argument("--late-output", type=float, default=DEFAULT_LATE_OUTPUT,
                    help=f"seconds to wait after each cell for late errors (default {DEFAULT_LATE_OUTPUT})")
    args = ap.parse_args(argv)
    if args.cell_timeout <= 0 or args.late_output < 0 or args.jobs < 1:
        ap.error("--cell-timeout and -j must be positive, --late-output not negative")

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

    deps = deps_digest(args.deps)
    jobs, results = [], []
    for src, name in zip(args.notebooks, assign_names(args.notebooks, args.out)):
        try:
            nb = read_notebook(src)
        except NotebookFileError as e:
            print(f"  FAILED  {name}  (not a notebook)", flush=True)
            results.append({"notebook": name, "source": src, "status": "failed", "kind": "not a notebook", "error": str(e), "cells": []})
            # A copy from an earlier, readable version must not pass for this file's result.
            stale = os.path.join(args.out, f"{name}.ipynb")
            if os.path.exists(stale):
                os.remove(stale)
            continue
        key = fingerprint(nb, deps)
        prev = executed_meta(args.out, name)
        if not args.force and prev and prev.get("key") == key and prev.get("status") == "ok":
            print(f"  up to date  {name}", flush=True)
            results.append(dict(prev, notebook=name, source=src, skipped=True))
            continue
        cell_timeout = nb.metadata.get("cnn_notebooks", {}).get("cell_timeout", args.cell_timeout)
        jobs.append({"source": src, "name": name, "nb": nb, "key": key, "out": args.out,
                     "cell_timeout": cell_timeout, "late_output": args.late_output})

    t0 = time.monotonic()
    run = Run()
    if jobs:
        parallel = max(1, min(args.jobs, len(jobs)))
        # One notebook per core already fills the machine: each kernel's wasm backend gets the cores
        # left per notebook (CNN_WASM_THREADS, read by cnnlib's ready()), unless the caller chose.
        os.environ.setdefault("CNN_WASM_THREADS", str(max(1, min(8, (os.cpu_count() or 1) // parallel))))
        print(f"executing {len(jobs)} notebook(s), {parallel} at a time, "
              f"{os.environ['CNN_WASM_THREADS']} wasm thread(s) each", flush=True)
        # One process drives every kernel (asyncio): no worker process to orphan, and one place
        # that knows every kernel when a signal arrives.
        results.extend(asyncio.run(execute_all(jobs, parallel, run)))
        if run.stopping is not None:  # a second Ctrl-C must not cut the report short
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, signal.SIG_IGN)
    for e in results:
        report[e["notebook"]] = {k: v for k, v in e.items() if k != "skipped"}
    os.makedirs(args.out, exist_ok=True)
    with open(report_path + ".tmp", "w") as f:
        json.dump({"notebooks": [report[k] for k in sorted(report)]}, f, indent=1)
    os.replace(report_path + ".tmp", report_path)

    failed = [e for e in results if e["status"] in ("failed", "interrupted")]
    for e in sorted((e for e in results if e["status"] != "ok"), key=lambda e: e["notebook"]):
        print(format_failure(e), file=sys.stderr)
    ok = sum(e["status"] == "ok" for e in results)
    ran = [e for e in results if not e.get("skipped") and "seconds" in e]
    not_run = len(results) - ok - len(failed)
    summary = (f"{ok} of {len(results)} notebooks ok ({len(ran)} executed, {sum(bool(e.get('skipped')) for e in results)} up to date"
               + (f", {not_run} not run" if not_run else "") + f") in {time.monotonic() - t0:.1f} s; report: {report_path}")
    if run.stopping is not None:
        STOPPED_BY = run.stopping
        summary = f"stopped by {signal.Signals(run.stopping).name}: " + summary
    print(summary, flush=True)
    if STOPPED_BY is not None:
        return 128 + STOPPED_BY
    return 1 if failed else 0


if __name__ == "__main__":
    code = main()
    if STOPPED_BY is not None:
        # End by the signal itself, so a calling shell or make stops too (exit status 128 + signal).
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(STOPPED_BY, signal.SIG_DFL)
        os.kill(os.getpid(), STOPPED_BY)
    sys.exit(code)
