/**
 * Every internal of tfjs, tfjs-backend-wasm and its Emscripten glue that cnnlib relies on, in one
 * place: nothing else in lib/ reaches into those packages past their public API (tslab's internals,
 * which only the kernel touches, live in kernel/tslab-patch.js, checked the same way at kernel start).
 * Each internal is listed in {@link INTERNALS} with what is expected of it, and checked when it is
 * first needed (the wasm ones in `ready()`); a missing or changed one throws a BackendError naming
 * it, e.g. `ready: tfjs-backend-wasm internal 'PThread.unusedWorkers' not found
 * (tfjs-backend-wasm 4.22.0 expected): ...`, instead of a silent fall-back to a slower backend.
 *
 * tfjs is required lazily, inside the functions that need it, so that importing this module costs
 * nothing until a backend starts.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as TF from '@tensorflow/tfjs';
import type * as WASM from '@tensorflow/tfjs-backend-wasm';
import { BackendError } from '../errors';

/** The versions the internals below were read from. */
export const EXPECTED_VERSIONS = { 'tfjs-backend-wasm': '4.22.0', 'tfjs-core': '4.22.0', 'tfjs-layers': '4.22.0' } as const;

/**
 * The internals and the markers that identify them. Tests replace an entry to see the check fail;
 * code reads the entries from here, never a copy.
 */
export const INTERNALS = {
  /** The threaded glue builds its main script from this prefix (tf-backend-wasm.node.js). */
  mainScriptPrefix: 'var WasmBackendModuleThreadedSimd',
  /** How the shipped file spells the prefix where it builds the script. */
  mainScriptMarker: 'var WasmBackendModuleThreadedSimd = " +',
  /** Rollup's module bindings that the main script's source text refers to, and their modules. */
  mainBindings: { require$$0: 'fs', require$$1: 'path', require$$3: 'perf_hooks', require$$4: 'os' } as Record<string, string>,
  /** Rollup's global binding that the main script refers to. */
  mainGlobal: 'commonjsGlobal',
  /** The flag tfjs-backend-wasm reads to choose the threaded binary (false in Node). */
  threadFlag: 'WASM_HAS_MULTITHREAD_SUPPORT',
  /** Emscripten's PThread worker lists on the running backend's module (threaded binary only). */
  workerLists: ['unusedWorkers', 'runningWorkers'],
  /** The wasm backend's allocation methods, which KernelBackend does not declare. */
  allocMethods: ['makeOutput', 'typedArrayFromHeap'],
  /** tfjs-backend-wasm's thread-count functions. */
  threadFunctions: ['setThreadsCount', 'getThreadsCount'],
  /** tfjs-layers: a layer's graph nodes (one per call), and the keys a model gives the nodes it owns. */
  layerNodes: 'inboundNodes',
  containerNodes: 'containerNodes',
  /** tfjs-core's AdamOptimizer state the fused Adam step reads and writes (fields the typings call private). */
  adamFields: ['learningRate', 'beta1', 'beta2', 'epsilon', 'accBeta1', 'accBeta2', 'accumulatedFirstMoment', 'accumulatedSecondMoment'],
  /** tfjs-core's optimizer factories (`tf.train`), which tfjs-layers calls for `optimizer: 'adam'`. */
  trainAdam: 'adam',
};

function missing(pkg: keyof typeof EXPECTED_VERSIONS, name: string, detail: string, where = 'ready'): BackendError {
  return new BackendError(`${where}: ${pkg} internal '${name}' not found (${pkg} ${EXPECTED_VERSIONS[pkg]} expected): ${detail}`);
}

function tfjs(): typeof TF {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('@tensorflow/tfjs') as typeof TF;
}

function wasmModule(): typeof WASM {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('@tensorflow/tfjs-backend-wasm') as typeof WASM;
}

