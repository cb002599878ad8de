/**
 * DeepFool (Moosavi-Dezfooli, Fawzi and Frossard, 2016, Algorithm 2, multiclass, L2): the smallest L2
 * step that crosses the nearest decision boundary of the model linearised at the current point, repeated
 * until the prediction changes. Beside FGSM and PGD (lib/grad/adversarial.ts), which spend a fixed
 * L-infinity budget, DeepFool measures how far an image is from being misclassified.
 * @see notebooks/q24-adversarial-examples.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkInRange, checkOptionKeys, checkPositiveInt, MAX_STEPS } from '../check';
import { checkInputs, checkModel, classCount, outputsProbabilities, type Model } from './common';

/** What {@link deepfool} returns. */
export interface DeepFoolResult {
  /** Adversarial images clip(x + (1 + overshoot) r, 0, 1), same shape as xs (the caller disposes them). */
  adversarial: tf.Tensor;
  /** The model's class for each clean image (the label DeepFool moves away from). */
  original: number[];
  /** The model's class for each adversarial image. */
  predicted: number[];
  /** predicted[i] !== original[i]. */
  fooled: boolean[];
  /** L2 norm of adversarial[i] - xs[i] over all pixels. */
  l2: number[];
  /** Linearisation steps taken for each image (0 when the clean image is already at a boundary). */
  iterations: number[];
}

/**
 * DeepFool, untargeted, L2. For each image, with k0 the model's class of the clean image and f the
 * class scores (logits; for a model ending in softmax, log-probabilities, whose differences are the
 * logit differences), each step computes for every class k != k0 the gap f'_k = f_k - f_k0 and
 * w'_k = grad f_k - grad f_k0, picks the class l minimising |f'_l| / ||w'_l||_2 (the distance to the
 * linearised boundary) and adds r = |f'_l| / ||w'_l||^2 * w'_l to the total step r_tot. The image
 * evaluated at each step is clip(x + (1 + overshoot) r_tot, 0, 1); the loop stops for an image once
 * its class differs from k0, or after maxIter steps. The paper's algorithm has no pixel box; here a pixel
 * at 0 (or 1) whose step would leave [0, 1] is held out of w'_k, since clipping it would stall the steps.
 * @param xs images in [0, 1], [N, ...inputShape]
 * @param opts.overshoot default 0.02 (in [0, 1]); opts.maxIter default 50 (at most MAX_STEPS, 100,000)
 * @returns a {@link DeepFoolResult}; only `adversarial` holds a tensor
 * @throws ArgError when xs does not fit the model or holds NaN, or an option is unknown or out of range
 * @example const { adversarial, l2, fooled } = deepfool(model, xs, { overshoot: 0.02 }); adversarial.dispose();
 * @see notebooks/q24-adversarial-examples.ipynb
 */
export function deepfool(model: Model, xs: tf.Tensor, opts: { overshoot?: number; maxIter?: number } = {}): DeepFoolResult {
  const fn = 'deepfool';
  checkModel(fn, model);
  checkInputs(fn, model, xs);
  checkOptionKeys(fn, 'opts', opts, ['overshoot', 'maxIter']);
  const overshoot = checkInRange(fn, 'opts.overshoot', opts.overshoot ?? 0.02, 0, 1);
  const maxIter = checkPositiveInt(fn, 'opts.maxIter', opts.maxIter ?? 50, MAX_STEPS);
  const k = classCount(model);
  const probs = outputsProbabilities(model);
  const n = xs.shape[0];
  const size = xs.size / n;
  const scores = (x: tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => {
      const out = model.apply(x, { training: false }) as tf.Tensor;
      return (probs ? tf.log(tf.clipByValue(out, 1e-30, 1)) : out).reshape([x.shape[0], k]) as tf.Tensor2D;
    });
  const x0 = xs.dataSync();
  const rTot = new Float32Array(xs.size);
  const original = tf.tidy(() => Array.from(scores(xs).argMax(-1).dataSync()));
  const active = new Array<boolean>(n).fill(true);
  const iterations = new Array<number>(n).fill(0);
  const current = (): tf.Tensor =>
    tf.tidy(() => tf.clipByValue(tf.add(xs, tf.mul(tf.tensor(rTot, xs.shape), 1 + overshoot)), 0, 1));
  for (let it = 0; it < maxIter && active.some((a) => a); it++) {
    // Only the images still classified as k0 are differentiated (gathered, in order).
    const rows = active.flatMap((a, i) => (a ? [i] : []));
    const x = tf.tidy(() => tf.gather(current(), tf.tensor1d(rows, 'int32')));
    const xv = x.dataSync();
    // One gradient per class: the examples are independent, so d(sum_i f_c(x_i)) / dx_i = grad f_c(x_i).
    const f = tf.tidy(() => scores(x).dataSync());
    const grads = Array.from({ length: k }, (_, c) =>
      tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(scores(v).slice([0, c], [-1, 1])))(x).dataSync()),
    );
    x.dispose();
    const w = new Float32Array(size);
    rows.forEach((i, r) => {
      const y = original[i];
      let pred = 0;
      for (let c = 1; c < k; c++) if (f[r * k + c] > f[r * k + pred]) pred = c;
      if (pred !== y) {
        active[i] = false;
        return;
      }
      let best = -1;
      let bestDist = Infinity;
      let bestScale = 0;
      let bestW = new Float32Array(size);
      for (let c = 0; c < k; c++) {
        if (c === y) continue;
        let norm2 = 0;
        for (let j = 0; j < size; j++) {
          const o = r * size + j;
          let v = grads[c][o] - grads[y][o];
          // A pixel at the edge of [0, 1] that this direction would push outside is held.
          if ((xv[o] <= 0 && v < 0) || (xv[o] >= 1 && v > 0)) v = 0;
          w[j] = v;
          norm2 += v * v;
        }
        if (norm2 === 0) continue;
        const gap = Math.abs(f[r * k + c] - f[r * k + y]);
        const dist = gap / Math.sqrt(norm2);
        if (dist < bestDist) [best, bestDist, bestScale, bestW] = [c, dist, gap / norm2, w.slice()];
      }
      if (best < 0) {
        active[i] = false; // flat in every direction: no boundary to step towards
        return;
      }
      for (let j = 0; j < size; j++) rTot[i * size + j] += bestScale * bestW[j];
      iterations[i]++;
    });
  }
  const adversarial = current();
  const adv = adversarial.dataSync();
  const predicted = tf.tidy(() => Array.from(scores(adversarial).argMax(-1).dataSync()));
  const l2 = Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < size; j++) s += (adv[i * size + j] - x0[i * size + j]) ** 2;
    return Math.sqrt(s);
  });
  return { adversarial, original, predicted, fooled: predicted.map((p, i) => p !== original[i]), l2, iterations };
}
