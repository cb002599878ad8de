#!/usr/bin/python3
"""Checks of the project's kernel through jupyter_client, for test/kernel/protocol.test.ts and
`make stress-kernel`. Each prints one JSON object (the measurements) on its last line of stdout;
the test asserts on it.

    JUPYTER_PATH=build/jupyter /usr/bin/python3 test/kernel/protocol_checks.py CHECK [ARGS]

CHECK is one of
  output      100,000 console.log lines of one cell, one 5 MB process.stdout.write, a runtime error's
              traceback, stop_on_error true and false, SIGINT stopping a busy loop (one kernel)
  training    SIGINT during model.fit stops it at the next batch and the kernel takes the next cell;
              shutdown_request during a training ends the process by itself (one kernel)
  restart     restart_kernel: the old process ends, the new one runs a cell
  starts N J  N kernel starts, J at a time, each running a cell (`make stress-kernel`: 200)
  startup N   N kernel starts one after another, each phase timed: process start to kernel_info reply,
              a first trivial cell (tslab's first TypeScript compile), `import cnnlib; await ready()`,
              and a second trivial cell (`make bench-startup`)
"""
import json
import os
import queue
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from jupyter_client.manager import start_new_kernel

KERNEL = "cnn-notebooks"


def start(cwd=None):
    return start_new_kernel(kernel_name=KERNEL, cwd=cwd or os.getcwd(), startup_timeout=60)


def run(kc, code, timeout=60, stop_on_error=True, wait=True):
    """Execute `code`; returns (reply content, [(msg_type, content)] of its iopub messages)."""
    msg_id = kc.execute(code, stop_on_error=stop_on_error)
    if not wait:
        return msg_id
    return collect(kc, msg_id, timeout)


def collect(kc, msg_id, timeout=60):
    reply = None
    while reply is None:
        m = kc.get_shell_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id:
            reply = m["content"]
    outs = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status":
            if m["content"]["execution_state"] == "idle":
                break
            continue
        outs.append((m["msg_type"], m["content"]))
    return reply, outs


def stdout_of(outs):
    return "".join(c["text"] for t, c in outs if t == "stream" and c["name"] == "stdout")


def wait_for_stdout(kc, text, timeout=30):
    """Reads iopub until a stream containing `text` arrives (output of a cell still running)."""
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if m["msg_type"] == "stream":
            seen += m["content"]["text"]
            if text in seen:
                return True
    return False


def check_output():
    km, kc = start()
    res = {}
    try:
        t0 = time.monotonic()
        n = 100_000
        reply, outs = run(kc, f"for (let i = 0; i < {n}; i++) console.log(`line ${{i}}`);", timeout=120)
        text = stdout_of(outs)
        lines = text.split("\n")[:-1]
        res["lines"] = {"status": reply["status"], "received": len(lines), "in_order": lines == [f"line {i}" for i in range(n)],
                        "messages": sum(t == "stream" for t, _ in outs), "seconds": round(time.monotonic() - t0, 2)}
        t0 = time.monotonic()
        reply, outs = run(kc, "const big = Array.from({ length: 400_000 }, (_, i) => String(i).padStart(12, '0')).join('\\n');\n"
                              "process.stdout.write(big);\nbig.length", timeout=120)
        text = stdout_of(outs)
        expected = "\n".join(str(i).zfill(12) for i in range(400_000))
        res["big_write"] = {"status": reply["status"], "bytes": len(text), "whole": text == expected,
                            "result": [c["data"]["text/plain"] for t, c in outs if t == "execute_result"],
                            "seconds": round(time.monotonic() - t0, 2)}
        reply, outs = run(kc, "const one = 1;\nfunction inner(x: number): number {\n  if (x > 0) throw new TypeError(`bad x: ${x}`);\n"
                              "  return x;\n}\ninner(one);")
        res["runtime_error"] = {"reply": {k: reply.get(k) for k in ("status", "ename", "evalue", "traceback", "execution_count")},
                                "messages": [t for t, _ in outs]}
        # stop_on_error: the request queued behind a failed one is aborted, unless stop_on_error is false
        for flag in (True, False):
            first = run(kc, "throw new Error('first fails');", stop_on_error=flag, wait=False)
            second = run(kc, "console.log('second runs');", wait=False)
            r1, _ = collect(kc, first)
            r2, o2 = collect(kc, second)
            res[f"stop_on_error_{str(flag).lower()}"] = {"first": r1["status"], "second": r2["status"], "second_stdout": stdout_of(o2)}
        # SIGINT (interrupt_mode signal) during a busy loop, then the next cell
        msg_id = run(kc, "console.log('printed before');\nconsole.log('spinning');\nwhile (true) {}", wait=False)
        seen = wait_for_stdout(kc, "spinning", timeout=10)  # text printed before a busy loop is not held back
        time.sleep(0.3)
        t0 = time.monotonic()
        km.interrupt_kernel()
        reply, outs = collect(kc, msg_id, timeout=20)
        res["interrupt_loop"] = {"status": reply["status"], "ename": reply.get("ename"), "seconds": round(time.monotonic() - t0, 2),
                                 "output_before_loop_seen": seen}
        reply, outs = run(kc, "console.log('next cell');")
        res["after_interrupt"] = {"status": reply["status"], "stdout": stdout_of(outs)}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return res


