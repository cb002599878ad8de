/**
 * Max and average pooling over 2-D windows, forward and backward, NHWC like tf.maxPool / tf.avgPool.
 * Each channel is pooled on its own; pooling has no parameters.
 *
 *   max:  y[n, p, q, c] = max over the window of x          backward: dy goes to the argmax cell only
 *   avg:  y[n, p, q, c] = mean over the window of x         backward: dy / count goes to every cell
 *
 * Padding cells never win a max and are not counted in a mean (TensorFlow's 'same' convention), so a
 * corner window of a 'same' average pool divides by the number of real cells.
 * @see notebooks/q04-pooling.ipynb
 */
import { argError } from '../errors';
import { checkElementCount, checkOptionKeys, checkShape } from '../check';
import { checkNd, type NDArray } from './ndarray';
import { toPair, window2d, type Pair, type Padding, type Window2d } from './output-size';

/** Options of the pooling ops (Keras names). */
export interface Pool2dOptions {
  /** Step of the window; default: the pool size (non-overlapping windows, as in Keras). */
  strides?: Pair;
  /** 'valid' (default), 'same', p cells on each side, or [[top, bottom], [left, right]]. */
  padding?: Padding;
}

interface PoolGeometry extends Window2d {
  n: number;
  h: number;
  w: number;
  c: number;
  ph: number;
  pw: number;
  sh: number;
  sw: number;
}

function poolGeometry(fn: string, x: NDArray, poolSize: Pair, opts: Pool2dOptions): PoolGeometry {
  checkOptionKeys(fn, 'opts', opts, ['strides', 'padding']);
  checkNd(fn, 'x', x, 4, '[N, H, W, C]');
  const [n, h, w, c] = x.shape;
  const [ph, pw] = toPair(fn, 'poolSize', poolSize);
  const [sh, sw] = toPair(fn, 'opts.strides', opts.strides ?? [ph, pw]);
  const win = window2d(fn, [h, w], [ph, pw], [sh, sw], [1, 1], opts.padding ?? 'valid', { kernel: 'poolSize', padding: 'opts.padding' });
  // A window made only of padding would have no maximum and no mean.
  if (Math.max(win.top, win.bottom) >= ph || Math.max(win.left, win.right) >= pw) {
    argError(fn, 'opts.padding', `must be smaller than the pool size [${ph}, ${pw}] on every side`, opts.padding);
  }
  checkElementCount(fn, 'output', n * win.outHeight * win.outWidth * c, `[${n}, ${win.outHeight}, ${win.outWidth}, ${c}]`);
  return { ...win, n, h, w, c, ph, pw, sh, sw };
}

/**
 * Call `visit(yIndex, cells)` for every output element, with the flat x indices of the real
 * (non-padding) cells of its window, in row-major window order.
 */
function forEachWindow(g: PoolGeometry, visit: (yIndex: number, cells: number[]) => void): void {
  const cells: number[] = [];
  for (let b = 0; b < g.n; b++) {
    for (let p = 0; p < g.outHeight; p++) {
      for (let q = 0; q < g.outWidth; q++) {
        for (let ch = 0; ch < g.c; ch++) {
          cells.length = 0;
          for (let i = 0; i < g.ph; i++) {
            const r = p * g.sh - g.top + i;
            if (r < 0 || r >= g.h) continue;
            for (let j = 0; j < g.pw; j++) {
              const s = q * g.sw - g.left + j;
              if (s >= 0 && s < g.w) cells.push(((b * g.h + r) * g.w + s) * g.c + ch);
            }
          }
          visit(((b * g.outHeight + p) * g.outWidth + q) * g.c + ch, cells);
        }
      }
    }
  }
}

const outShape = (g: PoolGeometry) => [g.n, g.outHeight, g.outWidth, g.c];

/** Output of {@link maxPool2dWithArgmax}. */
export interface MaxPoolResult {
  /** the pooled values [N, outH, outW, C] */
  y: NDArray;
  /** for each output element, the flat index into x.data of the cell that won (the first maximum) */
  argmax: Int32Array;
}

/**
 * Max pooling that also returns where each maximum came from (what the backward pass needs).
 * @param x input [N, H, W, C]
 * @param poolSize window, one number or [ph, pw]
 * @param opts strides (default poolSize), padding ('valid')
 * @returns { y [N, outH, outW, C], argmax } with ties going to the first cell in row-major window order
 * @throws ArgError on a wrong rank, a non-positive or fractional size, a window larger than the padded
 *   input, an output of more than MAX_ELEMENTS (2^28) values, an unknown option, or NaN in x
 * @example maxPool2dWithArgmax(x, 2).argmax
 * @see notebooks/q04-pooling.ipynb
 */
export function maxPool2dWithArgmax(x: NDArray, poolSize: Pair, opts: Pool2dOptions = {}): MaxPoolResult {
  return maxPoolAs('maxPool2dWithArgmax', x, poolSize, opts);
}