/**
 * Check the internals the threaded start relies on: the main-script marker and rollup's bindings in
 * the shipped glue, the thread-count functions. Run before the threaded start.
 * @param glue the text of the shipped tf-backend-wasm.node.js (default: read from node_modules)
 * @throws BackendError naming the first internal that is missing
 * @example checkThreadedGlue()   // throws nothing on tfjs-backend-wasm 4.22.0
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function checkThreadedGlue(glue?: string): void {
  const file = require.resolve('@tensorflow/tfjs-backend-wasm');
  const text = glue ?? fs.readFileSync(file, 'utf8');
  const where = glue === undefined ? path.basename(file) : 'the glue given';
  if (!INTERNALS.mainScriptMarker.startsWith(INTERNALS.mainScriptPrefix) || !text.includes(INTERNALS.mainScriptMarker)) {
    throw missing('tfjs-backend-wasm', INTERNALS.mainScriptMarker, `the threaded main script's prefix is not in ${where}`);
  }
  for (const [name, mod] of Object.entries(INTERNALS.mainBindings)) {
    const decl = `var ${name} = require('${mod}');`;
    if (!text.includes(decl)) throw missing('tfjs-backend-wasm', name, `${where} does not declare \`${decl}\``);
  }
  if (!text.includes(`var ${INTERNALS.mainGlobal} =`)) {
    throw missing('tfjs-backend-wasm', INTERNALS.mainGlobal, `${where} does not declare it`);
  }
  const wasm = wasmModule() as unknown as Record<string, unknown>;
  for (const f of INTERNALS.threadFunctions) {
    if (typeof wasm[f] !== 'function') throw missing('tfjs-backend-wasm', f, `not a function of the package (got ${typeof wasm[f]})`);
  }
}

/**
 * The declarations put in front of the main script, which is a function's source text and refers
 * to rollup's module bindings.
 * @example mainPrelude()   // "var require$$0 = require('fs'), ..., commonjsGlobal = globalThis;\n"
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function mainPrelude(): string {
  const decls = Object.entries(INTERNALS.mainBindings).map(([name, mod]) => `${name} = require('${mod}')`);
  return `var ${[...decls, `${INTERNALS.mainGlobal} = globalThis`].join(', ')};\n`;
}

/**
 * Whether a script handed to a Blob is the threaded glue's main script.
 * @example isMainScript('var WasmBackendModuleThreadedSimd = ...')   // true
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function isMainScript(text: string): boolean {
  return text.startsWith(INTERNALS.mainScriptPrefix);
}

/** The globals the threaded start patches, and the module object whose cpus() the glue calls. */
export interface ThreadPatches {
  os: { cpus: () => import('os').CpuInfo[]; tmpdir: () => string };
}

// The module object itself (not an import wrapper), whose cpus() the wasm glue calls.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const os = require('os') as ThreadPatches['os'];

/**
 * Patch, for the threaded start: `Blob` (to record the scripts), `URL.createObjectURL` (to hand out
 * file paths), `os.cpus` (twice the cores) and the thread flag; set the thread count. Returns the
 * function that restores the globals.
 * @param on.blob called with the text of each Blob made of strings, as it is made
 * @param on.url called when such a Blob's URL is asked for; returns the path to hand out instead
 * @throws BackendError when a global or the flag is not there
 * @example const restore = patchForThreads(2, { blob: () => {}, url: () => undefined }); restore();
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function patchForThreads(
  threads: number,
  on: { blob: (text: string) => void; url: (text: string) => string | undefined },
): () => void {
  const RealBlob = globalThis.Blob;
  const realCreate = URL.createObjectURL;
  const realCpus = os.cpus;
  if (typeof RealBlob !== 'function') throw new BackendError('ready: Node global \'Blob\' not found (Node 18 or later expected)');
  if (typeof realCreate !== 'function') throw new BackendError('ready: Node global \'URL.createObjectURL\' not found (Node 18 or later expected)');
  if (typeof realCpus !== 'function') throw new BackendError('ready: Node \'os.cpus\' not found');
  const tf = tfjs();
  try {
    tf.env().set(INTERNALS.threadFlag, true);
  } catch (e) {
    throw missing('tfjs-backend-wasm', INTERNALS.threadFlag, `the flag is not registered: ${(e as Error).message.split('\n')[0]}`);
  }
  const texts = new WeakMap<Blob, string>();
  class RecordingBlob extends RealBlob {
    constructor(parts: ConstructorParameters<typeof Blob>[0] = [], options?: ConstructorParameters<typeof Blob>[1]) {
      super(parts, options);
      if (parts && parts.every((p) => typeof p === 'string')) {
        const text = parts.join('');
        texts.set(this, text);
        on.blob(text);
      }
    }
  }
  globalThis.Blob = RecordingBlob as typeof Blob;
  URL.createObjectURL = (obj: Blob) => {
    const text = texts.get(obj);
    const url = text === undefined ? undefined : on.url(text);
    return url ?? realCreate(obj);
  };
  const cpus = realCpus();
  os.cpus = () => [...cpus, ...cpus];
  wasmModule().setThreadsCount(threads);
  return () => {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreate;
    os.cpus = realCpus;
  };
}

/** The Node `os` module as the glue sees it (for the temporary folder and the core count). */
export const nodeOs: ThreadPatches['os'] = os;