TRAIN = """import { tf, ready, seed } from "cnnlib";
await ready();
seed(1);
const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [8], activation: 'relu' }), tf.layers.dense({ units: 1 })] });
model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
const xs = tf.randomNormal([64, 8]);
const ys = tf.randomNormal([64, 1]);
let batches = 0;
const slow = { onBatchEnd: async () => { batches++; console.log(`batch ${batches}`); await new Promise((r) => setTimeout(r, 50)); } };
"""


def check_training():
    km, kc = start()
    res = {}
    try:
        reply, outs = run(kc, TRAIN, timeout=120)
        res["setup"] = reply["status"]
        msg_id = run(kc, "await model.fit(xs, ys, { epochs: 1000, batchSize: 8, verbose: 0, callbacks: slow });", wait=False)
        wait_for_stdout(kc, "batch 3")
        km.interrupt_kernel()
        reply, outs = collect(kc, msg_id, timeout=20)
        res["interrupt_fit"] = {"status": reply["status"], "ename": reply.get("ename")}
        time.sleep(1.0)  # a training still running would log about 20 batches here
        r1, o1 = run(kc, "console.log(`batches ${batches}`);")
        time.sleep(1.0)
        r2, o2 = run(kc, "console.log(`batches ${batches}`);")
        res["after_interrupt"] = {"status": r1["status"], "first": stdout_of(o1).strip(), "second": stdout_of(o2).strip()}
        # shutdown while a training runs: the kernel ends by itself, jupyter_client kills nothing
        run(kc, "model.fit(xs, ys, { epochs: 1000, batchSize: 8, verbose: 0, callbacks: slow });", wait=False)
        wait_for_stdout(kc, "batch")
        proc = km.provisioner.process
        t0 = time.monotonic()
        km.shutdown_kernel(now=False)
        res["shutdown"] = {"returncode": proc.poll(), "seconds": round(time.monotonic() - t0, 2)}
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
    return res


def check_restart():
    km, kc = start()
    try:
        run(kc, "const before = 1;")
        old = km.provisioner.process
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=60)
        # a fresh kernel: the name of the old one's cell is unknown (a TypeScript error), the count restarts
        gone, _ = run(kc, "before;")
        reply, outs = run(kc, "console.log('restarted');")
        return {"old_returncode": old.poll(), "old_name": gone.get("evalue"), "status": reply["status"],
                "stdout": stdout_of(outs).strip(), "count": reply.get("execution_count")}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def one_start(i):
    t0 = time.monotonic()
    try:
        km, kc = start()
    except Exception as e:
        return {"ok": False, "why": f"start: {type(e).__name__}: {e}"}
    try:
        reply, outs = run(kc, f"console.log('kernel {i}', 6 * 7);", timeout=60)
        ok = reply["status"] == "ok" and stdout_of(outs) == f"kernel {i} 42\n"
        return {"ok": ok, "seconds": round(time.monotonic() - t0, 2), "why": "" if ok else f"{reply} {outs}"}
    except Exception as e:
        return {"ok": False, "why": f"cell: {type(e).__name__}: {e}"}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def check_starts(n, jobs):
    t0 = time.monotonic()
    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(one_start, range(n)))
    times = sorted(r["seconds"] for r in results if r["ok"])
    return {"starts": n, "at_a_time": jobs, "ran_their_cell": sum(r["ok"] for r in results),
            "failures": [r["why"] for r in results if not r["ok"]][:5],
            "start_to_result_s": {"min": times[0], "median": times[len(times) // 2], "max": times[-1]} if times else None,
            "seconds": round(time.monotonic() - t0, 1)}


def one_startup(i):
    """Seconds of each phase of one kernel start; kernel_info comes back once start_new_kernel returns."""
    t0 = time.monotonic()
    km, kc = start()
    try:
        t1 = time.monotonic()
        phases = {"kernel_info": t1 - t0}
        for name, code in [("first_cell", "1 + 1"), ("import_ready", 'import { ready } from "cnnlib";\nawait ready({ quiet: true });'),
                           ("next_cell", "2 + 2")]:
            a = time.monotonic()
            reply, _ = run(kc, code, timeout=120)
            if reply["status"] != "ok":
                raise RuntimeError(f"{name}: {reply}")
            phases[name] = time.monotonic() - a
        phases["total"] = time.monotonic() - t0
        return phases
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def check_startup(n):
    runs = [one_startup(i) for i in range(n)]
    out = {}
    for k in runs[0]:
        v = sorted(r[k] for r in runs)
        out[k] = {"median": round(v[len(v) // 2], 2), "min": round(v[0], 2), "max": round(v[-1], 2)}
    return {"starts": n, "seconds": out}


def main(argv):
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    what = argv[1] if len(argv) > 1 else ""
    if what == "output":
        res = check_output()
    elif what == "training":
        res = check_training()
    elif what == "restart":
        res = check_restart()
    elif what == "starts":
        res = check_starts(int(argv[2]) if len(argv) > 2 else 20, int(argv[3]) if len(argv) > 3 else 4)
    elif what == "startup":
        res = check_startup(int(argv[2]) if len(argv) > 2 else 5)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
