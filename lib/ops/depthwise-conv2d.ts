/**
 * Depthwise 2-D convolution (tf.depthwiseConv2d): every input channel gets its own `multiplier`
 * filters and channels never mix. It is the grouped convolution with groups = Cin: the filter
 * [kh, kw, Cin, m] read as [kh, kw, 1, Cin * m] is, element for element, the same memory, and output
 * channel c * m + k is filter k of channel c in both.
 * @see notebooks/q05-depth.ipynb
 */
import { argError } from '../errors';
import { checkOptionKeys } from '../check';
import { checkNd, type NDArray } from './ndarray';
import { convBackward, convForward, type Conv2dGrads } from './conv2d';
import type { Pair, Padding } from './output-size';

/** Options of {@link depthwiseConv2d} (tf.depthwiseConv2d names). */
export interface DepthwiseConv2dOptions {
  /** Step of the window, one number or [sh, sw]; default 1. */
  strides?: Pair;
  /** 'valid' (default), 'same', p cells on each side, or [[top, bottom], [left, right]]. */
  padding?: Padding;
  /** Spacing between kernel taps; default 1. */
  dilations?: Pair;
  /** One value per output channel (Cin * multiplier); default none. */
  bias?: ArrayLike<number>;
}

function asGrouped(fn: string, x: NDArray, w: NDArray, opts: DepthwiseConv2dOptions): NDArray {
  // Checked here: the spread into conv2d's options below would turn null into {} and a string into keys.
  checkOptionKeys(fn, 'opts', opts, ['strides', 'padding', 'dilations', 'bias']);
  checkNd(fn, 'x', x, 4, '[N, H, W, C]');
  checkNd(fn, 'w', w, 4, '[kh, kw, C, multiplier]');
  const cin = x.shape[3];
  if (w.shape[2] !== cin) argError(fn, 'w.shape[2]', `must equal the input channels ${cin} (x is [${x.shape.join(', ')}])`, w.shape[2]);
  return { shape: [w.shape[0], w.shape[1], 1, cin * w.shape[3]], data: w.data };
}

/**
 * Depthwise convolution: channel c of x is convolved with w[:, :, c, k] for k < multiplier.
 * @param x input [N, H, W, C]
 * @param w filters [kh, kw, C, multiplier]
 * @returns [N, outH, outW, C * multiplier]; output channel c * multiplier + k
 * @throws ArgError on a wrong rank, w.shape[2] != C, bad strides/dilations/padding, a kernel larger than
 *   the padded input, or NaN in the data
 * @example depthwiseConv2d(ndRandom([1, 8, 8, 3]), ndRandom([3, 3, 3, 2]), { padding: 'same' })  // [1, 8, 8, 6]
 * @see notebooks/q05-depth.ipynb
 */
export function depthwiseConv2d(x: NDArray, w: NDArray, opts: DepthwiseConv2dOptions = {}): NDArray {
  const fn = 'depthwiseConv2d';
  return convForward(fn, x, asGrouped(fn, x, w, opts), { ...opts, groups: x.shape[3] });
}

/**
 * Backward pass of {@link depthwiseConv2d}.
 * @param dy upstream gradient [N, outH, outW, C * multiplier]
 * @returns { dx [N, H, W, C], dw [kh, kw, C, multiplier], db [C * multiplier] }
 * @throws ArgError as {@link depthwiseConv2d}, and when dy does not have the output shape
 * @example const { dw } = depthwiseConv2dBackward(x, w, dy);
 * @see notebooks/q05-depth.ipynb
 */
export function depthwiseConv2dBackward(x: NDArray, w: NDArray, dy: NDArray, opts: DepthwiseConv2dOptions = {}): Conv2dGrads {
  const fn = 'depthwiseConv2dBackward';
  const g = convBackward(fn, x, asGrouped(fn, x, w, opts), dy, { ...opts, groups: x.shape[3] });
  return { dx: g.dx, dw: { shape: [...w.shape], data: g.dw.data }, db: g.db };
}
