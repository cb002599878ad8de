/**
 * Reading the inputs of the figure builders: a tf.Tensor, a `{ values, shape }` pair or nested
 * number arrays all become one flat array plus its shape, checked once at the builder's entry.
 * Internal to lib/viz (not exported from the barrel).
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkString } from '../check';

/** Plain values with their shape, row-major (NHWC for images). */
export interface ArrayND {
  values: ArrayLike<number>;
  shape: readonly number[];
}

/** An ops-style array (lib/ops NDArray): flat `data` plus `shape`. */
export interface DataND {
  data: ArrayLike<number>;
  shape: readonly number[];
}

/** What the builders accept for a tensor-shaped argument. */
export type TensorLike = tf.Tensor | ArrayND | DataND | number[] | number[][] | number[][][];

/** A read tensor: flat values and shape. */
export interface Read {
  values: ArrayLike<number>;
  shape: number[];
}

function nestedShape(a: unknown): number[] {
  const shape: number[] = [];
  let cur = a;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/**
 * Flatten a tensor-like argument; throws ArgError naming `fn` and `arg` when it is none, when it is empty,
 * or when a value is not finite (a NaN would be drawn as nothing, silently).
 */
export function readTensor(fn: string, arg: string, t: TensorLike): Read {
  const r = readAny(fn, arg, t);
  if (r.values.length === 0) argError(fn, arg, 'must not be empty', r.shape);
  for (let i = 0; i < r.values.length; i++) {
    if (!Number.isFinite(r.values[i])) argError(fn, arg, `must contain only finite numbers (index ${i})`, r.values[i]);
  }
  return r;
}

function readAny(fn: string, arg: string, t: TensorLike): Read {
  if (t instanceof tf.Tensor) {
    if (t.isDisposed) argError(fn, arg, 'must not be a disposed tensor', t.shape);
    return { values: t.dataSync() as ArrayLike<number>, shape: t.shape.slice() };
  }
  if (Array.isArray(t)) {
    const shape = nestedShape(t);
    const flat = (t as unknown[]).flat(shape.length) as unknown[];
    const size = shape.reduce((a, b) => a * b, 1);
    if (flat.length !== size || flat.some((v) => typeof v !== 'number')) {
      argError(fn, arg, 'must be a rectangular array of numbers', shape);
    }
    return { values: flat as number[], shape };
  }
  if (t && typeof t === 'object' && 'shape' in t && ('values' in t || 'data' in t)) {
    const values = 'values' in t ? t.values : t.data;
    const key = 'values' in t ? 'values' : 'data';
    if (!Array.isArray(t.shape) || t.shape.some((d) => !Number.isInteger(d) || d < 0)) argError(fn, `${arg}.shape`, 'must be a list of non-negative integers', t.shape);
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (!values || typeof values.length !== 'number') argError(fn, `${arg}.${key}`, 'must be an array of numbers', values);
    if (values.length !== size) argError(fn, `${arg}.${key}`, `must have ${size} entries for shape [${t.shape.join(', ')}]`, values.length);
    return { values, shape: t.shape.slice() };
  }
  return argError(fn, arg, 'must be a tf.Tensor, { values, shape }, { data, shape } or a nested number array', t);
}

/**
 * Read an image or map as [H, W] or [H, W, C], dropping a leading batch axis of size 1.
 * @param channels allowed channel counts for rank 3 (e.g. [1] or [1, 3])
 */
export function readImage(fn: string, arg: string, t: TensorLike, channels: readonly number[] = [1]): Read & { h: number; w: number; c: number } {
  const r = readTensor(fn, arg, t);
  let shape = r.shape;
  if (shape.length === 4 && shape[0] === 1) shape = shape.slice(1);
  if (shape.length === 2) shape = [...shape, 1];
  if (shape.length !== 3 || !channels.includes(shape[2])) {
    argError(fn, arg, `must have shape [H, W] or [H, W, C] with C in {${channels.join(', ')}}`, r.shape);
  }
  const [h, w, c] = shape;
  if (h < 1 || w < 1) argError(fn, arg, 'must not be empty', r.shape);
  return { values: r.values, shape, h, w, c };
}

/** An optional text option (a title, a color scheme name): a string, or `fallback` when absent. */
export function optionalText(fn: string, arg: string, value: unknown, fallback: string): string;
export function optionalText(fn: string, arg: string, value: unknown): string | undefined;
export function optionalText(fn: string, arg: string, value: unknown, fallback?: string): string | undefined {
  return value === undefined ? fallback : checkString(fn, arg, value);
}

/** An optional list of names: strings, `n` of them (`rule` is the message when the count is wrong). */
export function optionalNames(fn: string, arg: string, value: unknown, n: number, rule: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) argError(fn, arg, 'must be an array of strings', value);
  value.forEach((v, i) => checkString(fn, `${arg}[${i}]`, v));
  if (value.length !== n) argError(fn, arg, rule, value.length);
  return value as string[];
}

/** Largest absolute finite value, or 1 when there is none (a symmetric color domain must not be empty). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m > 0 ? m : 1;
}

/** Round for display in captions and inline data (keeps specs small). */
export function round(v: number, digits = 4): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const p = Math.pow(10, Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(v)))));
  return Number.isFinite(p) ? Math.round(v * p) / p : v;
}