interface WorkerLike {
  ref(): void;
  unref(): void;
}

/**
 * Let the process exit while the pool's threads wait for work: Emscripten refs a worker when it
 * starts a thread on it, and XNNPACK's threads never end, so a script would otherwise never exit.
 * @throws BackendError when the running wasm backend has no PThread worker lists
 * @example unrefWasmWorkers()   // after the threaded start
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function unrefWasmWorkers(): void {
  const backend = tfjs().findBackend('wasm') as unknown as { wasm?: { PThread?: Record<string, unknown> } } | undefined;
  const pthreads = backend?.wasm?.PThread;
  if (!pthreads) throw missing('tfjs-backend-wasm', 'PThread', 'the running wasm backend has no backend.wasm.PThread');
  const lists = INTERNALS.workerLists.map((name) => {
    const list = pthreads[name];
    if (!Array.isArray(list)) throw missing('tfjs-backend-wasm', `PThread.${name}`, `expected an array, got ${typeof list}`);
    return list as WorkerLike[];
  });
  for (const w of lists.flat()) {
    w.ref = () => {}; // a thread started later must not ref it again
    w.unref();
  }
}

/**
 * Threads the running wasm backend uses (1 for the single-threaded binary).
 * @throws Error from tfjs when the wasm backend has not started
 * @example wasmThreadCount()   // 2
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function wasmThreadCount(): number {
  return wasmModule().getThreadsCount();
}

/**
 * Check the running wasm backend: its allocation methods exist, and data ids are objects (the
 * XNNPACK operator cache guard keys a WeakMap by them). Run by `ready()` after the wasm start.
 * @param backend default the registered wasm backend
 * @throws BackendError naming the first internal that is missing
 * @example checkWasmBackend()
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function checkWasmBackend(backend: unknown = tfjs().findBackend('wasm')): void {
  const b = backend as Record<string, unknown> | undefined;
  for (const m of INTERNALS.allocMethods) {
    if (typeof b?.[m] !== 'function') throw missing('tfjs-backend-wasm', m, `not a method of the wasm backend (got ${typeof b?.[m]})`);
  }
  const probe = (b!.makeOutput as WasmAlloc['makeOutput']).call(b, [1], 'float32');
  const keyed = typeof probe.dataId === 'object' && probe.dataId !== null;
  (b as unknown as TF.KernelBackend).disposeData(probe.dataId);
  if (!keyed) throw missing('tfjs-backend-wasm', 'dataId', `the XNNPACK cache guard needs object data ids, got ${typeof probe.dataId}`);
}

/** The wasm backend's allocation API, which the KernelBackend type does not declare. */
interface WasmAlloc {
  makeOutput(shape: number[], dtype: TF.DataType): TF.TensorInfo;
  typedArrayFromHeap(t: TF.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * A new, uninitialised tensor on the wasm heap (the wasm backend's `makeOutput`).
 * @example const out = wasmMakeOutput(backend, [2, 3], 'float32');
 * @see notebooks/q12-backpropagation.ipynb
 */
export function wasmMakeOutput(backend: TF.KernelBackend, shape: number[], dtype: TF.DataType): TF.TensorInfo {
  return (backend as unknown as WasmAlloc).makeOutput(shape, dtype);
}

/**
 * A typed-array view of a tensor's data on the wasm heap (the wasm backend's `typedArrayFromHeap`).
 * @example wasmHeapArray(backend, out).set(values);
 * @see notebooks/q12-backpropagation.ipynb
 */
export function wasmHeapArray(backend: TF.KernelBackend, t: TF.TensorInfo): Float32Array | Int32Array | Uint8Array {
  return (backend as unknown as WasmAlloc).typedArrayFromHeap(t);
}

/** The [K, N] under which each data id's XNNPACK operator was cached (weak: ids die with their tensors). */
const cachedAs = new WeakMap<object, string>();

/**
 * `b` itself, or a copy of it when tfjs-backend-wasm's XNNPACK matrix product would find an operator
 * cached under b's data id for another [K, N] (its cache is keyed by data id, not shape, so two
 * reshapes of one tensor collide). Only the unbatched product without transposes takes that path.
 * @example const b2 = uncachedMatMulB(backend, a, b, false);   // free b2 if it differs from b
 * @see notebooks/q12-backpropagation.ipynb
 */
export function uncachedMatMulB(backend: TF.KernelBackend, a: TF.TensorInfo, b: TF.TensorInfo, transposed: boolean): TF.TensorInfo {
  const size = tfjs().util.sizeFromShape;
  const batch = (t: TF.TensorInfo) => size(t.shape.slice(0, -2));
  if (transposed || batch(a) !== 1 || batch(b) !== 1) return b;
  const key = b.shape.slice(-2).join('x');
  const seen = cachedAs.get(b.dataId);
  if (seen === undefined) cachedAs.set(b.dataId, key);
  if (seen === undefined || seen === key) return b;
  const copy = wasmMakeOutput(backend, b.shape, b.dtype);
  wasmHeapArray(backend, copy).set(wasmHeapArray(backend, b));
  return copy;
}

/** One graph node of a tfjs-layers layer: the layers (and their node and tensor indices) that feed it. */
export interface LayerNode {
  inboundLayers: TF.layers.Layer[];
  nodeIndices: number[];
  tensorIndices: number[];
}

/**
 * The graph nodes of `layer` that belong to `model` (a layer reused in another model has more), read
 * from tfjs-layers' `inboundNodes` and the model's `containerNodes` keys (`<layer>_ib-<i>`), which
 * the public API does not expose. Used by summary() and parameterTable() for "Connected to".
 * @throws BackendError when tfjs-layers no longer has those fields
 * @example layerNodesIn(model, model.layers[1])[0].inboundLayers.map((l) => l.name)   // ['input_1']
 * @see notebooks/q02-cnn-architecture.ipynb
 */
export function layerNodesIn(model: TF.LayersModel, layer: TF.layers.Layer, where = 'summary'): LayerNode[] {
  const nodes = (layer as unknown as Record<string, unknown>)[INTERNALS.layerNodes];
  if (!Array.isArray(nodes) || nodes.some((n) => !n || !Array.isArray((n as LayerNode).inboundLayers))) {
    throw missing('tfjs-layers', `Layer.${INTERNALS.layerNodes}`, `expected an array of nodes with inboundLayers, got ${typeof nodes}`, where);
  }
  const keys = (model as unknown as Record<string, unknown>)[INTERNALS.containerNodes];
  if (keys !== undefined && !(keys instanceof Set)) {
    throw missing('tfjs-layers', `LayersModel.${INTERNALS.containerNodes}`, `expected a Set of node keys, got ${typeof keys}`, where);
  }
  if (!keys || keys.size === 0) return nodes as LayerNode[];
  return (nodes as LayerNode[]).filter((_, i) => keys.has(`${layer.name}_ib-${i}`));
}

/** AdamOptimizer's state, as tfjs-core 4.22 keeps it (see INTERNALS.adamFields). */
export interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: TF.Variable;
  accBeta2: TF.Variable;
  accumulatedFirstMoment: { originalName: string; variable: TF.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: TF.Variable }[];
}

/**
 * The state of an AdamOptimizer, checked: each field of INTERNALS.adamFields must be there.
 * @throws BackendError naming the first missing field
 * @example adamState(tf.train.adam()).accBeta1   // a scalar variable, beta1^t
 * @see notebooks/q12-backpropagation.ipynb
 */
export function adamState(optimizer: TF.Optimizer, where = 'ready'): AdamState {
  const o = optimizer as unknown as Record<string, unknown>;
  for (const f of INTERNALS.adamFields) {
    if (o[f] === undefined) throw missing('tfjs-core', `AdamOptimizer.${f}`, 'not a field of the optimizer', where);
  }
  return optimizer as unknown as AdamState;
}

/** Where the shipped factory is kept: on tf.train itself, so every copy of cnnlib (lib/ and lib/dist) finds it. */
const SHIPPED_ADAM = Symbol.for('cnnlib.shippedTrainAdam');

/**
 * Replace `tf.train.adam` (and so tfjs-layers' `optimizer: 'adam'`) by `factory`, or put the shipped
 * factory back when `factory` is undefined. Safe to call twice.
 * @throws BackendError when tf.train has no adam factory
 * @example replaceTrainAdam((lr, b1, b2, eps) => new FusedAdamOptimizer(lr, b1, b2, eps))
 * @see notebooks/q12-backpropagation.ipynb
 */
export function replaceTrainAdam(factory?: (...args: unknown[]) => TF.Optimizer, where = 'ready'): void {
  const train = tfjs().train as unknown as Record<string, unknown>;
  const current = train[INTERNALS.trainAdam];
  if (typeof current !== 'function') throw missing('tfjs-core', `train.${INTERNALS.trainAdam}`, `not a function (got ${typeof current})`, where);
  const store = train as unknown as Record<symbol, unknown>;
  store[SHIPPED_ADAM] ??= current;
  train[INTERNALS.trainAdam] = factory ?? store[SHIPPED_ADAM];
}
