/**
 * 2-D convolution written out as loops, forward and backward, NHWC like tf.conv2d.
 *
 * Forward (cross-correlation, as every deep-learning library computes it):
 *   y[n, p, q, o] = b[o] + sum_{i, j, c} x[n, p*sh - top + i*dh, q*sw - left + j*dw, g*Cg + c] * w[i, j, c, o]
 * where g = floor(o / (Cout / groups)) is the group of output channel o and Cg = Cin / groups.
 * Backward: every product above sends its upstream gradient dy[n, p, q, o] to both factors,
 *   dx[.. input cell ..] += dy * w[i, j, c, o],   dw[i, j, c, o] += dy * x[.. input cell ..],   db[o] += dy
 * so dw sums over every position the filter visited (parameter sharing) and dx gathers, for each input
 * cell, every output whose window covered it.
 * @see notebooks/q03-convolution-operation.ipynb
 */
import { argError } from '../errors';
import { checkAllFinite, checkElementCount, checkOptionKeys, checkPositiveInt, checkShape } from '../check';
import { checkNd, type NDArray } from './ndarray';
import { toPair, window2d, type Pair, type Padding, type Window2d } from './output-size';

/** Options of {@link conv2d} and {@link conv2dBackward} (tf.conv2d names). */
export interface Conv2dOptions {
  /** Step of the window, one number or [sh, sw]; default 1. */
  strides?: Pair;
  /** 'valid' (default), 'same', p cells on each side, or [[top, bottom], [left, right]]. */
  padding?: Padding;
  /** Spacing between kernel taps, one number or [dh, dw]; default 1 (a dense kernel). */
  dilations?: Pair;
  /** Split channels into this many independent convolutions; default 1. Must divide Cin and Cout. */
  groups?: number;
  /** One value per output channel, added after the sum; default none. */
  bias?: ArrayLike<number>;
}

/** Everything a conv loop needs, resolved and validated once. @internal */
export interface ConvGeometry extends Window2d {
  n: number;
  h: number;
  w: number;
  cin: number;
  kh: number;
  kw: number;
  cout: number;
  groups: number;
  cinPerGroup: number;
  coutPerGroup: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
}

/** Validate x, w and the options of a convolution. @internal */
export function convGeometry(fn: string, x: NDArray, w: NDArray, opts: Conv2dOptions): ConvGeometry {
  checkOptionKeys(fn, 'opts', opts, ['strides', 'padding', 'dilations', 'groups', 'bias']);
  checkNd(fn, 'x', x, 4, '[N, H, W, C]');
  checkNd(fn, 'w', w, 4, '[kh, kw, Cin / groups, Cout]');
  const [n, h, wd, cin] = x.shape;
  const [kh, kw, wc, cout] = w.shape;
  const groups = checkPositiveInt(fn, 'opts.groups', opts.groups ?? 1);
  if (cin % groups !== 0) argError(fn, 'opts.groups', `must divide the input channels ${cin}`, groups);
  if (cout % groups !== 0) argError(fn, 'opts.groups', `must divide the output channels ${cout}`, groups);
  if (wc !== cin / groups) {
    const what = groups === 1 ? `the input channels ${cin}` : `input channels / groups = ${cin / groups}`;
    argError(fn, 'w.shape[2]', `must equal ${what} (x is [${x.shape.join(', ')}])`, wc);
  }
  const [sh, sw] = toPair(fn, 'opts.strides', opts.strides ?? 1);
  const [dh, dw] = toPair(fn, 'opts.dilations', opts.dilations ?? 1);
  const win = window2d(fn, [h, wd], [kh, kw], [sh, sw], [dh, dw], opts.padding ?? 'valid');
  if (opts.bias !== undefined) {
    checkAllFinite(fn, 'opts.bias', opts.bias);
    if (opts.bias.length !== cout) argError(fn, 'opts.bias', `must have ${cout} entries (one per output channel)`, opts.bias.length);
  }
  checkElementCount(fn, 'output', n * win.outHeight * win.outWidth * cout, `[${n}, ${win.outHeight}, ${win.outWidth}, ${cout}]`);
  return { ...win, n, h, w: wd, cin, kh, kw, cout, groups, cinPerGroup: cin / groups, coutPerGroup: cout / groups, sh, sw, dh, dw };
}

/**
 * Visit every (output position, output channel, kernel tap) of a convolution whose input cell lies
 * inside the image (padding cells contribute zero and are skipped).
 * `visit(yIndex, xBase, wBase)`: the input channels of the tap are x[xBase + c], the weights w[wBase + c * cout].
 */
function forEachTap(g: ConvGeometry, visit: (yIndex: number, xBase: number, wBase: number) => void): void {
  const { n, h, w, cin, kh, kw, cout, cinPerGroup, coutPerGroup, sh, sw, dh, dw, top, left, outHeight, outWidth } = g;
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < outHeight; p++) {
      for (let q = 0; q < outWidth; q++) {
        const yRow = ((b * outHeight + p) * outWidth + q) * cout;
        for (let o = 0; o < cout; o++) {
          const c0 = Math.floor(o / coutPerGroup) * cinPerGroup;
          for (let i = 0; i < kh; i++) {
            const r = p * sh - top + i * dh;
            if (r < 0 || r >= h) continue;
            for (let j = 0; j < kw; j++) {
              const s = q * sw - left + j * dw;
              if (s < 0 || s >= w) continue;
              visit(yRow + o, ((b * h + r) * w + s) * cin + c0, (i * kw + j) * cinPerGroup * cout + o);
            }
          }
        }
      }
    }
  }
}

