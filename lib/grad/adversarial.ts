/**
 * Adversarial examples and the defence that works best in practice: FGSM (one signed-gradient step,
 * Goodfellow et al. 2015), PGD (several projected steps, Madry et al. 2018), accuracy under attack
 * for a range of epsilons, and adversarial training (clean and FGSM examples in every batch).
 * Pixel values live in [0, 1]: every adversarial image is clipped to that box, and PGD also to the
 * L-infinity ball of radius epsilon around the clean image.
 * @see notebooks/q24-adversarial-examples.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkBoolean, checkFunction, checkInRange, checkNonNegativeInt, checkOneOf, checkOptionKeys, checkPositiveInt, MAX_STEPS } from '../check';
import { seededRandom } from '../random/generator';
import { checkModel } from '../models/check-model';
import { checkInputs, checkLabels, classCount, lossFor, type Model } from './common';

function checkEpsilon(fn: string, epsilon: unknown): number {
  return checkInRange(fn, 'epsilon', epsilon, 0, 1);
}

function checkBatch(fn: string, model: Model, xs: tf.Tensor, labels: tf.Tensor): void {
  checkModel(fn, model);
  checkInputs(fn, model, xs);
  checkLabels(fn, xs, labels, classCount(model));
}

/** sign(d loss / d x), the FGSM direction. */
function lossGradientSign(model: Model, xs: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  const loss = lossFor(model);
  return tf.tidy(() => tf.sign(tf.grad((x: tf.Tensor) => loss(model.apply(x, { training: false }) as tf.Tensor, labels))(xs)));
}

/**
 * Fast gradient sign method: x_adv = clip(x + epsilon * sign(d loss / d x), 0, 1), with the
 * cross-entropy of the true labels (untargeted).
 * @param xs images in [0, 1], [N, ...inputShape]; labels class ids [N] or one-hot [N, K]
 * @param epsilon step size in [0, 1] (e.g. 0.1 for MNIST)
 * @returns adversarial images, same shape as xs (the caller disposes them)
 * @throws ArgError when epsilon is outside [0, 1], xs does not fit the model or holds NaN, or a label is
 *   not a class id of the model (42 of 10, -1, 0.5)
 * @example const adv = fgsm(model, xs, labels, 0.1);
 * @see notebooks/q24-adversarial-examples.ipynb
 */
export function fgsm(model: Model, xs: tf.Tensor, labels: tf.Tensor, epsilon: number): tf.Tensor {
  const fn = 'fgsm';
  checkBatch(fn, model, xs, labels);
  return fgsmStep(model, xs, labels, checkEpsilon(fn, epsilon));
}

/** {@link fgsm} on checked arguments. */
function fgsmStep(model: Model, xs: tf.Tensor, labels: tf.Tensor, eps: number): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(tf.add(xs, tf.mul(lossGradientSign(model, xs, labels), eps)), 0, 1));
}

/**
 * Projected gradient descent (on the loss, ascending): from a random start in the epsilon ball, take
 * `steps` signed steps of size `alpha`, each followed by projection onto the ball and onto [0, 1].
 * @param opts.steps default 10 (at most MAX_STEPS, 100,000); opts.alpha step size (default 2.5 * epsilon / steps);
 *   opts.randomStart default true; opts.seed for the random start (default 0)
 * @returns adversarial images (the caller disposes them)
 * @throws ArgError on a bad epsilon, step count, step size or option, or as {@link fgsm} for the tensors
 * @example const adv = pgd(model, xs, labels, 0.1, { steps: 10 });
 * @see notebooks/q24-adversarial-examples.ipynb
 */
export function pgd(
  model: Model,
  xs: tf.Tensor,
  labels: tf.Tensor,
  epsilon: number,
  opts: { steps?: number; alpha?: number; randomStart?: boolean; seed?: number } = {},
): tf.Tensor {
  const fn = 'pgd';
  checkBatch(fn, model, xs, labels);
  const eps = checkEpsilon(fn, epsilon);
  const p = pgdOptions(fn, 'opts', opts, eps);
  return pgdSteps(model, xs, labels, eps, p);
}

interface PgdOptions {
  steps: number;
  alpha: number;
  randomStart: boolean;
  seed: number;
}

/** PGD's options checked, defaults filled (`arg` is where they came from, for the messages). */
function pgdOptions(fn: string, arg: string, opts: { steps?: number; alpha?: number; randomStart?: boolean; seed?: number }, eps: number): PgdOptions {
  checkOptionKeys(fn, arg, opts, ['steps', 'alpha', 'randomStart', 'seed']);
  const steps = checkPositiveInt(fn, `${arg}.steps`, opts.steps ?? 10, MAX_STEPS);
  const alpha = checkInRange(fn, `${arg}.alpha`, opts.alpha ?? (2.5 * eps) / steps, 0, 1);
  const randomStart = checkBoolean(fn, `${arg}.randomStart`, opts.randomStart ?? true);
  const seed = checkNonNegativeInt(fn, `${arg}.seed`, opts.seed ?? 0);
  return { steps, alpha, randomStart, seed };
}

