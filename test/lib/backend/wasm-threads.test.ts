import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { MAX_WASM_THREADS, wasmThreads } from '../../../lib/backend/wasm-threads';

const root = path.resolve(__dirname, '..', '..', '..');
const dist = path.join(root, 'lib', 'dist', 'index.js');

// A plain Node process on the compiled library: ready() with CNN_WASM_THREADS threads, then three
// seeded training steps of the Q1 CNN and one forward convolution; prints what it measured as JSON.
const script = `
  const os = require('os');
  const cpusBefore = os.cpus().length;
  const BlobBefore = globalThis.Blob, createBefore = URL.createObjectURL;
  let finished = false; // an event loop drained before the end exits with code 0 and no output: say so
  process.on('beforeExit', () => finished || console.error('event loop empty before the script finished'));
  const lib = require(${JSON.stringify(dist)});
  const tf = lib.tf;
  lib.ready({ quiet: true }).then(async (info) => {
    lib.seed(0);
    const model = lib.q1Cnn();
    model.compile({ optimizer: tf.train.adam(), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([96, 28, 28, 1]);
    const y = tf.oneHot(tf.randomUniform([96], 0, 10, 'int32'), 10).toFloat();
    const h = await model.fit(x, y, { batchSize: 32, epochs: 2, shuffle: false, verbose: 0 });
    const conv = tf.conv2d(tf.randomNormal([4, 13, 13, 32]), tf.randomNormal([3, 3, 32, 64]), 1, 'valid');
    console.log(JSON.stringify({
      description: info.description, threads: lib.wasmThreadsInUse(), losses: h.history.loss,
      conv: Array.from(conv.dataSync().slice(0, 64)),
      restored: os.cpus().length === cpusBefore && globalThis.Blob === BlobBefore && URL.createObjectURL === createBefore,
    }));
    finished = true;
  });`;

