/**
 * Output size of a sliding window (convolution or pooling) and the padding TensorFlow.js applies,
 * along one axis and for a 2-D window. Every conv and pool op of lib/ops resolves its geometry here.
 *
 * Conventions (those of TensorFlow.js and Keras):
 * - dilated kernel extent: k_eff = (k - 1) * d + 1
 * - 'valid': no padding, out = floor((in - k_eff) / s) + 1
 * - 'same': out = ceil(in / s); total padding max(0, (out - 1) * s + k_eff - in), the smaller half on
 *   top/left (TensorFlow puts the odd cell at the bottom/right)
 * - explicit: p cells on each side (a number) or [before, after], out = floor((in + before + after - k_eff) / s) + 1
 * @see notebooks/q11-stride.ipynb
 */
import { argError } from '../errors';
import { checkNonNegativeInt, checkOptionKeys, checkPositiveInt } from '../check';

/** Padding of a 2-D window op: 'valid', 'same', p cells on every side, or [[top, bottom], [left, right]]. */
export type Padding = 'valid' | 'same' | number | readonly [readonly [number, number], readonly [number, number]];

/** Padding along one axis: 'valid', 'same', p cells on each side, or [before, after]. */
export type AxisPadding = 'valid' | 'same' | number | readonly [number, number];

/** A size or stride given once for both axes, or as [height, width]. */
export type Pair = number | readonly [number, number];

/** Geometry of a window along one axis. */
export interface AxisWindow {
  out: number;
  before: number;
  after: number;
}