/** {@link pgd} on checked arguments. */
function pgdSteps(model: Model, xs: tf.Tensor, labels: tf.Tensor, eps: number, { steps, alpha, randomStart, seed }: PgdOptions): tf.Tensor {
  return tf.tidy(() => {
    const lo = tf.clipByValue(tf.sub(xs, eps), 0, 1);
    const hi = tf.clipByValue(tf.add(xs, eps), 0, 1);
    let x = !randomStart ? tf.clone(xs) : tf.minimum(tf.maximum(tf.add(xs, tf.randomUniform(xs.shape, -eps, eps, 'float32', seed)), lo), hi);
    for (let s = 0; s < steps; s++) {
      const next = tf.tidy(() => tf.minimum(tf.maximum(tf.add(x, tf.mul(lossGradientSign(model, x, labels), alpha)), lo), hi));
      x.dispose();
      x = next;
    }
    return x;
  });
}

/** Accuracy (fraction correct) of the model on a batch, predicted in chunks. */
function accuracy(model: Model, xs: tf.Tensor, ids: Int32Array, batchSize: number): number {
  let correct = 0;
  const n = xs.shape[0];
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const pred = tf.tidy(() => (model.predict(xs.slice(start, count)) as tf.Tensor).argMax(-1).dataSync());
    for (let i = 0; i < count; i++) if (pred[i] === ids[start + i]) correct++;
  }
  return n > 0 ? correct / n : 0;
}

/** One row of {@link epsilonSweep}. */
export interface SweepRow {
  epsilon: number;
  /** Fraction of examples classified correctly after the attack. */
  accuracy: number;
}

/**
 * Accuracy under attack for each epsilon (epsilon 0 gives the clean accuracy).
 * @param epsilons values in [0, 1]; opts.attack 'fgsm' (default) or 'pgd'; opts.batchSize examples
 *   attacked at once (default 256); opts.steps, opts.seed passed to PGD (checked as its options)
 * @returns one { epsilon, accuracy } per epsilon, in the order given
 * @throws ArgError on an empty or out-of-range epsilon list, an unknown attack or option, or as {@link fgsm}
 *   for the tensors
 * @example epsilonSweep(model, xs, labels, [0, 0.05, 0.1, 0.2])
 * @see notebooks/q24-adversarial-examples.ipynb
 */
export function epsilonSweep(
  model: Model,
  xs: tf.Tensor,
  labels: tf.Tensor,
  epsilons: readonly number[],
  opts: { attack?: 'fgsm' | 'pgd'; batchSize?: number; steps?: number; seed?: number } = {},
): SweepRow[] {
  const fn = 'epsilonSweep';
  checkBatch(fn, model, xs, labels);
  if (!Array.isArray(epsilons) || epsilons.length === 0) argError(fn, 'epsilons', 'must be a non-empty array', epsilons);
  epsilons.forEach((e, i) => checkInRange(fn, `epsilons[${i}]`, e, 0, 1));
  checkOptionKeys(fn, 'opts', opts, ['attack', 'batchSize', 'steps', 'seed']);
  const attack = checkOneOf(fn, 'opts.attack', opts.attack ?? 'fgsm', ['fgsm', 'pgd'] as const);
  const batchSize = checkPositiveInt(fn, 'opts.batchSize', opts.batchSize ?? 256);
  const pgdOpts = { ...(opts.steps === undefined ? {} : { steps: opts.steps }), ...(opts.seed === undefined ? {} : { seed: opts.seed }) };
  const pgdChecked = (eps: number) => pgdOptions(fn, 'opts', pgdOpts, eps);
  // Before any work: steps and seed always; PGD's default step size 2.5 eps / steps at the largest epsilon.
  pgdChecked(attack === 'pgd' ? Math.max(...epsilons) : 0);
  const ids = tf.tidy(() => (labels.rank === 1 ? tf.cast(labels, 'int32') : labels.argMax(-1)).dataSync() as Int32Array);
  const n = xs.shape[0];
  return epsilons.map((eps) => {
    if (eps === 0) return { epsilon: eps, accuracy: accuracy(model, xs, ids, batchSize) };
    let correct = 0;
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const pred = tf.tidy(() => {
        const x = xs.slice(start, count);
        const y = labels.slice(start, count);
        const adv = attack === 'fgsm' ? fgsmStep(model, x, y, eps) : pgdSteps(model, x, y, eps, pgdChecked(eps));
        return (model.predict(adv) as tf.Tensor).argMax(-1).dataSync();
      });
      for (let i = 0; i < count; i++) if (pred[i] === ids[start + i]) correct++;
    }
    return { epsilon: eps, accuracy: correct / n };
  });
}

