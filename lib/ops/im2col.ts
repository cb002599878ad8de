/**
 * Convolution as one matrix product, the way fast libraries run it: im2col copies every receptive
 * field into a row, the filters become a matrix, and a single matMul does all the multiply-adds.
 *
 *   cols = im2col(x)          [N * outH * outW, kh * kw * Cin]   one row per output position
 *   W    = w reshaped         [kh * kw * Cin, Cout]              (row-major order of [kh, kw, Cin] matches)
 *   y    = cols @ W           [N * outH * outW, Cout]  ->  [N, outH, outW, Cout]
 *
 * The price is memory: each input cell is copied once per window covering it (about kh * kw / (sh * sw) times).
 * @see notebooks/q03-convolution-operation.ipynb
 */
import { argError } from '../errors';
import { checkAllFinite, checkElementCount, checkOptionKeys } from '../check';
import { checkNd, type NDArray } from './ndarray';
import { toPair, window2d, type Pair, type Padding } from './output-size';

/** Options of {@link im2col} and {@link conv2dIm2col}. */
export interface Im2colOptions {
  /** default 1 */
  strides?: Pair;
  /** 'valid' (default), 'same', p, or [[top, bottom], [left, right]]; padded cells are zeros */
  padding?: Padding;
  /** default 1 */
  dilations?: Pair;
}

/**
 * Unfold every kernel window of x into one row of a matrix.
 * @param x input [N, H, W, C]
 * @param kernelSize window size, one number or [kh, kw]
 * @returns [N * outH * outW, kh * kw * C]; row (n, p, q) in row-major order, columns ordered (i, j, c)
 * @throws ArgError on a wrong rank, bad sizes, a window larger than the padded input, a matrix of more than
 *   MAX_ELEMENTS (2^28) entries, an unknown option, or NaN in x
 * @example im2col(ndarray(image, [1, 6, 6, 1]), 3).shape  // [16, 9]
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function im2col(x: NDArray, kernelSize: Pair, opts: Im2colOptions = {}): NDArray {
  return unfold('im2col', x, kernelSize, opts);
}

function unfold(fn: string, x: NDArray, kernelSize: Pair, opts: Im2colOptions, keys = ['strides', 'padding', 'dilations']): NDArray {
  checkOptionKeys(fn, 'opts', opts, keys);
  checkNd(fn, 'x', x, 4, '[N, H, W, C]');
  const [n, h, w, c] = x.shape;
  const [kh, kw] = toPair(fn, 'kernelSize', kernelSize);
  const [sh, sw] = toPair(fn, 'opts.strides', opts.strides ?? 1);
  const [dh, dw] = toPair(fn, 'opts.dilations', opts.dilations ?? 1);
  const { outHeight, outWidth, top, left } = window2d(fn, [h, w], [kh, kw], [sh, sw], [dh, dw], opts.padding ?? 'valid', { kernel: 'kernelSize', padding: 'opts.padding' });
  const cols = kh * kw * c;
  checkElementCount(fn, 'the unfolded matrix', n * outHeight * outWidth * cols, `[${n * outHeight * outWidth}, ${cols}]`);
  const out = new Float32Array(n * outHeight * outWidth * cols);
  let row = 0;
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < outHeight; p++) {
      for (let q = 0; q < outWidth; q++, row++) {
        for (let i = 0; i < kh; i++) {
          const r = p * sh - top + i * dh;
          if (r < 0 || r >= h) continue; // padding rows stay 0
          for (let j = 0; j < kw; j++) {
            const s = q * sw - left + j * dw;
            if (s < 0 || s >= w) continue;
            const src = ((b * h + r) * w + s) * c;
            out.set(x.data.subarray(src, src + c), row * cols + (i * kw + j) * c);
          }
        }
      }
    }
  }
  return { shape: [n * outHeight * outWidth, cols], data: out };
}

/**
 * Matrix product of two 2-D arrays.
 * @param a [m, k]
 * @param b [k, n]
 * @returns [m, n]
 * @throws ArgError when a rank is not 2, the inner sizes differ, the product would have more than
 *   MAX_ELEMENTS (2^28) entries, or the data holds NaN
 * @example matMul(ndarray([[1, 2]]), ndarray([[3], [4]]))  // [[11]]
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function matMul(a: NDArray, b: NDArray): NDArray {
  return matMulAs('matMul', a, b);
}

function matMulAs(fn: string, a: NDArray, b: NDArray): NDArray {
  checkNd(fn, 'a', a, 2, '[m, k]');
  checkNd(fn, 'b', b, 2, '[k, n]');
  const [m, k] = a.shape;
  const [k2, n] = b.shape;
  if (k !== k2) argError(fn, 'b.shape[0]', `must equal a.shape[1] = ${k} (a is [${a.shape.join(', ')}])`, k2);
  checkElementCount(fn, 'the product', m * n, `[${m}, ${n}]`);
  const out = new Float32Array(m * n);
  const acc = new Float64Array(n);
  for (let r = 0; r < m; r++) {
    acc.fill(0);
    for (let t = 0; t < k; t++) {
      const av = a.data[r * k + t];
      if (av === 0) continue;
      const bRow = t * n;
      for (let col = 0; col < n; col++) acc[col] += av * b.data[bRow + col];
    }
    out.set(acc, r * n);
  }
  return { shape: [m, n], data: out };
}

/**
 * conv2d computed as im2col followed by one matMul (groups = 1). Gives the same numbers as
 * {@link conv2d} up to float rounding.
 * @param x input [N, H, W, Cin]
 * @param w filters [kh, kw, Cin, Cout]
 * @param opts strides, padding, dilations as {@link im2col}; bias one value per output channel
 * @returns [N, outH, outW, Cout]
 * @throws ArgError as {@link im2col}, and when w.shape[2] != Cin
 * @example conv2dIm2col(x, w, { padding: 'same' })
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function conv2dIm2col(x: NDArray, w: NDArray, opts: Im2colOptions & { bias?: ArrayLike<number> } = {}): NDArray {
  const fn = 'conv2dIm2col';
  checkOptionKeys(fn, 'opts', opts, ['strides', 'padding', 'dilations', 'bias']);
  checkNd(fn, 'x', x, 4, '[N, H, W, C]');
  checkNd(fn, 'w', w, 4, '[kh, kw, Cin, Cout]');
  const [kh, kw, wc, cout] = w.shape;
  if (wc !== x.shape[3]) argError(fn, 'w.shape[2]', `must equal the input channels ${x.shape[3]} (x is [${x.shape.join(', ')}])`, wc);
  if (opts.bias !== undefined) checkAllFinite(fn, 'opts.bias', opts.bias);
  const cols = unfold(fn, x, [kh, kw], opts, ['strides', 'padding', 'dilations', 'bias']);
  const y = matMulAs(fn, cols, { shape: [kh * kw * wc, cout], data: w.data });
  if (opts.bias !== undefined) {
    if (opts.bias.length !== cout) argError(fn, 'opts.bias', `must have ${cout} entries (one per output channel)`, opts.bias.length);
    for (let k = 0; k < y.data.length; k++) y.data[k] += opts.bias[k % cout];
  }
  const [sh, sw] = toPair(fn, 'opts.strides', opts.strides ?? 1);
  const [dh, dw] = toPair(fn, 'opts.dilations', opts.dilations ?? 1);
  const { outHeight, outWidth } = window2d(fn, [x.shape[1], x.shape[2]], [kh, kw], [sh, sw], [dh, dw], opts.padding ?? 'valid');
  return { shape: [x.shape[0], outHeight, outWidth, cout], data: y.data };
}
