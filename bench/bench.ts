/**
 * `make bench`: training and inference speed of the reference answers' question-1 and question-7 CNNs
 * on the backend `ready()` selects, measured as torch_reference.py, the PyTorch reference, measures
 * PyTorch (Adam, batch 32, 2,048 random 28x28x1 samples, one warm-up epoch then one timed epoch;
 * inference on all 2,048 samples in one batch after one warm-up call). Besides samples/s it reports
 * milliseconds per training step and kernels per training step (tfjs kernels run by one
 * `trainOnBatch`, counted by `tf.profile`). Prints one JSON line:
 *
 *   {"backend": "wasm", "threads": 2, "q1": {"train_samples_per_s", "infer_samples_per_s", "ms_per_step",
 *    "kernels_per_step"}, "q7": {...}, "pytorch": {"threads": 2, "q1": {..., "ops_per_step"}, ...}}
 *
 * The "pytorch" part is there when /usr/bin/python3 imports torch and the reference script is found
 * (--torch PATH, default ../shared/bench/torch_reference.py): bench/torch_steps.py runs it at the same
 * thread count. `--pairs N` alternates the two N times (tfjs, then PyTorch, ...) and reports each
 * figure as its median with "_min"/"_max" beside it, as the README's table wants.
 *
 * Progress goes to stderr. Run: `make bench [ARGS="--pairs 5"]`, or after it
 * `node build/bench-dist/bench/bench.js [--repeat N] [--pairs N] [--shipped] [--torch PATH]`
 * (--repeat: N timed runs per number, the best kept; default 1, as the reference does; --shipped: the
 * wasm kernels that cnnlib replaces are put back, to measure what the replacements gain).
 * A program on top of the library (not part of it), so it may use every room of cnnlib.
 * @see notebooks/q22-computational-challenges.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { q1Cnn, q7Cnn } from '../lib/models/seed-cnns';
import { ready } from '../lib/backend/select';
import { seed } from '../lib/random/seed';
import { bestTimeMs } from '../lib/timing/best-time';
import { registerWasmKernels } from '../lib/backend/wasm-kernels';
import { wasmThreadsInUse } from '../lib/backend/wasm-threads';
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import * as path from 'path';

/**
 * Workloads of torch_reference.py: the reference answers' Q1 and Q7 CNNs, the library's own builders.
 * (A program outside lib/, so it may use any room of it.)
 */
export const BENCH_MODELS: Record<'q1' | 'q7', () => tf.LayersModel> = {
  // Conv(32,3x3) > MaxPool2 > Conv(64,3x3) > MaxPool2 > Flatten > Dense(64) > Dense(10)
  q1: () => q1Cnn(),
  // Conv(8,3x3) > MaxPool2 > Conv(16,3x3) > MaxPool2 > Conv(32,3x3) > Flatten > Dense(10)
  q7: () => q7Cnn(),
};

export interface BenchResult {
  train_samples_per_s: number;
  infer_samples_per_s: number;
  /** Milliseconds per training step of the timed epoch (batch / samples per second). */
  ms_per_step: number;
  /** tfjs kernels one training step runs (`tf.profile` of one `trainOnBatch`). */
  kernels_per_step: number;
  /**
   * Milliseconds of the convolutions alone in one training step ({@link convMsPerStep}): a floor
   * under ms_per_step that no change outside the convolution kernels can go below.
   */
  conv_ms_per_step: number;
}

/**
 * The convolutions of one training step of `model` at batch `batch`, each timed alone (best of
 * `repeats`): per Conv2D layer its forward Conv2D, its Conv2DBackpropFilter and, except for the first
 * Conv2D (it reads the input, which needs no gradient, so tfjs computes none), its Conv2DBackpropInput. The same
 * three kernels for the same shapes as `trainOnBatch` runs, so their sum bounds a step from below.
 * @returns milliseconds, summed over the layers
 * @example convMsPerStep(q1Cnn())  // 14.2 on 2 wasm threads
 */
export function convMsPerStep(model: tf.LayersModel, batch = 32, repeats = 15): number {
  let total = 0;
  let first = true; // the reference answers' CNNs are chains: the first Conv2D reads the input
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const inShape = [batch, ...((layer.input as tf.SymbolicTensor).shape as number[]).slice(1)] as [number, number, number, number];
    const filterShape = layer.getWeights()[0].shape as [number, number, number, number];
    const conf = layer.getConfig() as { strides: [number, number]; padding: 'valid' | 'same' };
    const [x, w] = [tf.randomNormal(inShape) as tf.Tensor4D, tf.randomNormal(filterShape) as tf.Tensor4D];
    const y = tf.conv2d(x, w, conf.strides, conf.padding);
    const dy = tf.randomNormal(y.shape);
    const attrs = { strides: conf.strides, pad: conf.padding, dataFormat: 'NHWC', dimRoundingMode: undefined };
    const run = (f: () => tf.Tensor) => () => tf.tidy(f).dispose();
    total += bestTimeMs(run(() => tf.conv2d(x, w, conf.strides, conf.padding)), { repeats });
    total += bestTimeMs(run(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor), { repeats });
    if (!first) {
      total += bestTimeMs(run(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: inShape } as unknown as tf.NamedAttrMap) as tf.Tensor), { repeats });
    }
    tf.dispose([x, w, y, dy]);
    first = false;
  }
  return Math.round(total * 100) / 100;
}

