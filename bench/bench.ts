/**
 * `make bench`: training and inference speed of the seed's question-1 and question-7 CNNs on the
 * backend `ready()` selects, measured as torch_reference.py, the PyTorch reference, measures PyTorch
 * (Adam, batch 32, 2,048 random 28x28x1 samples, one warm-up epoch then one timed epoch; inference
 * on all 2,048 samples in one batch after one warm-up call). Prints one JSON line of the same shape:
 *
 *   {"backend": "wasm", "threads": 2, "q1": {"train_samples_per_s": ..., "infer_samples_per_s": ...}, "q7": {...}}
 *
 * Progress goes to stderr. Run: `make bench`, or after it `node build/bench-dist/bench/bench.js [--repeat N] [--shipped]`
 * (N timed runs per number, the best kept; default 1, as the reference does; --shipped: the wasm
 * kernels that cnnlib replaces are put back, to measure what the replacements gain).
 * A program on top of the library (not part of it), so it may use every room of cnnlib.
 * @see notebooks/q22-computational-challenges.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { q1Cnn, q7Cnn } from '../lib/models/seed-cnns';
import { ready } from '../lib/backend/select';
import { seed } from '../lib/random/seed';
import { registerWasmKernels } from '../lib/backend/wasm-kernels';
import { wasmThreadsInUse } from '../lib/backend/wasm-threads';

/**
 * Workloads of torch_reference.py: the seed's Q1 and Q7 CNNs, the library's own builders.
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
  tf.dispose([x, y]);
  model.dispose();
  return { train_samples_per_s: Math.round(train), infer_samples_per_s: Math.round(infer) };
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--repeat');
  const repeat = i >= 0 ? Number(process.argv[i + 1]) : 1;
  const info = await ready({ quiet: true });
  const shipped = process.argv.includes('--shipped') && info.name === 'wasm';
  if (shipped) registerWasmKernels({ replace: false });
  process.stderr.write(`bench: backend ${info.description}${shipped ? ' (shipped kernels put back)' : ''}\n`);
  const threads = info.name === 'wasm' ? wasmThreadsInUse() : undefined;
  const out: Record<string, unknown> = { backend: shipped ? 'wasm-shipped-kernels' : info.name, threads };
  for (const name of ['q1', 'q7'] as const) {
    process.stderr.write(`bench: ${name} ...\n`);
    out[name] = await benchModel(BENCH_MODELS[name], { repeat });
    process.stderr.write(`bench: ${name} ${JSON.stringify(out[name])}\n`);
  }
  console.log(JSON.stringify(out));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