/** Geometry of a 2-D window: output size and the padding on each side. */
export interface Window2d {
  outHeight: number;
  outWidth: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Parse `number | [h, w]` of positive integers. @internal */
export function toPair(fn: string, arg: string, v: Pair): [number, number] {
  if (typeof v === 'number') {
    checkPositiveInt(fn, arg, v);
    return [v, v];
  }
  if (!Array.isArray(v) || v.length !== 2) argError(fn, arg, 'must be a positive integer or [height, width]', v);
  return [checkPositiveInt(fn, `${arg}[0]`, v[0]), checkPositiveInt(fn, `${arg}[1]`, v[1])];
}

function resolveAxisPadding(fn: string, arg: string, padding: AxisPadding): 'same' | [number, number] {
  if (padding === 'same') return 'same';
  if (padding === 'valid') return [0, 0];
  if (typeof padding === 'number') {
    checkNonNegativeInt(fn, arg, padding);
    return [padding, padding];
  }
  if (Array.isArray(padding) && padding.length === 2) {
    return [checkNonNegativeInt(fn, `${arg}[0]`, padding[0]), checkNonNegativeInt(fn, `${arg}[1]`, padding[1])];
  }
  return argError(fn, arg, "must be 'valid', 'same', a non-negative integer or [before, after]", padding);
}

function axisWindow(inSize: number, k: number, s: number, d: number, pad: 'same' | [number, number]): AxisWindow & { padded: number; keff: number } {
  const keff = (k - 1) * d + 1;
  if (pad === 'same') {
    const out = Math.ceil(inSize / s);
    const total = Math.max(0, (out - 1) * s + keff - inSize);
    const before = Math.floor(total / 2);
    return { out, before, after: total - before, padded: inSize + total, keff };
  }
  const padded = inSize + pad[0] + pad[1];
  return { out: Math.floor((padded - keff) / s) + 1, before: pad[0], after: pad[1], padded, keff };
}

/**
 * Output length along one axis of a window op whose arguments are already validated, with null (an
 * unknown length in a symbolic shape) passed through; no check that the window fits. The arithmetic of
 * tfjs-layers' `convOutputLength`, for the layers of lib/layers.
 * @internal
 */
export function axisOutputLength(
  inSize: number | null,
  kernelSize: number,
  strides: number,
  padding: 'valid' | 'same',
  dilations = 1,
): number | null {
  if (inSize === null) return null;
  return axisWindow(inSize, kernelSize, strides, dilations, padding === 'same' ? 'same' : [0, 0]).out;
}

/**
 * Output height and width of a 2-D window layer on an NHWC input shape whose arguments are already
 * validated (null, an unknown size, passes through), checked: with 'valid' padding the (dilated) kernel
 * must fit a known input. The layers of lib/layers call it from both `build` and `computeOutputShape`, so a
 * kernel of 30 on a 20x20 map is an error when the layer is applied, not a negative or empty output.
 * @internal
 * @throws ArgError `fn: kernelSize must be no larger than the input [20, 20] with 'valid' padding, got [30, 30]`
 */
export function layerWindowOutput(
  fn: string,
  inputShape: readonly (number | null)[],
  kernelSize: readonly [number, number],
  strides: readonly [number, number],
  padding: 'valid' | 'same',
  dilations: readonly [number, number] = [1, 1],
): [number | null, number | null] {
  const [h, w] = [inputShape[1] ?? null, inputShape[2] ?? null];
  if (padding === 'valid') {
    const keff = [0, 1].map((a) => (kernelSize[a] - 1) * dilations[a] + 1);
    if ((h !== null && keff[0] > h) || (w !== null && keff[1] > w)) {
      const dilated = dilations[0] > 1 || dilations[1] > 1;
      argError(fn, dilated ? 'kernelSize (dilated)' : 'kernelSize', `must be no larger than the input [${h}, ${w}] with 'valid' padding`, keff);
    }
  }
  return [
    axisOutputLength(h, kernelSize[0], strides[0], padding, dilations[0]),
    axisOutputLength(w, kernelSize[1], strides[1], padding, dilations[1]),
  ];
}

/**
 * Output size of a convolution or pooling window along one axis.
 * @param inputSize length of the axis, >= 1
 * @param kernelSize window length, >= 1
 * @param opts.strides default 1; opts.padding 'valid' (default), 'same', a number of cells on each side, or
 *   [before, after]; opts.dilations default 1 (the window then spans (kernelSize - 1) * dilations + 1 cells).
 *   The names are those of tf.conv2d's arguments, here for one axis.
 * @returns floor((inputSize - kernelSize + 2 * pad) / strides) + 1, or ceil(inputSize / strides) for 'same'
 * @throws ArgError when a size is not a positive integer, the window does not fit, or opts has another key
 *   (`stride` is not `strides`)
 * @example convOutputSize(28, 3, { strides: 2 })  // 13
 * @see notebooks/q11-stride.ipynb
 */
export function convOutputSize(
  inputSize: number,
  kernelSize: number,
  opts: { strides?: number; padding?: AxisPadding; dilations?: number } = {},
): number {
  const fn = 'convOutputSize';
  checkPositiveInt(fn, 'inputSize', inputSize);
  checkPositiveInt(fn, 'kernelSize', kernelSize);
  checkOptionKeys(fn, 'opts', opts, ['strides', 'padding', 'dilations']);
  const s = checkPositiveInt(fn, 'opts.strides', opts.strides ?? 1);
  const d = checkPositiveInt(fn, 'opts.dilations', opts.dilations ?? 1);
  const pad = resolveAxisPadding(fn, 'opts.padding', opts.padding ?? 'valid');
  const w = axisWindow(inputSize, kernelSize, s, d, pad);
  if (w.keff > w.padded) {
    argError(fn, d > 1 ? 'kernelSize (dilated)' : 'kernelSize', `must be no larger than the padded input ${w.padded}`, w.keff);
  }
  return w.out;
}

/**
 * Resolve the geometry of a 2-D window op (conv2d, pooling) once its arguments are validated.
 * @internal
 * @throws ArgError on bad padding or when the (dilated) kernel exceeds the padded input
 */
export function window2d(
  fn: string,
  inSize: readonly [number, number],
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number],
  padding: Padding,
  labels: { kernel: string; padding: string } = { kernel: 'kernel', padding: 'opts.padding' },
): Window2d {
  let ph: 'same' | [number, number];
  let pw: 'same' | [number, number];
  if (padding === 'same' || padding === 'valid' || typeof padding === 'number') {
    ph = resolveAxisPadding(fn, labels.padding, padding);
    pw = ph;
  } else if (Array.isArray(padding) && padding.length === 2 && Array.isArray(padding[0]) && Array.isArray(padding[1])) {
    ph = resolveAxisPadding(fn, `${labels.padding}[0]`, padding[0]);
    pw = resolveAxisPadding(fn, `${labels.padding}[1]`, padding[1]);
  } else {
    return argError(fn, labels.padding, "must be 'valid', 'same', a non-negative integer or [[top, bottom], [left, right]]", padding);
  }
  const h = axisWindow(inSize[0], kernel[0], strides[0], dilations[0], ph);
  const w = axisWindow(inSize[1], kernel[1], strides[1], dilations[1], pw);
  if (h.keff > h.padded || w.keff > w.padded) {
    const dilated = dilations[0] > 1 || dilations[1] > 1;
    argError(fn, dilated ? `${labels.kernel} (dilated)` : labels.kernel, `must be no larger than the padded input [${h.padded}, ${w.padded}]`, [h.keff, w.keff]);
  }
  return { outHeight: h.out, outWidth: w.out, top: h.before, bottom: h.after, left: w.before, right: w.after };
}
