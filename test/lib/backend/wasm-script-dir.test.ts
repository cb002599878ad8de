import { spawn, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { makeWasmScriptDir, pidAlive, removeStaleWasmScriptDirs } from '../../../lib/backend/wasm-script-dir';

const root = path.resolve(__dirname, '..', '..', '..');
const dist = path.join(root, 'lib', 'dist', 'index.js');

/** The id of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(r.stdout);
  expect(pidAlive(pid)).toBe(false);
  return pid;
}

/** Run `code` in a new node, with everything needed to tell why it failed. */
function runNode(code: string, env: NodeJS.ProcessEnv, limitMs: number) {
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; ms: number }>((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, ['-e', code], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), limitMs);
    p.on('close', (c, signal) => {
      clearTimeout(timer);
      resolve({ code: c, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

async function withTmp<T>(f: (tmp: string) => T | Promise<T>): Promise<T> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cnn-script-dir-test-'));
  try {
    return await f(tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('the temporary folders of the wasm worker scripts', () => {
  it('tells live processes from dead ones', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(deadPid())).toBe(false);
  });

  it('removes the folders of dead processes only', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await withTmp((tmp) => {
        const dead = deadPid();
        const names = {
          dead: `cnnlib-wasm-${dead}-aB3dE9`,
          self: `cnnlib-wasm-${process.pid}-xY7zQ1`,
          live: `cnnlib-wasm-${sleeper.pid}-Qq0Ww2`,
          unnamed: 'cnnlib-wasm-Ab12Cd', // the old naming without a pid: not ours to judge
          file: `cnnlib-wasm-${dead}-fIlE00`, // a file, not a folder
          other: 'something-else',
        };
        for (const [k, n] of Object.entries(names)) {
          if (k === 'file') writeFileSync(path.join(tmp, n), '');
          else mkdirSync(path.join(tmp, n));
        }
        writeFileSync(path.join(tmp, names.dead, 'main.js'), '// a script');
        expect(removeStaleWasmScriptDirs(tmp)).toEqual([path.join(tmp, names.dead)]);
        expect(readdirSync(tmp).sort()).toEqual([names.self, names.live, names.unnamed, names.file, names.other].sort());
        expect(removeStaleWasmScriptDirs(tmp)).toEqual([]);
      });
    } finally {
      sleeper.kill('SIGKILL');
    }
    expect(removeStaleWasmScriptDirs(path.join(os.tmpdir(), 'no-such-folder-cnn'))).toEqual([]);
  });

  it('names a new folder for this process and sweeps the stale ones first', async () => {
    await withTmp((tmp) => {
      const stale = path.join(tmp, `cnnlib-wasm-${deadPid()}-zzzzzz`);
      mkdirSync(stale);
      const dir = makeWasmScriptDir(tmp);
      expect(path.basename(dir)).toMatch(new RegExp(`^cnnlib-wasm-${process.pid}-[A-Za-z0-9]{6}$`));
      expect(existsSync(dir)).toBe(true);
      expect(existsSync(stale)).toBe(false);
    });
  });

  it('a killed process leaves its folder, and the next threaded start removes it', async () => {
    expect(existsSync(dist), 'lib/dist is missing: run make setup').toBe(true);
    await withTmp(async (tmp) => {
      const env = { ...process.env, CNN_BACKEND: 'wasm', CNN_WASM_THREADS: '2', TMPDIR: tmp };
      // A kernel-like process: starts the threaded backend, says so, then runs until killed.
      const code = `const lib = require(${JSON.stringify(dist)});
        lib.ready({ quiet: true }).then(() => { console.log('threads ' + lib.wasmThreadsInUse()); setInterval(() => {}, 1000); });`;
      const child = spawn(process.execPath, ['-e', code], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const said = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no start within 150 s: ${out}`)), 150_000);
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) {
            clearTimeout(timer);
            resolve(out.trim());
          }
        });
        child.stderr.on('data', (d) => (out += d));
      });
      expect(said).toBe('threads 2');
      const left = readdirSync(tmp);
      expect(left).toEqual([expect.stringMatching(new RegExp(`^cnnlib-wasm-${child.pid}-[A-Za-z0-9]{6}$`))]);
      expect(readdirSync(path.join(tmp, left[0])).sort()).toEqual(['main.js', 'worker.js']);
      await new Promise((resolve) => {
        child.on('close', resolve);
        child.kill('SIGKILL');
      });
      expect(readdirSync(tmp)).toEqual(left); // no exit handler ran

      // A second threaded start in the same TMPDIR. Generous limit: make test runs kernels beside it.
      const next = await runNode(`require(${JSON.stringify(dist)}).ready({ quiet: true }).then(() => console.log('ok'))`, env, 150_000);
      expect(next.stdout.trim(), JSON.stringify(next)).toBe('ok');
      expect(next.code, JSON.stringify(next)).toBe(0);
      expect(readdirSync(tmp)).toEqual([]); // the stale folder swept at start, its own removed at exit
    });
  }, 400_000);
});
