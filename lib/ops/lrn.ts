/**
 * Local response normalization (AlexNet, 2012), with the formula and parameter names of
 * tf.localResponseNormalization: each activation is divided by a power of the energy of its
 * neighbours across channels, at the same position.
 *
 *   sqrSum[n, h, w, c] = sum_{c' = max(0, c - r)}^{min(C - 1, c + r)} x[n, h, w, c']^2
 *   y[n, h, w, c]      = x[n, h, w, c] / (bias + alpha * sqrSum)^beta
 *
 * r = depthRadius, so the window spans up to 2r + 1 channels. TensorFlow's alpha multiplies the plain
 * sum; AlexNet's paper (and Caffe) divide alpha by the window size n = 2r + 1 first: alpha_tf = alpha_paper / n.
 * @see notebooks/q10-local-response-normalization.ipynb
 */
import { argError } from '../errors';
import { checkFinite, checkNonNegativeInt, checkOptionKeys } from '../check';
import { checkNd, type NDArray } from './ndarray';

/** Parameters of {@link lrn}; defaults are tf.localResponseNormalization's. */
export interface LrnOptions {
  /** Half-width of the channel window r; default 5. */
  depthRadius?: number;
  /** Offset k, > 0; default 1. */
  bias?: number;
  /** Scale of the sum of squares, >= 0; default 1. */
  alpha?: number;
  /** Exponent, >= 0; default 0.5. */
  beta?: number;
}

/**
 * Local response normalization across channels.
 * @param x activations [N, H, W, C]
 * @param opts depthRadius (5), bias (1), alpha (1), beta (0.5)
 * @returns [N, H, W, C]
 * @throws ArgError on a wrong rank, a negative or fractional depthRadius, bias <= 0, alpha or beta < 0,
 *   or NaN in x
 * @example lrn(x, { depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 })  // AlexNet's k, alpha, beta
 * @see notebooks/q10-local-response-normalization.ipynb
 */
export function lrn(x: NDArray, opts: LrnOptions = {}): NDArray {
  const fn = 'lrn';
  checkNd(fn, 'x', x, 4, '[N, H, W, C]');
  checkOptionKeys(fn, 'opts', opts, ['depthRadius', 'bias', 'alpha', 'beta']);
  const r = checkNonNegativeInt(fn, 'opts.depthRadius', opts.depthRadius ?? 5);
  const bias = checkFinite(fn, 'opts.bias', opts.bias ?? 1);
  const alpha = checkFinite(fn, 'opts.alpha', opts.alpha ?? 1);
  const beta = checkFinite(fn, 'opts.beta', opts.beta ?? 0.5);
  // bias > 0 keeps the denominator positive even where every neighbour is 0.
  if (bias <= 0) argError(fn, 'opts.bias', 'must be > 0', bias);
  if (alpha < 0) argError(fn, 'opts.alpha', 'must be >= 0', alpha);
  if (beta < 0) argError(fn, 'opts.beta', 'must be >= 0', beta);
  const c = x.shape[3];
  const out = new Float32Array(x.data.length);
  for (let base = 0; base < x.data.length; base += c) {
    for (let ch = 0; ch < c; ch++) {
      let sq = 0;
      for (let k = Math.max(0, ch - r); k <= Math.min(c - 1, ch + r); k++) sq += x.data[base + k] ** 2;
      out[base + ch] = x.data[base + ch] / (bias + alpha * sq) ** beta;
    }
  }
  return { shape: [...x.shape], data: out };
}