function maxPoolAs(fn: string, x: NDArray, poolSize: Pair, opts: Pool2dOptions): MaxPoolResult {
  const g = poolGeometry(fn, x, poolSize, opts);
  const y = new Float32Array(g.n * g.outHeight * g.outWidth * g.c);
  const argmax = new Int32Array(y.length);
  forEachWindow(g, (yi, cells) => {
    // window2d guarantees every window holds at least one real cell
    let best = cells[0];
    for (const k of cells) if (x.data[k] > x.data[best]) best = k;
    y[yi] = x.data[best];
    argmax[yi] = best;
  });
  return { y: { shape: outShape(g), data: y }, argmax };
}

/**
 * Max pooling (tf.maxPool, Keras MaxPooling2D).
 * @param x input [N, H, W, C]
 * @param poolSize window, one number or [ph, pw]
 * @param opts strides (default poolSize), padding ('valid')
 * @returns [N, outH, outW, C]
 * @throws ArgError on a wrong rank, a non-positive or fractional size, a window larger than the padded
 *   input, an output of more than MAX_ELEMENTS (2^28) values, an unknown option, or NaN in x
 * @example maxPool2d(ndarray(featureMap, [1, 6, 6, 1]), 2)  // [1, 3, 3, 1]
 * @see notebooks/q04-pooling.ipynb
 */
export function maxPool2d(x: NDArray, poolSize: Pair, opts: Pool2dOptions = {}): NDArray {
  return maxPoolAs('maxPool2d', x, poolSize, opts).y;
}

/**
 * Average pooling (tf.avgPool, Keras AveragePooling2D); padding cells are not counted.
 * @param x input [N, H, W, C]
 * @param poolSize window, one number or [ph, pw]
 * @param opts strides (default poolSize), padding ('valid')
 * @returns [N, outH, outW, C]
 * @throws ArgError as {@link maxPool2d}
 * @example avgPool2d(ndarray(featureMap, [1, 6, 6, 1]), 2)  // [1, 3, 3, 1]
 * @see notebooks/q04-pooling.ipynb
 */
export function avgPool2d(x: NDArray, poolSize: Pair, opts: Pool2dOptions = {}): NDArray {
  const g = poolGeometry('avgPool2d', x, poolSize, opts);
  const y = new Float32Array(g.n * g.outHeight * g.outWidth * g.c);
  forEachWindow(g, (yi, cells) => {
    let s = 0;
    for (const k of cells) s += x.data[k];
    y[yi] = s / cells.length;
  });
  return { shape: outShape(g), data: y };
}

/**
 * Backward pass of {@link maxPool2d}: each dy goes to the cell that was the maximum of its window;
 * every other cell gets zero (overlapping windows can send several dy to the same cell, they add).
 * @param x the forward input [N, H, W, C]
 * @param dy upstream gradient [N, outH, outW, C]
 * @returns dx [N, H, W, C]
 * @throws ArgError as {@link maxPool2d}, and when dy does not have the output shape
 * @example maxPool2dBackward(x, dy, 2)
 * @see notebooks/q04-pooling.ipynb
 */
export function maxPool2dBackward(x: NDArray, dy: NDArray, poolSize: Pair, opts: Pool2dOptions = {}): NDArray {
  const fn = 'maxPool2dBackward';
  const { y, argmax } = maxPoolAs(fn, x, poolSize, opts);
  checkNd(fn, 'dy', dy, 4, '[N, outH, outW, C]');
  checkShape(fn, 'dy', dy.shape, y.shape);
  const dx = new Float64Array(x.data.length);
  for (let k = 0; k < argmax.length; k++) dx[argmax[k]] += dy.data[k];
  return { shape: [...x.shape], data: Float32Array.from(dx) };
}

/**
 * Backward pass of {@link avgPool2d}: each dy is split equally over the real cells of its window.
 * @param x the forward input [N, H, W, C] (only its shape matters, but passing it keeps the signature
 *   parallel to {@link maxPool2dBackward})
 * @param dy upstream gradient [N, outH, outW, C]
 * @returns dx [N, H, W, C]
 * @throws ArgError as {@link avgPool2d}, and when dy does not have the output shape
 * @example avgPool2dBackward(x, dy, 2)
 * @see notebooks/q04-pooling.ipynb
 */
export function avgPool2dBackward(x: NDArray, dy: NDArray, poolSize: Pair, opts: Pool2dOptions = {}): NDArray {
  const fn = 'avgPool2dBackward';
  const g = poolGeometry(fn, x, poolSize, opts);
  checkNd(fn, 'dy', dy, 4, '[N, outH, outW, C]');
  checkShape(fn, 'dy', dy.shape, outShape(g));
  const dx = new Float64Array(x.data.length);
  forEachWindow(g, (yi, cells) => {
    const share = dy.data[yi] / cells.length;
    for (const k of cells) dx[k] += share;
  });
  return { shape: [...x.shape], data: Float32Array.from(dx) };
}
