// Running kernel/run_notebooks.py on notebooks generated in a temporary folder, and finding the
// processes it left behind, for the runner's fault tests.
import { spawn } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../notebooks/executed';

export { ROOT };

/** A TCP port on 127.0.0.1 that was free a moment ago (listened on, then closed). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A code cell: its source, and optionally its tags. */
export type CellSpec = string | { source: string; tags: string[] };

/** The JSON text of an nbformat 4 notebook for the project's kernel. */
export function notebook(cells: CellSpec[], metadata: Record<string, unknown> = {}): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'cnn-notebooks', display_name: 'TypeScript (cnn-notebooks)', language: 'typescript' }, ...metadata },
    cells: cells.map((c, i) => {
      const { source, tags } = typeof c === 'string' ? { source: c, tags: [] } : c;
      return { cell_type: 'code', id: `c${i}`, metadata: tags.length ? { tags } : {}, source, outputs: [], execution_count: null };
    }),
  });
}

const trees: string[] = [];

/** A fresh temporary folder holding `files` (relative path -> text); returns its path. See removeTrees. */
export function writeTree(prefix: string, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cnn-${prefix}-`));
  trees.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Removes every folder writeTree made (call it in afterAll). */
export function removeTrees(): void {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface RunnerResult {
  pid: number;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the runner in its own process group (as a shell job would be), from the repository root.
 * `whileRunning` gets its pid once it has started (to signal it); the promise settles when it ends.
 */
export function startRunner(args: string[], whileRunning?: (pid: number) => Promise<void>): Promise<RunnerResult> {
  const child = spawn('/usr/bin/python3', ['kernel/run_notebooks.py', ...args], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, JUPYTER_PATH: path.join(ROOT, 'build', 'jupyter'), PYDEVD_DISABLE_FILE_VALIDATION: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  let failure: unknown = null;
  const ended = new Promise<RunnerResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => (failure ? reject(failure) : resolve({ pid: child.pid!, status, signal, stdout, stderr })));
  });
  // A failed step ends the runner (its kernels follow it, see kernel/launch.js) and fails the run.
  whileRunning?.(child.pid!).catch((e) => {
    failure = e;
    process.kill(-child.pid!, 'SIGKILL');
  });
  return ended;
}

/** Resolves once `check()` is true; polls every 100 ms, rejects after `limitMs` with `what`. */
export async function waitFor(check: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  cmd: string;
}

/** Every process of the machine that is not a zombie (from /proc, as `ps` reads it). */
export function liveProcesses(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || state === 'X') continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.push({ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid), state, cmd });
    } catch {
      // the process ended while we read it
    }
  }
  return out;
}

/** Live kernels started by the runner `runnerPid`: jupyter_client gives each JPY_PARENT_PID. */
export function kernelsOf(runnerPid: number): number[] {
  return liveProcesses()
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(`JPY_PARENT_PID=${runnerPid}`);
      } catch {
        return false;
      }
    })
    .map((p) => p.pid);
}

/**
 * Processes that outlived the runner: anything left in its process group (its own children) or in
 * the process group of a kernel it recorded (kernels lead their own session), and any kernel it started.
 */
export function survivors(runnerPid: number, kernelPids: number[]): string[] {
  const groups = new Set([runnerPid, ...kernelPids]);
  const kernels = new Set(kernelsOf(runnerPid));
  return liveProcesses()
    .filter((p) => groups.has(p.pgid) || kernels.has(p.pid))
    .map((p) => `${p.pid} (group ${p.pgid}, ${p.state}): ${p.cmd}`);
}

export interface Entry {
  notebook: string;
  source: string;
  status: string;
  kind?: string;
  cell?: number;
  cell_source?: string;
  error?: string;
  kernel_pid?: number;
  cells: { cell: number; seconds: number }[];
}

/** DIR/report.json's entries by notebook name. */
export function readReport(out: string): Record<string, Entry> {
  const entries: Entry[] = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')).notebooks;
  return Object.fromEntries(entries.map((e) => [e.notebook, e]));
}

/** All stdout text of an executed copy, with each execute_result's text/plain as a line (as Executed.stdout). */
export function executedStdout(out: string, name: string): string {
  const file = path.join(out, `${name}.ipynb`);
  if (!existsSync(file)) throw new Error(`no executed copy ${file}`);
  type Out = { output_type: string; name?: string; text?: string | string[]; data?: Record<string, string | string[]> };
  const join = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : (t ?? ''));
  const nb = JSON.parse(readFileSync(file, 'utf8'));
  return nb.cells
    .flatMap((c: { outputs?: Out[] }) => c.outputs ?? [])
    .map((o: Out) => (o.output_type === 'stream' && o.name === 'stdout' ? join(o.text) : o.output_type === 'execute_result' ? join(o.data?.['text/plain']) + '\n' : ''))
    .join('');
}
