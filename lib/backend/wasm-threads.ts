/**
 * Starting tfjs-backend-wasm's multi-threaded binary (XNNPACK on a pthreadpool) under Node.
 *
 * tfjs 4.22 ships the threaded binary but cannot start it in Node, for three reasons this module
 * works around while `tf.setBackend('wasm')` runs, and undoes afterwards:
 * 1. it reports no thread support in Node (the WASM_HAS_MULTITHREAD_SUPPORT flag is false), so the flag
 *    is set;
 * 2. it hands Emscripten its worker script and its main script as `Blob`s behind `blob:` URLs, which
 *    `worker_threads` cannot load; the two scripts are written to a temporary folder of this process
 *    instead (./wasm-script-dir: removed at exit, or by a later start when the process was killed;
 *    the main script is a function's source text, so the four module bindings it refers to are
 *    declared in front of it), and the worker is told where the main script is;
 * 3. its C++ caps the pool at half the logical cores (assuming two hyperthreads per core), which on a
 *    2-core machine means one thread; `os.cpus()` reports twice the cores during start-up, so the cap is
 *    the number of cores and the requested count decides.
 * Results do not depend on the thread count: XNNPACK splits outputs across threads, never a sum, so
 * every number is computed in the same order (a test compares training losses at 1 and 2 threads).
 * The internals these steps touch live in ./internals, which checks them first.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { checkPositiveInt } from '../check';
import { BackendError, argError } from '../errors';
import { INTERNALS, checkThreadedGlue, isMainScript, mainPrelude, nodeOs as os, patchForThreads, unrefWasmWorkers, wasmThreadCount } from './internals';
import { makeWasmScriptDir } from './wasm-script-dir';

/** The most threads tfjs-backend-wasm's pool takes (it pre-creates 8 workers). */
export const MAX_WASM_THREADS = 8;

/**
 * The thread count for the wasm backend: CNN_WASM_THREADS if set, else one per core (at most 8).
 * @param value default process.env.CNN_WASM_THREADS; '' or 'auto' mean one per core
 * @param cores default the machine's logical cores
 * @throws BackendError when the value is not an integer from 1 to 8; ArgError when value is neither text nor a
 *   number, or cores is not a positive integer
 * @example wasmThreads('1')   // 1
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function wasmThreads(value: string | number | undefined = process.env.CNN_WASM_THREADS, cores = os.cpus().length): number {
  checkPositiveInt('wasmThreads', 'cores', cores);
  if (value !== undefined && typeof value !== 'string' && typeof value !== 'number') {
    argError('wasmThreads', 'value', "must be a thread count (a number or CNN_WASM_THREADS's text) or undefined", value);
  }
  if (value === undefined || value === '' || value === 'auto') return Math.max(1, Math.min(cores, MAX_WASM_THREADS));
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new BackendError(`ready: CNN_WASM_THREADS must be an integer from 1 to ${MAX_WASM_THREADS} or 'auto', got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Run `setBackend` (which must call tf.setBackend('wasm')) with the threaded binary enabled and
 * `threads` threads requested; the globals it patches are restored when it settles, and the thread
 * flag is cleared again when the start fails (so a single-threaded start can follow).
 * @returns what setBackend returned
 * @throws BackendError when an internal of the threaded glue is missing (see ./internals) or a
 *   script for the workers cannot be written
 * @example await withWasmThreads(2, () => tf.setBackend('wasm'))
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export async function withWasmThreads<T>(threads: number, setBackend: () => Promise<T>): Promise<T> {
  checkThreadedGlue();
  let dir: string;
  try {
    dir = makeWasmScriptDir(os.tmpdir());
  } catch (e) {
    throw new BackendError(`ready: cannot write the wasm worker scripts to ${os.tmpdir()}: ${(e as Error).message}`);
  }
  const mainPath = path.join(dir, 'main.js');
  const workerPath = path.join(dir, 'worker.js');
  let sawMain = false;
  const workerFiles = new Map<string, string>(); // worker script text -> its file
  const restore = patchForThreads(threads, {
    blob: (text) => {
      if (!isMainScript(text)) return;
      sawMain = true;
      writeWhole(mainPath, mainPrelude() + text);
    },
    // The worker receives the main script as a Blob and asks for its URL: answer with the file.
    // The glue asks once per worker (8), and a worker reads the file while the next is created:
    // rewriting it each time let a worker read it truncated, never report 'loaded', and the start
    // hang (measured: 2 of 30 starts beside two notebooks). So each text is written once, whole.
    url: (text) => {
      let file = workerFiles.get(text);
      if (file === undefined) {
        file = workerFiles.size === 0 ? workerPath : path.join(dir, `worker-${workerFiles.size}.js`);
        writeWhole(file, `URL.createObjectURL = () => ${JSON.stringify(mainPath)}; URL.revokeObjectURL = () => {};\n${text}`);
        workerFiles.set(text, file);
      }
      return file;
    },
  });
  let ok = false;
  try {
    const result = await setBackend();
    if (result && !sawMain) {
      throw new BackendError(`ready: tfjs-backend-wasm internal '${INTERNALS.mainScriptPrefix}' not found: no main script with that prefix was made`);
    }
    if (result) unrefWasmWorkers();
    ok = Boolean(result);
    return result;
  } finally {
    restore();
    if (!ok) tf.env().set(INTERNALS.threadFlag, false);
  }
}

/** Write a file so that a reader sees all of it or none: a temporary name, then a rename. */
function writeWhole(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Threads the running wasm backend uses (1 for the single-threaded binary).
 * @throws Error from tfjs when the wasm backend has not started
 * @example wasmThreadsInUse()   // 2
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function wasmThreadsInUse(): number {
  return wasmThreadCount();
}