/**
 * Samples per second of one workload: `model.fit` for one warm-up epoch then `repeat` timed epochs
 * (the best kept), and `predict` on all samples in one batch after one warm-up call.
 * @param build the model builder; opts.n samples (default 2048), opts.batch (default 32),
 *   opts.repeat timed runs (default 1)
 * @example await benchModel(BENCH_MODELS.q7)  // { train_samples_per_s: ..., infer_samples_per_s: ... }
 * @see notebooks/q22-computational-challenges.ipynb
 */
export async function benchModel(
  build: () => tf.LayersModel,
  opts: { n?: number; batch?: number; repeat?: number } = {},
): Promise<BenchResult> {
  const n = opts.n ?? 2048;
  const batch = opts.batch ?? 32;
  const repeat = opts.repeat ?? 1;
  seed(0);
  const model = build();
  model.compile({ optimizer: tf.train.adam(), loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([n, 28, 28, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([n], 0, 10, 'int32'), 10).toFloat());
  const epoch = async () => {
    const t = performance.now();
    await model.fit(x, y, { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 });
    return n / ((performance.now() - t) / 1000);
  };
  await epoch();
  let train = 0;
  for (let r = 0; r < repeat; r++) train = Math.max(train, await epoch());
  const infer1 = () => {
    const t = performance.now();
    const p = model.predict(x, { batchSize: n }) as tf.Tensor;
    p.dataSync();
    p.dispose();
    return n / ((performance.now() - t) / 1000);
  };
  infer1();
  let infer = 0;
  for (let r = 0; r < repeat; r++) infer = Math.max(infer, infer1());
  const xb = x.slice(0, batch);
  const yb = y.slice(0, batch);
  const profile = await tf.profile(() => model.trainOnBatch(xb, yb));
  const convMs = convMsPerStep(model, batch);
  tf.dispose([x, y, xb, yb]);
  model.dispose();
  return {
    train_samples_per_s: Math.round(train),
    infer_samples_per_s: Math.round(infer),
    ms_per_step: Math.round((100000 * batch) / train) / 100,
    kernels_per_step: profile.kernels.length,
    conv_ms_per_step: convMs,
  };
}

type Figures = Record<string, Record<string, number>>;

/** PyTorch's figures at `threads` threads, or undefined (with the reason on stderr) when it cannot run. */
function torchFigures(reference: string, threads: number): Figures | undefined {
  const script = path.join(__dirname, '..', '..', '..', 'bench', 'torch_steps.py');
  try {
    const out = execFileSync('/usr/bin/python3', [script, reference, String(threads)], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop() as string);
  } catch (e) {
    process.stderr.write(`bench: PyTorch not measured: ${String((e as Error).message).split('\n')[0]}\n`);
    return undefined;
  }
}

/** Median of each numeric figure over runs, with _min and _max beside it (a single run: the run). */
function summarize(runs: Figures[]): Figures {
  if (runs.length === 1) return runs[0];
  const out: Figures = {};
  for (const w of Object.keys(runs[0])) {
    if (typeof runs[0][w] !== 'object') continue;
    out[w] = {};
    for (const k of Object.keys(runs[0][w])) {
      const v = runs.map((r) => r[w][k]).sort((a, b) => a - b);
      const mid = v.length >> 1;
      out[w][k] = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
      out[w][`${k}_min`] = v[0];
      out[w][`${k}_max`] = v[v.length - 1];
    }
  }
  return out;
}

function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  if (v === undefined) throw new Error(`bench: ${name} needs a value`);
  return v;
}

async function main(): Promise<void> {
  const repeat = Number(argValue('--repeat', '1'));
  const pairs = Number(argValue('--pairs', '1'));
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`bench: --repeat must be a positive integer, got ${repeat}`);
  if (!Number.isInteger(pairs) || pairs < 1) throw new Error(`bench: --pairs must be a positive integer, got ${pairs}`);
  const reference = path.resolve(argValue('--torch', path.join('..', 'shared', 'bench', 'torch_reference.py')));
  const info = await ready({ quiet: true });
  const shipped = process.argv.includes('--shipped') && info.name === 'wasm';
  if (shipped) registerWasmKernels({ replace: false });
  process.stderr.write(`bench: backend ${info.description}${shipped ? ' (shipped kernels put back)' : ''}\n`);
  const threads = info.name === 'wasm' ? wasmThreadsInUse() : 1;
  const withTorch = existsSync(reference);
  if (!withTorch) process.stderr.write(`bench: PyTorch not measured: no reference script at ${reference}\n`);
  const ours: Figures[] = [];
  const theirs: Figures[] = [];
  for (let p = 0; p < pairs; p++) {
    const run: Figures = {};
    for (const name of ['q1', 'q7'] as const) {
      process.stderr.write(`bench: ${pairs > 1 ? `pair ${p + 1}/${pairs} ` : ''}${name} ...\n`);
      run[name] = { ...(await benchModel(BENCH_MODELS[name], { repeat })) };
      process.stderr.write(`bench: ${name} ${JSON.stringify(run[name])}\n`);
    }
    ours.push(run);
    if (withTorch) {
      const t = torchFigures(reference, threads);
      if (t) {
        process.stderr.write(`bench: pytorch ${JSON.stringify(t)}\n`);
        theirs.push(t);
      }
    }
  }
  const out: Record<string, unknown> = {
    backend: shipped ? 'wasm-shipped-kernels' : info.name,
    threads,
    pairs,
    ...summarize(ours),
  };
  if (theirs.length) out.pytorch = { framework: theirs[0].framework, threads, ...summarize(theirs) };
  console.log(JSON.stringify(out));
}
if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