/**
 * 2-D convolution of a batch of images, the loop behind tf.conv2d (plus groups and a bias).
 * @param x input [N, H, W, Cin]
 * @param w filters [kh, kw, Cin / groups, Cout]
 * @param opts strides (1), padding ('valid'), dilations (1), groups (1), bias (none); see {@link Conv2dOptions}
 * @returns [N, outH, outW, Cout] with outH = convOutputSize(H, kh, { strides, padding, dilations })
 * @throws ArgError on a wrong rank, channels that do not match w or groups, a non-positive or fractional
 *   stride/dilation/groups, a kernel larger than the padded input, an output of more than MAX_ELEMENTS
 *   (2^28) elements, an unknown option, or NaN/Infinity in x, w or bias
 * @example conv2d(ndarray(image, [1, 6, 6, 1]), ndarray(edge, [3, 3, 1, 1]))        // [1, 4, 4, 1]
 * @example conv2d(x, w, { strides: 2, padding: 1 })                                 // stride 2, one cell of zeros
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function conv2d(x: NDArray, w: NDArray, opts: Conv2dOptions = {}): NDArray {
  return convForward('conv2d', x, w, opts);
}

/** {@link conv2d} reporting errors under the name `fn`. @internal */
export function convForward(fn: string, x: NDArray, w: NDArray, opts: Conv2dOptions): NDArray {
  const g = convGeometry(fn, x, w, opts);
  const { n, outHeight, outWidth, cout, cinPerGroup } = g;
  const acc = new Float64Array(n * outHeight * outWidth * cout);
  if (opts.bias) for (let k = 0; k < acc.length; k++) acc[k] = opts.bias[k % cout];
  const xd = x.data;
  const wd = w.data;
  forEachTap(g, (yi, xb, wb) => {
    let s = 0;
    for (let c = 0; c < cinPerGroup; c++) s += xd[xb + c] * wd[wb + c * cout];
    acc[yi] += s;
  });
  return { shape: [n, outHeight, outWidth, cout], data: Float32Array.from(acc) };
}

/** Gradients of a loss with respect to the inputs of {@link conv2d}. */
export interface Conv2dGrads {
  /** dL/dx, [N, H, W, Cin]. */
  dx: NDArray;
  /** dL/dw, [kh, kw, Cin / groups, Cout]. */
  dw: NDArray;
  /** dL/db, [Cout]: dy summed over batch and positions. */
  db: NDArray;
}

/**
 * Backward pass of {@link conv2d}: given dL/dy, the gradients for x, w and the bias.
 * @param x the forward input [N, H, W, Cin]
 * @param w the forward filters [kh, kw, Cin / groups, Cout]
 * @param dy upstream gradient, the shape of conv2d's output [N, outH, outW, Cout]
 * @param opts the forward options (bias is ignored: it does not change any gradient)
 * @returns { dx, dw, db }
 * @throws ArgError as {@link conv2d}, and when dy does not have the output shape
 * @example const { dx, dw, db } = conv2dBackward(x, w, dy, { strides: 2, padding: 'same' });
 * @see notebooks/q12-backpropagation.ipynb
 */
export function conv2dBackward(x: NDArray, w: NDArray, dy: NDArray, opts: Conv2dOptions = {}): Conv2dGrads {
  return convBackward('conv2dBackward', x, w, dy, opts);
}

/** {@link conv2dBackward} reporting errors under the name `fn`. @internal */
export function convBackward(fn: string, x: NDArray, w: NDArray, dy: NDArray, opts: Conv2dOptions): Conv2dGrads {
  const g = convGeometry(fn, x, w, opts);
  const { n, outHeight, outWidth, cout, cinPerGroup } = g;
  checkNd(fn, 'dy', dy, 4, '[N, outH, outW, Cout]');
  checkShape(fn, 'dy', dy.shape, [n, outHeight, outWidth, cout]);
  const dx = new Float64Array(x.data.length);
  const dw = new Float64Array(w.data.length);
  const db = new Float64Array(cout);
  const xd = x.data;
  const wd = w.data;
  const dyd = dy.data;
  for (let k = 0; k < dyd.length; k++) db[k % cout] += dyd[k];
  forEachTap(g, (yi, xb, wb) => {
    const gy = dyd[yi];
    if (gy === 0) return;
    for (let c = 0; c < cinPerGroup; c++) {
      dx[xb + c] += gy * wd[wb + c * cout];
      dw[wb + c * cout] += gy * xd[xb + c];
    }
  });
  return {
    dx: { shape: [...x.shape], data: Float32Array.from(dx) },
    dw: { shape: [...w.shape], data: Float32Array.from(dw) },
    db: { shape: [cout], data: Float32Array.from(db) },
  };
}
