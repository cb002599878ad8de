/**
 * One Adam step of one variable as a single wasm kernel, `CnnAdamUpdate` (tfjs has no fused
 * optimizer kernel: its AdamOptimizer runs 13 small kernels per variable, about 116 of the 252
 * kernels of a training step of the Q1 CNN). Inputs x (the variable), g (its gradient), m and v
 * (Adam's moments), all float32 of one shape; attrs learningRate, beta1, beta2, epsilon and the
 * running powers accBeta1 = beta1^t, accBeta2 = beta2^t. Outputs [x', m', v'], computed as tfjs's
 * AdamOptimizer computes them (Kingma and Ba 2015, algorithm 1, with epsilon added to sqrt(v-hat)):
 *
 *   m' = beta1 m + (1 - beta1) g          v' = beta2 v + (1 - beta2) g^2
 *   x' = x - lr (m' / (1 - accBeta1)) / (sqrt(v' / (1 - accBeta2)) + epsilon)
 *
 * One loop over the wasm heap (on cpu, over the backend's arrays); float32 storage, each product
 * rounded as tfjs's kernels round it.
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { heapArray, makeOutput, type KernelBackend, type TensorInfo } from './compose';

/** The kernel's name; registered for 'wasm' and 'cpu' by registerWasmKernels. */
export const ADAM_UPDATE = 'CnnAdamUpdate';

export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: number;
  accBeta2: number;
}

/** The update loop on plain arrays (the wasm kernel runs it on heap views; tests on their own arrays). */
export function adamUpdateLoop(
  x: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  out: { x: Float32Array; m: Float32Array; v: Float32Array },
  a: AdamUpdateAttrs,
): void {
  const f = Math.fround;
  const b1 = f(a.beta1);
  const b2 = f(a.beta2);
  const c1 = f(1 - a.beta1);
  const c2 = f(1 - a.beta2);
  const d1 = f(1 - f(a.accBeta1));
  const d2 = f(1 - f(a.accBeta2));
  const eps = f(a.epsilon);
  const step = f(-a.learningRate);
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = f(f(m[i] * b1) + f(gi * c1));
    const vi = f(f(v[i] * b2) + f(f(gi * gi) * c2));
    out.m[i] = mi;
    out.v[i] = vi;
    out.x[i] = f(f(f(f(mi / d1) / f(f(Math.sqrt(f(vi / d2))) + eps)) * step) + x[i]);
  }
}

export function adamUpdateWasm(args: {
  inputs: { x: TensorInfo; g: TensorInfo; m: TensorInfo; v: TensorInfo };
  backend: KernelBackend;
  attrs: AdamUpdateAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, g, m, v } = inputs;
  // Allocate first: a heap that grows detaches views taken before.
  const x2 = makeOutput(backend, x.shape, 'float32');
  const m2 = makeOutput(backend, x.shape, 'float32');
  const v2 = makeOutput(backend, x.shape, 'float32');
  const view = (t: TensorInfo) => heapArray(backend, t) as Float32Array;
  adamUpdateLoop(view(x), view(g), view(m), view(v), { x: view(x2), m: view(m2), v: view(v2) }, attrs);
  return [x2, m2, v2];
}

/** The same kernel for the cpu backend (plain arrays read and written through the backend's public calls). */
export function adamUpdateCpu(args: {
  inputs: { x: TensorInfo; g: TensorInfo; m: TensorInfo; v: TensorInfo };
  backend: KernelBackend;
  attrs: AdamUpdateAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const read = (t: TensorInfo) => backend.readSync(t.dataId) as Float32Array;
  const n = tf.util.sizeFromShape(inputs.x.shape);
  const out = { x: new Float32Array(n), m: new Float32Array(n), v: new Float32Array(n) };
  adamUpdateLoop(read(inputs.x), read(inputs.g), read(inputs.m), read(inputs.v), out, attrs);
  const cpu = backend as unknown as { makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): TensorInfo };
  return [cpu.makeTensorInfo(inputs.x.shape, 'float32', out.x), cpu.makeTensorInfo(inputs.x.shape, 'float32', out.m), cpu.makeTensorInfo(inputs.x.shape, 'float32', out.v)];
}

/** Whether the fused kernel can run this variable's step (same shape, all float32). */
export function adamUpdateApplies(x: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor): boolean {
  const same = (t: tf.Tensor) => t.dtype === 'float32' && tf.util.arraysEqual(t.shape, x.shape);
  return same(g) && same(m) && same(v);
}
