#!/usr/bin/env node
// The cnn-notebooks kernel: tslab (TypeScript) with the project's node_modules, so notebooks can
// `import { tf, ready } from "cnnlib"`. Jupyter starts it as `node kernel/launch.js <connection file>`.
//
// tslab's Jupyter server is replaced by kernel/tslab-patch.js (the whole messaging protocol, no output
// lost, a start that runs cells or ends visibly). Besides that, launch.js makes sure that nothing goes
// unseen and nothing outlives its front end:
// - an exception thrown outside any awaited code (a timer, a callback) or a promise rejection nobody
//   handles is written to stderr as one line starting with LATE_MARK, so it lands on the cell that is
//   running or, after it, on the last cell run (tslab keeps stderr pointed at that cell); the kernel
//   goes on. kernel/run_notebooks.py fails that cell with the message.
// - SIGTERM and SIGHUP end the kernel through process.exit, so 'exit' handlers (cnnlib's removal of
//   its temporary wasm worker scripts) run; a kernel whose JavaScript is busy does not get there, and
//   whoever sent the signal follows with SIGKILL.
// - when the process that started the kernel (JPY_PARENT_PID, set by jupyter_client) is gone, even
//   killed with SIGKILL, a watchdog thread ends the kernel, busy or not, as ipykernel does.
'use strict';
const path = require('path');
const util = require('util');

const LATE_MARK = '[cnn-notebooks kernel]';
const root = path.resolve(__dirname, '..');
const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error('usage: node kernel/launch.js CONNECTION_FILE (Jupyter passes it)');
  process.exit(2);
}
// tfjs draws progress bars on a TTY stderr; in a notebook they are noise.
process.stderr.isTTY = false;
// Let the library know where it runs (display falls back to text outside a kernel).
process.env.CNN_NOTEBOOKS_KERNEL = '1';

for (const [signal, number] of [['SIGTERM', 15], ['SIGHUP', 1]]) {
  process.on(signal, () => process.exit(128 + number));
}
watchParent(Number(process.env.JPY_PARENT_PID));

// Resolve tslab from the project, not from a global install of another version.
const { startKernel } = require(require.resolve('tslab/dist/main', { paths: [root] }));
// tslab's Jupyter server replaced by one that speaks the whole protocol and loses no output; the one
// module that touches tslab's internals checks them first and names what is missing. No tfjs loaded.
try {
  require('./tslab-patch').patchTslab(root);
} catch (e) {
  console.error(e.message);
  process.exit(3);
}

// tslab installs its own handlers (`UncaughtException: ...` on stderr); ours replace them so each
// error is reported once, with the mark the runner looks for.
const events = ['uncaughtException', 'unhandledRejection'];
const before = new Map(events.map((e) => [e, new Set(process.listeners(e))]));
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false });
for (const e of events) {
  for (const listener of process.listeners(e)) if (!before.get(e).has(listener)) process.removeListener(e, listener);
}
const report = (what) => (error) => {
  process.stderr.write(`${LATE_MARK} ${what}: ${util.inspect(error)}\n`);
};
process.on('uncaughtException', report('uncaught exception (thrown outside any awaited code, e.g. in a timer)'));
process.on('unhandledRejection', report('unhandled promise rejection (nothing awaited or caught it)'));

/**
 * Ends this process when `parentPid` is no longer its parent (the parent died; the kernel was
 * re-parented). Runs in a worker thread, so a cell that never yields cannot stop it: SIGTERM first,
 * SIGKILL 2 s later. No-op without a parent pid (a kernel started by hand).
 */
function watchParent(parentPid) {
  if (!Number.isInteger(parentPid) || parentPid <= 1 || process.ppid !== parentPid) return;
  const { Worker } = require('worker_threads');
  const source = `
    const { workerData } = require('worker_threads');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (process.ppid === workerData) Atomics.wait(pause, 0, 0, 500);
    process.kill(process.pid, 'SIGTERM');
    Atomics.wait(pause, 0, 0, 2000);
    process.kill(process.pid, 'SIGKILL');
  `;
  new Worker(source, { eval: true, workerData: parentPid }).unref();
}
