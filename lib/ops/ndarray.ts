/**
 * The tensor type of the hand-written ops: a shape and a flat row-major Float32Array, nothing more.
 * Images are NHWC like TensorFlow.js, so element [n, h, w, c] of an [N, H, W, C] array sits at
 * ((n * H + h) * W + w) * C + c. Ops accumulate in float64 (plain JS numbers) and store float32.
 * @see notebooks/q03-convolution-operation.ipynb
 */
import { argError } from '../errors';
import { checkAllFinite, checkBoolean, checkElementCount, checkOptionKeys, checkRank, type Shape } from '../check';

/** A dense array: `data.length` is the product of `shape`. */
export interface NDArray {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Nested number arrays, e.g. [[1, 2], [3, 4]]. */
export type Nested = number | readonly Nested[];

/**
 * Number of elements of a shape (1 for a scalar shape []).
 * @param shape non-negative integers (a tensor may have an axis of length 0)
 * @throws ArgError when shape is not a list of non-negative integers
 * @example shapeSize([1, 28, 28, 1])  // 784
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function shapeSize(shape: Shape): number {
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    argError('shapeSize', 'shape', 'must be a list of non-negative integers', shape);
  }
  return product(shape);
}

function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkShapeEntries(fn: string, arg: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1)) {
    argError(fn, arg, 'must be a list of positive integers', shape);
  }
  return [...(shape as number[])];
}

function inferShape(fn: string, v: Nested): number[] {
  const shape: number[] = [];
  let cur: Nested = v;
  while (Array.isArray(cur)) {
    if (cur.length === 0) argError(fn, 'values', 'must not contain empty arrays', v);
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

function flatten(fn: string, v: Nested, shape: number[], depth: number, out: number[]): void {
  if (depth === shape.length) {
    if (typeof v !== 'number') argError(fn, 'values', `must be a regular nested array of shape [${shape.join(', ')}]`, v);
    out.push(v as number);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[depth]) {
    argError(fn, 'values', `must be a regular nested array of shape [${shape.join(', ')}]`, v);
  }
  for (const e of v as readonly Nested[]) flatten(fn, e, shape, depth + 1, out);
}

/**
 * Make an {@link NDArray} from flat values and a shape, or from nested arrays (shape inferred).
 * The values are copied into a new Float32Array.
 * @param values flat values (with `shape`) or nested arrays (without)
 * @param shape positive integers whose product is `values.length`
 * @throws ArgError when the shape is not positive integers, sizes disagree, nesting is ragged,
 *   or a value is NaN or infinite
 * @example ndarray([[1, 2], [3, 4]]).shape          // [2, 2]
 * @example ndarray([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]) // NHWC image of 2x3 pixels
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function ndarray(values: ArrayLike<number> | Nested, shape?: Shape): NDArray {
  const fn = 'ndarray';
  let flat: ArrayLike<number>;
  let s: number[];
  const isList = Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView));
  if (!isList) argError(fn, 'values', 'must be an array of numbers (flat with a shape, or nested)', values);
  if (shape === undefined) {
    if (Array.isArray(values)) {
      s = inferShape(fn, values as Nested);
      const out: number[] = [];
      flatten(fn, values as Nested, s, 0, out);
      flat = out;
    } else {
      flat = values as ArrayLike<number>;
      s = [flat.length];
      if (flat.length === 0) argError(fn, 'values', 'must not be empty', flat);
    }
  } else {
    s = checkShapeEntries(fn, 'shape', shape);
    if (Array.isArray(values) && values.some((v) => typeof v !== 'number')) {
      argError(fn, 'values', 'must be flat numbers when a shape is given', values);
    }
    flat = values as ArrayLike<number>;
    if (flat.length !== product(s)) {
      argError(fn, 'values', `must have ${product(s)} entries for shape [${s.join(', ')}]`, flat.length);
    }
  }
  checkAllFinite(fn, 'values', flat);
  return { shape: s, data: Float32Array.from(flat) };
}

/**
 * An array of zeros.
 * @throws ArgError when the shape is not a list of positive integers or holds more than MAX_ELEMENTS
 *   (2^28) elements
 * @example ndZeros([1, 4, 4, 1]).data.length  // 16
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function ndZeros(shape: Shape): NDArray {
  return zerosAs('ndZeros', shape);
}

/** {@link ndZeros} reporting errors under the name `fn`. @internal */
export function zerosAs(fn: string, shape: Shape): NDArray {
  const s = checkShapeEntries(fn, 'shape', shape);
  checkElementCount(fn, 'shape', product(s), `[${s.join(', ')}]`);
  return { shape: s, data: new Float32Array(product(s)) };
}

/**
 * The same values with another shape of equal size (row-major order is kept, nothing is copied).
 * @throws ArgError when the sizes differ
 * @example ndReshape(ndarray([1, 2, 3, 4]), [2, 2])
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function ndReshape(x: NDArray, shape: Shape): NDArray {
  const fn = 'ndReshape';
  checkNd(fn, 'x', x);
  const s = checkShapeEntries(fn, 'shape', shape);
  if (product(s) !== x.data.length) {
    argError(fn, 'shape', `must have ${x.data.length} elements like x [${x.shape.join(', ')}]`, s);
  }
  return { shape: s, data: x.data };
}

/**
 * Nested plain arrays, for printing: `console.log(ndToArray(y))`.
 * @param opts.squeeze drop axes of length 1 first (default false), so a [1, 4, 4, 1] map prints as 4x4
 * @example ndToArray(ndarray([1, 2, 3, 4], [1, 2, 2, 1]), { squeeze: true })  // [[1, 2], [3, 4]]
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function ndToArray(x: NDArray, opts: { squeeze?: boolean } = {}): Nested {
  const fn = 'ndToArray';
  checkNd(fn, 'x', x);
  checkOptionKeys(fn, 'opts', opts, ['squeeze']);
  const squeeze = checkBoolean(fn, 'opts.squeeze', opts.squeeze ?? false);
  const shape = squeeze ? x.shape.filter((d) => d !== 1) : [...x.shape];
  let k = 0;
  const build = (depth: number): Nested => {
    if (depth === shape.length) return x.data[k++];
    return Array.from({ length: shape[depth] }, () => build(depth + 1));
  };
  return build(0);
}

/**
 * Largest absolute difference between two arrays of the same shape (how tests and notebooks compare
 * a hand-written op with TensorFlow.js).
 * @throws ArgError when the shapes differ
 * @example maxAbsDiff(conv2d(x, w), ndarray(tf.conv2d(...).dataSync(), shape))  // ~1e-7
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function maxAbsDiff(a: NDArray | ArrayLike<number>, b: NDArray | ArrayLike<number>): number {
  const fn = 'maxAbsDiff';
  const values = (arg: string, v: NDArray | ArrayLike<number>): ArrayLike<number> => {
    const d = v !== null && typeof v === 'object' && 'data' in v ? v.data : v;
    const isList = Array.isArray(d) || (ArrayBuffer.isView(d) && !(d instanceof DataView));
    if (!isList) argError(fn, arg, 'must be an NDArray or an array of numbers', v);
    return d as ArrayLike<number>;
  };
  const da = values('a', a);
  const db = values('b', b);
  if ('shape' in a && 'shape' in b) {
    const same = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
    if (!same) argError(fn, 'b', `must have the shape of a [${a.shape.join(', ')}]`, b.shape);
  }
  if (da.length !== db.length) argError(fn, 'b', `must have ${da.length} entries like a`, db.length);
  let m = 0;
  for (let i = 0; i < da.length; i++) {
    const d = Math.abs(da[i] - db[i]);
    if (!(d <= m)) m = d; // NaN propagates instead of hiding
  }
  return m;
}

/**
 * Validate an NDArray argument at a public entry point: a shape of positive integers, data of the
 * right length, finite values, and (optionally) a given rank.
 * @internal used by every op in lib/ops
 */
export function checkNd(fn: string, arg: string, x: NDArray, rank?: number, layout?: string): NDArray {
  if (x === null || typeof x !== 'object' || !Array.isArray(x.shape) || !(x.data instanceof Float32Array)) {
    argError(fn, arg, 'must be an NDArray { shape, data: Float32Array } (make one with ndarray())', x);
  }
  if (rank !== undefined) checkRank(fn, `${arg}.shape`, x.shape, rank, layout);
  checkShapeEntries(fn, `${arg}.shape`, x.shape);
  if (x.data.length !== product(x.shape)) {
    argError(fn, `${arg}.data`, `must have ${product(x.shape)} entries for shape [${x.shape.join(', ')}]`, x.data.length);
  }
  checkAllFinite(fn, arg, x.data);
  return x;
}
