/**
 * Batch normalization arithmetic, channels last (NHWC, or [N, C] after a dense layer).
 *
 *   training:   mu_c = mean of x[..., c] over the batch and all positions,  var_c = mean of (x - mu_c)^2
 *   both modes: y = gamma_c * (x - mu_c) / sqrt(var_c + eps) + beta_c
 *   inference:  mu_c, var_c are the moving averages  m <- momentum * m + (1 - momentum) * batch value
 *
 * The variance is the biased one (divide by the count), as tf.moments and Keras use. tf.batchNorm calls
 * beta `offset` and gamma `scale`; Keras calls them beta and gamma.
 * @see notebooks/q10-local-response-normalization.ipynb
 */
import { argError } from '../errors';
import { checkAllFinite, checkFinite, checkInRange, checkOptionKeys } from '../check';
import { checkNd, type NDArray } from './ndarray';

/** Per-channel statistics. */
export interface Moments {
  /** [C] */
  mean: Float32Array;
  /** [C], biased (divided by the count) */
  variance: Float32Array;
}

function channels(fn: string, x: NDArray): number {
  checkNd(fn, 'x', x);
  if (x.shape.length < 2) argError(fn, 'x.shape', 'must have rank >= 2 (channels last, e.g. [N, H, W, C])', x.shape);
  return x.shape[x.shape.length - 1];
}

function perChannel(fn: string, arg: string, v: ArrayLike<number> | undefined, c: number, optional = true): ArrayLike<number> | undefined {
  if (v === undefined && optional) return undefined;
  checkAllFinite(fn, arg, v as ArrayLike<number>);
  if (v!.length !== c) argError(fn, arg, `must have ${c} entries (one per channel)`, v!.length);
  return v;
}

function checkMoments(fn: string, arg: string, m: unknown): Moments {
  if (m === null || typeof m !== 'object' || !ArrayBuffer.isView((m as Moments).mean) || !ArrayBuffer.isView((m as Moments).variance)) {
    argError(fn, arg, 'must be { mean, variance } of Float32Arrays (as batchMoments returns)', m);
  }
  return m as Moments;
}

/**
 * Mean and (biased) variance of each channel over every axis but the last, like tf.moments(x, [0, 1, 2]).
 * @param x [N, H, W, C] or [N, C]
 * @returns { mean [C], variance [C] }
 * @throws ArgError when the rank is below 2 or x holds NaN
 * @example batchMoments(ndarray([[1, 10], [3, 30]]))  // mean [2, 20], variance [1, 100]
 * @see notebooks/q10-local-response-normalization.ipynb
 */
export function batchMoments(x: NDArray): Moments {
  const c = channels('batchMoments', x);
  const count = x.data.length / c;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let k = 0; k < x.data.length; k++) mean[k % c] += x.data[k];
  for (let ch = 0; ch < c; ch++) mean[ch] /= count;
  // Two passes: subtracting the mean first avoids the cancellation of E[x^2] - E[x]^2.
  for (let k = 0; k < x.data.length; k++) variance[k % c] += (x.data[k] - mean[k % c]) ** 2;
  for (let ch = 0; ch < c; ch++) variance[ch] /= count;
  return { mean: Float32Array.from(mean), variance: Float32Array.from(variance) };
}

/**
 * Normalize with given statistics (inference mode), the arithmetic of tf.batchNorm.
 * @param x [N, H, W, C] or [N, C]
 * @param mean [C]
 * @param variance [C], >= 0
 * @param opts.offset beta [C] (default 0); opts.scale gamma [C] (default 1); opts.varianceEpsilon default 0.001
 * @returns same shape as x
 * @throws ArgError when a per-channel array does not have C entries, a variance is negative, epsilon is
 *   not positive, or the data holds NaN
 * @example batchNorm(x, movingMean, movingVariance, { scale: gamma, offset: beta })
 * @see notebooks/q10-local-response-normalization.ipynb
 */
