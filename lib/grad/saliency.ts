/**
 * Gradient-based explanations of a classifier's output for one class: the vanilla gradient
 * (saliency), SmoothGrad, gradient x input, and integrated gradients with the completeness check
 * (attributions must add up to F(x) - F(baseline)).
 * The score F is the model's output for the class: a probability when the model ends in softmax.
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkNonNegativeInt, checkOptionKeys, checkPositiveInt, MAX_STEPS } from '../check';
import { checkTensor } from '../layers/check-tensor';
import { argError } from '../errors';
import { checkModel } from '../models/check-model';
import { checkInputs, classScore, classScores, resolveClasses, type Model } from './common';

/** Options shared by the saliency tools. */
export interface SaliencyOptions {
  /** Class to explain: one id for all examples, one per example, or (default) the predicted class. */
  classIndex?: number | readonly number[];
}

/** d score / d input for each example (examples do not interact: the model runs in inference mode). */
function inputGradient(model: Model, xs: tf.Tensor, ids: readonly number[]): tf.Tensor {
  return tf.tidy(() => tf.grad((x: tf.Tensor) => classScore(model.apply(x, { training: false }) as tf.Tensor, ids))(xs));
}

/**
 * Vanilla gradient saliency: d score / d input, same shape as the input (signed; take |g| or the
 * max over channels to draw it).
 * @param xs inputs [N, ...inputShape], finite, N >= 1
 * @throws ArgError when xs does not fit the model or holds NaN, a class id is out of range, or opts has an
 *   unknown key
 * @example const g = saliencyMap(model, x);  // [1, 28, 28, 1]
 * @see notebooks/q21-attention.ipynb
 */
export function saliencyMap(model: Model, xs: tf.Tensor, opts: SaliencyOptions = {}): tf.Tensor {
  const fn = 'saliencyMap';
  checkModel(fn, model);
  checkInputs(fn, model, xs);
  checkOptionKeys(fn, 'opts', opts, ['classIndex']);
  const ids = resolveClasses(fn, model, xs, opts.classIndex);
  return inputGradient(model, xs, ids);
}

/**
 * SmoothGrad: the gradient averaged over `samples` noisy copies of the input (Gaussian noise with
 * standard deviation `noise` x the input's value range), which removes much of the vanilla
 * gradient's speckle.
 * @param opts.samples default 16 (at most MAX_STEPS, 100,000); opts.noise default 0.15; opts.seed default 0
 *   (same noise every call)
 * @throws ArgError on a bad sample count, noise level or option, or as {@link saliencyMap}
 * @example smoothGrad(model, x, { samples: 32 })
 * @see notebooks/q21-attention.ipynb
 */
export function smoothGrad(
  model: Model,
  xs: tf.Tensor,
  opts: SaliencyOptions & { samples?: number; noise?: number; seed?: number } = {},
): tf.Tensor {
  const fn = 'smoothGrad';
  checkModel(fn, model);
  checkInputs(fn, model, xs);
  checkOptionKeys(fn, 'opts', opts, ['classIndex', 'samples', 'noise', 'seed']);
  const samples = checkPositiveInt(fn, 'opts.samples', opts.samples ?? 16, MAX_STEPS);
  const noise = opts.noise ?? 0.15;
  if (typeof noise !== 'number' || !(noise >= 0) || !Number.isFinite(noise)) argError(fn, 'opts.noise', 'must be a finite number >= 0', noise);
  const seed = checkNonNegativeInt(fn, 'opts.seed', opts.seed ?? 0);
  const ids = resolveClasses(fn, model, xs, opts.classIndex);
  return tf.tidy(() => {
    const range = tf.sub(tf.max(xs), tf.min(xs));
    let total = tf.zerosLike(xs);
    for (let s = 0; s < samples; s++) {
      const noisy = tf.add(xs, tf.mul(tf.randomNormal(xs.shape, 0, 1, 'float32', seed + s), tf.mul(range, noise)));
      const g = inputGradient(model, noisy, ids);
      const next = tf.add(total, g);
      total.dispose();
      total = next;
    }
    return tf.div(total, samples);
  });
}

/**
 * Gradient x input: each input value times its gradient (a one-step approximation of integrated
 * gradients from a zero baseline).
 * @throws ArgError as {@link saliencyMap}
 * @example gradientTimesInput(model, x)
 * @see notebooks/q21-attention.ipynb
 */
export function gradientTimesInput(model: Model, xs: tf.Tensor, opts: SaliencyOptions = {}): tf.Tensor {
  const fn = 'gradientTimesInput';
  checkModel(fn, model);
  checkInputs(fn, model, xs);
  checkOptionKeys(fn, 'opts', opts, ['classIndex']);
  const ids = resolveClasses(fn, model, xs, opts.classIndex);
  return tf.tidy(() => tf.mul(inputGradient(model, xs, ids), xs));
}

