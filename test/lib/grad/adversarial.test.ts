import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adversarialTraining, epsilonSweep, fgsm, pgd } from '../../../lib/grad/adversarial';

let model: tf.Sequential; // logits out
let xs: tf.Tensor;
let labels: tf.Tensor1D;
beforeAll(() => {
  model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [6], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
    ],
  });
  xs = tf.randomUniform([10, 6], 0, 1, 'float32', 3);
  labels = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32');
});

describe('fgsm', () => {
  it('is clip(x + eps * sign(d CE / dx), 0, 1) with tfjs softmax cross-entropy as the reference', () => {
    const before = tf.memory().numTensors;
    const adv = fgsm(model, xs, labels, 0.1);
    expect(tf.memory().numTensors).toBe(before + 1);
    const want = tf.tidy(() => {
      const g = tf.grad((x: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 3), model.apply(x) as tf.Tensor) as tf.Scalar)(xs);
      return tf.clipByValue(tf.add(xs, tf.mul(tf.sign(g), 0.1)), 0, 1).dataSync();
    });
    Array.from(adv.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(adv, xs))).dataSync()[0]);
    expect(diff).toBeLessThanOrEqual(0.1 + 1e-6);
    adv.dispose();
  });

  it('with epsilon 0 returns the input unchanged, and rejects epsilon outside [0, 1]', () => {
    const same = fgsm(model, xs, labels, 0);
    expect(Array.from(same.dataSync())).toEqual(Array.from(xs.dataSync()));
    same.dispose();
    expect(() => fgsm(model, xs, labels, 1.5)).toThrow('fgsm: epsilon must be a number in [0, 1], got 1.5');
  });
});

describe('pgd', () => {
  it('stays in the epsilon ball and in [0, 1], and raises the loss at least as much as FGSM here', () => {
    const before = tf.memory().numTensors;
    const adv = pgd(model, xs, labels, 0.2, { steps: 8 });
    const one = fgsm(model, xs, labels, 0.2);
    expect(tf.memory().numTensors).toBe(before + 2);
    const [dist, lo, hi, lossPgd, lossFgsm, lossClean] = tf.tidy(() => {
      const ce = (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 3), model.predict(x) as tf.Tensor).dataSync()[0];
      return [tf.max(tf.abs(tf.sub(adv, xs))).dataSync()[0], tf.min(adv).dataSync()[0], tf.max(adv).dataSync()[0], ce(adv), ce(one), ce(xs)];
    });
    expect(dist).toBeLessThanOrEqual(0.2 + 1e-6);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(lossFgsm).toBeGreaterThan(lossClean);
    expect(lossPgd).toBeGreaterThanOrEqual(lossFgsm - 1e-4);
    tf.dispose([adv, one]);
  });
});

describe('epsilonSweep and adversarialTraining', () => {
  it('gives the clean accuracy at epsilon 0 and never more correct answers under a larger FGSM step here', () => {
    const clean = tf.tidy(() => (model.predict(xs) as tf.Tensor).argMax(-1).equal(labels).mean().dataSync()[0]);
    const rows = epsilonSweep(model, xs, labels, [0, 0.3], { batchSize: 4 });
    expect(rows[0].epsilon).toBe(0);
    expect(rows[0].accuracy).toBeCloseTo(clean, 6);
    expect(rows[1].accuracy).toBeLessThanOrEqual(clean);
    expect(() => epsilonSweep(model, xs, labels, [])).toThrow('epsilonSweep: epsilons must be a non-empty array, got []');
  });

  it('needs a compiled model, trains without leaking tensors and reports per-epoch losses', async () => {
    const fresh = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 3, activation: 'softmax' })] });
    await expect(adversarialTraining(fresh, xs, labels)).rejects.toThrow('adversarialTraining: model must be compiled with an optimizer (model.compile)');
    fresh.compile({ optimizer: tf.train.sgd(0.5), loss: 'sparseCategoricalCrossentropy' });
    await adversarialTraining(fresh, xs, labels, { epochs: 1, batchSize: 5 }); // optimizer state created
    const before = tf.memory().numTensors;
    const hist = await adversarialTraining(fresh, xs, labels, { epochs: 2, batchSize: 5, epsilon: 0.05 });
    expect(tf.memory().numTensors).toBe(before);
    expect(hist.map((h) => h.epoch)).toEqual([1, 2]);
    for (const h of hist) expect(h.loss).toBeCloseTo(0.5 * h.cleanLoss + 0.5 * h.adversarialLoss, 5);
  });
});