/** One epoch of {@link adversarialTraining}. */
export interface AdversarialEpoch {
  epoch: number;
  /** Mean over batches of the mixed loss. */
  loss: number;
  /** Mean clean-example loss and FGSM-example loss. */
  cleanLoss: number;
  adversarialLoss: number;
  seconds: number;
}

/**
 * Adversarial training: for every batch, make FGSM examples against the current weights and take
 * one optimizer step on (1 - w) * loss(clean) + w * loss(FGSM). The model must be compiled (its
 * optimizer is used); the loss is the cross-entropy matching its output.
 * @param xs images in [0, 1]; labels class ids [N] or one-hot [N, K]
 * @param opts.epsilon FGSM step (default 0.1); opts.adversarialWeight w in [0, 1] (default 0.5);
 *   opts.epochs default 1 (at most MAX_STEPS, 100,000); opts.batchSize default 64; opts.seed shuffling seed
 *   (default 0); opts.onEpochEnd called after each epoch
 * @returns one entry per epoch
 * @throws ArgError when the model has no optimizer (not compiled), an option is out of range or unknown,
 *   onEpochEnd is not a function, or as {@link fgsm} for the tensors
 * @example await adversarialTraining(model, xs, labels, { epsilon: 0.1, epochs: 1 })
 * @see notebooks/q24-adversarial-examples.ipynb
 */
export async function adversarialTraining(
  model: Model,
  xs: tf.Tensor,
  labels: tf.Tensor,
  opts: {
    epsilon?: number;
    adversarialWeight?: number;
    epochs?: number;
    batchSize?: number;
    seed?: number;
    onEpochEnd?: (e: AdversarialEpoch) => void | Promise<void>;
  } = {},
): Promise<AdversarialEpoch[]> {
  const fn = 'adversarialTraining';
  checkBatch(fn, model, xs, labels);
  const optimizer = model.optimizer;
  if (!optimizer) argError(fn, 'model', 'must be compiled with an optimizer (model.compile)', model.name);
  checkOptionKeys(fn, 'opts', opts, ['epsilon', 'adversarialWeight', 'epochs', 'batchSize', 'seed', 'onEpochEnd']);
  const eps = checkInRange(fn, 'opts.epsilon', opts.epsilon ?? 0.1, 0, 1);
  const w = checkInRange(fn, 'opts.adversarialWeight', opts.adversarialWeight ?? 0.5, 0, 1);
  const epochs = checkPositiveInt(fn, 'opts.epochs', opts.epochs ?? 1, MAX_STEPS);
  const onEpochEnd = opts.onEpochEnd === undefined ? undefined : checkFunction<(e: AdversarialEpoch) => void | Promise<void>>(fn, 'opts.onEpochEnd', opts.onEpochEnd);
  const batchSize = checkPositiveInt(fn, 'opts.batchSize', opts.batchSize ?? 64);
  const random = seededRandom(checkNonNegativeInt(fn, 'opts.seed', opts.seed ?? 0));
  const loss = lossFor(model);
  const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const n = xs.shape[0];
  const history: AdversarialEpoch[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const t0 = Date.now();
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let sum = 0;
    let sumClean = 0;
    let sumAdv = 0;
    let batches = 0;
    for (let start = 0; start < n; start += batchSize) {
      const idx = tf.tensor1d(order.slice(start, start + batchSize), 'int32');
      const [x, y] = tf.tidy(() => [tf.gather(xs, idx), tf.gather(labels, idx)]);
      const adv = fgsmStep(model, x, y, eps);
      let clean = 0;
      let advLoss = 0;
      const total = optimizer.minimize(
        () => {
          const lc = loss(model.apply(x, { training: true }) as tf.Tensor, y);
          const la = loss(model.apply(adv, { training: true }) as tf.Tensor, y);
          clean = lc.dataSync()[0];
          advLoss = la.dataSync()[0];
          return tf.add(tf.mul(lc, 1 - w), tf.mul(la, w)) as tf.Scalar;
        },
        true,
        vars,
      );
      sum += total ? total.dataSync()[0] : 0;
      total?.dispose();
      sumClean += clean;
      sumAdv += advLoss;
      batches++;
      tf.dispose([idx, x, y, adv]);
      // Let the kernel flush output between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const row = { epoch: epoch + 1, loss: sum / batches, cleanLoss: sumClean / batches, adversarialLoss: sumAdv / batches, seconds: (Date.now() - t0) / 1000 };
    history.push(row);
    if (onEpochEnd) await onEpochEnd(row);
  }
  return history;
}
