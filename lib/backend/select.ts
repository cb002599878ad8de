/**
 * Choosing the TensorFlow.js backend: tfjs-node when it loads, else wasm (SIMD, completed with
 * the training kernels of ./wasm-kernels), else the pure-JavaScript cpu backend. The choice can be
 * forced with the environment variable CNN_BACKEND = 'tensorflow' | 'wasm' | 'cpu' (alias 'node'
 * for 'tensorflow'), and is printed once, the first time {@link ready} resolves in a process. The wasm
 * backend runs one thread per core (its multi-threaded binary, see ./wasm-threads), or as many as
 * CNN_WASM_THREADS says; the notebook runner sets 1, as it runs one notebook per core. When the
 * threaded start fails, the single-threaded binary starts instead and the report says why; the
 * report also gives the reason each faster backend was skipped.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../errors';
import { registerWasmKernels } from './wasm-kernels';
import { checkWasmBackend } from './internals';
import { wasmThreads, wasmThreadsInUse, withWasmThreads } from './wasm-threads';

/** The backends cnnlib can run on, fastest first. */
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** What {@link ready} chose, and why. */
export interface BackendInfo {
  /** The active tfjs backend. */
  name: BackendName;
  /** One line for people: the backend and its features (with why the threaded wasm binary was not used, if so). */
  description: string;
  /** Backends tried before this one and the reason each was skipped. */
  skipped: { name: BackendName; reason: string }[];
}

let chosen: Promise<BackendInfo> | undefined;

/**
 * Parse CNN_BACKEND; undefined means "pick the fastest that works".
 * @param value default process.env.CNN_BACKEND; 'node' is an alias of 'tensorflow', '' and 'auto' mean none
 * @throws BackendError when the value names no backend
 * @example forcedBackend('node')   // 'tensorflow'
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function forcedBackend(value = process.env.CNN_BACKEND): BackendName | undefined {
  if (value === undefined || value === '' || value === 'auto') return undefined;
  const v = value === 'node' ? 'tensorflow' : value;
  if (!(BACKENDS as readonly string[]).includes(v)) {
    throw new BackendError(
      `ready: CNN_BACKEND must be one of 'tensorflow' (or 'node'), 'wasm', 'cpu', 'auto', got ${JSON.stringify(value)}`,
    );
  }
  return v as BackendName;
}

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Run `start`, then remove the process-wide error listeners it added. The wasm backend's Emscripten
 * glue installs listeners that rethrow every uncaught exception and unhandled rejection, which
 * turns a stray rejected promise in a notebook cell (or a closing socket at kernel shutdown) into a
 * crashed kernel; without them the host (tslab, vitest, node) handles such errors as it normally does.
 */
async function withoutProcessHandlersAdded<T>(start: () => Promise<T>): Promise<T> {
  // Typed as a plain emitter: the two events have different listener signatures.
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(PROCESS_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  try {
    return await start();
  } finally {
    for (const e of PROCESS_EVENTS) {
      for (const l of emitter.listeners(e)) if (!before.get(e)!.has(l)) emitter.removeListener(e, l as (...a: unknown[]) => void);
    }
  }
}

/**
 * Run `start` with a timer holding the process open. Starting a backend waits on WebAssembly
 * compilation and on worker threads, and Node can let a script exit (code 0, no output) when
 * nothing else is on its event loop while such work is pending (nodejs/node#36616).
 */
async function holdingProcessOpen<T>(start: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {}, 60_000);
  try {
    return await start();
  } finally {
    clearInterval(timer);
  }
}

/** The first line of an error's message; tfjs-node's absence in one short clause. */
function reasonOf(name: BackendName, e: unknown): string {
  const msg = String((e as Error)?.message ?? e).split('\n')[0];
  if (name === 'tensorflow' && /Cannot find module '@tensorflow\/tfjs-node'/.test(msg)) return 'not installed';
  return msg;
}

async function startWasm(): Promise<{ threads: number; fallback?: string }> {
  const threads = wasmThreads();
  const start = () => tf.setBackend('wasm');
  if (threads > 1) {
    // tfjs reports a failed start as false (and a warning) more often than by throwing.
    let why: string;
    try {
      if (await withoutProcessHandlersAdded(() => withWasmThreads(threads, start))) return { threads };
      why = 'setBackend returned false';
    } catch (e) {
      why = reasonOf('wasm', e);
    }
    // The single-threaded binary needs none of the threaded start's internals.
    if (!(await withoutProcessHandlersAdded(start))) throw new Error(`setBackend returned false (the multi-threaded binary failed first: ${why})`);
    return { threads, fallback: `the multi-threaded binary (${threads} threads) failed: ${why}` };
  }
  if (!(await withoutProcessHandlersAdded(start))) throw new Error('setBackend returned false');
  return { threads };
}

async function tryBackend(name: BackendName): Promise<string> {
  if (name === 'tensorflow') {
    // Optional dependency: absent or broken (no libtensorflow) on machines without its binary host.
    require('@tensorflow/tfjs-node');
    if (!(await tf.setBackend('tensorflow'))) throw new Error('setBackend returned false');
    return 'tensorflow (tfjs-node, native TensorFlow)';
  }
  if (name === 'wasm') {
    require('@tensorflow/tfjs-backend-wasm');
    const { fallback } = await startWasm();
    checkWasmBackend();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const added = registerWasmKernels();
    const n = wasmThreadsInUse();
    const single = fallback ? `; single-threaded: ${fallback}` : '';
    return `wasm (XNNPACK${simd ? ', SIMD' : ''}, ${n} thread${n === 1 ? '' : 's'}; ${added} kernels added or replaced by cnnlib${single})`;
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('setBackend returned false');
  return 'cpu (pure JavaScript, slowest)';
}

/**
 * Select and initialise the backend once per process; later calls return the same result.
 * @param opts.quiet do not print the one-line report (default false)
 * @returns the chosen backend and the reasons others were skipped
 * @throws BackendError when CNN_BACKEND names a backend that cannot start, or none can
 * @example const { name } = await ready();   // prints "cnnlib: backend wasm (XNNPACK, SIMD; ...)"
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function ready(opts: { quiet?: boolean } = {}): Promise<BackendInfo> {
  chosen ??= (async () => {
    // Silences tfjs's "install tfjs-node" banner and debug checks; results are unchanged.
    tf.enableProdMode();
    const forced = forcedBackend();
    const order: readonly BackendName[] = forced ? [forced] : BACKENDS;
    const skipped: BackendInfo['skipped'] = [];
    for (const name of order) {
      try {
        const description = await holdingProcessOpen(() => tryBackend(name));
        const info: BackendInfo = { name, description, skipped };
        const why = skipped.map((k) => `${k.name}: ${k.reason}`).join('; ');
        if (!opts.quiet) console.log(`cnnlib: backend ${description}${why ? ` (skipped ${why})` : ''}`);
        return info;
      } catch (e) {
        const reason = reasonOf(name, e);
        if (forced) throw new BackendError(`ready: CNN_BACKEND=${forced} cannot start: ${reason}`);
        skipped.push({ name, reason });
      }
    }
    throw new BackendError(`ready: no backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
  })();
  return chosen;
}