/** Run `code` (default: the training script above) in a new node on the wasm backend with `threads` threads. */
function run(threads: string, code = script) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cnn-threads-test-'));
  try {
    const r = spawnSync(process.execPath, ['-e', code], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, CNN_BACKEND: 'wasm', CNN_WASM_THREADS: threads, TMPDIR: tmp },
    });
    return { ...r, leftInTmp: readdirSync(tmp) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('wasmThreads', () => {
  it('defaults to one thread per core, at most 8', () => {
    expect(wasmThreads('auto', 2)).toBe(2);
    expect(wasmThreads('auto', 1)).toBe(1);
    expect(wasmThreads('', 64)).toBe(MAX_WASM_THREADS);
  });

  it('takes CNN_WASM_THREADS from 1 to 8 and rejects anything else', () => {
    expect(wasmThreads('1', 2)).toBe(1);
    expect(wasmThreads('8', 2)).toBe(8);
    for (const bad of ['0', '9', '1.5', 'two']) {
      expect(() => wasmThreads(bad)).toThrow(`ready: CNN_WASM_THREADS must be an integer from 1 to 8 or 'auto', got "${bad}"`);
    }
  });
});

describe('the multi-threaded wasm backend', () => {
  it('starts with 2 threads in Node, gives the same numbers as 1 thread, restores the globals and exits', () => {
    expect(existsSync(dist), 'lib/dist is missing: run make setup').toBe(true);
    const one = run('1');
    const two = run('2');
    const last = (r: typeof one, threads: number) => {
      const seen = `${threads} thread(s): status ${r.status}, stdout ${JSON.stringify(r.stdout)}, stderr ${JSON.stringify(r.stderr)}`;
      expect(r.error, `the process must exit by itself (${seen})`).toBeUndefined();
      expect(r.stderr, seen).toBe('');
      expect(r.status, seen).toBe(0);
      const line = r.stdout.trim().split('\n').pop()!;
      expect(line, seen).toMatch(/^\{.*\}$/);
      return JSON.parse(line);
    };
    const a = last(one, 1);
    const b = last(two, 2);
    expect(a.threads).toBe(1);
    expect(a.description).toMatch(/^wasm \(XNNPACK, SIMD, 1 thread;/);
    expect(b.threads).toBe(2);
    expect(b.description).toMatch(/^wasm \(XNNPACK, SIMD, 2 threads;/);
    expect(b.restored).toBe(true);
    // XNNPACK splits outputs across threads, never a sum: every number is the same, bit for bit.
    expect(b.losses).toHaveLength(2);
    expect(b.losses).toEqual(a.losses);
    expect(b.conv).toEqual(a.conv);
    // The worker scripts are written to a temporary folder and removed at exit.
    expect(two.leftInTmp).toEqual([]);
  });

  it('writes each worker script once, whole, while the pool of 8 workers starts', () => {
    // The glue asks for the worker script's URL once per worker, and each worker reads the file as it
    // starts: a file rewritten in place can be read truncated, and that worker never reports 'loaded'
    // (the start hangs). Every write into the script folder must go to a temporary name and be renamed.
    const code = `
      const fs = require('fs');
      const path = require('path');
      const log = [];
      const write = fs.writeFileSync;
      fs.writeFileSync = function (f, ...rest) { log.push('write ' + path.basename(String(f))); return write.call(this, f, ...rest); };
      const rename = fs.renameSync;
      fs.renameSync = function (a, b) { log.push('rename ' + path.basename(String(b))); return rename.call(this, a, b); };
      const lib = require(${JSON.stringify(dist)});
      lib.ready({ quiet: true }).then(() => {
        console.log(JSON.stringify({ threads: lib.wasmThreadsInUse(), log: log.filter((l) => /main|worker/.test(l)) }));
        process.exit(0);
      });`;
    const r = run('2', code);
    expect(r.status, `stdout ${r.stdout} stderr ${r.stderr}`).toBe(0);
    const { threads, log } = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(threads).toBe(2);
    expect(log.filter((l: string) => l.startsWith('rename'))).toEqual(['rename main.js', 'rename worker.js']);
    expect(log.filter((l: string) => /^write (main|worker)\.js$/.test(l))).toEqual([]);
    expect(log.filter((l: string) => /^write worker\.js\.\d+\.tmp$/.test(l))).toHaveLength(1);
  });

  it('falls back to the single-threaded binary when the threaded start fails, and prints why', () => {
    // Two forced failures: no folder for the worker scripts (TMPDIR names one that does not exist),
    // and a marker of the threaded glue replaced by a wrong one.
    const start = (before: string, tmp: string) => {
      const code = `const lib = require(${JSON.stringify(dist)}); ${before}
        lib.ready().then(() => console.log(JSON.stringify({ threads: lib.wasmThreadsInUse() })), (e) => { console.log(e.message); process.exit(3); });`;
      return spawnSync(process.execPath, ['-e', code], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, CNN_BACKEND: 'wasm', CNN_WASM_THREADS: '2', TMPDIR: tmp },
      });
    };
    const noTmp = start('', path.join(os.tmpdir(), 'no-such-folder', 'x'));
    expect(noTmp.status, noTmp.stderr).toBe(0);
    const [report, result] = noTmp.stdout.trim().split('\n');
    expect(report).toMatch(
      /^cnnlib: backend wasm \(XNNPACK, SIMD, 1 thread; \d+ kernels added or replaced by cnnlib; single-threaded: the multi-threaded binary \(2 threads\) failed: ready: cannot write the wasm worker scripts to .*no-such-folder.*: ENOENT.*\)$/,
    );
    expect(JSON.parse(result)).toEqual({ threads: 1 });

    const wrongMarker = start(
      `require(${JSON.stringify(path.join(root, 'lib', 'dist', 'backend', 'internals.js'))}).INTERNALS.mainScriptMarker = 'var WasmBackendModuleThreadedSimdX';`,
      os.tmpdir(),
    );
    expect(wrongMarker.status, wrongMarker.stderr).toBe(0);
    const [report2, result2] = wrongMarker.stdout.trim().split('\n');
    expect(report2).toContain(
      "single-threaded: the multi-threaded binary (2 threads) failed: ready: tfjs-backend-wasm internal 'var WasmBackendModuleThreadedSimdX' not found (tfjs-backend-wasm 4.22.0 expected)",
    );
    expect(JSON.parse(result2)).toEqual({ threads: 1 });
  });
});