/** Result of {@link integratedGradients}; the caller disposes `attributions`. */
export interface IntegratedGradients {
  /** Attribution of each input value, same shape as the input. */
  attributions: tf.Tensor;
  /** Class explained, per example. */
  classIndex: number[];
  /** F(x), F(baseline) and the sum of the attributions, per example. */
  scoreInput: number[];
  scoreBaseline: number[];
  attributionSum: number[];
  /** |sum of attributions - (F(x) - F(baseline))| per example: the completeness gap (0 for the exact integral). */
  completenessGap: number[];
  /** completenessGap / |F(x) - F(baseline)| per example (null when the difference is 0). */
  relativeGap: (number | null)[];
}

/**
 * Integrated gradients (Sundararajan et al. 2017): (x - x') times the average gradient along the
 * straight path from the baseline x' to x, by the trapezoidal rule over `steps` intervals. The
 * attributions add up to F(x) - F(x') up to the integration error reported as the completeness gap.
 * @param opts.baseline x' (default zeros: a black image), same shape as xs, finite; opts.steps default 64
 *   (at most MAX_STEPS, 100,000); opts.batchSize path points per forward pass (default 32)
 * @throws ArgError when shapes do not fit, steps is not a positive integer up to MAX_STEPS, the baseline is
 *   not a finite tensor of the input's shape, or as {@link saliencyMap}
 * @example const ig = integratedGradients(model, x); ig.relativeGap[0]  // e.g. 0.004
 * @see notebooks/q21-attention.ipynb
 */
export function integratedGradients(
  model: Model,
  xs: tf.Tensor,
  opts: SaliencyOptions & { baseline?: tf.Tensor; steps?: number; batchSize?: number } = {},
): IntegratedGradients {
  const fn = 'integratedGradients';
  checkModel(fn, model);
  checkInputs(fn, model, xs);
  checkOptionKeys(fn, 'opts', opts, ['classIndex', 'baseline', 'steps', 'batchSize']);
  const steps = checkPositiveInt(fn, 'opts.steps', opts.steps ?? 64, MAX_STEPS);
  const batchSize = checkPositiveInt(fn, 'opts.batchSize', opts.batchSize ?? 32);
  if (opts.baseline !== undefined) checkTensor(fn, 'opts.baseline', opts.baseline, { finite: true });
  if (opts.baseline && !(opts.baseline.shape.length === xs.shape.length && opts.baseline.shape.every((d, i) => d === xs.shape[i]))) {
    argError(fn, 'opts.baseline', `must have the input's shape [${xs.shape.join(', ')}]`, opts.baseline.shape);
  }
  const ids = resolveClasses(fn, model, xs, opts.classIndex);
  const n = xs.shape[0];
  const attributions = tf.tidy(() => {
    const base = opts.baseline ?? tf.zerosLike(xs);
    const diff = tf.sub(xs, base);
    const out: tf.Tensor[] = [];
    for (let e = 0; e < n; e++) {
      const d = diff.slice(e, 1);
      const b = base.slice(e, 1);
      let sum = tf.zerosLike(d);
      for (let start = 0; start <= steps; start += batchSize) {
        const count = Math.min(batchSize, steps + 1 - start);
        const next = tf.tidy(() => {
          // alpha_k = k / steps; trapezoid weights 1/2 at both ends.
          const k = tf.range(start, start + count);
          const alpha = tf.div(k, steps);
          const w = tf.where(tf.logicalOr(tf.equal(k, 0), tf.equal(k, steps)), tf.fill([count], 0.5), tf.ones([count]));
          const shape = [count, ...d.shape.slice(1)];
          const path = tf.add(b, tf.mul(alpha.reshape([count, ...d.shape.slice(1).map(() => 1)]), d)).reshape(shape);
          const g = inputGradient(model, path, new Array<number>(count).fill(ids[e]));
          const weighted = tf.sum(tf.mul(g, w.reshape([count, ...d.shape.slice(1).map(() => 1)])), 0, true);
          return tf.add(sum, weighted);
        });
        sum.dispose();
        sum = next;
      }
      out.push(tf.mul(d, tf.div(sum, steps)));
    }
    return tf.concat(out, 0);
  });
  const baseline = opts.baseline ?? tf.zerosLike(xs);
  const scoreInput = classScores(model, xs, ids);
  const scoreBaseline = classScores(model, baseline, ids);
  if (!opts.baseline) baseline.dispose();
  const attributionSum = tf.tidy(() => Array.from(attributions.reshape([n, -1]).sum(1).dataSync()));
  const completenessGap = attributionSum.map((s, i) => Math.abs(s - (scoreInput[i] - scoreBaseline[i])));
  const relativeGap = completenessGap.map((g, i) => {
    const d = Math.abs(scoreInput[i] - scoreBaseline[i]);
    return d > 0 ? g / d : null;
  });
  return { attributions, classIndex: ids, scoreInput, scoreBaseline, attributionSum, completenessGap, relativeGap };
}
