// Shared helpers of the ops tests: seeded random cases, NDArray <-> tf.Tensor, finite differences.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { seededRandom } from '../../../lib/random/generator';
import { ndRandom } from '../../../lib/ops/random';
import type { NDArray } from '../../../lib/ops/ndarray';
import type { Padding } from '../../../lib/ops/output-size';

export const TOL = 1e-5;

/** A seeded integer in [lo, hi]. */
export function intIn(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

export function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

export { seededRandom, ndRandom };

export function toTf(x: NDArray): tf.Tensor {
  return tf.tensor(x.data, [...x.shape]);
}

/** Run a tf computation inside tidy and read it back as an NDArray. */
export function fromTf(f: () => tf.Tensor): NDArray {
  return tf.tidy(() => {
    const t = f();
    return { shape: [...t.shape], data: Float32Array.from(t.dataSync()) };
  });
}

/**
 * Run `f` on tfjs's cpu backend (its reference kernels), then return to the backend that was active.
 * Needed where tfjs-backend-wasm 4.22 is wrong: its conv2d with padding 'same' gives other numbers than
 * cpu (and than the formula) when a stride exceeds the kernel so that (out - 1) * s + k - in < 0, e.g.
 * a 2x2 kernel with stride 3 on a 6x6 input, or a 1x3 kernel with strides [2, 1].
 */
export async function onCpu<T>(f: () => T): Promise<T> {
  const before = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    return f();
  } finally {
    await tf.setBackend(before);
  }
}

/** Run a tf computation returning several tensors inside tidy; read them back and dispose them. */
export function fromTfAll(f: () => tf.Tensor[]): NDArray[] {
  const ts = tf.tidy(f);
  const out = ts.map((t) => ({ shape: [...t.shape], data: Float32Array.from(t.dataSync()) }));
  tf.dispose(ts);
  return out;
}

/** Expect equal shapes and max |a - b| <= tol. */
export function expectClose(actual: NDArray, expected: NDArray, tol = TOL): void {
  expect(actual.shape).toEqual(expected.shape);
  let m = 0;
  for (let i = 0; i < actual.data.length; i++) m = Math.max(m, Math.abs(actual.data[i] - expected.data[i]));
  expect(m).toBeLessThanOrEqual(tol);
}

/** Expect max |a - b| <= rtol * max(1, max |b|). */
export function expectRelClose(actual: NDArray, expected: NDArray, rtol: number): void {
  expect(actual.shape).toEqual(expected.shape);
  let m = 0;
  let scale = 1;
  for (let i = 0; i < actual.data.length; i++) {
    m = Math.max(m, Math.abs(actual.data[i] - expected.data[i]));
    scale = Math.max(scale, Math.abs(expected.data[i]));
  }
  expect(m / scale).toBeLessThanOrEqual(rtol);
}

/**
 * Central finite differences of f(x) = sum(op(x) * r) for every entry of x (x is copied, not changed).
 * With a linear op the central difference is exact up to float32 rounding.
 */
export function finiteDiff(x: NDArray, loss: (x: NDArray) => number, h = 1e-2): NDArray {
  const g = new Float32Array(x.data.length);
  for (let i = 0; i < x.data.length; i++) {
    const plus = { shape: x.shape, data: Float32Array.from(x.data) };
    const minus = { shape: x.shape, data: Float32Array.from(x.data) };
    plus.data[i] += h;
    minus.data[i] -= h;
    // use the float32 step actually taken
    const step = plus.data[i] - minus.data[i];
    g[i] = (loss(plus) - loss(minus)) / step;
  }
  return { shape: [...x.shape], data: g };
}

/** sum(y * r) in float64. */
export function dot(y: NDArray, r: NDArray): number {
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += y.data[i] * r.data[i];
  return s;
}

type TfPad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];
/**
 * Our padding in tf's form. A number becomes explicit [[p, p], [p, p]]: tfjs 4.22 sizes the width of a
 * numeric-pad conv with the height stride (computeOutputShape2D), wrong when the strides differ.
 */
export const tfPad = (p: Padding): TfPad =>
  typeof p === 'number' ? [[0, 0], [p, p], [p, p], [0, 0]] : Array.isArray(p) ? ([[0, 0], [...p[0]], [...p[1]], [0, 0]] as TfPad) : (p as TfPad);