export function batchNorm(
  x: NDArray,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  opts: { offset?: ArrayLike<number>; scale?: ArrayLike<number>; varianceEpsilon?: number } = {},
): NDArray {
  checkOptionKeys('batchNorm', 'opts', opts, ['offset', 'scale', 'varianceEpsilon']);
  return normalize('batchNorm', x, mean, variance, opts.scale, opts.offset, opts.varianceEpsilon ?? 0.001);
}

function normalize(
  fn: string,
  x: NDArray,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  gamma: ArrayLike<number> | undefined,
  beta: ArrayLike<number> | undefined,
  eps: number,
): NDArray {
  const c = channels(fn, x);
  perChannel(fn, 'mean', mean, c, false);
  perChannel(fn, 'variance', variance, c, false);
  for (let ch = 0; ch < c; ch++) if (variance[ch] < 0) argError(fn, `variance[${ch}]`, 'must be >= 0', variance[ch]);
  perChannel(fn, 'scale', gamma, c);
  perChannel(fn, 'offset', beta, c);
  checkFinite(fn, 'epsilon', eps);
  if (eps <= 0) argError(fn, 'epsilon', 'must be > 0', eps);
  const inv = Array.from({ length: c }, (_, ch) => 1 / Math.sqrt(variance[ch] + eps));
  const out = new Float32Array(x.data.length);
  for (let k = 0; k < x.data.length; k++) {
    const ch = k % c;
    out[k] = (x.data[k] - mean[ch]) * inv[ch] * (gamma ? gamma[ch] : 1) + (beta ? beta[ch] : 0);
  }
  return { shape: [...x.shape], data: out };
}

/**
 * Training-mode batch normalization: normalize with the batch's own statistics and return them.
 * @param x [N, H, W, C] or [N, C]
 * @param opts.gamma scale [C] (default 1); opts.beta shift [C] (default 0); opts.epsilon default 0.001 (Keras)
 * @returns { y (shape of x), mean [C], variance [C] }: every channel of y has mean beta and variance
 *   gamma^2 * var / (var + eps)
 * @throws ArgError as {@link batchNorm}
 * @example const { y, mean, variance } = batchNormTraining(activations);
 * @see notebooks/q10-local-response-normalization.ipynb
 */
export function batchNormTraining(
  x: NDArray,
  opts: { gamma?: ArrayLike<number>; beta?: ArrayLike<number>; epsilon?: number } = {},
): Moments & { y: NDArray } {
  const fn = 'batchNormTraining';
  channels(fn, x);
  checkOptionKeys(fn, 'opts', opts, ['gamma', 'beta', 'epsilon']);
  const m = batchMoments(x);
  return { y: normalize(fn, x, m.mean, m.variance, opts.gamma, opts.beta, opts.epsilon ?? 0.001), ...m };
}

/**
 * One step of the moving averages that inference uses: m <- momentum * m + (1 - momentum) * batch.
 * @param moving current moving statistics (not modified)
 * @param batch statistics of the current batch
 * @param momentum in [0, 1], default 0.99 (Keras)
 * @returns the updated statistics
 * @throws ArgError when lengths differ or momentum is outside [0, 1]
 * @example moving = updateMovingMoments(moving, batchMoments(x));
 * @see notebooks/q10-local-response-normalization.ipynb
 */
export function updateMovingMoments(moving: Moments, batch: Moments, momentum = 0.99): Moments {
  const fn = 'updateMovingMoments';
  checkMoments(fn, 'moving', moving);
  checkMoments(fn, 'batch', batch);
  checkInRange(fn, 'momentum', momentum, 0, 1);
  const c = moving.mean.length;
  for (const [arg, v] of [['moving.variance', moving.variance], ['batch.mean', batch.mean], ['batch.variance', batch.variance]] as const) {
    perChannel(fn, arg, v, c);
  }
  perChannel(fn, 'moving.mean', moving.mean, c);
  const step = (a: Float32Array, b: Float32Array) => a.map((v, i) => momentum * v + (1 - momentum) * b[i]);
  return { mean: step(moving.mean, batch.mean), variance: step(moving.variance, batch.variance) };
}
