#!/usr/bin/env node
/**
 * `make stress-threads`: many starts of the multi-threaded wasm backend, several at a time, beside
 * busy processes that run 2-thread wasm matrix products (as notebooks running beside a start do).
 * Each start is a new Node process that calls ready() and one matrix product; one that has not
 * finished within --limit seconds counts as hung and is killed. Prints a line per failure and one
 * JSON summary line: {"starts", "ok", "hung", "failed", "median_s", "max_ok_s", "seconds"}.
 *
 * Usage: node bench/stress-threads.js [--starts 150] [--jobs 3] [--busy 2] [--limit 60] [--dist lib/dist]
 * A stress run, not a test: it takes minutes and its figures go in a closing note.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
'use strict';
const { spawn } = require('child_process');
const path = require('path');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  if (v === undefined) throw new Error(`stress-threads: ${name} needs a value`);
  return v;
}
function count(name, fallback) {
  const n = Number(arg(name, String(fallback)));
  if (!Number.isInteger(n) || n < 0) throw new Error(`stress-threads: ${name} must be a whole number, got ${arg(name)}`);
  return n;
}

const starts = count('--starts', 150);
const jobs = Math.max(1, count('--jobs', 3));
const busy = count('--busy', 2);
const limitS = Math.max(1, count('--limit', 60));
const dist = path.resolve(arg('--dist', path.join(__dirname, '..', 'lib', 'dist')), 'index.js');

const START = `
  const lib = require(${JSON.stringify(dist)});
  lib.ready({ quiet: true }).then(() => {
    const t = lib.tf.ones([64, 64]);
    lib.tf.matMul(t, t).dataSync();
    console.log('threads ' + lib.wasmThreadsInUse());
    process.exit(0);
  }, (e) => { console.log('error ' + e.message); process.exit(2); });`;
const BUSY = `
  const lib = require(${JSON.stringify(dist)});
  lib.ready({ quiet: true }).then(() => {
    const a = lib.tf.randomNormal([256, 256]);
    for (;;) lib.tf.tidy(() => lib.tf.matMul(a, a).dataSync());
  });`;
const env = { ...process.env, CNN_BACKEND: 'wasm', CNN_WASM_THREADS: '2' };

function once(i) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, ['-e', START], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      p.kill('SIGKILL');
    }, limitS * 1000);
    p.on('close', (code) => {
      clearTimeout(timer);
      const s = (Date.now() - t0) / 1000;
      const ok = !hung && code === 0 && /^threads 2$/m.test(out);
      if (!ok) console.log(`start ${i}: ${hung ? `hung (killed after ${limitS} s)` : `exit ${code}`} ${out.trim().slice(-200)}`);
      resolve({ ok, hung, s });
    });
  });
}

async function main() {
  const t0 = Date.now();
  const busyProcs = Array.from({ length: busy }, () => spawn(process.execPath, ['-e', BUSY], { env, stdio: 'ignore' }));
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < starts) {
      const i = next++;
      results.push(await once(i));
      if (results.length % 25 === 0) process.stderr.write(`stress-threads: ${results.length}/${starts}\n`);
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    for (const b of busyProcs) b.kill('SIGKILL');
  }
  const okTimes = results.filter((r) => r.ok).map((r) => r.s).sort((a, b) => a - b);
  const summary = {
    starts,
    jobs,
    busy,
    ok: okTimes.length,
    hung: results.filter((r) => r.hung).length,
    failed: results.filter((r) => !r.ok && !r.hung).length,
    median_s: okTimes.length ? Math.round(100 * okTimes[okTimes.length >> 1]) / 100 : null,
    max_ok_s: okTimes.length ? Math.round(100 * okTimes[okTimes.length - 1]) / 100 : null,
    seconds: Math.round((Date.now() - t0) / 1000),
  };
  console.log(JSON.stringify(summary));
  process.exit(summary.ok === starts ? 0 : 1);
}
main();
